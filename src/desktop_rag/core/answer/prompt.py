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
from typing import Any

from desktop_rag.core.search.hits import Hit

CHARS_PER_TOKEN = 3.0
MESSAGE_OVERHEAD = 4  # role markers and separators of a chat template, per message


@dataclass(frozen=True)
class PromptTemplate:
    """System text with {library}; user text with {context} and {question}."""

    system: str
    user: str
    no_context: str  # said instead of passages when nothing relevant was found

    def with_changes(self, **changes: Any) -> PromptTemplate:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT_TEMPLATES = {
    "en": PromptTemplate(
        system=(
            "You are the assistant of the document library \"{library}\". Answer the "
            "question using only the numbered passages in the context. After each statement, "
            "cite the passages it comes from as [1], [2]. If the passages do not contain the "
            "answer, say that the documents do not say, and do not guess. Answer in English, "
            "briefly."
        ),
        user="Context:\n{context}\n\nQuestion: {question}\n\n"
             "Answer from the context only, and cite the passages you use as [1], [2].",
        no_context="(no passage of the documents is relevant to this question)",
    ),
    "fr": PromptTemplate(
        system=(
            "Tu es l'assistant de la bibliothèque de documents « {library} ». Réponds à la "
            "question uniquement à partir des passages numérotés du contexte. Après chaque "
            "affirmation, cite les passages dont elle vient sous la forme [1], [2]. Si les "
            "passages ne contiennent pas la réponse, dis que les documents ne le disent pas, "
            "sans inventer. Réponds en français, brièvement."
        ),
        user="Contexte :\n{context}\n\nQuestion : {question}\n\n"
             "Réponds uniquement à partir du contexte, en citant les passages utilisés sous la "
             "forme [1], [2].",
        no_context="(aucun passage des documents ne concerne cette question)",
    ),
}


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def format_passage(number: int, hit: Hit) -> str:
    source = hit.document + (f", {hit.page_label}" if hit.page_label else "")
    section = f" — {hit.section}" if hit.section else ""
    return f"[{number}] ({source}{section})\n{hit.text.strip()}"


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
    passages: list[Hit]  # in prompt order: passage n is passages[n - 1]
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
) -> BuiltPrompt:
    """Messages for the model. history: earlier (question, answer) pairs, oldest first."""
    system = template.system.replace("{library}", library)
    budget = Budget(num_ctx, reserved_for_answer)
    kept = list(passages)
    turns = list(history)
    dropped: list[Hit] = []
    dropped_turns = 0

    def assemble() -> tuple[list[dict[str, str]], Budget]:
        context = "\n\n".join(format_passage(i, h) for i, h in enumerate(kept, start=1))
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
    for hit in kept:
        hit.in_prompt = True
    for hit in dropped:
        hit.in_prompt = False
        hit.dropped = "left out: the context length (num_ctx) was full"
    return BuiltPrompt(messages, kept, budget, dropped, dropped_turns)
