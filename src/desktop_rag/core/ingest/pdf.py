"""PDF text extraction with PDFium, grouped into paragraphs and typed by unstructured's rules.

unstructured's own PDF path needs unstructured-inference, which pulls a CUDA build of torch; and
pdfminer, its fast strategy, takes 17 s on the 144-page AI Act where PDFium takes 0.6 s. We read
lines and their boxes from PDFium, rebuild paragraphs from the layout (vertical gaps, font size,
column jumps), and let unstructured's `element_from_text` decide titles, list items and prose.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_rag.core.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
)
from desktop_rag.core.ingest.elements import Element, ParsedDocument
from desktop_rag.core.ingest.ocr import RENDER_DPI, OcrJob, read_pages, tesseract
from desktop_rag.core.ingest.unstructured_setup import classify

# PDFium marks a hyphen that breaks a word at a line end with U+FFFE (sometimes U+0002).
_SOFT_HYPHENS = ("\ufffe", "\x02")
# A page with fewer visible characters than this is treated as having no text layer.
_MIN_CHARS_PER_TEXT_PAGE = 16


@dataclass
class _Line:
    text: str
    left: float
    bottom: float
    top: float

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 0.1)


def parse_pdf(path: Path, ocr: OcrJob | None = None) -> ParsedDocument:
    """Pages without a text layer (scans, or a page that is one image) are read by OCR
    unless `ocr` is disabled."""
    import pypdfium2 as pdfium

    ocr = ocr or OcrJob()

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise EncryptedDocument() from exc
        raise DamagedDocument("PDF", _pdfium_reason(message)) from exc
    try:
        pages = len(document)
        by_page: dict[int, list[Element]] = {}
        boxes: dict[int, _Box] = {}  # by id() of the text layer's elements
        scanned: list[int] = []
        for index in range(pages):
            try:
                page_elements = _page_elements(document[index], index + 1, boxes)
            except pdfium.PdfiumError:
                continue  # one unreadable page does not lose the others
            if sum(len(e.text) for e in page_elements) < _MIN_CHARS_PER_TEXT_PAGE:
                scanned.append(index + 1)
            by_page[index + 1] = page_elements
        if scanned and ocr.enabled:
            for number, texts in _ocr_pages(document, scanned, pages, ocr).items():
                if texts:  # a blank page keeps its few stray characters, if any
                    by_page[number] = texts
    finally:
        document.close()
    read = [n for n in scanned if any(e.ocr for e in by_page.get(n, []))]
    if pages and len(scanned) == pages and not read:
        raise NoTextLayer(pages) if not ocr.enabled else EmptyDocument("OCR found no text in it")
    elements = _without_running_lines([e for n in sorted(by_page) for e in by_page[n]], pages,
                                      boxes)
    kinds = classify([e.text for e in elements])
    elements = [Element(e.text, kind, e.page, e.ocr)
                for e, kind in zip(elements, kinds, strict=True)]
    parsed = ParsedDocument(elements, "pdf", "application/pdf", pages=pages)
    if read:
        parsed.warnings.append(f"{len(read)} of {pages} pages read by OCR")
    if len(scanned) > len(read):
        parsed.warnings.append(f"{len(scanned) - len(read)} of {pages} pages have no text")
    return parsed


def _ocr_pages(document, numbers: list[int], pages: int,  # type: ignore[no-untyped-def]
               job: OcrJob) -> dict[int, list[Element]]:
    """OCR of the given pages, rendered one at a time (a 200 dpi page is 3.7 MB of pixels)."""
    tesseract()  # before rendering anything: says what to install

    def images():  # type: ignore[no-untyped-def]
        for number in numbers:
            page = document[number - 1]
            try:
                yield number, page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()

    found: dict[int, list[Element]] = {n: [] for n in numbers}
    for element in read_pages(images(), pages, job):
        found[element.page or 0].append(element)
    return found


_LONG_RUNNING_LINE = 20  # characters: a running line this long is dropped anywhere on a page
_BAND_TOLERANCE = 1.0  # points


@dataclass(frozen=True)
class _Box:
    """Where a paragraph sits on its page, in PDF points from the page's bottom."""

    top: float
    bottom: float
    page_height: float


def _without_running_lines(elements: list[Element], pages: int,
                           boxes: dict[int, _Box] | None = None) -> list[Element]:
    """Drop running headers and footers: the same line (page numbers aside) at the top or
    bottom of many pages, and (with `boxes`, by id() of the elements) whatever else lies in the
    bands they occupy, such as the AI Act's page-1 masthead "Official Journal of the European
    Union" in its running header's place. Left in, they become false section titles (that
    masthead was the section of 39 chunks) and noise in every chunk."""
    if pages < 4:
        return elements
    by_page: dict[int | None, list[int]] = {}
    for i, element in enumerate(elements):
        by_page.setdefault(element.page, []).append(i)
    edge_pages: dict[str, set[int | None]] = {}
    for page, indexes in by_page.items():
        for i in indexes[:4] + indexes[-6:]:
            edge_pages.setdefault(_shape(elements[i].text), set()).add(page)
    threshold = max(3, pages // 4)
    running = {shape for shape, seen in edge_pages.items() if len(seen) >= threshold}
    if not running:
        return elements
    edges = {i for indexes in by_page.values() for i in indexes[:4] + indexes[-6:]}
    in_band = _in_running_bands([boxes[id(elements[i])] for i in sorted(edges)
                                 if _shape(elements[i].text) in running
                                 and id(elements[i]) in (boxes or {})])
    # A long running line is dropped wherever it is: on pages with many footnotes the AI Act's
    # "ELI: http://data.europa.eu/..." footer sits above them, outside the edge elements.
    return [e for i, e in enumerate(elements)
            if not in_band((boxes or {}).get(id(e)))
            and (_shape(e.text) not in running
                 or (i not in edges and len(e.text) < _LONG_RUNNING_LINE))]


def _in_running_bands(running: list[_Box]) -> Callable[[_Box | None], bool]:
    """Whether a paragraph lies wholly in the header band (above the usual bottom of the running
    headers) or the footer band (below the usual top of the running footers) of pages of its
    size. Medians: a footer pushed up by footnotes on a few pages does not widen the band."""
    headers: dict[int, list[float]] = {}
    footers: dict[int, list[float]] = {}
    for box in running:
        if (box.top + box.bottom) / 2 > box.page_height / 2:
            headers.setdefault(round(box.page_height), []).append(box.bottom)
        else:
            footers.setdefault(round(box.page_height), []).append(box.top)
    floor = {size: statistics.median(v) for size, v in headers.items()}
    ceiling = {size: statistics.median(v) for size, v in footers.items()}

    def in_band(box: _Box | None) -> bool:
        if box is None:  # read by OCR: no box
            return False
        size = round(box.page_height)
        return (box.bottom >= floor.get(size, float("inf")) - _BAND_TOLERANCE
                or box.top <= ceiling.get(size, float("-inf")) + _BAND_TOLERANCE)

    return in_band


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))[:120]


def _pdfium_reason(message: str) -> str:
    """PDFium's error as one of a few fixed sentences (a reason never shows a library's text)."""
    if "format" in message:
        return "the file is not a valid PDF"
    if "security" in message:
        return "its encryption scheme is not supported"
    if "file" in message:
        return "the file cannot be read"
    return "PDFium cannot open it"


def _page_elements(page, page_number: int,  # type: ignore[no-untyped-def]
                   boxes: dict[int, _Box] | None = None) -> list[Element]:
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage)
    finally:
        textpage.close()
        page.close()
    elements = []
    for paragraph in _paragraphs(lines):
        element = Element(_join(paragraph), "", page_number)
        if element.text:
            elements.append(element)
            if boxes is not None:
                boxes[id(element)] = _Box(max(x.top for x in paragraph),
                                          min(x.bottom for x in paragraph), height)
    return elements


def _lines(textpage) -> list[_Line]:  # type: ignore[no-untyped-def]
    text = textpage.get_text_range()
    lines = []
    index = 0
    for raw in text.split("\r\n"):
        stripped = raw.strip()
        if stripped:
            offset = index + (len(raw) - len(raw.lstrip()))
            left, bottom, _right, top = textpage.get_charbox(offset, loose=True)
            lines.append(_Line(raw.rstrip(), left, bottom, top))
        index += len(raw) + 2
    return lines


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    if not lines:
        return []
    typical = statistics.median(line.height for line in lines)
    paragraphs: list[list[_Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        same_row = abs(line.top - prev.top) < 0.3 * typical
        gap = prev.bottom - line.top
        new_block = (
            line.top > prev.top + 0.3 * typical  # moved up: next column or a new region
            or gap > 0.6 * typical
            or abs(line.height - prev.height) > 0.25 * max(line.height, prev.height)
        )
        if new_block and not same_row:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _join(lines: list[_Line]) -> str:
    out = ""
    for line in lines:
        text = line.text.strip()
        if out.endswith(_SOFT_HYPHENS):
            out = out[:-1] + text
        elif out:
            out += " " + text
        else:
            out = text
    for mark in _SOFT_HYPHENS:
        out = out.replace(mark, "")
    return " ".join(out.split())
