"""The generation settings a user edits beside the chat: model, sampling, retrieval and prompt.

The panel turns widgets into an `AskSettings` and back; it runs nothing itself. Pulling a
model and listing the installed ones are asked for with signals, and the Ollama controller
(qt/ollama_controller.py) reports back through `set_models`, `set_pull_progress` and
`pull_finished`. Every value is explicit (Ollama's own defaults are shown rather than left
unset) so what the user sees is what is sent. What the panel does not edit (stop words, fusion,
thresholds, the document restriction) is kept from the settings it was given. The prompt
templates are edited by qt/template_editor.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core.answer.evidence import MAX_SENTENCES
from desktop_rag.core.answer.rag import DEFAULT_ANSWER_TOKENS, DEFAULT_NUM_CTX, AskSettings
from desktop_rag.qt.answer_checks_group import AnswerChecksGroup
from desktop_rag.qt.ollama_help import SUGGESTED_MODELS, format_size
from desktop_rag.qt.settings_form import hint, row, wrapping_form
from desktop_rag.qt.template_editor import TEMPLATE_PROBLEMS, TemplateEditor

__all__ = ["TEMPLATE_PROBLEMS", "GenerationPanel"]  # TEMPLATE_PROBLEMS: tests look here
DEFAULT_TEMPERATURE = 0.8  # Ollama's defaults, shown when a setting is left unset
DEFAULT_TOP_P = 0.9
DEFAULT_TOP_K = 40
DEFAULT_SEED = 42
TOP_LOGPROBS = 5
TEMPERATURE_SCALE = 20  # slider units per 1.0: steps of 0.05, 0 to 2
TOP_P_SCALE = 100  # steps of 0.01, 0 to 1
ModelNameDialog = Callable[[QWidget], "str | None"]
_T = TypeVar("_T")


class GenerationPanel(QWidget):
    """Edits an AskSettings. `changed` is emitted once for each user edit that changes
    `settings()`; `set_settings` and `set_models` never emit it."""

    changed = Signal()
    pull_requested = Signal(str)
    refresh_models_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 model_name_dialog: ModelNameDialog | None = None) -> None:
        super().__init__(parent)
        # Asks which model to pull; returns None when cancelled. Tests replace it.
        self.model_name_dialog: ModelNameDialog = model_name_dialog or self._ask_model_name
        self._base = AskSettings()
        self._installed: list[str] | None = None  # None: not listed yet
        self._sizes: dict[str, str | None] = {}  # parameter_size by model, as Ollama lists them
        self._loading = True  # no edit is reported until set_settings() below has run
        self._last = self._base

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        self.checks = AnswerChecksGroup()
        self.checks.edited.connect(self._edited)
        # The checks' widgets, as the panel's own (tests and the window reach them here).
        self.model_check_combo, self.draws_spin = self.checks.model_check_combo, \
            self.checks.draws_spin
        for group in (self._model_group(), self._sampling_group(), self.checks,
                      self._retrieval_group(), self._prompt_group()):
            column.addWidget(group)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.set_settings(AskSettings())

    # -- building -------------------------------------------------------------------------

    def _model_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model"))
        layout = QVBoxLayout(box)
        self.model_combo = QComboBox()
        self.model_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(12)
        self.model_combo.setAccessibleName(self.tr("Chat model"))
        self.model_combo.currentIndexChanged.connect(self._edited)
        self.model_combo.currentIndexChanged.connect(self._show_automatic_check)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("List the models installed in Ollama again."))
        self.refresh_button.clicked.connect(self.refresh_models_requested)
        self.pull_button = QPushButton(self.tr("Pull a model…"))
        self.pull_button.setToolTip(self.tr("Download a model from the Ollama library."))
        self.pull_button.clicked.connect(self._pull_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.pull_button)
        self.pull_progress = QProgressBar()
        self.pull_progress.setRange(0, 1000)
        self.pull_progress.setTextVisible(False)
        self.pull_progress.hide()
        self.pull_status = QLabel()
        self.pull_status.setWordWrap(True)
        self.pull_status.hide()
        layout.addWidget(self.model_combo)
        layout.addLayout(buttons)
        layout.addWidget(self.pull_progress)
        layout.addWidget(self.pull_status)
        return box

    def _sampling_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sampling"))
        form = wrapping_form(box)
        self.temperature_slider, self.temperature_value_label = self._slider(
            2 * TEMPERATURE_SCALE, 5)
        form.addRow(self.tr("Temperature"), row(self.temperature_slider,
                                                 self.temperature_value_label))
        form.addRow(hint(self.tr("Higher = more varied, lower = more focused and repeatable.")))
        self.top_p_slider, self.top_p_value_label = self._slider(TOP_P_SCALE, 5)
        form.addRow(self.tr("Top-p"), row(self.top_p_slider, self.top_p_value_label))
        form.addRow(hint(self.tr("Sample only among the most likely tokens whose probabilities "
                                  "add up to this share.")))
        self.top_k_spin = self._spin(1, 200, 1)
        self.top_k_spin.setToolTip(self.tr("Sample only among this many most likely tokens."))
        form.addRow(self.tr("Top-k"), self.top_k_spin)
        self.max_tokens_spin = self._spin(16, 8192, 64)
        self.max_tokens_spin.setToolTip(self.tr("The longest answer, in tokens; a longer one "
                                                "is cut and marked as such."))
        form.addRow(self.tr("Max tokens"), self.max_tokens_spin)
        self.context_spin = self._spin(512, 131072, 512)
        self.context_spin.setToolTip(self.tr(
            "Tokens the model reads at once: instructions, passages, earlier turns and the "
            "answer. More fits more passages but needs more memory."))
        form.addRow(self.tr("Context length"), self.context_spin)
        self.seed_check = QCheckBox(self.tr("Fixed seed"))
        self.seed_check.setToolTip(self.tr("The same seed and settings give the same answer."))
        self.seed_spin = self._spin(0, 2**31 - 1, 1)
        self.seed_spin.setAccessibleName(self.tr("Seed"))
        self.seed_check.toggled.connect(self.seed_spin.setEnabled)
        self.seed_check.toggled.connect(self._edited)
        form.addRow(row(self.seed_check, self.seed_spin))
        self.logprobs_check = QCheckBox(self.tr("Token probabilities"))
        self.logprobs_check.setToolTip(self.tr(
            "Ask the model how sure it was of each word, and show the alternatives."))
        self.logprobs_check.toggled.connect(self._edited)
        form.addRow(self.logprobs_check)
        return box

    def _retrieval_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Retrieval"))
        form = wrapping_form(box)
        self.mode_combo = QComboBox()
        for label, mode in ((self.tr("Hybrid: meaning and key words"), "hybrid"),
                            (self.tr("Meaning only"), "dense"),
                            (self.tr("Key words only"), "keyword")):
            self.mode_combo.addItem(label, mode)
        self.mode_combo.currentIndexChanged.connect(self._edited)
        form.addRow(self.tr("Search"), self.mode_combo)
        self.k_spin = self._spin(1, 30, 1)
        self.k_spin.setToolTip(self.tr("How many passages are given to the model at most."))
        form.addRow(self.tr("Passages"), self.k_spin)
        self.summaries_check = QCheckBox(self.tr("Search the summary trees too"))
        self.summaries_check.setToolTip(self.tr(
            "Documents with a summary tree (Build summary tree, in a document's menu) are "
            "searched at every level: a question about a whole part finds its summary."))
        self.summaries_check.toggled.connect(self._edited)
        form.addRow(self.summaries_check)
        return box

    def _prompt_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Prompt"))
        form = wrapping_form(box)
        self.prompt_language_combo = QComboBox()
        for label, lang in ((self.tr("Same as the question"), "auto"),
                            (self.tr("English"), "en"), (self.tr("French"), "fr")):
            self.prompt_language_combo.addItem(label, lang)
        self.prompt_language_combo.setToolTip(self.tr(
            "Same as the question: the prompt is in the language of each question, or in the "
            "language of this window when a question is too short to tell."))
        self.prompt_language_combo.currentIndexChanged.connect(self._edited)
        form.addRow(self.tr("Answer in"), self.prompt_language_combo)
        self.evidence_spin = self._spin(0, MAX_SENTENCES, 1)
        self.evidence_spin.setSpecialValueText(self.tr("None"))
        self.evidence_spin.setToolTip(self.tr(
            "Under the passages, quote this many of their sentences closest to the question "
            "(by shared words and meaning). Small models often answer from the wrong sentence; "
            "pointing them to the likely one helps them find the answer. The Prompt tab shows "
            "the sentences."))
        form.addRow(self.tr("Sentences pointed out"), self.evidence_spin)
        self.template_editor = TemplateEditor(form, self)
        self.template_editor.changed.connect(self._edited)
        # The editor's widgets, under the names tests drive them by.
        editor = self.template_editor
        self.template_language_combo = editor.language_combo
        self.reset_template_button = editor.reset_button
        self.system_edit, self.user_edit = editor.system_edit, editor.user_edit
        self.no_context_edit, self.template_error_label = editor.no_context_edit, editor.error_label
        return box

    def _slider(self, maximum: int, page: int) -> tuple[QSlider, QLabel]:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, maximum)
        slider.setPageStep(page)
        value = QLabel()
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance("0.00") + 4)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        slider.valueChanged.connect(self._show_slider_values)
        slider.valueChanged.connect(self._edited)
        return slider, value

    def _spin(self, low: int, high: int, step: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.valueChanged.connect(self._edited)
        return spin

    # -- settings in and out --------------------------------------------------------------

    def settings(self) -> AskSettings:
        base = self._base
        generation = replace(
            base.generation,
            temperature=self.temperature_slider.value() / TEMPERATURE_SCALE,
            top_p=self.top_p_slider.value() / TOP_P_SCALE,
            top_k=self.top_k_spin.value(),
            num_predict=self.max_tokens_spin.value(),
            num_ctx=self.context_spin.value(),
            seed=self.seed_spin.value() if self.seed_check.isChecked() else None,
        )
        logprobs = self.logprobs_check.isChecked()
        return replace(
            base,
            model=self.model_combo.currentData() or base.model,
            generation=generation,
            search=base.search.with_changes(mode=self.mode_combo.currentData(),
                                            k=self.k_spin.value(),
                                            summaries=self.summaries_check.isChecked()),
            language=self.prompt_language_combo.currentData(),
            templates=self.template_editor.templates(),
            logprobs=logprobs,
            top_logprobs=(base.top_logprobs or TOP_LOGPROBS) if logprobs else 0,
            model_check=self.checks.model_check(),
            draws=self.draws_spin.value(),
            evidence=self.evidence_spin.value(),
        )

    def set_settings(self, s: AskSettings) -> None:
        """Show `s`. Unset sampling values show Ollama's defaults, and values between the
        slider steps are rounded to the nearest step."""
        g = s.generation
        self._loading = True
        try:
            self._base = s
            self._select_model(s.model)
            self.temperature_slider.setValue(round(
                _or(g.temperature, DEFAULT_TEMPERATURE) * TEMPERATURE_SCALE))
            self.top_p_slider.setValue(round(_or(g.top_p, DEFAULT_TOP_P) * TOP_P_SCALE))
            self.top_k_spin.setValue(_or(g.top_k, DEFAULT_TOP_K))
            self.max_tokens_spin.setValue(
                g.num_predict if g.num_predict and g.num_predict > 0 else DEFAULT_ANSWER_TOKENS)
            self.context_spin.setValue(_or(g.num_ctx, DEFAULT_NUM_CTX))
            self.seed_check.setChecked(g.seed is not None)
            self.seed_spin.setEnabled(g.seed is not None)
            self.seed_spin.setValue(_or(g.seed, DEFAULT_SEED))
            self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(s.search.mode)))
            self.k_spin.setValue(s.search.k)
            self.summaries_check.setChecked(s.search.summaries)
            self.logprobs_check.setChecked(s.logprobs)
            self.checks.set_choices(s.model_check, s.draws)
            self.evidence_spin.setValue(s.evidence)
            self.prompt_language_combo.setCurrentIndex(
                max(0, self.prompt_language_combo.findData(s.language)))
            self.template_editor.set_templates(s.templates)
        finally:
            self._loading = False
        self._show_slider_values()
        self._last = self.settings()

    def set_models(self, names: list[str], current: str | None = None,
                   sizes: dict[str, str | None] | None = None) -> None:
        """List the installed models and select `current`, or keep the selection. sizes:
        each model's parameter_size ("1.5B"), which the automatic model check follows."""
        keep = current or self.model_combo.currentData() or self._base.model
        self._loading = True
        try:
            self._installed = list(names)
            self._sizes = dict(sizes or {})
            self.model_combo.clear()
            for name in names:
                self.model_combo.addItem(name, name)
            self._select_model(keep)
        finally:
            self._loading = False
        self._show_automatic_check()
        self._last = self.settings()

    def _select_model(self, name: str) -> None:
        index = self.model_combo.findData(name)
        if index < 0 and name:
            text = name if self._installed is None else \
                self.tr("{name} (not installed)").format(name=name)
            self.model_combo.addItem(text, name)
            index = self.model_combo.count() - 1
        self.model_combo.setCurrentIndex(index)

    # -- pulling a model ------------------------------------------------------------------

    def set_pull_progress(self, text: str, fraction: float | None) -> None:
        """Show a pull going on; fraction None: its size is not known yet."""
        if fraction is None:
            self.pull_progress.setRange(0, 0)  # busy indicator
        else:
            self.pull_progress.setRange(0, 1000)
            self.pull_progress.setValue(round(min(1.0, max(0.0, fraction)) * 1000))
        self.pull_progress.show()
        self.pull_status.setStyleSheet("")
        self.pull_status.setText(text)
        self.pull_status.setVisible(bool(text))
        self.pull_button.setEnabled(False)

    def pull_finished(self, ok: bool, message: str) -> None:
        self.pull_progress.hide()
        self.pull_status.setStyleSheet("" if ok else "color: #c62828;")
        self.pull_status.setText(message)
        self.pull_status.setVisible(bool(message))
        self.pull_button.setEnabled(True)

    def _pull_clicked(self) -> None:
        answer = self.model_name_dialog(self)
        words = (answer or "").split()
        if words:  # a suggestion reads "name (about size)": the name is the first word
            self.pull_requested.emit(words[0])

    def _ask_model_name(self, parent: QWidget) -> str | None:
        # The same suggestions as the Ollama setup dialog, one list to keep up to date.
        items = [self.tr("{name}  (about {size})").format(name=name, size=format_size(size))
                 for name, size, _note in SUGGESTED_MODELS]
        text, ok = QInputDialog.getItem(
            parent, self.tr("Pull a model"),
            self.tr("Name of a model of the Ollama library (choose or type one):"),
            items, 0, True)
        return text if ok else None

    # -- reacting to edits ----------------------------------------------------------------

    def _show_automatic_check(self) -> None:
        if hasattr(self, "checks"):  # the model list may be filled before the checks exist
            self.checks.show_model_size(self._sizes.get(self.model_combo.currentData() or ""))

    def _edited(self) -> None:
        if self._loading:
            return
        now = self.settings()
        if now != self._last:
            self._last = now
            self.changed.emit()

    def _show_slider_values(self) -> None:
        self.temperature_value_label.setText(
            f"{self.temperature_slider.value() / TEMPERATURE_SCALE:.2f}")
        self.top_p_value_label.setText(f"{self.top_p_slider.value() / TOP_P_SCALE:.2f}")


def _or(value: _T | None, default: _T) -> _T:
    return default if value is None else value
