"""The Ollama part of the status bar: connected or not, with Help and Retry."""

from __future__ import annotations

import sys

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

INSTALL_HELP = {
    "linux": "Install it with:\n    curl -fsSL https://ollama.com/install.sh | sh\n"
             "then start it with:\n    ollama serve\n(the installer usually sets it up as a "
             "service that starts by itself).",
    "darwin": "Download the Ollama app from https://ollama.com/download, open it once, and "
              "leave it running (its icon sits in the menu bar).",
    "win32": "Download the Ollama installer from https://ollama.com/download, run it, and leave "
             "Ollama running (its icon sits in the notification area).",
}


def help_text(host: str) -> str:
    platform = "darwin" if sys.platform == "darwin" else (
        "win32" if sys.platform.startswith("win") else "linux")
    return (
        "desktop-rag writes its answers with a language model run by Ollama, on this computer "
        f"or on another one.\n\nIt looked for Ollama at {host} and found nothing there.\n\n"
        f"{INSTALL_HELP[platform]}\n\nThen download a small model, for example:\n"
        "    ollama pull qwen2.5:1.5b\n(or use \"Pull a model...\" in the Settings tab), and "
        "press Retry.\n\nOllama on another machine (a GPU server): set its address in the "
        "Settings tab or start desktop-rag with OLLAMA_HOST=http://server:11434.\n\n"
        "Without Ollama you can still import documents, browse their chunks and search them."
    )


class OllamaStatus(QWidget):
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = ""
        self.connected: bool | None = None
        self.label = QLabel(self.tr("Ollama: checking..."))
        self.help_button = QPushButton(self.tr("Help"))
        self.help_button.setFlat(True)
        self.help_button.clicked.connect(self.show_help)
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
        self.host, self.connected = host, True
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
        self.label.setToolTip(reason or host)
        self.label.setStyleSheet("color: #b3261e;")
        self.help_button.show()
        self.retry_button.show()

    def show_help(self) -> None:
        QMessageBox.information(self, self.tr("Ollama"), help_text(self.host))

    def _retry(self) -> None:
        self.set_checking(self.host)
        self.retry_requested.emit()
