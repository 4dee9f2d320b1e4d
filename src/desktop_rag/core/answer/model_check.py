"""The stricter check of an answer, by the model itself: does the passage it cites answer
exactly this question?

The grounding check is lexical: an answer copied from a passage about something else ("Who led
Isaac's troops to Cyprus?" answered with a sentence about another leader) passes it. SQuAD 2.0's
unanswerable questions are made that way, and the llm-stack's 1.5B model answered 10 of 11 of
them with such a decoy. Asked one short yes/no question per answer (the cited passage, the
question, nothing else; about 300 tokens, a few seconds), the same model said "no" to 5 of 11
decoys, 3 of 16 other wrong answers and 1 of 28 right ones (a trial on saved answers, 2026-12-06).
Replayed on an eval-qa run's answers it was harsher: 6 of 7 unanswerable questions refused, but
also 10 of 24 answerable ones, so it is off unless the user turns it on (AskSettings.model_check).
A "no" marks the answer as not in the documents; the model's text is still shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from desktop_rag.core.answer.citations import cited_numbers, strip_citations
from desktop_rag.core.answer.grounding import Grounding
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm.client import ChatDone, GenerationOptions

MAX_PASSAGES = 2  # the cited passages checked (a third is rarely needed and costs the wait)
CHECK_NUM_CTX = 2048

# In English for every language: the passage and the question keep theirs. Asked in French,
# the 1.5B model said "non" to 2 of the 3 right answers among the first 8 PIAF questions; with
# this English instruction it said yes to all 7 right French answers of a trial.
SYSTEM = "You check whether a passage answers a question. Reply with one word: yes or no."
USER = ("Passage:\n{passage}\n\nQuestion: {question}\n\nDoes the passage contain the answer to "
        "exactly this question (same people, places, dates and things as asked)? "
        "Reply yes or no.")
_YES, _NO = ("yes", "oui"), ("no", "non")


@dataclass
class ModelCheck:
    passages: list[int]  # the prompt numbers of the passages shown to the model
    verdict: str  # "yes", "no", or "unclear" (another reply, or the request failed)
    reply: str
    seconds: float
    error: str | None = None


def passages_to_check(answer: str, grounding: Grounding | None, count: int) -> list[int]:
    """The passages the answer cites; when it cites none, the one holding most of it."""
    cited = [n for n in cited_numbers(answer) if 1 <= n <= count][:MAX_PASSAGES]
    if cited or grounding is None:
        return cited
    best = [s.best_passage for s in grounding.sentences if s.best_passage and s.best_support]
    return best[:1]


def check_with_model(question: str, passages: list[str], numbers: list[int],
                     client, model: str, cancel: CancelToken | None = None,  # type: ignore[no-untyped-def]
                     ) -> ModelCheck:
    """Ask `model` whether `passages` (the texts of passages `numbers`) answer `question`."""
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": USER.format(passage="\n\n".join(passages),
                                                        question=strip_citations(question))}]
    options = GenerationOptions(temperature=0, seed=0, num_predict=3, num_ctx=CHECK_NUM_CTX)
    started = time.perf_counter()
    done: ChatDone | None = None
    try:
        for event in client.chat(messages, model, options, cancel):
            if isinstance(event, ChatDone):
                done = event
    except DesktopRagError as exc:  # Ollama gone since the answer: the answer still stands
        return ModelCheck(numbers, "unclear", "", time.perf_counter() - started, str(exc))
    seconds = time.perf_counter() - started
    if done is None or done.incomplete:
        error = done.error if done else "no reply"
        return ModelCheck(numbers, "unclear", done.text if done else "", seconds, error)
    word = done.text.strip().lower().lstrip("*\"'« ")
    verdict = "yes" if word.startswith(_YES) else "no" if word.startswith(_NO) else "unclear"
    return ModelCheck(numbers, verdict, done.text, seconds)
