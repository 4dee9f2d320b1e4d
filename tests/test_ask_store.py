"""Ask settings kept per library in ask.json: a faithful round trip, and a forgiving read."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_rag.core.answer.ask_settings import (
    ASK_FILE,
    ask_settings_from_dict,
    ask_settings_to_dict,
    load_ask_settings,
    save_ask_settings,
    template_problems,
)
from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES
from desktop_rag.core.answer.rag import AskSettings
from desktop_rag.core.llm.types import GenerationOptions
from desktop_rag.core.search.retrieval import SearchOptions


def _edited() -> AskSettings:
    french = DEFAULT_TEMPLATES["fr"].with_changes(system="Tu réponds pour « {library} ».")
    return AskSettings(
        model="llama3.2:1b",
        generation=GenerationOptions(temperature=0.35, top_p=0.8, top_k=20, num_predict=256,
                                     num_ctx=8192, seed=7, stop=["###"]),
        search=SearchOptions(mode="keyword", k=9, fusion="rrf", dense_weight=0.4,
                             min_similarity=0.3, min_keyword_share=0.25,
                             documents=("doc-a",), candidates=80),
        language="fr",
        templates={"fr": french, "en": DEFAULT_TEMPLATES["en"]},
        logprobs=True,
        top_logprobs=5,
        model_check=True,
        draws=3,
        evidence=0,
    )


def test_round_trip_through_the_library_folder(tmp_path: Path):
    save_ask_settings(tmp_path, _edited())
    loaded = load_ask_settings(tmp_path)
    expected = _edited()
    assert loaded.model == expected.model
    assert loaded.generation == expected.generation
    assert loaded.language == "fr" and loaded.logprobs and loaded.top_logprobs == 5
    assert loaded.model_check is True and AskSettings().model_check is None  # None: automatic
    assert loaded.draws == 3 and AskSettings().draws == 0
    assert loaded.evidence == 0 and AskSettings().evidence == 2
    assert loaded.templates == {"fr": expected.templates["fr"]}
    # The document restriction belongs to the session: everything else comes back.
    assert loaded.search == SearchOptions(mode="keyword", k=9, fusion="rrf", dense_weight=0.4,
                                          min_similarity=0.3, min_keyword_share=0.25,
                                          candidates=80)
    assert [p.name for p in tmp_path.iterdir()] == [ASK_FILE]  # no temporary file left


def test_only_changed_templates_and_no_documents_are_written(tmp_path: Path):
    save_ask_settings(tmp_path, _edited())
    data = json.loads((tmp_path / ASK_FILE).read_text(encoding="utf-8"))
    assert list(data["templates"]) == ["fr"]
    assert "documents" not in data["search"]
    assert ask_settings_to_dict(AskSettings())["templates"] == {}


def test_defaults_survive_a_round_trip(tmp_path: Path):
    save_ask_settings(tmp_path, AskSettings())
    assert load_ask_settings(tmp_path) == AskSettings()


def test_missing_file_gives_the_defaults(tmp_path: Path):
    assert load_ask_settings(tmp_path) == AskSettings()


def test_corrupted_file_gives_the_defaults(tmp_path: Path):
    (tmp_path / ASK_FILE).write_text('{"model": "llama3.2:1b", "generation": {', encoding="utf-8")
    assert load_ask_settings(tmp_path) == AskSettings()
    (tmp_path / ASK_FILE).write_text("[1, 2]", encoding="utf-8")
    assert load_ask_settings(tmp_path) == AskSettings()
    (tmp_path / ASK_FILE).write_bytes(b"\xff\xfe\x00garbage")
    assert load_ask_settings(tmp_path) == AskSettings()


def test_invalid_values_fall_back_field_by_field():
    loaded = ask_settings_from_dict({
        "model": "",
        "generation": {"temperature": 5, "top_p": 0.5, "top_k": "many", "num_predict": 0,
                       "num_ctx": 2048, "seed": True, "stop": "###"},
        "search": {"mode": "psychic", "k": 0, "fusion": "rrf", "dense_weight": 3,
                   "min_similarity": "high", "min_keyword_share": 0.7, "candidates": 2.5},
        "language": "de",
        "templates": {"en": {"user": "no placeholders"}, "fr": "not an object",
                      "de": {"user": "{context} {question}"}},
        "logprobs": "yes",
        "top_logprobs": 99,
        "model_check": "sometimes",
        "draws": 40,
        "evidence": 7,
    })
    default = AskSettings()
    assert loaded.model == default.model
    assert loaded.generation == GenerationOptions(top_p=0.5, num_ctx=2048)
    assert loaded.search == SearchOptions(fusion="rrf", min_keyword_share=0.7)
    assert loaded.language == default.language
    assert loaded.templates == {}
    assert loaded.model_check is None and loaded.draws == 0 and loaded.evidence == 2
    assert loaded.logprobs is False and loaded.top_logprobs == 0


def test_a_partial_or_older_file_keeps_what_it_has(tmp_path: Path):
    (tmp_path / ASK_FILE).write_text(json.dumps({
        "model": "mistral:7b",
        "generation": {"temperature": 1},
        "search": {"k": 3},
        "templates": {"en": {"system": "Answer for {library}."}},
        "some_future_key": {"x": 1},
    }), encoding="utf-8")
    loaded = load_ask_settings(tmp_path)
    assert loaded.model == "mistral:7b"
    assert loaded.generation == GenerationOptions(temperature=1.0)
    assert isinstance(loaded.generation.temperature, float)
    assert loaded.search == SearchOptions(k=3)
    # A template part left out takes the default text of that part.
    assert loaded.templates["en"].system == "Answer for {library}."
    assert loaded.templates["en"].user == DEFAULT_TEMPLATES["en"].user
    assert loaded.language == "auto" and not loaded.logprobs


def test_not_a_dict_at_all():
    assert ask_settings_from_dict(None) == AskSettings()  # type: ignore[arg-type]
    assert ask_settings_from_dict({"generation": [], "search": 3}) == AskSettings()


def test_template_problems_name_the_missing_placeholders():
    assert template_problems(DEFAULT_TEMPLATES["en"]) == []
    broken = DEFAULT_TEMPLATES["en"].with_changes(user="Question: {question}")
    assert template_problems(broken) == ["the user text must contain {context}"]


def test_save_replaces_the_previous_file(tmp_path: Path):
    save_ask_settings(tmp_path, _edited())
    save_ask_settings(tmp_path, AskSettings(model="qwen2.5:0.5b"))
    assert load_ask_settings(tmp_path) == AskSettings(model="qwen2.5:0.5b")


def test_the_model_check_is_automatic_unless_chosen(tmp_path: Path):
    """Off was version 1's only default: such a file reads as automatic, an explicit choice of
    version 2 stays."""
    assert ask_settings_from_dict({"version": 1, "model_check": False}).model_check is None
    assert ask_settings_from_dict({"version": 1, "model_check": True}).model_check is True
    assert ask_settings_from_dict({"version": 2, "model_check": False}).model_check is False
    for choice in (None, True, False):
        save_ask_settings(tmp_path, AskSettings(model_check=choice))
        assert load_ask_settings(tmp_path).model_check is choice
