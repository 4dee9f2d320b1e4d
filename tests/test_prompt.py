"""The prompt and its token budget: numbered passages, explicit drops, never a silent cut."""

from __future__ import annotations

import pytest

from desktop_rag.core.answer.prompt import (
    DEFAULT_TEMPLATES,
    PromptTooLong,
    build_prompt,
    estimate_tokens,
)
from desktop_rag.core.search.retrieval import Hit


def _hit(n: int, words: int = 100) -> Hit:
    return Hit(chunk_id=f"c{n}", doc_id="d", document="report.pdf", path="/r.pdf",
               text=" ".join(["word"] * words) + f" passage{n}", pages=(n,), section="Intro",
               ordinal=n, token_count=words)


def test_passages_are_numbered_with_source_and_page():
    built = build_prompt(DEFAULT_TEMPLATES["en"], "thesis", "What is it?", [_hit(1), _hit(2)],
                         [], num_ctx=4096, reserved_for_answer=512)
    system, user = built.messages[0]["content"], built.messages[-1]["content"]
    assert '"thesis"' in system and "[1]" in system and "The documents do not say." in system
    # Labels, not citations: a small model that starts its answer with [1] has nothing to copy.
    # Numbered in the order read, the best passage last, next to the question.
    assert "Passage 1 (report.pdf, p. 2, Intro):\n" in user
    assert "Passage 2 (report.pdf, p. 1, Intro):\n" in user
    assert "[1] (" not in user
    # The question comes before the passages and again after them, next to the instruction.
    assert user.startswith("Question: What is it?\n") and user.count("What is it?") == 2
    assert user.index("passage2") < user.rindex("Question: What is it?")
    assert user.index("passage2") < user.index("passage1") < user.rindex("Question:")
    assert [h.chunk_id for h in built.passages] == ["c2", "c1"]
    assert [h.prompt_number for h in built.passages] == [1, 2]
    assert not built.truncated and built.budget.room_left > 0
    assert all(h.in_prompt for h in built.passages)


def test_french_template():
    built = build_prompt(DEFAULT_TEMPLATES["fr"], "mémoire", "Qu'est-ce ?", [_hit(1)], [],
                         num_ctx=4096, reserved_for_answer=512)
    assert "« mémoire »" in built.messages[0]["content"]
    assert "Passages :" in built.messages[-1]["content"]
    assert "Les documents ne le disent pas." in built.messages[0]["content"]


def test_overflow_drops_oldest_turns_then_lowest_passages_and_records_it():
    history = [(f"question {i} " + "x " * 300, f"answer {i} " + "y " * 300) for i in range(4)]
    hits = [_hit(n, words=150) for n in range(1, 9)]
    built = build_prompt(DEFAULT_TEMPLATES["en"], "lib", "Why?", hits, history,
                         num_ctx=2048, reserved_for_answer=256)
    assert built.budget.room_left >= 0
    assert built.budget.used + built.budget.reserved_for_answer <= 2048
    # Every estimate is counted: the whole prompt fits the estimate.
    assert sum(estimate_tokens(m["content"]) for m in built.messages) <= built.budget.used
    assert built.dropped_turns == 3  # the latest turn stays while passages can go
    kept = [h.chunk_id for h in reversed(built.passages)]
    assert kept == [f"c{n}" for n in range(1, len(kept) + 1)]  # the best kept, lowest dropped
    assert built.dropped_passages and built.dropped_passages[0].chunk_id == f"c{len(kept) + 1}"
    assert all(h.dropped and not h.in_prompt and h.prompt_number is None
               for h in built.dropped_passages)
    assert built.messages[1]["content"].startswith("question 3")


def test_a_question_too_long_for_the_context_is_an_error_not_a_cut():
    with pytest.raises(PromptTooLong, match="num_ctx"):
        build_prompt(DEFAULT_TEMPLATES["en"], "lib", "why " * 3000, [_hit(1)], [],
                     num_ctx=1024, reserved_for_answer=256)


def test_a_long_section_path_is_shortened_to_its_last_heading():
    hit = _hit(1)
    hit.section = ("SECTION 3 › Obligations of providers and deployers of high-risk AI systems "
                   "and other parties › Providers of high-risk AI systems shall:")
    user = build_prompt(DEFAULT_TEMPLATES["en"], "lib", "Who?", [hit], [], num_ctx=4096,
                        reserved_for_answer=512).messages[-1]["content"]
    assert "Passage 1 (report.pdf, p. 1, Providers of high-risk AI systems shall):\n" in user
    hit.section = "A heading that goes on and on " * 4
    user = build_prompt(DEFAULT_TEMPLATES["en"], "lib", "Who?", [hit], [], num_ctx=4096,
                        reserved_for_answer=512).messages[-1]["content"]
    label = user.split("Passage 1 (", 1)[1].split("):", 1)[0]
    assert label.endswith("on…") and len(label) < len("report.pdf, p. 1, ") + 62


def test_a_prompt_built_again_without_marking_leaves_the_first_numbers():
    """The second look asks again with the best passage alone: the hits keep the numbers the
    first prompt gave them, which the answer's citations and the inspector show."""
    hits = [_hit(1), _hit(2), _hit(3)]
    first = build_prompt(DEFAULT_TEMPLATES["en"], "thesis", "What is it?", hits, [],
                         num_ctx=4096, reserved_for_answer=512)
    numbers = [h.prompt_number for h in hits]
    again = build_prompt(DEFAULT_TEMPLATES["en"], "thesis", "What is it?", [hits[0]], [],
                         num_ctx=4096, reserved_for_answer=512, mark=False)
    assert "Passage 1" in again.messages[-1]["content"] and again.passages == [hits[0]]
    assert [h.prompt_number for h in hits] == numbers == [3, 2, 1]
    assert all(h.in_prompt for h in hits) and first.passages == hits[::-1]
