"""Measure answers end to end on a question-answering set (the layout of ../shared/bench/qa).

The set's documents go into an ordinary library through the app's importer, and every question
goes through the real `ask()` with the chosen model and settings, so the figures are those a
user gets: is the passage holding the answer in the prompt, does the answer contain a gold
answer, do its citations point at passages that hold it, does the app say "the documents do not
say" when they do not, in the question's language, and how long the first token takes.
Scoring is in qa_scoring; each question keeps its record (answer, passages, flags) for reading.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_rag.core.answer.citations import cited_numbers, normalise_citations, strip_citations
from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.qa_scoring import (
    contains_gold,
    exact_match,
    holds_answer,
    summarise,
    token_f1,
)
from desktop_rag.core.answer.rag import Answer, AskSettings, PromptReady, Retrieved, ask
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.language import detect_language

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.llm.client import ChatBackend
    from desktop_rag.core.store.library import Library

MIN_WORDS_FOR_LANGUAGE = 4  # shorter answers ("1990 [1]") say nothing about their language


@dataclass(frozen=True)
class QaItem:
    id: str
    lang: str
    question: str
    answers: list[str]
    source_file: str  # relative to the set's folder
    is_impossible: bool = False
    plausible: list[str] = field(default_factory=list)

    @property
    def document(self) -> str:
        return Path(self.source_file).name


@dataclass
class QaSet:
    path: Path
    items: list[QaItem]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def folders(self) -> list[Path]:
        """The folders holding the listed documents; imported whole, with their distractors."""
        seen = dict.fromkeys((self.path.parent / i.source_file).parent for i in self.items)
        return list(seen)

    @property
    def language(self) -> str:
        langs = [i.lang for i in self.items]
        return max(set(langs), key=langs.count) if langs else "en"


@dataclass(frozen=True)
class QaProgress:
    done: int
    total: int
    question: str  # the next one ("" at the end)
    records: tuple[dict[str, Any], ...] = ()  # the questions answered so far


@dataclass
class QaReport:
    name: str
    model: str
    settings: dict[str, Any]
    overall: dict[str, Any]
    languages: dict[str, dict[str, Any]]
    records: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"set": self.name, "model": self.model, "settings": self.settings,
                "overall": self.overall, **self.languages, "answers": self.records}


def load_qa(path: Path) -> QaSet:
    path = Path(path)
    if not path.is_file():
        raise DesktopRagError(f"no QA file at {path}")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(QaItem(
                id=str(row["id"]), lang=row.get("lang") or "en", question=row["question"],
                answers=list(row.get("answers") or []), source_file=row["source_file"],
                is_impossible=bool(row.get("is_impossible")),
                plausible=[p["text"] for p in row.get("plausible_answers") or []]))
        except (ValueError, KeyError, TypeError) as exc:
            raise DesktopRagError(f"{path.name}, line {number}: not a QA entry ({exc})") from exc
    if not items:
        raise DesktopRagError(f"{path.name} holds no question")
    missing = sorted({i.source_file for i in items
                      if not (path.parent / i.source_file).is_file()})
    if missing:
        raise DesktopRagError(f"{len(missing)} listed document(s) missing next to {path.name}, "
                              f"e.g. {missing[0]}")
    return QaSet(path, items)


def sample(items: list[QaItem], n: int | None, seed: int = 0) -> list[QaItem]:
    """A fixed sample of n questions: the first n of one fixed shuffle, asked in that order, so
    that a smaller sample is part of a larger one and a run cut short after k questions has
    asked the sample of k (in the set's order, a run of 100 cut at 50 had asked another 50
    than a run of 50)."""
    if n is None:
        return list(items)
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [items[i] for i in order[: max(n, 0)]]


def library_name(qa: QaSet) -> str:
    return "eval-qa-" + re.sub(r"[^\w.-]+", "-", qa.name)[:50]


def _strip_citations(text: str) -> str:
    return " ".join(strip_citations(text).split())


def score(item: QaItem, answer: Answer) -> dict[str, Any]:
    """One question's record: the figures and what is needed to read them."""
    text = answer.text
    golds = item.answers
    in_prompt = sorted((h for h in answer.hits if h.prompt_number),
                       key=lambda h: h.prompt_number or 0)

    def holds(hit: Any) -> bool:
        return bool(golds) and hit.document == item.document and \
            holds_answer(hit.text, golds, item.lang)

    cited = {c.number for c in answer.citations}
    by_number = {h.prompt_number: h for h in in_prompt}
    # The citations as the model wrote them (normalised, not yet repaired): the repair's effect.
    written = [{"number": n, "holds_answer": holds(by_number[n])}
               for n in cited_numbers(normalise_citations(answer.model_text or text))
               if n in by_number]
    passages = [{"number": h.prompt_number, "document": h.document, "section": h.section,
                 "pages": list(h.pages), "rank": h.rank, "fused_score": h.fused_score,
                 "text": h.text, "holds_answer": holds(h), "cited": h.prompt_number in cited}
                for h in in_prompt]
    refused = answer.not_in_documents
    plain = _strip_citations(text)
    wrong_language = False
    if not answer.nothing_relevant and len(plain.split()) >= MIN_WORDS_FOR_LANGUAGE:
        wrong_language = detect_language([plain], default=item.lang) != item.lang
    grounding = answer.grounding
    return {
        "id": item.id, "lang": item.lang, "question": item.question, "answers": golds,
        "is_impossible": item.is_impossible, "plausible": item.plausible,
        "document": item.document, "answer": text, "refused": bool(refused),
        "nothing_relevant": answer.nothing_relevant,
        "in_prompt": any(p["holds_answer"] for p in passages),
        "contains": bool(golds) and contains_gold(text, golds, item.lang),
        "exact": bool(golds) and exact_match(text, golds, item.lang),
        "f1": token_f1(text, golds, item.lang) if golds else 0.0,
        "citations": [{"number": c.number, "document": c.hit.document,
                       "holds_answer": holds(c.hit)} for c in answer.citations],
        "written_citations": written,
        "model_answer": answer.model_text or text,
        "citation_repairs": [asdict(r) for r in answer.citation_repairs],
        "model_check": asdict(answer.model_check) if answer.model_check else None,
        # Answered on a second look after a refusal: which passage, the first reply, the wait.
        "second_look": {"passage": answer.second_look.passage,
                        "first_text": answer.second_look.first_text,
                        "seconds": answer.second_look.seconds} if answer.second_look else None,
        "unresolved": list(answer.unresolved),
        "wrong_language": wrong_language,
        "ttft_s": answer.time_to_first_token_s, "tokens_per_s": answer.tokens_per_second,
        "prompt_tokens_estimate": sum(v for k, v in answer.budget.items()
                                      if k in ("system", "history", "passages", "question")),
        # Marked in the chat: by the grounding check, or as unsteady when drawn again.
        "grounding_flagged": bool(grounding is not None and grounding.flagged) or answer.unsteady,
        "unsteady": answer.unsteady,
        "draws": asdict(answer.draws) if answer.draws else None,
        "grounding": asdict(grounding) if grounding is not None else None,
        "error": answer.error if answer.incomplete else None,
        # [token, logprob, [[alternative, logprob], ...]] of the answer's tokens (when asked for)
        "logprobs": [[lp.token, lp.logprob, [list(t) for t in lp.top]] for lp in answer.logprobs],
        "passages": passages,
    }


def evaluate_qa(
    qa: QaSet,
    items: list[QaItem],
    library: Library,
    embedder: Embedder,
    client: ChatBackend,
    settings: AskSettings,
    cancel: CancelToken | None = None,
    context_length: int | None = None,
    answers: bool = True,
) -> Iterator[QaProgress | QaReport]:
    """Ask every question (each in a conversation of its own); yield progress, then the report.
    A question whose answer fails is recorded with its error and the run goes on.
    answers=False: stop each question once its prompt is built (the passages in the prompt are
    measured in seconds, without the model; the answer figures are then empty)."""
    cancel = cancel or CancelToken()
    records: list[dict[str, Any]] = []
    for done, item in enumerate(items):
        if cancel.cancelled:
            break
        yield QaProgress(done, len(items), item.question, tuple(records))
        answer = None
        events = ask(item.question, Conversation(), settings, library, embedder, client,
                     cancel=cancel, context_length=context_length)
        for event in events:
            if isinstance(event, Answer):
                answer = event
            elif isinstance(event, Retrieved):
                retrieved = event.result
            elif isinstance(event, PromptReady) and not answers:
                events.close()
                budget = event.prompt.budget
                answer = Answer(item.question, "", settings.model, item.lang, retrieved.hits,
                                [], [], [], {}, budget={
                                    "system": budget.system, "history": budget.history,
                                    "passages": budget.passages, "question": budget.question})
                break
        assert answer is not None
        if answer.incomplete and not answer.error:
            answer.error = answer.done_reason or "stopped"
        records.append(score(item, answer))
    yield QaProgress(len(records), len(items), "", tuple(records))
    yield make_report(qa, settings, library.name, records)


def make_report(qa: QaSet, settings: AskSettings, library: str,
                records: list[dict[str, Any]]) -> QaReport:
    """The figures of the records so far, overall and per language."""
    languages = sorted({r["lang"] for r in records})
    return QaReport(
        name=qa.name, model=settings.model,
        settings={"generation": settings.generation.to_ollama(),
                  "search": {k: v for k, v in asdict(settings.search).items()
                             if k != "documents"}, "library": library,
                  "model_check": settings.model_check, "draws": settings.draws},
        overall=summarise(records),
        languages={lang: summarise([r for r in records if r["lang"] == lang])
                   for lang in languages},
        records=list(records))
