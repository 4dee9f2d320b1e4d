"""Drawing an answer again with sampling (does the model stick to it?), word by word, through
ask() with the Ollama test server's replies scripted per seed, and in eval-qa's record."""

from __future__ import annotations

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.consistency import (
    MAX_TOKENS,
    TEMPERATURE,
    draw_again,
    key_terms,
    same_answer,
    says_again,
)
from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.rag import AskSettings, Checking, DrawingAgain, ask
from desktop_rag.core.llm.client import GenerationOptions, OllamaClient

QUESTION = "Which retrieval method does dense passage retrieval outperform?"
ANSWER = "It outperforms BM25 [2]."


def test_key_terms_are_what_the_answer_adds_to_the_question() -> None:
    assert key_terms("Richard's army landed at Limassol in 1191 [1].",
                     "Where did Richard's army land?") == ["limasso", "1191"]
    assert key_terms("Dense retrieval outperforms BM25 [1].", QUESTION) == ["bm25"]
    assert key_terms("Yes [1].", "Is it BM25?") == []


@pytest.mark.parametrize(("keys", "draw", "same"), [
    (["bm25"], "BM25, by a wide margin [1].", True),
    (["bm25"], "It beats TF-IDF [2].", False),
    (["bm25"], "The documents do not say.", False),
    (["bm25"], "Les documents ne le disent pas.", False),
    (["limasso", "1191"], "In 1191, at Limassol [3].", True),
    (["limasso", "1191"], "In 1191 [3].", True),  # the number is the answer
    (["limasso", "1191"], "At Limassol, in 1190 [3].", False),  # another number
    (["240", "degre"], "At 200 degrees [1].", False),
    ([], "Yes [1].", True),
])
def test_a_draw_says_the_answer_again_when_it_holds_its_key_terms(keys, draw, same) -> None:  # type: ignore[no-untyped-def]
    assert says_again(keys, draw) is same


@pytest.mark.parametrize(("answer", "draw", "same"), [
    # A shorter draw that says the answer's core, and the other way round.
    ("The annual Transpacific Yacht Race, or Transpac, from Los Angeles to Hawaii [2].",
     "The shortened name is Transpac [2].", True),
    ("Transpac [2].", "The Transpac, from Los Angeles to Hawaii [2].", True),
    # "Passage 3" is no number of the answer.
    ("Karp addressed 21 problems, as mentioned in Passage 3.", "There were 21 problems [1].",
     True),
    ("It is Sky plc [3].", "It is Sky UK Limited [3].", False),
    ("It is Sky plc [3].", "The documents do not say.", False),
])
def test_a_draw_gives_the_same_answer_both_ways(answer, draw, same) -> None:  # type: ignore[no-untyped-def]
    question = "What is the shortened name of the annual yacht race?" if "Trans" in answer \
        else "What is it?"
    assert same_answer(answer, draw, question) is same


def _by_seed(replies: dict[int, str]):  # type: ignore[no-untyped-def]
    """The first answer (seed 7) is ANSWER; draws get the reply of their seed."""
    return lambda body: replies.get(body["options"].get("seed"), ANSWER)


def test_draws_are_sampled_from_the_same_messages_with_following_seeds() -> None:
    messages = [{"role": "user", "content": QUESTION}]
    with FakeOllama() as server:
        server.reply_for = _by_seed({8: "BM25 [1].", 9: "TF-IDF [1].", 10: "It is BM25."})
        draws = draw_again(messages, ANSWER, QUESTION, DEFAULT_MODEL,
                           GenerationOptions(temperature=0, seed=7), OllamaClient(server.host))
        bodies = [b for p, b in server.requests if p == "/api/chat"]
    assert [b["options"]["seed"] for b in bodies] == [8, 9, 10]
    assert {b["options"]["temperature"] for b in bodies} == {TEMPERATURE}
    assert {b["options"]["num_predict"] for b in bodies} == {MAX_TOKENS}
    assert all(b["messages"] == messages for b in bodies)
    assert draws.texts == ["BM25 [1].", "TF-IDF [1].", "It is BM25."]
    assert draws.said == [True, False, True] and draws.agreeing == 2 and draws.others == 1
    assert not draws.unsteady


def test_a_dead_server_or_a_cut_leaves_the_answer_steady() -> None:
    dead = draw_again([{"role": "user", "content": "Q?"}], ANSWER, QUESTION, DEFAULT_MODEL,
                      GenerationOptions(), OllamaClient("http://127.0.0.1:9"))
    assert dead.error and not dead.unsteady
    with FakeOllama(reply="TF-IDF, which it beats by far.") as server:
        server.cut_after = 2
        cut = draw_again([{"role": "user", "content": "Q?"}], ANSWER, QUESTION, DEFAULT_MODEL,
                         GenerationOptions(), OllamaClient(server.host))
    assert cut.error and not cut.unsteady


def _ask(papers, server, **settings):  # type: ignore[no-untyped-def]
    library, embedder = papers
    settings.setdefault("model_check", False)
    options = GenerationOptions(temperature=0, seed=7)
    return list(ask(QUESTION, Conversation(), AskSettings(model=DEFAULT_MODEL, generation=options,
                                                          **settings),
                    library, embedder, OllamaClient(server.host)))


def test_an_answer_the_model_does_not_give_again_is_flagged_unsteady(papers):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        server.reply_for = _by_seed({8: "TF-IDF [1].", 9: "It beats DPR by far [1].",
                                     10: "It outperforms BM25 [2]."})
        events = _ask(papers, server, draws=3, model_check=True)
        order = [p for p, _ in server.requests if p.startswith("/api/chat")]
    answer = events[-1]
    assert [e.draws for e in events if isinstance(e, DrawingAgain)] == [3]
    # Drawn before the model check, while the answer's prompt is in the model's cache.
    assert order == ["/api/chat"] * 4 + ["/api/chat#check"]
    kinds = [type(e) for e in events]
    assert kinds.index(DrawingAgain) < kinds.index(Checking)
    assert answer.draws.others == 2 and answer.unsteady and not answer.not_in_documents
    record = answer.to_dict()
    assert record["unsteady"] and record["grounding_flagged"]
    assert record["draws"]["texts"][1] == "It beats DPR by far [1]."
    from desktop_rag.core.answer.qa_eval import QaItem, score

    scored = score(QaItem("q", "en", QUESTION, ["BM25"], "docs/x.txt"), answer)
    assert scored["unsteady"] and scored["grounding_flagged"] and scored["contains"]
    assert scored["draws"]["said"] == [False, False, True]


def test_a_steady_answer_is_not_flagged_and_refusals_are_not_drawn(papers):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        server.reply_for = _by_seed({8: "BM25 [2].", 9: "It beats BM25.", 10: "TF-IDF."})
        steady = _ask(papers, server, draws=3)[-1]
        server.reply_for = None
        server.reply = "The documents do not say."
        refusal = _ask(papers, server, draws=3)[-1]
        undrawn = _ask(papers, server)[-1]
        # Sampled, a small model refuses now and then: refusals count for neither side.
        server.reply_for = _by_seed({8: "The documents do not say.", 9: "TF-IDF [1].",
                                     10: "Les documents ne le disent pas."})
        refusing = _ask(papers, server, draws=3)[-1]
    assert refusing.draws.agreeing == 0 and refusing.draws.others == 1
    assert not refusing.unsteady
    assert steady.draws.agreeing == 2 and not steady.unsteady
    assert not steady.to_dict()["unsteady"]
    assert refusal.not_in_documents and refusal.draws is None and undrawn.draws is None


def test_ask_command_lists_what_the_model_said_when_asked_again(tmp_path, capsys):  # type: ignore[no-untyped-def]
    from desktop_rag.cli import main

    notes = tmp_path / "bread.txt"
    notes.write_text("Sourdough bread needs a starter, flour, water and salt. Bake the loaf at "
                     "240 degrees for forty minutes.", encoding="utf-8")
    assert main(["import", str(notes)]) == 0
    with FakeOllama() as server:
        server.reply_for = _by_seed({0: "At 240 degrees [1].", 1: "At 200 degrees [1].",
                                     2: "For an hour [1].", 3: "At 240 degrees [1]."})
        main(["ask", "How hot is the oven for sourdough?", "--host", server.host, "--model",
              DEFAULT_MODEL, "--seed", "0", "--no-model-check", "--draws", "3"])
    captured = capsys.readouterr()
    assert "asking again 3 time(s)" in captured.err
    assert "Unsteady: asked again 3 times, the model gave another answer 2 time(s)" \
        in captured.out
    assert "  - For an hour [1]." in captured.out


def test_the_vote_of_the_draws_benchmark():  # type: ignore[no-untyped-def]
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from draw_vote import measure, vote

    question = "When was the abbey founded?"
    # Two draws agree on 1185 against the answer's 1085: the vote takes theirs.
    assert vote("It was founded in 1085 [1].", ["Founded in 1185 [2].", "In 1185 [2]."],
                question) == "Founded in 1185 [2]."
    # One against one: the answer stays.
    assert vote("In 1085 [1].", ["In 1185 [2].", "The documents do not say."],
                question) == "In 1085 [1]."
    # Most texts refuse: the vote refuses.
    refusal = "The documents do not say."
    assert vote("In 1085 [1].", [refusal, refusal], question) == refusal

    def record(answer, draws, golds):  # type: ignore[no-untyped-def]
        return {"lang": "en", "question": question, "answer": answer, "answers": golds,
                "refused": False, "draws": {"texts": draws}}

    figures = measure([
        record("In 1085 [1].", ["In 1185 [2].", "It was 1185 [2]."], ["1185"]),
        record("In 1185 [2].", ["In 1185 [2].", "In 1085 [1]."], ["1185"]),
        record("In 1085 [1].", [refusal, refusal], []),
    ])["en"]
    assert (figures["answered"], figures["answer_right"], figures["vote_right"]) == (2, 1, 2)
    assert (figures["wrong_to_right"], figures["right_to_wrong"]) == (1, 0)
    assert (figures["unanswerable"], figures["unanswerable_vote_refuses"]) == (1, 1)
