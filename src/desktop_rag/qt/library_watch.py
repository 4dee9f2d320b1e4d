"""Notices what another process did to the open library: a command-line import, a removal.

Every few seconds, and whenever the window is activated, the documents table's version is read
on a worker (a folder listing for a local library: Library.documents_version) and compared with
the version the shown list was read at; only a different one reads the list again. Nothing is
checked while the window's own import, re-chunk or preview runs: those refresh the list
themselves, and a refresh in their middle would replace the chunks they show.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop_rag.qt.jobs import call_in_background
from desktop_rag.qt.library_controller import LibraryController

CHECK_EVERY_MS = 3000


class LibraryWatch(QObject):
    changed = Signal()  # the library changed on disk; its list is being read again

    def __init__(self, library: LibraryController, window: QWidget, busy: Callable[[], bool],
                 interval_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(window)
        self.library, self._busy = library, busy
        self._checking = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def check(self) -> None:
        library = self.library
        workspace = library.workspace
        if (workspace is None or not library.listed or library.refreshing or self._checking
                or self._busy()):
            return
        self._checking = True

        def seen(version: int | None) -> None:
            self._checking = False
            if (workspace is library.workspace and library.listed and not library.refreshing
                    and version != library.version and not self._busy()):
                self.changed.emit()
                library.refresh()

        def failed(_exc: BaseException) -> None:
            self._checking = False  # the next tick tries again

        call_in_background("library version", workspace.documents_version, seen, failed,
                           parent=self)
