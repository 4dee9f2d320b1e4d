"""The window and other processes on the same library: what a command-line import or removal
does shows up within seconds (qt/library_watch.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

# The window's check interval (qt/library_watch.py CHECK_EVERY_MS), written here so that the
# tests fail on a window without the watch by their assertions, not by an import error.
PERIOD_MS = 3000
SLACK_MS = 3000  # a worker's turn on a busy two-core machine
PROCESS_MS = 120_000
TESTS = Path(__file__).parent
# Another process commits documents the way an import commits one, with synthetic vectors: the
# command line's import spends most of a minute here loading torch and the model.
ADD = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from test_documents_snapshot import add_document
from desktop_rag.core.store.libraries import open_library
library = open_library()
for name in sys.argv[1:]:
    add_document(library, name)
"""


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    from desktop_rag.qt.main_window import MainWindow, window_settings

    window_settings().setValue("ollama_setup_at_start", False)
    window = MainWindow(host="http://127.0.0.1:9")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.documents_loaded, timeout=PROCESS_MS):
        window.show()
    return window


def names(window) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(d.name for d in window.library_panel.model.docs)


def in_another_process(qtbot, *command: str) -> None:  # type: ignore[no-untyped-def]
    """Run `command` while the window's event loop goes on."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=PROCESS_MS)
    assert process.returncode == 0, process.stdout.read() if process.stdout else ""


def test_what_another_process_adds_and_removes_shows_within_seconds(qtbot, window):
    assert names(window) == []
    in_another_process(qtbot, sys.executable, "-c", ADD, "from-elsewhere.txt")
    qtbot.waitUntil(lambda: names(window) == ["from-elsewhere.txt"],
                    timeout=PERIOD_MS + SLACK_MS)
    assert window.size_label.text() == "1 documents · 3 chunks"
    # Its chunks show: the window's handle took the model the other process's import bound.
    assert window.library_panel.select_document("from-elsewhere.txt")
    qtbot.waitUntil(lambda: window.chunks.table.rowCount() == 3, timeout=PROCESS_MS)

    in_another_process(qtbot, sys.executable, "-m", "desktop_rag.cli", "remove",
                       "from-elsewhere.txt")
    qtbot.waitUntil(lambda: names(window) == [], timeout=PERIOD_MS + SLACK_MS)
    assert window.size_label.text() == "0 documents · 0 chunks"


def test_the_window_checks_when_it_is_activated(qtbot, window):
    window.library_watch.timer.stop()
    in_another_process(qtbot, sys.executable, "-c", ADD, "seen-on-focus.txt")
    qtbot.wait(PERIOD_MS)
    assert names(window) == []  # the timer is off: nothing looked
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: names(window) == ["seen-on-focus.txt"], timeout=SLACK_MS)


def test_a_rechunk_running_in_the_window_is_not_disturbed(qtbot, window):
    window.documents_ctl.working = 1  # as while a preview or a re-chunk runs
    in_another_process(qtbot, sys.executable, "-c", ADD, "later.txt")
    qtbot.wait(PERIOD_MS + SLACK_MS)
    assert names(window) == []
    window.documents_ctl.working = 0
    qtbot.waitUntil(lambda: names(window) == ["later.txt"], timeout=PERIOD_MS + SLACK_MS)
