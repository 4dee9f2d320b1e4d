"""The RAG prompt: templates (French and English), numbered passages and the token budget.

The budget is explicit because Ollama's own default context is small and it truncates the
start of a prompt silently when it overflows, which drops the instructions or the best
passages without anyone knowing. Here num_ctx is always set, and when the prompt does not
fit, the oldest turns and the lowest-ranked passages leave first, and each drop is recorded.

Token counts are estimates: the app does not have the chat model's tokenizer. Three
characters per token is on the safe side for English and French with the BPE tokenizers of
current models (about 4 and 3.3 on average), so an estimate errs towards dropping too much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from desktop_rag.core.search.hits import Hit

if TYPE_CHECKING:
    from desktop_rag.core.answer.evidence import Evidence

CHARS_PER_TOKEN = 3.0
MESSAGE_OVERHEAD = 4  # role markers and separators of a chat template, per message
SECTION_CHARS = 60


@dataclass(frozen=True)
class PromptTemplate:
    """System text with {library}; user text with {context} and {question}."""

    system: str
    user: str
    no_context: str  # said instead of passages when nothing relevant was found

    def with_changes(self, **changes: Any) -> PromptTemplate:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Written for small local models (0.5B-3B), which follow short, concrete instructions: the
# question comes before the passages and again after them, next to what to do; one worked
# example shows an answer in words followed by its citation (without it the 0.5B model
# answered "[1]" and nothing else to 8 of 10 PIAF questions); the refusal is a fixed sentence
# (core/answer/refusal.py recognises it), said once, in the system message: repeated as the
# last words of the prompt, the 1.5B model gave it to 13 of 39 answerable SQuAD questions,
# mostly with the answer in passage 1. Passages are labelled "Passage 1 (file, page,
# section):" rather than "[1] (file...)": a label the answer's own [1] citations do not
# repeat, so that a model starting with "[1]" has no header to copy.
DEFAULT_TEMPLATES = {
    "en": PromptTemplate(
        system=(
            "You answer questions about the documents of the library \"{library}\", using "
            "only the passages given with the question. Answer with one or two short sentences "
            "in English that say the answer itself, each followed by the number of the passage "
            "it comes from in square brackets. For example, to the question \"Where does the "
            "Rhone end?\" with passage 1 \"The Rhone ends in the Mediterranean Sea.\", the "
            "answer is: The Rhone ends in the Mediterranean Sea [1]. If the passages do not "
            "contain the answer, reply only: The documents do not say."
        ),
        user="Question: {question}\n\nPassages:\n\n{context}\n\nQuestion: {question}\n"
             "Answer in English with a sentence taken from the passages above, followed by the "
             "passage number in brackets.",
        no_context="(no passage of the documents is relevant to this question)",
    ),
    "fr": PromptTemplate(
        system=(
            "Tu réponds aux questions sur les documents de la bibliothèque « {library} », "
            "uniquement à partir des passages donnés avec la question. Réponds par une ou deux "
            "phrases courtes en français qui disent la réponse elle-même, chacune suivie du "
            "numéro du passage d'où elle vient entre crochets. Par exemple, à la question « Où "
            "se jette le Rhône ? » avec le passage 1 « Le Rhône se jette dans la mer "
            "Méditerranée. », la réponse est : Le Rhône se jette dans la mer Méditerranée [1]. "
            "Si les passages ne contiennent pas la réponse, réponds seulement : Les documents "
            "ne le disent pas."
        ),
        user="Question : {question}\n\nPassages :\n\n{context}\n\nQuestion : {question}\n"
             "Réponds en français par une phrase tirée des passages ci-dessus, suivie du numéro "
             "du passage entre crochets.",
        no_context="(aucun passage des documents ne concerne cette question)",
    ),
}


EVIDENCE_HEADERS = {
    "en": "Sentences of the passages closest to the question:",
    "fr": "Phrases des passages les plus proches de la question :",
}
_QUOTES = {"en": ("\"", "\""), "fr": ("« ", " »")}


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def short_section(section: str | None) -> str:
    """The innermost heading of a section path, cut at SECTION_CHARS: the AI Act's paths
    ("SECTION 3 › Obligations of providers and deployers... › Providers ... shall:") took
    50 tokens a passage and repeated the passage's first lines."""
    if not section:
        return ""
    last = section.split(" › ")[-1].strip().rstrip(":").strip()
    if len(last) <= SECTION_CHARS:
        return last
    return last[:SECTION_CHARS].rsplit(" ", 1)[0] + "…"


def format_passage(number: int, hit: Hit) -> str:
    """'Passage 2 (report.pdf, p. 4, Methods):' then the text: a label, not a citation."""
    source = ", ".join(p for p in (hit.document, hit.page_label, short_section(hit.section)) if p)
    return f"Passage {number} ({source}):\n{hit.text.strip()}"


def format_evidence(evidence: list[Evidence], numbers: dict[int, int], language: str) -> str:
    """The block under the passages: each sentence quoted, then its passage's number (the
    answer's format, which small models copy). core/answer/evidence.py chooses the sentences.
    numbers: id(hit) -> its number in this prompt; the sentences of passages left out go."""
    opening, closing = _QUOTES.get(language, _QUOTES["en"])
    lines = [f"{opening}{e.sentence.strip()}{closing} [{numbers[id(e.hit)]}]"
             for e in evidence if id(e.hit) in numbers]
    if not lines:
        return ""
    return "\n".join([EVIDENCE_HEADERS.get(language, EVIDENCE_HEADERS["en"]), *lines])


@dataclass
class Budget:
    """Where the context goes, in estimated tokens."""

    num_ctx: int
    reserved_for_answer: int
    system: int = 0
    history: int = 0
    passages: int = 0
    question: int = 0

    @property
    def used(self) -> int:
        return self.system + self.history + self.passages + self.question

    @property
    def room_left(self) -> int:
        return self.num_ctx - self.reserved_for_answer - self.used


@dataclass
class BuiltPrompt:
    messages: list[dict[str, str]]
    passages: list[Hit]  # in prompt order, best last: passage n is passages[n - 1]
    budget: Budget
    dropped_passages: list[Hit] = field(default_factory=list)
    dropped_turns: int = 0  # question/answer pairs of the history left out

    @property
    def truncated(self) -> bool:
        return bool(self.dropped_passages or self.dropped_turns)


class PromptTooLong(ValueError):
    pass


def build_prompt(
    template: PromptTemplate,
    library: str,
    question: str,
    passages: list[Hit],
    history: list[tuple[str, str]],
    num_ctx: int,
    reserved_for_answer: int,
    mark: bool = True,
    evidence: list[Evidence] | None = None,
    language: str = "en",
) -> BuiltPrompt:
    """Messages for the model. history: earlier (question, answer) pairs, oldest first.
    mark: write each hit's place in this prompt onto it (in_prompt, prompt_number, dropped),
    which the answer's citations and the inspector read; a prompt built again from some of
    the same hits (the second look) leaves them as the first prompt numbered them.
    evidence: sentences to point out under the passages (evidence.py), in `language`; those of
    passages the budget leaves out go with them."""
    system = template.system.replace("{library}", library)
    budget = Budget(num_ctx, reserved_for_answer)
    kept = list(passages)
    turns = list(history)
    dropped: list[Hit] = []
    dropped_turns = 0

    def assemble() -> tuple[list[dict[str, str]], Budget]:
        ordered = in_order()
        context = "\n\n".join(format_passage(i, h) for i, h in enumerate(ordered, start=1))
        pointed = format_evidence(evidence or [], {id(h): i for i, h in enumerate(ordered, 1)},
                                  language)
        if pointed:
            context += "\n\n" + pointed
        user = template.user.replace("{context}", context or template.no_context)
        user = user.replace("{question}", question)
        messages = [{"role": "system", "content": system}]
        for asked, answered in turns:
            messages += [{"role": "user", "content": asked},
                         {"role": "assistant", "content": answered}]
        messages.append({"role": "user", "content": user})
        b = Budget(num_ctx, reserved_for_answer)
        b.system = estimate_tokens(system) + MESSAGE_OVERHEAD
        b.history = sum(estimate_tokens(a) + estimate_tokens(q) + 2 * MESSAGE_OVERHEAD
                        for q, a in turns)
        b.passages = estimate_tokens(context) if kept else 0
        b.question = estimate_tokens(user) - b.passages + MESSAGE_OVERHEAD
        return messages, b

    def in_order() -> list[Hit]:
        # Best passage last, next to the question, and numbered in the order read: with the
        # best first the 1.5B model answered "The documents do not say." to answerable
        # questions; with the best last but numbered by rank (7, 6, ... 1) it cited the
        # wrong number in French.
        return list(reversed(kept))

    messages, budget = assemble()
    # Keep the latest turn and the best passage as long as possible: a follow-up question
    # often needs the turn before it, and one good passage beats none.
    while budget.room_left < 0:
        if len(turns) > 1:
            turns.pop(0)
            dropped_turns += 1
        elif len(kept) > 1:
            dropped.insert(0, kept.pop())
        elif turns:
            turns.pop(0)
            dropped_turns += 1
        elif kept:
            dropped.insert(0, kept.pop())
        else:
            raise PromptTooLong(
                f"the question alone needs about {budget.used} tokens, more than the "
                f"{num_ctx - reserved_for_answer} the context length leaves after the answer; "
                "shorten it or raise the context length (num_ctx)"
            )
        messages, budget = assemble()
    ordered = in_order()
    if not mark:
        return BuiltPrompt(messages, ordered, budget, dropped, dropped_turns)
    for number, hit in enumerate(ordered, start=1):
        hit.in_prompt, hit.prompt_number = True, number
    for hit in dropped:
        hit.in_prompt, hit.prompt_number = False, None
        hit.dropped = "left out: the context length (num_ctx) was full"
    return BuiltPrompt(messages, ordered, budget, dropped, dropped_turns)
