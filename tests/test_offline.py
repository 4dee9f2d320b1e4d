"""Offline by construction: no telemetry, no model download, no hub, and Qt stays out of core."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from conftest import BLOCKED, ROOT


def test_the_network_guard_blocks_and_records_outside_connections():
    before = len(BLOCKED)
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    assert len(BLOCKED) == before + 1
    del BLOCKED[before:]  # this attempt was the test's own


def test_unstructured_runs_without_telemetry_or_downloads(corpus):
    from desktop_rag.core.ingest.parse import parse_file
    from desktop_rag.core.ingest.unstructured_setup import prepare_unstructured

    prepare_unstructured()
    from unstructured.nlp import tokenize

    # The shipped spaCy model answers; the downloader is replaced by an error.
    assert tokenize.sent_tokenize("One sentence here. Another one there.") == [
        "One sentence here.",
        "Another one there.",
    ]
    assert tokenize.pos_tag("Dogs run")[1][1].startswith("VB")
    with pytest.raises(RuntimeError, match="offline"):
        tokenize._install_spacy_model()
    parsed = parse_file(corpus / "norwich-city.txt")
    assert parsed.elements
    # The autouse fixture fails this test if anything tried to reach the network.


def test_core_does_not_import_qt():
    code = (
        "import sys, pkgutil, importlib, desktop_rag.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'desktop_rag.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import desktop_rag.cli, desktop_rag.cli_commands\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_importing_the_core_is_cheap():
    """Heavy libraries load when first needed, so the window can open fast."""
    code = (
        "import sys, desktop_rag.core.store.library, desktop_rag.core.store.importer, desktop_rag.cli\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'unstructured', 'lancedb')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_window_module_loads_no_storage_library():
    """The window paints before Arrow, NumPy or LanceDB load (they cost about 0.5 s of the
    first paint; the asking code imports the search only when a question is asked)."""
    code = (
        "import sys\n"
        "from desktop_rag.qt.main_window import MainWindow\n"
        "heavy = [m for m in ('pyarrow', 'numpy', 'lancedb', 'torch', 'unstructured')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)


_OPENVINO_PROBE = """
import os, sys
{setup}
def no_fork():
    raise SystemExit("something forked to phone home")
os.fork = no_fork
import openvino
openvino.Core()
print("loaded" if sys.modules.get("openvino_telemetry") else "blocked")
"""


@pytest.mark.parametrize("offline", [True, False])
def test_openvino_loads_without_its_telemetry(offline):
    """`import openvino` starts Google Analytics telemetry, which forks a process to send an
    event; the offline set-up stops it (and the same probe without it shows it does start)."""
    setup = "from desktop_rag.core.offline import apply_environment; apply_environment()" \
        if offline else ""
    probe = subprocess.run([sys.executable, "-c", _OPENVINO_PROBE.format(setup=setup)],
                           capture_output=True, text=True, timeout=120, cwd=ROOT,
                           env={**os.environ, "CI": "", "HOME": os.environ.get("HOME", "/")})
    if offline:
        assert probe.returncode == 0, probe.stderr
        assert probe.stdout.strip() == "blocked"
    else:  # the probe can fail: without the set-up, the telemetry starts
        assert "loaded" in probe.stdout or "phone home" in probe.stderr + probe.stdout
