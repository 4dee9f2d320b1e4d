"""A process killed at any moment of an import leaves no half-imported document visible, and
the next import finishes the job. Children are killed at each write step, and at random times."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_import

from desktop_rag.core.store import schema as S
from desktop_rag.core.store.libraries import open_library

CHILD = """
import sys
from pathlib import Path
from desktop_rag.core.store.libraries import open_library
from desktop_rag.core.embed.factory import make_embedder
from desktop_rag.core.store.importer import import_paths
library = open_library()
for event in import_paths(library, [Path(p) for p in sys.argv[1:]], make_embedder()):
    print(type(event).__name__, flush=True)
"""


@pytest.fixture
def files(corpus, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("fake.odt", "pdf/multi-column-2p.pdf", "norwich-city.txt"):
        shutil.copy(corpus / name, folder / Path(name).name)
    return sorted(folder.iterdir())


def _child(files, **env):  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *map(str, files)],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True,
    )


def assert_consistent(library) -> None:  # type: ignore[no-untyped-def]
    """Every visible document has all its chunks; no chunk is visible without its document."""
    docs = [d for d in library.documents() if d.state == S.IMPORTED]
    table = library.chunks_table
    total = table.count_rows() if table is not None else 0
    for doc in docs:
        chunks = library.chunks(doc)
        assert len(chunks) == doc.chunks > 0, doc.name
        assert [c.ordinal for c in chunks] == list(range(doc.chunks))
        assert len(library.elements(doc)) > 0
    assert total == sum(d.chunks for d in docs), "orphan chunks are left in the table"
    assert not list((library.folder / "pending").glob("*.json"))


@pytest.mark.slow
@pytest.mark.parametrize("point", ["journal", "elements", "chunks", "document"])
def test_killed_at_each_write_step(files, embedder, point):
    child = _child(files, DESKTOP_RAG_CRASH_AT=point)
    child.communicate(timeout=300)
    assert child.returncode == 99, "the child did not reach the crash point"
    library = open_library()  # opening recovers what the killed writer left
    assert_consistent(library)
    visible = [d for d in library.documents() if d.state == S.IMPORTED]
    # Killed while committing the first file: only "document" made it visible.
    assert len(visible) == (1 if point == "document" else 0)
    summary, _ = run_import(library, files, embedder)
    assert not summary.failed
    assert_consistent(library)
    assert sum(d.state == S.IMPORTED for d in library.documents()) == len(files)


@pytest.mark.slow
def test_killed_at_random_moments(files, embedder):
    rng = random.Random(20261127)
    for _ in range(3):
        child = _child(files)
        # Once the model is loaded and a first file stored, kill it inside the next ones.
        assert child.stdout is not None
        while child.stdout.readline().strip() not in ("FileImported", ""):
            pass
        time.sleep(rng.uniform(0.0, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        assert_consistent(open_library())
    library = open_library()
    run_import(library, files, embedder)
    assert_consistent(library)
    assert sum(d.state == S.IMPORTED for d in library.documents()) == len(files)
