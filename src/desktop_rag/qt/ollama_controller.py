"""Ollama from the window's side: which server, whether it answers, its models, and pulls.

The server is `--host`, else the address saved in the window's settings, else OLLAMA_HOST or
this computer. Each check lists the installed models into the Settings tab and keeps a model
selected there. The Settings tab's values are saved per library as they change, here because a
check that selects another model changes them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop_rag.qt.generation_panel import GenerationPanel
from desktop_rag.qt.jobs import Job, call_in_background, run_job
from desktop_rag.qt.ollama_status import OllamaStatus

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace


class OllamaController(QObject):
    checked = Signal(bool)  # after each check: whether Ollama answered
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)

    def __init__(self, status: OllamaStatus, generation: GenerationPanel, settings: QSettings,
                 window: QWidget, host: str | None = None) -> None:
        """settings: the window's, where the chosen server is kept."""
        super().__init__(window)
        self.status, self.generation = status, generation
        self.settings, self.window = settings, window
        self.host = host or settings.value("ollama_host", "", str) or None
        self.workspace: Workspace | None = None
        self.models: list[str] = []
        self.sizes: dict[str, str | None] = {}  # parameter_size by model
        self._just_pulled: str | None = None

    def set_workspace(self, workspace: Workspace) -> None:
        from desktop_rag.core.answer.ask_settings import load_ask_settings

        self.workspace = workspace
        self.generation.set_settings(load_ask_settings(workspace.library.folder))

    def current_model(self) -> str:
        return self.generation.settings().model

    def check(self) -> None:
        from desktop_rag.core.llm.client import default_host

        workspace = self.workspace
        host = default_host(self.host)
        self.status.set_checking(host)

        def probe() -> tuple[Any, list[Any]]:
            from desktop_rag.core.llm.client import OllamaClient

            client = workspace.client() if workspace is not None else OllamaClient(self.host)
            status = client.health()
            return status, client.list_models() if status.reachable else []

        def shown(result: tuple[Any, list[Any]]) -> None:
            status, listed = result
            models = [m.name for m in listed]
            self.sizes = {m.name: m.parameter_size for m in listed}
            if not status.reachable:
                self.status.set_unavailable(status.host, status.error or "")
                self.checked.emit(False)
                return
            self.models = models
            current = self.generation.settings().model
            if self._just_pulled in models:
                current, self._just_pulled = self._just_pulled, None
                self.generation.set_models(models, current, self.sizes)
                self.save_settings()
            elif current not in models and models:
                current = models[0]  # the saved model is gone: the first one beats none
                self.generation.set_models(models, current, self.sizes)
                self.save_settings()
            else:
                self.generation.set_models(models, current, self.sizes)
            self.status.set_connected(status.host, status.version,
                                      self.generation.settings().model, len(models))
            self.checked.emit(True)

        def failed(exc: BaseException) -> None:
            self.status.set_unavailable(host, str(exc))
            self.checked.emit(False)

        call_in_background("ollama", probe, shown, failed, parent=self)

    def choose_host(self) -> None:
        from desktop_rag.core.llm.client import default_host
        from desktop_rag.qt.ollama_help import normalize_host, not_an_address

        text = self.host or default_host(None)
        while True:
            text, ok = QInputDialog.getText(self.window, self.tr("Ollama server"), self.tr(
                "Address of the Ollama server (empty: OLLAMA_HOST or this computer):"),
                text=text)
            if not ok:
                return
            if not text.strip():
                self.set_host(None)
                return
            try:  # "gpu-box" means http://gpu-box:11434, not port 80
                self.set_host(normalize_host(text))
                return
            except ValueError:
                QMessageBox.warning(self.window, self.tr("Ollama server"),
                                    not_an_address(text.strip()))

    def set_host(self, host: str | None) -> None:
        self.host = host
        self.settings.setValue("ollama_host", host or "")
        if self.workspace is not None:
            self.workspace.set_host(host)
        self.check()

    def pull(self, name: str) -> Job:
        from desktop_rag.core.llm.client import OllamaClient

        workspace = self.workspace
        client = workspace.client() if workspace is not None else OllamaClient(self.host)

        def event(progress: Any) -> None:
            fraction = progress.fraction
            text = progress.status + (f" {fraction:.0%}" if fraction is not None else "")
            self.generation.set_pull_progress(text, fraction)

        def failed(exc: BaseException) -> None:
            self.generation.pull_finished(False, str(exc))

        def done() -> None:
            if job.error is None and job.cancel_token.cancelled:
                self.generation.pull_finished(False, self.tr("Download cancelled"))
            elif job.error is None:
                self.generation.pull_finished(True, self.tr("%1 is ready").replace("%1", name))
                self._just_pulled = name  # what the user pulled is what they want to use
                self.check()

        job = run_job("pull", lambda cancel: client.pull(name, cancel), event, failed, done,
                      parent=self)
        return job

    def save_settings(self) -> None:
        from desktop_rag.core.answer.ask_settings import save_ask_settings

        if self.workspace is None:
            return
        try:
            save_ask_settings(self.workspace.library.folder, self.generation.settings())
        except (OSError, ValueError) as exc:
            self.message.emit(self.tr("Settings not saved: %1").replace("%1", str(exc)), 8000)
