"""`desktop-rag eval-qa FILE.jsonl`: measure answers end to end on a question-answering set;
`desktop-rag eval-library`: how well search finds the library's own chunks."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from desktop_rag.console import ImportProgress, table
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.search.hits import SearchOptions

EXIT_OK, EXIT_CANCELLED = 0, 130
_COLUMNS = [("in_prompt", "in prompt"), ("contains", "contains"), ("exact", "exact"),
            ("f1", "F1"), ("cited", "cited"), ("citation_precision", "cit. prec."),
            ("refused_unanswerable", "refused unans."), ("refused_answerable", "refused ans."),
            ("wrong_language", "wrong lang."), ("grounding_flags_wrong", "flags wrong"),
            ("grounding_flags_right", "flags right"), ("ttft_median_s", "TTFT s"),
            ("tokens_per_s", "tok/s")]


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("eval-qa", help="measure answers on a QA set (JSONL of ../shared/bench/qa): "
                       "answer found, citations, refusals, language, time to first token")
    p.add_argument("file", type=Path, metavar="FILE.jsonl")
    p.add_argument("--max-questions", type=int, metavar="N",
                   help="a fixed sample of N questions (the same one every run)")
    p.add_argument("--host", help="Ollama server (default: OLLAMA_HOST or 127.0.0.1:11434)")
    p.add_argument("--model", help="Ollama model (default: DESKTOP_RAG_MODEL or the first one)")
    p.add_argument("--temperature", type=float, help="0-2 (default: the model's)")
    p.add_argument("--seed", type=int, help="same seed, same answers")
    p.add_argument("--k", type=int, help=f"passages to retrieve (default {SearchOptions().k})")
    p.add_argument("--max-tokens", type=int, dest="num_predict", help="longest answer, tokens")
    p.add_argument("--eval-library", help="library to import into or reuse "
                   "(default eval-qa-FILENAME)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the figures and every answer")
    p.add_argument("--retrieval-only", action="store_true",
                   help="only whether the passage holding the answer reaches the prompt: no "
                   "model is asked (seconds per question instead of minutes)")
    p.add_argument("--no-summaries", action="store_true",
                   help="leave out the summary trees (desktop-rag raptor build)")
    check = p.add_mutually_exclusive_group()
    check.add_argument("--model-check", action="store_true", default=None,
                       help="after each answer, ask the model whether the passage it cites "
                       "answers the question (one short request each), as the app's setting "
                       "does (default: as the app's automatic setting, for models of 1.5B "
                       "parameters or more)")
    check.add_argument("--no-model-check", dest="model_check", action="store_false",
                       help="no model check")
    p.add_argument("--draws", type=int, default=0, metavar="N",
                   help="after each answer, ask again N times with sampling and flag the "
                   "answer as unsteady when the model mostly says something else (default 0)")
    p.add_argument("--evidence", type=int, default=2, choices=range(4), metavar="N",
                   help="quote the N sentences of the passages closest to the question under "
                   "them, for small models that answer from the wrong sentence (0-3, default 2)")
    p.add_argument("--logprobs", action="store_true",
                   help="record the log-probabilities of each answer's tokens (5 alternatives "
                   "each), for measuring how sure the model was of right and wrong answers")
    p.set_defaults(run=cmd_eval_qa)

    p = sub.add_parser("eval-library", help="check search on this library: questions written "
                       "from its own chunks, how often each chunk comes back, per document")
    p.add_argument("--questions", type=int, default=30, metavar="N",
                   help="chunks to write a question from, spread over the documents (default 30)")
    p.add_argument("--no-model", action="store_true",
                   help="questions from key sentences, without the chat model (fast)")
    p.add_argument("--host", help="Ollama server (default: OLLAMA_HOST or 127.0.0.1:11434)")
    p.add_argument("--model", help="chat model writing the questions (default: "
                   "DESKTOP_RAG_MODEL or the first one)")
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid")
    p.add_argument("--k", type=int, default=SearchOptions().k,
                   help=f"passages retrieved per question (default {SearchOptions().k})")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the figures and every question")
    p.set_defaults(run=cmd_eval_library)


def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in ("ttft_median_s", "tokens_per_s"):
        return f"{value:.1f}"
    return f"{value:.3f}" if key == "f1" else f"{100 * value:.1f}%"


def _progress(done: int, total: int, question: str, started: float) -> None:
    if not sys.stderr.isatty():
        if question:
            print(f"[{done + 1}/{total}] {question}", file=sys.stderr, flush=True)
        return
    width = shutil.get_terminal_size((100, 20)).columns
    bar = "#" * int(20 * done / total) if total else ""
    elapsed = time.monotonic() - started
    left = f", ~{elapsed / done * (total - done) / 60:.0f} min left" if done else ""
    text = f"[{bar:<20}] {done}/{total}{left} {question}"
    sys.stderr.write("\r" + text[: width - 1].ljust(width - 1))
    sys.stderr.flush()


def _prepare(args: argparse.Namespace, qa):  # type: ignore[no-untyped-def]
    from desktop_rag.cli_commands import _embedder
    from desktop_rag.core.answer.qa_eval import library_name
    from desktop_rag.core.settings import LibrarySettings
    from desktop_rag.core.store.importer import import_paths
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.libraries import create_library, list_libraries, open_library

    name = args.eval_library or library_name(qa)
    if name in list_libraries():
        library = open_library(name)
    else:
        library = create_library(name, LibrarySettings(language=qa.language))
    embedder = _embedder(library)
    print(f"{qa.name}: {len(qa.items)} questions; library '{name}' ({library.settings.language})"
          f", documents from {', '.join(str(f) for f in qa.folders)}", file=sys.stderr)
    progress = ImportProgress()
    failed = 0
    for event in import_paths(library, qa.folders, embedder):
        progress(event)
        failed += type(event).__name__ == "FileFailed"
    if failed:
        print(f"warning: {failed} document(s) failed to import", file=sys.stderr)
    maintain(library)
    return library, embedder


def cmd_eval_qa(args: argparse.Namespace) -> int:
    from desktop_rag.cli_ask import _client, _model
    from desktop_rag.core.answer.qa_eval import (
        QaProgress,
        evaluate_qa,
        load_qa,
        make_report,
        sample,
    )
    from desktop_rag.core.answer.rag import AskSettings
    from desktop_rag.core.events import CancelToken
    from desktop_rag.core.llm.client import GenerationOptions
    from desktop_rag.core.search.retrieval import SearchOptions

    qa = load_qa(args.file)
    items = sample(qa.items, args.max_questions)
    answers = not args.retrieval_only
    client = _client(args) if answers else None
    model = _model(args, client) if answers else (args.model or "")
    try:
        generation = GenerationOptions(temperature=args.temperature, seed=args.seed,
                                       num_predict=args.num_predict)
        search = SearchOptions(summaries=not args.no_summaries)
        search = search.with_changes(k=args.k)
    except ValueError as exc:
        raise DesktopRagError(str(exc)) from exc
    library, embedder = _prepare(args, qa)
    settings = AskSettings(model=model, generation=generation, search=search,
                           model_check=args.model_check, draws=max(args.draws, 0),
                           evidence=args.evidence,
                           logprobs=args.logprobs,
                           top_logprobs=5 if args.logprobs else 0)
    context_length = parameter_size = None
    try:
        if client is not None:
            details = client.show(model)
            context_length, parameter_size = details.context_length, details.parameter_size
    except DesktopRagError:
        pass  # the first question reports a missing model or a dead server
    settings = settings.settled(parameter_size)
    cancel = CancelToken()
    report = None
    started = time.monotonic()
    events = evaluate_qa(qa, items, library, embedder, client, settings, cancel,  # type: ignore[arg-type]
                         context_length, answers)
    try:
        for event in events:
            if isinstance(event, QaProgress):
                _progress(event.done, event.total, event.question[:60], started)
                if args.json and event.records:  # a run cut short keeps its answers
                    _write(args.json, make_report(qa, settings, library.name,
                                                  list(event.records)))
            else:
                report = event
    except KeyboardInterrupt:
        cancel.cancel()
        events.close()
        print("\ncancelled", file=sys.stderr)
        return EXIT_CANCELLED
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    assert report is not None
    if answers:
        _print_report(report, items)
    else:
        rows = [[name, f["questions"], _fmt("in_prompt", f["in_prompt"])]
                for name, f in [*report.languages.items(), ("overall", report.overall)]]
        print(table(["set", "questions", "in prompt"], rows))
        summaries = "with" if settings.search.summaries else "without"
        print(f"{report.name}: passages only (no model asked), {summaries} summary trees, "
              f"k={settings.search.k}")
    if args.json:
        _write(args.json, report)
        print(f"figures and answers written to {args.json}", file=sys.stderr)
    return EXIT_OK


def _write(path: Path, report) -> None:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1),
                       encoding="utf-8")
    partial.replace(path)


def _print_report(report, items) -> None:  # type: ignore[no-untyped-def]
    groups = [*report.languages.items(), ("overall", report.overall)]
    rows = [[name, f["questions"], *(_fmt(k, f[k]) for k, _ in _COLUMNS)] for name, f in groups]
    print(table(["set", "questions", *(title for _, title in _COLUMNS)], rows))
    overall = report.overall
    print(f"{report.name}, model {report.model}, {len(items)} questions "
          f"({overall['answerable']} answerable, {overall['unanswerable']} not); "
          f"options {report.settings['generation']}, "
          f"model check {'on' if report.settings['model_check'] else 'off'}, "
          f"drawn again {report.settings['draws']} time(s)")
    if overall["errors"]:
        print(f"{overall['errors']} answer(s) failed: see their 'error' in --json")


def cmd_eval_library(args: argparse.Namespace) -> int:
    from desktop_rag.cli_ask import _client, _model
    from desktop_rag.cli_commands import _embedder, _library
    from desktop_rag.core.answer.search_check import CheckProgress, check_search_quality
    from desktop_rag.core.events import CancelToken
    from desktop_rag.core.search.hits import SearchOptions

    if args.questions < 1:
        raise DesktopRagError("--questions must be at least 1")
    try:
        options = SearchOptions(mode=args.mode, k=args.k)
    except ValueError as exc:
        raise DesktopRagError(str(exc)) from exc
    library = _library(args)
    client = model = None
    if not args.no_model:
        client = _client(args)
        status = client.health()
        if status.reachable:
            model = _model(args, client)
        else:
            print(f"{status.error}\nThe questions are written from key sentences instead "
                  "(--no-model says so without asking Ollama).", file=sys.stderr)
            client = None
    embedder = _embedder(library)
    cancel = CancelToken()
    report = None
    started = time.monotonic()
    events = check_search_quality(library, embedder, options, args.questions, client, model,
                                  cancel)
    try:
        for event in events:
            if isinstance(event, CheckProgress):
                what = "writing a question" if event.stage == "writing" else "searching"
                _progress(event.done, event.total, f"{what}: {event.document}"[:60], started)
            else:
                report = event
    except KeyboardInterrupt:
        cancel.cancel()
        report = next((e for e in events if not isinstance(e, CheckProgress)), None)
        print("\ncancelled: the figures below are those measured so far", file=sys.stderr)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if report is None or not report.probes:
        print(f"library '{library.name}' has no chunk to write a question from: import "
              "documents first", file=sys.stderr)
        return 1
    _print_check(report)
    if args.json:
        _write(args.json, report)
        print(f"figures and questions written to {args.json}", file=sys.stderr)
    return EXIT_CANCELLED if report.cancelled else EXIT_OK


def _print_check(report) -> None:  # type: ignore[no-untyped-def]
    percent = lambda share: "-" if share is None else f"{100 * share:.0f}%"  # noqa: E731
    rows = [[d.document, d.questions, percent(d.first), percent(d.in_prompt), ", ".join(d.hints)]
            for d in report.documents]
    print(table(["document", "questions", "first", "in prompt", "note"], rows,
                max_width={0: 50}))
    print(f"{len(report.probes)} questions ({report.writer}), {report.options['mode']} search, "
          f"k={report.options['k']}: the source chunk came first for {percent(report.first)}, "
          f"was among the passages of the prompt for {percent(report.in_prompt)} "
          f"({report.seconds:.0f} s)")
    if report.writer == "key sentences":
        print("Questions made of a chunk's own key words are easier than a person's: "
              "with a chat model (Ollama), the questions are written in other words.")
    if report.worst:
        print("Worst documents: " + "; ".join(
            f"{d.document} (first {percent(d.first)}, in prompt {percent(d.in_prompt)}"
            + (f", {', '.join(d.hints)})" if d.hints else ")") for d in report.worst))
