"""The prompt that writes a library's summaries (RAPTOR), readable and editable.

One template per language (the summaries are written in the document's language), the text
budget of one prompt and the longest summary. Saved in the library folder; trees already built
keep the prompt they were made with (the Prompt tab shows it for each summary).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core.store.summary_prompt import (
    DEFAULT_SUMMARY_TEMPLATES,
    SummaryTemplate,
    load_summary_settings,
    save_summary_settings,
    template_problems,
)


class SummaryPromptDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Summary prompt"))
        self.folder = folder
        self.settings = load_summary_settings(folder)
        self.drafts: dict[str, SummaryTemplate] = {}
        intro = QLabel(self.tr(
            "The model writes each summary from this prompt, in the document's language. "
            "{document} is the document's title, {text} the text to summarise (required), "
            "{words} the longest summary in words. Trees already built keep their prompt: "
            "remove a tree and build it again to use a new one."))
        intro.setWordWrap(True)
        self.language = QComboBox()
        self.language.addItem(self.tr("English"), "en")
        self.language.addItem(self.tr("French"), "fr")
        self.language.currentIndexChanged.connect(self._language_changed)
        self.system_edit = QPlainTextEdit()
        self.user_edit = QPlainTextEdit()
        self.user_edit.setMaximumHeight(110)
        self.system_edit.textChanged.connect(self._check)
        self.user_edit.textChanged.connect(self._check)
        self.budget = QSpinBox(minimum=200, maximum=32000, singleStep=100,
                               suffix=self.tr(" tokens"))
        self.budget.setValue(self.settings.budget)
        self.budget.setToolTip(self.tr("Text given to the model for one summary: more means "
                                       "fewer, broader summaries and a longer wait for each."))
        self.summary_tokens = QSpinBox(minimum=32, maximum=2048, singleStep=32,
                                       suffix=self.tr(" tokens"))
        self.summary_tokens.setValue(self.settings.summary_tokens)
        self.error = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("System prompt"), self.system_edit)
        form.addRow(self.tr("User message"), self.user_edit)
        form.addRow(self.tr("Text per summary"), self.budget)
        form.addRow(self.tr("Longest summary"), self.summary_tokens)
        self.reset_button = QPushButton(self.tr("Built-in prompt"))
        self.reset_button.clicked.connect(self._reset)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 520)
        self._shown = "en"
        self._show("en")

    def _show(self, language: str) -> None:
        template = self.drafts.get(language) or self.settings.template(language)
        self._shown = language
        self.system_edit.setPlainText(template.system)
        self.user_edit.setPlainText(template.user)

    def _keep_draft(self) -> None:
        self.drafts[self._shown] = SummaryTemplate(self.system_edit.toPlainText(),
                                                   self.user_edit.toPlainText())

    def _language_changed(self) -> None:
        self._keep_draft()
        self._show(self.language.currentData())

    def _reset(self) -> None:
        default = DEFAULT_SUMMARY_TEMPLATES[self._shown]
        self.system_edit.setPlainText(default.system)
        self.user_edit.setPlainText(default.user)

    def _check(self) -> bool:
        problems = template_problems(SummaryTemplate(self.system_edit.toPlainText(),
                                                     self.user_edit.toPlainText()))
        self.error.setStyleSheet("color: #b00020")
        self.error.setText(self.tr("The user message must contain {text}.") if problems else "")
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems)
        return not problems

    def save(self) -> None:
        if not self._check():
            return
        self._keep_draft()
        settings = self.settings
        for language, template in self.drafts.items():
            if not template_problems(template):
                settings = settings.with_template(language, template)
        from dataclasses import replace

        settings = replace(settings, budget=self.budget.value(),
                           summary_tokens=self.summary_tokens.value())
        save_summary_settings(self.folder, settings)
        self.settings = settings
        self.error.setStyleSheet("")
        self.error.setText(self.tr("Saved: the next summaries use it."))
