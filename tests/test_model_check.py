"""The model's own check of an answer (does the passage it cites answer the question?), through
ask() with the Ollama test server's scripted yes/no, and on a dead server."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.model_check import (
    SYSTEM,
    TOP_LOGPROBS,
    YES_NEEDED,
    billions_of_parameters,
    check_is_on,
    check_with_model,
    yes_probability,
)
from desktop_rag.core.answer.rag import AskSettings, Checking, LookingAgain, PromptReady, ask
from desktop_rag.core.llm.client import ChatDone, OllamaClient, TokenDelta, TokenLogprob

QUESTION = "Which retrieval method does dense passage retrieval outperform?"


def _ask(papers, server, question=QUESTION, **settings):  # type: ignore[no-untyped-def]
    library, embedder = papers
    settings.setdefault("model_check", True)
    return list(ask(question, Conversation(), AskSettings(model=DEFAULT_MODEL, **settings),
                    library, embedder, OllamaClient(server.host)))


@pytest.mark.parametrize(("reply", "verdict", "refused"), [
    ("No.", "no", True), ("Yes", "yes", False), ("Non", "no", True),
    ("Perhaps, partly.", "unclear", False),
])
def test_the_model_s_no_marks_the_answer_not_in_documents(papers, reply, verdict, refused):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="It outperforms BM25 [2].") as server:
        server.check_reply = reply
        events = _ask(papers, server)
        check = server.last("/api/chat#check")
    answer = events[-1]
    cited = [c.number for c in answer.citations]  # [2], or where the repair pointed it
    assert [e.passages for e in events if isinstance(e, Checking)] == [cited]
    assert answer.model_check.verdict == verdict and answer.model_check.passages == cited
    assert answer.not_in_documents is refused
    assert answer.to_dict()["grounding_flagged"] is (refused or answer.grounding.flagged)
    # One short request: the cited passage and the question, a 3-token yes/no at temperature 0.
    passage = answer.citations[0].hit
    assert check["messages"][0]["content"] == SYSTEM
    assert passage.text in check["messages"][1]["content"]
    assert QUESTION in check["messages"][1]["content"]
    assert check["options"]["num_predict"] == 3 and check["options"]["temperature"] == 0


def test_no_check_when_turned_off_or_cut(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="It outperforms BM25 [2].") as server:
        _ask(papers, server, model_check=False)
        server.reply = "The documents do not say."
        refusal = _ask(papers, server, model_check=False)[-1]
        server.reply, server.cut_after = "It outperforms BM25 by far [2].", 3
        cut = _ask(papers, server)[-1]
        checks = [p for p, _ in server.requests if p == "/api/chat#check"]
    assert checks == [] and refusal.model_check is None and refusal.not_in_documents
    assert cut.incomplete and cut.model_check is None and cut.second_look is None


def _refuses_unless_alone(body: dict) -> str:  # type: ignore[type-arg]
    """The model refuses with several passages and answers from one passage alone."""
    alone = "Passage 2 (" not in body["messages"][-1]["content"]
    return "It outperforms BM25 [1]." if alone else "The documents do not say."


def test_a_refusal_gets_a_second_look_at_the_best_passage(papers):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        server.reply_for = _refuses_unless_alone
        events = _ask(papers, server)
        chats = [b for p, b in server.requests if p == "/api/chat"]
        check = server.last("/api/chat#check")
    answer = events[-1]
    prompts = [e.prompt for e in events if isinstance(e, PromptReady)]
    best = len(prompts[0].passages)  # the best passage is the last one of the prompt
    assert [e.passage for e in events if isinstance(e, LookingAgain)] == [best]
    assert [e.passages for e in events if isinstance(e, Checking)] == [[best]]
    assert prompts[0].passages[-1].text in check["messages"][1]["content"]
    # Asked again with that passage alone; its [1] is cited under its number in the first prompt.
    assert len(chats) == 2 and len(prompts[1].passages) == 1
    assert prompts[1].passages[0].text in chats[1]["messages"][-1]["content"]
    assert "Passage 2 (" not in chats[1]["messages"][-1]["content"]
    assert answer.text == f"It outperforms BM25 [{best}]."
    assert [c.hit.prompt_number for c in answer.citations] == [best]
    assert not answer.not_in_documents and answer.model_check.verdict == "yes"
    assert answer.second_look.first_text == "The documents do not say."
    assert answer.second_look.first_messages == chats[0]["messages"]
    assert answer.messages == chats[1]["messages"] and answer.second_look.seconds > 0
    streamed = "".join(e.text for e in events if isinstance(e, TokenDelta))
    assert streamed == "The documents do not say." + "It outperforms BM25 [1]."
    # eval-qa's record says which answers came from a second look.
    from desktop_rag.core.answer.qa_eval import QaItem, score

    item = QaItem("q", "en", QUESTION, ["BM25"], "docs/x.txt")
    assert score(item, answer)["second_look"] == {
        "passage": best, "first_text": "The documents do not say.",
        "seconds": answer.second_look.seconds}
    assert answer.to_dict()["second_look"]["passage"] == best


@pytest.mark.parametrize(("check_reply", "second_reply"), [
    ("No", None), ("Yes", "The documents do not say."),
])
def test_a_refusal_stands_when_the_check_or_the_second_look_says_so(  # type: ignore[no-untyped-def]
        papers, check_reply, second_reply):
    with FakeOllama(reply="The documents do not say.") as server:
        server.check_reply = check_reply
        answer = _ask(papers, server)[-1]
        chats = [p for p, _ in server.requests if p == "/api/chat"]
    assert answer.not_in_documents and answer.text == "The documents do not say."
    assert answer.model_check.verdict == check_reply.lower()
    assert len(chats) == (1 if second_reply is None else 2)
    assert (answer.second_look is None) is (second_reply is None)


def test_a_french_answer_is_checked_and_a_french_reply_read(papers):  # type: ignore[no-untyped-def]
    question = QUESTION + " Répondez en français."
    with FakeOllama(reply="Elle surpasse BM25 [1].") as server:
        server.check_reply = "Oui."
        answer = _ask(papers, server, question, language="fr")[-1]
        check = server.last("/api/chat#check")
    # The instruction is in English (the small models follow it better); the question is not.
    assert check["messages"][0]["content"] == SYSTEM
    assert question in check["messages"][1]["content"]
    assert answer.model_check.verdict == "yes" and not answer.not_in_documents


def test_a_dead_server_leaves_the_answer_standing() -> None:
    check = check_with_model("Q?", ["A passage."], [1], OllamaClient("http://127.0.0.1:9"),
                             DEFAULT_MODEL)
    assert check.verdict == "unclear" and check.error


def test_ask_command_says_what_the_check_found(tmp_path, capsys):  # type: ignore[no-untyped-def]
    from desktop_rag.cli import main

    notes = tmp_path / "bread.txt"
    notes.write_text("Sourdough bread needs a starter, flour, water and salt. Bake the loaf at "
                     "240 degrees for forty minutes.", encoding="utf-8")
    assert main(["import", str(notes)]) == 0
    question = "Who baked the first sourdough loaf?"
    with FakeOllama(reply="A baker baked the loaf at 240 degrees [1].") as server:
        server.check_reply = "No"
        main(["ask", question, "--host", server.host, "--model", DEFAULT_MODEL,
              "--model-check"])
        captured = capsys.readouterr()
        main(["ask", question, "--host", server.host, "--model", DEFAULT_MODEL])
        unchecked = capsys.readouterr()
        checks = [p for p, _ in server.requests if p == "/api/chat#check"]
    assert "checking the answer with the model" in captured.err
    assert "Not in your documents: asked again, the model says that [1] does not answer" \
        in captured.out
    assert len(checks) == 1 and "Not in your documents" not in unchecked.out


@pytest.mark.parametrize(("size", "billions"), [
    ("1.5B", 1.5), ("494.03M", 0.49403), ("70.6B", 70.6), ("8B", 8.0), ("unknown", None),
    ("", None), (None, None),
])
def test_ollama_s_parameter_sizes_are_read(size, billions) -> None:  # type: ignore[no-untyped-def]
    assert billions_of_parameters(size) == (pytest.approx(billions) if billions else None)


def test_the_automatic_check_follows_the_model_s_size_and_a_choice_wins() -> None:
    assert check_is_on(None, "1.5B") and check_is_on(None, "7.6B")
    assert not check_is_on(None, "494.03M") and not check_is_on(None, "1.2B")
    assert not check_is_on(None, None)  # unknown size: no extra request
    assert check_is_on(True, "494.03M") and not check_is_on(False, "70.6B")
    assert AskSettings(model_check=None).settled("3.2B").model_check is True


def test_ask_command_checks_by_default_with_a_model_of_1_5b(tmp_path, capsys):  # type: ignore[no-untyped-def]
    from ollama_server import model_entry

    from desktop_rag.cli import main

    notes = tmp_path / "bread.txt"
    notes.write_text("Bake the sourdough loaf at 240 degrees for forty minutes.", encoding="utf-8")
    assert main(["import", str(notes)]) == 0
    with FakeOllama(reply="Bake it for forty minutes [1].") as server:
        server.models[DEFAULT_MODEL] = model_entry(DEFAULT_MODEL, parameter_size="1.5B")
        main(["ask", "How long is the loaf baked?", "--host", server.host, "--model",
              DEFAULT_MODEL])
        automatic = [p for p, _ in server.requests if p == "/api/chat#check"]
        main(["ask", "How long is the loaf baked?", "--host", server.host, "--model",
              DEFAULT_MODEL, "--no-model-check"])
        declined = [p for p, _ in server.requests if p == "/api/chat#check"]
    assert len(automatic) == 1 and len(declined) == 1
    assert "checking the answer with the model" in capsys.readouterr().err


class _ScriptedChat:
    """A chat backend whose one reply carries the given first-token alternatives."""

    def __init__(self, text: str, alternatives: list[tuple[str, float]]) -> None:
        self.text, self.alternatives, self.asked = text, alternatives, {}

    def chat(self, messages, model, options=None, cancel=None, logprobs=False,  # type: ignore[no-untyped-def]
             top_logprobs=0):
        self.asked = {"logprobs": logprobs, "top_logprobs": top_logprobs}
        first = TokenLogprob(self.alternatives[0][0], self.alternatives[0][1], self.alternatives)
        yield ChatDone(self.text, model, done_reason="stop", logprobs=[first] if logprobs else [])


def test_the_verdict_follows_the_probability_of_yes_not_the_first_choice() -> None:
    # "Yes" written first, but with a share of yes below YES_NEEDED among the alternatives.
    low = YES_NEEDED * 0.9
    client = _ScriptedChat("Yes", [("Yes", math.log(low)), ("No", math.log(low * 0.9)),
                                   ("no", math.log(1 - low * 1.9)), ("Maybe", math.log(0.001))])
    check = check_with_model("Q?", ["A passage."], [1], client, DEFAULT_MODEL)
    assert client.asked == {"logprobs": True, "top_logprobs": TOP_LOGPROBS}
    assert check.p_yes == pytest.approx(low / 1.0) and check.verdict == "no"
    # "No" written, as the likeliest single token, but yes above YES_NEEDED over its spellings.
    high = (YES_NEEDED + 2 / 3) / 2  # under 2/3, so that "No" alone can outweigh each yes
    client = _ScriptedChat("No", [("No", math.log(1 - high)), (" yes", math.log(high / 2)),
                                  ("Yes", math.log(high / 2))])
    assert 1 - high > high / 2  # "No" is the first choice
    check = check_with_model("Q?", ["A passage."], [1], client, DEFAULT_MODEL)
    assert check.p_yes == pytest.approx(high) and check.verdict == "yes"


def test_yes_probability_skips_a_leading_space_and_reads_french() -> None:
    space = TokenLogprob(" ", -0.01, [(" ", -0.01)])
    word = TokenLogprob("Oui", math.log(0.2), [("Oui", math.log(0.2)), ("Non", math.log(0.2)),
                                               ("non", math.log(0.4))])
    assert yes_probability([space, word]) == pytest.approx(0.2 / 0.8)
    assert yes_probability([TokenLogprob("Perhaps", -0.1, [("Perhaps", -0.1)])]) is None
    assert yes_probability([]) is None


def _record(id_: str, contains: bool, impossible: bool = False) -> dict:
    return {"id": id_, "lang": "en", "question": "Q?", "answers": [] if impossible else ["x"],
            "is_impossible": impossible, "answer": "An answer [1].", "refused": False,
            "in_prompt": True, "contains": contains, "exact": False, "f1": 0.0,
            "citations": [{"number": 1, "holds_answer": contains}], "written_citations": [],
            "wrong_language": False, "ttft_s": 1.0, "tokens_per_s": 5.0,
            "grounding_flagged": False, "grounding": None, "error": None, "model_check": None,
            "passages": [{"number": 1, "text": "A passage."}]}


def test_the_replayed_check_is_applied_as_eval_qa_would_record_it() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from model_check_replay import applied, replay

    run = {"set": "s", "model": "m", "settings": {"model_check": False},
           "answers": [_record("right", True), _record("wrong", False),
                       _record("decoy", False, impossible=True)]}
    # P(yes) 0.9 for the right answer, 0.1 for the others: two "no".
    replies = iter([0.9, 0.1, 0.1])

    class Client:
        def chat(self, messages, model, options=None, cancel=None, logprobs=False,  # type: ignore[no-untyped-def]
                 top_logprobs=0):
            p = next(replies)
            yield ChatDone("Yes", model, done_reason="stop", logprobs=[TokenLogprob(
                "Yes", math.log(p), [("Yes", math.log(p)), ("No", math.log(1 - p))])])

    report = applied(run, replay(run["answers"], Client(), "m"))
    assert [r["refused"] for r in report.records] == [False, True, True]
    assert report.records[1]["model_check"]["verdict"] == "no"
    assert report.overall["refused_unanswerable"] == 1.0
    assert report.overall["refused_answerable"] == 0.5
    assert report.settings["model_check"] is True
    assert run["answers"][1]["refused"] is False  # the stored run is left as it was
