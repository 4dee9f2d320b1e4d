"""PDF text extraction with PDFium, grouped into paragraphs and typed by unstructured's rules.

unstructured's own PDF path needs unstructured-inference, which pulls a CUDA build of torch; and
pdfminer, its fast strategy, takes 17 s on the 144-page AI Act where PDFium takes 0.6 s. We read
lines and their boxes from PDFium, rebuild paragraphs from the layout (vertical gaps, font size,
column jumps), and let unstructured's `element_from_text` decide titles, list items and prose.
"""

from __future__ import annotations

import re
import statistics
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
        scanned: list[int] = []
        for index in range(pages):
            try:
                page_elements = _page_elements(document[index], index + 1)
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
    elements = _without_running_lines([e for n in sorted(by_page) for e in by_page[n]], pages)
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


def _without_running_lines(elements: list[Element], pages: int) -> list[Element]:
    """Drop running headers and footers: the same line (page numbers aside) at the top or
    bottom of many pages. Left in, they become false section titles and noise in every chunk."""
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
    # A long running line is dropped wherever it is: on pages with many footnotes the AI Act's
    # "ELI: http://data.europa.eu/..." footer sits above them, outside the edge elements.
    return [e for i, e in enumerate(elements) if _shape(e.text) not in running
            or (i not in edges and len(e.text) < _LONG_RUNNING_LINE)]


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


def _page_elements(page, page_number: int) -> list[Element]:  # type: ignore[no-untyped-def]
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage)
    finally:
        textpage.close()
        page.close()
    return [Element(p, "", page_number) for p in _paragraphs(lines)]


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


def _paragraphs(lines: list[_Line]) -> list[str]:
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
    return [text for text in (_join(p) for p in paragraphs) if text]


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
