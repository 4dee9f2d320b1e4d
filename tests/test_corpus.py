"""The whole shared corpus, as a user would drop it: every file ends in one clear state."""

from __future__ import annotations

import shutil

import pytest
from conftest import run_import

from desktop_rag.cli import main
from desktop_rag.core.store import schema as S

EXPECTED_FAILURES = {
    "password.pdf": "encrypted: password required",
    "empty.txt": "empty",
    "empty.xlsx": "empty",
}
# Attachments of messages are documents of their own, named after their message.
ATTACHMENTS = {"email-with-image.eml › unstructured_logo.png"}
# Scans and images, read by OCR.
SCANNED = {"loremipsum-flat.pdf", "single_table.pdf", "table-multi-row-column-cells.pdf",
           "layout-parser-paper-fast.jpg", "layout-parser-paper-fast.tiff"}
if shutil.which("tesseract") is None:
    EXPECTED_FAILURES.update({name: "OCR needs Tesseract" for name in SCANNED})
if shutil.which("soffice") is None:
    EXPECTED_FAILURES["fake-doc-emphasized-text.doc"] = "needs LibreOffice"
    EXPECTED_FAILURES["fake-power-point.ppt"] = "needs LibreOffice"


@pytest.mark.slow
# About 5 min on a quiet machine, plus OCR (seconds a page, 8 scanned pages and 3 images);
# 40 min when the 2 cores were shared with 3 other test runs.
@pytest.mark.timeout(3600)
def test_the_whole_corpus_imports_or_says_why(library, embedder, corpus, capsys):
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    summary, _ = run_import(library, [corpus], embedder)
    outcomes = {e.path.name: e for e in [*summary.imported, *summary.skipped, *summary.failed]}
    assert len(outcomes) == len(files) + len(ATTACHMENTS), "every file ends in exactly one state"
    assert {e.path.name for e in summary.imported} | {e.path.name for e in summary.skipped} | {
        e.path.name for e in summary.failed
    } == {f.name for f in files} | ATTACHMENTS
    failed = {e.path.name: e.reason for e in summary.failed}
    assert set(failed) == set(EXPECTED_FAILURES), failed
    for name, reason in failed.items():
        assert EXPECTED_FAILURES[name] in reason, (name, reason)
    assert not summary.skipped
    for event in summary.imported:
        doc = library.document_at(event.path)
        chunks = library.chunks(doc)
        assert doc.state == S.IMPORTED and doc.chunks == len(chunks) > 0, event.path.name
        assert all(c.text.strip() for c in chunks)

    for name in SCANNED - set(failed):
        chunks = library.chunks(library.find(name))
        assert chunks and all("OCR" in c.element_types for c in chunks), name

    act = library.find("eu_ai_act_official.pdf")
    assert act.pages == 144
    pages = sorted({p for c in library.chunks(act) for p in c.pages})
    assert pages[0] == 1 and pages[-1] == 144 and len(pages) > 130

    again, _ = run_import(library, [corpus], embedder)
    assert not again.imported
    assert {e.path.name for e in again.failed} == set(EXPECTED_FAILURES)
    assert {e.reason for e in again.skipped} == {"unchanged"}

    # What a user sees from the command line.
    capsys.readouterr()
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out
    assert "encrypted: password required" in listing and "eu_ai_act_official.pdf" in listing
    assert main(["chunks", "eu_ai_act"]) == 0
    chunk_table = capsys.readouterr().out
    assert "144 pages" in chunk_table and "Article 5" in chunk_table
