"""Would a second look turn the model's own refusals into answers? Measured on an eval-qa run.

The llm-stack's 1.5B model answers "The documents do not say." to answerable questions whose
answer is in the best passage of its prompt. This replays, for every answer of an `eval-qa
--json` run that the model itself refused (not the relevance rule's "nothing relevant"):

1. the model check (core/answer/model_check) on the prompt's best passage alone: P(yes);
2. when P(yes) >= YES_NEEDED (the check would let an answer from it stand), the same question
   asked again with that passage alone in the app's prompt (same template, model and options).

A second answer from the passage the check accepted needs no second check: the check's prompt
is the passage and the question, whatever the answer. Prints, for answerable questions (right
answers won) and unanswerable ones (refusals lost), what the second look would change, and the
time it costs.

`--apply CHECKED.json OUT.json` takes the same run with the check applied
(benchmarks/model_check_replay.py --apply) and writes it as `eval-qa --model-check` records it
with the second look: refusals replaced by their second answers, scored again (the grounding
check without the embedder's borderline similarity), and prints the figures.

Run:  OLLAMA_HOST=... python benchmarks/second_look.py RUN.json [--model qwen2.5-coder:1.5b]
          [--out looks.json] [--apply RUN_checked.json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop_rag.cli_qa import _print_report
from desktop_rag.core.answer.citations import CITATION, cited_numbers, normalise_citations
from desktop_rag.core.answer.grounding import check_grounding
from desktop_rag.core.answer.model_check import YES_NEEDED, check_with_model
from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES, build_prompt
from desktop_rag.core.answer.qa_eval import QaReport
from desktop_rag.core.answer.qa_scoring import contains_gold, exact_match, summarise, token_f1
from desktop_rag.core.answer.refusal import says_not_in_documents
from desktop_rag.core.llm.client import ChatDone, GenerationOptions, OllamaClient
from desktop_rag.core.search.hits import Hit

NUM_CTX = 4096


def best_passage(record: dict[str, Any]) -> dict[str, Any]:
    return min(record["passages"], key=lambda p: p["rank"])


def as_hit(passage: dict[str, Any]) -> Hit:
    return Hit(chunk_id="", doc_id="", document=passage["document"], path="",
               text=passage["text"], pages=tuple(passage["pages"]), section=passage["section"],
               ordinal=0, token_count=0, rank=passage["rank"])


def look_again(record: dict[str, Any], library: str, client: OllamaClient, model: str,
               options: GenerationOptions) -> dict[str, Any]:
    passage = best_passage(record)
    check = check_with_model(record["question"], [passage["text"]], [passage["number"]],
                             client, model)
    row = {"id": record["id"], "unanswerable": record["is_impossible"],
           "holds_answer": passage["holds_answer"], "p_yes": check.p_yes,
           "check_s": check.seconds, "answer": None, "answer_s": 0.0}
    if check.p_yes is None or check.p_yes < YES_NEEDED:
        return row
    prompt = build_prompt(DEFAULT_TEMPLATES[record["lang"]], library, record["question"],
                          [as_hit(passage)], [], NUM_CTX, options.num_predict or 512)
    started = time.perf_counter()
    done = None
    for event in client.chat(prompt.messages, model, options):
        if isinstance(event, ChatDone):
            done = event
    # As ask() does: one passage was shown, so whatever it cites is that passage.
    text = CITATION.sub(f"[{passage['number']}]", normalise_citations(done.text)) if done else ""
    row.update(answer=text, answer_s=time.perf_counter() - started,
               refused_again=says_not_in_documents(text),
               contains=bool(record["answers"]) and contains_gold(text, record["answers"],
                                                                  record["lang"]))
    return row


def applied(checked: dict[str, Any], rows: list[dict[str, Any]]) -> QaReport:
    """The checked run with each refusal that got a second answer replaced by it."""
    looks = {r["id"]: r for r in rows}
    records = []
    for record in checked["answers"]:
        look = looks.get(record["id"])
        record = dict(record)
        if look is not None:
            passage = best_passage(record)
            record["model_check"] = {"passages": [passage["number"]], "p_yes": look["p_yes"],
                                     "verdict": "unclear" if look["p_yes"] is None
                                     else "yes" if look["p_yes"] >= YES_NEEDED else "no"}
        if look is not None and look["answer"] is not None:
            text, golds, lang = look["answer"], record["answers"], record["lang"]
            hits = [as_hit(p) for p in sorted(record["passages"], key=lambda p: p["number"])]
            grounding = check_grounding(text, hits, record["question"])
            record.update(
                answer=text, refused=look["refused_again"], second_look=True,
                contains=bool(golds) and contains_gold(text, golds, lang),
                exact=bool(golds) and exact_match(text, golds, lang),
                f1=token_f1(text, golds, lang) if golds else 0.0,
                citations=[{"number": passage["number"], "document": passage["document"],
                            "holds_answer": passage["holds_answer"]}]
                if cited_numbers(text) else [],
                written_citations=[], grounding=asdict(grounding),
                grounding_flagged=grounding.flagged)
        records.append(record)
    languages = sorted({r["lang"] for r in records})
    return QaReport(checked["set"], checked["model"], checked["settings"], summarise(records),
                    {lang: summarise([r for r in records if r["lang"] == lang])
                     for lang in languages}, records)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run", type=Path, help="an eval-qa --json output (model check off)")
    p.add_argument("--model", default="qwen2.5-coder:1.5b")
    p.add_argument("--host", default=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"))
    p.add_argument("--out", type=Path)
    p.add_argument("--apply", type=Path, nargs=2, metavar=("CHECKED", "OUT"),
                   help="the run with the check applied, and where to write it with the looks")
    args = p.parse_args()
    run = json.loads(args.run.read_text(encoding="utf-8"))
    generation = run["settings"]["generation"]
    options = GenerationOptions(temperature=generation.get("temperature"),
                                seed=generation.get("seed"), num_ctx=NUM_CTX,
                                num_predict=generation.get("num_predict"))
    client = OllamaClient(args.host)
    refused = [r for r in run["answers"] if r["refused"] and not r["nothing_relevant"]
               and not r["error"] and r["passages"]]
    print(f"== {args.run.name}: {len(refused)} of {len(run['answers'])} answers refused by the "
          f"model; second look by {args.model} at P(yes) >= {YES_NEEDED}")
    rows = []
    for i, record in enumerate(refused, 1):
        rows.append(look_again(record, run["settings"]["library"], client, args.model, options))
        r = rows[-1]
        p_yes = "-" if r["p_yes"] is None else f"{r['p_yes']:.2f}"
        print(f"[{i}/{len(refused)}] {'unanswerable' if r['unanswerable'] else 'answerable':<12} "
              f"p_yes {p_yes} "
              f"{(r['answer'] or '')[:90]}", file=sys.stderr)
    answerable = [r for r in rows if not r["unanswerable"]]
    impossible = [r for r in rows if r["unanswerable"]]
    looked = [r for r in rows if r["answer"] is not None]
    print(f"answerable refused: {len(answerable)}; the best passage holds the answer: "
          f"{sum(r['holds_answer'] for r in answerable)}; looked at again: "
          f"{sum(r['answer'] is not None for r in answerable)}; now answered: "
          f"{sum(r['answer'] is not None and not r['refused_again'] for r in answerable)}, "
          f"holding a gold answer: {sum(bool(r.get('contains')) for r in answerable)}")
    print(f"unanswerable refused: {len(impossible)}; looked at again: "
          f"{sum(r['answer'] is not None for r in impossible)}; now answered (a refusal lost): "
          f"{sum(r['answer'] is not None and not r['refused_again'] for r in impossible)}")
    checks = [r["check_s"] for r in rows]
    if checks:
        print(f"time: check median {statistics.median(checks):.1f} s over {len(checks)}; "
              f"second answer median "
              f"{statistics.median([r['answer_s'] for r in looked]) if looked else 0:.1f} s "
              f"over {len(looked)}")
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.apply:
        checked = json.loads(args.apply[0].read_text(encoding="utf-8"))
        report = applied(checked, rows)
        args.apply[1].write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1),
                                 encoding="utf-8")
        _print_report(report, report.records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
