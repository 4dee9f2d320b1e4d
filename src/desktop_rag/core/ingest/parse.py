"""Parse one file into elements, or fail with a reason a user understands.

PDFs and plain text go through our own readers (see pdf.py and _parse_text); every other format
goes through unstructured's partitioners. All of them are typed with unstructured's rules.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
from pathlib import Path

from desktop_rag.core.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    ImportProblem,
    MissingConverter,
    UnsupportedType,
)
from desktop_rag.core.ingest.detect import FileKind, detect_kind
from desktop_rag.core.ingest.elements import Element, ParsedDocument, html_table_to_rows
from desktop_rag.core.ingest.encoding import read_text, utf8_copy
from desktop_rag.core.ingest.images import IMAGE_KINDS, IMAGE_MIMES
from desktop_rag.core.ingest.ocr import OcrJob
from desktop_rag.core.ingest.screening import screen
from desktop_rag.core.ingest.unstructured_setup import classify, prepare_unstructured

log = logging.getLogger(__name__)

# Formats that need LibreOffice to be converted first, with the modern format to suggest.
_LEGACY_OFFICE = {"doc": ".docx", "ppt": ".pptx"}
# Element types that carry no content of the document itself.
_DROPPED_KINDS = {"PageBreak", "Header", "Footer", "Image", "PageNumber"}


def parse_file(path: Path, kind: FileKind | None = None, ocr: OcrJob | None = None
               ) -> ParsedDocument:
    """Raise an ImportProblem subclass for any file that cannot become a document.
    `ocr`: whether scans and images are read by OCR (default: yes), its progress and stops."""
    if path.stat().st_size == 0:
        raise EmptyDocument("the file is empty (0 bytes)")
    kind = kind or detect_kind(path)
    screen(path, kind)
    if kind.name == "pdf":
        from desktop_rag.core.ingest.pdf import parse_pdf

        parsed = parse_pdf(path, ocr)
    elif kind.name in IMAGE_KINDS or kind.mime in IMAGE_MIMES:
        from desktop_rag.core.ingest.images import parse_image

        parsed = parse_image(path, kind, ocr or OcrJob())
    elif kind.name == "txt":
        parsed = _parse_text(path, kind)
    else:
        parsed = _parse_with_unstructured(path, kind)
    if not parsed.elements or parsed.text_chars == 0:
        raise EmptyDocument("no text was found in it")
    return parsed


def _check_supported(kind: FileKind) -> None:
    from unstructured.file_utils.model import FileType

    if kind.mime.startswith("image/") or kind.name in ("bmp", "heic", "jpg", "png", "tiff"):
        raise UnsupportedType(kind.mime)  # an image format Tesseract is not given (HEIC)
    if kind.name in ("unknown", "empty") or kind.name.upper() not in FileType.__members__:
        raise UnsupportedType(kind.mime)
    file_type = FileType[kind.name.upper()]
    if not file_type.is_partitionable:
        raise UnsupportedType(kind.mime)
    if kind.name in _LEGACY_OFFICE and shutil.which("soffice") is None:
        raise MissingConverter(
            f"legacy .{kind.name} file: converting it needs LibreOffice, which is not installed; "
            f"install LibreOffice or save the file as {_LEGACY_OFFICE[kind.name]}"
        )


def _parse_with_unstructured(path: Path, kind: FileKind) -> ParsedDocument:
    _check_supported(kind)
    prepare_unstructured()
    from unstructured.partition.auto import partition

    utf8 = utf8_copy(path, kind.name)
    # A message's attachments are documents of their own (mail.py), not part of its text.
    options = {"process_attachments": False} if kind.name in ("eml", "msg") else {}
    # The parser's own words stay in the log: a reason never shows an exception's text.
    try:
        if utf8 is None:
            raw = partition(filename=str(path), strategy="fast", languages=["eng"], **options)
        else:
            raw = partition(file=io.BytesIO(utf8), metadata_filename=str(path), encoding="utf-8",
                            content_type=kind.mime, strategy="fast", languages=["eng"])
    except ImportProblem:
        raise
    except ImportError as exc:
        log.warning("no reader for %s: %s", path, exc)
        raise UnsupportedType(kind.mime, "its reader is not installed") from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is this file's problem only
        log.warning("cannot parse %s as %s: %s", path, kind.name, _short(exc))
        if "password" in str(exc).lower():
            raise EncryptedDocument() from exc
        raise DamagedDocument(kind.name.upper(), "its content cannot be read") from exc
    elements = []
    pages = set()
    for item in raw:
        category = getattr(item, "category", type(item).__name__)
        if category in _DROPPED_KINDS:
            continue
        text = item.text or ""
        if category == "Table":
            html = getattr(item.metadata, "text_as_html", None)
            text = (html and html_table_to_rows(html)) or text
        text = text.strip()
        if not text:
            continue
        page = getattr(item.metadata, "page_number", None)
        if page is not None:
            pages.add(page)
        elements.append(Element(text, type(item).__name__, page))
    has_pages = kind.name in ("pptx", "ppt", "xlsx", "xls", "docx", "doc", "odt") and pages
    return ParsedDocument(elements, kind.name, kind.mime, pages=max(pages) if has_pages else None)


def _parse_text(path: Path, kind: FileKind) -> ParsedDocument:
    """Plain text: unstructured's encoding detection and paragraph grouping, typed in one batch.

    unstructured's partition_text types each paragraph with one spaCy call (61 s for War and
    Peace); classify() batches the same rules.
    """
    prepare_unstructured()
    from unstructured.cleaners.core import auto_paragraph_grouper
    from unstructured.nlp.patterns import PARAGRAPH_PATTERN

    text, _encoding = read_text(path)
    text = auto_paragraph_grouper(text)
    paragraphs = [" ".join(p.split()) for p in re.split(PARAGRAPH_PATTERN, text)]
    paragraphs = [p for p in paragraphs if p]
    kinds = classify(paragraphs)
    elements = [Element(p, k) for p, k in zip(paragraphs, kinds, strict=True)]
    return ParsedDocument(elements, kind.name, kind.mime)


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 160 else message[:157] + "..."
