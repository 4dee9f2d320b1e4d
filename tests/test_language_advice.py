"""The library tells when its documents are in a language its search is not set up for."""

from __future__ import annotations

from conftest import run_import
from desktop_rag.cli import main
from desktop_rag.core.language_advice import language_advice
from desktop_rag.core.libraries import open_library

MINILM = "all-MiniLM-L6-v2"


def _fts(library, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    rows = library.chunks_table.search(query, query_type="fts").select(["text"]).limit(5)
    return [r["text"] for r in rows.to_list()]


def test_french_documents_in_an_english_library_get_advice_and_the_fix_works(
        library, embedder, corpus, capsys):
    assert language_advice(library, MINILM) is None  # nothing imported yet
    assert main(["import", str(corpus / "language-docs/fr_olap.pdf")]) == 0
    err = capsys.readouterr().err
    assert "note: 1 of 1 documents are in French" in err
    assert "desktop-rag library set-language fr" in err and "reads English only" in err
    advice = language_advice(open_library(), MINILM)
    assert advice is not None
    assert (advice.documents_language, advice.library_language) == ("fr", "en")
    assert advice.library_language_differs and not advice.embedder_reads_it
    assert (advice.documents, advice.in_that_language) == (1, 1)

    assert main(["library", "set-language", "fr"]) == 0
    assert open_library().settings.language == "fr"  # saved
    library = open_library()
    assert any("données" in h for h in _fts(library, "entrepôt de donnée"))  # French stems
    advice = language_advice(library, MINILM)
    assert advice is not None and not advice.library_language_differs
    assert not advice.embedder_reads_it  # the English-only embedder is still worth a word
    assert language_advice(library, "paraphrase-multilingual-MiniLM-L12-v2") is None


def test_no_advice_without_a_majority_or_for_english(library, embedder, corpus):
    run_import(library, [corpus / "norwich-city.txt"], embedder)
    assert language_advice(library, MINILM) is None  # English documents, English library
    run_import(library, [corpus / "language-docs/fr_olap.pdf"], embedder)
    assert language_advice(library, MINILM) is None  # one of each: no "mostly"
