"""The library tells when its documents are in a language its search is not set up for."""

from __future__ import annotations

from conftest import run_import

from desktop_rag.cli import main
from desktop_rag.core.store.language_advice import language_advice
from desktop_rag.core.store.libraries import open_library

MINILM = "all-MiniLM-L6-v2"
# Short documents: what is tested is the language of the words, not the parsing.
FRENCH = ("Les entrepôts de données servent à l'analyse des ventes. Dans une base "
          "multidimensionnelle, les faits sont décrits par des dimensions et des mesures.")
ENGLISH = ("Norwich City is a football club. The club plays its home games at Carrow Road, "
           "and it was founded in 1902 by a group of teachers.")


def _write(folder, name: str, text: str):  # type: ignore[no-untyped-def]
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _fts(library, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    rows = library.chunks_table.search(query, query_type="fts").select(["text"]).limit(5)
    return [r["text"] for r in rows.to_list()]


def test_french_documents_in_an_english_library_get_advice_and_the_fix_works(
        library, tmp_path, capsys):
    assert language_advice(library, MINILM) is None  # nothing imported yet
    assert main(["import", str(_write(tmp_path, "cours.txt", FRENCH))]) == 0
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


def test_no_advice_without_a_majority_or_for_english(library, embedder, tmp_path):
    run_import(library, [_write(tmp_path, "club.txt", ENGLISH)], embedder)
    assert language_advice(library, MINILM) is None  # English documents, English library
    run_import(library, [_write(tmp_path, "cours.txt", FRENCH)], embedder)
    assert language_advice(library, MINILM) is None  # one of each: no "mostly"
