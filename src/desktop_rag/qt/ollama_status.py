"""The Ollama part of the status bar: connected or not, with Help (the Ollama setup dialog,
qt/ollama_setup.py) and Retry."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_rag.core.errors import OllamaUnavailable
from desktop_rag.qt.i18n import arg


def not_running_text(host: str) -> str:
    """OllamaUnavailable's message, which the core writes in English, in the interface's
    language."""
    return arg(QCoreApplication.translate(
        "OllamaStatus",
        "Ollama is not running at %1: install it from https://ollama.com/download, start it "
        "with `ollama serve` (or open the Ollama desktop app), or set another host in the "
        "settings or with the OLLAMA_HOST environment variable"), host)


class OllamaStatus(QWidget):
    retry_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = self.version = ""
        self.connected: bool | None = None
        self.label = QLabel(self.tr("Ollama: checking..."))
        self.help_button = QPushButton(self.tr("Help"))
        self.help_button.setFlat(True)
        self.help_button.clicked.connect(self.help_requested)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setFlat(True)
        self.retry_button.clicked.connect(self._retry)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.help_button)
        layout.addWidget(self.retry_button)
        self.help_button.hide()
        self.retry_button.hide()

    def set_checking(self, host: str) -> None:
        self.host = host
        self.label.setText(self.tr("Ollama: checking %1...").replace("%1", host))

    def set_connected(self, host: str, version: str, model: str, models: int) -> None:
        self.host, self.version, self.connected = host, version, True
        text = self.tr("Ollama %1 at %2").replace("%1", version).replace("%2", host)
        if models == 0:
            text += self.tr(" · no model yet: pull one in Settings")
        elif model:
            text += f" · {model}"
        self.label.setText("● " + text)
        self.label.setStyleSheet("color: #1b6e20;")
        self.help_button.setVisible(models == 0)
        self.retry_button.setVisible(models == 0)

    def set_unavailable(self, host: str, reason: str = "") -> None:
        self.host, self.connected = host, False
        self.label.setText("● " + self.tr("Ollama is not running"))
        if reason == OllamaUnavailable(host).user_message:
            reason = not_running_text(host)
        self.label.setToolTip(reason or host)
        self.label.setStyleSheet("color: #b3261e;")
        self.help_button.show()
        self.retry_button.show()

    def _retry(self) -> None:
        self.set_checking(self.host)
        self.retry_requested.emit()
