"""Command line commands that search and ask: search, ask, models, eval."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
from pathlib import Path

from desktop_rag.cli_checks import print_checks, print_grounding
from desktop_rag.console import human_size, table
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.search.hits import SearchOptions

EXIT_OK, EXIT_INCOMPLETE = 0, 1


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search", help="search the library; a table of hits with every score")
    p.add_argument("question")
    _search_options(p)
    p.add_argument("--full", action="store_true", help="print each passage's whole text")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("ask", help="ask a question; the answer streams, then its sources")
    p.add_argument("question")
    _search_options(p)
    g = p.add_argument_group("generation")
    g.add_argument("--host", help="Ollama server (default: OLLAMA_HOST or 127.0.0.1:11434)")
    g.add_argument("--model", help="Ollama model (default: DESKTOP_RAG_MODEL or the first one)")
    g.add_argument("--temperature", type=float, help="0-2: higher is more varied")
    g.add_argument("--top-p", type=float, help="0-1: sample among the most likely tokens only")
    g.add_argument("--top-k", type=int)
    g.add_argument("--max-tokens", type=int, dest="num_predict", help="longest answer, tokens")
    g.add_argument("--num-ctx", type=int, help="context length sent to Ollama (default 4096)")
    g.add_argument("--seed", type=int, help="same seed, same answer")
    g.add_argument("--language", choices=["auto", "en", "fr"], default="auto",
                   help="language of the prompt (default: that of the question)")
    g.add_argument("--logprobs", action="store_true", help="ask for token log-probabilities")
    check = g.add_mutually_exclusive_group()
    check.add_argument("--model-check", action="store_true", default=None,
                       help="then ask the model whether the passage its answer cites answers "
                       "the question (one short request); if not, say it is not in the "
                       "documents (default: only for models of 1.5B parameters or more)")
    check.add_argument("--no-model-check", dest="model_check", action="store_false",
                       help="never ask the model to check its answer")
    g.add_argument("--draws", type=int, default=0, metavar="N",
                   help="then ask again N times with sampling (N short requests); if the model "
                   "mostly says something else, flag the answer as unsteady (default 0)")
    g.add_argument("--evidence", type=int, default=2, choices=range(4), metavar="N",
                   help="quote the N sentences of the passages closest to the question under "
                   "them, for small models that answer from the wrong sentence (0-3, default 2)")
    g.add_argument("--show-prompt", action="store_true", help="print the exact messages sent")
    g.add_argument("--conversation", metavar="ID", help="continue a conversation")
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("models", help="list Ollama's models; `models pull NAME` downloads one")
    p.add_argument("action", nargs="?", choices=["list", "pull"], default="list")
    p.add_argument("name", nargs="?")
    p.add_argument("--host")
    p.set_defaults(run=cmd_models)

    p = sub.add_parser("eval", help="measure retrieval on a BEIR-layout set (nDCG@10, recall...)")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--modes", default="keyword,dense,hybrid")
    p.add_argument("--max-queries", type=int, help="a fixed random sample of the queries")
    p.add_argument("--eval-library", help="library to import into or reuse (default eval-DIRNAME)")
    p.set_defaults(run=cmd_eval)


def _search_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("retrieval")
    g.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid")
    g.add_argument("--k", type=int, default=SearchOptions().k,
                   help=f"passages to retrieve (default {SearchOptions().k})")
    g.add_argument("--fusion", choices=["auto", "rrf", "weighted"], default="auto")
    g.add_argument("--dense-weight", type=float, help="weight of the dense list in a blend, 0-1")
    g.add_argument("--doc", action="append", metavar="DOC", help="search only this document")
    g.add_argument("--no-summaries", action="store_true",
                   help="leave out the summary trees (desktop-rag raptor build)")


def _search_settings(args: argparse.Namespace, library):  # type: ignore[no-untyped-def]
    docs = tuple(library.find(d).doc_id for d in args.doc or ())
    try:
        return SearchOptions(mode=args.mode, k=args.k, fusion=args.fusion,
                             dense_weight=args.dense_weight, documents=docs,
                             summaries=not args.no_summaries)
    except ValueError as exc:
        raise DesktopRagError(str(exc)) from exc


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop_rag.cli_commands import _embedder, _library

    if not args.question.strip():  # before anything loads
        raise DesktopRagError("the question is empty: write it between quotes, e.g. "
                              f'desktop-rag {args.command} "high-risk AI obligations"')

    library = _library(args)
    return library, _embedder(library)


def cmd_search(args: argparse.Namespace) -> int:
    from desktop_rag.core.search.retrieval import Retriever

    library, embedder = _open(args)
    result = Retriever(library, embedder).search(args.question, _search_settings(args, library))
    if result.library_empty:
        print(f"The library {library.name!r} has no documents yet: import some first with "
              "`desktop-rag import PATH`.", file=sys.stderr)
        return EXIT_OK
    _print_hits(result.hits, full=args.full)
    print(f"\n{result.fusion}; {result.candidates} candidates; "
          f"{result.timings_ms.get('total', 0):.0f} ms", file=sys.stderr)
    _print_index_notes(result)
    if result.hits and result.nothing_relevant:
        print("no passage reaches the relevance threshold: the documents probably do not "
              "contain this", file=sys.stderr)
    return EXIT_OK


def _print_index_notes(result) -> None:  # type: ignore[no-untyped-def]
    for note in result.index_notes:
        print(f"note: {note}", file=sys.stderr)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _print_hits(hits, full: bool = False) -> None:  # type: ignore[no-untyped-def]
    rows = [[h.rank, h.document[:28], h.page_label, _fmt(h.dense_score),
             _fmt(h.bm25_score, 2), h.dense_rank or "-", h.bm25_rank or "-",
             _fmt(h.fused_score), "yes" if h.relevant else "no",
             (f"[summary, level {h.level}] " if h.is_summary else "")
             + " ".join(h.text.split())[:60]] for h in hits]
    print(table(["#", "document", "page", "cosine", "bm25", "dense#", "bm25#", "fused",
                 "relevant", "text"], rows))
    if full:
        for h in hits:
            print(f"\n[{h.rank}] {h.document} {h.page_label} {h.section}")
            print(textwrap.indent(h.text.strip(), "    "))


def _client(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop_rag.core.llm.client import OllamaClient

    return OllamaClient(args.host)


def _model(args: argparse.Namespace, client, preferred: str = "") -> str:  # type: ignore[no-untyped-def]
    """--model, else DESKTOP_RAG_MODEL, else `preferred` when Ollama has it, else its first."""
    chosen = args.model or os.environ.get("DESKTOP_RAG_MODEL")
    if chosen:
        return chosen
    names = [m.name for m in client.list_models()]
    if not names:
        raise DesktopRagError("Ollama has no model yet: download one, for example "
                              "`desktop-rag models pull llama3.2:3b` (2.0 GB)")
    return preferred if preferred in names else names[0]


def cmd_ask(args: argparse.Namespace) -> int:
    from desktop_rag.core.answer.conversations import Conversation, ConversationStore
    from desktop_rag.core.answer.rag import AskSettings, ask
    from desktop_rag.core.events import CancelToken
    from desktop_rag.core.llm.client import GenerationOptions

    library, embedder = _open(args)
    client = _client(args)
    model = _model(args, client)
    try:
        generation = GenerationOptions(
            temperature=args.temperature, top_p=args.top_p, top_k=args.top_k,
            num_predict=args.num_predict, num_ctx=args.num_ctx, seed=args.seed)
    except ValueError as exc:
        raise DesktopRagError(str(exc)) from exc
    settings = AskSettings(model=model, generation=generation,
                           search=_search_settings(args, library), language=args.language,
                           logprobs=args.logprobs, top_logprobs=5 if args.logprobs else 0,
                           model_check=args.model_check, draws=max(args.draws, 0),
                           evidence=args.evidence)
    store = ConversationStore(library.folder)
    conversation = store.load(args.conversation) if args.conversation else Conversation()
    context_length = parameter_size = None
    try:
        details = client.show(model)
        context_length, parameter_size = details.context_length, details.parameter_size
    except DesktopRagError:
        pass  # the chat call reports a missing model or a dead server with the right words
    settings = settings.settled(parameter_size)
    answer = None
    cancel = CancelToken()
    previous = signal.getsignal(signal.SIGINT)

    def stop(signum, frame):  # type: ignore[no-untyped-def]
        # First Ctrl+C stops the answer and keeps what was written; a second one quits.
        signal.signal(signal.SIGINT, previous)
        cancel.cancel()

    signal.signal(signal.SIGINT, stop)
    try:
        events = ask(args.question, conversation, settings, library, embedder, client,
                     cancel=cancel, context_length=context_length)
        answer = _show_events(events, args)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert answer is not None
    if answer.nothing_relevant:
        print(answer.text)
    print()
    _print_sources(answer)
    store.save(conversation)
    print(f"conversation {conversation.id} (continue with --conversation {conversation.id})",
          file=sys.stderr)
    return EXIT_INCOMPLETE if answer.incomplete else EXIT_OK


def _show_events(events, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop_rag.core.answer.rag import (
        Answer,
        Checking,
        DrawingAgain,
        LookingAgain,
        PromptReady,
        Retrieved,
    )
    from desktop_rag.core.llm.client import TokenDelta

    answer = None
    for event in events:
        if isinstance(event, Retrieved):
            r = event.result
            print(f"[{len(r.relevant_hits)} relevant passage(s) of {len(r.hits)} in "
                  f"{r.timings_ms.get('total', 0):.0f} ms; {r.fusion}]", file=sys.stderr)
            _print_index_notes(r)
        elif isinstance(event, PromptReady) and args.show_prompt:
            _print_prompt(event)
        elif isinstance(event, TokenDelta):
            print(event.text, end="", flush=True)
        elif isinstance(event, Checking):
            print("\n[checking the answer with the model (Ctrl+C skips)...]", file=sys.stderr,
                  flush=True)
        elif isinstance(event, DrawingAgain):
            print(f"\n[asking again {event.draws} time(s) to see whether the answer holds "
                  "(Ctrl+C skips)...]", file=sys.stderr, flush=True)
        elif isinstance(event, LookingAgain):
            print(f"[the check says that [{event.passage}] answers: asking again with that "
                  "passage alone...]", file=sys.stderr, flush=True)
        elif isinstance(event, Answer):
            answer = event
    return answer


def _print_prompt(event) -> None:  # type: ignore[no-untyped-def]
    b = event.prompt.budget
    print(f"--- prompt: options {event.options}", file=sys.stderr)
    print(f"--- budget (estimated tokens): system {b.system}, history {b.history}, passages "
          f"{b.passages}, question {b.question}, answer {b.reserved_for_answer}, room left "
          f"{b.room_left} of num_ctx {b.num_ctx}", file=sys.stderr)
    for message in event.prompt.messages:
        print(f"--- {message['role']}\n{message['content']}", file=sys.stderr)
    if event.prompt.truncated:
        print(f"--- left out for lack of context: {len(event.prompt.dropped_passages)} "
              f"passage(s), {event.prompt.dropped_turns} earlier turn(s)", file=sys.stderr)
    print("--- answer", file=sys.stderr, flush=True)


def _print_sources(answer) -> None:  # type: ignore[no-untyped-def]
    if answer.citations:
        print("Sources:")
        for c in answer.citations:
            print(f"  [{c.number}] {c.hit.document}, {c.hit.page_label or 'no page'}"
                  + (f" — {c.hit.section}" if c.hit.section else ""))
    elif not answer.not_in_documents:
        print("(the answer cites no passage)")
    print_checks(answer)
    if answer.unresolved:
        print(f"note: the model cited passage(s) {answer.unresolved} that do not exist")
    print_grounding(answer)
    notes = []
    if answer.time_to_first_token_s is not None:
        notes.append(f"first token {answer.time_to_first_token_s:.1f} s")
    if answer.tokens_per_second:
        notes.append(f"{answer.tokens_per_second:.0f} tokens/s")
    if answer.perplexity:
        notes.append(f"perplexity {answer.perplexity:.2f}")
    if answer.dropped_passages or answer.dropped_turns:
        notes.append(f"left out for lack of context: {answer.dropped_passages} passage(s), "
                     f"{answer.dropped_turns} turn(s)")
    if answer.incomplete:
        notes.append("INCOMPLETE: " + (answer.error or answer.done_reason or "stopped"))
    if notes:
        print(f"[{answer.model}; " + "; ".join(notes) + "]", file=sys.stderr)


def cmd_models(args: argparse.Namespace) -> int:
    client = _client(args)
    if args.action == "pull":
        if not args.name:
            raise DesktopRagError("name the model to pull, for example: models pull llama3.2:3b")
        for progress in client.pull(args.name):
            fraction = progress.fraction
            bar = f" {fraction * 100:5.1f}%" if fraction is not None else ""
            print(f"\r{progress.status[:50]:50}{bar}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        return EXIT_OK
    status = client.health()
    if not status.reachable:
        raise DesktopRagError(status.error or f"Ollama is not reachable at {status.host}")
    rows = [[m.name, human_size(m.size), m.family or "", m.parameter_size or "",
             m.quantization or ""] for m in client.list_models()]
    print(table(["model", "size", "family", "parameters", "quantization"], rows))
    print(f"Ollama {status.version} at {status.host}", file=sys.stderr)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.language import detect_language
    from desktop_rag.core.search.evaluation import (
        EvalProgress,
        evaluate,
        load_beir,
        load_into_library,
    )
    from desktop_rag.core.settings import LibrarySettings
    from desktop_rag.core.store.libraries import create_library, list_libraries, open_library

    beir = load_beir(args.dir)
    name = args.eval_library or f"eval-{beir.name}"
    if name in list_libraries():
        library = open_library(name)
    else:
        language = detect_language(t + " " + x for t, x in beir.corpus.values())
        library = create_library(name, LibrarySettings(language=language))
    embedder = make_embedder(library.settings.embedding_model, library.settings.embed_batch_size)
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    print(f"{beir.name}: {len(beir.corpus)} documents, {len(beir.queries)} queries; library "
          f"'{name}' ({library.settings.language})", file=sys.stderr)
    report = None
    for event in load_into_library(library, beir, embedder):
        print(f"\r{event.stage} {event.done}/{event.total}   ", end="", file=sys.stderr, flush=True)
    for event in evaluate(library, beir, embedder, modes, max_queries=args.max_queries):
        if isinstance(event, EvalProgress):
            print(f"\r{event.stage} {event.detail} {event.done}/{event.total}   ", end="",
                  file=sys.stderr, flush=True)
        else:
            report = event
    print(file=sys.stderr)
    assert report is not None
    rows = [[m.mode, f"{m.ndcg10:.3f}", f"{m.recall10:.3f}", f"{m.recall100:.3f}",
             f"{m.mrr10:.3f}", f"{m.p50_ms:.1f}", f"{m.p95_ms:.1f}", m.fusion]
            for m in report.modes]
    print(table(["mode", "nDCG@10", "R@10", "R@100", "MRR@10", "p50 ms", "p95 ms", "fusion"],
                rows))
    print(f"{report.queries} queries, {report.documents} documents, {report.chunks} chunks; "
          f"query embedding {report.embed_ms_per_query:.1f} ms each (batched, not in p50/p95)")
    return EXIT_OK
