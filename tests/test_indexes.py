"""Search indexes: stemmed full-text search in English and French, and re-embedding."""

from __future__ import annotations

import shutil

from conftest import run_import

from desktop_rag.core.embed.base import default_model_path
from desktop_rag.core.embed.factory import make_embedder
from desktop_rag.core.settings import LibrarySettings
from desktop_rag.core.store.indexes import maintain
from desktop_rag.core.store.libraries import create_library
from desktop_rag.core.store.rechunk import reembed_library


def _fts(library, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    table = library.chunks_table
    rows = table.search(query, query_type="fts").select(["text"]).limit(5).to_list()
    return [r["text"] for r in rows]


def test_english_full_text_index_is_stemmed(library, embedder, corpus):
    run_import(library, [corpus / "norwich-city.txt"], embedder)
    report = maintain(library)
    assert report.fts_built and report.optimized
    hits = _fts(library, "footballing clubs")  # "football" and "club" in the text
    assert hits and any("club" in h.lower() for h in hits)
    assert not maintain(library).fts_built  # built once, then only refreshed


def test_french_library_stems_french(embedder, corpus):
    library = create_library("fr", LibrarySettings(language="fr"))
    run_import(library, [corpus / "language-docs/fr_olap.pdf"], embedder)
    maintain(library)
    hits = _fts(library, "entrepôt de donnée")  # singular: the text says "données"
    assert hits and any("données" in h for h in hits)


def test_switching_model_reembeds_every_document(library, embedder, corpus, tmp_path):
    run_import(library, [corpus / "fake.odt", corpus / "pdf/multi-column-2p.pdf"], embedder)
    before = {d.name: d.chunks for d in library.documents()}
    other_folder = tmp_path / "my-minilm"
    shutil.copytree(default_model_path(), other_folder)
    other = make_embedder(str(other_folder))
    list(reembed_library(library, other))
    assert library.model["id"] == "my-minilm"
    assert library.chunks_table_name != "chunks"
    assert "chunks" not in library.table_names()
    assert {d.name: d.chunks for d in library.documents()} == before
    assert library.stats()["chunks"] == sum(before.values())
    # The switch is persisted: a fresh handle on the library sees the new model.
    from desktop_rag.core.store.libraries import open_library

    reopened = open_library()
    assert reopened.model["id"] == "my-minilm"
    paper = reopened.find("multi-column-2p")
    assert len(reopened.chunks(paper)) == paper.chunks


def test_an_ann_index_is_built_once_the_library_is_large(library, embedder, corpus, monkeypatch):
    from desktop_rag.core.store import indexes

    monkeypatch.setattr(indexes, "ANN_MIN_ROWS", 100)
    run_import(library, [corpus / "fake.odt"], embedder)
    assert not maintain(library).ann_built  # 1 chunk: exact search
    run_import(library, [corpus / "norwich-city.txt"], embedder)
    assert maintain(library).ann_built
    table = library.chunks_table
    assert any("vector" in index.columns for index in table.list_indices())
    query = embedder.embed(["Norwich City football club"])[0]
    hits = table.search(query).distance_type("cosine").limit(5).to_list()
    exact = table.search(query).distance_type("cosine").bypass_vector_index().limit(5).to_list()
    assert {h["chunk_id"] for h in hits} == {h["chunk_id"] for h in exact}
    assert not maintain(library).ann_built  # built once; later runs fold new rows in
