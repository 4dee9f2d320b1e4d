"""Says once per library, after an import, that its documents are in a language its search is
not set up for (core/store/language_advice.py), and applies the part of the fix the app can do.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_rag.qt.i18n import arg
from desktop_rag.qt.jobs import call_in_background


class LanguageNotice(QObject):
    shown = Signal(object)  # the LanguageAdvice, once the message is on screen
    language_changed = Signal(str)

    def __init__(self, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.box: QMessageBox | None = None
        self._checking = False

    def _key(self, workspace: Any) -> str:
        return "language_notice/" + str(workspace.library.folder).replace("/", "|")

    def check(self, workspace: Any) -> None:
        """Look at the library's documents on a worker; speak if needed and not said before."""
        if workspace is None or self._checking or self.settings.value(
                self._key(workspace), False, bool):
            return
        self._checking = True

        def result(advice: Any) -> None:
            self._checking = False
            if advice is not None and workspace is getattr(self.window, "workspace", None):
                self.settings.setValue(self._key(workspace), True)
                self._show(workspace, advice)

        def failed(_exc: BaseException) -> None:
            self._checking = False  # a hint only: try again after the next import

        call_in_background("language advice", workspace.language_advice, result, failed,
                           parent=self)

    def language_name(self, code: str) -> str:
        names = {"en": self.tr("English"), "fr": self.tr("French")}
        return names.get(code, code)

    def message(self, advice: Any) -> str:
        documents = self.language_name(advice.documents_language)
        parts = [arg(self.tr("%1 of your %2 documents are in %3."), advice.in_that_language,
                     advice.documents, documents)]
        if advice.library_language_differs:
            parts.append(arg(self.tr(
                "This library is set up for %1: its keyword search cuts words to their stems "
                "the %1 way. \"Search in %2\" rebuilds it for %2 (it takes a few seconds)."),
                self.language_name(advice.library_language), documents))
        if not advice.embedder_reads_it:
            parts.append(arg(self.tr(
                "The embedding model, %1, reads English only: search by meaning works poorly "
                "on these documents, so keyword search ranks the passages. A multilingual model "
                "does better. Switch with the command line, which re-embeds the library:\n"
                "    desktop-rag library set-model PATH-OR-NAME\n"
                "with any sentence-transformers model (a local folder or a name, for example "
                "paraphrase-multilingual-MiniLM-L12-v2), or with ollama:bge-m3 after "
                "\"ollama pull bge-m3\"."), advice.embedder))
        return "\n\n".join(parts)

    def _show(self, workspace: Any, advice: Any) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language of your documents"),
                          self.message(advice), QMessageBox.StandardButton.Ok, self.window)
        switch = None
        if advice.library_language_differs:
            switch = box.addButton(arg(self.tr("Search in %1"),
                                       self.language_name(advice.documents_language)),
                                   QMessageBox.ButtonRole.AcceptRole)

        def answered() -> None:
            if switch is not None and box.clickedButton() is switch:
                self.switch_language(workspace, advice.documents_language)

        box.finished.connect(answered)
        box.setModal(False)  # the window stays usable; the box is advice, not a question
        self.box = box
        box.show()
        self.shown.emit(advice)

    def switch_language(self, workspace: Any, language: str) -> None:
        status = getattr(self.window, "statusBar", None)

        def done(_result: Any) -> None:
            if status is not None:
                status().showMessage(arg(self.tr("Keyword search now reads %1."),
                                         self.language_name(language)), 8000)
            self.language_changed.emit(language)

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self.window, self.tr("Language of your documents"),
                                arg(self.tr("The search could not be rebuilt: %1"), exc))

        call_in_background("set language", lambda: workspace.set_language(language), done,
                           failed, parent=self)
