"""Ask the same question again: does the model stick to its answer?

The grounding check and the model check pass the wrong answers that small models give most: a
wrong span of the right passage ("1085" for 1185), or a decoy sentence for a question the
documents cannot answer. They are found in the passage and fit the question. What tells them
apart is how sure the model is of them, and the probabilities of its tokens barely say that
(benchmarks/answer_signals.py). Drawn again a few times with sampling, from the same prompt
(which Ollama keeps in its cache, so each draw costs only its own tokens), a model that knows
the answer writes it again; one that picked a span among several writes another, or refuses.

An answer is "unsteady" when fewer than AGREEING of the draws say it again: a draw says it when
it is no refusal and holds the answer's key terms (its content words and numbers that are not
in the question): all of their numbers, or when there is none, at least HELD of their words.
The draws are kept with the answer, to be read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from desktop_rag.core.answer.citations import strip_citations
from desktop_rag.core.answer.refusal import says_not_in_documents
from desktop_rag.core.answer.words import terms
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm.client import ChatDone, GenerationOptions

DRAWS = 3
TEMPERATURE = 0.8
HELD = 0.5  # share of the answer's key terms a draw must hold to say the same
AGREEING = 2  # draws (of DRAWS) that must say the same for the answer to be steady
MAX_TOKENS = 96  # a draw needs its first sentences only: the claim is compared, not the prose
KEY_TERMS = 8  # the first key terms of the answer: what it says first is what it answers


@dataclass
class Draws:
    texts: list[str]  # what the model wrote each time
    agreeing: int  # how many of them say the answer again
    keys: list[str]  # the answer's key terms compared
    seconds: float
    error: str | None = None
    said: list[bool] = field(default_factory=list)  # per draw: says the answer again

    @property
    def unsteady(self) -> bool:
        return not self.error and len(self.texts) >= AGREEING and self.agreeing < AGREEING


def key_terms(answer: str, question: str) -> list[str]:
    """The answer's content words and numbers that the question does not hold, in order."""
    asked = terms(strip_citations(question))
    seen: list[str] = []
    for word in strip_citations(answer).split():
        found = terms(word)
        if len(found) > 1:  # "BM25" is the word bm25, not also the number 25
            found = {t for t in found if not t.isdigit()} or found
        for term in sorted(found):
            if term not in asked and term not in seen:
                seen.append(term)
    return seen[:KEY_TERMS]


def says_again(keys: list[str], draw: str) -> bool:
    """Whether a draw gives the answer whose key terms are `keys` (a refusal does not)."""
    if says_not_in_documents(draw):
        return False
    if not keys:
        return True
    held = terms(strip_citations(draw))
    numbers = [k for k in keys if k[0].isdigit()]
    words = [k for k in keys if not k[0].isdigit()]
    if numbers:  # the number is the answer: "1085" for 1185 is another, whatever its words
        return all(n in held for n in numbers)
    return sum(w in held for w in words) >= HELD * len(words)


def draw_again(messages: list[dict[str, str]], answer: str, question: str, model: str,
               options: GenerationOptions, client, cancel: CancelToken | None = None,  # type: ignore[no-untyped-def]
               draws: int = DRAWS) -> Draws:
    """Ask `messages` again `draws` times with sampling and compare each draw with `answer`.
    The draws' seeds follow the answer's, so a run with a seed is repeated exactly."""
    cancel = cancel or CancelToken()
    seed = options.seed if options.seed is not None else 0
    keys = key_terms(answer, question)
    started = time.perf_counter()
    texts: list[str] = []
    for n in range(draws):
        if cancel.cancelled:
            break
        drawn = replace(options, temperature=TEMPERATURE, seed=seed + 1 + n,
                        num_predict=MAX_TOKENS)
        done: ChatDone | None = None
        try:
            for event in client.chat(messages, model, drawn, cancel):
                if isinstance(event, ChatDone):
                    done = event
        except DesktopRagError as exc:  # Ollama gone since the answer: the answer still stands
            return Draws(texts, 0, keys, time.perf_counter() - started, str(exc))
        if done is None or done.incomplete:
            error = (done.error if done else None) or "stopped"
            return Draws(texts, 0, keys, time.perf_counter() - started, error)
        texts.append(done.text)
    said = [says_again(keys, t) for t in texts]
    error = None if len(texts) == draws else "stopped"
    return Draws(texts, sum(said), keys, time.perf_counter() - started, error, said)
