"""Would the answer most draws agree on be right more often than the answer itself?

Self-consistency, measured on an `eval-qa --draws N --json` run without asking the model again:
the answer and its draws (refusals left out) are grouped by `consistency.same_answer`, and the
largest group's first text stands for the vote (on a tie, the answer's group). Printed per
language: how often the answer and the vote hold a gold answer (the same SQuAD normalisation as
eval-qa), the answers the vote would change, right to wrong and wrong to right, and, for SQuAD
2.0's unanswerable questions, how often the vote refuses. A draw is sampled (temperature 0.8)
and cut at 96 tokens, so a vote taken from one is a shorter text than the answer.

Run:  python benchmarks/draw_vote.py RUN.json [RUN.json ...]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from desktop_rag.core.answer.consistency import same_answer
from desktop_rag.core.answer.qa_scoring import contains_gold
from desktop_rag.core.answer.refusal import says_not_in_documents


def vote(answer: str, draws: list[str], question: str) -> str:
    """The text of the largest group of texts that give the same answer (the answer's on a
    tie); a refusal when most texts refuse."""
    texts = [answer, *draws]
    refusals = [t for t in texts if says_not_in_documents(t)]
    groups: list[list[str]] = []
    for text in (t for t in texts if not says_not_in_documents(t)):
        for group in groups:
            if same_answer(group[0], text, question):
                group.append(text)
                break
        else:
            groups.append([text])
    if not groups or 2 * len(refusals) > len(texts):
        return refusals[0] if refusals else answer
    best = max(groups, key=len)  # max keeps the first of equals: the answer's group
    return best[0]


def measure(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in records:
        draws = r.get("draws") or {}
        if not draws.get("texts") or draws.get("error") or r.get("refused"):
            continue
        figures = out[r["lang"]]
        chosen = vote(r["answer"], draws["texts"], r["question"])
        if not r["answers"]:
            figures["unanswerable"] += 1
            figures["unanswerable_vote_refuses"] += says_not_in_documents(chosen)
            continue
        before = contains_gold(r["answer"], r["answers"], r["lang"])
        after = contains_gold(chosen, r["answers"], r["lang"])
        figures["answered"] += 1
        figures["answer_right"] += before
        figures["vote_right"] += after
        figures["changed"] += chosen != r["answer"]
        figures["right_to_wrong"] += before and not after
        figures["wrong_to_right"] += after and not before
        figures["vote_refuses"] += says_not_in_documents(chosen)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", type=Path, nargs="+", help="eval-qa --draws N --json outputs")
    args = p.parse_args()
    for path in args.runs:
        run = json.loads(path.read_text(encoding="utf-8"))
        for lang, figures in sorted(measure(run["answers"]).items()):
            print(f"{path.name} [{lang}]: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
