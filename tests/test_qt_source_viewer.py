"""The source viewer, on real PDFs of the shared corpus: the cited page is opened, the passage is
found and framed where the user can see it, and every problem becomes a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from desktop_rag.qt.source_viewer import SOFT_HYPHENS, SourceViewer, passage_search_strings

# QPdfView draws the frame of its current search result in this colour (qpdfview.cpp).
FRAME = QColor(0, 255, 255)


@pytest.fixture
def opened() -> list[Path]:
    return []


@pytest.fixture
def viewer(qtbot, opened):  # type: ignore[no-untyped-def]
    widget = SourceViewer(opener=lambda path: opened.append(path))
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()  # laid out and painted, as in the window
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture(scope="session")
def ai_act(corpus: Path) -> Path:
    return corpus / "eu_ai_act_official.pdf"


def page_text(path: Path, page: int) -> str:
    """PDFium's text of a 1-based page, as QtPdf gives it."""
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document.getAllText(page - 1).text()


def as_imported(raw: str) -> str:
    """A passage as the core stores it: soft-hyphenated words joined, whitespace collapsed."""
    for mark in SOFT_HYPHENS:
        raw = raw.replace(mark, "")
    return " ".join(raw.split())


def lines_at(text: str, fraction: float, count: int = 4) -> str:
    """`count` lines starting `fraction` of the way down the page."""
    lines = text.split("\r\n")
    start = min(int(len(lines) * fraction), len(lines) - count)
    return "\r\n".join(lines[start : start + count])


def shown_page(viewer: SourceViewer) -> int | None:
    """The page under QPdfView's current-page line, worked out afresh: QPdfView only does so
    when it scrolls, so nudge it."""
    bar = viewer.pdf_view.verticalScrollBar()
    bar.setValue(bar.value() + 1)
    bar.setValue(bar.value() - 1)
    return viewer.current_page()


def frame_pixels(viewer: SourceViewer) -> int:
    image = viewer.pdf_view.viewport().grab().toImage()
    return sum(1 for y in range(0, image.height(), 2) for x in range(image.width())
               if image.pixelColor(x, y) == FRAME)


def wait_for_frame(qtbot, viewer: SourceViewer) -> int:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: viewer.pdf_view.currentSearchResultIndex() >= 0, timeout=10000)
    return viewer.pdf_view.currentSearchResultIndex()


def test_opens_the_cited_page_and_frames_the_passage_in_view(qtbot, viewer, ai_act):
    passage = as_imported(lines_at(page_text(ai_act, 40), 0.85))

    viewer.show_pdf(ai_act, 40, passage)

    assert viewer.mode == "pdf"
    assert viewer.current_path == ai_act
    assert viewer.current_page() == 40
    assert viewer.page_label.text() == "page 40 of 144"
    assert viewer.highlight_found
    assert not viewer.note_label.isVisible()
    # The whole passage is the search, not just a few words of it.
    assert as_imported(viewer.search.searchString()).lower() == passage.lower()
    row = wait_for_frame(qtbot, viewer)
    assert viewer.search.resultAtIndex(row).page() == 39  # the first match on that page
    qtbot.waitUntil(lambda: frame_pixels(viewer) > 100)


def test_the_passage_stays_in_view_when_the_viewer_is_resized(qtbot, viewer, ai_act):
    viewer.show_pdf(ai_act, 97, as_imported(lines_at(page_text(ai_act, 97), 0.5)))
    wait_for_frame(qtbot, viewer)

    viewer.resize(480, 900)
    qtbot.wait(50)

    assert shown_page(viewer) == 97
    qtbot.waitUntil(lambda: frame_pixels(viewer) > 50)


def test_a_passage_opened_before_the_viewer_is_shown(qtbot, ai_act):
    viewer = SourceViewer(opener=lambda path: None)
    qtbot.addWidget(viewer)
    viewer.show_pdf(ai_act, 63, as_imported(lines_at(page_text(ai_act, 63), 0.7)))

    viewer.resize(640, 720)
    viewer.show()
    qtbot.waitExposed(viewer)

    assert shown_page(viewer) == 63
    qtbot.waitUntil(lambda: frame_pixels(viewer) > 50, timeout=10000)


def test_passage_with_other_line_breaks_and_a_hyphenated_word(viewer, corpus):
    pdf = corpus / "pdf" / "multi-column-2p.pdf"
    raw = page_text(pdf, 1)
    at = raw.index("ef\ufffeficient")
    passage = as_imported(raw[at - 120 : at + 80]).replace(" ", "\n", 3)
    assert "efficient" in passage

    viewer.show_pdf(pdf, 1, passage)

    assert viewer.highlight_found
    assert "ef\ufffeficient" in viewer.search.searchString()


def test_search_strings_are_cut_from_the_page_text():
    page = "The first line ends with a hy\ufffe\r\nphen and then \r\ngoes on to the end of it."
    passage = "Unrelated words first. A hyphen and then goes on"
    assert next(passage_search_strings(passage, page)) == "a hy\ufffephen and then goes on"
    assert list(passage_search_strings("nothing of this is on the page", page)) == []
    # Only the last words match: too few to tell the passage from chance.
    assert list(passage_search_strings("nothing of this is found to the end of it", page)) == []
    assert next(passage_search_strings("the end", page)) == "the end"  # a short passage


def test_passage_not_on_the_page_still_opens_the_page(viewer, ai_act):
    viewer.show_pdf(ai_act, 12, "a sentence that the regulation never contains anywhere at all")

    assert viewer.current_page() == 12
    assert not viewer.highlight_found
    assert viewer.note_label.isVisible()
    assert "not found on page 12" in viewer.note_label.text()


def test_a_page_past_the_end_shows_the_last_one(viewer, ai_act):
    viewer.show_pdf(ai_act, 500, "")

    assert viewer.current_page() == 144
    assert "Page 500 is not in this 144-page document" in viewer.note_label.text()


def test_page_buttons_and_zoom(qtbot, viewer, ai_act):
    viewer.show_pdf(ai_act, 20, "")

    viewer.next_button.click()
    assert viewer.current_page() == 21
    assert viewer.page_label.text() == "page 21 of 144"
    viewer.previous_button.click()
    viewer.previous_button.click()
    assert viewer.current_page() == 19

    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.fit_button.isChecked()
    viewer.zoom_in_button.click()
    assert shown_page(viewer) == 19  # zooming keeps the place
    bigger = viewer.pdf_view.zoomFactor()
    viewer.zoom_out_button.click()
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.pdf_view.zoomFactor() == pytest.approx(bigger / 1.25)
    assert not viewer.fit_button.isChecked()
    viewer.zoom_out_button.click()
    assert shown_page(viewer) == 19
    viewer.fit_button.click()
    assert viewer.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.fit_button.isChecked()
    assert shown_page(viewer) == 19

    viewer.show_pdf(ai_act, 1, "")
    assert not viewer.previous_button.isEnabled()
    viewer.show_pdf(ai_act, 144, "")
    assert not viewer.next_button.isEnabled()


def test_missing_file_is_a_message(viewer, tmp_path):
    missing = tmp_path / "gone.pdf"

    viewer.show_pdf(missing, 3, "anything")

    assert viewer.mode == "error"
    assert viewer.stack.currentWidget() is viewer.message_label
    assert str(missing) in viewer.message_label.text()
    assert "not found" in viewer.message_label.text()
    assert not viewer.open_button.isEnabled()
    assert viewer.current_page() is None


@pytest.mark.parametrize("make, words", [
    (lambda tmp, corpus: corpus / "pdf" / "password.pdf", "protected by a password"),
    (lambda tmp, corpus: _write(tmp / "broken.pdf", b"%PDF-1.7\n not really\n"), "damaged"),
])
def test_unreadable_pdfs_are_a_message(viewer, tmp_path, corpus, make, words):
    path = make(tmp_path, corpus)

    viewer.show_pdf(path, 1, "anything")

    assert viewer.mode == "error"
    assert words in viewer.message_label.text()
    assert "Open in default app" in viewer.message_label.text()


def test_a_folder_is_a_message(viewer, tmp_path):
    viewer.show_pdf(tmp_path, 1, "anything")

    assert viewer.mode == "error"
    assert "is a folder, not a PDF" in viewer.message_label.text()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_open_in_default_app_calls_the_opener(viewer, ai_act, opened):
    viewer.show_pdf(ai_act, 2, "")
    viewer.open_button.click()
    assert opened == [ai_act]


def test_open_in_default_app_says_when_nothing_opened(qtbot, tmp_path):
    viewer = SourceViewer(opener=lambda path: False)
    qtbot.addWidget(viewer)
    notes = tmp_path / "notes.txt"
    notes.write_text("some notes", encoding="utf-8")
    viewer.show_text(notes, "some notes", 0, 4)

    viewer.open_button.click()

    assert "No application could open notes.txt" in viewer.note_label.text()


def test_text_document_scrolls_to_the_marked_passage(viewer, tmp_path):
    # Astral characters count twice in Qt, "\r\n" once: offsets must be converted.
    lines = [f"Line {n}: some text 😀 to fill the document 📄." for n in range(2000)]
    text = "\r\n".join(lines)
    passage = "Line 1500: some text"
    start = text.index(passage)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")

    viewer.show_text(path, text, start, start + len(passage))

    assert viewer.mode == "text"
    assert not viewer.pdf_tools.isVisible()
    assert viewer.current_page() is None
    assert viewer.highlight_found
    edit = viewer.text_view
    [mark] = edit.extraSelections()
    assert mark.cursor.selectedText() == passage
    assert mark.format.background().color() != edit.palette().base().color()
    assert edit.textCursor().position() == mark.cursor.selectionStart()
    assert not edit.textCursor().hasSelection()
    assert passage_in_view(edit)
    assert edit.cursorRect().top() > edit.viewport().height() // 4  # with text above it


def passage_in_view(edit) -> bool:  # type: ignore[no-untyped-def]
    [mark] = edit.extraSelections()
    cursor = QTextCursor(edit.document())
    rects = []
    for position in (mark.cursor.selectionStart(), mark.cursor.selectionEnd()):
        cursor.setPosition(position)
        rects.append(edit.cursorRect(cursor))
    return all(edit.viewport().rect().contains(rect) for rect in rects)


def test_text_of_a_moved_file_is_still_shown(qtbot, viewer, tmp_path):
    path = tmp_path / "moved.txt"
    text = "\n".join(f"Paragraph {n}: bread needs flour, water and salt." for n in range(300))
    start = text.index("Paragraph 150")

    viewer.show_text(path, text, start, start + 120)

    assert viewer.mode == "text"
    assert viewer.text_view.toPlainText() == text
    assert "no longer at" in viewer.note_label.text()
    assert not viewer.open_button.isEnabled()
    qtbot.wait(10)  # the note took room from the text
    assert passage_in_view(viewer.text_view)


def test_switching_between_pdf_and_text(viewer, ai_act, tmp_path):
    viewer.show_text(tmp_path / "a.txt", "alpha beta", 6, 10)
    viewer.show_pdf(ai_act, 5, "")
    assert viewer.mode == "pdf"
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.pdf_tools.isVisible()
    assert viewer.name_label.text() == "<b>eu_ai_act_official.pdf</b>"
    viewer.show_text(tmp_path / "a.txt", "alpha beta", 0, 5)
    assert viewer.stack.currentWidget() is viewer.text_view
    assert viewer.text_view.extraSelections()[0].cursor.selectedText() == "alpha"
