"""Retrieval on a real library: dense, keyword and hybrid, with every score kept per hit."""

from __future__ import annotations

import pytest

from desktop_rag.core.search.retrieval import (
    Retriever,
    SearchOptions,
    dense_weight_for,
    keywords,
)

QUESTION = "Which retrieval method does dense passage retrieval outperform?"


@pytest.fixture
def searched(papers):  # type: ignore[no-untyped-def]
    library, embedder = papers
    return library, Retriever(library, embedder)


def test_every_mode_keeps_its_scores(searched):  # type: ignore[no-untyped-def]
    library, retriever = searched
    dense = retriever.search(QUESTION, SearchOptions(mode="dense", k=5))
    keyword = retriever.search(QUESTION, SearchOptions(mode="keyword", k=5))
    hybrid = retriever.search(QUESTION, SearchOptions(k=5))
    assert [h.rank for h in hybrid.hits] == [1, 2, 3, 4, 5]
    assert all(h.dense_rank is not None and h.bm25_rank is None for h in dense.hits)
    assert all(h.bm25_rank is not None and h.bm25_score > 0 for h in keyword.hits)
    # Hybrid candidates carry both scores: a keyword hit's cosine comes from its vector.
    assert all(h.dense_score is not None for h in hybrid.hits)
    assert any(h.bm25_score is not None for h in hybrid.hits)
    scores = [h.fused_score for h in hybrid.hits]
    assert scores == sorted(scores, reverse=True)
    top = hybrid.hits[0]
    assert top.document == "multi-column-2p.pdf" and top.pages and set(top.pages) <= {1, 2}
    assert "weighted blend" in hybrid.fusion and hybrid.dense_weight is not None
    assert {"embed", "dense", "keyword", "fuse", "total"} <= set(hybrid.timings_ms)


def test_rrf_and_weights(searched):  # type: ignore[no-untyped-def]
    _, retriever = searched
    rrf = retriever.search(QUESTION, SearchOptions(fusion="rrf"))
    top = rrf.hits[0]
    expected = sum(1 / (60 + r) for r in (top.dense_rank, top.bm25_rank) if r)
    assert top.fused_score == pytest.approx(expected)
    only_bm25 = retriever.search(QUESTION, SearchOptions(fusion="weighted", dense_weight=0.0))
    keyword = retriever.search(QUESTION, SearchOptions(mode="keyword"))
    assert [h.chunk_id for h in only_bm25.hits] == [h.chunk_id for h in keyword.hits]


def test_restrict_to_documents_and_relevance_rule(searched):  # type: ignore[no-untyped-def]
    library, retriever = searched
    bread = library.find("bread-notes")
    only = retriever.search(QUESTION, SearchOptions(documents=(bread.doc_id,)))
    assert only.hits and {h.doc_id for h in only.hits} == {bread.doc_id}
    assert only.nothing_relevant  # bread is not about retrieval
    on_topic = retriever.search("How long to bake sourdough bread?",
                                SearchOptions(documents=(bread.doc_id,)))
    assert not on_topic.nothing_relevant
    off = retriever.search("Quarterly revenue of the Norwegian salmon industry",
                           SearchOptions(k=3))
    assert off.nothing_relevant and all(not h.relevant for h in off.hits)
    everything = retriever.search("Quarterly revenue of the Norwegian salmon industry",
                                  SearchOptions(k=3, min_similarity=0, min_keyword_share=0))
    assert not everything.nothing_relevant


def test_adaptive_weight_and_query_words():
    assert dense_weight_for("en", "all-MiniLM-L6-v2") > dense_weight_for("fr", "all-MiniLM-L6-v2")
    assert dense_weight_for("fr", "paraphrase-multilingual-MiniLM-L12-v2") == dense_weight_for(
        "en", "all-MiniLM-L6-v2")
    assert keywords("Combien de personnes travaillent au ministère ?", "fr") == [
        "de", "personnes", "travaillent", "au", "ministère"]
    assert keywords("What is the capital of France?", "en") == ["the", "capital", "of", "france"]


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="unknown search mode"):
        SearchOptions(mode="fuzzy")
    with pytest.raises(ValueError, match="dense_weight"):
        SearchOptions(dense_weight=1.5)


def test_search_during_an_import_says_which_index_is_stale(library, embedder, tmp_path):  # type: ignore[no-untyped-def]
    """Until maintenance builds the keyword index (after an import), BM25 was '-' for every
    hit without a word why; now the result says so and searches with what exists."""
    from conftest import run_import

    from desktop_rag.core.store.indexes import maintain

    first = tmp_path / "bread.txt"
    first.write_text("Sourdough bread needs a starter, flour, water and salt.", encoding="utf-8")
    run_import(library, [first], embedder)  # as during an import: no index maintenance yet
    retriever = Retriever(library, embedder)
    for mode in ("hybrid", "keyword"):
        result = retriever.search("sourdough starter", SearchOptions(mode=mode))
        assert result.hits and result.fusion == "dense only (cosine)", mode
        assert result.options.mode == mode
        assert "keyword index of this library is not built yet" in result.index_notes[0]
        assert "searched by meaning only" in result.index_notes[0]
    assert retriever.search("sourdough", SearchOptions(mode="dense")).index_notes == []

    maintain(library)
    result = retriever.search("sourdough starter", SearchOptions(mode="keyword"))
    assert result.index_notes == [] and result.hits[0].bm25_score > 0

    second = tmp_path / "tea.txt"
    second.write_text("Green tea is steeped at eighty degrees for two minutes.", encoding="utf-8")
    run_import(library, [second], embedder)
    result = retriever.search("green tea steeped", SearchOptions(mode="keyword"))
    assert result.hits[0].document == "tea.txt" and result.hits[0].bm25_score > 0
    assert result.index_notes and "the keyword index holds 1 of 2 chunks" in \
        result.index_notes[0]
