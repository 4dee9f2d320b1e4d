"""Check search quality on a library's own chunks (core/answer/search_check.py): questions
written from sampled chunks, by key sentences or by the chat model (the Ollama test server with
scripted replies), searched, and scored per document."""

from __future__ import annotations

from pathlib import Path

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.search_check import (
    CheckProgress,
    SearchCheckReport,
    check_search_quality,
    clean_question,
    key_sentence_question,
    sample_chunks,
)
from desktop_rag.core.events import CancelToken
from desktop_rag.core.search.hits import SearchOptions

TOPICS = {
    "bread.txt": [
        "Sourdough bread rises with a starter of wild yeast and lactic bacteria kept alive by "
        "regular feeding with flour and water over several days before baking.",
        "The loaf is baked in a covered cast iron pot at two hundred and forty degrees for "
        "forty minutes, then uncovered so that the crust browns and crackles.",
    ],
    "rivers.txt": [
        "The Rhone leaves Lake Geneva, crosses Lyon where the Saone joins it, and reaches the "
        "Mediterranean Sea through the wide marshes of the Camargue delta near Arles.",
        "The Loire is the longest river of France, flowing a thousand kilometres from the "
        "Massif Central past Orleans, Tours and Nantes into the Atlantic Ocean.",
    ],
}
# Every chunk of this one says the same: its own questions cannot tell its chunks apart.
SAME = ("This page intentionally repeats the standard warranty clause about replacement parts "
        "shipping costs and the limited liability of the manufacturer in every region served. ")


@pytest.fixture(scope="module")
def shelf(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    from conftest import run_import

    from desktop_rag.core.settings import ChunkingSettings, LibrarySettings
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.library import Library

    docs = tmp_path_factory.mktemp("docs")
    for name, paragraphs in TOPICS.items():
        (docs / name).write_text("\n\n".join(paragraphs), encoding="utf-8")
    # Chunks of at most 36 tokens: each paragraph (26 to 34) is a chunk of its own.
    (docs / "warranty.txt").write_text("\n\n".join([SAME] * 4), encoding="utf-8")
    settings = LibrarySettings(chunking=ChunkingSettings(strategy="separator", max_tokens=36))
    library = Library.create(tmp_path_factory.mktemp("lib") / "shelf", settings)
    summary, _ = run_import(library, [docs], embedder)
    assert len(summary.imported) == 3
    maintain(library)
    return library


def test_key_sentence_question_keeps_the_content_words() -> None:
    text = "Results.\nThe loaf is baked in a pot at 240 degrees for forty minutes. It is good."
    assert key_sentence_question(text) == "loaf baked pot 240 degrees forty minutes"
    assert key_sentence_question("Le Rhône traverse Lyon et rejoint la mer.") == \
        "Rhône traverse Lyon rejoint mer"


@pytest.mark.parametrize("reply", [
    "How long is the loaf baked?", "Question: How long is the loaf baked?",
    '**Question 1:** "How long is the loaf baked?"\nIt is baked for forty minutes.',
    "\n  Q: How long is the loaf baked?",
])
def test_the_models_reply_is_cut_to_its_question(reply: str) -> None:
    assert clean_question(reply) == "How long is the loaf baked?"


def test_the_sample_spreads_over_the_documents(shelf) -> None:  # type: ignore[no-untyped-def]
    picked = sample_chunks(shelf, 3)
    assert sorted(doc.name for doc, _ in picked) == ["bread.txt", "rivers.txt", "warranty.txt"]
    assert sample_chunks(shelf, 3) == picked  # the same sample every time
    everything = sample_chunks(shelf, 100)
    assert len(everything) == sum(d.chunks for d in shelf.documents())
    assert len({chunk.chunk_id for _, chunk in everything}) == len(everything)


def test_key_sentences_find_distinct_chunks_and_not_repeated_ones(shelf, embedder) -> None:  # type: ignore[no-untyped-def]
    # Four passages in the prompt: the four warranty twins all fit (with the default three,
    # one of them is left out, as it would be from the user's prompt).
    events = list(check_search_quality(shelf, embedder, SearchOptions(k=4), questions=100))
    report = events[-1]
    assert isinstance(report, SearchCheckReport) and report.writer == "key sentences"
    stages = [e.stage for e in events if isinstance(e, CheckProgress)]
    assert stages.count("writing") == stages.count("searching") == len(report.probes) == 8
    figures = {d.document: d for d in report.documents}
    assert figures["bread.txt"].first == figures["rivers.txt"].first == 1.0
    assert figures["warranty.txt"].in_prompt == 1.0  # found, among its twins
    assert figures["warranty.txt"].first == pytest.approx(0.25)  # one of four twins is first
    assert [d.document for d in report.worst] == ["warranty.txt"]
    assert report.first == pytest.approx(5 / 8) and report.in_prompt == 1.0
    data = report.to_json()
    assert data["worst"] == ["warranty.txt"] and len(data["probes"]) == 8


def test_the_chat_model_writes_the_questions(shelf, embedder) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.core.llm.client import OllamaClient

    def reply(body):  # type: ignore[no-untyped-def]
        passage = body["messages"][-1]["content"]
        if "Loire" in passage:
            return "Question: Which is the longest river of France?"
        return "What does this passage say?"

    with FakeOllama() as server:
        server.reply_for = reply
        report = list(check_search_quality(shelf, embedder, questions=100,
                                           client=OllamaClient(server.host),
                                           model=DEFAULT_MODEL))[-1]
        sent = server.last("/api/chat")
    assert report.writer == DEFAULT_MODEL and len(report.probes) == 8
    assert all(p.writer == "model" for p in report.probes)
    assert sent["options"]["temperature"] == 0 and "Passage (" in sent["messages"][-1]["content"]
    (loire,) = [p for p in report.probes if p.question == "Which is the longest river of France?"]
    assert loire.document == "rivers.txt" and loire.rank == 1  # a paraphrase finds its chunk
    vague = [p for p in report.probes if p.question == "What does this passage say?"]
    assert len(vague) == 7 and sum(p.rank == 1 for p in vague) < 7  # and a vague one may not


def test_cancel_keeps_what_was_measured(shelf, embedder) -> None:  # type: ignore[no-untyped-def]
    cancel = CancelToken()
    events = []
    for event in check_search_quality(shelf, embedder, questions=100, cancel=cancel):
        events.append(event)
        if isinstance(event, CheckProgress) and event.stage == "searching" and event.done == 3:
            cancel.cancel()
    report = events[-1]
    assert isinstance(report, SearchCheckReport) and report.cancelled
    assert len(report.probes) == 4  # searched before the cancel


def test_eval_library_command(shelf, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from desktop_rag.cli import main
    from desktop_rag.core.paths import libraries_dir

    # The command works on a library of the data folder: this one, under its name.
    target = libraries_dir() / "shelf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(shelf.folder, target_is_directory=True)
    out = tmp_path / "check.json"
    assert main(["--library", "shelf", "eval-library", "--questions", "8", "--no-model",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "warranty.txt" in printed and "key sentences" in printed
    data = json.loads(out.read_text())
    assert data["questions"] == 8 and data["worst"] == ["warranty.txt"]


def test_cancel_while_writing_searches_the_questions_written(shelf, embedder) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.core.llm.client import OllamaClient

    cancel = CancelToken()
    events = []
    with FakeOllama(reply="Which is the longest river of France?") as server:
        for event in check_search_quality(shelf, embedder, questions=100,
                                          client=OllamaClient(server.host), model=DEFAULT_MODEL,
                                          cancel=cancel):
            events.append(event)
            if isinstance(event, CheckProgress) and event.stage == "writing" and event.done == 2:
                cancel.cancel()
    report = events[-1]
    assert report.cancelled and len(report.probes) == 2
    assert all(p.writer == "model" for p in report.probes)
    assert [e.stage for e in events[:-1]].count("searching") == 2
