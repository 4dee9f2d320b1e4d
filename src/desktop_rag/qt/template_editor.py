"""The prompt templates of the Settings tab: one per prompt language, edited one at a time.

A template is applied only once it holds what the prompt needs ({context} and {question} in
the question text); until then the edit stays a draft, the problem is shown, and the template
last applied is the one used. Reset puts the language's default back.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QPushButton

from desktop_rag.core.answer.ask_settings import changed_templates, template_problems
from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES, PromptTemplate
from desktop_rag.qt.i18n import current_language
from desktop_rag.qt.settings_form import hint

# The problems core.answer.ask_settings.template_problems reports, to be shown translated.
TEMPLATE_PROBLEMS = (
    QT_TRANSLATE_NOOP("TemplateEditor", "the user text must contain {context}"),
    QT_TRANSLATE_NOOP("TemplateEditor", "the user text must contain {question}"),
)


class TemplateEditor(QObject):
    """Adds its rows to the Settings tab's prompt form. `changed` is emitted when an applied
    template changes by an edit or a reset; `set_templates` never emits it."""

    changed = Signal()

    def __init__(self, form: QFormLayout, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._templates = dict(DEFAULT_TEMPLATES)  # the applied template of each language
        self._drafts = {lang: _texts(t) for lang, t in DEFAULT_TEMPLATES.items()}
        self._loading = False
        self.language_combo = QComboBox()
        self.language_combo.addItem(self.tr("English"), "en")
        self.language_combo.addItem(self.tr("French"), "fr")
        # The template shown first is the one of the interface's language.
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(current_language())))
        self.language_combo.currentIndexChanged.connect(self._show_template)
        self.reset_button = QPushButton(self.tr("Reset to default"))
        self.reset_button.clicked.connect(self._reset_template)
        form.addRow(self.tr("Edit template"), self.language_combo)
        form.addRow(self.reset_button)
        form.addRow(hint(self.tr(
            "In the instructions, {library} becomes the library's name. In the question text, "
            "{context} becomes the numbered passages and {question} the question: both are "
            "required. The last text stands in for the passages when none is relevant.")))
        self.system_edit = self._template_edit(self.tr("Instructions (system)"))
        self.user_edit = self._template_edit(self.tr("Question text (user)"))
        self.no_context_edit = self._template_edit(self.tr("When nothing is relevant"))
        for label, edit in ((self.tr("Instructions (system)"), self.system_edit),
                            (self.tr("Question text (user)"), self.user_edit),
                            (self.tr("When nothing is relevant"), self.no_context_edit)):
            form.addRow(QLabel(label))
            form.addRow(edit)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        form.addRow(self.error_label)

    def _template_edit(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 5 + 12)
        edit.textChanged.connect(self._template_edited)
        return edit

    def templates(self) -> dict[str, PromptTemplate]:
        """The applied templates that differ from the defaults."""
        return changed_templates(self._templates)

    def set_templates(self, templates: dict[str, PromptTemplate]) -> None:
        """Show `templates` (a language missing: its default). One with problems is shown as
        a draft, and the default stays applied."""
        for lang, default in DEFAULT_TEMPLATES.items():
            given = templates.get(lang, default)
            self._drafts[lang] = _texts(given)
            self._templates[lang] = default if template_problems(given) else given
        self._show_template()

    def _language(self) -> str:
        return self.language_combo.currentData()

    def _show_template(self) -> None:
        was_loading, self._loading = self._loading, True
        try:
            system, user, no_context = self._drafts[self._language()]
            self.system_edit.setPlainText(system)
            self.user_edit.setPlainText(user)
            self.no_context_edit.setPlainText(no_context)
        finally:
            self._loading = was_loading
        self._show_problems(self._draft_template())

    def _draft_template(self) -> PromptTemplate:
        return PromptTemplate(self.system_edit.toPlainText(), self.user_edit.toPlainText(),
                              self.no_context_edit.toPlainText())

    def _show_problems(self, template: PromptTemplate) -> list[str]:
        problems = template_problems(template)
        if problems:
            self.error_label.setText(
                self.tr("Not applied: {problems}.").format(
                    problems="; ".join(self.tr(p) for p in problems)))
        self.error_label.setVisible(bool(problems))
        return problems

    def _template_edited(self) -> None:
        if self._loading:
            return
        lang, template = self._language(), self._draft_template()
        self._drafts[lang] = _texts(template)
        if not self._show_problems(template):
            self._templates[lang] = template
            self.changed.emit()

    def _reset_template(self) -> None:
        lang = self._language()
        self._drafts[lang] = _texts(DEFAULT_TEMPLATES[lang])
        self._templates[lang] = DEFAULT_TEMPLATES[lang]
        self._show_template()
        self.changed.emit()


def _texts(template: PromptTemplate) -> tuple[str, str, str]:
    return template.system, template.user, template.no_context
