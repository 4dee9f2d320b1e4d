"""ask(): retrieval -> prompt -> streamed answer -> citations, against the Ollama test server."""

from __future__ import annotations

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.conversations import Conversation, ConversationStore
from desktop_rag.core.answer.rag import Answer, AskSettings, PromptReady, Retrieved, ask
from desktop_rag.core.llm.client import GenerationOptions, OllamaClient, TokenDelta
from desktop_rag.core.search.retrieval import SearchOptions

QUESTION = "Which retrieval method does dense passage retrieval outperform?"


def _ask(papers, server, question=QUESTION, conversation=None, **settings):  # type: ignore[no-untyped-def]
    library, embedder = papers
    conversation = conversation if conversation is not None else Conversation()
    settings = AskSettings(model=DEFAULT_MODEL, **settings)
    events = list(ask(question, conversation, settings, library, embedder,
                      OllamaClient(server.host)))
    return events, events[-1], conversation


def test_streamed_answer_with_resolved_citations(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="It beats BM25 [1], by a large margin [2][9].") as server:
        events, answer, conversation = _ask(
            papers, server, generation=GenerationOptions(temperature=0.2, top_p=0.8, seed=7))
        sent = server.last("/api/chat")
    assert isinstance(events[0], Retrieved) and isinstance(events[1], PromptReady)
    tokens = [e.text for e in events if isinstance(e, TokenDelta)]
    assert len(tokens) > 5 and "".join(tokens) == answer.text
    assert isinstance(answer, Answer) and not answer.incomplete
    assert [c.number for c in answer.citations] == [1, 2] and answer.unresolved == [9]
    first = answer.citations[0].hit
    assert first.document == "multi-column-2p.pdf" and first.pages and first.in_prompt
    # The exact messages and options are what the server received; num_ctx is always set.
    assert sent["messages"] == answer.messages
    assert sent["options"] == {"temperature": 0.2, "top_p": 0.8, "seed": 7, "num_ctx": 4096}
    assert "Passage 1 (multi-column-2p.pdf, p." in sent["messages"][-1]["content"]
    assert answer.tokens_per_second and answer.time_to_first_token_s is not None
    assert answer.budget["room_left"] > 0 and answer.retrieval_ms > 0
    assert conversation.turns[0].answer == answer.text


def test_spelled_out_citations_are_read_as_citations(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="It beats BM25 [Passage 1] and TF-IDF (passages 2 and 3).") as server:
        _, answer, conversation = _ask(papers, server)
    assert answer.text == "It beats BM25 [1] and TF-IDF [2, 3]."
    assert [c.number for c in answer.citations] == [1, 2, 3]
    assert conversation.turns[0].answer == answer.text


def test_follow_up_uses_history_and_conversations_persist(papers, tmp_path):  # type: ignore[no-untyped-def]
    store = ConversationStore(tmp_path)
    with FakeOllama(reply="BM25 [1].") as server:
        _, first, conversation = _ask(papers, server)
        store.save(conversation)
        again = store.load(conversation.id)
        _, second, _ = _ask(papers, server, "And by how much?", conversation=again)
        sent = server.last("/api/chat")["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    # The history holds the answer as shown (its citation pointed at the passage naming BM25).
    assert sent[1]["content"] == QUESTION and sent[2]["content"] == first.text
    store.save(again)
    assert [len(c.turns) for c in store.list()] == [2]
    assert store.list()[0].title.startswith("Which retrieval method")


def test_nothing_relevant_is_said_and_the_model_is_not_asked(papers):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        _, answer, _ = _ask(papers, server, "Quarterly revenue of the Norwegian salmon industry")
        asked = [p for p, _ in server.requests if p == "/api/chat"]
    assert answer.nothing_relevant and not asked
    assert "do not contain anything relevant" in answer.text
    assert all(h.dropped for h in answer.hits)


def test_french_question_gets_the_french_prompt(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="BM25 [1].") as server:
        _, answer, _ = _ask(papers, server,
                            "Quelle méthode la recherche dense de passages dépasse-t-elle ?",
                            search=SearchOptions(min_similarity=0, min_keyword_share=0))
    assert answer.language == "fr" and "Réponds en français" in answer.messages[-1]["content"]


def test_connection_lost_keeps_the_partial_answer(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="It beats BM25 [1] by nine to nineteen points.") as server:
        server.cut_after = 4
        _, answer, conversation = _ask(papers, server)
    assert answer.incomplete and "lost" in (answer.error or "")
    assert answer.text and answer.text.startswith("It beats")
    assert conversation.turns[0].incomplete and conversation.history() == []


def test_small_context_drops_passages_and_says_so(papers):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="BM25 [1].") as server:
        _, answer, _ = _ask(papers, server, generation=GenerationOptions(num_ctx=900),
                            search=SearchOptions(k=6))
        sent = server.last("/api/chat")
    assert sent["options"]["num_ctx"] == 900 or answer.budget["num_ctx"] == 900
    assert answer.dropped_passages > 0
    assert sum(h.in_prompt for h in answer.hits) + answer.dropped_passages == sum(
        h.relevant for h in answer.hits)


def test_missing_model_is_an_actionable_error(papers):  # type: ignore[no-untyped-def]
    from desktop_rag.core.errors import ModelNotPulled

    library, embedder = papers
    with FakeOllama() as server, pytest.raises(ModelNotPulled, match="models pull"):
        list(ask(QUESTION, Conversation(), AskSettings(model="nope:1b"), library, embedder,
                 OllamaClient(server.host)))
