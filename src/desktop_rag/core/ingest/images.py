"""Image files (PNG, JPEG, TIFF with all its pages, BMP, GIF, WebP) read by OCR, one
element list per page (a frame of a multi-page TIFF is a page)."""

from __future__ import annotations

from pathlib import Path

from desktop_rag.core.errors import DamagedDocument, EmptyDocument, UnsupportedType
from desktop_rag.core.ingest.detect import FileKind
from desktop_rag.core.ingest.elements import Element, ParsedDocument
from desktop_rag.core.ingest.ocr import OcrJob, read_pages, tesseract
from desktop_rag.core.ingest.unstructured_setup import classify

IMAGE_KINDS = {"png", "jpg", "jpeg", "tiff", "bmp", "gif", "webp"}
IMAGE_MIMES = {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/gif", "image/webp"}
# Pillow refuses larger images as decompression bombs; a page scanned at 600 dpi is 35 M.
_MAX_PIXELS = 120_000_000


def parse_image(path: Path, kind: FileKind, job: OcrJob) -> ParsedDocument:
    if not job.enabled:
        raise UnsupportedType(kind.mime, "images need OCR, which is turned off in this "
                                         "library's settings")
    tesseract()  # says what to install before anything is decoded
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = _MAX_PIXELS
    try:
        image = Image.open(path)
        frames = getattr(image, "n_frames", 1)
    except Exception as exc:  # noqa: BLE001 - Pillow's errors are many; the file is the problem
        raise DamagedDocument(kind.name.upper(), "its content cannot be read") from exc
    with image:
        pages = (
            (index + 1, frame.convert("L"))
            for index, frame in enumerate(ImageSequence.Iterator(image))
        )
        try:
            found = read_pages(pages, frames, job)
        except (OSError, Image.DecompressionBombError) as exc:
            raise DamagedDocument(kind.name.upper(), "its content cannot be read") from exc
    if not found:
        raise EmptyDocument("OCR found no text in it")
    kinds = classify([e.text for e in found])
    elements = [Element(e.text, k, e.page, True) for e, k in zip(found, kinds, strict=True)]
    return ParsedDocument(elements, kind.name, kind.mime, pages=frames,
                          warnings=[f"{frames} of {frames} pages read by OCR"])
