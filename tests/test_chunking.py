"""Chunking strategies: size limits, overlap, no lost text, pages and sections from the source."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_rag.core.ingest.chunking import chunk_elements, document_text
from desktop_rag.core.ingest.elements import Element
from desktop_rag.core.settings import ChunkingSettings

WORDS = ["the", "regulation", "données", "AI", "system", "risk", "Article", "5", "l'IA",
         "high-risk", "provider", "(a)", "transparency", "obligations.", "Why?", "—", "naïve",
         "2024/1689", "e-mail", "x" * 30]


@st.composite
def documents(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 25))
    page = 1
    elements = []
    for _ in range(count):
        page += draw(st.integers(0, 1))
        kind = draw(st.sampled_from(["Title", "NarrativeText", "ListItem", "Table", "Text"]))
        if kind == "Title":
            text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))
        elif kind == "Table":
            rows = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
                                 min_size=1, max_size=12))
            text = "\n".join(" | ".join(r) for r in rows)
        else:
            words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=400))
            text = " ".join(words)
            if draw(st.booleans()):
                text = text.replace(" the ", ". The ", 3)
        elements.append(Element(text, kind, page))
    return elements


chunk_settings = st.builds(
    lambda strategy, size, overlap_ratio, separator: ChunkingSettings(
        strategy, size, int(size * overlap_ratio), separator
    ),
    st.sampled_from(["title", "page", "tokens", "separator"]),
    st.integers(16, 300),
    st.sampled_from([0.0, 0.1, 0.25, 0.5]),
    st.sampled_from(["paragraph", "sentence"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elements=documents(), chosen=chunk_settings)
def test_chunks_respect_size_keep_all_text_and_source_pages(counter, elements, chosen):
    chunks = chunk_elements(elements, chosen, counter)
    text = document_text(elements)
    assert chunks
    covered = bytearray(len(text))
    for i, chunk in enumerate(chunks):
        assert chunk.ordinal == i
        assert chunk.text == text[chunk.char_start : chunk.char_end]
        assert chunk.text.strip() == chunk.text or chosen.strategy == "tokens"
        # The limit holds, except for a single token longer than the limit (none here).
        assert chunk.token_count <= chosen.max_tokens
        assert chunk.token_count == counter.count(chunk.text)
        for position in range(chunk.char_start, chunk.char_end):
            covered[position] = 1
        # Pages are exactly those of the elements the chunk overlaps.
        overlapped = _overlapped(elements, chunk.char_start, chunk.char_end)
        assert chunk.pages == tuple(sorted({e.page for e in overlapped}))
        if chosen.strategy == "page":
            assert len(chunk.pages) == 1
    lost = [c for c, seen in zip(text, covered, strict=True) if not seen and not c.isspace()]
    assert not lost, f"text lost between chunks: {''.join(lost)[:80]!r}"
    # Chunks follow the document's order.
    assert [c.char_start for c in chunks] == sorted(c.char_start for c in chunks)


def _overlapped(elements, start, end):  # type: ignore[no-untyped-def]
    position, found = 0, []
    for element in elements:
        element_end = position + len(element.text)
        if position < end and element_end > start:
            found.append(element)
        position = element_end + 2
    return found


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=50, max_size=1500),
       size=st.integers(10, 200), ratio=st.sampled_from([0.1, 0.2, 0.5]))
def test_token_windows_overlap_by_what_was_asked(counter, words, size, ratio):
    overlap = int(size * ratio)
    elements = [Element(" ".join(words), "NarrativeText", 1)]
    chunks = chunk_elements(elements, ChunkingSettings("tokens", size, overlap), counter)
    tokens = counter.positions(document_text(elements))
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.token_count == size
        shared = tokens.count(after.char_start, before.char_end)
        assert shared == overlap


def test_title_strategy_starts_chunks_at_headings_and_records_sections(counter):
    elements = [
        Element("CHAPTER I", "Title", 1),
        Element("General provisions", "Title", 1),
        Element("This Regulation lays down rules. " * 3, "NarrativeText", 1),
        Element("Article 2", "Title", 2),
        Element("It applies to providers. " * 3, "NarrativeText", 2),
    ]
    chunks = chunk_elements(elements, ChunkingSettings("title", 200), counter)
    assert [c.section for c in chunks] == ["CHAPTER I › General provisions", "Article 2"]
    assert chunks[0].text.startswith("CHAPTER I\n\nGeneral provisions")
    assert chunks[1].pages == (2,)
    assert "Title" in chunks[1].element_types


def test_a_long_table_is_split_between_rows(counter):
    rows = [f"row {i} | value {i} | note {i}" for i in range(200)]
    elements = [Element("\n".join(rows), "Table", 3)]
    chunks = chunk_elements(elements, ChunkingSettings("title", 60), counter)
    assert len(chunks) > 1
    for chunk in chunks:
        assert all(re.fullmatch(r"row \d+ \| value \d+ \| note \d+", line)
                   for line in chunk.text.splitlines())


def test_sentence_separator_never_cuts_a_sentence_that_fits(counter):
    sentences = [f"Sentence number {i} says something short." for i in range(40)]
    elements = [Element(" ".join(sentences), "NarrativeText", 1)]
    chunks = chunk_elements(elements, ChunkingSettings("separator", 40, 10, "sentence"), counter)
    for chunk in chunks:
        assert chunk.text.endswith(".") and chunk.text.startswith("Sentence")
    # Overlap repeats whole sentences.
    assert chunks[1].text.split(". ")[0] in chunks[0].text


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        ChunkingSettings("words")
    with pytest.raises(ValueError):
        ChunkingSettings("tokens", 100, 100)


def test_long_texts_are_tokenized_in_pieces_with_the_same_tokens(counter, corpus):
    """Token positions of a book-length text come from pieces encoded with the GIL released;
    they must be exactly those of one encode() of the whole text."""
    book = (corpus / "book-war-and-peace-1225p.txt").read_text(encoding="utf-8")[:400_000]
    book += "\n\n" + (corpus / "language-docs/UDHR_first_article_all.txt").read_text(
        encoding="utf-8")  # many scripts, so pieces also end next to non-Latin text
    positions = counter.positions(book)
    whole = counter._tokenizer.encode(book, add_special_tokens=False)
    offsets = [o for o in whole.offsets if o[1] > o[0]]
    assert positions.starts == [o[0] for o in offsets]
    assert positions.ends == [o[1] for o in offsets]


def _words_intact(chunks, text):  # type: ignore[no-untyped-def]
    """No chunk starts or ends inside a word of the document."""
    for chunk in chunks:
        start, end = chunk.char_start, chunk.char_end
        assert start == 0 or not (text[start - 1].isalnum() and text[start].isalnum()), chunk.text
        assert end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum()), chunk.text


def test_a_heading_stays_with_the_start_of_a_paragraph_too_long_for_one_chunk(counter):
    sentences = [f"Le paragraphe numéro {i} décrit l'indépendance des royaumes voisins."
                 for i in range(30)]
    elements = [Element("Troisième dynastie d'Ur", "Title", 1),
                Element(" ".join(sentences), "NarrativeText", 1)]
    chunks = chunk_elements(elements, ChunkingSettings("title", 120), counter)
    text = document_text(elements)
    assert len(chunks) > 2
    assert chunks[0].text.startswith("Troisième dynastie d'Ur\n\nLe paragraphe numéro 0")
    assert all(c.section == "Troisième dynastie d'Ur" for c in chunks)
    # Cut between sentences, and the last chunk is not a scrap of the paragraph's end.
    assert all(c.text.endswith(".") for c in chunks)
    _words_intact(chunks, text)
    sizes = [c.token_count for c in chunks]
    assert min(sizes) >= max(sizes) // 2, sizes


def test_a_sentence_longer_than_a_chunk_is_cut_between_words(counter):
    words = ["indépendantistes", "anticonstitutionnellement", "réchauffement", "climatique",
             "Ibbi-Sîn", "désagrégation", "l'explication"] * 40
    elements = [Element(" ".join(words), "NarrativeText", 1)]
    for strategy in ("title", "page", "separator"):
        chunks = chunk_elements(elements, ChunkingSettings(strategy, 50), counter)
        assert len(chunks) > 3
        _words_intact(chunks, document_text(elements))
        assert all(c.token_count <= 50 for c in chunks)
