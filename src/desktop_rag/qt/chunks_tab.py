"""The chunks of one document, searchable, and re-chunking it with a preview first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core.ingest.chunking import OCR_MARK
from desktop_rag.core.settings import ChunkingSettings
from desktop_rag.qt.i18n import arg
from desktop_rag.qt.inspector import page_range
from desktop_rag.qt.summary_tree_view import SummaryTreeView

# Translated where shown (ChunksTab.tr).
STRATEGY_LABELS = {"title": QT_TRANSLATE_NOOP("ChunksTab", "By title / section"),
                   "page": QT_TRANSLATE_NOOP("ChunksTab", "By page"),
                   "tokens": QT_TRANSLATE_NOOP("ChunksTab", "Fixed token windows"),
                   "separator": QT_TRANSLATE_NOOP("ChunksTab", "By separator")}


def describe(settings: ChunkingSettings) -> str:
    """ChunkingSettings.describe() in the interface's language."""
    translate = QCoreApplication.translate
    what = {
        "title": translate("ChunksTab", "by title/section"),
        "page": translate("ChunksTab", "by page"),
        "tokens": translate("ChunksTab", "fixed token windows"),
        "separator": translate("ChunksTab", "by paragraph") if settings.separator == "paragraph"
        else translate("ChunksTab", "by sentence"),
    }[settings.strategy]
    text = arg(translate("ChunksTab", "%1, up to %2 tokens"), what, settings.max_tokens)
    if settings.overlap_tokens:
        text += arg(translate("ChunksTab", ", overlap %1"), settings.overlap_tokens)
    return text


def _ocr_mark(chunk: Any) -> str:
    """" (OCR)" after the pages of a chunk whose text was read from an image of them."""
    return " (OCR)" if OCR_MARK in getattr(chunk, "element_types", ()) else ""


class ChunksTab(QWidget):
    preview_requested = Signal(object, object)  # document, ChunkingSettings
    apply_requested = Signal(object, object)  # document, ChunkingSettings or None (default)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Any = None
        self.library_default = ChunkingSettings()
        self.rows: list[Any] = []  # stored chunks, or preview chunks
        self.previewing = False

        self.header = QLabel(self.tr("Select a document in the library to see its chunks."))
        self.header.setWordWrap(True)
        self.search = QLineEdit(placeholderText=self.tr("Search in the chunks (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("Page"), self.tr("Section"), self.tr("Tokens"), self.tr("Text")])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.text = QPlainTextEdit(readOnly=True)

        self.strategy = QComboBox()
        for key, label in STRATEGY_LABELS.items():
            self.strategy.addItem(self.tr(label), key)
        self.max_tokens = QSpinBox(minimum=8, maximum=512, value=240, suffix=self.tr(" tokens"))
        self.overlap = QSpinBox(minimum=0, maximum=256, value=0, suffix=self.tr(" overlap"))
        self.separator = QComboBox()
        self.separator.addItem(self.tr("paragraphs"), "paragraph")
        self.separator.addItem(self.tr("sentences"), "sentence")
        self.strategy.currentIndexChanged.connect(self._strategy_changed)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(self._preview)
        self.apply_button = QPushButton(self.tr("Re-chunk"))
        self.apply_button.setToolTip(self.tr("Replace this document's chunks with the previewed "
                                             "ones (embeds them again)"))
        self.apply_button.clicked.connect(self._apply)
        self.default_button = QPushButton(self.tr("Library default"))
        self.default_button.setToolTip(self.tr("Put back the library's chunking settings"))
        self.default_button.clicked.connect(self._reset)
        self.status = QLabel()
        self.status.setWordWrap(True)

        # Two rows: on one, the French labels made the inspector 574 pixels wide at least,
        # which a 1366-pixel screen took from the documents panel.
        strategy_row = QHBoxLayout()
        strategy_row.addWidget(self.strategy)
        strategy_row.addWidget(self.separator)
        strategy_row.addStretch(1)
        size_row = QHBoxLayout()
        size_row.addWidget(self.max_tokens)
        size_row.addWidget(self.overlap)
        size_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.text)
        split.setSizes([320, 160])
        chunks_page = QWidget()
        page = QVBoxLayout(chunks_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.search)
        page.addWidget(split, 1)
        page.addLayout(strategy_row)
        page.addLayout(size_row)
        page.addLayout(buttons)
        # The document's summary tree (RAPTOR), the other view of the same document.
        self.tree_view = SummaryTreeView()
        self.views = QTabBar()
        self.views.addTab(self.tr("Chunks"))
        self.views.addTab(self.tr("Summary tree"))
        self.views.setDrawBase(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(chunks_page)
        self.stack.addWidget(self.tree_view)
        self.views.currentChanged.connect(self.stack.setCurrentIndex)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.views)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self._set_enabled(False)
        self._strategy_changed()

    # -- showing -------------------------------------------------------------------------

    def show_document(self, doc: Any, chunks: list[Any], library_default: ChunkingSettings) -> None:
        self.doc, self.previewing, self.library_default = doc, False, library_default
        settings = library_default
        if doc.chunking:
            try:
                settings = ChunkingSettings.from_json(doc.chunking)
            except (ValueError, TypeError):
                pass
        self._set_settings(settings)
        source = self.tr("its own settings") if doc.chunking_override else self.tr(
            "the library's settings")
        self.header.setText(arg(self.tr("%1: %n chunks, %2 (%3)", "", len(chunks)), doc.name,
                                describe(settings), source))
        self._fill(chunks)
        self._set_enabled(True)
        self.status.clear()

    def show_tree(self, doc: Any, tree: Any, chunks: list[Any]) -> None:
        self.tree_view.show_tree(doc, tree, chunks)

    def show_summary(self, chunk_id: str) -> None:
        """The summary tree view, at this node."""
        self.views.setCurrentIndex(1)
        self.tree_view.select(chunk_id)

    def show_preview(self, chunks: list[Any], settings: ChunkingSettings) -> None:
        self.previewing = True
        self.header.setText(arg(self.tr("Preview for %1: %n chunks, %2 — nothing is changed "
                                        "until you press Re-chunk", "", len(chunks)),
                                self.doc.name, describe(settings)))
        self._fill(chunks)
        self.preview_button.setEnabled(True)
        self.apply_button.setEnabled(True)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy and self.doc is not None)
        self.apply_button.setEnabled(not busy and self.doc is not None)
        self.default_button.setEnabled(not busy and self.doc is not None)

    def select_chunk(self, ordinal: int) -> None:
        for row, chunk in enumerate(self.rows):
            if chunk.ordinal == ordinal:
                self.table.setCurrentCell(row, 0)
                self.table.scrollToItem(self.table.item(row, 0))
                return

    def _fill(self, chunks: list[Any]) -> None:
        self.rows = list(chunks)
        self.table.setRowCount(len(self.rows))
        for row, chunk in enumerate(self.rows):
            values = [chunk.ordinal, page_range(chunk.pages) + _ocr_mark(chunk), chunk.section,
                      getattr(chunk, "token_count", ""), " ".join(chunk.text.split())[:200]]
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if column in (0, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.text.clear()
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        shown = 0
        for row, chunk in enumerate(self.rows):
            hidden = bool(needle) and needle not in chunk.text.lower() and \
                needle not in chunk.section.lower()
            self.table.setRowHidden(row, hidden)
            shown += not hidden
        if needle:
            self.status.setText(self.tr("%n chunk(s) contain it", "", shown))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            chunk = self.rows[row]
            head = (f"#{chunk.ordinal} · p. {page_range(chunk.pages)}{_ocr_mark(chunk)}"
                    f" · {chunk.section}")
            self.text.setPlainText(f"{head}\n\n{chunk.text}")

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> ChunkingSettings:
        return ChunkingSettings(strategy=self.strategy.currentData(),
                                max_tokens=self.max_tokens.value(),
                                overlap_tokens=self.overlap.value(),
                                separator=self.separator.currentData())

    def _set_settings(self, settings: ChunkingSettings) -> None:
        self.strategy.setCurrentIndex(self.strategy.findData(settings.strategy))
        self.max_tokens.setValue(settings.max_tokens)
        self.overlap.setValue(settings.overlap_tokens)
        self.separator.setCurrentIndex(self.separator.findData(settings.separator))

    def _strategy_changed(self) -> None:
        self.separator.setEnabled(self.strategy.currentData() == "separator")

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.strategy, self.max_tokens, self.overlap, self.separator,
                       self.preview_button, self.apply_button, self.default_button, self.search):
            widget.setEnabled(enabled)

    def _checked_settings(self) -> ChunkingSettings | None:
        try:
            return self.settings()
        except ValueError as exc:
            self.status.setText(str(exc))
            return None

    def _preview(self) -> None:
        settings = self._checked_settings()
        if settings is not None and self.doc is not None:
            self.status.setText(self.tr("Cutting a preview..."))
            self.preview_requested.emit(self.doc, settings)

    def _apply(self) -> None:
        settings = self._checked_settings()
        if settings is not None and self.doc is not None:
            own = None if settings == self.library_default else settings
            self.apply_requested.emit(self.doc, own)

    def _reset(self) -> None:
        self._set_settings(self.library_default)
        if self.doc is not None:
            self.apply_requested.emit(self.doc, None)
