"""Summary trees (RAPTOR, core/store/raptor.py): clusters, levels, search over the summaries,
invalidation of a changed document's tree, resume after a cancel, and the command line.

The chat model is the project's Ollama-protocol test server: each summary it writes names the
words of the text it was given, so a test can tell which children a summary was made from.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.errors import Cancelled
from desktop_rag.core.events import CancelToken
from desktop_rag.core.store.clustering import cluster_level
from desktop_rag.core.store.raptor import (
    SummaryProgress,
    SummaryWritten,
    TreeFinished,
    build_trees,
)
from desktop_rag.core.store.summary_prompt import (
    SummarySettings,
    SummaryTemplate,
    load_summary_settings,
    save_summary_settings,
)

BREAD = [
    "Sourdough bread rises with a starter of wild yeast and lactic bacteria kept alive by "
    "regular feeding with flour and water over several days before baking.",
    "The dough rests overnight in a cool place so that the acids develop the sour taste and "
    "the gluten relaxes, which makes the loaf easier to shape in the morning.",
    "The loaf is baked in a covered cast iron pot at two hundred and forty degrees for forty "
    "minutes, then uncovered so that the crust browns and crackles as it cools.",
    "Rye flour holds more water than wheat flour and gives a dense crumb; bakers in Germany "
    "mix both in their dark breads and add caraway seeds for their scent.",
    "A starter that smells of acetone is hungry: feed it twice a day with equal weights of "
    "flour and water until it doubles within six hours of a feeding again.",
    "Salt slows the yeast and tightens the gluten, so it is added after the autolyse, when "
    "flour and water have rested together for half an hour without it.",
]
RIVERS = [
    "The Rhone leaves Lake Geneva, crosses Lyon where the Saone joins it, and reaches the "
    "Mediterranean Sea through the wide marshes of the Camargue delta near Arles.",
    "The Loire is the longest river of France, flowing a thousand kilometres from the Massif "
    "Central past Orleans, Tours and Nantes into the Atlantic Ocean at Saint-Nazaire.",
    "The Seine rises on the Langres plateau, crosses Paris under thirty-seven bridges and "
    "meets the English Channel between Le Havre and Honfleur in Normandy.",
    "The Garonne starts in the Spanish Pyrenees, passes Toulouse and Bordeaux, and joins the "
    "Dordogne to form the Gironde estuary, the largest of Western Europe.",
]
SETTINGS = SummarySettings(budget=90, summary_tokens=40)


def summary_reply(body: dict) -> str:
    """A summary that names the first word of each paragraph it was given (a test can read
    which children it covers) and 'panorama', a word no document has."""
    text = body["messages"][-1]["content"]
    part = text.split("\n\n", 2)[-1].rsplit("\n\n", 1)[0]
    starts = [p.split()[0] for p in part.split("\n\n") if p.split()][:6]
    return "Panorama of " + ", ".join(starts) + "."


def _write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    bread, rivers = folder / "bread.txt", folder / "rivers.txt"
    bread.write_text("\n\n".join(BREAD), encoding="utf-8")
    rivers.write_text("\n\n".join(RIVERS), encoding="utf-8")
    return [bread, rivers]


@pytest.fixture
def shelf(tmp_path, embedder):  # type: ignore[no-untyped-def]
    from conftest import run_import

    from desktop_rag.core.settings import ChunkingSettings, LibrarySettings
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.library import Library

    files = _write_docs(tmp_path / "docs")
    # Each paragraph (28 to 34 tokens) is a chunk of its own.
    settings = LibrarySettings(chunking=ChunkingSettings(strategy="separator", max_tokens=40))
    from desktop_rag.core import paths

    library = Library.create(paths.libraries_dir() / "shelf", settings)
    summary, _ = run_import(library, files, embedder)
    assert len(summary.imported) == 2
    maintain(library)
    return library, files


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with FakeOllama() as fake:
        fake.reply_for = summary_reply
        yield fake


def _docs(library):  # type: ignore[no-untyped-def]
    return sorted((d for d in library.documents() if d.state == "imported"), key=lambda d: d.name)


def _build(library, embedder, server, docs=None, cancel=None):  # type: ignore[no-untyped-def]
    from desktop_rag.core.llm.client import OllamaClient

    return list(build_trees(library, docs or _docs(library), embedder,
                            OllamaClient(server.host), DEFAULT_MODEL, SETTINGS, cancel))


def _chats(server) -> list[dict]:  # type: ignore[no-untyped-def]
    return [body for path, body in server.requests if path == "/api/chat"]


# -- clustering --------------------------------------------------------------------------------


def test_clusters_cover_every_node_within_the_budget_and_are_the_same_each_time():
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(3, 16))
    vectors = np.vstack([c + 0.05 * rng.normal(size=(8, 16)) for c in centres])
    order = rng.permutation(len(vectors))  # topics interleaved in document order
    vectors = vectors[order]
    tokens = [30] * len(vectors)
    clusters = cluster_level(vectors, tokens, budget=300)
    assert clusters == cluster_level(vectors, tokens, budget=300)  # a resumed build agrees
    assert sorted({i for c in clusters for i in c}) == list(range(len(vectors)))
    assert all(sum(tokens[i] for i in c) <= 300 for c in clusters)
    assert 3 <= len(clusters) < len(vectors)
    # Clusters follow topics, not document order: most hold nodes of one topic only.
    topic = order // 8
    pure = sum(len({int(topic[i]) for i in c}) == 1 for c in clusters)
    assert pure >= len(clusters) - 1


def test_nodes_that_fit_one_prompt_make_the_root():
    assert cluster_level(np.eye(4), [50, 50, 50, 50], budget=400) == [[0, 1, 2, 3]]
    assert cluster_level(np.eye(3), [300, 300, 300], budget=400) == [[0], [1], [2]]


# -- building ------------------------------------------------------------------------------------


def test_a_tree_has_levels_up_to_one_root_with_links_model_and_prompt(shelf, embedder, server):
    from desktop_rag.core.store.summaries import document_tree

    library, _ = shelf
    events = _build(library, embedder, server)
    finished = [e for e in events if isinstance(e, TreeFinished)]
    assert [f.document for f in finished] == ["bread.txt", "rivers.txt"]
    progress = [e for e in events if isinstance(e, SummaryProgress)]
    assert progress and all(1 <= p.cluster <= p.clusters for p in progress)
    assert any(p.tokens_per_s and p.seconds_left is not None for p in progress)

    bread, rivers = _docs(library)
    tree = document_tree(library, bread)
    assert tree.complete and tree.levels >= 2
    chunk_ids = {c.chunk_id for c in library.chunks(bread)}
    level1 = tree.at_level(1)
    assert {c for n in level1 for c in n.children} == chunk_ids  # every chunk summarised
    for node in tree.nodes.values():
        below = chunk_ids if node.level == 1 else {
            n.chunk_id for n in tree.at_level(node.level - 1)}
        assert set(node.children) <= below
        assert node.model == DEFAULT_MODEL and node.text.startswith("Panorama of")
        messages = json.loads(node.prompt)
        assert messages[0]["role"] == "system" and "bread" in messages[1]["content"]
    assert tree.root.level == tree.levels
    assert set(tree.root.pages) == {p for c in library.chunks(bread) for p in c.pages}
    # A level-1 summary was written from exactly its children's texts.
    first = level1[0]
    chunks = {c.chunk_id: c for c in library.chunks(bread)}
    named = re.findall(r"(\w+)[,.]", first.text.removeprefix("Panorama of "))
    assert named == [chunks[c].text.split()[0] for c in
                     sorted(first.children, key=lambda c: chunks[c].ordinal)][:6]
    # Every prompt within its context: num_ctx covers the prompt and the longest summary.
    for body in _chats(server):
        options = body["options"]
        prompt = sum(len(m["content"]) for m in body["messages"]) / 3.0
        assert options["num_ctx"] >= prompt + options["num_predict"]
        assert options["temperature"] == 0.0
    assert document_tree(library, rivers).complete


def test_search_finds_summaries_with_their_level_and_children_unless_turned_off(
        shelf, embedder, server):
    from desktop_rag.core.search.retrieval import Retriever, SearchOptions
    from desktop_rag.core.store.summaries import document_tree

    library, _ = shelf
    _build(library, embedder, server)
    retriever = Retriever(library, embedder)
    result = retriever.search("panorama", SearchOptions(mode="keyword", k=20))
    summaries = [h for h in result.hits if h.is_summary]
    assert summaries and len(summaries) == len(result.hits)
    trees = {d.doc_id: document_tree(library, d) for d in _docs(library)}
    for hit in summaries:
        node = trees[hit.doc_id].nodes[hit.chunk_id]
        assert hit.level == node.level and hit.children == node.children
        assert "summary" in hit.section
    question = "Which rivers of France reach the sea?"
    hybrid = retriever.search(question, SearchOptions(mode="hybrid", k=4))
    # The k chunks are those a search without the trees finds, in the same order; at most
    # summary_k summaries come after them, never in a chunk's place.
    chunks_only = retriever.search(question, SearchOptions(mode="hybrid", k=4, summaries=False))
    assert [h.chunk_id for h in hybrid.hits[:4]] == [h.chunk_id for h in chunks_only.hits]
    extra = hybrid.hits[4:]
    assert 1 <= len(extra) <= 2 and all(h.is_summary for h in extra)
    # Only a summary as close to the question as the relevant chunks goes to the prompt.
    floor = min(h.dense_score for h in hybrid.hits[:4] if h.relevant)
    for hit in extra:
        if hit.relevant:
            assert hit.dense_score >= floor
        elif hit.dense_score < floor:
            assert "summary further from the question" in hit.dropped
    assert [h.rank for h in hybrid.hits] == list(range(1, len(hybrid.hits) + 1))
    none = retriever.search(question, SearchOptions(mode="hybrid", k=4, summary_k=0))
    assert [h.chunk_id for h in none.hits] == [h.chunk_id for h in chunks_only.hits]
    off = retriever.search("panorama", SearchOptions(mode="keyword", k=20, summaries=False))
    assert not any(h.is_summary for h in off.hits)
    dense_off = retriever.search("Which rivers of France reach the sea?",
                                 SearchOptions(mode="hybrid", k=30, summaries=False))
    assert dense_off.hits and not any(h.is_summary for h in dense_off.hits)
    # The documents' chunk lists are unchanged: summaries are not chunks of the document.
    assert [len(library.chunks(d)) for d in _docs(library)] == [len(BREAD), len(RIVERS)]


def test_a_cancelled_build_resumes_where_it_stopped(shelf, embedder, server):
    from desktop_rag.core.store.summaries import document_tree

    library, _ = shelf
    bread = _docs(library)[0]
    cancel = CancelToken()
    from desktop_rag.core.llm.client import OllamaClient

    written = 0
    with pytest.raises(Cancelled):
        for event in build_trees(library, [bread], embedder, OllamaClient(server.host),
                                 DEFAULT_MODEL, SETTINGS, cancel):
            if isinstance(event, SummaryWritten):
                written += 1
                if written == 2:
                    cancel.cancel()
    kept = document_tree(library, bread)
    assert len(kept.nodes) == 2 and not kept.complete
    asked_before = len(_chats(server))
    events = _build(library, embedder, server, [bread])
    finished = events[-1]
    assert isinstance(finished, TreeFinished)
    tree = document_tree(library, bread)
    assert tree.complete and finished.written == len(tree.nodes) - 2
    assert len(_chats(server)) - asked_before == finished.written  # nothing summarised twice
    assert set(kept.nodes) <= set(tree.nodes)
    # Complete: a third build asks nothing.
    again = _build(library, embedder, server, [bread])
    assert again[-1].written == 0 and len(_chats(server)) - asked_before == finished.written


def test_a_changed_document_loses_its_tree_and_only_it_is_built_again(shelf, embedder, server):
    from conftest import run_import

    from desktop_rag.core.store.summaries import document_tree, trees_by_document

    library, files = shelf
    _build(library, embedder, server)
    bread, rivers = _docs(library)
    rivers_tree = document_tree(library, rivers)
    files[0].write_text("\n\n".join(BREAD[:4]), encoding="utf-8")  # bread.txt changes
    run_import(library, files, embedder)
    bread2 = _docs(library)[0]
    assert bread2.chunk_set != bread.chunk_set
    trees = trees_by_document(library)
    assert bread2.doc_id not in trees  # its summaries went with its old chunks
    assert set(trees[rivers.doc_id].nodes) == set(rivers_tree.nodes)
    rows = library.chunks_table.search().where(
        f"doc_id = '{bread.doc_id}'").select(["chunk_set"]).limit(None).to_list()
    assert all(not r["chunk_set"].startswith("raptor-") for r in rows)
    asked = len(_chats(server))
    events = _build(library, embedder, server)
    by_doc = {e.document: e for e in events if isinstance(e, TreeFinished)}
    assert by_doc["rivers.txt"].written == 0 and by_doc["bread.txt"].written > 0
    assert len(_chats(server)) - asked == by_doc["bread.txt"].written
    # A removed document takes its tree with it.
    library.remove(_docs(library)[1])
    assert rivers.doc_id not in trees_by_document(library)


def test_re_embedding_the_library_keeps_the_summaries_searchable(shelf, embedder, server):
    from desktop_rag.core.search.retrieval import Retriever, SearchOptions
    from desktop_rag.core.store.rechunk import reembed_library

    library, _ = shelf
    _build(library, embedder, server)
    list(reembed_library(library, embedder))
    result = Retriever(library, embedder).search("panorama", SearchOptions(mode="dense", k=40))
    assert any(h.is_summary and h.children for h in result.hits)


def test_a_failing_model_stops_the_build_with_its_reason_and_keeps_what_was_written(
        shelf, embedder, server):
    from desktop_rag.core.errors import LlmError
    from desktop_rag.core.store.summaries import document_tree

    library, _ = shelf
    bread = _docs(library)[0]
    server.fail_status = 500
    with pytest.raises(LlmError):
        _build(library, embedder, server, [bread])
    assert not document_tree(library, bread).nodes


def test_a_short_document_gets_no_tree(shelf, embedder, server):
    from desktop_rag.core.llm.client import OllamaClient

    library, _ = shelf
    rivers = _docs(library)[1]
    length = sum(c.token_count for c in library.chunks(rivers))
    settings = SummarySettings(budget=length, summary_tokens=40)
    events = list(build_trees(library, [rivers], embedder, OllamaClient(server.host),
                              DEFAULT_MODEL, settings))
    assert events[-1].skipped == f"{length} tokens: short enough to be read whole"
    assert not _chats(server)


def test_a_one_chunk_document_gets_no_tree(tmp_path, embedder, server):
    from conftest import run_import

    from desktop_rag.core.store.library import Library

    note = tmp_path / "note.txt"
    note.write_text("A single short note about nothing in particular.", encoding="utf-8")
    library = Library.create(tmp_path / "lib" / "one")
    run_import(library, [note], embedder)
    events = _build(library, embedder, server)
    assert events[-1].skipped and not _chats(server)


def test_summary_settings_keep_only_the_users_changes(tmp_path):
    settings = SummarySettings()
    assert load_summary_settings(tmp_path) == settings
    mine = SummaryTemplate("Summarise tersely.", "{text}\n\nIn {words} words.")
    changed = settings.with_template("en", mine)
    save_summary_settings(tmp_path, changed)
    loaded = load_summary_settings(tmp_path)
    assert loaded.template("en") == mine and loaded.template("fr") == settings.template("fr")
    back = loaded.with_template("en", SummarySettings().template("en"))
    assert back.templates == {}
    (tmp_path / "summaries.json").write_text("{not json", encoding="utf-8")
    assert load_summary_settings(tmp_path) == SummarySettings()


# -- the command line ----------------------------------------------------------------------------


def test_cli_builds_shows_and_removes_trees(shelf, server, capsys):
    from desktop_rag.cli import main

    library, _ = shelf
    lib = ["--library", "shelf"]
    assert main([*lib, "raptor", "build", "--host", server.host, "--budget", "200"]) == 0
    out = capsys.readouterr()
    assert "budget raised to 768 tokens" in out.err
    # Each document (about 200 tokens) fits in one such prompt: nothing to summarise.
    assert out.out.count("short enough to be read whole") == 2
    assert main([*lib, "raptor", "build", "--host", server.host, "--budget", "100",
                 "--summary-tokens", "32"]) == 0
    out = capsys.readouterr()
    assert "bread.txt:" in out.out and "summaries" in out.out
    assert main([*lib, "raptor", "status"]) == 0
    assert "complete" in capsys.readouterr().out
    assert main([*lib, "raptor", "show", "bread.txt"]) == 0
    shown = capsys.readouterr().out
    assert "document summary" in shown and "chunk 0" in shown
    assert main([*lib, "search", "panorama", "--mode", "keyword"]) == 0
    assert "[summary" in capsys.readouterr().out
    assert main([*lib, "search", "panorama", "--mode", "keyword", "--no-summaries"]) == 0
    assert "[summary" not in capsys.readouterr().out
    assert main([*lib, "raptor", "remove"]) == 0
    assert "summaries removed" in capsys.readouterr().out
    assert main([*lib, "raptor", "status"]) == 0
    assert "complete" not in capsys.readouterr().out


def test_cli_without_ollama_says_so_and_changes_nothing(shelf, capsys):
    import socket

    from desktop_rag.cli import main
    from desktop_rag.core.store.summaries import trees_by_document

    library, _ = shelf
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    code = main(["--library", "shelf", "raptor", "build", "--host", dead])
    assert code != 0
    err = capsys.readouterr().err
    assert "Ollama" in err and "nothing was changed" in err
    assert trees_by_document(library) == {}


@pytest.mark.real_llm
def test_a_real_model_builds_a_searchable_tree(shelf, embedder, real_model):
    """The llm-stack's model writes the summaries: a tree up to its root, every summary
    non-empty and in English, within its length, and found by search. Its wording is not
    checked."""
    from desktop_rag.core.language import detect_language
    from desktop_rag.core.search.retrieval import Retriever, SearchOptions
    from desktop_rag.core.store.summaries import document_tree

    library, _ = shelf
    client, model = real_model
    bread = _docs(library)[0]
    settings = SummarySettings(budget=120, summary_tokens=40)
    events = list(build_trees(library, [bread], embedder, client, model, settings))
    finished = events[-1]
    assert isinstance(finished, TreeFinished) and finished.written >= 3
    assert finished.eval_tokens > 0 and finished.prompt_tokens > finished.eval_tokens
    tree = document_tree(library, bread)
    assert tree.complete and tree.levels >= 2
    for node in tree.nodes.values():
        assert node.text.strip() and node.model == model
        assert node.eval_tokens <= 40
    assert detect_language([tree.root.text]) == "en"
    result = Retriever(library, embedder).search(tree.root.text[:200],
                                                 SearchOptions(mode="hybrid", k=10))
    assert any(h.chunk_id == tree.root.chunk_id for h in result.hits)


def test_a_few_nodes_are_not_split_into_as_many_clusters():
    """Nine summaries of the AI Act's second level (2,300 tokens, a budget of 1,800) made six
    clusters, each repeating the others; at least three nodes a cluster on average now."""
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(9, 384))
    clusters = cluster_level(vectors, [256] * 9, budget=1800)
    assert 2 <= len(clusters) <= 3
    assert sorted({i for c in clusters for i in c}) == list(range(9))


def test_summaries_of_chunks_a_document_no_longer_has_are_removed(shelf, embedder, server):
    """A crash between a new chunk set's commit and the old tree's deletion leaves summaries of
    chunks the document no longer has: the next build removes them (nodes and rows)."""
    from dataclasses import replace

    from desktop_rag.core.store.summaries import document_tree, remove_stale

    library, _ = shelf
    bread = _docs(library)[0]
    _build(library, embedder, server, [bread])
    built = len(document_tree(library, bread).nodes)
    assert built >= 3
    moved = replace(bread, chunk_set="a-newer-chunk-set")  # as if re-chunked, tree left behind
    assert remove_stale(library, bread) == 0  # its own tree is current
    assert remove_stale(library, moved) == built
    assert not document_tree(library, bread).nodes
    rows = library.chunks_table.search().where(f"doc_id = '{bread.doc_id}'").select(
        ["chunk_set"]).limit(None).to_list()
    assert rows and not any(r["chunk_set"].startswith("raptor-") for r in rows)
