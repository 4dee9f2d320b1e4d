"""Point a sentence's citation at the passage that holds it, when the model cited another one.

Small models number passages badly: the llm-stack's 1.5B model cited the passage before or
after the right one in about a third of its citations, right answer or not. The grounding
check already knows which passage of the prompt holds a sentence (its content words, names
and numbers); when the sentence cites a passage that does not hold it and exactly that other
passage does, the marker is rewritten to it. Nothing else of the answer changes, and each
change is recorded so the chat can show what the model wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_rag.core.answer.citations import CITATION, cited_numbers
from desktop_rag.core.answer.grounding import Grounding


@dataclass(frozen=True)
class CitationRepair:
    sentence: str  # the sentence as the model wrote it
    written: list[int]  # the numbers it cited
    now: list[int]  # the numbers it cites after the repair


def _marker(numbers: list[int]) -> str:
    return "[" + ", ".join(map(str, numbers)) + "]"


def repair_citations(text: str, grounding: Grounding) -> tuple[str, list[CitationRepair]]:
    """The answer with its wrong citations pointed at the passages holding their sentences.

    Only sentences the check marked "wrong citation", with one citation marker, change: when
    all the passages they cite are wrong and another passage holds the claim (names and
    numbers included), the marker cites that passage instead; when it cites several passages
    and some hold none of the claim, those numbers are dropped. Markers spread over the clauses
    of a sentence are left as they are: the check weighs the whole sentence, not its clauses."""
    repairs: list[CitationRepair] = []
    pieces: list[str] = []
    end = 0
    for check in sorted(grounding.sentences, key=lambda s: s.start):
        if check.issue != "wrong citation" or not check.wrong_citations:
            continue
        sentence = text[check.start:check.end]
        markers = CITATION.findall(sentence)
        if len(markers) != 1:
            continue  # markers spread over its clauses: which clause each covers is unknown
        written = cited_numbers(sentence)
        kept = [n for n in written if n not in check.wrong_citations]
        if not kept and check.best_passage is not None:
            kept = [check.best_passage]
        if not kept or kept == written:
            continue
        fixed = CITATION.sub(_marker(kept), sentence)
        pieces += [text[end:check.start], fixed]
        end = check.end
        repairs.append(CitationRepair(sentence, written, cited_numbers(fixed)))
    pieces.append(text[end:])
    return "".join(pieces), repairs
