"""The library on real LanceDB: incremental imports, duplicates, replacement, removal, models."""

from __future__ import annotations

import shutil

import pytest
from conftest import run_import

from desktop_rag.core.errors import ModelMismatch
from desktop_rag.core.events import (
    CancelToken,
    EmbedProgress,
    FileFailed,
    FileImported,
    FileStarted,
)
from desktop_rag.core.settings import ChunkingSettings
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.importer import import_paths
from desktop_rag.core.store.libraries import create_library, list_libraries, open_library
from desktop_rag.core.store.rechunk import rechunk_document


@pytest.fixture
def docs(corpus, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(corpus / "fake.odt", folder / "fake.odt")
    shutil.copy(corpus / "pdf/multi-column-2p.pdf", folder / "sub" / "paper.pdf")
    shutil.copy(corpus / "pdf/password.pdf", folder / "locked.pdf")
    return folder


def test_import_is_incremental(library, embedder, docs):
    summary, events = run_import(library, [docs], embedder)
    assert sorted(e.path.name for e in summary.imported) == ["fake.odt", "paper.pdf"]
    assert [e.reason for e in summary.failed] == ["encrypted: password required"]
    assert any(isinstance(e, EmbedProgress) for e in events)
    paper = library.find("paper.pdf")
    assert paper.pages == 2 and paper.chunks == len(library.chunks(paper)) > 5
    assert all(c.pages and set(c.pages) <= {1, 2} for c in library.chunks(paper))

    again, _ = run_import(library, [docs], embedder)
    assert [e.reason for e in again.skipped] == ["unchanged", "unchanged"]
    assert not again.imported
    assert len(again.failed) == 1  # a failed file is tried again, and says why again
    assert library.stats()["chunks"] == paper.chunks + library.find("fake.odt").chunks


def test_same_content_at_two_paths_is_a_duplicate(library, embedder, docs):
    shutil.copy(docs / "fake.odt", docs / "copy of fake.odt")
    summary, _ = run_import(library, [docs / "fake.odt", docs / "copy of fake.odt"], embedder)
    assert len(summary.imported) == 1
    assert summary.skipped[0].reason == f"duplicate of {docs / 'fake.odt'}"
    dup = library.find("copy of fake.odt")
    assert dup.state == S.DUPLICATE and dup.chunks == 0
    # Removing the original removes the duplicate record too.
    assert library.remove(library.find("fake.odt")) == 2
    assert library.documents() == []


def test_a_changed_file_replaces_its_chunks(library, embedder, corpus, tmp_path):
    target = tmp_path / "notes.txt"
    # The contents only: the shared corpus's files are read-only, and a user cannot write over
    # a copy that kept that mode (root can: CI did not see it).
    shutil.copyfile(corpus / "norwich-city.txt", target)
    run_import(library, [target], embedder)
    before = library.find("notes.txt")
    target.write_text("A short replacement text about the river Wensum.\n", encoding="utf-8")
    summary, _ = run_import(library, [target], embedder)
    assert summary.imported[0].replaced
    after = library.find("notes.txt")
    assert after.doc_id != before.doc_id and after.chunks == 1
    assert library.stats()["chunks"] == 1
    assert [c.text for c in library.chunks(after)] == [
        "A short replacement text about the river Wensum."
    ]
    # A later version that cannot be read keeps the imported one.
    target.write_bytes(b"")
    summary, _ = run_import(library, [target], embedder)
    assert summary.failed and library.find("notes.txt").doc_id == after.doc_id


def test_rechunking_one_document_leaves_the_others(library, embedder, docs):
    run_import(library, [docs], embedder)
    odt, paper = library.find("fake.odt"), library.find("paper.pdf")
    paper_chunks = library.chunks(paper)
    events = list(rechunk_document(library, odt, ChunkingSettings("tokens", 16, 4), embedder))
    updated = events[-1]
    assert isinstance(updated, S.DocumentRecord) and updated.chunks == 4
    assert library.find("fake.odt").chunking_override
    assert [c.token_count for c in library.chunks(updated)] == [16, 16, 16, 7]
    assert library.chunks(library.find("paper.pdf")) == paper_chunks
    assert library.stats()["chunks"] == 4 + len(paper_chunks)


def test_cancel_stops_between_files_and_keeps_what_was_done(library, embedder, docs):
    cancel = CancelToken()
    imported = []
    for event in import_paths(library, [docs], embedder, cancel):
        if isinstance(event, FileImported):
            imported.append(event.path.name)
            cancel.cancel()
        assert not (isinstance(event, FileStarted) and imported and cancel.cancelled)
    assert len(imported) == 1
    assert [d.name for d in library.documents() if d.state == S.IMPORTED] == imported


def test_vectors_of_two_models_are_never_mixed(library, embedder, docs):
    run_import(library, [docs / "fake.odt"], embedder)

    class Other:
        model_id, dimension, normalized = "other-model", 8, True

    with pytest.raises(ModelMismatch, match="all-MiniLM-L6-v2"):
        library.bind_model(Other())


def test_named_libraries(embedder, docs, home):
    create_library("Thèse 2026")
    french = open_library("Thèse 2026")
    run_import(french, [docs / "fake.odt"], embedder)
    assert "Thèse 2026" in list_libraries()
    assert str(french.folder).startswith(str(home))
    assert open_library().documents() == []  # the default library is another one


@pytest.fixture
def tiny_disk(tmp_path):  # type: ignore[no-untyped-def]
    """A 512 KB file system, to fill up for real."""
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_clearly_and_keeps_what_was_imported(tiny_disk, monkeypatch,
                                                                 embedder, corpus):
    from desktop_rag.core.store.indexes import maintain

    monkeypatch.setenv("DESKTOP_RAG_HOME", str(tiny_disk / "home"))
    library = open_library()
    first, _ = run_import(library, [corpus / "fake.odt"], embedder)
    assert len(first.imported) == 1
    big = [corpus / "example-10k.html"]
    summary, _ = run_import(library, big, embedder)
    assert summary.failed and "disk full" in summary.failed[0].reason
    reopened = open_library()
    odt = reopened.find("fake.odt")
    assert odt.state == S.IMPORTED and len(reopened.chunks(odt)) == odt.chunks == 1
    assert [d.name for d in reopened.documents() if d.state == S.IMPORTED] == ["fake.odt"]
    try:
        maintain(reopened)
    except Exception as error:  # noqa: BLE001
        assert "disk full" in getattr(error, "user_message", ""), error


def test_a_folder_is_imported_smallest_file_first_and_torch_gets_its_cores_back(
    library, embedder, docs
):
    import torch

    threads = torch.get_num_threads()
    summary, events = run_import(library, [docs], embedder)
    done = [e.path for e in events if isinstance(e, FileImported | FileFailed)]
    sizes = [p.stat().st_size for p in done]
    assert len(done) == 3 and sizes == sorted(sizes)
    # The embedder leaves the parser a core during an import; afterwards it has them all back.
    assert torch.get_num_threads() == threads
