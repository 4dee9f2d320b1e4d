"""A library embedded by an Ollama embedding model ("ollama:NAME"), through the test server."""

from __future__ import annotations

from conftest import run_import
from ollama_server import FakeOllama, model_entry

from desktop_rag.cli import main
from desktop_rag.core.search.retrieval import Retriever, SearchOptions
from desktop_rag.core.settings import LibrarySettings
from desktop_rag.core.store.libraries import create_library, open_library


def test_library_with_an_ollama_embedder(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    from desktop_rag.core.embed.factory import make_embedder

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tides.txt").write_text("The moon pulls the oceans and makes the tides.")
    (docs / "bread.txt").write_text("Yeast makes bread dough rise in a warm kitchen.")
    with FakeOllama() as server:
        server.models["bge-m3"] = model_entry("bge-m3")
        monkeypatch.setenv("OLLAMA_HOST", server.host)
        library = create_library("multi", LibrarySettings(embedding_model="ollama:bge-m3"))
        embedder = make_embedder(library.settings.embedding_model)
        summary, _ = run_import(library, [docs], embedder)
        assert len(summary.imported) == 2
        assert library.model == {"id": "ollama:bge-m3", "dimension": 16, "normalized": True}
        hits = Retriever(library, embedder).search(
            "why does the dough rise", SearchOptions(mode="dense", k=1)).hits
        assert hits[0].document == "bread.txt"
        assert any(p == "/api/embed" for p, _ in server.requests)
        # Switching a library to it re-embeds every chunk into a new table.
        assert main(["library", "create", "plain", "--select"]) == 0
        assert main(["import", str(docs / "tides.txt")]) == 0
        assert main(["library", "set-model", "ollama:bge-m3"]) == 0
        assert open_library("plain").model["id"] == "ollama:bge-m3"
    assert "now uses ollama:bge-m3" in capsys.readouterr().out
