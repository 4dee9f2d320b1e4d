"""OCR: scanned PDF pages and image files are read by Tesseract, offline, in English and French.

Test documents are small (OCR takes seconds a page on a shared 2-core machine): a third of a
rendered corpus page, or the corpus's one-page scans. Progress and cancel use a stand-in reader.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_import

from desktop_rag.core.errors import NoTextLayer, UnsupportedType
from desktop_rag.core.events import CancelToken, OcrProgress
from desktop_rag.core.ingest import ocr
from desktop_rag.core.ingest.ocr import OcrJob, OcrUnavailable
from desktop_rag.core.ingest.parse import parse_file

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (scripts/setup.sh)")


def _page_image(pdf: Path, index: int, dpi: int = 200, top: float = 0.4):  # type: ignore[no-untyped-def]
    """The top part of a page of a text PDF, as a scanner would give it (no text layer)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
    document.close()
    return image.crop((0, 0, image.width, int(image.height * top)))


def _scanned_pdf(folder: Path, corpus: Path) -> Path:
    """Page 1 with a text layer (the DPR paper), page 2 an image of the French paper's page."""
    import pypdfium2 as pdfium

    scan = folder / "scan.pdf"
    _page_image(corpus / "language-docs/fr_olap.pdf", 0).convert("RGB").save(scan, resolution=200)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(corpus / "pdf/multi-column-2p.pdf")), [0])
    mixed.import_pages(pdfium.PdfDocument(str(scan)))
    path = folder / "mixed.pdf"
    mixed.save(str(path))
    return path


@needs_tesseract
def test_a_scanned_page_is_read_at_its_page_number(tmp_path, corpus):
    parsed = parse_file(_scanned_pdf(tmp_path, corpus))
    assert parsed.pages == 2
    first = [e for e in parsed.elements if e.page == 1]
    second = [e for e in parsed.elements if e.page == 2]
    assert first and not any(e.ocr for e in first)  # the text layer, not OCR
    assert second and all(e.ocr for e in second)
    text = " ".join(e.text for e in second).lower()
    assert "données" in text  # French accents come through (eng+fra)
    assert "1 of 2 pages read by OCR" in parsed.warnings


@needs_tesseract
def test_a_scanned_pdf_of_the_corpus_imports_with_chunks_marked_ocr(library, embedder, corpus):
    summary, _ = run_import(library, [corpus / "pdf/single_table.pdf"], embedder)
    assert len(summary.imported) == 1, summary.failed
    doc = library.find("single_table.pdf")
    chunks = library.chunks(doc)
    assert chunks and all("OCR" in c.element_types and c.pages == (1,) for c in chunks)
    assert "chunks" in " ".join(c.text for c in chunks).lower()
    # The mark survives in the stored elements, so re-chunking keeps it.
    assert all(e.ocr for e in library.elements(doc))
    # Search results say it too (the Passages tab shows "(OCR)" beside the page).
    from desktop_rag.core.search.retrieval import Retriever, SearchOptions

    hits = Retriever(library, embedder).search("mean chunks per document",
                                               SearchOptions(mode="dense")).hits
    assert hits and all(h.ocr for h in hits)


@needs_tesseract
def test_images_and_every_page_of_a_tiff_are_read(tmp_path, corpus):
    english = _page_image(corpus / "pdf/multi-column-2p.pdf", 0, top=0.25)
    french = _page_image(corpus / "language-docs/fr_olap.pdf", 0, top=0.25)
    tiff = tmp_path / "two-pages.tiff"
    english.save(tiff, save_all=True, append_images=[french], compression="tiff_deflate")
    parsed = parse_file(tiff)
    assert parsed.pages == 2 and {e.page for e in parsed.elements} == {1, 2}
    page_one = " ".join(e.text for e in parsed.elements if e.page == 1)
    assert "Dense Passage Retrieval" in page_one
    png = tmp_path / "note.png"
    english.save(png)
    assert "Dense Passage Retrieval" in " ".join(e.text for e in parse_file(png).elements)


def test_ocr_turned_off_says_so(corpus, tmp_path):
    off = OcrJob(enabled=False)
    with pytest.raises(NoTextLayer, match="turned off in this library's settings"):
        parse_file(corpus / "pdf/loremipsum-flat.pdf", ocr=off)
    with pytest.raises(UnsupportedType, match="image/jpeg .images need OCR, which is turned off"):
        parse_file(corpus / "img/layout-parser-paper-fast.jpg", ocr=off)


def test_ocr_is_a_library_setting(library, embedder, corpus):
    library.settings.ocr = False
    summary, _ = run_import(library, [corpus / "pdf/single_table.pdf"], embedder)
    assert "turned off" in summary.failed[0].reason


def test_without_tesseract_the_reason_says_what_to_install(corpus, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailable) as info:
        parse_file(corpus / "pdf/single_table.pdf")
    assert info.value.user_message == (
        "OCR needs Tesseract, which is not installed; install it with: "
        "sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra")


def _three_page_tiff(folder: Path):  # type: ignore[no-untyped-def]
    from PIL import Image

    pages = [Image.new("L", (200, 100), 255) for _ in range(3)]
    path = folder / "three.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


@pytest.fixture
def fake_reader(monkeypatch):  # type: ignore[no-untyped-def]
    """Tesseract replaced by a reader that takes a moment: progress and cancel, not OCR."""
    import time

    read: list[int] = []

    def reader(image):  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        read.append(1)
        return f"Page text number {len(read)} of the scanned report.\n"

    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(ocr, "read_image", reader)
    monkeypatch.setattr("desktop_rag.core.ingest.images.tesseract", lambda: "tesseract")
    return read


def test_progress_shows_each_page(library, embedder, tmp_path, fake_reader):
    summary, events = run_import(library, [_three_page_tiff(tmp_path)], embedder)
    assert len(summary.imported) == 1
    pages = [e.page for e in events if isinstance(e, OcrProgress)]
    assert pages and pages == sorted(pages) and set(pages) <= {1, 2, 3}
    assert all(e.pages == 3 for e in events if isinstance(e, OcrProgress))


def test_cancel_stops_between_pages(library, embedder, tmp_path, fake_reader):
    from desktop_rag.core.events import ImportFinished
    from desktop_rag.core.store.importer import import_paths

    cancel = CancelToken()
    for event in import_paths(library, [_three_page_tiff(tmp_path)], embedder, cancel=cancel):
        if isinstance(event, OcrProgress):
            cancel.cancel()
        if isinstance(event, ImportFinished):
            assert event.summary.cancelled and not event.summary.imported
    assert len(fake_reader) < 3  # the pages after the cancel were not read
    assert library.documents() == [], library.documents()


def test_the_command_line_shows_the_page_being_read():
    import io

    from desktop_rag.console import ImportProgress
    from desktop_rag.core.events import ImportStarted

    out = io.StringIO()
    times = iter([0.0, 0.0, 10.0, 10.0])
    progress = ImportProgress(out, clock=lambda: next(times))
    progress(ImportStarted(1))
    progress(OcrProgress(Path("/scans/minutes.pdf"), 3, 12))
    assert "minutes.pdf: reading page 3/12 (OCR)" in out.getvalue()
