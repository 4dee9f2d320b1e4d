"""The documents list kept at each write (core/store/snapshot.py): the window lists a library
without importing LanceDB (3.7 s of CPU, 10 s and more on a busy machine), and never shows a
list that is not the table's current one."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import numpy as np

MODEL = {"id": "sentence-transformers/all-MiniLM-L6-v2", "dimension": 384, "normalized": True}


def add_document(library, name: str, chunks: int = 3):  # type: ignore[no-untyped-def]
    """A document with synthetic vectors, committed as an import commits one."""
    from desktop_rag.core.ingest.chunking import Chunk
    from desktop_rag.core.ingest.elements import Element
    from desktop_rag.core.store import schema as S

    if library.model is None:
        library.model = dict(MODEL)
        library.save_meta()
    record = S.DocumentRecord(path=f"/docs/{name}", doc_id=hashlib.sha256(name.encode()).hexdigest(),
                              name=name, file_type="txt", mime="text/plain")
    texts = [f"{name} paragraph {i}" for i in range(chunks)]
    vectors = np.random.default_rng(len(name)).standard_normal((chunks, 384)).astype(np.float32)
    library.commit_document(
        record, [Element(t, "NarrativeText") for t in texts],
        [Chunk(i, t, 0, len(t), (), "", ("NarrativeText",), 5) for i, t in enumerate(texts)],
        vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    return record


def test_the_version_read_from_the_folder_is_lancedbs(library):
    import lancedb

    assert library.documents_version() is None  # nothing imported yet
    assert library.listed_documents() == (None, [])
    db = lancedb.connect(str(library.folder / "lance"))
    for name in ("a.txt", "b.txt"):
        add_document(library, name)
        assert library.documents_version() == db.open_table("documents").version
    library.remove(library.find("a.txt"))
    assert library.documents_version() == db.open_table("documents").version
    db.open_table("documents").optimize()
    assert library.documents_version() == db.open_table("documents").version


def test_a_write_keeps_the_list_another_process_opens_without_lancedb(library):
    add_document(library, "first.txt")
    add_document(library, "second.txt", chunks=5)
    child = subprocess.run([sys.executable, "-c", """
import json, sys
from desktop_rag.core.store.libraries import open_library
version, docs = open_library().listed_documents()
print(json.dumps({"version": version, "docs": [[d.name, d.chunks] for d in docs],
                  "lancedb": "lancedb" in sys.modules}))
"""], capture_output=True, text=True, check=True)
    seen = json.loads(child.stdout)
    assert seen == {"version": library.documents_version(), "lancedb": False,
                    "docs": [["first.txt", 3], ["second.txt", 5]]}


def test_a_list_that_is_not_the_current_one_is_never_shown(library):
    import lancedb

    add_document(library, "kept.txt")
    add_document(library, "gone.txt")
    version, docs = library.listed_documents()
    assert [d.name for d in docs] == ["gone.txt", "kept.txt"]
    # A write that does not go through the library (an older version of the app, say): the
    # snapshot is of an earlier version and the list is read from the table.
    lancedb.connect(str(library.folder / "lance")).open_table("documents").delete(
        "name = 'gone.txt'")
    later, docs = library.listed_documents()
    assert later == version + 1 and [d.name for d in docs] == ["kept.txt"]
    # A snapshot whose version matches but whose manifest is another one is not taken either.
    snapshot = library.folder / "documents-snapshot.json"
    data = json.loads(snapshot.read_text())
    data["manifest_mtime_ns"] += 1
    data["documents"] = []
    snapshot.write_text(json.dumps(data))
    assert [d.name for d in library.listed_documents()[1]] == ["kept.txt"]


def test_another_processs_first_import_binds_the_model_for_this_handle(library):
    from desktop_rag.core.store.libraries import open_library

    assert library.model is None
    add_document(open_library(), "elsewhere.txt")  # a second handle: another process's view
    version, docs = library.listed_documents()
    assert [d.name for d in docs] == ["elsewhere.txt"]
    assert library.model == MODEL and len(library.chunks(docs[0])) == 3
