"""Finding a passage on a PDF page as PDFium's text has it, for QPdfSearchModel to highlight.

QPdfSearchModel only matches PDFium's text exactly; the core built the passage from that same
text (whitespace collapsed, words broken by a soft hyphen joined), so `passage_search_strings`
maps the passage back onto the page's raw text and asks for that. No Qt here: plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

SOFT_HYPHENS = "\ufffe\x02"  # how PDFium marks a hyphen that breaks a word at a line end
_FIRST_WORDS = 6  # a shorter run of words is too likely to occur on the page by chance
_MAX_STARTS = 40  # passage words tried as the start of a run before giving up


def passage_search_strings(passage: str, page_text: str) -> Iterator[str]:
    """Pieces of `page_text` (PDFium's text of one page) that hold the passage, best first.

    For each start word, the longest run of the passage's words found on the page, then its
    first few words alone in case PDFium does not match the long one. The pieces are cut from
    the page's own text, soft hyphens included, which is what QPdfSearchModel matches."""
    page, where = _normalised(page_text)
    words = _normalised(passage)[0].split()
    # Every start leaves a full run of first words: the passage's last word or two alone would
    # be found on most pages.
    for start in range(min(max(len(words) - _FIRST_WORDS, 0) + 1, _MAX_STARTS)):
        end = min(start + _FIRST_WORDS, len(words))
        at = page.find(" ".join(words[start:end]))
        if at < 0:
            continue
        first_end = end
        while end < len(words):
            longer = page.find(" ".join(words[start : end + 1]))
            if longer < 0:
                break
            at, end = longer, end + 1
        yield _raw_piece(page_text, where, at, len(" ".join(words[start:end])))
        if first_end < end:
            yield _raw_piece(page_text, where, at, len(" ".join(words[start:first_end])))


def _normalised(text: str) -> tuple[str, list[int]]:
    """`text` as the core stores a PDF's text, casefolded (PDFium's search ignores case), with
    the index in `text` of every character kept."""
    chars: list[str] = []
    where: list[int] = []
    joining = False  # after a soft hyphen, the line break is not a space
    for i, ch in enumerate(text):
        if ch in SOFT_HYPHENS:
            joining = True
        elif ch.isspace():
            if not joining and chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
        else:
            joining = False
            for folded in ch.casefold():
                chars.append(folded)
                where.append(i)
    return "".join(chars), where


def _raw_piece(page_text: str, where: list[int], at: int, length: int) -> str:
    raw = page_text[where[at] : where[at + length - 1] + 1]
    # PDFium matches one space against a line break, but a soft hyphen only against itself.
    return re.sub(rf"([{SOFT_HYPHENS}])\s+", r"\1", " ".join(raw.split()))

