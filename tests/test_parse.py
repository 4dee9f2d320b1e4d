"""Parsing real files of the shared corpus: content, pages, tables, and clear failures."""

from __future__ import annotations

import shutil

import pytest

from desktop_rag.core.errors import (
    DamagedDocument,
    EmptyDocument,
    EncryptedDocument,
    MissingConverter,
)
from desktop_rag.core.ingest.parse import parse_file


def test_the_ai_act_keeps_its_144_pages_and_articles(corpus):
    parsed = parse_file(corpus / "eu_ai_act_official.pdf")
    assert parsed.pages == 144
    pages = {e.page for e in parsed.elements}
    assert min(pages) == 1 and max(pages) == 144
    titles = [e.text for e in parsed.elements if e.kind == "Title"]
    assert "Article 5" in titles and "Prohibited AI practices" in titles
    # Running headers and footers are dropped, not taken for section titles.
    assert not [e.page for e in parsed.elements if e.text.startswith("ELI: http")]
    # Words hyphenated at line ends are joined again.
    text = " ".join(e.text for e in parsed.elements)
    assert "\ufffe" not in text and "artificial intelligence" in text


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("pdf/password.pdf", EncryptedDocument, "encrypted: password required"),
        ("empty.txt", EmptyDocument, "empty"),
        ("empty.xlsx", EmptyDocument, "no text"),
    ],
)
def test_files_that_cannot_be_read_say_why(corpus, name, error, message):
    with pytest.raises(error) as info:
        parse_file(corpus / name)
    assert message in info.value.user_message


def test_a_file_that_is_not_what_its_name_says(corpus, tmp_path):
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    with pytest.raises(DamagedDocument, match="damaged PDF"):
        parse_file(fake)
    renamed = tmp_path / "notes.pdf"
    shutil.copy(corpus / "norwich-city.txt", renamed)
    parsed = parse_file(renamed)  # the content says text, so it is read as text
    assert parsed.file_type == "txt" and parsed.elements


@pytest.mark.skipif(shutil.which("soffice") is not None, reason="LibreOffice is installed here")
def test_legacy_office_files_name_the_missing_converter(corpus):
    with pytest.raises(MissingConverter, match="LibreOffice"):
        parse_file(corpus / "fake-doc-emphasized-text.doc")


def test_tables_keep_their_rows(corpus):
    parsed = parse_file(corpus / "fake.odt")
    table = next(e for e in parsed.elements if e.kind == "Table")
    assert table.text.splitlines()[0] == "Header row | Mon | Wed | Fri"
    assert len(table.text.splitlines()) == 4


def test_copy_protected_pdf_opens_with_its_empty_user_password(corpus):
    parsed = parse_file(corpus / "pdf/copy-protected.pdf")
    assert parsed.pages == 2 and parsed.text_chars > 1000


def test_non_utf8_text_and_french(corpus):
    utf16 = parse_file(corpus / "fake-text-utf-16-le.txt")
    assert "\x00" not in " ".join(e.text for e in utf16.elements)
    french = parse_file(corpus / "language-docs/fr_olap.pdf")
    assert french.pages == 12
    assert "données" in " ".join(e.text for e in french.elements)


def test_typing_tags_only_elements_that_could_be_titles(monkeypatch):
    """Part-of-speech tags decide titles; elements over unstructured's 12-word title limit are
    prose without the tagger (it was over half of the corpus's parsing time)."""
    from desktop_rag.core.ingest.unstructured_setup import classify, prepare_unstructured

    prepare_unstructured()  # before unstructured is imported: no telemetry
    from unstructured.nlp import tokenize

    short = ["CHAPTER ONE", "Results and discussion", "The model answers questions."]
    long = [
        "Prince Andrew looked at the sky above him and thought of nothing at all that day.",
        "Training Retriever Top-20 Top-100 NQ TriviaQA WQ TREC SQuAD NQ TriviaQA WQ TREC",
        "a basket of apples, pears, plums, cherries, grapes and other fruits of the late season",
    ]
    assert classify(short) == ["Title", "Title", "NarrativeText"]
    nlp = tokenize._get_nlp()

    def no_tagger():  # type: ignore[no-untyped-def]
        raise AssertionError("the tagger ran on an element too long to be a title")

    monkeypatch.setattr(nlp, "_full_model", no_tagger)
    # Capitals still make a table header Text; a verbless list of names is prose.
    assert classify(long) == ["NarrativeText", "Text", "NarrativeText"]


def test_running_headers_and_footers_never_become_sections(corpus, counter):
    """The AI Act's page-1 masthead ("Official Journal of the European Union", "EN L series")
    sits where the running header "OJ L, 12.7.2024 EN" sits on the other pages: it was the
    Section of every chunk of the recitals after page 1."""
    from collections import Counter

    from desktop_rag.core.ingest.chunking import chunk_elements
    from desktop_rag.core.settings import ChunkingSettings

    parsed = parse_file(corpus / "eu_ai_act_official.pdf")
    texts = [e.text for e in parsed.elements]
    assert "Official Journal of the European Union" not in texts and "EN L series" not in texts
    assert not [t for t in texts if t.startswith(("OJ L, 12.7.2024", "EN OJ L"))]
    chunks = chunk_elements(parsed.elements, ChunkingSettings(), counter)
    sections = Counter(c.section for c in chunks)
    assert not [s for s in sections if "Official Journal" in s or "OJ L, 12.7.2024" in s]
    # The recitals after page 1 belong to "Whereas:", the heading that opens them.
    assert all(c.section == "Whereas:" for c in chunks if c.pages and 2 <= c.pages[0] <= 3)
    # The body is all there: the first recitals and the last article.
    text = " ".join(texts)
    assert "(1) The purpose of this Regulation" in text and "Article 113" in text
