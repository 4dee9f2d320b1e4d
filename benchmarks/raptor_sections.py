"""Do summary trees (RAPTOR) help questions about a whole document or a whole section?

tests/data/raptor_questions.jsonl holds 20 such questions on two long documents of
../shared/corpus (the EU AI Act, 144 pages; the DPR paper multi-column.pdf, 13 pages), each with
the pages it is about. Every question goes through the app's own ask() up to the built prompt
(no model is asked), once with the summary trees and once without, in the same run, and the
passages of the prompt are scored:

  coverage  the share of the question's pages that the prompt's passages of that document
            come from, counting only passages with at least half of their pages among them. A
            chunk comes from a page or two; a summary from the pages of all the chunks under it
            (its clusters group chunks by meaning, not by place); the summary of the whole
            document counts only for a question about the whole document.
  hit       coverage >= 50 %.
  in range  at least one passage of the prompt counts.

Build the trees first (desktop-rag raptor build, with the chat model), in a library holding both
documents:

    desktop-rag --library NAME import ../shared/corpus/eu_ai_act_official.pdf \
        ../shared/corpus/pdf/multi-column.pdf
    desktop-rag --library NAME raptor build
    python benchmarks/raptor_sections.py --library NAME [--k 6] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "raptor_questions.jsonl"


def prompt_passages(question: str, library, embedder, summaries: bool, k: int | None,  # type: ignore[no-untyped-def]
                    summary_k: int | None = None):
    from desktop_rag.core.answer.conversations import Conversation
    from desktop_rag.core.answer.rag import Answer, AskSettings, PromptReady, ask
    from desktop_rag.core.search.hits import SearchOptions

    search = SearchOptions(summaries=summaries).with_changes(k=k, summary_k=summary_k)
    hits = []
    events = ask(question, Conversation(), AskSettings(model="", search=search), library,
                 embedder, None)  # type: ignore[arg-type] - stopped before the model
    for event in events:
        if isinstance(event, PromptReady):
            hits = list(event.prompt.passages)
            events.close()
            break
        if isinstance(event, Answer):  # nothing relevant enough
            break
    return hits


def score(item: dict, hits) -> dict:  # type: ignore[no-untyped-def, type-arg]
    low, high = item["pages"]
    wanted = set(range(low, high + 1))
    inside = [h for h in hits if h.document == item["document"] and h.pages
              and len(set(h.pages) & wanted) >= len(set(h.pages)) / 2]
    covered = set()
    for hit in inside:
        covered |= set(hit.pages)
    coverage = len(covered & wanted) / len(wanted)
    return {"coverage": coverage, "hit": coverage >= 0.5, "in_range": bool(inside),
            "passages": [{"document": h.document, "pages": list(h.pages), "level": h.level,
                          "section": h.section} for h in hits],
            "summaries": sum(1 for h in hits if h.level)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", required=True)
    parser.add_argument("--k", type=int, help="passages per prompt (default: the app's)")
    parser.add_argument("--summary-k", type=int, help="summaries added at most (default: the "
                        "app's)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.store.libraries import open_library
    from desktop_rag.core.store.summaries import trees_by_document

    library = open_library(args.library)
    embedder = make_embedder(library.settings.embedding_model, library.settings.embed_batch_size)
    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    docs = {d.name: d for d in library.documents() if d.state == "imported"}
    trees = trees_by_document(library)
    for name in sorted({i["document"] for i in items}):
        if name not in docs:
            sys.exit(f"{name} is not in library '{args.library}': import it first")
        tree = trees.get(docs[name].doc_id)
        state = f"{tree.levels} levels, {len(tree.nodes)} summaries" if tree else "NO TREE"
        print(f"{name}: {docs[name].chunks} chunks; tree: {state}")
    rows, records = [], []
    for item in items:
        result = {}
        for summaries in (False, True):
            hits = prompt_passages(item["question"], library, embedder, summaries, args.k,
                                   args.summary_k)
            result["with" if summaries else "without"] = score(item, hits)
        records.append({**item, **result})
        w, t = result["without"], result["with"]
        rows.append(f"{item['id']} {item['about'][:24]:<24} p.{item['pages'][0]}-"
                    f"{item['pages'][1]:<4} coverage {w['coverage']:5.0%} -> {t['coverage']:5.0%}"
                    f"  ({t['summaries']} summaries in the prompt)")
    print("\n".join(rows))
    totals = {}
    for key in ("without", "with"):
        group = [r[key] for r in records]
        totals[key] = {
            "coverage_mean": statistics.fmean(g["coverage"] for g in group),
            "hit_rate": statistics.fmean(g["hit"] for g in group),
            "in_range_rate": statistics.fmean(g["in_range"] for g in group),
        }
        print(f"{key:>7} the trees: mean coverage {totals[key]['coverage_mean']:.1%}, hit "
              f"(coverage >= 50 %) {totals[key]['hit_rate']:.0%}, a passage in range "
              f"{totals[key]['in_range_rate']:.0%} ({len(group)} questions)")
    if args.json:
        args.json.write_text(json.dumps({"totals": totals, "questions": records},
                                        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
