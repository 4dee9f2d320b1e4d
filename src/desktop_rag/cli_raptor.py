"""`desktop-rag raptor`: build, show and remove the documents' summary trees (RAPTOR)."""

from __future__ import annotations

import argparse
import signal
import sys
import textwrap

from desktop_rag.cli_qa import EXIT_CANCELLED, EXIT_OK
from desktop_rag.core.errors import Cancelled, DesktopRagError


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("raptor", help="summary trees of documents (RAPTOR): build, show, remove")
    actions = p.add_subparsers(dest="raptor_command", metavar="ACTION")
    p.set_defaults(run=cmd_status)
    q = actions.add_parser("build", help="build the trees of some documents (default: all) with "
                           "the chat model; resumes an interrupted build")
    q.add_argument("docs", nargs="*", metavar="DOC")
    q.add_argument("--host", help="Ollama server (default: OLLAMA_HOST or 127.0.0.1:11434)")
    q.add_argument("--model", help="chat model (default: DESKTOP_RAG_MODEL, the library's "
                   "chat model, or Ollama's first)")
    q.add_argument("--budget", type=int, help="tokens of text per summary prompt (default 1800)")
    q.add_argument("--summary-tokens", type=int, help="longest summary, tokens (default 256)")
    q.set_defaults(run=cmd_build)
    q = actions.add_parser("show", help="print a document's tree, root first")
    q.add_argument("doc", metavar="DOC")
    q.add_argument("--full", action="store_true", help="whole summaries, and the prompt of one")
    q.set_defaults(run=cmd_show)
    q = actions.add_parser("status", help="which documents have a tree")
    q.set_defaults(run=cmd_status)
    q = actions.add_parser("remove", help="delete the trees of documents (default: all)")
    q.add_argument("docs", nargs="*", metavar="DOC")
    q.set_defaults(run=cmd_remove)


def _documents(library, refs: list[str]):  # type: ignore[no-untyped-def]
    from desktop_rag.core.store import schema as S

    if refs:
        return [library.find(r) for r in refs]
    return [d for d in library.documents() if d.state == S.IMPORTED]


def cmd_build(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from desktop_rag.cli_ask import _model
    from desktop_rag.cli_commands import _embedder, _library
    from desktop_rag.core.answer.ask_settings import load_ask_settings
    from desktop_rag.core.events import CancelToken
    from desktop_rag.core.llm.client import OllamaClient
    from desktop_rag.core.store.raptor import (
        SummaryProgress,
        SummaryWritten,
        TreeFinished,
        build_trees,
    )
    from desktop_rag.core.store.summary_prompt import load_summary_settings

    library = _library(args)
    docs = _documents(library, args.docs)
    client = OllamaClient(args.host)
    status = client.health()
    if not status.reachable:  # before anything is loaded or written
        raise DesktopRagError(f"{status.error}; nothing was changed")
    model = _model(args, client, load_ask_settings(library.folder).model)
    settings = load_summary_settings(library.folder)
    if args.budget:
        settings = replace(settings, budget=max(200, args.budget))
    if args.summary_tokens:
        settings = replace(settings, summary_tokens=max(32, args.summary_tokens))
    if settings.checked().budget != settings.budget:
        print(f"budget raised to {settings.checked().budget} tokens: three summaries of "
              f"{settings.summary_tokens} must fit in one prompt", file=sys.stderr)
    cancel = CancelToken()
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    written = 0
    print(f"building summary trees of {len(docs)} document(s) with {model}", file=sys.stderr)
    try:
        for event in build_trees(library, docs, _embedder(library), client, model, settings,
                                 cancel):
            if isinstance(event, SummaryProgress):
                speed = f", {event.tokens_per_s:.0f} tok/s" if event.tokens_per_s else ""
                left = f", about {_duration(event.seconds_left)} left" \
                    if event.seconds_left else ""
                print(f"\r{event.document[:40]}: level {event.level}, cluster "
                      f"{event.cluster}/{event.clusters}{speed}{left}\033[K", end="",
                      file=sys.stderr, flush=True)
            elif isinstance(event, SummaryWritten):
                written += 1
            elif isinstance(event, TreeFinished):
                print("\r\033[K", end="", file=sys.stderr)
                print(_finished(event))
    except Cancelled:
        print(f"\nstopped: {written} summaries written are kept; run the same command again "
              "to go on where it stopped", file=sys.stderr)
        return EXIT_CANCELLED
    finally:
        signal.signal(signal.SIGINT, previous)
    return EXIT_OK


def _finished(event) -> str:  # type: ignore[no-untyped-def]
    if event.skipped:
        return f"{event.document}: no tree ({event.skipped})"
    if event.written == 0:
        return f"{event.document}: tree already complete ({event.levels} levels, " \
               f"{event.summaries} summaries)"
    return (f"{event.document}: {event.levels} levels, {event.summaries} summaries "
            f"({event.written} written now) in {_duration(event.seconds)}; "
            f"{event.prompt_tokens:,} prompt tokens, {event.eval_tokens:,} written")


def _duration(seconds: float | None) -> str:
    seconds = int(seconds or 0)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def cmd_show(args: argparse.Namespace) -> int:
    from desktop_rag.cli_commands import _library
    from desktop_rag.console import _cell, _fit
    from desktop_rag.core.store.summaries import document_tree, summary_label

    library = _library(args)
    doc = library.find(args.doc)
    tree = document_tree(library, doc)
    if not tree.nodes:
        print(f"{doc.name} has no summary tree: `desktop-rag raptor build {doc.name}`")
        return EXIT_OK
    chunks = {c.chunk_id: c for c in library.chunks(doc)}
    state = "complete" if tree.complete else "incomplete (run build again to finish it)"
    print(f"{doc.name}: {tree.levels} levels, {len(tree.nodes)} summaries over "
          f"{len(chunks)} chunks, {state}")
    tops = [n for n in tree.nodes.values() if n.level == tree.levels]
    width = 200 if args.full else 90

    def show(chunk_id: str, depth: int) -> None:
        node = tree.nodes.get(chunk_id)
        indent = "  " * depth
        if node is not None:
            print(f"{indent}- {summary_label(node)} [{node.chunk_id}], "
                  f"{len(node.children)} children, {node.eval_tokens} tokens: "
                  f"{_fit(_cell(node.text), width)}")
            for child in node.children:
                show(child, depth + 1)
        elif chunk_id in chunks:
            c = chunks[chunk_id]
            print(f"{indent}- chunk {c.ordinal} ({c.token_count} tokens): "
                  f"{_fit(_cell(c.text), width - 20)}")

    for top in sorted(tops, key=lambda n: n.position):
        show(top.chunk_id, 0)
    if args.full and tree.root is not None:
        print(f"\nroot made by {tree.root.model} with this prompt:")
        print(textwrap.indent(tree.root.prompt, "    "))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from desktop_rag.cli_commands import _library
    from desktop_rag.console import table
    from desktop_rag.core.store.summaries import trees_by_document

    library = _library(args)
    trees = trees_by_document(library)
    docs = _documents(library, [])
    rows = [[d.name[:50], d.chunks, trees[d.doc_id].levels if d.doc_id in trees else "-",
             len(trees[d.doc_id].nodes) if d.doc_id in trees else "-",
             ("complete" if trees[d.doc_id].complete else "incomplete")
             if d.doc_id in trees else "none"] for d in docs]
    print(table(["document", "chunks", "levels", "summaries", "tree"], rows))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from desktop_rag.cli_commands import _library
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.summaries import remove_tree

    library = _library(args)
    removed = sum(remove_tree(library, d) for d in _documents(library, args.docs))
    maintain(library)
    print(f"{removed} summaries removed")
    return EXIT_OK
