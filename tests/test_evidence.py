"""The sentences pointed out under the passages: chosen with the real embedder, quoted with the
numbers the prompt gives their passages, and gone with the passages the budget leaves out."""

from __future__ import annotations

from desktop_rag.core.answer.evidence import closest_sentences
from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES, build_prompt
from desktop_rag.core.search.retrieval import Hit

RHONE = ("The Rhone rises in the Swiss Alps. It flows through Lake Geneva and then through "
         "Lyon. The Rhone ends in the Mediterranean Sea, west of Marseille.")
LOIRE = ("The Loire is the longest river in France. Its valley is known for its castles. "
         "The Loire flows into the Atlantic Ocean at Saint-Nazaire.")


def _hit(n: int, text: str) -> Hit:
    return Hit(chunk_id=f"c{n}", doc_id="d", document="rivers.txt", path="/rivers.txt",
               text=text, pages=(), section="Rivers", ordinal=n, token_count=40)


def test_the_sentence_that_answers_comes_first(embedder):  # type: ignore[no-untyped-def]
    hits = [_hit(1, LOIRE), _hit(2, RHONE)]
    found = closest_sentences("Where does the Rhone end?", hits, embedder, 2)
    assert [e.sentence for e in found][0] == \
        "The Rhone ends in the Mediterranean Sea, west of Marseille."
    assert found[0].hit is hits[1] and found[0].score == 1.0 >= found[1].score
    assert len(found) == 2
    found = closest_sentences("Into which ocean does the Loire flow?", hits, embedder, 1)
    assert [(e.hit.chunk_id, e.sentence) for e in found] == \
        [("c1", "The Loire flows into the Atlantic Ocean at Saint-Nazaire.")]


def test_none_asked_none_given(embedder):  # type: ignore[no-untyped-def]
    assert closest_sentences("Where does the Rhone end?", [_hit(1, RHONE)], embedder, 0) == []
    assert closest_sentences("Where does the Rhone end?", [], embedder, 2) == []
    # At most three, however many are asked for: more would be most of a passage again.
    assert len(closest_sentences("Rivers?", [_hit(1, RHONE), _hit(2, LOIRE)], embedder, 9)) == 3


def test_the_prompt_quotes_them_under_the_passages_with_their_numbers(embedder):  # type: ignore[no-untyped-def]
    hits = [_hit(1, RHONE), _hit(2, LOIRE)]  # ranked: the Rhone first, so it is read last
    question = "Where does the Rhone end?"
    found = closest_sentences(question, hits, embedder, 1)
    built = build_prompt(DEFAULT_TEMPLATES["en"], "lib", question, hits, [], num_ctx=4096,
                         reserved_for_answer=512, evidence=found, language="en")
    user = built.messages[-1]["content"]
    quoted = ('Sentences of the passages closest to the question:\n'
              '"The Rhone ends in the Mediterranean Sea, west of Marseille." [2]')
    assert quoted in user
    assert user.index("Passage 2 (") < user.index(quoted) < user.rindex("Question:")
    french = build_prompt(DEFAULT_TEMPLATES["fr"], "lib", "Où se termine le Rhône ?", hits, [],
                          num_ctx=4096, reserved_for_answer=512, evidence=found, language="fr")
    assert ("Phrases des passages les plus proches de la question :\n"
            "« The Rhone ends in the Mediterranean Sea, west of Marseille. » [2]") \
        in french.messages[-1]["content"]
    plain = build_prompt(DEFAULT_TEMPLATES["en"], "lib", question, hits, [], num_ctx=4096,
                         reserved_for_answer=512)
    assert "closest to the question" not in plain.messages[-1]["content"]


def test_a_sentence_of_a_passage_left_out_goes_with_it(embedder):  # type: ignore[no-untyped-def]
    long = _hit(2, LOIRE + " " + "More about the Loire valley. " * 120)
    hits = [_hit(1, RHONE), long]
    found = closest_sentences("Into which ocean does the Loire flow?", hits, embedder, 1)
    assert found[0].hit is long
    built = build_prompt(DEFAULT_TEMPLATES["en"], "lib", "Into which ocean does the Loire "
                         "flow?", hits, [], num_ctx=1024, reserved_for_answer=256,
                         evidence=found, language="en")
    assert built.dropped_passages == [long]
    assert "closest to the question" not in built.messages[-1]["content"]
    assert built.budget.room_left >= 0


def test_the_benchmark_counts_the_sentences_that_hold_a_gold_answer(embedder):  # type: ignore[no-untyped-def]
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from evidence_sentences import measure

    passages = [{"number": 1, "document": "rivers.txt", "text": LOIRE, "pages": []},
                {"number": 2, "document": "rivers.txt", "text": RHONE, "pages": []}]
    records = [{"question": "Where does the Rhone end?", "answers": ["the Mediterranean Sea"],
                "lang": "en", "in_prompt": True, "passages": passages},
               {"question": "What is the Loire valley known for?", "answers": ["its bridges"],
                "lang": "en", "in_prompt": False, "passages": passages},
               {"question": "Unanswerable?", "answers": [], "lang": "en", "in_prompt": False,
                "passages": passages}]
    counts = measure(records, embedder, [0.5])["en"]
    assert (counts["questions"], counts["in_prompt"]) == (2, 1)
    assert (counts["best1@0.5"], counts["best2@0.5"]) == (1, 1)
