"""One document's summary tree (RAPTOR), browsable: root, levels, chunks.

Shown in the Chunks tab beside the chunk list. Each node shows its pages, size and number of
children; selecting one shows its whole text, and a summary's prompt goes to the Prompt tab.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.qt.i18n import arg
from desktop_rag.qt.inspector import page_label, page_range

NODE_ROLE = Qt.ItemDataRole.UserRole


class SummaryTreeView(QWidget):
    build_requested = Signal(object)  # the document
    remove_requested = Signal(object)  # the document
    prompt_requested = Signal()  # edit the summary prompt
    summary_selected = Signal(object)  # a SummaryNode: its prompt, for the Prompt tab

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Any = None
        self.tree_data: Any = None
        self.busy = False  # a build runs
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([self.tr("Node"), self.tr("Pages"), self.tr("Tokens"),
                                   self.tr("Children"), self.tr("Text")])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.text = QPlainTextEdit(readOnly=True)
        self.build_button = QPushButton(self.tr("Build summary tree"))
        self.build_button.setToolTip(self.tr(
            "Summarise this document's chunks with the chat model, then the summaries, up to "
            "one summary of the whole document. Long: 3 to 4 minutes per 10 pages with a 0.5B "
            "model on two cores."))
        self.build_button.clicked.connect(lambda: self.build_requested.emit(self.doc))
        self.remove_button = QPushButton(self.tr("Remove tree"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.doc))
        self.prompt_button = QPushButton(self.tr("Summary prompt…"))
        self.prompt_button.setToolTip(self.tr("Read and change the prompt that writes the "
                                              "summaries"))
        self.prompt_button.clicked.connect(self.prompt_requested)
        buttons = QHBoxLayout()
        for button in (self.build_button, self.remove_button, self.prompt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.text)
        split.setSizes([320, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.show_tree(None, None, [])

    def show_tree(self, doc: Any, tree: Any, chunks: list[Any]) -> None:
        """`tree`: the document's DocumentTree (None or empty: it has none yet). The node
        selected stays selected when the same document's tree is shown again."""
        current = self.tree.currentItem()
        keep = (current.data(0, NODE_ROLE) or (None, None))[1] if current is not None else None
        keep_id = keep.chunk_id if keep is not None and self.doc is not None and doc is not None \
            and self.doc.doc_id == doc.doc_id else None
        self.doc, self.tree_data = doc, tree
        self.tree.clear()
        self.text.clear()
        self.set_busy(self.busy)
        if doc is None:
            self.header.setText(self.tr("Select a document to see its summary tree."))
            return
        if not tree or not tree.nodes:
            self.header.setText(arg(self.tr(
                "%1 has no summary tree yet. Build one to let questions about the whole "
                "document or a whole part of it find a summary instead of scattered chunks."),
                doc.name))
            return
        by_id = {c.chunk_id: c for c in chunks}
        state = self.tr("complete") if tree.complete else self.tr(
            "incomplete: build again to finish it")
        self.header.setText(arg(self.tr("%1: %n level(s), ", "", tree.levels), doc.name) + arg(
            self.tr("%1 summaries over %2 chunks (%3)"), len(tree.nodes), len(chunks), state))
        tops = sorted((n for n in tree.nodes.values() if n.level == tree.levels),
                      key=lambda n: n.position)
        for node in tops:
            self.tree.addTopLevelItem(self._item(node.chunk_id, tree.nodes, by_id))
        for index in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(index).setExpanded(True)
        if not (keep_id and self.select(keep_id)) and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def _item(self, chunk_id: str, nodes: dict[str, Any], chunks: dict[str, Any]
              ) -> QTreeWidgetItem:
        node = nodes.get(chunk_id)
        if node is not None:
            name = self.tr("Document summary") if node.is_root else arg(
                self.tr("Summary, level %1"), node.level)
            item = QTreeWidgetItem([name, page_range(node.pages), str(node.eval_tokens),
                                    str(len(node.children)), " ".join(node.text.split())[:200]])
            item.setData(0, NODE_ROLE, ("summary", node))
            for child in node.children:
                item.addChild(self._item(child, nodes, chunks))
            return item
        chunk = chunks.get(chunk_id)
        if chunk is None:  # a child the document no longer has (cannot happen: defensive)
            return QTreeWidgetItem([self.tr("(missing chunk)"), "", "", "", ""])
        item = QTreeWidgetItem([arg(self.tr("Chunk %1"), chunk.ordinal), page_range(chunk.pages),
                                str(chunk.token_count), "", " ".join(chunk.text.split())[:200]])
        item.setData(0, NODE_ROLE, ("chunk", chunk))
        return item

    def select(self, chunk_id: str) -> bool:
        """Show the node of this summary or chunk; False when the tree has none."""
        found = self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
        for item in found:
            kind, value = item.data(0, NODE_ROLE) or (None, None)
            if value is not None and value.chunk_id == chunk_id:
                self.tree.setCurrentItem(item)
                item.setExpanded(True)
                self.tree.scrollToItem(item)
                return True
        return False

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.build_button.setEnabled(not busy and self.doc is not None)
        self.remove_button.setEnabled(not busy and bool(self.tree_data and self.tree_data.nodes))

    def _show(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        kind, value = item.data(0, NODE_ROLE) or (None, None)
        if value is None:
            return
        if kind == "summary":
            head = arg(self.tr("%1 · %2 · %3 children · written by %4 in %5 s"),
                       item.text(0), page_label(value.pages), len(value.children), value.model,
                       f"{value.seconds:.0f}")
            self.summary_selected.emit(value)
        else:
            head = f"{item.text(0)} · {page_label(value.pages)} · {value.section}"
        self.text.setPlainText(f"{head}\n\n{value.text}")
