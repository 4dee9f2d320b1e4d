"""The plain result of parsing: a document's text as a list of typed elements.

Everything after parsing (chunking, storage, the inspector) works on these, never on
unstructured's objects, so the parser can change without touching the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Element:
    """One block of a document: a title, a paragraph, a list item, a table (as rows)..."""

    text: str
    kind: str  # unstructured's category: Title, NarrativeText, ListItem, Table, ...
    page: int | None = None
    ocr: bool = False  # read by OCR from an image of the page, not from the file's text


# How an OCR element's kind is stored in the elements table ("NarrativeText+OCR"), so that
# re-chunking from the stored elements keeps the mark without a column old libraries lack.
_OCR_SUFFIX = "+OCR"


def stored_kind(element: Element) -> str:
    return element.kind + (_OCR_SUFFIX if element.ocr else "")


def element_from_row(text: str, kind: str, page: int | None) -> Element:
    ocr = kind.endswith(_OCR_SUFFIX)
    return Element(text, kind.removesuffix(_OCR_SUFFIX), page, ocr)


@dataclass
class ParsedDocument:
    elements: list[Element]
    file_type: str  # a short name: pdf, docx, html, txt ...
    mime: str
    pages: int | None = None  # pages of the source when it has pages (PDF, slides, sheets)
    warnings: list[str] = field(default_factory=list)

    @property
    def text_chars(self) -> int:
        return sum(len(e.text.strip()) for e in self.elements)


def html_table_to_rows(html: str) -> str | None:
    """A table's text as one line per row, cells separated by ' | '.

    unstructured flattens tables into one line of words; rows keep what belongs together.
    Returns None when the HTML holds no rows.
    """
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except Exception:  # noqa: BLE001 - malformed HTML: the caller keeps the flat text
        return None
    lines = []
    for row in root.iter("tr"):
        cells = [" ".join(c.text_content().split()) for c in row if c.tag in ("td", "th")]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines) if lines else None
