"""Which library the window works on, and the list of its documents.

Opening a library builds the Workspace every other controller works on and announces it with
`opened`; the document list is read on a worker, and read again whenever an import, a removal
or a re-chunk says it changed, or library_watch.py sees that another process changed it. The
list comes from the snapshot the last write kept when it is current, so it is shown without
waiting for LanceDB to load (seconds on a busy machine); LanceDB then loads in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QWidget

from desktop_rag.core.workspace import Workspace
from desktop_rag.qt.jobs import call_in_background
from desktop_rag.qt.library_panel import LibraryPanel


class LibraryController(QObject):
    opened = Signal(object)  # the Workspace of the library just opened
    documents_loaded = Signal()
    size_changed = Signal(str)  # "3 documents · 120 chunks"
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)

    def __init__(self, panel: LibraryPanel, choice: QComboBox, window: QWidget,
                 host: Callable[[], str | None], busy: Callable[[], bool],
                 embedder: Any = None) -> None:
        """host: the Ollama server new workspaces talk to; busy: whether an import or an
        answer runs, which a switch would orphan; embedder: one to share (tests)."""
        super().__init__(window)
        self.panel, self.choice, self.window = panel, choice, window
        self._host, self._busy, self._shared_embedder = host, busy, embedder
        self.workspace: Workspace | None = None
        self.documents: list[Any] = []
        self.version: int | None = None  # of the documents table, when `documents` was read
        self.listed = False  # whether `documents` is the open library's (not still loading)
        self.refreshing = False
        self._refresh_again = False

    def open(self, name: str | None) -> None:
        from desktop_rag.core.store.libraries import list_libraries, open_library, select_library

        if self._busy():
            QMessageBox.information(self.window, self.tr("Busy"), self.tr(
                "Wait for the import or the answer to finish (or stop it) before switching "
                "libraries."))
            return
        library = open_library(name)  # reads a JSON file; tables open later, on workers
        select_library(library.name)
        self.workspace = Workspace(library, self._host(), self._shared_embedder)
        self.documents, self.version, self.listed = [], None, False
        self.choice.clear()
        self.choice.addItems(list_libraries())
        self.choice.setCurrentText(library.name)
        self.panel.model.set_documents([])
        self.panel.set_loading(True)
        self.opened.emit(self.workspace)
        self.refresh()

    def choose(self, index: int) -> None:
        """The library picked at `index` of the toolbar's list."""
        name = self.choice.itemText(index)
        if self.workspace is None or name != self.workspace.library.name:
            self.open(name)

    def new_library(self) -> None:
        from desktop_rag.core.errors import DesktopRagError
        from desktop_rag.core.store.libraries import create_library

        name, ok = QInputDialog.getText(self.window, self.tr("New library"), self.tr(
            "Name of the new library (letters, digits, spaces, '.', '-', '_'):"))
        if not ok or not name.strip():
            return
        try:
            create_library(name.strip())
        except DesktopRagError as exc:
            QMessageBox.warning(self.window, self.tr("New library"), str(exc))
            return
        self.open(name.strip())

    def refresh(self) -> None:
        if self.workspace is None:
            return
        if self.refreshing:
            # The read in flight may predate the change that asked for this one.
            self._refresh_again = True
            return
        self.refreshing, self._refresh_again = True, False
        workspace = self.workspace

        def loaded(result: tuple[int | None, list[Any]]) -> None:
            self.refreshing = False
            if self._refresh_again:
                self.refresh()
            if workspace is not self.workspace:
                return
            first = not self.listed
            self.version, docs = result
            self.documents, self.listed = docs, True
            self.panel.set_documents(docs)
            chunks = sum(d.chunks for d in docs if d.state == "imported")
            imported = sum(1 for d in docs if d.state == "imported")
            self.size_changed.emit(self.tr("%1 documents · %2 chunks").replace(
                "%1", str(imported)).replace("%2", str(chunks)))
            self.documents_loaded.emit()
            if first:  # what a click on a document or a question needs next, loaded meanwhile
                call_in_background("lancedb", lambda: workspace.library.db, parent=self)

        def failed(exc: BaseException) -> None:
            self.refreshing = False
            self.message.emit(self.tr("Could not read the library: %1").replace(
                "%1", str(exc)), 0)

        call_in_background("documents", workspace.listed_documents, loaded, failed,
                           parent=self)
