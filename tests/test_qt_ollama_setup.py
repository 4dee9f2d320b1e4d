"""First run with Ollama missing, elsewhere, or without a model: the Ollama setup dialog.

The real window, and the project's Ollama-protocol test server on a loopback port of its own
(never Ollama's 11434) standing in for Ollama on another machine; "nothing there" is a free
port nobody listens on. (The first start's default library and "Drop documents here" state are
covered by tests/test_qt_window.py::test_empty_library_says_drop_documents_here.)
"""

from __future__ import annotations

import socket

import pytest
from conftest import run_import
from ollama_server import FakeOllama
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

WAIT = 120_000  # ms: the window reads its library on a worker of a busy 2-core machine
QUESTION = "How long does the sourdough loaf bake?"


def nothing_at() -> str:
    """The address of a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def make_window(qtbot, embedder):  # type: ignore[no-untyped-def]
    """host None: the saved one, as at a normal start."""
    from desktop_rag.qt.main_window import MainWindow

    windows = []

    def make(host: str | None) -> MainWindow:
        window = MainWindow(host=host, embedder=embedder)
        qtbot.addWidget(window)
        windows.append(window)
        with qtbot.waitSignal(window.documents_loaded, timeout=WAIT):
            window.show()
        return window

    yield make
    for window in windows:
        if window.ask_job is not None:
            window.ask_job.cancel()
            window.ask_job.wait(30)


@pytest.fixture
def bread_library(embedder, tmp_path):  # type: ignore[no-untyped-def]
    """The default library with one short note, so that questions find a passage."""
    from desktop_rag.core.store.libraries import open_library

    note = tmp_path / "bread-notes.txt"
    note.write_text("Sourdough bread needs a starter, flour, water and salt.\n\n"
                    "Bake the loaf at 240 degrees for forty minutes.", encoding="utf-8")
    summary, _ = run_import(open_library(), [note], embedder)
    assert len(summary.imported) == 1


def offered_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    """The setup dialog, once the window has shown it by itself."""
    qtbot.waitUntil(lambda: window.ollama_guide.dialog is not None
                    and window.ollama_guide.dialog.isVisible(), timeout=20_000)
    return window.ollama_guide.dialog


def ask(qtbot, window, question: str = QUESTION):  # type: ignore[no-untyped-def]
    answers: list = []
    window.answer_finished.connect(answers.append)
    window.chat.input.setPlainText(question)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ask_job is None, timeout=WAIT)
    window.answer_finished.disconnect(answers.append)
    assert answers, f"no answer: {window.chat.turns[-1].error}"
    return answers[0]


def shown_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def test_ollama_on_another_host_is_found_from_the_dialog_and_kept(
        qtbot, make_window, bread_library):
    from desktop_rag.qt.main_window import window_settings
    from desktop_rag.qt.ollama_help import install_help

    dead = nothing_at()
    with FakeOllama(reply="Forty minutes at 240 degrees [1].") as server:
        assert not server.host.endswith(":11434")
        window = make_window(dead)
        dialog = offered_dialog(qtbot, window)
        assert window.ollama.connected is False
        assert dialog.state == "unreachable"
        assert not dialog.isModal()
        texts = "\n".join(shown_texts(dialog))
        assert f"It looked for Ollama at {dead}" in texts
        for line in install_help().split("\n"):  # this system's instructions, all shown
            assert line.strip() in texts
        assert dialog.host_edit.text() == dead
        assert dialog.close_button.text() == "Continue without Ollama"

        # The window stays usable behind the dialog: searching the library still works.
        window.library_panel.select_document("bread-notes.txt")
        qtbot.waitUntil(lambda: window.chunks.table.rowCount() > 0, timeout=WAIT)

        address = server.host.removeprefix("http://")  # typed as host:port, no scheme
        dialog.host_edit.clear()
        qtbot.keyClicks(dialog.host_edit, address)
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
        assert dialog.host_status.text() == f"Checking {server.host}…"
        qtbot.waitUntil(lambda: window.ollama.connected is True, timeout=20_000)
        assert window.ollama.host == server.host
        assert server.host in window.ollama.label.text()
        assert "Connected: Ollama 0.12.6" in dialog.host_status.text()
        qtbot.waitUntil(lambda: dialog.state == "ready", timeout=5_000)
        assert "llama3.2:1b" in dialog.ready_label.text()
        assert window_settings().value("ollama_host") == server.host
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        assert dialog.close_button.text() == "Close" and not dialog.isVisible()
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)  # back to it, with its keys

        answer = ask(qtbot, window)
        assert answer.text == "Forty minutes at 240 degrees [1]."
        assert server.last("/api/chat")["model"] == "llama3.2:1b"
        assert "sourdough" in str(server.last("/api/chat")["messages"]).lower()

        # The next start goes to the same server, and has nothing to offer.
        window.close()
        again = make_window(None)
        qtbot.waitUntil(lambda: again.ollama.connected is True, timeout=20_000)
        assert again.ollama.host == server.host
        assert again.ollama_guide.dialog is None


def test_a_wrong_address_is_explained_and_not_kept(qtbot, make_window):
    from desktop_rag.qt.main_window import window_settings

    window = make_window(nothing_at())
    dialog = offered_dialog(qtbot, window)
    dialog.host_edit.setText("gpu box:11434")
    dialog.retry()
    assert "is not a server address" in dialog.host_status.text()
    other = nothing_at()
    dialog.host_edit.setText(other.removeprefix("http://"))
    dialog.retry()
    qtbot.waitUntil(lambda: "Nothing answers at" in dialog.host_status.text(), timeout=20_000)
    assert other in dialog.host_status.text()
    assert window_settings().value("ollama_host", "") == ""
    assert window.ollama.connected is False


def test_a_server_without_models_gets_one_from_the_dialog(qtbot, make_window, bread_library):
    from desktop_rag.qt.ollama_help import SUGGESTED_MODELS

    with FakeOllama(reply="Bake it forty minutes [1].") as server:
        server.models.clear()
        window = make_window(server.host)
        dialog = offered_dialog(qtbot, window)
        assert dialog.state == "no_model"
        assert "Ollama answers at " + server.host in dialog.models_intro.text()
        texts = shown_texts(dialog)
        assert [name for name, _, _ in SUGGESTED_MODELS] == list(dialog.model_buttons)
        for size in ("about 398 MB", "about 986 MB", "about 1.3 GB", "about 1.6 GB",
                     "about 2.0 GB"):
            assert size in texts
        assert dialog.chosen_model() == "qwen2.5:1.5b"  # the recommended one

        messages: list[str] = []
        original = dialog._pull_message
        dialog._pull_message = lambda text, ok: (messages.append(text), original(text, ok))

        # A download that fails says why, and another can be tried.
        server.pull_error = "pull model manifest: file does not exist"
        qtbot.mouseClick(dialog.model_buttons["gemma2:2b"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.pull_job is None, timeout=20_000)
        assert "The download failed" in dialog.pull_label.text()
        assert "file does not exist" in dialog.pull_label.text()
        assert dialog.download_button.isEnabled() and dialog.state == "no_model"

        # A download can be cancelled.
        server.pull_error = None
        server.token_delay = 1.0  # time to press Cancel between two parts
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isVisible() and not dialog.download_button.isEnabled()
        qtbot.waitUntil(lambda: "Downloading gemma2:2b" in dialog.pull_label.text(),
                        timeout=20_000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.pull_job is None, timeout=20_000)
        assert dialog.pull_label.text() == "The download was cancelled."
        assert window.generation.pull_status.text() == "Download cancelled"
        assert "gemma2:2b" not in server.models and window.models == []

        # The one chosen is downloaded with its progress, then selected and used.
        server.token_delay = 0.05
        messages.clear()
        bar_values: list[int] = []
        dialog.pull_bar.valueChanged.connect(bar_values.append)
        qtbot.mouseClick(dialog.model_buttons["qwen2.5:0.5b"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.state == "ready", timeout=20_000)
        assert server.last("/api/pull")["model"] == "qwen2.5:0.5b"
        assert messages[0] == "Starting the download of qwen2.5:0.5b…"
        assert "Downloading qwen2.5:0.5b: 1 kB of 1 kB" in messages  # the test server's size
        assert "Checking the download of qwen2.5:0.5b…" in messages
        assert 0 < min(bar_values) < 500 < max(bar_values) == 1000, bar_values
        assert "qwen2.5:0.5b is downloaded; it is selected for this library." in messages
        assert window.generation.settings().model == "qwen2.5:0.5b"
        assert window.generation.model_combo.currentText() == "qwen2.5:0.5b"
        assert "qwen2.5:0.5b writes the answers" in dialog.ready_label.text()
        assert "qwen2.5:0.5b" in window.ollama.label.text()

        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
        ask(qtbot, window)
        assert server.last("/api/chat")["model"] == "qwen2.5:0.5b"


def test_dont_show_at_start_is_kept_and_help_still_opens_it(qtbot, make_window):
    from desktop_rag.qt.main_window import window_settings

    dead = nothing_at()
    window = make_window(dead)
    dialog = offered_dialog(qtbot, window)
    qtbot.mouseClick(dialog.at_start_check, Qt.MouseButton.LeftButton)
    assert window_settings().value("ollama_setup_at_start", True, bool) is False
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    window.close()

    again = make_window(dead)
    qtbot.waitUntil(lambda: again.ollama.connected is False, timeout=20_000)
    assert again.ollama_guide.dialog is None
    qtbot.mouseClick(again.ollama.help_button, Qt.MouseButton.LeftButton)
    dialog = again.ollama_guide.dialog
    assert dialog is not None and dialog.isVisible() and dialog.state == "unreachable"
    assert dialog.at_start_check.isChecked()


def test_addresses_are_completed_and_checked():
    from desktop_rag.qt.ollama_help import format_size, normalize_host

    assert normalize_host("127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert normalize_host(" 192.168.1.20 ") == "http://192.168.1.20:11434"
    assert normalize_host("gpu-box") == "http://gpu-box:11434"
    assert normalize_host("http://gpu-box") == "http://gpu-box:11434"
    assert normalize_host("HTTP://GPU-Box:8000/") == "http://gpu-box:8000"
    assert normalize_host("https://ollama.example.org") == "https://ollama.example.org:443"
    assert normalize_host("[::1]:8080") == "http://[::1]:8080"
    for wrong in ("", "gpu box", "host:port", "host:", "host:99999", "ftp://host:21",
                  "http://"):
        with pytest.raises(ValueError):
            normalize_host(wrong)
    assert [format_size(s) for s in (1000, 398e6, 986e6, 1.3e9, 2e9)] == \
        ["1 kB", "398 MB", "986 MB", "1.3 GB", "2.0 GB"]


def test_file_ollama_server_completes_the_address_and_explains_a_wrong_one(
        qtbot, make_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from desktop_rag.qt.main_window import window_settings

    with FakeOllama(reply="unused") as server:
        window = make_window(nothing_at())
        typed = iter(["gpu box", server.host.removeprefix("http://")])
        offered: list[str] = []
        warnings: list[str] = []

        def get_text(parent, title, label, text=""):  # type: ignore[no-untyped-def]
            offered.append(text)
            return next(typed), True

        monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
        monkeypatch.setattr(QMessageBox, "warning", staticmethod(
            lambda parent, title, text: warnings.append(text)))
        window.host_action.trigger()
        assert len(warnings) == 1 and '"gpu box" is not a server address' in warnings[0]
        assert offered[1] == "gpu box"  # asked again with what was typed, to correct it
        qtbot.waitUntil(lambda: window.ollama.connected is True, timeout=20_000)
        assert window.ollama.host == server.host
        assert window_settings().value("ollama_host") == server.host
