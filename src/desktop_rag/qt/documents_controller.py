"""What is done to documents already in the library: show their chunks, preview and apply
another chunking, re-index and remove them.

Each runs on a worker; the chunks tab shows the result, and `documents_changed` asks for the
library's list to be read again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_rag.qt.chunks_tab import ChunksTab
from desktop_rag.qt.jobs import call_in_background, run_job

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace


class DocumentsController(QObject):
    documents_changed = Signal()

    def __init__(self, chunks: ChunksTab, window: QWidget) -> None:
        super().__init__(window)
        self.chunks, self.window = chunks, window
        self.workspace: Workspace | None = None
        self.working = 0  # previews and re-chunks running (library_watch.py waits for them)

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def show_document(self, doc: Any) -> None:
        if doc.state != "imported" or self.workspace is None:
            return
        workspace = self.workspace

        def shown(found: tuple[list[Any], Any]) -> None:
            chunks, tree = found
            self.chunks.show_document(doc, chunks, workspace.library.settings.chunking)
            self.chunks.show_tree(doc, tree, chunks)

        call_in_background(
            "chunks", lambda: (workspace.chunks(doc), workspace.summary_tree(doc)), shown,
            lambda exc: self.chunks.show_message(str(exc)), parent=self)

    def show_tree(self, doc: Any) -> None:
        """The document's summary tree again, read on a worker; its chunks, already shown,
        are not read again (a build refreshes the tree every few seconds)."""
        if self.workspace is None:
            return
        shown = self.chunks.doc
        if shown is None or shown.doc_id != doc.doc_id or self.chunks.previewing:
            self.show_document(doc)
            return
        workspace, chunks = self.workspace, list(self.chunks.rows)
        call_in_background("tree", lambda: workspace.summary_tree(doc),
                           lambda tree: self.chunks.show_tree(doc, tree, chunks),
                           lambda exc: self.chunks.show_message(str(exc)), parent=self)

    def remove(self, docs: list[Any]) -> None:
        if self.workspace is None or not docs:
            return
        names = "\n".join(d.name for d in docs[:10]) + ("\n…" if len(docs) > 10 else "")
        answer = QMessageBox.question(self.window, self.tr("Remove documents"), self.tr(
            "Remove these documents and their chunks from the library? The files themselves "
            "are not touched.\n\n%1").replace("%1", names))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace = self.workspace
        call_in_background("remove", lambda: [workspace.remove(d) for d in docs],
                           lambda _: self.documents_changed.emit(),
                           lambda exc: QMessageBox.warning(self.window, "desktop-rag", str(exc)),
                           parent=self)

    def reindex(self, docs: list[Any]) -> None:
        from desktop_rag.core.settings import ChunkingSettings

        for doc in docs:
            own = ChunkingSettings.from_json(doc.chunking_override) \
                if doc.chunking_override else None
            self.rechunk(doc, own)

    def preview(self, doc: Any, settings: Any) -> None:
        if self.workspace is None:
            return
        workspace = self.workspace
        self.chunks.set_busy(True)
        self.working += 1

        def shown(chunks: list[Any]) -> None:
            self.working -= 1
            self.chunks.show_preview(chunks, settings)

        def failed(exc: BaseException) -> None:
            self.working -= 1
            self.chunks.set_busy(False)
            self.chunks.show_message(str(exc))

        call_in_background("preview", lambda: workspace.preview(doc, settings), shown, failed,
                           parent=self)

    def rechunk(self, doc: Any, settings: Any) -> None:
        from desktop_rag.core.events import EmbedProgress

        if self.workspace is None:
            return
        workspace = self.workspace
        self.chunks.set_busy(True)
        self.working += 1

        def event(item: Any) -> None:
            if isinstance(item, EmbedProgress):
                self.chunks.show_message(self.tr("Re-chunking %1: embedding %2/%3").replace(
                    "%1", doc.name).replace("%2", str(item.done)).replace("%3", str(item.total)))
            else:  # the updated record
                self.chunks.show_message(self.tr("%1 now has %2 chunks.").replace(
                    "%1", item.name).replace("%2", str(item.chunks)))
                self.documents_changed.emit()
                self.show_document(item)

        def done() -> None:
            self.working -= 1
            self.chunks.set_busy(False)
            from desktop_rag.core.store.indexes import maintain_in_background

            maintain_in_background(workspace.library)

        run_job("rechunk", lambda cancel: workspace.reindex(doc, settings, cancel), event,
                lambda exc: self.chunks.show_message(str(exc)), done, parent=self)
