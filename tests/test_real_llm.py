"""The whole chain against a real model: import -> ask -> streamed answer with citations.

Runs where an Ollama-compatible server with a model answers: DESKTOP_RAG_REAL_LLM_HOST, or the
stack of ../shared/llm-stack (started by scripts/test.sh, which records its host under
LLM_STACK_HOME). Elsewhere the tests skip and say why. The small model's wording is never
checked, only the mechanics: streaming, citations resolved, options honoured, seeds.
"""

from __future__ import annotations

import pytest

from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.answer.rag import AskSettings, ask
from desktop_rag.core.llm.client import GenerationOptions, TokenDelta
from desktop_rag.core.search.retrieval import SearchOptions

pytestmark = pytest.mark.real_llm
QUESTION = "Which retrieval method does dense passage retrieval outperform?"


def _ask(papers, real_model, **generation):  # type: ignore[no-untyped-def]
    library, embedder = papers
    client, model = real_model
    settings = AskSettings(model=model, generation=GenerationOptions(**generation),
                           search=SearchOptions(k=3))
    events = list(ask(QUESTION, Conversation(), settings, library, embedder, client))
    return events, events[-1]


def test_streamed_answer_and_citations(papers, real_model):  # type: ignore[no-untyped-def]
    events, answer = _ask(papers, real_model, temperature=0, num_predict=60, seed=3)
    tokens = [e.text for e in events if isinstance(e, TokenDelta)]
    # What streamed is what the model wrote; a citation repair may have changed answer.text.
    assert len(tokens) > 3 and "".join(tokens) == (answer.model_text or answer.text)
    assert not answer.incomplete and answer.eval_count and answer.eval_count <= 60
    assert answer.tokens_per_second and answer.time_to_first_token_s
    for citation in answer.citations:  # whatever the model cited resolves to a prompt passage
        assert citation.hit.in_prompt and citation.hit.prompt_number == citation.number
        assert citation.hit.document == "multi-column-2p.pdf" and citation.hit.pages


def test_same_seed_same_text_and_max_tokens_honoured(papers, real_model):  # type: ignore[no-untyped-def]
    _, first = _ask(papers, real_model, temperature=0.9, top_p=0.95, seed=11, num_predict=4)
    _, second = _ask(papers, real_model, temperature=0.9, top_p=0.95, seed=11, num_predict=4)
    assert first.text == second.text
    assert first.done_reason == "length" and first.eval_count == 4


def test_logprobs_and_perplexity(papers, real_model):  # type: ignore[no-untyped-def]
    library, embedder = papers
    client, model = real_model
    settings = AskSettings(model=model, generation=GenerationOptions(num_predict=6, seed=1),
                           search=SearchOptions(k=1), logprobs=True, top_logprobs=3)
    answer = list(ask(QUESTION, Conversation(), settings, library, embedder, client))[-1]
    assert len(answer.logprobs) >= 5
    assert all(lp.logprob <= 0 and len(lp.top) == 3 for lp in answer.logprobs)
    assert answer.perplexity is not None and answer.perplexity >= 1.0
