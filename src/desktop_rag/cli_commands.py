"""What each command line command does; all work is done by the core."""

from __future__ import annotations

import argparse
import sys
import time

from desktop_rag.console import ImportProgress, human_size, table
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.settings import ChunkingSettings

EXIT_OK, EXIT_FAILED_FILES = 0, 1


def _library(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop_rag.core.store.libraries import open_library

    return open_library(args.library)


def _embedder(library):  # type: ignore[no-untyped-def]
    from desktop_rag.core.embed.factory import make_embedder

    return make_embedder(library.settings.embedding_model, library.settings.embed_batch_size)


def _chunking(args: argparse.Namespace, base: ChunkingSettings) -> ChunkingSettings | None:
    changes = {
        "strategy": args.strategy,
        "max_tokens": args.max_tokens,
        "overlap_tokens": args.overlap,
        "separator": args.separator,
    }
    if all(v is None for v in changes.values()):
        return None
    try:
        return base.with_changes(**changes)
    except ValueError as exc:
        raise DesktopRagError(str(exc)) from exc


def _maintain(library) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.core.store.indexes import maintain

    print("updating search indexes...", file=sys.stderr, flush=True)
    try:
        maintain(library)
    except DesktopRagError as error:
        # Documents are stored; only the indexes wait for the next run.
        print(f"search indexes not updated: {error.user_message}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from desktop_rag.core.errors import NOT_FOUND
    from desktop_rag.core.events import (
        CancelToken,
        FileFailed,
        ImportFinished,
        ImportSummary,
    )
    from desktop_rag.core.ingest.detect import discover

    # The paths are checked before the library and the models load (those take seconds to
    # tens of seconds): a mistyped name is reported at once.
    files, missing = discover(args.paths)
    not_found = [FileFailed(path, NOT_FOUND) for path in missing]
    for failure in not_found:
        print(f"FAILED    {failure.path}: {failure.reason}", file=sys.stderr, flush=True)
    if not files:
        _print_import_summary(ImportSummary(failed=not_found))
        return EXIT_FAILED_FILES if not_found else EXIT_OK
    from desktop_rag.core.store.importer import import_paths

    library = _library(args)
    chunking = _chunking(args, library.settings.chunking)
    progress = ImportProgress()
    cancel = CancelToken()
    summary = None
    embedder = _embedder(library)
    present = [path for path in args.paths if path.expanduser() not in missing]
    events = import_paths(library, present, embedder, cancel, chunking)
    try:
        for event in events:
            progress(event)
            if isinstance(event, ImportFinished):
                summary = event.summary
    except KeyboardInterrupt:
        cancel.cancel()
        events.close()
        print("\ncancelled: the files finished so far are in the library", file=sys.stderr)
        return 130
    assert summary is not None
    summary.failed[:0] = not_found
    _print_import_summary(summary)
    if summary.imported and not args.no_index:
        _maintain(library)
    if summary.imported:
        _advise_language(library, embedder.model_id)
    return EXIT_FAILED_FILES if summary.failed else EXIT_OK


def _print_import_summary(summary) -> None:  # type: ignore[no-untyped-def]
    rows = [[e.path.name, "imported", e.pages, e.chunks, ""] for e in summary.imported]
    rows += [[e.path.name, "skipped", None, None, e.reason] for e in summary.skipped]
    rows += [[e.path.name, "failed", None, None, e.reason] for e in summary.failed]
    print(table(["file", "outcome", "pages", "chunks", "reason"], rows, {0: 48, 4: 90}))
    print(
        f"\n{len(summary.imported)} imported ({summary.chunks} chunks), "
        f"{len(summary.skipped)} skipped, {len(summary.failed)} failed "
        f"in {summary.seconds:.1f} s"
    )


def _advise_language(library, embedder: str) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.core.settings import LANGUAGES
    from desktop_rag.core.store.language_advice import language_advice

    advice = language_advice(library, embedder)
    if advice is None:
        return
    language = LANGUAGES.get(advice.documents_language, advice.documents_language)
    print(f"\nnote: {advice.in_that_language} of {advice.documents} documents are in {language}.",
          file=sys.stderr)
    if advice.library_language_differs:
        print(f"  This library stems keyword search for "
              f"{LANGUAGES.get(advice.library_language, advice.library_language)}: "
              f"desktop-rag library set-language {advice.documents_language}", file=sys.stderr)
    if not advice.embedder_reads_it and advice.suggested_model:
        print(f"  The embedding model {advice.embedder} reads English only, so search by meaning "
              "works poorly on them (keyword search carries the ranking). The multilingual "
              "model on this computer reads them (re-embeds the library): "
              f"desktop-rag library set-model {advice.suggested_model}", file=sys.stderr)
    elif not advice.embedder_reads_it:
        print(f"  The embedding model {advice.embedder} reads English only, so search by meaning "
              "works poorly on them (keyword search carries the ranking). A multilingual model "
              "helps: desktop-rag library set-model PATH-OR-NAME (a sentence-transformers model, "
              "e.g. paraphrase-multilingual-MiniLM-L12-v2) or ollama:bge-m3 after "
              "`ollama pull bge-m3`.", file=sys.stderr)


def cmd_docs(args: argparse.Namespace) -> int:
    library = _library(args)
    docs = [d for d in library.documents() if not args.state or d.state == args.state]
    if not docs:
        print(f"library '{library.name}' has no documents yet: desktop-rag import PATH")
        return EXIT_OK
    rows = []
    for d in docs:
        detail = d.error or (f"duplicate of {d.duplicate_of}" if d.duplicate_of else d.warnings)
        rows.append([d.short_id or "-", d.name, d.file_type, d.pages, d.chunks, d.state, detail])
    print(table(["id", "name", "type", "pages", "chunks", "state", "error / note"], rows,
                {1: 44, 6: 80}))
    return EXIT_OK


def cmd_chunks(args: argparse.Namespace) -> int:
    from desktop_rag.core.store import schema as S

    library = _library(args)
    doc = library.find(args.doc)
    if doc.state != S.IMPORTED:
        raise DesktopRagError(f"'{doc.name}' is {doc.state}: {doc.error or doc.duplicate_of}")
    chunks = library.chunks(doc)
    if args.grep:
        chunks = [c for c in chunks if args.grep.lower() in c.text.lower()]
    settings = ChunkingSettings.from_json(doc.chunking) if doc.chunking else None
    print(f"{doc.name}: {doc.chunks} chunks, {doc.pages or '-'} pages, chunking {settings}\n")
    if args.full:
        for c in chunks:
            pages = ",".join(map(str, c.pages)) or "-"
            print(f"--- #{c.ordinal}  page {pages}  {c.token_count} tokens  § {c.section}")
            print(c.text + "\n")
        return EXIT_OK
    rows = [
        [c.ordinal, _pages(c.pages), c.section, c.token_count, c.char_count, c.text]
        for c in chunks
    ]
    print(table(["#", "page", "section", "tokens", "chars", "text"], rows, {2: 30, 5: 60}))
    return EXIT_OK


def _pages(pages: tuple[int, ...]) -> str:
    if not pages:
        return "-"
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"


def cmd_remove(args: argparse.Namespace) -> int:
    library = _library(args)
    doc = library.find(args.doc)
    removed = library.remove(doc)
    extra = f" and {removed - 1} duplicate record(s)" if removed > 1 else ""
    print(f"removed {doc.name} ({doc.chunks} chunks){extra}")
    return EXIT_OK


def cmd_rechunk(args: argparse.Namespace) -> int:
    from desktop_rag.core.store import schema as S
    from desktop_rag.core.store.rechunk import preview_chunks, rechunk_document

    library = _library(args)
    doc = library.find(args.doc)
    if doc.state != S.IMPORTED:
        raise DesktopRagError(f"'{doc.name}' is {doc.state}: only imported documents have chunks")
    base = ChunkingSettings.from_json(doc.chunking) if doc.chunking else library.settings.chunking
    settings = None if args.default else _chunking(args, base)
    if settings is None and not args.default:
        raise DesktopRagError("say how to chunk: --strategy, --max-tokens, --overlap, --separator")
    embedder = _embedder(library)
    if args.preview:
        chunks = preview_chunks(library, doc, settings or library.settings.chunking, embedder)
        rows = [[c.ordinal, _pages(c.pages), c.section, c.token_count, c.text] for c in chunks]
        print(table(["#", "page", "section", "tokens", "text"], rows, {2: 30, 4: 70}))
        print(f"\n{len(chunks)} chunks (now {doc.chunks}); nothing was changed")
        return EXIT_OK
    started = time.perf_counter()
    updated = doc
    for item in rechunk_document(library, doc, settings, embedder):
        if isinstance(item, S.DocumentRecord):
            updated = item
    print(f"{doc.name}: {doc.chunks} -> {updated.chunks} chunks "
          f"in {time.perf_counter() - started:.1f} s")
    _maintain(library)
    return EXIT_OK


def cmd_library_list(args: argparse.Namespace) -> int:
    from desktop_rag.core.store.libraries import current_library_name, list_libraries, open_library

    names = list_libraries() or [open_library().name]
    current = args.library or current_library_name()
    for name in names:
        print(("* " if name == current else "  ") + name)
    return EXIT_OK


def cmd_library_create(args: argparse.Namespace) -> int:
    from desktop_rag.core.settings import LibrarySettings
    from desktop_rag.core.store.libraries import create_library, select_library

    settings = LibrarySettings(language=args.language)
    if args.model:
        settings.embedding_model = args.model
    settings.chunking = _chunking(args, settings.chunking) or settings.chunking
    library = create_library(args.name, settings, args.location)
    if args.select:
        select_library(args.name)
    where = f"{library.folder}" + (f", its tables in {library.location}"
                                   if library.location else "")
    if library.location and library.model:
        where += f" (joined: {library.model['id']}, {library.settings.language})"
    print(f"created library '{library.name}' in {where}"
          + (" (now current)" if args.select else ""))
    return EXIT_OK


def cmd_library_select(args: argparse.Namespace) -> int:
    from desktop_rag.core.store.libraries import select_library

    select_library(args.name)
    print(f"'{args.name}' is now the current library")
    return EXIT_OK


def cmd_library_show(args: argparse.Namespace) -> int:
    stats = _library(args).stats()
    model = stats["model"] or {"id": "(bound at the first import)", "dimension": "-"}
    rows = [
        ["library", stats["name"]],
        ["folder", stats["folder"]],
        ["tables in", stats["location"] or stats["folder"]],
        ["documents", f"{stats['documents']} imported, {stats['failed']} failed, "
                      f"{stats['duplicates']} duplicates"],
        ["chunks", stats["chunks"]],
        ["size on disk", human_size(stats["bytes"])],
        ["embedding model", f"{model['id']} ({model['dimension']} dimensions)"],
        ["language", stats["language"]],
        ["chunking", stats["chunking"]],
    ]
    print(table(["", ""], rows))
    return EXIT_OK


def cmd_library_set_chunking(args: argparse.Namespace) -> int:
    library = _library(args)
    settings = _chunking(args, library.settings.chunking)
    if settings is None:
        raise DesktopRagError("say how to chunk: --strategy, --max-tokens, --overlap, --separator")
    with library.writing():
        library.settings.chunking = settings
        library.save_meta()
    print(f"new imports of '{library.name}' will use {settings}; "
          "existing documents keep theirs (desktop-rag rechunk DOC --default to update one)")
    return EXIT_OK


def cmd_library_set_language(args: argparse.Namespace) -> int:
    from desktop_rag.core.store.language_advice import set_library_language

    library = _library(args)
    set_library_language(library, args.language)
    print(f"library '{library.name}' now stems and weighs its search for {args.language}")
    return EXIT_OK


def cmd_library_set_model(args: argparse.Namespace) -> int:
    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.store.rechunk import reembed_library

    library = _library(args)
    embedder = make_embedder(args.model, library.settings.embed_batch_size)
    # multilingual-e5-small is converted once; any local model is exported once for OpenVINO.
    if hasattr(embedder, "conversion_progress"):
        embedder.conversion_progress = lambda done, total, what: print(
            f"preparing {embedder.model_id} ({done}/{total}): {what}", file=sys.stderr)
    started = time.perf_counter()
    chunks = 0
    for event in reembed_library(library, embedder):
        if event.done == event.total:
            chunks += event.total
            print(f"re-embedded {event.path} ({event.total} chunks)", file=sys.stderr)
    print(f"library '{library.name}' now uses {embedder.model_id}: {chunks} chunks re-embedded "
          f"in {time.perf_counter() - started:.1f} s")
    _maintain(library)
    return EXIT_OK
