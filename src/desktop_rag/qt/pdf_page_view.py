"""A multi-page PDF view that keeps its place when resized or zoomed, and jumps to a point of
a page. The source viewer (qt/source_viewer.py) shows cited PDF pages in it.
"""

from __future__ import annotations

import bisect

from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

_CURRENT_PAGE_LINE = 0.4  # QPdfView's current page is the one under this fraction of the height
_ZOOM_MIN, _ZOOM_MAX = 0.25, 6.0


class PdfPageView(QPdfView):
    """A multi-page QPdfView that keeps its place.

    QPdfView ignores the location of a jump and keeps its scroll offset in pixels when resized
    or zoomed, which shows another page. This view remembers the point of the document on the
    line that decides the current page (its anchor) and puts it back after each change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._anchor: tuple[int, float] | None = None  # page and points down it
        self._placing = False  # scroll offsets seen meanwhile belong to no layout of ours
        self._layout_key: tuple[object, ...] = ()
        self._page_layout: tuple[list[int], list[float]] = ([], [])
        self.verticalScrollBar().valueChanged.connect(self._remember_anchor)

    def setDocument(self, document: QPdfDocument) -> None:
        self._anchor = None
        super().setDocument(document)

    def current_page(self) -> int:
        """0-based, as QPdfView decides it: the page under the line 40% down the view."""
        return self.pageNavigator().currentPage()

    def place(self, page: int, y_points: float) -> None:
        """Put the point `y_points` down `page` on the line that decides the current page, so
        the page number shown is the page of that point."""
        tops, scales = self._layout()
        if not 0 <= page < len(tops):
            return
        self._anchor = (page, y_points)
        self._placing = True
        try:
            self.verticalScrollBar().setValue(
                tops[page] + round(y_points * scales[page]) - self._line())
        finally:
            self._placing = False

    def go_to_page(self, page: int) -> None:
        """Show `page` from its top (or, when it is shorter than the line, centred on it)."""
        tops, scales = self._layout()
        document = self.document()
        if tops and document is not None and 0 <= page < len(tops):
            height = document.pagePointSize(page).height()
            self.place(page, min(self._line() / scales[page], height / 2))

    def zoom_by(self, step: float) -> None:
        factor = self.zoomFactor()
        if self.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            tops, scales = self._layout()
            if not tops:
                return
            # Zooming from "fit width" starts from the size the page is shown at.
            factor = scales[self.current_page()] / _pixels_per_point()
        self._zoom(QPdfView.ZoomMode.Custom, min(max(factor * step, _ZOOM_MIN), _ZOOM_MAX))

    def fit_width(self) -> None:
        self._zoom(QPdfView.ZoomMode.FitToWidth, self.zoomFactor())

    def _zoom(self, mode: QPdfView.ZoomMode, factor: float) -> None:
        self._placing = True
        try:
            self.setZoomMode(mode)
            self.setZoomFactor(factor)
        finally:
            self._placing = False
        self._restore_anchor()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._placing = True
        try:
            super().resizeEvent(event)
        finally:
            self._placing = False
        self._restore_anchor()

    def _restore_anchor(self) -> None:
        if self._anchor is not None:
            self.place(*self._anchor)

    def _remember_anchor(self, value: int) -> None:
        tops, scales = self._layout()
        if self._placing or not tops:
            return
        y = value + self._line()
        page = max(bisect.bisect_right(tops, y) - 1, 0)
        self._anchor = (page, (y - tops[page]) / scales[page])

    def _line(self) -> int:
        return int(self.viewport().height() * _CURRENT_PAGE_LINE)

    def _layout(self) -> tuple[list[int], list[float]]:
        """Top of each page (pixels) and its scale (pixels per point), computed as QPdfView
        lays pages out, which it does not expose."""
        document = self.document()
        if document is None or document.status() != QPdfDocument.Status.Ready:
            return [], []
        margins = self.documentMargins()
        width = self.viewport().width() - margins.left() - margins.right()
        fit = self.zoomMode() == QPdfView.ZoomMode.FitToWidth
        key = (document, document.pageCount(), width, fit, self.zoomFactor(),
               _pixels_per_point(), self.pageSpacing(), margins.top())
        if key != self._layout_key:
            tops: list[int] = []
            scales: list[float] = []
            y = margins.top()
            for page in range(document.pageCount()):
                size = document.pagePointSize(page)
                if fit:  # the page at 100%, rounded to pixels, then scaled to the width
                    natural = _round(size.width() * _pixels_per_point())
                    height = _round(_round(size.height() * _pixels_per_point())
                                    * width / max(natural, 1))
                else:
                    height = _round(size.height() * _pixels_per_point() * self.zoomFactor())
                tops.append(y)
                scales.append(height / size.height() if size.height() else 1.0)
                y += height + self.pageSpacing()
            self._layout_key, self._page_layout = key, (tops, scales)
        return self._page_layout


def _pixels_per_point() -> float:
    """The scale QPdfView shows a page at 100% with: the primary screen's logical DPI."""
    return QGuiApplication.primaryScreen().logicalDotsPerInch() / 72


def _round(value: float) -> int:
    """Qt's qRound, half away from zero (Python's round goes to even)."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)

