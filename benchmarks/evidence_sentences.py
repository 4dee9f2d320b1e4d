"""How often do the sentences the prompt points out (core/answer/evidence.py) hold a gold answer?

Measured on the passages of an `eval-qa --json` run (`--retrieval-only` is enough: no model is
asked), with the library's embedder, for several weights of the lexical half of the score (0:
the embedder's cosine alone, 1: the question's rare words alone). Printed per language: the
questions with a gold answer whose prompt had sentences, how often the best sentence and one
of the best two hold a gold answer (the same SQuAD normalisation as eval-qa), and the passage
holding it in the prompt as the ceiling. Compare with the run's `contains`: the share of the
model's answers that hold one.

Run:  python benchmarks/evidence_sentences.py RUN.json [--weights 0,0.25,0.5,0.75,1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from desktop_rag.core.answer.evidence import closest_sentences
from desktop_rag.core.answer.qa_scoring import holds_answer
from desktop_rag.core.search.hits import Hit


def passages_of(record: dict[str, Any]) -> list[Hit]:
    """The record's passages as hits, in prompt order."""
    return [Hit(chunk_id=f"p{p['number']}", doc_id=p["document"], document=p["document"],
                path=p["document"], text=p["text"], pages=tuple(p.get("pages") or ()),
                section=p.get("section") or "", ordinal=p["number"], token_count=0)
            for p in sorted(record["passages"], key=lambda p: p["number"])]


def measure(records: list[dict[str, Any]], embedder: Any,
            weights: list[float]) -> dict[str, dict[str, Any]]:
    """Per language: questions, in_prompt, and per weight the best-1 and best-2 hold rates."""
    tally: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    seconds: list[float] = []
    for record in records:
        passages = passages_of(record)
        if not record["answers"] or not passages:
            continue
        lang = record["lang"]
        tally[lang]["questions"] += 1
        tally[lang]["in_prompt"] += bool(record["in_prompt"])
        for weight in weights:
            started = time.perf_counter()
            best = closest_sentences(record["question"], passages, embedder, 2, weight)
            seconds.append(time.perf_counter() - started)
            holds = [holds_answer(e.sentence, record["answers"], lang) for e in best]
            tally[lang][f"best1@{weight:g}"] += bool(holds[:1] and holds[0])
            tally[lang][f"best2@{weight:g}"] += any(holds)
    for counts in tally.values():
        counts["median_ms"] = round(1000 * statistics.median(seconds), 1) if seconds else None
    return {lang: dict(counts) for lang, counts in tally.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("run", type=Path, help="an eval-qa --json output")
    p.add_argument("--weights", default="0,0.25,0.5,0.75,1",
                   help="weights of the lexical half to compare (default 0,0.25,0.5,0.75,1)")
    args = p.parse_args()
    run = json.loads(args.run.read_text(encoding="utf-8"))
    from desktop_rag.cli_commands import _embedder
    from desktop_rag.core.store.libraries import open_library

    embedder = _embedder(open_library(run["settings"]["library"]))
    weights = [float(w) for w in args.weights.split(",")]
    for lang, counts in measure(run["answers"], embedder, weights).items():
        n = counts["questions"]
        print(f"{lang}: {n} questions with a gold answer and passages; passage holding it in "
              f"the prompt {counts['in_prompt'] / n:.1%}; {counts['median_ms']} ms a question "
              f"(median, {embedder.model_id})")
        for weight in weights:
            print(f"  lexical weight {weight:g}: best sentence holds a gold answer "
                  f"{counts[f'best1@{weight:g}'] / n:.1%}, one of the best two "
                  f"{counts[f'best2@{weight:g}'] / n:.1%}")


if __name__ == "__main__":
    main()
