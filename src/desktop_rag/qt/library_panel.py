"""The documents of the current library, the empty "drop here" state, and import progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core import events as E
from desktop_rag.qt.i18n import arg
from desktop_rag.qt.reasons import translate_reason

_Index = QModelIndex | QPersistentModelIndex
# Translated where shown (LibraryPanel.tr).
STAGES = {"hash": QT_TRANSLATE_NOOP("LibraryPanel", "checking"),
          "parse": QT_TRANSLATE_NOOP("LibraryPanel", "reading"),
          "chunk": QT_TRANSLATE_NOOP("LibraryPanel", "cutting into chunks"),
          "embed": QT_TRANSLATE_NOOP("LibraryPanel", "embedding"),
          "store": QT_TRANSLATE_NOOP("LibraryPanel", "saving")}


class DocumentsModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("DocumentsModel", "Name"),
               QT_TRANSLATE_NOOP("DocumentsModel", "Type"),
               QT_TRANSLATE_NOOP("DocumentsModel", "Pages"),
               QT_TRANSLATE_NOOP("DocumentsModel", "Chunks"),
               QT_TRANSLATE_NOOP("DocumentsModel", "State"))

    def __init__(self) -> None:
        super().__init__()
        self.docs: list[Any] = []

    def set_documents(self, docs: list[Any]) -> None:
        self.beginResetModel()
        self.docs = sorted(docs, key=lambda d: d.name.lower())
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.docs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.docs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.name, doc.file_type, doc.pages if doc.pages else "",
                    doc.chunks if doc.state == "imported" else "", state_label(doc))[column]
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return (doc.name.lower(), doc.file_type, doc.pages or 0, doc.chunks,
                    doc.state)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            # The full name (the list elides it) and the type (a narrow panel hides its column).
            return f"{doc.name} ({doc.file_type})\n{details(doc)}" if doc.file_type \
                else f"{doc.name}\n{details(doc)}"
        if role == Qt.ItemDataRole.ForegroundRole and doc.state == "failed":
            from PySide6.QtGui import QColor

            return QColor("#b3261e")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def state_label(doc: Any) -> str:
    if doc.state == "imported":
        return QCoreApplication.translate("DocumentsModel", "imported")
    if doc.state == "duplicate":
        return QCoreApplication.translate("DocumentsModel", "skipped: duplicate")
    return QCoreApplication.translate("DocumentsModel", "failed")


def details(doc: Any) -> str:
    translate = QCoreApplication.translate
    lines = [doc.path]
    if doc.state == "failed":
        lines.append(arg(translate("DocumentsModel", "Failed: %1"), translate_reason(doc.error)))
    elif doc.state == "duplicate":
        lines.append(arg(translate("DocumentsModel", "Skipped: same content as %1"),
                         doc.duplicate_of))
    else:
        lines.append(translate("DocumentsModel", "%n chunks", "", doc.chunks) + (
            translate("DocumentsModel", ", %n pages", "", doc.pages) if doc.pages else ""))
    if doc.warnings:
        lines.append(doc.warnings)
    return "\n".join(lines)


MIN_NAME_CHARS = 14  # of a document's name, elided beyond (keeping its extension)


def elide_name(name: str, metrics: QFontMetrics, width: int) -> str:
    """'example-with-scr….html': cut at the end, keeping the extension. Elided in the middle,
    names that share their start and end looked alike ('examp….html' twice)."""
    if metrics.horizontalAdvance(name) <= width:
        return name
    stem, dot, extension = name.rpartition(".")
    suffix = dot + extension
    room = width - metrics.horizontalAdvance(suffix)
    if not stem or not dot or len(extension) > 8 or room < metrics.horizontalAdvance("M…"):
        return metrics.elidedText(name, Qt.TextElideMode.ElideRight, width)
    return metrics.elidedText(stem, Qt.TextElideMode.ElideRight, room) + suffix


class NameDelegate(QStyledItemDelegate):
    """Draws the name column with elide_name (Qt's own modes cut the extension or the middle)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        if option.text:
            widget = option.widget
            style = widget.style() if widget is not None else QApplication.style()
            # The item's text rectangle: the cell less the style's text margin on each side.
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
            option.text = elide_name(option.text, option.fontMetrics,
                                     option.rect.width() - 2 * margin - 1)


class LibraryPanel(QWidget):
    document_selected = Signal(object)  # DocumentRecord
    remove_requested = Signal(list)
    reindex_requested = Signal(list)
    summaries_requested = Signal(list)  # build their summary trees (RAPTOR)
    remove_summaries_requested = Signal(list)
    cancel_import_requested = Signal()
    add_files_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.filter = QLineEdit(placeholderText=self.tr("Filter documents"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setItemDelegateForColumn(0, NameDelegate(self.table))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.viewport().installEventFilter(self)

        self.empty = QLabel()
        self.empty.setObjectName("dropHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("#dropHint { border: 2px dashed palette(mid); border-radius: 8px;"
                                 " color: palette(dark); padding: 16px; }")
        self.add_button = QPushButton(self.tr("Add files..."))
        self.add_button.clicked.connect(self.add_files_requested)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addWidget(self.empty, 1)
        empty_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty_page)
        self.stack.addWidget(self.table)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.progress_box = QWidget()
        box = QVBoxLayout(self.progress_box)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        box.addLayout(row)
        box.addWidget(self.progress_label)
        self.progress_box.hide()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.summary_label)
        self._total = 0
        self._index = 0
        self.set_loading(True)

    # -- documents -----------------------------------------------------------------------

    def set_loading(self, loading: bool) -> None:
        if loading and not self.model.docs:
            self.empty.setText(self.tr("Opening the library..."))
            self.stack.setCurrentIndex(0)
            self.add_button.hide()

    def set_documents(self, docs: list[Any]) -> None:
        selected = self.selected_documents()
        self.model.set_documents(docs)
        self.empty.setText(self.tr(
            "Drop documents here\n\nPDF, Word, PowerPoint, spreadsheets, web pages, e-mails, "
            "e-books, text... or whole folders.\nThey stay on this computer."))
        self.add_button.show()
        self.stack.setCurrentIndex(1 if docs else 0)
        self._keep_columns_in_view()
        if selected:
            self.select_document(selected[0].doc_id or selected[0].path)

    def _keep_columns_in_view(self) -> None:
        """In a narrow panel type, then pages, then chunks give way, so the state (the column
        that says a file failed) stays in sight with some of the name. Before, Qt's stretched
        name column kept its width and pushed the state behind a scroll bar."""
        header = self.table.horizontalHeader()
        needed = {c: max(header.sectionSizeHint(c), self.table.sizeHintForColumn(c))
                  for c in range(1, header.count())}
        room = (self.table.viewport().width()
                - self.fontMetrics().averageCharWidth() * MIN_NAME_CHARS)
        hidden: set[int] = set()
        for column in (1, 2, 3):
            if sum(w for c, w in needed.items() if c not in hidden) <= room:
                break
            hidden.add(column)
        for column in (1, 2, 3):
            if self.table.isColumnHidden(column) != (column in hidden):
                self.table.setColumnHidden(column, column in hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._keep_columns_in_view()
        return super().eventFilter(watched, event)

    def select_document(self, key: str) -> bool:
        for row, doc in enumerate(self.model.docs):
            if key in (doc.doc_id, doc.path, doc.name):
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def selected_documents(self) -> list[Any]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.docs[r] for r in sorted(rows) if r < len(self.model.docs)]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.document_selected.emit(self.model.docs[self.proxy.mapToSource(current).row()])

    def _double_clicked(self, index: QModelIndex) -> None:
        doc = self.model.docs[self.proxy.mapToSource(index).row()]
        if doc.state != "imported":
            self.show_details(doc)

    def show_details(self, doc: Any) -> None:
        QMessageBox.information(self, doc.name, details(doc))

    def _context_menu(self, position) -> None:  # type: ignore[no-untyped-def]
        docs = self.selected_documents()
        if not docs:
            return
        imported = [d for d in docs if d.state == "imported"]
        menu = QMenu(self)
        for text, slot, enabled in (
                (self.tr("Details..."), lambda: self.show_details(docs[0]), True),
                (self.tr("Re-index"), lambda: self.reindex_requested.emit(imported), imported),
                (self.tr("Build summary tree"), lambda: self.summaries_requested.emit(imported),
                 imported),
                (self.tr("Remove summary tree"),
                 lambda: self.remove_summaries_requested.emit(imported), imported),
                (self.tr("Remove from library"), lambda: self.remove_requested.emit(docs), True)):
            menu.addAction(text, slot).setEnabled(bool(enabled))
        menu.exec(self.table.viewport().mapToGlobal(position))

    # -- import progress -----------------------------------------------------------------

    def import_event(self, event: Any) -> None:
        if isinstance(event, E.ImportStarted):
            self._total, self._index = max(event.total_files, 1), 0
            self.progress.setValue(0)
            self.cancel_button.setEnabled(True)
            self.summary_label.hide()
            self.progress_box.show()
            self.progress_label.setText(self.tr("Looking at %n file(s)...", "", event.total_files))
        elif isinstance(event, E.FileStarted):
            self._index = event.index
            self._show(event.path.name, self.tr(STAGES["parse"]), 0.0)
        elif isinstance(event, E.StageChanged):
            self._show(event.path.name, self.tr(STAGES.get(event.stage, event.stage)), 0.0)
        elif isinstance(event, E.OcrProgress):
            self._show(event.path.name, arg(self.tr("reading page %1 of %2 (OCR)"), event.page,
                                            event.pages), (event.page - 1) / max(event.pages, 1))
        elif isinstance(event, E.EmbedProgress):
            fraction = event.done / event.total if event.total else 0.0
            self._show(event.path.name,
                       self.tr("embedding %1/%2 chunks").replace("%1", str(event.done))
                       .replace("%2", str(event.total)), fraction)
        elif isinstance(event, E.FileImported | E.FileSkipped | E.FileFailed):
            self.progress.setValue(int(1000 * (self._index + 1) / self._total))
        elif isinstance(event, E.ImportFinished):
            self.progress_box.hide()
            self.summary_label.setStyleSheet("")
            self.summary_label.setText(summary_text(event.summary))
            self.summary_label.show()

    def import_failed(self, message: str) -> None:
        self.progress_box.hide()
        self.summary_label.setText(message)
        self.summary_label.setStyleSheet("color: #b3261e;")
        self.summary_label.show()

    def _show(self, name: str, stage: str, fraction: float) -> None:
        self.progress.setValue(int(1000 * (self._index + fraction) / self._total))
        self.progress_label.setText(f"{self._index + 1}/{self._total} · {name} · {stage}")

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Cancelling after the current step... "
                                            "files already imported are kept."))
        self.cancel_import_requested.emit()


def summary_text(summary: E.ImportSummary) -> str:
    translate = QCoreApplication.translate
    parts = [arg(translate("LibraryPanel", "%n imported (%1)", "", len(summary.imported)),
                 translate("LibraryPanel", "%n chunks", "", summary.chunks))]
    if summary.skipped:
        parts.append(translate("LibraryPanel", "%n skipped", "", len(summary.skipped)))
    if summary.failed:
        parts.append(translate("LibraryPanel", "%n failed", "", len(summary.failed)))
    text = arg(translate("LibraryPanel", "%1 in %2 s"), ", ".join(parts),
               f"{summary.seconds:.1f}")
    if summary.cancelled:
        text = arg(translate("LibraryPanel", "Cancelled: %1"), text)
    failed = "".join(f"\n• {f.path.name}: {translate_reason(f.reason)}"
                     for f in summary.failed[:5])
    more = "\n" + translate("LibraryPanel", "… and %n more", "", len(summary.failed) - 5) \
        if len(summary.failed) > 5 else ""
    return text + failed + more
