"""The Settings group of the answer's checks after it is written: the model's own check of the
passage it cites, and asking the question again to see whether the model sticks to its answer.
Both cost requests to the model, so the user chooses; the panel reads them into AskSettings."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QSpinBox, QWidget

from desktop_rag.core.answer.ask_settings import MAX_DRAWS
from desktop_rag.qt.i18n import arg
from desktop_rag.qt.settings_form import wrapping_form

# AskSettings.model_check as combo data (None, automatic, is no item data Qt can find)
_CHECK_CHOICES = {None: "auto", True: "on", False: "off"}
_CHECK_CHOSEN = {data: choice for choice, data in _CHECK_CHOICES.items()}


class AnswerChecksGroup(QGroupBox):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Answer checks"), parent)
        form = wrapping_form(self)
        self.model_check_combo = QComboBox()
        for label, choice in ((self.tr("Automatic: models of 1.5B parameters or more"), None),
                              (self.tr("Always"), True), (self.tr("Never"), False)):
            self.model_check_combo.addItem(label, _CHECK_CHOICES[choice])
        self.model_check_combo.setToolTip(self.tr(
            "After the answer, ask the model whether the passage it cites answers exactly this "
            "question (one short request, a few seconds); if not, the answer is marked not in "
            "your documents. When the model found no answer, its best passage is checked, and "
            "if it holds one the question is asked again with that passage alone. Smaller "
            "models judge their own answers poorly, so Automatic leaves them unchecked."))
        self.model_check_combo.currentIndexChanged.connect(self.edited)
        form.addRow(self.tr("Check answers with the model"), self.model_check_combo)
        self.draws_spin = QSpinBox()
        self.draws_spin.setRange(0, MAX_DRAWS)
        self.draws_spin.setSpecialValueText(self.tr("Never"))
        self.draws_spin.setSuffix(self.tr(" times"))
        self.draws_spin.setToolTip(self.tr(
            "After the answer, ask the same question again this many times with some "
            "randomness (each costs only its own words, the passages stay in the model's "
            "cache). When the model mostly says something else or finds no answer, the answer "
            "is marked unsteady: it may be a guess among the passages."))
        self.draws_spin.valueChanged.connect(self.edited)
        form.addRow(self.tr("Ask again to test the answer"), self.draws_spin)

    def model_check(self) -> bool | None:
        return _CHECK_CHOSEN[self.model_check_combo.currentData()]

    def set_choices(self, model_check: bool | None, draws: int) -> None:
        self.model_check_combo.setCurrentIndex(
            self.model_check_combo.findData(_CHECK_CHOICES[model_check]))
        self.draws_spin.setValue(draws)

    def show_model_size(self, size: str | None) -> None:
        """The automatic choice says what it does with the model chosen, when its size is
        known."""
        from desktop_rag.core.answer.model_check import check_is_on

        if size is None:
            text = self.tr("Automatic: models of 1.5B parameters or more")
        elif check_is_on(None, size):
            text = arg(self.tr("Automatic: on for this model (%1)"), size)
        else:
            text = arg(self.tr("Automatic: off for this model (%1; on from 1.5B)"), size)
        self.model_check_combo.setItemText(self.model_check_combo.findData("auto"), text)
