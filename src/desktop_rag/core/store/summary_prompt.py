"""The prompt that writes a summary of the tree, in the document's language, and its settings.

Kept in the library folder (summaries.json) when the user changed it: the Prompt tab shows and
edits it; only what differs from the built-in text is stored, as for the answer prompt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_rag.core.settings import read_json, write_json_atomic

SUMMARY_FILE = "summaries.json"
CHARS_PER_TOKEN = 3.0
SUMMARIES_PER_PROMPT = 3  # as the answer prompt: the chat model's tokenizer is not here
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SummaryTemplate:
    """system; user with {document} and {text}; {words} in either."""

    system: str
    user: str


DEFAULT_SUMMARY_TEMPLATES = {
    "en": SummaryTemplate(
        system=(
            "You write summaries of parts of a document, in English, for a search index. Say "
            "what the text is about and what it states: keep names, numbers, dates, "
            "definitions, obligations and conditions. Add nothing that the text does not say. "
            "Write plain sentences, without a title, a list or an introduction."
        ),
        user="Document: {document}\n\nText:\n\n{text}\n\nSummarise this text in English in at "
             "most {words} words.",
    ),
    "fr": SummaryTemplate(
        system=(
            "Tu écris des résumés de parties d'un document, en français, pour un index de "
            "recherche. Dis de quoi parle le texte et ce qu'il affirme : garde les noms, les "
            "nombres, les dates, les définitions, les obligations et les conditions. N'ajoute "
            "rien que le texte ne dise pas. Écris des phrases simples, sans titre, sans liste "
            "et sans introduction."
        ),
        user="Document : {document}\n\nTexte :\n\n{text}\n\nRésume ce texte en français en "
             "{words} mots au plus.",
    ),
}


@dataclass(frozen=True)
class SummarySettings:
    """budget: tokens of text per cluster (one prompt); summary_tokens: longest summary."""

    budget: int = 1800
    summary_tokens: int = 256
    templates: dict[str, SummaryTemplate] = field(default_factory=dict)  # the user's edits

    def template(self, language: str) -> SummaryTemplate:
        return self.templates.get(language) or DEFAULT_SUMMARY_TEMPLATES.get(
            language, DEFAULT_SUMMARY_TEMPLATES["en"])

    def checked(self) -> SummarySettings:
        """A budget that holds at least three summaries: with less, a level of summaries
        would not shrink into fewer above it and the tree would never reach its root."""
        least = SUMMARIES_PER_PROMPT * self.summary_tokens
        return self if self.budget >= least else replace(self, budget=least)

    @property
    def words(self) -> int:
        return max(20, int(self.summary_tokens * 0.55))  # words fit in the token limit

    def with_template(self, language: str, template: SummaryTemplate) -> SummarySettings:
        templates = dict(self.templates)
        if template == DEFAULT_SUMMARY_TEMPLATES.get(language):
            templates.pop(language, None)
        else:
            templates[language] = template
        return replace(self, templates=templates)


def template_problems(template: SummaryTemplate) -> list[str]:
    return [] if "{text}" in template.user else ["the user text must contain {text}"]


def summary_messages(template: SummaryTemplate, document: str, text: str,
                     words: int) -> list[dict[str, str]]:
    values = {"document": document, "text": text, "words": str(words)}
    return [{"role": "system", "content": _fill(template.system, values)},
            {"role": "user", "content": _fill(template.user, values)}]


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def _fill(text: str, values: dict[str, str]) -> str:
    # Not str.format: a user's braces elsewhere in the text must not break the prompt.
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def load_summary_settings(folder: Path) -> SummarySettings:
    path = folder / SUMMARY_FILE
    if not path.exists():
        return SummarySettings()
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        log.warning("could not read %s (%s); using the built-in summary settings", path, exc)
        return SummarySettings()
    default = SummarySettings()
    templates = {}
    for language, t in (data.get("templates") or {}).items():
        if isinstance(t, dict) and isinstance(t.get("system"), str) and isinstance(
                t.get("user"), str):
            template = SummaryTemplate(t["system"], t["user"])
            if not template_problems(template):
                templates[language] = template
    return SummarySettings(
        budget=_whole(data.get("budget"), default.budget, 200),
        summary_tokens=_whole(data.get("summary_tokens"), default.summary_tokens, 32),
        templates=templates,
    )


def save_summary_settings(folder: Path, settings: SummarySettings) -> None:
    data: dict[str, Any] = {"budget": settings.budget, "summary_tokens": settings.summary_tokens,
                            "templates": {k: {"system": t.system, "user": t.user}
                                          for k, t in sorted(settings.templates.items())}}
    write_json_atomic(folder / SUMMARY_FILE, data)


def _whole(value: Any, default: int, least: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and \
        value >= least else default
