"""First-run guidance for Ollama: when and with what the window shows the Ollama setup dialog.

The dialog (qt/ollama_setup.py) is offered by itself once per start: when the first check
cannot reach Ollama, and the first time a check finds Ollama without any model; "Don't show
this at start" turns both off. The status bar's Help and Help > Ollama help open it at any
time, in the state of the last check. Its Retry sets the host of the Ollama controller (saved
for the next start) and its Download goes through the controller's pull, which selects the
model downloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QWidget

from desktop_rag.qt.ollama_setup import AT_START, OllamaSetupDialog
from desktop_rag.qt.ollama_status import OllamaStatus

if TYPE_CHECKING:
    from desktop_rag.qt.ollama_controller import OllamaController


class OllamaGuide(QObject):
    def __init__(self, ollama: OllamaController, status: OllamaStatus, settings: QSettings,
                 window: QWidget) -> None:
        """window: the dialog's parent, which gets the focus back when it closes."""
        super().__init__(window)
        self.ollama, self.status = ollama, status
        self.settings, self.window = settings, window
        self.dialog: OllamaSetupDialog | None = None
        self.checks = 0
        self.offered: set[str] = set()
        ollama.checked.connect(self._checked)
        status.help_requested.connect(self.show_dialog)

    def state(self) -> str:
        """"unreachable", "no_model" or "ready", as the last check found Ollama."""
        if not self.status.connected:
            return "unreachable"
        return "ready" if self.ollama.models else "no_model"

    def show_dialog(self) -> OllamaSetupDialog:
        if self.dialog is None:
            self.dialog = OllamaSetupDialog(self.settings, self.window)
            self.dialog.host_confirmed.connect(self._use_host)
            self.dialog.download_requested.connect(self._download)
            # Closed: back to the window, with its shortcuts (Ctrl+Enter, Ctrl+F).
            self.dialog.finished.connect(self.window.activateWindow)
        self._update()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _update(self) -> None:
        if self.dialog is None:
            return
        self.dialog.set_state(self.state(), self.status.host, self.status.version,
                              self.ollama.current_model())

    def _checked(self, reachable: bool) -> None:
        self.checks += 1
        state = self.state()
        if self.dialog is not None and self.dialog.isVisible():
            self._update()
            return
        if state == "ready" or state in self.offered:
            return
        if state == "unreachable" and self.checks > 1:
            return  # only at start: later losses show in the status bar
        self.offered.add(state)
        if self.settings.value(AT_START, True, bool):
            self.show_dialog()

    def _use_host(self, host: str) -> None:
        if host == self.status.host:
            self.ollama.check()  # the same server: see whether it has models now
        else:
            self.ollama.set_host(host)

    def _download(self, name: str) -> None:
        assert self.dialog is not None
        self.dialog.follow_pull(name, self.ollama.pull(name))
