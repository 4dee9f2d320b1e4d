"""How well the model's own check separates right answers from wrong and unanswerable ones.

Replays the check of core/answer/model_check on the answers of an `eval-qa --json` run: for
each answer that is not already a refusal, the passages the app would show the checking model
(cited ones, else the one holding most of the answer) and the question go to `--model`, and the
probability of "yes" of its reply is kept. The answers come from the run, so the checking model
may differ from the one that answered (a user checks with the model they answer with; this
replays one on another's answers to choose the threshold without hours of answering).

Prints, for thresholds of P(yes), the share of each kind of question marked "not in your
documents" (answers the model already refused count as refused at every threshold):
unanswerable questions (SQuAD 2.0), answerable ones, answerable ones whose answer holds a gold
answer ("right") and those whose answer does not ("wrong"). Targets of issue 16: unanswerable
refused >= 60 % with answerable refused <= 10 %.

`--apply OUT.json` (one run) writes the run as `eval-qa --model-check` would have recorded it:
each checked answer gets its `model_check` (verdict at YES_NEEDED), a "no" makes it refused, and
the figures are computed again and printed. Answering without the check and checking afterwards
gives the same verdicts (same passages, same prompt, temperature 0) and lets the answers run on
a server without log-probabilities, whose prompts are about 30 % faster on the llm-stack.

Run:  OLLAMA_HOST=... python benchmarks/model_check_replay.py RUN.json [RUN2.json ...]
          [--model qwen2.5-coder:1.5b] [--out replay.json] [--apply RUN_checked.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop_rag.cli_qa import _print_report
from desktop_rag.core.answer.grounding import Grounding, SentenceCheck
from desktop_rag.core.answer.model_check import (
    YES_NEEDED,
    ModelCheck,
    check_with_model,
    passages_to_check,
)
from desktop_rag.core.answer.qa_eval import QaReport
from desktop_rag.core.answer.qa_scoring import summarise
from desktop_rag.core.llm.client import OllamaClient

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def passages_for(record: dict[str, Any]) -> list[int]:
    """The passages ask() would show the checking model, from a stored record."""
    stored = record.get("grounding")
    grounding = None if stored is None else Grounding(
        [SentenceCheck(**s) for s in stored["sentences"]], stored.get("ms", 0.0))
    return passages_to_check(record["answer"], grounding, len(record["passages"]))


def kind(record: dict[str, Any]) -> str:
    if record["is_impossible"]:
        return "unanswerable"
    return "right" if record["contains"] else "wrong"


def replay(records: list[dict[str, Any]], client: OllamaClient, model: str) -> list[dict]:
    rows = []
    for i, r in enumerate(records, 1):
        numbers = [] if r["refused"] or r["error"] else passages_for(r)
        p_yes, seconds = None, 0.0
        if numbers:
            texts = {p["number"]: p["text"] for p in r["passages"]}
            check = check_with_model(r["question"], [texts[n] for n in numbers], numbers,
                                     client, model)
            p_yes, seconds = check.p_yes, check.seconds
        rows.append({"id": r["id"], "kind": kind(r), "refused": r["refused"],
                     "checked": bool(numbers), "p_yes": p_yes, "seconds": seconds,
                     "check": asdict(check) if numbers else None})
        print(f"[{i}/{len(records)}] {rows[-1]['kind']:<12} p_yes "
              f"{'-' if p_yes is None else f'{p_yes:.3f}'}", file=sys.stderr)
    return rows


def refused_at(row: dict[str, Any], threshold: float) -> bool:
    return row["refused"] or (row["p_yes"] is not None and row["p_yes"] < threshold)


def table(rows: list[dict[str, Any]]) -> None:
    groups = {"unanswerable": [r for r in rows if r["kind"] == "unanswerable"],
              "answerable": [r for r in rows if r["kind"] != "unanswerable"],
              "right": [r for r in rows if r["kind"] == "right"],
              "wrong": [r for r in rows if r["kind"] == "wrong"]}
    print("refused (not in your documents) by P(yes) threshold; n = "
          + ", ".join(f"{k} {len(v)}" for k, v in groups.items()))
    print("threshold  " + "  ".join(f"{k:>12}" for k in groups))
    for t in (0.0, *THRESHOLDS):
        shares = [sum(refused_at(r, t) for r in g) / len(g) if g else float("nan")
                  for g in groups.values()]
        print(f"{t:9.1f}  " + "  ".join(f"{s:12.0%}" for s in shares))
    seconds = [r["seconds"] for r in rows if r["checked"]]
    if seconds:
        print(f"check time: median {statistics.median(seconds):.1f} s over {len(seconds)}")


def applied(run: dict[str, Any], rows: list[dict[str, Any]]) -> QaReport:
    """The run as recorded with the check on: verdicts in, "no" answers refused, figures again."""
    records = []
    for record, row in zip(run["answers"], rows, strict=True):
        record = dict(record)
        if row["check"] is not None:
            record["model_check"] = row["check"]
            record["refused"] = record["refused"] or ModelCheck(**row["check"]).verdict == "no"
        records.append(record)
    languages = sorted({r["lang"] for r in records})
    settings = {**run["settings"], "model_check": True}
    return QaReport(run["set"], run["model"], settings, summarise(records),
                    {lang: summarise([r for r in records if r["lang"] == lang])
                     for lang in languages}, records)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+", type=Path, help="eval-qa --json outputs")
    p.add_argument("--model", default="qwen2.5-coder:1.5b")
    p.add_argument("--host", default=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"))
    p.add_argument("--out", type=Path, help="write every answer's P(yes)")
    p.add_argument("--apply", type=Path, metavar="OUT",
                   help=f"write the run with the check on (no below P(yes) {YES_NEEDED})")
    args = p.parse_args()
    if args.apply and len(args.runs) != 1:
        p.error("--apply takes one run")
    client = OllamaClient(args.host)
    everything = []
    for run in args.runs:
        stored = json.loads(run.read_text(encoding="utf-8"))
        records = stored["answers"]
        print(f"== {run.name}: {len(records)} answers, checked by {args.model}")
        rows = replay(records, client, args.model)
        table(rows)
        if args.apply:
            report = applied(stored, rows)
            args.apply.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1),
                                  encoding="utf-8")
            _print_report(report, records)
        everything += [{"run": run.name, **r} for r in rows]
    if len(args.runs) > 1:
        print("== all runs")
        table(everything)
    if args.out:
        args.out.write_text(json.dumps(everything, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
