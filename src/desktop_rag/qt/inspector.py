"""The inspector tabs that show what happened between a question and its answer.

Passages: every retrieved passage with its scores and whether it went into the prompt.
Prompt: the exact messages and options sent, and where the context budget went.
Both read an answer's record (Answer.to_dict()), so saved conversations show the same.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.qt.i18n import arg


def _item(value: Any, sort_value: Any = None, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if value is None else str(value))
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _score(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def page_range(pages: Any) -> str:
    """'3' or '3-5': a table cell of pages."""
    pages = list(pages or [])
    if not pages:
        return ""
    return str(pages[0]) if min(pages) == max(pages) else f"{min(pages)}-{max(pages)}"


def page_label(pages: list[int] | tuple[int, ...]) -> str:
    if not pages:
        return ""
    first, last = min(pages), max(pages)
    if first == last:
        return arg(QCoreApplication.translate("PassagesTab", "p. %1"), first)
    return arg(QCoreApplication.translate("PassagesTab", "pp. %1-%2"), first, last)


def summary_label(hit: dict[str, Any]) -> str:
    """'Summary, level 2 · ' before the text of a summary (RAPTOR) passage."""
    if not hit.get("level"):
        return ""
    return arg(QCoreApplication.translate("PassagesTab", "[Summary, level %1] "), hit["level"])


class PassagesTab(QWidget):
    open_requested = Signal(dict)  # a hit of the record
    children_requested = Signal(dict)  # a summary hit: show the passages it summarises

    # Translated where shown (self.tr).
    COLUMNS = (QT_TRANSLATE_NOOP("PassagesTab", "#"),
               QT_TRANSLATE_NOOP("PassagesTab", "In prompt"),
               QT_TRANSLATE_NOOP("PassagesTab", "Document"),
               QT_TRANSLATE_NOOP("PassagesTab", "Page"),
               QT_TRANSLATE_NOOP("PassagesTab", "Cosine"),
               "BM25",  # the same in every language
               QT_TRANSLATE_NOOP("PassagesTab", "Fused"),
               QT_TRANSLATE_NOOP("PassagesTab", "Text"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[dict[str, Any]] = []
        self.header = QLabel(self.tr("Ask a question: the passages retrieved for the selected "
                                     "answer appear here, with their scores."))
        self.header.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_text(row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open(row))
        self.text = QPlainTextEdit(readOnly=True)
        self.open_button = QPushButton(self.tr("Open in its document"))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        self.open_button.setEnabled(False)
        self.children_button = QPushButton(self.tr("Show what it summarises"))
        self.children_button.setToolTip(self.tr("List the passages this summary was written "
                                                "from, below it"))
        self.children_button.clicked.connect(self._children)
        self.children_button.setEnabled(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.text)
        split.setSizes([300, 150])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.children_button)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)

    def show_hits(self, record: dict[str, Any], title: str = "") -> None:
        self.hits = list(record.get("hits", []))
        in_prompt = sum(1 for h in self.hits if h.get("in_prompt"))
        parts = [title] if title else []
        parts.append(self.tr("%n passage(s) retrieved", "", len(self.hits)))
        parts.append(self.tr("%n in the prompt", "", in_prompt))
        if record.get("fusion"):
            parts.append(record["fusion"])
        if record.get("retrieval_ms"):
            parts.append(f"{record['retrieval_ms']:.0f} ms")
        if record.get("nothing_relevant"):
            parts.append(self.tr("none reached the relevance threshold"))
        self.header.setText(" · ".join(parts))
        self.table.setSortingEnabled(False)
        self._fill()
        self.text.clear()
        self.open_button.setEnabled(False)
        self.children_button.setEnabled(False)
        if self.hits:
            self.table.setCurrentCell(0, 0)
            self._show_text(0)  # no change signal when row 0 was already current

    def show_children(self, parent_id: str, children: list[dict[str, Any]]) -> None:
        """Below the summary `parent_id`, the passages it was written from (once)."""
        row = next((i for i, h in enumerate(self.hits) if h.get("chunk_id") == parent_id
                    and not h.get("child_of")), None)
        if row is None or any(h.get("child_of") == parent_id for h in self.hits):
            return
        self.hits[row + 1:row + 1] = children
        self._fill()
        self.table.setCurrentCell(row, 0)
        self._show_text(row)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.hits))
        grey = QColor("#777777")
        for row, hit in enumerate(self.hits):
            used = bool(hit.get("in_prompt"))
            why = hit.get("dropped") or ""
            child = bool(hit.get("child_of"))
            cells = [
                _item("↳" if child else hit.get("rank"), align_right=True),
                _item("" if child else self._in_prompt(hit)),
                _item(hit.get("document")),
                _item(page_label(hit.get("pages") or []) + (" (OCR)" if hit.get("ocr") else "")),
                _item(_score(hit.get("dense_score")), align_right=True),
                _item(_score(hit.get("bm25_score"), 2), align_right=True),
                _item(_score(hit.get("fused_score")), align_right=True),
                _item(summary_label(hit) + " ".join(str(hit.get("text", "")).split())[:160]),
            ]
            for column, cell in enumerate(cells):
                if not used and not child:
                    cell.setForeground(grey)
                tip = [f"{hit.get('document')} {page_label(hit.get('pages') or [])}",
                       hit.get("section") or "",
                       self.tr("dense rank %1, BM25 rank %2").replace(
                           "%1", str(hit.get("dense_rank") or "–")).replace(
                           "%2", str(hit.get("bm25_rank") or "–")),
                       why]
                cell.setToolTip("\n".join(t for t in tip if t))
                self.table.setItem(row, column, cell)

    def _in_prompt(self, hit: dict[str, Any]) -> str:
        """What [n] cites it as; answers saved before passages had numbers say yes."""
        if not hit.get("in_prompt"):
            return self.tr("no")
        return f"[{hit['prompt_number']}]" if hit.get("prompt_number") else self.tr("yes")

    def select_chunk(self, chunk_id: str) -> None:
        for row, hit in enumerate(self.hits):
            if hit.get("chunk_id") == chunk_id:
                self.table.setCurrentCell(row, 0)
                self._show_text(row)
                return

    def _show_text(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            head = f"{hit.get('document')} {page_label(hit.get('pages') or [])}"
            if hit.get("section"):
                head += f" — {hit['section']}"
            self.text.setPlainText(f"{head}\n\n{hit.get('text', '')}")
            self.open_button.setEnabled(True)
            self.children_button.setEnabled(bool(hit.get("level") and hit.get("children")))

    def _children(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.hits) and self.hits[row].get("level"):
            self.children_requested.emit(self.hits[row])

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            self.open_requested.emit(self.hits[row])


class PromptTab(QWidget):
    # Translated where shown (self.tr).
    ROWS = (("system", QT_TRANSLATE_NOOP("PromptTab", "System prompt")),
            ("history", QT_TRANSLATE_NOOP("PromptTab", "Earlier exchanges")),
            ("passages", QT_TRANSLATE_NOOP("PromptTab", "Passages")),
            ("question", QT_TRANSLATE_NOOP("PromptTab", "Question")),
            ("answer", QT_TRANSLATE_NOOP("PromptTab", "Reserved for the answer")),
            ("room_left", QT_TRANSLATE_NOOP("PromptTab", "Room left")),
            ("num_ctx", QT_TRANSLATE_NOOP("PromptTab", "Context length (num_ctx)")))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel(self.tr("The exact messages sent to the model for the selected "
                                     "answer appear here."))
        self.header.setWordWrap(True)
        self.budget = QTableWidget(len(self.ROWS), 2)
        self.budget.setHorizontalHeaderLabels([self.tr("Part"), self.tr("Tokens (estimated)")])
        self.budget.verticalHeader().hide()
        row_height = self.fontMetrics().height() + 8
        self.budget.verticalHeader().setDefaultSectionSize(row_height)
        self.budget.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.budget.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.budget.setFixedHeight(row_height * (len(self.ROWS) + 1) + 6)
        for row, (_key, label) in enumerate(self.ROWS):
            self.budget.setItem(row, 0, _item(self.tr(label)))
            self.budget.setItem(row, 1, _item("", align_right=True))
        self.messages = QPlainTextEdit(readOnly=True)
        self.messages.setFont(QFont("monospace"))
        self.messages.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.budget)
        layout.addWidget(self.messages, 1)

    def show_prompt(self, record: dict[str, Any]) -> None:
        budget = record.get("budget") or {}
        for row, (key, _label) in enumerate(self.ROWS):
            value = budget.get(key)
            self.budget.item(row, 1).setText("" if value is None else str(value))
        if not record.get("messages"):
            self.header.setText(self.tr("Nothing was sent to the model for this answer: no "
                                        "passage was relevant enough."))
            self.messages.clear()
            return
        options = json.dumps(record.get("options") or {}, sort_keys=True)
        dropped = []
        if record.get("dropped_passages"):
            dropped.append(self.tr("%n passage(s) left out", "", record["dropped_passages"]))
        if record.get("dropped_turns"):
            dropped.append(self.tr("%n earlier exchange(s) left out", "", record["dropped_turns"]))
        self.header.setText(" · ".join(
            [f"{record.get('model', '')}", self.tr("options %1").replace("%1", options)]
            + dropped))
        self.messages.setPlainText(format_messages(record["messages"]))

    def show_summary_prompt(self, node: Any) -> None:
        """The messages that wrote a summary of a tree (RAPTOR)."""
        try:
            messages = json.loads(node.prompt or "[]")
        except ValueError:
            messages = []
        for row in range(len(self.ROWS)):
            self.budget.item(row, 1).setText("")
        self.header.setText(arg(self.tr("The prompt that wrote this summary (level %1) · %2 · "
                                        "%3 prompt tokens, %4 written"), node.level, node.model,
                                node.prompt_tokens, node.eval_tokens))
        self.messages.setPlainText(format_messages(messages))


def format_messages(messages: list[dict[str, str]]) -> str:
    return "\n\n".join(f"━━ {m.get('role', '?')} ━━\n{m.get('content', '')}" for m in messages)
