"""The real window, driven as a user would: drop files, ask, click a citation, stop, lose Ollama.

Real LanceDB, real unstructured, the real embedding model (shared across tests), and the
project's Ollama-protocol test server in place of Ollama.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_import
from ollama_server import DEFAULT_MODEL, FakeOllama, model_entry
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

WAIT = 120_000  # ms: imports embed on a shared 2-core machine


@pytest.fixture
def make_window(qtbot, embedder):  # type: ignore[no-untyped-def]
    from desktop_rag.qt.main_window import MainWindow, window_settings

    # The Ollama setup dialog a start without Ollama offers would take the focus, and with it
    # the window's shortcuts; it has its own tests (test_qt_ollama_setup.py).
    window_settings().setValue("ollama_setup_at_start", False)
    windows = []

    def make(host: str | None = None, library: str | None = None) -> MainWindow:
        window = MainWindow(library=library, host=host or "http://127.0.0.1:9", embedder=embedder)
        qtbot.addWidget(window)
        windows.append(window)
        with qtbot.waitSignal(window.documents_loaded, timeout=WAIT):
            window.show()
        return window

    yield make
    for window in windows:
        for job in (window.import_job, window.ask_job):
            if job is not None:
                job.cancel()
                job.wait(30)


@pytest.fixture
def paper_library(corpus, embedder, tmp_path):  # type: ignore[no-untyped-def]
    """The default library with a two-page paper and a note, imported through the core."""
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.libraries import open_library

    library = open_library()
    note = tmp_path / "bread-notes.txt"
    note.write_text("Sourdough bread needs a starter, flour, water and salt.\n\n"
                    "Bake the loaf at 240 degrees for forty minutes.", encoding="utf-8")
    summary, _ = run_import(library, [corpus / "pdf/multi-column-2p.pdf", note], embedder)
    assert len(summary.imported) == 2
    maintain(library)
    return library


def drop(window, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    # Onto the transcript, not the window itself: dropping anywhere must work.
    target = window.chat.transcript.viewport()
    position = QPoint(20, 20)
    enter = QDragEnterEvent(position, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window refused the drag"
    event = QDropEvent(QPointF(position), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)


def ask(qtbot, window, question: str):  # type: ignore[no-untyped-def]
    answers: list = []
    window.answer_finished.connect(answers.append)
    window.chat.input.setPlainText(question)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.ask_job is not None, "Ctrl+Enter did not send the question"
    qtbot.waitUntil(lambda: window.ask_job is None, timeout=WAIT)
    window.answer_finished.disconnect(answers.append)
    assert answers, f"no answer: {window.chat.turns[-1].error}"
    return answers[0]


def connected(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.ollama.connected is True, timeout=20_000)
    assert window.generation.settings().model == DEFAULT_MODEL


def test_empty_library_says_drop_documents_here(make_window):
    window = make_window()
    assert window.library_panel.stack.currentIndex() == 0
    assert "Drop documents here" in window.library_panel.empty.text()
    assert window.windowTitle().startswith("default")
    screen = window.screen().availableGeometry()  # tests' offscreen screen: 1366x768
    assert screen.width() == 1366
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_dropped_files_import_with_their_states(qtbot, make_window, corpus, tmp_path):
    window = make_window()
    text = tmp_path / "notes.txt"
    text.write_text("Retrieval-augmented generation cites its sources.", encoding="utf-8")
    drop(window, [corpus / "pdf/multi-column-2p.pdf", corpus / "pdf/password.pdf", text])
    qtbot.waitUntil(lambda: window.import_job is None and len(window.documents) == 3
                    and not window._refreshing, timeout=WAIT)
    states = {d.name: (d.state, d.error) for d in window.documents}
    assert states["multi-column-2p.pdf"][0] == "imported"
    assert states["notes.txt"][0] == "imported"
    assert states["password.pdf"] == ("failed", states["password.pdf"][1])
    assert "password" in states["password.pdf"][1]
    assert window.library_panel.stack.currentIndex() == 1
    assert "2 imported" in window.library_panel.summary_label.text()
    assert "1 failed" in window.library_panel.summary_label.text()
    assert "password.pdf" in window.library_panel.summary_label.text()
    assert "2 documents" in window.size_label.text()
    # Squeezed by the user, the panel keeps the state in sight ("failed") and some of the
    # name; type, pages and chunks give way, and come back when there is room.
    table = window.library_panel.table
    header = table.horizontalHeader()
    state = header.count() - 1

    def state_in_view() -> bool:
        return header.sectionViewportPosition(state) + header.sectionSize(state) \
            <= table.viewport().width()

    window.splitter.setSizes([80, 1000, 1000])
    qtbot.waitUntil(lambda: table.isColumnHidden(1))
    assert state_in_view()
    assert header.sectionSize(0) >= 10 * table.fontMetrics().averageCharWidth()
    window.splitter.setSizes([600, 100, 100])
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(header.count())))
    assert state_in_view()


def test_ask_streams_cites_and_opens_the_page(qtbot, make_window, paper_library):
    reply = "Dense retrieval beats BM25 by a wide margin [1]."
    with FakeOllama(reply=reply) as server:
        server.token_delay = 0.02
        window = make_window(server.host)
        connected(qtbot, window)
        streamed: list[str] = []
        window.chat.transcript.textChanged.connect(
            lambda: streamed.append(window.chat.transcript.toPlainText()))
        answer = ask(qtbot, window, "How much better is dense passage retrieval than BM25?")
    assert answer.text == reply and answer.citations
    # The answer appeared a piece at a time before it was complete.
    partial = [t for t in streamed if "Dense retrieval" in t and "wide margin" not in t]
    assert partial, "the answer did not stream"
    assert "Dense retrieval beats BM25" in window.chat.transcript.toPlainText()
    assert "cite:0:1" in window.chat.transcript.toMarkdown()
    passages = window.passages.table
    assert passages.rowCount() == len(answer.hits) > 0
    assert passages.item(0, 2).text() == answer.hits[0].document
    assert passages.item(0, 4).text() == f"{answer.hits[0].dense_score:.3f}"
    # The "In prompt" column gives each passage's number in the prompt: what [n] cites.
    in_prompt = [h for h in answer.hits if h.in_prompt]
    assert passages.item(0, 1).text() == f"[{len(in_prompt)}]"  # the best is read last
    assert answer.citations[0].hit.prompt_number == 1
    assert "system" in window.prompt.messages.toPlainText()
    assert answer.citations[0].hit.chunk_id in window.prompt.messages.toPlainText() or \
        answer.citations[0].hit.text[:40] in window.prompt.messages.toPlainText()

    window.chat.transcript.anchorClicked.emit(QUrl("cite:0:1"))
    cited = answer.citations[0].hit
    qtbot.waitUntil(lambda: window.viewer.current_path is not None, timeout=10_000)
    assert window.inspector.currentWidget() is window.viewer
    assert Path(window.viewer.current_path).name == cited.document
    assert window.viewer.current_page() == cited.pages[0]


def test_the_chat_marks_what_the_check_finds(qtbot, make_window, paper_library):
    reply = "The loaf bakes for forty minutes. It was invented on Mars in 1850 [1]."
    with FakeOllama(reply=reply) as server:
        window = make_window(server.host)
        connected(qtbot, window)
        answer = ask(qtbot, window, "How long is the loaf baked?")
        assert [s.issue for s in answer.grounding.sentences][-1] == "unsupported"
        markdown = window.chat.transcript.toMarkdown()
        assert "check:0:1" in markdown and "check:0:0" not in markdown  # only the flagged one
        assert "1 sentence(s) not found in the passages cited" in \
            window.chat.transcript.toPlainText().replace("⚠ ", "")
        window.chat.transcript.anchorClicked.emit(QUrl("check:0:1"))
        assert window.chat.notice.isVisible()
        assert "Not found in the passages" in window.chat.notice.text()
        assert "1850" in window.chat.notice.text() and "Mars" in window.chat.notice.text()
        server.reply = "The documents do not say."
        refusal = ask(qtbot, window, "Who invented the loaf?")
        assert refusal.not_in_documents and refusal.model_check is None
        last = window.chat.transcript.toPlainText().split("Who invented the loaf?")[1]
        assert "not in your documents: the model found no answer" in last
        assert "check:1:" not in window.chat.transcript.toMarkdown()
        # The model's own check says no: the answer is shown, marked not in the documents.
        combo = window.generation.model_check_combo
        combo.setCurrentIndex(combo.findData("on"))  # automatic leaves this 1.2B model alone
        server.reply, server.check_reply = "The loaf bakes for forty minutes [1].", "No."
        seen: list[str] = []
        window.chat.transcript.textChanged.connect(
            lambda: seen.append(window.chat.transcript.toPlainText()))
        checked = ask(qtbot, window, "How long does the loaf rest?")
    assert checked.not_in_documents and checked.model_check.verdict == "no"
    assert any("checking the answer with the model" in t for t in seen)
    last = window.chat.transcript.toPlainText().split("How long does the loaf rest?")[1]
    assert "forty minutes" in last
    number = checked.model_check.passages[0]  # [1], or where the repair pointed it
    assert f"asked again, the model says that [{number}] does not answer this question" in last


def test_a_refusal_is_replaced_by_the_second_look_s_answer(qtbot, make_window, paper_library):
    replies = iter(["The documents do not say.", "The loaf bakes for forty minutes [1]."])
    with FakeOllama() as server:
        server.reply_for = lambda body: next(replies)
        # A model of 1.5B parameters: the automatic setting checks its answers.
        server.models[DEFAULT_MODEL] = model_entry(DEFAULT_MODEL, parameter_size="1.5B")
        window = make_window(server.host)
        connected(qtbot, window)
        assert window.generation.settings().model_check is None
        combo = window.generation.model_check_combo
        assert combo.itemText(combo.findData("auto")) == "Automatic: on for this model (1.5B)"
        seen: list[str] = []
        window.chat.transcript.textChanged.connect(
            lambda: seen.append(window.chat.transcript.toPlainText()))
        answer = ask(qtbot, window, "How long is the loaf baked?")
    number = answer.second_look.passage
    assert any(f"its check says that [{number}] holds one: asking again" in t for t in seen)
    last = window.chat.transcript.toPlainText().split("How long is the loaf baked?")[1]
    assert "forty minutes" in last and "do not say" not in last
    assert f"answered on a second look at [{number}] alone" in last
    assert not answer.not_in_documents
    # The Prompt tab shows the prompt the shown answer came from: one passage.
    assert answer.messages[-1]["content"].count("Passage ") == 1


def test_an_answer_the_model_does_not_give_again_is_marked_unsteady(qtbot, make_window,
                                                                    paper_library):
    def by_seed(body):  # type: ignore[no-untyped-def]
        seed = body["options"].get("seed")
        return {1: "For an hour [1].", 2: "At 200 degrees [1]."}.get(
            seed, "The loaf bakes for forty minutes [1].")

    with FakeOllama() as server:
        server.reply_for = by_seed
        window = make_window(server.host)
        connected(qtbot, window)
        window.generation.seed_check.setChecked(True)
        window.generation.seed_spin.setValue(0)
        window.generation.draws_spin.setValue(3)
        seen: list[str] = []
        window.chat.transcript.textChanged.connect(
            lambda: seen.append(window.chat.transcript.toPlainText()))
        answer = ask(qtbot, window, "How long is the loaf baked?")
        seeds = [b["options"]["seed"] for p, b in server.requests if p == "/api/chat"]
    assert seeds == [0, 1, 2, 3]
    assert any("asking the question again 3 times to test the answer" in t for t in seen)
    assert answer.unsteady and answer.draws.others == 2
    last = window.chat.transcript.toPlainText().split("How long is the loaf baked?")[1]
    assert "forty minutes" in last
    assert "unsteady: asked again 3 times, the model gave another answer 2 time(s)" in last
    # "Asked again" shows what the model said each time.
    assert f"(draws:{len(window.chat.turns) - 1})" in window.chat.transcript.toMarkdown()
    window.chat._link_clicked(QUrl(f"draws:{len(window.chat.turns) - 1}"))
    notice = window.chat.notice.text()
    assert notice.startswith("Asked again, the model said:")
    assert "✗ For an hour [1]." in notice and "✓ The loaf bakes for forty minutes [1]." in notice
    from desktop_rag.core.answer.ask_settings import load_ask_settings

    assert load_ask_settings(paper_library.folder).draws == 3  # kept for this library


def test_answer_check_lines_from_a_saved_record(qtbot):
    from desktop_rag.qt import answer_check

    record = {"grounding": {"sentences": [
        {"text": "A [2].", "start": 0, "end": 6, "issue": "", "missing": []},
        {"text": "B [1].", "start": 7, "end": 13, "issue": "wrong citation", "best_passage": 3,
         "missing": []}]},
        "citation_repairs": [{"sentence": "A [1].", "written": [1], "now": [2]}]}
    assert answer_check.mark_sentences("A [2]. B [1].", record, 4) == "A [2]. B [1]. [⚠](check:4:1)"
    assert answer_check.reason(record, 1) == \
        "The passage it cites does not contain it; passage [3] does."
    assert answer_check.reason(record, 0) == "" and answer_check.reason(record, 7) == ""
    parts = answer_check.summary(record)
    assert parts == ["⚠ 1 sentence(s) not found in the passages cited (click ⚠)",
                     "citation [1] corrected to [2]"]
    record["grounding"]["sentences"].pop()
    assert answer_check.summary(record)[0] == "✓ every sentence found in the passages"
    record["grounding"]["sentences"][0]["issue"] = "restated"
    assert answer_check.reason(record, 0) == \
        "It only repeats the question: the answer itself is missing."
    record["grounding"]["sentences"][0]["issue"] = "no number"
    assert "asks for a number or a date" in answer_check.reason(record, 0)
    # Found in the passages: the line does not say otherwise, nor that all is well.
    assert answer_check.summary(record) == [
        "⚠ found in the passages, but may not answer this question (click ⚠)",
        "citation [1] corrected to [2]"]
    assert answer_check.mark_sentences("A [2].", record, 4) == "A [2]. [⚠](check:4:0)"
    record["grounding"]["sentences"].append(
        {"text": "C [2].", "start": 7, "end": 13, "issue": "no number", "missing": []})
    assert answer_check.mark_sentences("A [2]. C [2].", record, 4) == \
        "A [2]. C [2]. [⚠](check:4:1)"  # the whole answer's issue, marked once
    record["draws"] = {"texts": ["A.", "B.", "A."], "agreeing": 2, "others": 1, "error": None}
    assert "✓ given again 2 of 3 times" in answer_check.summary(record)
    record["draws"]["others"], record["unsteady"] = 2, True
    assert "⚠ unsteady: asked again 3 times, the model gave another answer 2 time(s); it may " \
        "be a guess" in answer_check.summary(record)


def test_sliders_change_the_options_the_server_receives(qtbot, make_window, paper_library):
    with FakeOllama(reply="Bake it forty minutes [1].") as server:
        window = make_window(server.host)
        connected(qtbot, window)
        window.generation.temperature_slider.setValue(30)  # 1.5
        window.generation.top_p_slider.setValue(50)  # 0.5
        ask(qtbot, window, "How long does the sourdough loaf bake?")
        options = server.last("/api/chat")["options"]
        assert options["temperature"] == pytest.approx(1.5)
        assert options["top_p"] == pytest.approx(0.5)
        assert options["num_ctx"] >= 512
        window.generation.temperature_slider.setValue(4)  # 0.2
        ask(qtbot, window, "How long does the sourdough loaf bake?")
        assert server.last("/api/chat")["options"]["temperature"] == pytest.approx(0.2)
    # Persisted for this library: a new window starts with them.
    from desktop_rag.core.answer.ask_settings import load_ask_settings

    saved = load_ask_settings(paper_library.folder)
    assert saved.generation.temperature == pytest.approx(0.2)
    assert saved.generation.top_p == pytest.approx(0.5)


def test_escape_stops_a_streaming_answer(qtbot, make_window, paper_library):
    with FakeOllama(reply=" ".join(["word"] * 400) + " [1].") as server:
        server.token_delay = 0.05
        window = make_window(server.host)
        connected(qtbot, window)
        window.chat.input.setPlainText("How long does the sourdough loaf bake?")
        with qtbot.waitSignal(window.answer_finished, timeout=WAIT) as blocker:
            qtbot.keyClick(window.chat.input, Qt.Key.Key_Return,
                           Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: "word word" in window.chat.turns[-1].answer, timeout=WAIT)
            qtbot.keyClick(window.chat.input, Qt.Key.Key_Escape)
        answer = blocker.args[0]
        assert answer.incomplete
        assert 0 < server.tokens_sent < 400
    assert "incomplete" in window.chat.transcript.toPlainText()
    assert window.chat.send_button.isEnabled()
    # The partial answer is kept in the saved conversation (saved by the job after its answer).
    qtbot.waitUntil(lambda: window.ask_job is None, timeout=WAIT)
    saved = window.workspace.conversations.load(window.conversation.id)
    assert saved.turns[-1].incomplete and saved.turns[-1].answer.startswith("word")


def test_without_ollama_the_rest_keeps_working(qtbot, make_window, paper_library):
    server = FakeOllama(reply="unused")
    with server:
        window = make_window(server.host)
        connected(qtbot, window)
    # The server is gone now.
    window.check_ollama()
    qtbot.waitUntil(lambda: window.ollama.connected is False, timeout=20_000)
    assert "not running" in window.ollama.label.text()
    assert window.ollama.retry_button.isVisible()
    window.chat.input.setPlainText("How long does the sourdough loaf bake?")
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.ask_job is not None, window.chat.notice.text()
    qtbot.waitUntil(lambda: window.ask_job is None and bool(window.chat.turns)
                    and bool(window.chat.turns[-1].error), timeout=WAIT)
    assert "Ollama is not running" in window.chat.transcript.toPlainText()
    assert "ollama serve" in window.chat.turns[-1].error
    # Browsing chunks still works.
    window.library_panel.select_document("bread-notes.txt")
    qtbot.waitUntil(lambda: window.chunks.table.rowCount() > 0, timeout=WAIT)
    assert "Sourdough" in window.chunks.rows[0].text


def test_chunks_search_preview_and_rechunk(qtbot, make_window, paper_library):
    window = make_window()
    assert window.library_panel.select_document("multi-column-2p.pdf")
    qtbot.waitUntil(lambda: window.chunks.doc is not None and bool(window.chunks.rows),
                    timeout=WAIT)
    stored = len(window.chunks.rows)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.inspector.currentWidget() is window.chunks
    window.chunks.search.setText("BM25")
    visible = [r for r in range(stored) if not window.chunks.table.isRowHidden(r)]
    assert 0 < len(visible) < stored
    assert all("bm25" in window.chunks.rows[r].text.lower() for r in visible)
    window.chunks.search.clear()

    window.chunks.strategy.setCurrentIndex(window.chunks.strategy.findData("tokens"))
    window.chunks.max_tokens.setValue(64)
    window.chunks.overlap.setValue(16)
    window.chunks.preview_button.click()
    qtbot.waitUntil(lambda: window.chunks.previewing, timeout=WAIT)
    previewed = len(window.chunks.rows)
    assert previewed > stored
    assert all(c.token_count <= 64 for c in window.chunks.rows)
    assert window.library_panel.model.docs  # nothing changed yet
    doc = next(d for d in window.documents if d.name == "multi-column-2p.pdf")
    assert doc.chunks == stored

    window.chunks.apply_button.click()
    qtbot.waitUntil(lambda: any(d.name == "multi-column-2p.pdf" and d.chunks == previewed
                                for d in window.documents), timeout=WAIT)
    qtbot.waitUntil(lambda: not window.chunks.previewing and len(window.chunks.rows) == previewed,
                    timeout=WAIT)


def test_layout_and_library_are_restored(qtbot, make_window):
    from desktop_rag.core.store.libraries import create_library

    create_library("course notes")
    window = make_window(library="course notes")
    window.resize(1111, 777)
    window.splitter.setSizes([200, 600, 300])
    sizes = window.splitter.sizes()
    window.close()
    again = make_window()
    assert again.workspace.library.name == "course notes"
    # Offscreen, restoreGeometry() adds a nominal frame: near the saved size, far from the
    # first start's.
    assert abs(again.width() - 1111) < 40 and abs(again.height() - 777) < 40
    assert all(abs(a - b) < 50 for a, b in zip(again.splitter.sizes(), sizes, strict=True))


def test_export_writes_questions_answers_and_sources(qtbot, make_window, paper_library,
                                                     tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    with FakeOllama(reply="Forty minutes at 240 degrees [1].") as server:
        window = make_window(server.host)
        connected(qtbot, window)
        window.generation.logprobs_check.setChecked(True)
        answer = ask(qtbot, window, "How long does the sourdough loaf bake?")
        assert server.last("/api/chat")["logprobs"] is True
    # Tokens tab: one shaded token per token of the answer, with its alternatives on hover.
    assert len(window.tokens._tokens) == len(answer.logprobs) > 0
    assert "%" in window.tokens.tooltip_at(0)
    # A text document's citation opens its text, scrolled to the passage and highlighted.
    assert answer.citations[0].hit.document == "bread-notes.txt"
    window.chat.transcript.anchorClicked.emit(QUrl("cite:0:1"))
    qtbot.waitUntil(lambda: window.viewer.mode == "text", timeout=10_000)
    assert window.viewer.highlight_found
    selection = window.viewer.text_view.extraSelections()[0]
    cursor = selection.cursor
    assert "Bake the loaf" in cursor.selectedText()
    target = tmp_path / "export.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.chat.export_button.click()
    text = target.read_text(encoding="utf-8")
    assert "## 1. How long does the sourdough loaf bake?" in text
    assert "Forty minutes at 240 degrees [1]." in text
    assert "- [1] bread-notes.txt" in text
    assert f'"model": "{DEFAULT_MODEL}"' in text


@pytest.mark.real_llm
def test_real_model_answers_in_the_window(qtbot, make_window, paper_library, real_model):
    client, model = real_model
    window = make_window(client.host)
    qtbot.waitUntil(lambda: window.ollama.connected is True, timeout=60_000)
    window.generation.set_models([model], model)
    window.generation.max_tokens_spin.setValue(48)
    answer = ask(qtbot, window, "How long does the sourdough loaf bake, and at what temperature?")
    assert answer.text.strip() and not answer.error
    assert answer.tokens_per_second
    assert window.passages.table.rowCount() > 0


def test_pull_a_model_from_the_settings_and_use_it(qtbot, make_window):
    with FakeOllama() as server:
        server.models.clear()
        server.token_delay = 0.05
        window = make_window(server.host)
        qtbot.waitUntil(lambda: window.ollama.connected is True, timeout=20_000)
        assert "no model yet" in window.ollama.label.text()
        window.generation.model_name_dialog = lambda parent: "qwen2.5:0.5b"
        fractions: list[float] = []
        original = window.generation.set_pull_progress
        window.generation.set_pull_progress = lambda text, fraction: (
            fractions.append(fraction), original(text, fraction))
        window.generation.pull_button.click()
        qtbot.waitUntil(lambda: window.generation.settings().model == "qwen2.5:0.5b"
                        and window.models == ["qwen2.5:0.5b"], timeout=20_000)
        assert 0.5 in fractions and 1.0 in fractions
        assert server.last("/api/pull")["model"] == "qwen2.5:0.5b"
        assert "qwen2.5:0.5b" in window.ollama.label.text()

        server.pull_error = "pull model manifest: file does not exist"
        window.generation.model_name_dialog = lambda parent: "no-such-model"
        window.generation.pull_button.click()
        qtbot.waitUntil(lambda: "does not exist" in window.generation.pull_status.text(),
                        timeout=20_000)
        assert window.generation.settings().model == "qwen2.5:0.5b"


def test_an_import_that_cannot_start_says_why_and_the_window_goes_on(qtbot, corpus):
    from desktop_rag.core.settings import LibrarySettings
    from desktop_rag.core.store.libraries import create_library
    from desktop_rag.qt.main_window import MainWindow

    create_library("broken", LibrarySettings(embedding_model="/no/such/model/folder"))
    window = MainWindow(library="broken", host="http://127.0.0.1:9")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.documents_loaded, timeout=WAIT):
        window.show()
    drop(window, [corpus / "pdf/multi-column-2p.pdf"])
    qtbot.waitUntil(lambda: window.import_job is None, timeout=WAIT)
    message = window.library_panel.summary_label.text()
    assert "The import stopped" in message and "/no/such/model/folder" in message
    assert not window.library_panel.progress_box.isVisible()
    assert window.chat.send_button.isEnabled()
