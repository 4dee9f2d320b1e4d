"""Cut a parsed document into chunks: by title/section, by page, fixed token windows, separator.

Every strategy works on one canonical text, the elements joined by blank lines, and only decides
where chunks start and end in it. So a chunk's text is always a slice of the document, its pages
and section come from the elements it overlaps, and "no text lost" is a property of the spans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from desktop_rag.core.ingest.elements import Element
from desktop_rag.core.settings import ChunkingSettings
from desktop_rag.core.tokens import TokenCounter, TokenPositions

ELEMENT_JOIN = "\n\n"
OCR_MARK = "OCR"  # among a chunk's element types when some of its text was read by OCR
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends with . ! ? or … (optionally followed by closing quotes or brackets) and
# whitespace. Language-neutral on purpose: French and English documents share the rule.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
_LINE_BREAK = re.compile(r"\n")


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    text: str
    char_start: int
    char_end: int
    pages: tuple[int, ...]
    section: str
    element_types: tuple[str, ...]
    token_count: int

    @property
    def char_count(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    split: bool = False  # a piece of a unit too long for one chunk


class _Doc:
    """The canonical text of a document and where each element sits in it."""

    def __init__(self, elements: list[Element], counter: TokenCounter) -> None:
        self.elements = elements
        parts, starts, sections = [], [], []
        position, section, previous_kind = 0, "", ""
        for element in elements:
            if element.kind == "Title":
                # Consecutive headings form a path: "CHAPTER I › General provisions".
                heading = " ".join(element.text.split())[:120]
                section = f"{section} › {heading}" if previous_kind == "Title" else heading
            previous_kind = element.kind
            starts.append(position)
            sections.append(section)
            parts.append(element.text)
            position += len(element.text) + len(ELEMENT_JOIN)
        self.text = ELEMENT_JOIN.join(parts)
        self.starts = starts
        self.sections = sections
        self.tokens: TokenPositions = counter.positions(self.text)

    def element_span(self, index: int) -> _Span:
        start = self.starts[index]
        return _Span(start, start + len(self.elements[index].text))

    def element_at(self, char: int) -> int:
        return max(bisect_right(self.starts, char) - 1, 0)

    def count(self, span: _Span) -> int:
        return self.tokens.count(span.start, span.end)


def chunk_elements(
    elements: list[Element], settings: ChunkingSettings, counter: TokenCounter
) -> list[Chunk]:
    elements = [e for e in elements if e.text.strip()]
    if not elements:
        return []
    doc = _Doc(elements, counter)
    spans: list[_Span] = []
    for segment in _segments(doc, settings):
        units = _units(doc, segment, settings)
        if settings.strategy == "tokens":
            for unit in units:
                spans.extend(_windows(doc, unit, settings.max_tokens, settings.overlap_tokens))
            continue
        overlap = settings.overlap_tokens if settings.strategy != "title" else 0
        spans.extend(_pack(doc, units, settings.max_tokens, overlap, settings.overlap_tokens))
    return [_make_chunk(doc, i, span) for i, span in enumerate(spans)]


def _segments(doc: _Doc, settings: ChunkingSettings) -> list[list[int]]:
    """Runs of element indexes that a chunk never crosses."""
    indexes = list(range(len(doc.elements)))
    if settings.strategy in ("tokens", "separator"):
        return [indexes]
    segments: list[list[int]] = []
    for i, element in enumerate(doc.elements):
        if not segments:
            segments.append([i])
            continue
        previous = doc.elements[segments[-1][-1]]
        if settings.strategy == "page":
            starts_new = element.page != previous.page
        else:  # title: a heading opens a section, unless the section so far holds only headings
            only_titles = all(doc.elements[j].kind == "Title" for j in segments[-1])
            starts_new = element.kind == "Title" and not only_titles
        if starts_new:
            segments.append([i])
        else:
            segments[-1].append(i)
    return segments


def _units(doc: _Doc, segment: list[int], settings: ChunkingSettings) -> list[_Span]:
    """The smallest pieces packing may put together: elements, paragraphs or sentences."""
    if settings.strategy == "tokens":
        first, last = doc.element_span(segment[0]), doc.element_span(segment[-1])
        return [_Span(first.start, last.end)]
    spans = [doc.element_span(i) for i in segment]
    if settings.strategy != "separator":
        return spans
    pattern = _PARAGRAPH_BREAK if settings.separator == "paragraph" else _SENTENCE_END
    pieces: list[_Span] = []
    for span in spans:
        pieces.extend(_split_span(doc.text, span, pattern))
    return pieces


def _split_span(text: str, span: _Span, pattern: re.Pattern[str]) -> list[_Span]:
    pieces, start = [], span.start
    for match in pattern.finditer(text, span.start, span.end):
        if match.start() > start:
            pieces.append(_Span(start, match.start()))
        start = match.end()
    if start < span.end:
        pieces.append(_Span(start, span.end))
    return pieces


def _pack(
    doc: _Doc, units: list[_Span], max_tokens: int, overlap: int, split_overlap: int
) -> list[_Span]:
    """Greedily join consecutive units up to max_tokens; a unit too long for one chunk is
    replaced by its lines, else its sentences, which then pack like any unit (so a heading
    stays with the start of a long paragraph instead of making a chunk of its own).

    With overlap, a chunk starts with the last units of the previous one, as many as fit in
    `overlap` tokens, but never only with them: every chunk brings new text. Pieces of a split
    unit overlap by `split_overlap`.
    """
    chunks: list[list[_Span]] = []
    current: list[_Span] = []
    pending = list(reversed(units))
    while pending:
        unit = pending.pop()
        if doc.count(unit) > max_tokens:
            pieces = _pieces(doc, unit)
            if len(pieces) > 1:
                pending.extend(reversed(pieces))
                continue
            # One sentence longer than a chunk: windows, cut between words.
            if current:
                chunks.append(current)
            current = []
            chunks.extend([w] for w in _windows(doc, unit, max_tokens, split_overlap, True))
            continue
        if current and doc.count(_Span(current[0].start, unit.end)) > max_tokens:
            chunks.append(current)
            shared = split_overlap if unit.split and current[-1].split else overlap
            current = _tail(doc, current, shared, unit, max_tokens)
        current.append(unit)
    if current:
        chunks.append(current)
    if not overlap and not split_overlap:
        _balance_last(doc, chunks)
    return [_Span(c[0].start, c[-1].end) for c in chunks]


def _pieces(doc: _Doc, unit: _Span) -> list[_Span]:
    """A unit's lines (table rows stay whole), else its sentences, marked as split pieces."""
    for pattern in (_LINE_BREAK, _SENTENCE_END):
        pieces = _split_span(doc.text, unit, pattern)
        if len(pieces) > 1:
            return [_Span(p.start, p.end, split=True) for p in pieces]
    return [unit]


def _balance_last(doc: _Doc, chunks: list[list[_Span]]) -> None:
    """Greedy packing leaves the last chunk with whatever remains, down to a few words of a
    paragraph's end, which then outranks whole passages on keyword search (BM25 favours short
    texts). Move units from the chunk before while that evens the two out."""
    if len(chunks) < 2:
        return
    before, last = chunks[-2], chunks[-1]
    while len(before) > 1:
        moved = before[-1]
        rest = doc.count(_Span(before[0].start, before[-2].end))
        grown = doc.count(_Span(moved.start, last[-1].end))
        if grown > rest:
            return
        last.insert(0, before.pop())


def _tail(
    doc: _Doc, units: list[_Span], overlap: int, next_unit: _Span, max_tokens: int
) -> list[_Span]:
    kept: list[_Span] = []
    for unit in reversed(units):
        candidate = [unit, *kept]
        if doc.count(_Span(candidate[0].start, candidate[-1].end)) > overlap:
            break
        if doc.count(_Span(candidate[0].start, next_unit.end)) > max_tokens:
            break
        kept = candidate
    return kept


def _windows(
    doc: _Doc, span: _Span, size: int, overlap: int, whole_words: bool = False
) -> list[_Span]:
    """Windows of `size` tokens, each starting `size - overlap` tokens after the previous one.

    A window ends where the next token starts (trailing spaces trimmed), so characters the
    tokenizer skips are never lost between windows. whole_words: windows end and start only
    where a word starts (WordPiece tokens often start inside one), unless a single word is
    longer than the window.
    """
    tokens = doc.tokens
    first, last = tokens.index_at(span.start), tokens.index_at(span.end)
    if last <= first:
        return [span]
    out = []
    i = first
    while True:
        j = min(i + size, last)
        if whole_words and j < last:
            j = _word_start_at_or_before(doc, j, i + 1)
        start = span.start if i == first else tokens.starts[i]
        end = span.end if j == last else tokens.starts[j]
        while end > start and doc.text[end - 1].isspace():
            end -= 1
        out.append(_Span(start, end, split=True))
        if j == last:
            return out
        if whole_words:
            i = _word_start_at_or_before(doc, max(j - overlap, i + 1), i + 1)
        else:
            i += size - overlap


def _word_start_at_or_before(doc: _Doc, index: int, lowest: int) -> int:
    """The nearest token index <= index (and >= lowest) whose token begins a word."""
    starts, text = doc.tokens.starts, doc.text
    for k in range(index, lowest - 1, -1):
        at = starts[k]
        if at == 0 or not (text[at - 1].isalnum() and text[at].isalnum()):
            return k
    return index


def _make_chunk(doc: _Doc, ordinal: int, span: _Span) -> Chunk:
    first, last = doc.element_at(span.start), doc.element_at(max(span.end - 1, span.start))
    covered = doc.elements[first : last + 1]
    pages = sorted({e.page for e in covered if e.page is not None})
    # A chunk that opens with headings belongs to the section they open.
    body = next((first + k for k, e in enumerate(covered) if e.kind != "Title"), last)
    return Chunk(
        ordinal=ordinal,
        text=doc.text[span.start : span.end],
        char_start=span.start,
        char_end=span.end,
        pages=tuple(pages),
        section=doc.sections[body],
        # "OCR" beside the element types: the text was read from an image of the page.
        element_types=tuple(sorted({e.kind for e in covered}
                                   | ({OCR_MARK} if any(e.ocr for e in covered) else set()))),
        token_count=doc.count(span),
    )


def document_text(elements: list[Element]) -> str:
    """The canonical text that chunk offsets refer to."""
    return ELEMENT_JOIN.join(e.text for e in elements if e.text.strip())
