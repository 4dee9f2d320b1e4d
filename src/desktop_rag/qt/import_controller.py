"""Imports into the open library: files and folders chosen or dropped, one import at a time.

An import is the core's `import_files` generator run as a Job; its events go to the library
panel's progress. Paths given while one runs wait in a queue, since the library has one writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_rag.qt.jobs import Job, run_job
from desktop_rag.qt.library_panel import LibraryPanel

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace


class ImportController(QObject):
    documents_changed = Signal()  # a file was imported, failed or skipped: list them again
    finished = Signal(object)  # the Workspace, once the last queued import has ended
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)

    def __init__(self, panel: LibraryPanel, window: QWidget) -> None:
        super().__init__(window)
        self.panel, self.window = panel, window
        self.workspace: Workspace | None = None
        self.job: Job | None = None
        self.pending: list[Path] = []

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, self.tr("Add documents"))
        self.import_paths([Path(f) for f in files])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window,
                                                  self.tr("Add a folder of documents"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        if not paths or self.workspace is None:
            return
        if self.job is not None:
            # One writer at a time: later drops wait their turn instead of being refused.
            self.pending.extend(paths)
            self.message.emit(self.tr("%n more item(s) will be imported next", "",
                                      len(self.pending)), 0)
            return
        workspace = self.workspace
        self.job = run_job("import", lambda cancel: workspace.import_files(paths, cancel),
                           self._event, self._failed, self._done, parent=self)

    def cancel(self) -> None:
        self.pending.clear()
        if self.job is not None:
            self.job.cancel()

    def may_quit(self) -> bool:
        """Whether the window may close: yes when no import runs, or the user stops it."""
        if self.job is None:
            return True
        answer = QMessageBox.question(self.window, self.tr("Import running"), self.tr(
            "An import is running. Stop it and quit? Files already imported are kept."))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.job.cancel()
        self.job.wait(30)
        return True

    def _event(self, event: Any) -> None:
        from desktop_rag.core import events as E

        self.panel.import_event(event)
        if isinstance(event, E.FileImported | E.FileFailed | E.FileSkipped):
            self.documents_changed.emit()
        elif isinstance(event, E.ImportFinished):
            self.message.emit(self.panel.summary_label.text().split("\n")[0], 0)

    def _failed(self, exc: BaseException) -> None:
        # Shown in the panel rather than in a modal box: the window stays usable, and the
        # reason (a full disk, a model that cannot load) stays in sight.
        self.panel.import_failed(self.tr(
            "The import stopped: %1. Documents imported before this are kept.").replace(
            "%1", str(exc)))

    def _done(self) -> None:
        self.job = None
        self.documents_changed.emit()
        if self.pending:
            paths, self.pending = self.pending, []
            self.import_paths(paths)
        else:
            self.finished.emit(self.workspace)
