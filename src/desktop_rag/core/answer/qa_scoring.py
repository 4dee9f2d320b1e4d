"""Scoring an answer against gold answers, with SQuAD's conventions, and the figures of a QA run.

Normalisation (SQuAD): lower case, punctuation removed, articles removed (English a/an/the,
French le/la/les/l'/un/une/des), whitespace collapsed. Exact match and token F1 take the best
gold answer; "contains" means a normalised gold answer appears in the normalised answer.
The answer's [n] citation markers are removed first: they are not words of the answer.
"""

from __future__ import annotations

import re
import statistics
import string
import unicodedata
from collections import Counter
from typing import Any

from desktop_rag.core.answer.citations import strip_citations

_ARTICLES = {
    "en": re.compile(r"\b(a|an|the)\b"),
    "fr": re.compile(r"\b(le|la|les|l'|un|une|des)\b|\bl'"),
}
# With the typographic dashes and the minus sign: "−11.7 °C" (a gold answer) and "-11.7 °C" (the
# model's) are the same answer.
_PUNCTUATION = set(string.punctuation) | set("«»“”‘’—–…·−‐‑")

# The figures of a run, in the order they are printed; shares are 0-1 (None: nothing to count).
FIGURES = ("in_prompt", "contains", "exact", "f1", "cited", "citation_precision",
           "citation_precision_written", "citation_precision_all",
           "refused_unanswerable", "refused_answerable", "wrong_language", "ttft_median_s",
           "tokens_per_s", "grounding_flags_wrong", "grounding_flags_right",
           "grounding_flags_unanswerable")


def normalize(text: str, language: str = "en") -> str:
    text = strip_citations(text)
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'")
    if language == "fr":  # l'appel -> appel before the apostrophe goes with the punctuation
        text = re.sub(r"\b(l|d|j|qu|n|s|c|m|t)'", r"\1' ", text)
    text = _ARTICLES.get(language, _ARTICLES["en"]).sub(" ", text)
    text = "".join(" " if c in _PUNCTUATION else c for c in text)
    if language == "fr":
        text = re.sub(r"\b(l|d|j|qu|n|s|c|m|t)\b(?=\s)", " ", text)  # stray elisions: d', qu'
    return " ".join(text.split())


def exact_match(answer: str, golds: list[str], language: str = "en") -> bool:
    got = normalize(answer, language)
    return any(got == normalize(g, language) for g in golds)


def contains_gold(answer: str, golds: list[str], language: str = "en") -> bool:
    got = f" {normalize(answer, language)} "
    return any(f" {g} " in got for g in (normalize(x, language) for x in golds) if g)


def token_f1(answer: str, golds: list[str], language: str = "en") -> float:
    best = 0.0
    predicted = normalize(answer, language).split()
    for gold in golds:
        expected = normalize(gold, language).split()
        common = sum((Counter(predicted) & Counter(expected)).values())
        if not common:
            continue
        precision, recall = common / len(predicted), common / len(expected)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def holds_answer(text: str, golds: list[str], language: str = "en") -> bool:
    """Whether a passage holds one of the gold answers (normalised, as whole words)."""
    return contains_gold(text, golds, language)


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of a list of per-question records (see qa_eval.QaRecord.to_dict)."""
    answerable = [r for r in records if not r["is_impossible"]]
    impossible = [r for r in records if r["is_impossible"]]
    asked = [r for r in answerable if not r["error"]]
    # Citations the app presents as the answer's support: those of an answer marked "not in
    # your documents" ("Les documents ne le disent pas. [1]", or a "no" of the model check)
    # claim nothing, as the grounding check holds; citation_precision_all counts them too.
    supporting = [c for r in asked if not r["refused"] for c in r["citations"]]
    ttfts = [r["ttft_s"] for r in records if r["ttft_s"] is not None]
    speeds = [r["tokens_per_s"] for r in records if r["tokens_per_s"]]
    wrong = [r for r in asked if not r["contains"]]
    right = [r for r in asked if r["contains"]]
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(impossible),
        "in_prompt": _share([r["in_prompt"] for r in answerable]),
        "contains": _share([r["contains"] for r in asked]),
        "exact": _share([r["exact"] for r in asked]),
        "f1": statistics.fmean([r["f1"] for r in asked]) if asked else None,
        "cited": _share([bool(r["citations"]) for r in asked]),
        "citation_precision": _share([c["holds_answer"] for c in supporting]),
        "citation_precision_written": _share([c["holds_answer"] for r in asked
                                              if not r["refused"]
                                              for c in r.get("written_citations", [])]),
        "citation_precision_all": _share([c["holds_answer"] for r in asked
                                          for c in r["citations"]]),
        "refused_unanswerable": _share([r["refused"] for r in impossible]),
        "refused_answerable": _share([r["refused"] for r in asked]),
        "wrong_language": _share([r["wrong_language"] for r in records if not r["error"]]),
        "ttft_median_s": statistics.median(ttfts) if ttfts else None,
        "tokens_per_s": statistics.median(speeds) if speeds else None,
        # How well the grounding check agrees with the gold answers: it should flag the answers
        # that hold no gold answer, and leave those that do alone (refusals aside).
        "grounding_flags_wrong": _share([r["grounding_flagged"] for r in wrong
                                         if not r["refused"]]),
        "grounding_flags_right": _share([r["grounding_flagged"] for r in right]),
        # Unanswerable questions answered anyway: their answer holds no gold answer either.
        "grounding_flags_unanswerable": _share([r["grounding_flagged"] for r in impossible
                                                if not r["refused"] and not r["error"]]),
        "errors": sum(1 for r in records if r["error"]),
    }
