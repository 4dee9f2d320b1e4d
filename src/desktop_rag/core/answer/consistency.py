"""Ask the same question again: does the model stick to its answer?

The grounding check and the model check pass the wrong answers that small models give most: a
wrong span of the right passage ("1085" for 1185), or a decoy sentence for a question the
documents cannot answer. They are found in the passage and fit the question. What tells them
apart is how sure the model is of them, and the probabilities of its tokens barely say that
(benchmarks/answer_signals.py). Drawn again a few times with sampling, from the same prompt
(which Ollama keeps in its cache, so each draw costs only its own tokens), a model that knows
the answer writes it again; one that picked a span among several writes another, or refuses.

An answer is "unsteady" when more than half of the draws give another answer. A draw gives the
same answer when it holds the answer's key terms (its first content words and numbers that are
not in the question, citations and "Passage 3" left out): all of their numbers, or when there is
none, at least HELD of their words; or when the answer holds the draw's key terms that way (a
shorter draw may say only the answer's core: "Transpac [2]"). A draw that refuses ("The
documents do not say.") counts for neither: sampled, the small models refuse now and then,
whatever the answer. The draws are kept with the answer, to be read.

Chosen on the llm-stack's 1.5B model answering SQuAD 2.0's fixed sample of 100 with 3 draws at
temperature 0.8 (2026-12-07). On its first 64 questions (31 right answers, 12 wrong, 5 to
unanswerable questions), "another answer in 2 of 3 draws" flagged 8 of 12 wrong answers and 5 of
31 right ones; counting refusals as other answers, 8 and 9; any single other answer, 10 and 17;
HELD 0.5 instead of 0.67, 7 and 5. On all 100, with the grounding check's flags, 12 of 17 wrong
answers and 15 of 56 right ones were flagged; reading the right ones showed "Passage 3" taken
for a number of the answer and short draws that say only its core, hence the comparison both
ways: 12 of 17 and 9 of 56. These are the answers the rule was chosen on; PIAF's are not.
"""

from __future__ import annotations

import re
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
HELD = 0.67  # share of the answer's key words a draw must hold to say the same
MAX_TOKENS = 96  # a draw needs its first sentences only: the claim is compared, not the prose
_MENTION = re.compile(r"\(?\b(?:passages?|extraits?)\s+(?:n[°o]\s*)?\d+\)?", re.IGNORECASE)
KEY_TERMS = 5  # the first key terms of the answer: what it says first is what it answers


@dataclass
class Draws:
    texts: list[str]  # what the model wrote each time
    agreeing: int  # how many of them say the answer again
    keys: list[str]  # the answer's key terms compared
    seconds: float
    error: str | None = None
    said: list[bool] = field(default_factory=list)  # per draw: says the answer again
    others: int = 0  # draws that give another answer (neither this one nor a refusal)

    @property
    def unsteady(self) -> bool:
        return not self.error and is_unsteady(self.others, len(self.texts))


def is_unsteady(others: int, draws: int) -> bool:
    """More than half of the draws gave another answer."""
    return draws > 0 and 2 * others > draws


def count_others(texts: list[str], said: list[bool]) -> int:
    return sum(1 for text, same in zip(texts, said, strict=True)
               if not same and not says_not_in_documents(text))


def _said(text: str) -> str:
    """What a text says, without its citations and its mentions of passages ("Passage 3")."""
    return _MENTION.sub(" ", strip_citations(text))


def key_terms(answer: str, question: str) -> list[str]:
    """The answer's content words and numbers that the question does not hold, in order."""
    asked = terms(strip_citations(question))
    seen: list[str] = []
    for word in _said(answer).split():
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
    held = terms(_said(draw))
    numbers = [k for k in keys if k[0].isdigit()]
    words = [k for k in keys if not k[0].isdigit()]
    if numbers:  # the number is the answer: "1085" for 1185 is another, whatever its words
        return all(n in held for n in numbers)
    return sum(w in held for w in words) >= HELD * len(words)


def same_answer(answer: str, draw: str, question: str) -> bool:
    """Whether a draw gives the answer again: it holds the answer's key terms, or the answer
    holds the draw's (a shorter draw, "Transpac [2]", may say only the answer's core)."""
    if says_not_in_documents(draw):
        return False
    if says_again(key_terms(answer, question), draw):
        return True
    own = key_terms(draw, question)
    return bool(own) and says_again(own, answer)


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
    said = [same_answer(answer, t, question) for t in texts]
    error = None if len(texts) == draws else "stopped"
    return Draws(texts, sum(said), keys, time.perf_counter() - started, error, said,
                 count_others(texts, said))
