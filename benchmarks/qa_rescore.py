"""Score an eval-qa run's answers again with the current scoring and grounding check, no model.

Changing how answers are scored (qa_scoring) or checked (grounding) need not cost hours of
answering: each record of an `eval-qa --json` run keeps the answer and the passages of its
prompt. This recomputes contains / exact / F1, the citations' `holds_answer`, and the grounding
check of every answer (with the library's embedder, as ask() does), then prints the figures of
the stored run and of the rescored one side by side. Refusals and the model check's verdicts
are kept as recorded; the draws of an answer asked again (eval-qa --draws) are compared with
it again.

Run:  python benchmarks/qa_rescore.py RUN.json [--out RESCORED.json]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from second_look import as_hit  # a stored passage as a Hit, as the check saw it

from desktop_rag.cli_qa import _COLUMNS, _fmt
from desktop_rag.console import table
from desktop_rag.core.answer.consistency import count_others, is_unsteady, key_terms, same_answer
from desktop_rag.core.answer.grounding import check_grounding
from desktop_rag.core.answer.qa_scoring import (
    contains_gold,
    exact_match,
    holds_answer,
    summarise,
    token_f1,
)


def rescore(record: dict[str, Any], embedder: Any) -> dict[str, Any]:
    record = dict(record)
    text, golds, lang = record["answer"], record["answers"], record["lang"]
    passages = sorted(record["passages"], key=lambda p: p["number"])
    holds = {p["number"]: bool(golds) and p["document"] == record["document"]
             and holds_answer(p["text"], golds, lang) for p in passages}
    record["contains"] = bool(golds) and contains_gold(text, golds, lang)
    record["exact"] = bool(golds) and exact_match(text, golds, lang)
    record["f1"] = token_f1(text, golds, lang) if golds else 0.0
    record["citations"] = [{**c, "holds_answer": holds.get(c["number"], False)}
                           for c in record["citations"]]
    record["in_prompt"] = any(holds.values())
    if passages and not record.get("nothing_relevant"):
        grounding = check_grounding(text, [as_hit(p) for p in passages], record["question"],
                                    embedder)
        record["grounding"] = asdict(grounding)
        record["grounding_flagged"] = grounding.flagged
    draws = record.get("draws")
    if draws and not draws.get("error"):  # the draws compared again with the current rule
        keys = key_terms(text, record["question"])
        said = [same_answer(text, t, record["question"]) for t in draws["texts"]]
        others = count_others(draws["texts"], said)
        record["draws"] = {**draws, "keys": keys, "said": said, "agreeing": sum(said),
                           "others": others}
        record["unsteady"] = is_unsteady(others, len(said)) and not record["refused"]
        record["grounding_flagged"] = record.get("grounding_flagged") or record["unsteady"]
    return record


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run", type=Path, help="an eval-qa --json output")
    p.add_argument("--out", type=Path, help="write the rescored run")
    args = p.parse_args()
    run = json.loads(args.run.read_text(encoding="utf-8"))
    from desktop_rag.cli_commands import _embedder
    from desktop_rag.core.store.libraries import open_library

    embedder = _embedder(open_library(run["settings"]["library"]))
    records = [rescore(r, embedder) for r in run["answers"]]
    before, after = summarise(run["answers"]), summarise(records)
    rows = [[title, _fmt(key, before[key]), _fmt(key, after[key])] for key, title in _COLUMNS]
    print(table(["figure", "as stored", "rescored"], rows))
    changed = sum(a["contains"] != b["contains"] or a["grounding_flagged"] != b["grounding_flagged"]
                  for a, b in zip(run["answers"], records, strict=True))
    print(f"{args.run.name}: {len(records)} answers, {changed} scored or flagged differently")
    if args.out:
        languages = sorted({r["lang"] for r in records})
        run = {**run, "overall": after, "answers": records,
               **{lang: summarise([r for r in records if r["lang"] == lang])
                  for lang in languages}}
        args.out.write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
