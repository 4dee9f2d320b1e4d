"""Where a cited passage comes from: its PDF page with the passage highlighted, or the document's
text with the passage marked.

PDFs are shown by QtPdf in a `PdfPageView` (qt/pdf_page_view.py), which places pages itself.
The passage is found with QPdfSearchModel, from the pieces of the page's text that
`passage_search_strings` (qt/pdf_passage.py) finds for it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtPdf import QPdfDocument, QPdfLink, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.qt.pdf_page_view import PdfPageView
from desktop_rag.qt.pdf_passage import SOFT_HYPHENS, passage_search_strings

__all__ = ["SOFT_HYPHENS", "SourceViewer", "passage_search_strings"]  # tests import these here

Opener = Callable[[Path], object]  # returns False when nothing could open the file

_MAX_SEARCHES = 6  # each one costs PDFium a pass over the page
_SLICE_MS = 25  # longest the GUI thread searches earlier pages before letting events through
_ZOOM_STEP = 1.25
_MARK_BACKGROUND = QColor("#ffe58f")
_MARK_TEXT = QColor("#000000")  # dark on the yellow mark, readable in a dark theme too


def open_with_desktop(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass
class _FrameJob:
    page: int  # 0-based page of the passage
    searched: int = 0  # earlier pages searched so far
    rows_before: int = 0  # their results: the model row of the passage's first result


class SourceViewer(QWidget):
    """Shows a passage in its document: `show_pdf` for PDFs, `show_text` for everything else.

    `opener` opens a file in the user's default application (QDesktopServices by default); tests
    give their own. Problems (missing file, damaged or protected PDF) are shown as a message."""

    def __init__(self, parent: QWidget | None = None, opener: Opener | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = opener or open_with_desktop
        self.current_path: Path | None = None
        self.highlight_found = False
        self.mode = "empty"  # "pdf", "text", "error" or "empty"
        self._document: QPdfDocument | None = None
        self._loaded: tuple[Path, float] | None = None  # file and mtime of self._document
        self._text = ""
        self._mark: tuple[int, int] | None = None  # the passage in text_view, Qt positions
        self._frame_job: _FrameJob | None = None
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(0)
        self._frame_timer.timeout.connect(self._search_earlier_pages)

        self.pdf_view = PdfPageView()
        self.pdf_view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.search = QPdfSearchModel(self)
        self.pdf_view.setSearchModel(self.search)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.message_label = QLabel()  # replaces the document when it cannot be shown
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget()
        for widget in (self.message_label, self.pdf_view, self.text_view):
            self.stack.addWidget(widget)

        self.name_label = QLabel()
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()  # a remark beside what is shown, e.g. passage not found
        self.note_label.setWordWrap(True)
        self.page_label = QLabel()
        self.previous_button = _button("◀", self.tr("Previous page"), lambda: self._step(-1))
        self.next_button = _button("▶", self.tr("Next page"), lambda: self._step(1))
        self.fit_button = _button(self.tr("Fit width"), self.tr("Fit the page to the width"),
                                  lambda: self._zoom(self.pdf_view.fit_width))
        self.fit_button.setCheckable(True)
        self.zoom_out_button = _button("−", self.tr("Zoom out"), lambda: self._zoom(
            lambda: self.pdf_view.zoom_by(1 / _ZOOM_STEP)))
        self.zoom_in_button = _button("+", self.tr("Zoom in"), lambda: self._zoom(
            lambda: self.pdf_view.zoom_by(_ZOOM_STEP)))
        self.open_button = _button(self.tr("Open in default app"),
                                   self.tr("Open the file in the application your system uses "
                                           "for it"), self.open_externally)
        self.pdf_tools = QWidget()
        tools = QHBoxLayout(self.pdf_tools)
        tools.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.page_label, self.next_button,
                       self.fit_button, self.zoom_out_button, self.zoom_in_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.pdf_tools, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addLayout(row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.stack, 1)
        self.clear()

    def show_pdf(self, path: Path, page: int, passage: str) -> None:
        """Open the PDF at `page` (1-based, as chunk pages are) and highlight the passage."""
        self._start(path)
        document = self._load(path)
        if document is None:
            return
        count = document.pageCount()
        index = min(max(page, 1), count) - 1
        notes = []
        if index != page - 1:
            notes.append(self.tr("Page {page} is not in this {count}-page document; showing "
                                 "page {shown}.").format(page=page, count=count, shown=index + 1))
        self.mode = "pdf"
        self.stack.setCurrentWidget(self.pdf_view)
        self.pdf_tools.setVisible(True)
        self.fit_button.setChecked(self.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth)
        result = self._highlight(index, passage) if passage.strip() else None
        self.highlight_found = result is not None
        if result is not None:
            self.pdf_view.place(index, min(r.top() for r in result.rectangles()))
            self._frame_job = _FrameJob(index)
            self._frame_timer.start()
        else:
            self.pdf_view.go_to_page(index)
            if passage.strip():
                notes.append(self.tr("The passage was not found on page {page}: the page may be "
                                     "a scanned image, or the file changed since it was "
                                     "imported.").format(page=index + 1))
        self._show_page_number()
        self._set_note(" ".join(notes))

    def show_text(self, path: Path, text: str, start: int, end: int) -> None:
        """Show a document's text (as the core extracted it) with [start, end) marked."""
        self._start(path)
        self.mode = "text"
        self.stack.setCurrentWidget(self.text_view)
        if text != self._text or self.text_view.document().isEmpty():
            self._text = text
            self.text_view.setPlainText(text)
        start = min(max(start, 0), len(text))
        end = min(max(end, start), len(text))
        first, last = _qt_offset(text, start), _qt_offset(text, end)
        mark = QTextEdit.ExtraSelection()
        mark.cursor = self.text_view.textCursor()
        mark.cursor.setPosition(first)
        mark.cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        mark.format = QTextCharFormat()
        mark.format.setBackground(_MARK_BACKGROUND)
        mark.format.setForeground(_MARK_TEXT)
        self.text_view.setExtraSelections([mark])
        self.highlight_found = end > start
        if not path.is_file():
            self._set_note(self.tr("The original file is no longer at {path}; this is the text "
                                   "kept in the library.").format(path=path))
        self._mark = (first, last)
        self._reveal_mark()
        # Again once the layout has settled: the note or the first show can shrink the view.
        QTimer.singleShot(0, self._reveal_mark)

    def _reveal_mark(self) -> None:
        """The passage's start in the middle of the view, moved up when that hides its end,
        and to the top when the passage is taller than the view."""
        if self.mode != "text" or self._mark is None:
            return
        first, last = self._mark
        view = self.text_view
        for position, reveal in ((first, view.centerCursor), (last, view.ensureCursorVisible),
                                 (first, view.ensureCursorVisible)):
            cursor = view.textCursor()
            cursor.setPosition(position)
            view.setTextCursor(cursor)
            reveal()

    def clear(self) -> None:
        self._start(None)
        self._show_message(self.tr("Click a citation [n] in an answer to see its passage here."),
                           mode="empty")

    def current_page(self) -> int | None:
        """The 1-based page the PDF view shows, None when no PDF is shown."""
        return self.pdf_view.current_page() + 1 if self.mode == "pdf" else None

    def open_externally(self) -> None:
        path = self.current_path
        if path is None:
            return
        if not path.is_file():
            self._set_note(self.tr("{path} does not exist any more.").format(path=path))
        elif self.opener(path) is False:
            self._set_note(self.tr("No application could open {name}. Is one installed for "
                                   "this kind of file?").format(name=path.name))

    def _start(self, path: Path | None) -> None:
        self._frame_timer.stop()
        self._frame_job = None
        self.pdf_view.setCurrentSearchResultIndex(-1)
        self.current_path = path
        self.highlight_found = False
        self._mark = None
        self._set_note("")
        self.name_label.setText(f"<b>{html.escape(path.name)}</b>" if path else "")
        self.name_label.setToolTip(str(path) if path else "")
        self.open_button.setEnabled(path is not None and path.is_file())
        self.pdf_tools.setVisible(False)

    def _load(self, path: Path) -> QPdfDocument | None:
        if path.is_dir():
            self._show_message(self.tr("{path} is a folder, not a PDF.").format(path=path))
            return None
        try:
            stamp = (path, path.stat().st_mtime)
        except OSError:
            self._show_message(self.tr("{path} was not found. It may have been moved, renamed "
                                       "or deleted; import it again from where it is now.")
                               .format(path=path))
            return None
        if self._document is not None and self._loaded == stamp:
            return self._document
        document = QPdfDocument(self)
        error = document.load(str(path))
        if error != QPdfDocument.Error.None_ or document.status() != QPdfDocument.Status.Ready:
            document.deleteLater()
            self._show_message(self._load_problem(error, path))
            return None
        if document.pageCount() == 0:
            document.deleteLater()
            self._show_message(self.tr("{name} has no pages.").format(name=path.name))
            return None
        # Replaced rather than reloaded: the search model sizes its page list on setDocument.
        self.search.setSearchString("")
        self.pdf_view.setDocument(document)
        self.search.setDocument(document)
        if self._document is not None:
            self._document.deleteLater()
        self._document, self._loaded = document, stamp
        return document

    def _load_problem(self, error: QPdfDocument.Error, path: Path) -> str:
        if error == QPdfDocument.Error.FileNotFound:
            return self.tr("{path} was not found.").format(path=path)
        if error == QPdfDocument.Error.IncorrectPassword:
            reason = self.tr("{name} is protected by a password.")
        elif error == QPdfDocument.Error.UnsupportedSecurityScheme:
            reason = self.tr("{name} is encrypted in a way this viewer cannot open.")
        elif error == QPdfDocument.Error.InvalidFileFormat:
            reason = self.tr("{name} is damaged or is not a PDF.")
        else:
            reason = self.tr("{name} could not be opened.")
        return reason.format(name=path.name) + " " + self.tr(
            "'Open in default app' may still show it.")

    def _show_message(self, text: str, mode: str = "error") -> None:
        self.mode = mode
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)
        self.pdf_tools.setVisible(False)

    def _set_note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def _highlight(self, page: int, passage: str) -> QPdfLink | None:
        assert self._document is not None
        text = self._document.getAllText(page).text()
        for attempt, query in enumerate(passage_search_strings(passage, text)):
            if attempt == _MAX_SEARCHES:
                break
            self.search.setSearchString(query)
            results = self.search.resultsOnPage(page)
            if results:
                return results[0]
        self.search.setSearchString("")
        return None

    def _search_earlier_pages(self) -> None:
        """QPdfView frames its current result by model row, which counts the results on every
        earlier page. Searching all of them at once would freeze a long document for a second,
        so it happens a slice at a time; the passage is already tinted meanwhile."""
        job = self._frame_job
        if job is None:
            self._frame_timer.stop()
            return
        clock = QElapsedTimer()
        clock.start()
        while job.searched < job.page and clock.elapsed() < _SLICE_MS:
            job.rows_before += len(self.search.resultsOnPage(job.searched))
            job.searched += 1
        if job.searched == job.page:
            self._frame_timer.stop()
            self._frame_job = None
            self.pdf_view.setCurrentSearchResultIndex(job.rows_before)

    def _show_page_number(self) -> None:
        if self._document is None or self.mode != "pdf":
            return
        page, count = self.pdf_view.current_page() + 1, self._document.pageCount()
        self.page_label.setText(self.tr("page {page} of {count}").format(page=page, count=count))
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(page < count)

    def _step(self, pages: int) -> None:
        self.pdf_view.go_to_page(self.pdf_view.current_page() + pages)

    def _zoom(self, change: Callable[[], None]) -> None:
        change()
        self.fit_button.setChecked(self.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth)


def _button(text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _qt_offset(text: str, index: int) -> int:
    """Where character `index` of `text` lands in a QPlainTextEdit, which counts UTF-16 units
    and reads a '\\r\\n' line break as one character."""
    prefix = text[:index]
    return len(prefix.encode("utf-16-le")) // 2 - prefix.count("\r\n")
