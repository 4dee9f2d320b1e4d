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
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends with . ! ? or … (optionally followed by closing quotes or brackets) and
# whitespace. Language-neutral on purpose: French and English documents share the rule.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")


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
    """Greedily join consecutive units up to max_tokens; split the units that are too long.

    With overlap, a chunk starts with the last units of the previous one, as many as fit in
    `overlap` tokens, but never only with them: every chunk brings new text.
    """
    out: list[_Span] = []
    current: list[_Span] = []

    def flush() -> None:
        if current:
            out.append(_Span(current[0].start, current[-1].end))

    for unit in units:
        if doc.count(unit) > max_tokens:
            flush()
            current = []
            out.extend(_split_long(doc, unit, max_tokens, split_overlap))
            continue
        if current and doc.count(_Span(current[0].start, unit.end)) > max_tokens:
            flush()
            current = _tail(doc, current, overlap, unit, max_tokens)
        current.append(unit)
    flush()
    return out


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


def _split_long(doc: _Doc, span: _Span, max_tokens: int, overlap: int) -> list[_Span]:
    """A unit longer than a chunk: by its lines first (table rows stay whole), then by tokens."""
    lines = _split_span(doc.text, span, re.compile(r"\n"))
    if len(lines) > 1:
        return _pack(doc, lines, max_tokens, overlap, overlap)
    return _windows(doc, span, max_tokens, overlap)


def _windows(doc: _Doc, span: _Span, size: int, overlap: int) -> list[_Span]:
    """Windows of `size` tokens, each starting `size - overlap` tokens after the previous one.

    A window ends where the next token starts (trailing spaces trimmed), so characters the
    tokenizer skips are never lost between windows.
    """
    tokens = doc.tokens
    first, last = tokens.index_at(span.start), tokens.index_at(span.end)
    if last <= first:
        return [span]
    step = size - overlap
    out = []
    i = first
    while True:
        j = min(i + size, last)
        start = span.start if i == first else tokens.starts[i]
        end = span.end if j == last else tokens.starts[j]
        while end > start and doc.text[end - 1].isspace():
            end -= 1
        out.append(_Span(start, end))
        if j == last:
            return out
        i += step


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
        element_types=tuple(sorted({e.kind for e in covered})),
        token_count=doc.count(span),
    )


def document_text(elements: list[Element]) -> str:
    """The canonical text that chunk offsets refer to."""
    return ELEMENT_JOIN.join(e.text for e in elements if e.text.strip())
