"""Summary trees (RAPTOR) in the real window: built from the Chunks tab with progress, browsed
as a tree, their prompt in the Prompt tab, found by a question with the passages they summarise,
cancelled and resumed, and a clear message without Ollama."""

from __future__ import annotations

from pathlib import Path

from ollama_server import FakeOllama
from PySide6.QtCore import Qt
from test_qt_window import (  # noqa: F401 - fixtures
    WAIT,
    ask,
    connected,
    make_window,
    paper_library,
)
from test_raptor import summary_reply

from desktop_rag.core.store.summary_prompt import SummarySettings, save_summary_settings

PAPER = "multi-column-2p.pdf"


def _small_prompts(library) -> None:  # type: ignore[no-untyped-def]
    # A few chunks per summary: the two-page paper gets several summaries and two levels.
    save_summary_settings(library.folder, SummarySettings(budget=480, summary_tokens=64))


def _open_tree(qtbot, window):  # type: ignore[no-untyped-def]
    assert window.library_panel.select_document(PAPER)
    qtbot.waitUntil(lambda: window.chunks.doc is not None and bool(window.chunks.rows),
                    timeout=WAIT)
    window.inspector.setCurrentWidget(window.chunks)
    window.chunks.views.setCurrentIndex(1)
    view = window.chunks.tree_view
    assert view.isVisible() and view.doc.name == PAPER
    return view


def _nodes(view) -> list:  # type: ignore[no-untyped-def]
    found = view.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
    return [item.data(0, Qt.ItemDataRole.UserRole) for item in found]


def test_build_browse_and_find_a_summary_tree(qtbot, make_window, paper_library):  # noqa: F811
    _small_prompts(paper_library)
    with FakeOllama() as server:
        server.reply_for = summary_reply
        server.token_delay = 0.01
        window = make_window(server.host)
        connected(qtbot, window)
        view = _open_tree(qtbot, window)
        assert "no summary tree yet" in view.header.text()
        chunk_rows = window.chunks.rows
        qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
        assert window.summary_ctl.running and window.summary_strip.isVisible()
        assert not view.build_button.isEnabled()
        qtbot.waitUntil(lambda: "cluster" in window.summary_strip.label.text(), timeout=WAIT)
        assert PAPER in window.summary_strip.label.text()
        qtbot.waitUntil(lambda: not window.summary_ctl.running, timeout=WAIT)
        assert not window.summary_strip.isVisible()
        qtbot.waitUntil(lambda: "summaries over" in view.header.text(), timeout=WAIT)
        assert "(complete)" in view.header.text()
        nodes = _nodes(view)
        summaries = [value for kind, value in nodes if kind == "summary"]
        chunks = [value for kind, value in nodes if kind == "chunk"]
        assert len(summaries) >= 3 and max(s.level for s in summaries) >= 2
        assert {c.chunk_id for c in chunks} == {c.chunk_id for c in window.chunks.rows}
        assert window.chunks.rows is chunk_rows  # the tree was read again, not the chunks
        top = view.tree.topLevelItem(0)
        assert top.text(0) == "Document summary" and top.childCount() >= 2
        # Shown again (as a build does every few seconds), the selected node stays selected.
        child = top.child(1).data(0, Qt.ItemDataRole.UserRole)[1]
        view.tree.setCurrentItem(top.child(1))
        header = view.header.text()
        view.header.clear()
        window.documents_ctl.show_tree(view.doc)
        qtbot.waitUntil(lambda: view.header.text() == header, timeout=WAIT)
        assert view.tree.currentItem().data(0, Qt.ItemDataRole.UserRole)[1].chunk_id == \
            child.chunk_id
        top = view.tree.topLevelItem(0)  # the view was filled again
        view.tree.setCurrentItem(top)
        assert "Panorama of" in view.text.toPlainText()
        assert "The prompt that wrote this summary" in window.prompt.header.text()
        assert "Summarise this text in English" in window.prompt.messages.toPlainText()

        # A question finds summaries; one opens the passages it summarises below it.
        window.generation.k_spin.setValue(12)
        assert window.generation.summaries_check.isChecked()
        answer = ask(qtbot, window, "Give me a panorama of the paper")
        assert any(h.is_summary for h in answer.hits)
        table = window.passages.table
        row = next(r for r in range(table.rowCount())
                   if table.item(r, 7).text().startswith("[Summary, level"))
        table.setCurrentCell(row, 0)
        button = window.passages.children_button
        assert button.isEnabled()
        rows_before = table.rowCount()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        hit = window.passages.hits[row]
        qtbot.waitUntil(lambda: table.rowCount() == rows_before + len(hit["children"]),
                        timeout=WAIT)
        assert table.item(row + 1, 0).text() == "↳"
        assert window.passages.hits[row + 1]["child_of"] == hit["chunk_id"]
        # Opening a summary shows its first chunk's page in its document.
        window.passages.open_button.click()
        qtbot.waitUntil(lambda: window.viewer.current_path is not None, timeout=WAIT)
        assert Path(window.viewer.current_path).name == PAPER
        assert window.viewer.current_page() == min(hit["pages"])

        # Off in the settings: the same question finds no summary.
        window.generation.summaries_check.setChecked(False)
        answer = ask(qtbot, window, "Give me a panorama of the paper")
        assert answer.hits and not any(h.is_summary for h in answer.hits)


def test_cancel_keeps_the_summaries_and_the_next_build_resumes(qtbot, make_window,  # noqa: F811
                                                               paper_library):  # noqa: F811
    _small_prompts(paper_library)
    with FakeOllama() as server:
        server.reply_for = summary_reply
        server.first_token_delay = 0.4  # each summary takes a moment
        window = make_window(server.host)
        connected(qtbot, window)
        view = _open_tree(qtbot, window)
        qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "cluster 3/" in window.summary_strip.label.text(), timeout=WAIT)
        qtbot.mouseClick(window.summary_strip.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.summary_ctl.running, timeout=WAIT)
        assert "what was written is kept" in window.statusBar().currentMessage()
        from desktop_rag.core.store.summaries import document_tree

        stored = document_tree(paper_library, view.doc).nodes
        assert len(stored) >= 2
        # The view grew while the tree was written; it shows what is kept once stopped.
        qtbot.waitUntil(lambda: f"{len(stored)} summaries" in view.header.text()
                        and "incomplete" in view.header.text(), timeout=WAIT)
        kept = [v.chunk_id for kind, v in _nodes(view) if kind == "summary"]
        assert set(kept) == set(stored)
        asked = sum(1 for path, _ in server.requests if path == "/api/chat")

        server.first_token_delay = 0.0
        qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.summary_ctl.running, timeout=WAIT)
        qtbot.waitUntil(lambda: "(complete)" in view.header.text(), timeout=WAIT)
        summaries = [v for kind, v in _nodes(view) if kind == "summary"]
        again = sum(1 for path, _ in server.requests if path == "/api/chat") - asked
        assert set(kept) <= {s.chunk_id for s in summaries}
        assert again == len({s.chunk_id for s in summaries}) - len(kept)
        # And the tree can be removed from the same view.
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.StandardButton.Yes
        import desktop_rag.qt.summary_controller as controller

        original = controller.QMessageBox.question
        controller.QMessageBox.question = lambda *a, **k: answer  # type: ignore[method-assign]
        try:
            qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: "no summary tree yet" in view.header.text(), timeout=WAIT)
        finally:
            controller.QMessageBox.question = original  # type: ignore[method-assign]


def test_without_ollama_the_build_says_so_and_changes_nothing(qtbot, make_window,  # noqa: F811
                                                             paper_library, monkeypatch):  # noqa: F811
    import desktop_rag.qt.summary_controller as controller
    from desktop_rag.core.store.summaries import trees_by_document

    warnings: list[str] = []
    monkeypatch.setattr(controller.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    window = make_window()  # no server at its host
    view = _open_tree(qtbot, window)
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.summary_ctl.running, timeout=WAIT)
    assert len(warnings) == 1 and "nothing was changed" in warnings[0]
    assert trees_by_document(paper_library) == {}
    assert "no summary tree yet" in view.header.text() and view.build_button.isEnabled()
