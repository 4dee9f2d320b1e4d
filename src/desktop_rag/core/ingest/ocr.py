"""Text of scanned pages and images, read offline by Tesseract in English and French.

Tesseract runs as a program (Debian: tesseract-ocr, tesseract-ocr-eng, tesseract-ocr-fra), one
page at a time, so an import can report each page and stop between two of them. No layout
model: unstructured's hi_res strategy downloads its weights from a hub and pulls CUDA torch.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop_rag.core.errors import Cancelled, MissingConverter
from desktop_rag.core.ingest.elements import Element

LANGUAGES = ("eng", "fra")
PACKAGES = "tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra"
# PDF pages are rendered at this resolution: Tesseract is trained on text of 20-30 pixels per
# line, which 200 dpi gives for body text; 300 dpi took 1.5x as long for the same words.
RENDER_DPI = 200
PAGE_TIMEOUT = 300  # seconds: a page Tesseract cannot finish in this is given up


@dataclass
class OcrJob:
    """What one file's OCR may do and whom it tells: enabled, a page callback, stop tokens."""

    enabled: bool = True
    progress: Callable[[int, int], None] = lambda page, pages: None
    stops: tuple[Any, ...] = field(default_factory=tuple)  # CancelTokens

    def check(self) -> None:
        if any(s.cancelled for s in self.stops):
            raise Cancelled()


class OcrUnavailable(MissingConverter):
    def __init__(self, program_missing: bool) -> None:
        super().__init__(
            f"OCR needs Tesseract, which is not installed; install it with: "
            f"sudo apt-get install {PACKAGES}" if program_missing else
            "OCR needs Tesseract's English and French data, which are not installed; install "
            "them with: sudo apt-get install tesseract-ocr-eng tesseract-ocr-fra"
        )


@functools.cache
def _languages(program: str) -> tuple[str, ...]:
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                                timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in listed.splitlines()[1:] if line.strip())


def tesseract() -> str:
    """The Tesseract program, with English and French data; else OcrUnavailable."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable(program_missing=True)
    missing = [lang for lang in LANGUAGES if lang not in _languages(program)]
    if missing:
        raise OcrUnavailable(program_missing=False)
    return program


def read_image(image: Any) -> str:
    """The text of one page image (a PIL image), lines kept, paragraphs apart by blank lines."""
    program = tesseract()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    # One thread per Tesseract: its OpenMP threads fight the embedder (and other imports) for
    # the cores; on 2 busy cores a page took 19 s with them and 8.5 s without.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", "+".join(LANGUAGES), "--psm", "3"],
            input=buffer.getvalue(), capture_output=True, timeout=PAGE_TIMEOUT, env=environment,
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", errors="replace")


def paragraphs(text: str) -> list[str]:
    """Tesseract's text as paragraphs: lines joined, words hyphenated at line ends rejoined."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if joined.endswith("-") and joined[-2:-1].isalpha() and line[:1].islower():
                joined = joined[:-1] + line
            else:
                joined = f"{joined} {line}" if joined else line
        joined = " ".join(joined.split())
        if sum(c.isalnum() for c in joined) >= 2:  # specks read as "." or "|" are no text
            out.append(joined)
    return out


def page_elements(image: Any, page: int) -> list[Element]:
    return [Element(text, "", page, ocr=True) for text in paragraphs(read_image(image))]


def read_pages(images: Iterable[tuple[int, Any]], pages: int, job: OcrJob) -> list[Element]:
    """OCR (page number, image) pairs in order, telling job.progress before each page and
    stopping between pages when the job is cancelled."""
    elements: list[Element] = []
    for number, image in images:
        job.check()
        job.progress(number, pages)
        elements.extend(page_elements(image, number))
    return elements
