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

The verdict is read from the probability of "yes" against "no" among the alternatives of the
reply's first word (log-probabilities, which Ollama and the llm-stack return on request), not
from the word written: the written word is the one above one half, and that threshold is not
where right and wrong answers separate (YES_NEEDED). A server that returns no probabilities
falls back on the written word.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_rag.core.answer.citations import cited_numbers, strip_citations
from desktop_rag.core.answer.grounding import Grounding
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm.client import ChatDone, GenerationOptions, TokenLogprob

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
TOP_LOGPROBS = 10  # alternatives of the reply's first word: yes and no are both among them
# The probability of "yes" below which the answer counts as not in the documents. The reply's
# first word alone said no to as many right answers as wrong ones. The 1.5B model checking its
# own answers to the fixed samples of 100 (benchmarks/model_check_replay.py, 2026-12-07): below
# 0.5 it refused 11 of 20 unanswerable SQuAD 2.0 questions (0.4: 8), 1 of 86 right answers
# (0.4: none) and 9 more of the wrong ones than at 0.4; at 0.6, 11 right answers.
YES_NEEDED = 0.5
_QUOTES = "*\"'« "
# The check is on by default (AskSettings.model_check None) for models of this size or more, in
# billions of parameters. The 0.5B model's P(yes) did not separate right answers from wrong
# (2026-12-06); with the 1.5B model the check and the second look took SQuAD 2.0's unanswerable
# questions refused from 5 % to 55 % and the answers containing a gold answer from 62.5 % to
# 70 % (README, 2026-12-07).
WORTH_IT_FROM = 1.5
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMBT])", re.IGNORECASE)
_SCALE = {"K": 1e-6, "M": 1e-3, "B": 1.0, "T": 1e3}


def billions_of_parameters(parameter_size: str | None) -> float | None:
    """Ollama's parameter_size ("1.5B", "494.03M", "70.6B") in billions; None when unknown."""
    match = _SIZE.match(parameter_size or "")
    return float(match.group(1)) * _SCALE[match.group(2).upper()] if match else None


def check_is_on(setting: bool | None, parameter_size: str | None) -> bool:
    """The user's choice, or when left automatic (None), whether the model is large enough to
    judge its answers (a model of unknown size is not checked: the check costs a request)."""
    if setting is not None:
        return setting
    size = billions_of_parameters(parameter_size)
    return size is not None and size >= WORTH_IT_FROM - 0.05  # "1.5B" may be 1.54 or 1.46


@dataclass
class ModelCheck:
    passages: list[int]  # the prompt numbers of the passages shown to the model
    verdict: str  # "yes", "no", or "unclear" (another reply, or the request failed)
    reply: str
    seconds: float
    error: str | None = None
    # P(yes) / (P(yes) + P(no)) of the reply's first word, from the log-probabilities (None:
    # the server gave none, or neither word was among the alternatives).
    p_yes: float | None = None


def yes_probability(logprobs: Sequence[TokenLogprob]) -> float | None:
    """How much of the first word's probability goes to yes rather than no (English or
    French), from its alternatives."""
    for first in logprobs:
        if not first.token.strip(_QUOTES):
            continue  # a space or a quote before the word
        choices = first.top or [(first.token, first.logprob)]
        yes = sum(math.exp(lp) for t, lp in choices if _word(t).startswith(_YES))
        no = sum(math.exp(lp) for t, lp in choices if _word(t).startswith(_NO))
        return yes / (yes + no) if yes + no > 0 else None
    return None


def _word(text: str) -> str:
    return text.strip().lower().lstrip(_QUOTES)


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
        for event in client.chat(messages, model, options, cancel, logprobs=True,
                                 top_logprobs=TOP_LOGPROBS):
            if isinstance(event, ChatDone):
                done = event
    except DesktopRagError as exc:  # Ollama gone since the answer: the answer still stands
        return ModelCheck(numbers, "unclear", "", time.perf_counter() - started, str(exc))
    seconds = time.perf_counter() - started
    if done is None or done.incomplete:
        error = done.error if done else "no reply"
        return ModelCheck(numbers, "unclear", done.text if done else "", seconds, error)
    p_yes = yes_probability(done.logprobs)
    if p_yes is not None:
        verdict = "yes" if p_yes >= YES_NEEDED else "no"
    else:
        word = _word(done.text)
        verdict = "yes" if word.startswith(_YES) else "no" if word.startswith(_NO) else "unclear"
    return ModelCheck(numbers, verdict, done.text, seconds, p_yes=p_yes)
