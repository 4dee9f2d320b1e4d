"""The Ollama part of the status bar: connected or not, with Help and Retry."""

from __future__ import annotations

import sys

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop_rag.core.errors import OllamaUnavailable
from desktop_rag.qt.i18n import arg

# Translated where shown (help_text).
INSTALL_HELP = {
    "linux": QT_TRANSLATE_NOOP(
        "OllamaStatus",
        "Install it with:\n    curl -fsSL https://ollama.com/install.sh | sh\n"
        "then start it with:\n    ollama serve\n(the installer usually sets it up as a "
        "service that starts by itself)."),
    "darwin": QT_TRANSLATE_NOOP(
        "OllamaStatus",
        "Download the Ollama app from https://ollama.com/download, open it once, and "
        "leave it running (its icon sits in the menu bar)."),
    "win32": QT_TRANSLATE_NOOP(
        "OllamaStatus",
        "Download the Ollama installer from https://ollama.com/download, run it, and leave "
        "Ollama running (its icon sits in the notification area)."),
}


def help_text(host: str) -> str:
    platform = "darwin" if sys.platform == "darwin" else (
        "win32" if sys.platform.startswith("win") else "linux")
    translate = QCoreApplication.translate
    return arg(translate(
        "OllamaStatus",
        "desktop-rag writes its answers with a language model run by Ollama, on this computer "
        "or on another one.\n\nIt looked for Ollama at %1 and found nothing there.\n\n"
        "%2\n\nThen download a small model, for example:\n"
        "    ollama pull qwen2.5:1.5b\n(or use \"Pull a model...\" in the Settings tab), and "
        "press Retry.\n\nOllama on another machine (a GPU server): set its address in "
        "File > Ollama server... or start desktop-rag with OLLAMA_HOST=http://server:11434.\n\n"
        "Without Ollama you can still import documents, browse their chunks and search them."),
        host, translate("OllamaStatus", INSTALL_HELP[platform]))


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
        if reason == OllamaUnavailable(host).user_message:
            reason = not_running_text(host)
        self.label.setToolTip(reason or host)
        self.label.setStyleSheet("color: #b3261e;")
        self.help_button.show()
        self.retry_button.show()

    def show_help(self) -> None:
        QMessageBox.information(self, self.tr("Ollama"), help_text(self.host))

    def _retry(self) -> None:
        self.set_checking(self.host)
        self.retry_requested.emit()
