"""Citations pointed at the passage that holds their sentence, when the model cited another one:
alone, through ask() with the Ollama test server, and as `desktop-rag ask` prints them."""

from __future__ import annotations

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama
from test_grounding import BREAD, QUESTION, RHONE

from desktop_rag.core.answer.citation_repair import repair_citations
from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.grounding import check_grounding
from desktop_rag.core.answer.rag import AskSettings, ask
from desktop_rag.core.llm.client import OllamaClient


def _repair(text: str, question: str = QUESTION):  # type: ignore[no-untyped-def]
    return repair_citations(text, check_grounding(text, [BREAD, RHONE], question))


@pytest.mark.parametrize(("answer", "repaired", "question"), [
    # The neighbouring number, the small models' usual slip: the passage holding it is cited.
    ("The loaf is baked for forty minutes [2].", "The loaf is baked for forty minutes [1].",
     QUESTION),
    ("Le Rhône traverse Lyon puis rejoint la mer. [1]",
     "Le Rhône traverse Lyon puis rejoint la mer. [2]", "Quel fleuve traverse Lyon ?"),
    # One marker citing a passage that holds none of it besides the right one: that one goes.
    ("It bakes at 240 degrees for forty minutes [1, 2].",
     "It bakes at 240 degrees for forty minutes [1].", QUESTION),
])
def test_wrong_citations_point_at_the_passage_holding_the_sentence(
        answer: str, repaired: str, question: str) -> None:
    text, repairs = _repair(answer, question)
    assert text == repaired
    assert len(repairs) == 1 and repairs[0].sentence in answer
    assert check_grounding(text, [BREAD, RHONE], question).flagged is False


@pytest.mark.parametrize("answer", [
    "The loaf is baked for forty minutes [1].",  # right already
    "It was invented on Mars in 1850 [2].",  # no passage holds it: stays flagged
    "It bakes for forty minutes [2] and the Rhône crosses Lyon [1].",  # spread over clauses
    "The loaf is baked for forty minutes.",  # no citation: listed as uncited, not invented
    "The documents do not say [2].",
])
def test_other_sentences_are_left_as_written(answer: str) -> None:
    text, repairs = _repair(answer)
    assert text == answer and repairs == []


def test_only_the_wrong_sentence_changes() -> None:
    answer = "Bake it at 240 degrees [1]. It takes forty minutes [2]. Lyon is on the Rhône [2]."
    text, repairs = _repair(answer)
    assert text == ("Bake it at 240 degrees [1]. It takes forty minutes [1]. "
                    "Lyon is on the Rhône [2].")
    assert [(r.written, r.now) for r in repairs] == [([2], [1])]


def test_ask_shows_the_repaired_answer_and_keeps_the_model_s(papers) -> None:  # type: ignore[no-untyped-def]
    library, embedder = papers
    # Passage 1 of this question does not name BM25 (see test_rag's follow-up test).
    with FakeOllama(reply="BM25 [1].") as server:
        answer = list(ask("Which retrieval method does dense passage retrieval outperform?",
                          Conversation(), AskSettings(model=DEFAULT_MODEL), library, embedder,
                          OllamaClient(server.host)))[-1]
    assert answer.model_text == "BM25 [1]." and answer.text != answer.model_text
    [repair] = answer.citation_repairs
    assert repair.written == [1] and repair.now != [1]
    assert [c.number for c in answer.citations] == repair.now
    assert "BM25" in answer.citations[0].hit.text and not answer.grounding.flagged
    record = answer.to_dict()
    assert record["model_text"] == "BM25 [1]." and record["citation_repairs"][0]["written"] == [1]


def test_ask_command_prints_the_repair(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.cli import main

    for name, hit in (("bread.txt", BREAD), ("fleuves.txt", RHONE)):
        (tmp_path / name).write_text(hit.text, encoding="utf-8")
    assert main(["import", str(tmp_path / "bread.txt"), str(tmp_path / "fleuves.txt")]) == 0
    outputs = []
    # Whichever order the two passages take in the prompt, one of these cites both wrongly.
    for first, second in ((1, 2), (2, 1)):
        reply = f"The loaf is baked for forty minutes [{first}]. Le Rhône traverse Lyon [{second}]."
        with FakeOllama(reply=reply) as server:
            main(["ask", "How long is the loaf baked, and which river crosses Lyon?",
                  "--host", server.host, "--model", DEFAULT_MODEL])
        outputs.append(capsys.readouterr().out)
    corrected = [out for out in outputs if "Citations corrected" in out]
    assert len(corrected) == 1
    assert "[2] -> [1]" in corrected[0] and "[1] -> [2]" in corrected[0]
    assert "Check against the passages" not in corrected[0]
