"""Citation markers in answers: "[1]", "[1, 3]", and the spelled-out forms small models write.

The prompt labels each passage "Passage 1 (...)", and asks for "[1]" after a sentence; the
llm-stack's 1.5B model sometimes answers "[Passage 1]" instead (once in 24 SQuAD answers of a
prompt trial), which left such an answer without a citation. They are rewritten to the plain
form once the answer is complete, so that the chat links them and the checks count them.
"""

from __future__ import annotations

import re

# "[1]", "[1, 2]", "[1; 3]": one pattern for the whole app (the chat links what it matches).
CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")

_NUMBERS = r"\d+(?:\s*(?:,|;|&|\band\b|\bet\b)\s*(?:passages?\s+|extraits?\s+)?\d+)*"
_SPELLED = re.compile(
    rf"[\[(]\s*(?:passages?|extraits?|sources?)\s*(?:n[°o]\s*)?({_NUMBERS})\s*[\])]",
    re.IGNORECASE)


def normalise_citations(text: str) -> str:
    """'[Passage 1]', '(passages 2 and 3)', '[Extrait 1]' -> '[1]', '[2, 3]', '[1]'."""
    def plain(match: re.Match[str]) -> str:
        return "[" + ", ".join(re.findall(r"\d+", match.group(1))) + "]"

    return _SPELLED.sub(plain, text)


def cited_numbers(text: str) -> list[int]:
    """The numbers of the [n] markers, in order of first appearance."""
    numbers: list[int] = []
    for group in CITATION.findall(text):
        for part in re.split(r"[,;]", group):
            number = int(part.strip())
            if number not in numbers:
                numbers.append(number)
    return numbers


def strip_citations(text: str) -> str:
    return CITATION.sub(" ", text)
