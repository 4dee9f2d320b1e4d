"""The grounding check (every sentence against the passages it cites) and "not in your documents",
alone and through ask() and `desktop-rag ask` with scripted answers of the Ollama test server."""

from __future__ import annotations

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.grounding import check_grounding
from desktop_rag.core.answer.rag import AskSettings, ask
from desktop_rag.core.llm.client import OllamaClient
from desktop_rag.core.search.retrieval import Hit

BREAD = Hit("c1", "d1", "bread.txt", "/docs/bread.txt",
            "Sourdough bread needs a starter, flour, water and salt. Bake the loaf at 240 "
            "degrees for forty minutes.", (1,), "Sourdough bread", 0, 30)
RHONE = Hit("c2", "d2", "fleuves.txt", "/docs/fleuves.txt",
            "Le Rhône traverse Lyon puis rejoint la mer Méditerranée près d'Arles.", (), "", 0, 20)
QUESTION = "How long is the loaf baked?"


def _issues(text: str, question: str = QUESTION) -> list[str]:
    return [s.issue for s in check_grounding(text, [BREAD, RHONE], question).sentences]


@pytest.mark.parametrize(("answer", "issues"), [
    ("The loaf is baked for forty minutes [1].", [""]),
    ("The loaf is baked for forty minutes. [1]", [""]),  # citation after the full stop
    ("It bakes at 240 degrees [1]. The bread needs salt [1].", ["", ""]),
    ("It needs sugar [1].", ["unsupported"]),
    ("It is baked at 250 degrees [1].", ["unsupported"]),  # a number must be found as it is
    ("The loaf bakes at 240 degrees [2].", ["wrong citation"]),  # it is in [1], not [2]
    ("Bread needs a starter, flour, water and salt [1][2].", ["wrong citation"]),
    ("The loaf bakes for forty minutes.", ["uncited"]),
    ("[1] (bread.txt, p. 1 — Sourdough bread)", ["header"]),  # the label of earlier prompts
    ("Passage 1 — bread.txt, p. 1, Sourdough bread [1]", ["header"]),
    ("Passage 1 (bread.txt, p. 1, Sourdough bread) [1]", ["header"]),
    ("[1], [2]", ["empty"]),
    ("The documents do not say.", []),  # not a claim
    # The model naming the passage cites it; a sentence that only points at it is no claim.
    ("The loaf bakes for forty minutes, as mentioned in Passage 1.", [""]),
    ("The loaf bakes for forty minutes. This is stated in Passage 1 [1].", ["uncited"]),
    ("The loaf bakes for forty minutes, as passage 2 says.", ["wrong citation"]),
])
def test_sentences_are_checked_against_their_citations(answer: str, issues: list[str]) -> None:
    assert _issues(answer) == issues


@pytest.mark.parametrize(("question", "answer", "issues"), [
    # The 1.5B model's answer to a SQuAD question: the question's words, not its answer.
    ("How long is the loaf baked for?", "The loaf is baked [1].", ["restated"]),
    ("What does sourdough bread need?", "Sourdough bread needs things [1].", ["unsupported"]),
    ("What does sourdough bread need?", "Sourdough bread needs it [1]. It needs salt [1].",
     ["", ""]),  # the second sentence answers
    ("Is the loaf baked?", "The loaf is baked [1].", [""]),  # a yes/no question: a "yes"
    ("Le Rhône traverse-t-il Lyon ?", "Le Rhône traverse Lyon [2].", [""]),
    ("Quelle ville le Rhône traverse-t-il ?", "Le Rhône traverse une ville [2].", ["restated"]),
])
def test_an_answer_that_only_restates_the_question_is_flagged(question, answer, issues):  # type: ignore[no-untyped-def]
    grounding = check_grounding(answer, [BREAD, RHONE], question)
    assert [s.issue for s in grounding.sentences] == issues
    assert grounding.flagged is ("restated" in issues or "unsupported" in issues)


@pytest.mark.parametrize(("question", "answer", "issues"), [
    # Found in the passage, but no answer to what was asked.
    ("How long is the loaf baked?", "The bread needs a starter, flour, water and salt [1].",
     ["no number"]),
    ("How long is the loaf baked?", "The loaf is baked for forty minutes [1].", [""]),
    ("En quelle année le Rhône rejoint-il la mer ?",
     "Le Rhône traverse Lyon puis rejoint la mer [2].", ["no number"]),
    ("What does sourdough bread need?", "The loaf bakes at 240 degrees for forty minutes [1].",
     ["off question"]),
    ("What does sourdough bread need?", "Sourdough bread needs a starter, flour, water and "
     "salt [1].", [""]),
    # Terse, or naming its subject by a pronoun: not expected to repeat the question.
    ("What does sourdough bread need?", "A starter, flour, water and salt [1].", [""]),
    ("What does sourdough bread need?", "It needs a starter, flour, water and salt [1].", [""]),
    # A sentence already not found in the passages keeps that issue.
    ("How long is the loaf baked?", "The bread needs sugar and eggs [1].", ["unsupported"]),
])
def test_an_answer_that_does_not_fit_its_question_is_flagged(question, answer, issues):  # type: ignore[no-untyped-def]
    grounding = check_grounding(answer, [BREAD, RHONE], question)
    assert [s.issue for s in grounding.sentences] == issues
    assert grounding.flagged is any(issues)


def test_number_questions_and_answers_in_both_languages() -> None:
    from desktop_rag.core.answer.question_fit import asks_for_number, coverage, gives_number

    assert all(map(asks_for_number, ["When did it open?", "How many cows are there?",
                                     "In what year was it built?", "Combien de membres ?",
                                     "Quand a-t-il été élu ?", "En quel siècle ?"]))
    assert not any(map(asks_for_number, ["Who built it?", "What is a Turing machine?",
                                         "Qui a été élu ?"]))
    assert all(map(gives_number, ["In 1185 [1].", "Every four years.", "Forty minutes.",
                                  "En septembre.", "Trois cents membres.", "Hundreds of them."]))
    assert not any(map(gives_number, ["Il a été élu [1].", "Une ville [2].", "It is done.",
                                      "The central tenant."]))
    # Names count double: "Richard's" is Richard, whose absence weighs.
    assert coverage("What ruined Richard's plans to reach Acre?",
                    "The Normans were in contact with England from an early date.") == 0.0
    # French: question words (quels, après) are no subject, verbs are compared on their root,
    # and a question of one content word says too little to miss.
    assert coverage("A quels domaines s'élargissent les IDE en Algérie après 2004 ?",
                    "Après 2004, les IDE commencent à s'élargir en Algérie à d'autres domaines "
                    "tels que le tourisme [1].") == 1.0
    assert coverage("Qui a gagné ?", "La bataille est une victoire de l'armée écossaise.") is None


def test_flagged_offsets_and_speed() -> None:
    text = "It bakes for forty minutes [1]. Le Rhône traverse Paris [2]."
    grounding = check_grounding(text, [BREAD, RHONE], QUESTION)
    first, second = grounding.sentences
    assert text[first.start:first.end] == first.text and first.issue == ""
    assert second.issue == "unsupported" and second.missing == ["Paris"]
    assert grounding.flagged and grounding.with_issue("unsupported") == [second]
    assert grounding.ms < 50
    assert not check_grounding("It bakes for forty minutes [1].", [BREAD], QUESTION).flagged


def test_borderline_sentence_uses_the_embedder(embedder) -> None:  # type: ignore[no-untyped-def]
    text = "A starter and flour go into sourdough bread, plus some honey [1]."
    lexical = check_grounding(text, [BREAD], "What goes into sourdough?").sentences[0]
    checked = check_grounding(text, [BREAD], "What goes into sourdough?", embedder).sentences[0]
    assert lexical.similarity is None
    if 0.35 <= lexical.support < 0.6:  # borderline: the embedder was asked
        assert checked.similarity is not None and -1 <= checked.similarity <= 1


def _ask(papers, reply: str):  # type: ignore[no-untyped-def]
    library, embedder = papers
    with FakeOllama(reply=reply) as server:
        events = list(ask("Which retrieval method does dense passage retrieval outperform?",
                          Conversation(), AskSettings(model=DEFAULT_MODEL), library, embedder,
                          OllamaClient(server.host)))
    return events[-1]


def test_refusal_is_marked_not_in_documents(papers) -> None:  # type: ignore[no-untyped-def]
    answer = _ask(papers, "The passages do not contain the answer to this question.")
    assert answer.not_in_documents and not answer.nothing_relevant
    assert answer.to_dict()["not_in_documents"] and not answer.grounding.flagged
    french = _ask(papers, "Les documents ne le disent pas.")
    assert french.not_in_documents


def test_answer_records_its_grounding(papers) -> None:  # type: ignore[no-untyped-def]
    answer = _ask(papers, "It outperforms BM25 [1]. It was invented on Mars in 1850 [1].")
    assert not answer.not_in_documents
    issues = [s.issue for s in answer.grounding.sentences]
    assert issues[1] == "unsupported" and answer.grounding.flagged
    record = answer.to_dict()
    assert record["grounding_flagged"] and record["grounding"]["sentences"][1]["missing"]


def test_ask_command_lists_unsupported_sentences(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.cli import main

    notes = tmp_path / "bread.txt"
    notes.write_text(BREAD.text, encoding="utf-8")
    assert main(["import", str(notes)]) == 0
    question = "How long is sourdough bread baked?"
    with FakeOllama(reply="It bakes for forty minutes [1]. It was invented on Mars in 1850 [1].") \
            as server:
        main(["ask", question, "--host", server.host, "--model", DEFAULT_MODEL])
    out = capsys.readouterr().out
    assert "Check against the passages:" in out and "not supported by the passages" in out
    assert "Mars" in out and "forty minutes [1]." not in out.split("Check against")[1]
    with FakeOllama(reply="Les documents ne le disent pas.") as server:
        main(["ask", question, "--host", server.host, "--model", DEFAULT_MODEL])
    out = capsys.readouterr().out
    assert "Not in your documents" in out and "cites no passage" not in out
    with FakeOllama(reply="Sourdough bread needs a starter [1]. It needs flour, water and "
                    "salt [1].") as server:  # found in the passage; how long it bakes is not
        main(["ask", question, "--host", server.host, "--model", DEFAULT_MODEL])
    out = capsys.readouterr().out  # said: one line for the whole answer
    assert out.count("the question asks for a number or a date, the answer gives none") == 1
