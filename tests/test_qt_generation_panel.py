"""The generation panel, driven the way a user does: sliders, spin boxes, the model list, the
pull dialog and the prompt template editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES
from desktop_rag.core.answer.rag import AskSettings
from desktop_rag.core.llm.types import GenerationOptions
from desktop_rag.core.search.retrieval import SearchOptions
from desktop_rag.qt.generation_panel import GenerationPanel
from desktop_rag.qt.ollama_help import SUGGESTED_MODELS


@pytest.fixture
def panel(qtbot):  # type: ignore[no-untyped-def]
    widget = GenerationPanel()
    qtbot.addWidget(widget)
    widget.resize(320, 700)  # not shown: the offscreen platform warns on show()
    return widget


@pytest.fixture
def edits(panel):  # type: ignore[no-untyped-def]
    """How many times `changed` was emitted."""
    count: list[int] = []
    panel.changed.connect(lambda: count.append(1))
    return count


def test_defaults_are_explicit(panel):  # type: ignore[no-untyped-def]
    g = panel.settings().generation
    assert (g.temperature, g.top_p, g.top_k, g.num_predict, g.num_ctx, g.seed) == \
        (0.8, 0.9, 40, 512, 4096, None)
    assert panel.temperature_value_label.text() == "0.80"
    assert panel.top_p_value_label.text() == "0.90"
    assert panel.settings().search.mode == "hybrid" and panel.settings().search.k == 3


def test_temperature_slider_sets_the_temperature(  # type: ignore[no-untyped-def]
        panel, edits, qtbot):
    with qtbot.waitSignal(panel.changed, timeout=1000):
        panel.temperature_slider.setValue(7)
    assert panel.settings().generation.temperature == pytest.approx(7 / 20)
    assert panel.temperature_value_label.text() == "0.35"
    qtbot.keyClick(panel.temperature_slider, Qt.Key.Key_Right)  # one step of 0.05
    assert panel.settings().generation.temperature == pytest.approx(0.4)
    assert len(edits) == 2
    panel.temperature_slider.setValue(panel.temperature_slider.maximum())
    assert panel.settings().generation.temperature == 2.0


def test_top_p_slider_sets_top_p(panel, edits):  # type: ignore[no-untyped-def]
    panel.top_p_slider.setValue(42)
    assert panel.settings().generation.top_p == pytest.approx(0.42)
    assert panel.top_p_value_label.text() == "0.42"
    panel.top_p_slider.setValue(0)
    assert panel.settings().generation.top_p == 0.0
    assert len(edits) == 2


def test_spin_boxes_seed_retrieval_and_logprobs(panel, edits):  # type: ignore[no-untyped-def]
    panel.top_k_spin.setValue(12)
    panel.max_tokens_spin.setValue(1024)
    panel.context_spin.setValue(8192)
    assert not panel.seed_spin.isEnabled()
    panel.seed_check.setChecked(True)
    assert panel.seed_spin.isEnabled()
    panel.seed_spin.setValue(1234)
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("keyword"))
    panel.k_spin.setValue(10)
    panel.logprobs_check.setChecked(True)
    s = panel.settings()
    assert (s.generation.top_k, s.generation.num_predict, s.generation.num_ctx,
            s.generation.seed) == (12, 1024, 8192, 1234)
    assert (s.search.mode, s.search.k) == ("keyword", 10)
    assert s.logprobs and s.top_logprobs == 5
    assert len(edits) == 8  # one per edit
    panel.seed_check.setChecked(False)
    panel.logprobs_check.setChecked(False)
    assert panel.settings().generation.seed is None
    assert not panel.settings().logprobs and panel.settings().top_logprobs == 0
    assert panel.settings().model_check is None  # automatic by default
    panel.model_check_combo.setCurrentIndex(panel.model_check_combo.findData("on"))
    assert panel.settings().model_check is True and len(edits) == 11
    panel.model_check_combo.setCurrentIndex(panel.model_check_combo.findData("off"))
    assert panel.settings().model_check is False and len(edits) == 12
    assert panel.settings().draws == 0 and panel.draws_spin.text() == "Never"
    panel.draws_spin.setValue(3)
    assert panel.settings().draws == 3 and len(edits) == 13
    assert panel.draws_spin.maximum() == 5
    assert panel.settings().evidence == 2  # two sentences pointed out by default
    panel.evidence_spin.setValue(0)
    assert panel.settings().evidence == 0 and panel.evidence_spin.text() == "None"
    assert len(edits) == 14 and panel.evidence_spin.maximum() == 3


def test_limits_of_the_spin_boxes(panel):  # type: ignore[no-untyped-def]
    assert (panel.top_k_spin.minimum(), panel.top_k_spin.maximum()) == (1, 200)
    assert (panel.max_tokens_spin.minimum(), panel.max_tokens_spin.maximum()) == (16, 8192)
    assert (panel.context_spin.minimum(), panel.context_spin.maximum()) == (512, 131072)
    assert (panel.k_spin.minimum(), panel.k_spin.maximum()) == (1, 30)


def test_set_settings_round_trip_without_emitting(panel, edits):  # type: ignore[no-untyped-def]
    french = DEFAULT_TEMPLATES["fr"].with_changes(system="Réponds pour « {library} ».")
    given = AskSettings(
        model="llama3.2:1b",
        generation=GenerationOptions(temperature=0.35, top_p=0.75, top_k=20, num_predict=256,
                                     num_ctx=8192, seed=7, stop=["###"]),
        search=SearchOptions(mode="dense", k=9, fusion="rrf", min_similarity=0.2,
                             documents=("doc-a",)),
        language="fr",
        templates={"fr": french},
        logprobs=True,
        top_logprobs=3,
        model_check=True,
        draws=2,
        evidence=1,
    )
    panel.set_settings(given)
    assert panel.settings() == given  # what the panel does not edit is kept too
    assert edits == []
    assert panel.temperature_value_label.text() == "0.35"
    panel.template_language_combo.setCurrentIndex(panel.template_language_combo.findData("fr"))
    assert panel.system_edit.toPlainText() == "Réponds pour « {library} »."
    assert edits == []  # looking at another language's template is not an edit


def test_unset_values_show_ollama_defaults(panel):  # type: ignore[no-untyped-def]
    panel.temperature_slider.setValue(3)
    panel.set_settings(AskSettings())
    assert panel.settings().generation.temperature == 0.8
    assert panel.temperature_slider.value() == 16


def test_models_list(panel, edits):  # type: ignore[no-untyped-def]
    panel.set_models(["llama3.2:1b", "qwen2.5:0.5b"], current="qwen2.5:0.5b")
    assert [panel.model_combo.itemText(i) for i in range(panel.model_combo.count())] == \
        ["llama3.2:1b", "qwen2.5:0.5b"]
    assert panel.settings().model == "qwen2.5:0.5b"
    panel.set_models(["llama3.2:1b", "mistral:7b", "qwen2.5:0.5b"], None)  # keeps the choice
    assert panel.settings().model == "qwen2.5:0.5b"
    assert edits == []
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("mistral:7b"))
    assert panel.settings().model == "mistral:7b" and len(edits) == 1


def test_a_chosen_model_that_is_not_installed_stays_visible(panel):  # type: ignore[no-untyped-def]
    panel.set_models(["llama3.2:1b"], current=None)
    panel.set_settings(AskSettings(model="gone:7b"))
    assert panel.settings().model == "gone:7b"
    assert "not installed" in panel.model_combo.currentText()


def test_refresh_button(panel, qtbot):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(panel.refresh_models_requested, timeout=1000):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)


def test_pull_button_asks_for_a_name_and_emits_it(panel, qtbot):  # type: ignore[no-untyped-def]
    panel.model_name_dialog = lambda parent: "llama3.2:3b  (about 2.0 GB)"
    with qtbot.waitSignal(panel.pull_requested, timeout=1000) as blocker:
        qtbot.mouseClick(panel.pull_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["llama3.2:3b"]
    panel.model_name_dialog = lambda parent: None  # cancelled
    with qtbot.assertNotEmitted(panel.pull_requested):
        qtbot.mouseClick(panel.pull_button, Qt.MouseButton.LeftButton)


def test_the_dialog_can_be_given_to_the_constructor(qtbot):  # type: ignore[no-untyped-def]
    asked = []
    panel = GenerationPanel(model_name_dialog=lambda parent: asked.append(parent) or "phi3")
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.pull_requested, timeout=1000) as blocker:
        panel.pull_button.click()
    assert blocker.args == ["phi3"] and asked == [panel]
    assert SUGGESTED_MODELS[0][0] == "qwen2.5:0.5b"


def test_the_default_dialog_offers_small_models(panel, monkeypatch):  # type: ignore[no-untyped-def]
    shown = {}

    def get_item(parent, title, label, items, current, editable):  # type: ignore[no-untyped-def]
        shown.update(parent=parent, items=items, editable=editable)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    emitted: list[str] = []
    panel.pull_requested.connect(emitted.append)
    panel.pull_button.click()
    assert emitted == [SUGGESTED_MODELS[1][0]]
    assert shown["parent"] is panel and shown["editable"]  # any other name can be typed
    assert [i.split()[0] for i in shown["items"]] == [name for name, _, _ in SUGGESTED_MODELS]
    assert "398 MB" in shown["items"][0]


def test_pull_progress_then_finished(panel):  # type: ignore[no-untyped-def]
    assert panel.pull_progress.isHidden()
    panel.set_pull_progress("pulling manifest", None)
    assert not panel.pull_progress.isHidden() and panel.pull_progress.maximum() == 0
    panel.set_pull_progress("downloading 40%", 0.4)
    assert panel.pull_progress.value() == 400
    assert panel.pull_status.text() == "downloading 40%"
    assert not panel.pull_button.isEnabled()
    panel.pull_finished(False, "The model does not exist.")
    assert panel.pull_progress.isHidden() and panel.pull_button.isEnabled()
    assert panel.pull_status.text() == "The model does not exist."


def test_template_edit_applies_and_reset_restores(panel, edits):  # type: ignore[no-untyped-def]
    panel.system_edit.setPlainText("Answer for {library}, in one line.")
    s = panel.settings()
    assert s.templates["en"].system == "Answer for {library}, in one line."
    assert s.templates["en"].user == DEFAULT_TEMPLATES["en"].user
    assert len(edits) == 1
    panel.reset_template_button.click()
    assert panel.system_edit.toPlainText() == DEFAULT_TEMPLATES["en"].system
    assert panel.settings().templates == {}
    assert len(edits) == 2


def test_invalid_template_is_flagged_and_not_applied(panel, edits):  # type: ignore[no-untyped-def]
    panel.user_edit.setPlainText("Question: {question}")  # {context} is gone
    assert not panel.template_error_label.isHidden()
    assert "{context}" in panel.template_error_label.text()
    assert panel.settings().templates == {}
    assert edits == []
    panel.user_edit.setPlainText("Passages:\n{context}\n\nQuestion: {question}")
    assert panel.template_error_label.isHidden()
    assert panel.settings().templates["en"].user.startswith("Passages:")
    assert len(edits) == 1


def test_each_language_keeps_its_own_draft(panel):  # type: ignore[no-untyped-def]
    panel.user_edit.setPlainText("broken")
    panel.template_language_combo.setCurrentIndex(panel.template_language_combo.findData("fr"))
    assert panel.user_edit.toPlainText() == DEFAULT_TEMPLATES["fr"].user
    assert panel.template_error_label.isHidden()
    panel.template_language_combo.setCurrentIndex(panel.template_language_combo.findData("en"))
    assert panel.user_edit.toPlainText() == "broken"
    assert not panel.template_error_label.isHidden()


def test_fits_a_narrow_side_panel(panel):  # type: ignore[no-untyped-def]
    assert panel.minimumSizeHint().width() <= 320


def test_the_automatic_check_says_what_it_does_with_the_model_chosen(panel, edits):  # type: ignore[no-untyped-def]
    combo = panel.model_check_combo
    auto = combo.findData("auto")
    assert combo.itemText(auto) == "Automatic: models of 1.5B parameters or more"
    panel.set_models(["small:0.5b", "big:7b"], "small:0.5b",
                     {"small:0.5b": "494.03M", "big:7b": "7.6B"})
    assert combo.itemText(auto) == "Automatic: off for this model (494.03M; on from 1.5B)"
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("big:7b"))
    assert combo.itemText(auto) == "Automatic: on for this model (7.6B)"
    assert panel.settings().model_check is None  # the choice stays automatic
