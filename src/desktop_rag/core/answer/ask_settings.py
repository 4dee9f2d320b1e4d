"""The user's ask settings of a library (model, sampling, retrieval, prompt), kept in ask.json.

The file sits in the library folder and is written atomically. Reading is forgiving: unknown
keys are ignored and a value that is missing or invalid falls back to the default of that one
field, so a hand-edited, older or damaged file never stops the app; it only loses what it
cannot read. Only the prompt templates that differ from the built-in ones are stored, so a
later improvement of a default reaches every library that never changed it. The restriction
of a search to some documents belongs to one session and is not stored.
"""

from __future__ import annotations

import logging
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

from desktop_rag.core.answer.evidence import MAX_SENTENCES
from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES, PromptTemplate
from desktop_rag.core.answer.rag import AskSettings
from desktop_rag.core.llm.types import GenerationOptions
from desktop_rag.core.search.hits import SearchOptions
from desktop_rag.core.settings import read_json, write_json_atomic

ASK_FILE = "ask.json"
# 2: model_check may be null (automatic). Version 1 could only write false, its default, so
# a version 1 false reads as automatic: the new default reaches libraries that never chose.
FORMAT_VERSION = 2
MAX_DRAWS = 5  # times an answer is drawn again (consistency.py): each costs its own tokens
PROMPT_LANGUAGES = ("auto", *DEFAULT_TEMPLATES)
MAX_TOP_LOGPROBS = 20  # Ollama's limit
_NOT_STORED = {"documents"}  # per session
_TEMPLATE_PARTS = ("system", "user", "no_context")
_REQUIRED_IN_USER = ("{context}", "{question}")

log = logging.getLogger(__name__)


def template_problems(template: PromptTemplate) -> list[str]:
    """What makes a template unusable, as short sentences; empty when it can be used."""
    return [f"the user text must contain {p}" for p in _REQUIRED_IN_USER
            if p not in template.user]


def changed_templates(templates: dict[str, PromptTemplate]) -> dict[str, PromptTemplate]:
    """The templates that differ from the built-in one of their language (English, French)."""
    return {lang: t for lang, t in templates.items()
            if lang in DEFAULT_TEMPLATES and t != DEFAULT_TEMPLATES[lang]}


def ask_settings_to_dict(s: AskSettings) -> dict[str, Any]:
    generation = {f.name: getattr(s.generation, f.name) for f in fields(GenerationOptions)}
    if generation["stop"] is not None:
        generation["stop"] = list(generation["stop"])
    search = {f.name: getattr(s.search, f.name) for f in fields(SearchOptions)
              if f.name not in _NOT_STORED}
    templates = {lang: {part: getattr(t, part) for part in _TEMPLATE_PARTS}
                 for lang, t in sorted(changed_templates(s.templates).items())}
    return {
        "version": FORMAT_VERSION,
        "model": s.model,
        "generation": generation,
        "search": search,
        "language": s.language,
        "templates": templates,
        "logprobs": s.logprobs,
        "top_logprobs": s.top_logprobs,
        "model_check": s.model_check,
        "draws": s.draws,
        "evidence": s.evidence,
    }


def ask_settings_from_dict(d: Any) -> AskSettings:
    """Settings from a stored dict; anything unreadable takes the default of its field."""
    data = d if isinstance(d, dict) else {}
    default = AskSettings()
    model = data.get("model")
    language = data.get("language")
    logprobs = data.get("logprobs")
    top_logprobs = data.get("top_logprobs")
    model_check = data.get("model_check")
    draws = data.get("draws")
    evidence = data.get("evidence")
    if model_check is False and data.get("version", 1) == 1:
        model_check = None
    return AskSettings(
        model=model.strip() if isinstance(model, str) and model.strip() else default.model,
        generation=_generation(data.get("generation")),
        search=_search(data.get("search")),
        language=language if language in PROMPT_LANGUAGES else default.language,
        templates=_templates(data.get("templates")),
        logprobs=logprobs if isinstance(logprobs, bool) else default.logprobs,
        top_logprobs=top_logprobs if _is_int(top_logprobs)
        and 0 <= top_logprobs <= MAX_TOP_LOGPROBS else default.top_logprobs,
        model_check=model_check if isinstance(model_check, bool) else default.model_check,
        draws=draws if _is_int(draws) and 0 <= draws <= MAX_DRAWS else default.draws,
        evidence=evidence if _is_int(evidence) and 0 <= evidence <= MAX_SENTENCES
        else default.evidence,
    )


def load_ask_settings(folder: Path) -> AskSettings:
    """The settings stored in the library folder; the defaults when there are none or the
    file cannot be read (the reason is logged)."""
    path = Path(folder) / ASK_FILE
    if not path.exists():
        return AskSettings()
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        log.warning("ignoring unreadable ask settings %s: %s", path, exc)
        return AskSettings()
    return ask_settings_from_dict(data)


def save_ask_settings(folder: Path, s: AskSettings) -> None:
    write_json_atomic(Path(folder) / ASK_FILE, ask_settings_to_dict(s))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _generation(data: Any) -> GenerationOptions:
    if not isinstance(data, dict):
        return GenerationOptions()
    kept: dict[str, Any] = {}
    for f in fields(GenerationOptions):
        value = data.get(f.name)
        if value is None:
            continue
        if f.name in ("temperature", "top_p") and _is_number(value):
            value = float(value)
        try:
            GenerationOptions(**{f.name: value})  # each field is checked on its own
        except (TypeError, ValueError):
            log.warning("ignoring invalid generation option %s=%r", f.name, value)
            continue
        kept[f.name] = value
    return GenerationOptions(**kept)


def _search(data: Any) -> SearchOptions:
    if not isinstance(data, dict):
        return SearchOptions()
    default = SearchOptions()
    kept: dict[str, Any] = {}
    for f in fields(SearchOptions):
        if f.name in _NOT_STORED or f.name not in data:
            continue
        value = data[f.name]
        if not _search_value_ok(f.name, value, getattr(default, f.name)):
            log.warning("ignoring invalid search option %s=%r", f.name, value)
            continue
        if isinstance(getattr(default, f.name), float) and value is not None:
            value = float(value)
        try:
            SearchOptions(**{f.name: value})
        except (TypeError, ValueError):
            log.warning("ignoring invalid search option %s=%r", f.name, value)
            continue
        kept[f.name] = value
    try:
        return SearchOptions(**kept)
    except (TypeError, ValueError):  # a rule between fields, should one be added
        return default


def _search_value_ok(name: str, value: Any, default: Any) -> bool:
    if name == "dense_weight":
        return value is None or _is_number(value)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if _is_int(default):
        return _is_int(value) and value >= 1
    if isinstance(default, float):
        return _is_number(value) and 0 <= value <= 1
    return False


def _templates(data: Any) -> dict[str, PromptTemplate]:
    if not isinstance(data, dict):
        return {}
    kept: dict[str, PromptTemplate] = {}
    for lang, parts in data.items():
        base = DEFAULT_TEMPLATES.get(lang)
        if base is None or not isinstance(parts, dict):
            continue
        texts = {p: parts[p] for p in _TEMPLATE_PARTS if isinstance(parts.get(p), str)}
        template = base.with_changes(**texts)
        if template_problems(template):
            log.warning("ignoring invalid %s prompt template: %s", lang,
                        "; ".join(template_problems(template)))
            continue
        if template != base:
            kept[lang] = template
    return kept
