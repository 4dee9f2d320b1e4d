"""Library > Check search quality... in the real window: the report per document, questions by
the chat model (the Ollama test server) or by key sentences when Ollama is not running, and
Cancel keeping what was measured."""

from __future__ import annotations

from ollama_server import DEFAULT_MODEL, FakeOllama
from PySide6.QtCore import Qt
from test_qt_window import WAIT, connected, make_window, paper_library  # noqa: F401 - fixtures


def open_check(window):  # type: ignore[no-untyped-def]
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Library")
    action = next(a for a in menu.actions() if a.text() == "Check search quality...")
    action.trigger()
    dialog = window.search_check
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_without_ollama_the_questions_come_from_key_sentences(qtbot, make_window,  # noqa: F811
                                                              paper_library):
    window = make_window()
    dialog = open_check(window)
    dialog.questions.setValue(6)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.job is not None and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT)
    report = dialog.report
    assert report is not None and report.writer == "key sentences" and len(report.probes) == 6
    assert "key sentences" in dialog.summary.text()
    assert dialog.table.rowCount() == 2  # the paper and the note
    names = {dialog.table.item(row, 0).text() for row in range(2)}
    assert names == {"multi-column-2p.pdf", "bread-notes.txt"}
    assert dialog.table.item(0, 3).text().endswith("%")
    assert not dialog.progress.isVisible() and dialog.start_button.isEnabled()
    assert window.isEnabled()  # not modal


def test_the_chat_model_writes_the_questions_and_cancel_keeps_them(qtbot, make_window,  # noqa: F811
                                                                   paper_library):
    with FakeOllama(reply="Question: What does sourdough bread need?") as server:
        window = make_window(host=server.host)
        connected(qtbot, window)
        dialog = open_check(window)
        dialog.questions.setValue(4)
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT)
        assert dialog.report.writer == DEFAULT_MODEL
        assert {p.question for p in dialog.report.probes} == {"What does sourdough bread need?"}
        assert DEFAULT_MODEL in dialog.summary.text()

        server.first_token_delay = 1.0  # each question now takes a second to write
        dialog.questions.setValue(20)
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Writing question 3 of" in dialog.status.text(), timeout=WAIT)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT)
    report = dialog.report
    assert report.cancelled and 1 <= len(report.probes) < 20
    assert "Cancelled" in dialog.status.text()
