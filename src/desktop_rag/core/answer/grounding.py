"""Check every sentence of an answer against the passages it cites, offline and in milliseconds.

A sentence is supported when the passages it cites hold what it adds to the question: its
content words (stop words and the question's own words aside, compared on a crude stem), every
number exactly, and the names (capitalised words) it uses. When the lexical share is borderline,
the embedder's cosine between the sentence and its best cited passage decides, if an embedder
is given. Each sentence gets at most one issue:

- "unsupported": no passage of the prompt holds the claim;
- "wrong citation": the claim is in the prompt, but not in the passage(s) the sentence cites,
  or one of its cited passages holds none of it;
- "uncited": the claim is in a passage of the prompt, but the sentence cites none;
- "header": the sentence is a copied passage header ("[1] (file.pdf, p. 67 — section)"),
  which small models give instead of an answer;
- "empty": the whole answer is citations with nothing said ("[1], [2]");
- "restated": every sentence of the answer only repeats the question's words ("What river
  bounded the Duchy?" answered "The river originally bounded the Duchy [2]."): found in the
  passage, and no answer. Yes/no questions are left alone (their restatement is a "yes");
- "no number" and "off question": the answer's sentences are found in the passages, but do not
  fit the question: it asks for a number or a date and they give none, or they leave out most
  of what it is about (core/answer/question_fit.py).

Sentences that say the documents do not hold the answer, and sentences without a content word,
are not claims. `Grounding.flagged` is what the answer should be marked for: an unsupported
sentence, a wrong citation, a copied header, an empty answer, a restated question or an answer
that does not fit it (an uncited but supported sentence is listed only).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_rag.core.answer.citations import CITATION, cited_numbers, strip_citations
from desktop_rag.core.answer.question_fit import misfit
from desktop_rag.core.answer.refusal import says_not_in_documents
from desktop_rag.core.answer.words import NUMBER, STOP_WORDS, THOUSANDS, WORD, plain, stem, terms

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.search.hits import Hit

SUPPORTED = 0.6  # share of a sentence's new words found in its cited passages
NAMES_MISSING = 0.8  # the share needed when a name of the sentence is not in its passages
BORDERLINE = 0.35  # from here to SUPPORTED, the embedder's similarity may decide
SIMILAR = 0.6  # cosine that makes a borderline sentence supported
NONE_OF_IT = 0.2  # a cited passage holding less than this of the claim is a wrong citation
ISSUES = ("unsupported", "wrong citation", "header", "empty", "restated", "no number",
          "off question", "uncited")
FLAGGING = ("unsupported", "wrong citation", "header", "empty", "restated", "no number",
            "off question")
# Questions answered by yes or no, whose answer may well repeat them ("Does X include Y?",
# "Le Rhône traverse-t-il Lyon ?"), unless a question word starts them.
_YES_NO = re.compile(r"^\W*(?:is|are|was|were|do|does|did|can|could|has|have|had|will|would|"
                     r"should|may|est-ce)\b|\w-(?:t-)?(?:il|elle|on|ils|elles)\b", re.IGNORECASE)
_ASKING = re.compile(r"^\W*(?:quel|quelle|quels|quelles|qui|que|qu|quoi|où|quand|comment|"
                     r"pourquoi|combien|lequel|laquelle|lesquels|lesquelles|à|de|en|par|pour|"
                     r"dans|sur|avec)\b", re.IGNORECASE)

_END = re.compile(r"[.!?]+(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*(?=\s+[\"«(\[*•A-ZÀ-Ý-]|\s*$)|\n+")
# "as mentioned in Passage 3": the model naming a passage, which counts as citing it (and its
# number is no number of the claim).
_MENTION = re.compile(r"\b(?:passages?|extraits?)\s+(?:n[°o]\s*)?(\d+)\b", re.IGNORECASE)
@dataclass
class SentenceCheck:
    text: str
    start: int  # offsets in the answer text, for marking it
    end: int
    cited: list[int]  # passage numbers the sentence cites (or inherits, see split_sentences)
    support: float  # share of its new words found in the cited passages (0 when none cited)
    best_passage: int | None  # the prompt passage that holds most of it
    best_support: float
    missing: list[str]  # numbers and names absent from the cited passages
    similarity: float | None = None
    issue: str = ""
    wrong_citations: list[int] = field(default_factory=list)


@dataclass
class Grounding:
    sentences: list[SentenceCheck]
    ms: float = 0.0

    @property
    def flagged(self) -> bool:
        return any(s.issue in FLAGGING for s in self.sentences)

    def with_issue(self, *issues: str) -> list[SentenceCheck]:
        return [s for s in self.sentences if s.issue in issues]


def _names(sentence: str) -> set[str]:
    """Capitalised words that do not start the sentence, and numbers: they must be found."""
    words = WORD.findall(strip_citations(sentence))
    names = {w for i, w in enumerate(words) if i and w[:1].isupper() and len(w) > 1}
    names = {n for n in names if plain(n) not in STOP_WORDS}
    numbers = set(NUMBER.findall(THOUSANDS.sub("", strip_citations(sentence))))
    return names | numbers


def split_sentences(text: str) -> list[tuple[str, int, int, list[int]]]:
    """(sentence, start, end, cited numbers). A sentence ends at . ! or ? before a capital, a
    citation or the end (not in "p. 67" or "file.pdf"), or at a line break; citations right
    after its full stop ("... in 1990. [1]") belong to it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _END.finditer(text):
        spans.append((start, end.end()))
        start = end.end()
    spans.append((start, len(text)))
    result = []
    for start, end in spans:
        piece = text[start:end]
        if not piece.strip():
            continue
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        full = text[start:end]
        mentioned = [int(n) for n in _MENTION.findall(full)]
        cited = cited_numbers(full)
        result.append((full, start, end, cited + [n for n in mentioned if n not in cited]))
    return result


def _is_header(claim: str, passages: list[Hit]) -> bool:
    """A passage's label copied as the answer: its file name, and nothing but its page,
    section and words such as "passage" or "source"."""
    folded = plain(claim)
    for hit in passages:
        if plain(hit.document) in folded:
            label = " ".join([hit.document, hit.page_label, hit.section or "", "source page"])
            if not terms(claim) - terms(label):
                return True
    return False


def _share(needed: set[str], weights: dict[str, int], have: set[str]) -> float:
    total = sum(weights.get(t, 1) for t in needed)
    return sum(weights.get(t, 1) for t in needed if t in have) / total if total else 1.0


def check_grounding(
    text: str,
    passages: list[Hit],
    question: str = "",
    embedder: Embedder | None = None,
) -> Grounding:
    """Check each sentence of `text` against `passages` (in prompt order: [n] is passages[n-1])."""
    started = time.perf_counter()
    asked = terms(question)
    held = [terms(" ".join([h.text, h.section or "", h.document.rsplit(".", 1)[0]]))
            for h in passages]
    checks: list[SentenceCheck] = []
    restating: list[SentenceCheck] = []  # claims adding no word to the question's
    for sentence, start, end, cited in split_sentences(text):
        claim = _MENTION.sub(" ", strip_citations(sentence))
        if _is_header(claim, passages):
            checks.append(SentenceCheck(sentence, start, end, cited, 0.0, None, 0.0, [],
                                        issue="header"))
            continue
        said = terms(claim)
        if not said or says_not_in_documents(claim):
            continue  # no claim to check
        new = (said - asked) or said
        restates = not said - asked
        names = {(n if n[0].isdigit() else stem(plain(n))): n
                 for n in _names(_MENTION.sub(" ", sentence))}
        weights = dict.fromkeys(names, 2)
        valid = [n for n in cited if 1 <= n <= len(passages)]
        union = set().union(*(held[n - 1] for n in valid)) if valid else set()
        support = _share(new, weights, union) if valid else 0.0
        shares = [_share(new, weights, h) for h in held]
        numbers = [n for n in names if n[0].isdigit()]
        best = max(range(len(held)),  # ties go to a passage holding the numbers
                   key=lambda i: (shares[i], all(n in held[i] for n in numbers))) \
            if held else None
        best_share = shares[best] if best is not None else 0.0
        missing = sorted(word for n, word in names.items() if n in new and n not in union)
        check = SentenceCheck(sentence, start, end, cited, support,
                              best + 1 if best is not None else None, best_share, missing)
        numbers_missing = any(m[0].isdigit() for m in missing)
        # A name the passages do not hold is a likely invention: it takes a high share.
        ok = support >= (NAMES_MISSING if missing else SUPPORTED) and not numbers_missing
        if valid and not ok and support >= BORDERLINE and not numbers_missing and embedder:
            check.similarity = _similarity(embedder, claim, [passages[n - 1] for n in valid])
            ok = check.similarity >= SIMILAR
        # The claim is in another passage of the prompt, names and numbers included.
        elsewhere = best is not None and best + 1 not in valid and best_share >= SUPPORTED \
            and all(n in held[best] for n in names if n in new)
        if not valid:
            check.issue = "uncited" if elsewhere else "unsupported"
        elif not ok:
            check.issue = "wrong citation" if elsewhere else "unsupported"
            if elsewhere:
                check.wrong_citations = valid
        else:
            check.wrong_citations = [n for n in valid if len(valid) > 1
                                     and _share(new, weights, held[n - 1]) < NONE_OF_IT]
            check.issue = "wrong citation" if check.wrong_citations else ""
        checks.append(check)
        if restates:
            restating.append(check)
    claims = [c for c in checks if c.issue != "header"]
    yes_no = bool(_YES_NO.search(question)) and not _ASKING.match(question)
    if restating and len(restating) == len(claims) and not yes_no:
        for check in restating:
            check.issue = check.issue if check.issue in ("unsupported", "uncited") \
                else "restated"
    elif claims and not yes_no:  # found in the passages, but is it an answer to this question?
        kind = misfit(question, " ".join(c.text for c in claims))
        for check in claims:
            check.issue = kind if kind and check.issue in ("", "uncited") else check.issue
    if not checks and CITATION.search(text) and not says_not_in_documents(text):
        stripped = text.strip()  # "[1], [2]": citations and nothing said
        start = text.index(stripped[:1]) if stripped else 0
        checks.append(SentenceCheck(stripped, start, start + len(stripped), [], 0.0, None, 0.0,
                                    [], issue="empty"))
    return Grounding(checks, (time.perf_counter() - started) * 1000)


def _similarity(embedder: Embedder, sentence: str, passages: list[Hit]) -> float:
    vectors = embedder.embed([sentence] + [h.text for h in passages])
    first, rest = vectors[0], vectors[1:]
    norms = (rest ** 2).sum(axis=1) ** 0.5 * float((first ** 2).sum() ** 0.5)
    return float(max((rest @ first) / norms.clip(min=1e-9)))
