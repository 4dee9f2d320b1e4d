"""The command line: import documents, list them and their chunks, manage libraries.

    desktop-rag import PATH...        desktop-rag docs          desktop-rag chunks DOC
    desktop-rag remove DOC            desktop-rag rechunk DOC   desktop-rag library ...
    desktop-rag search "question"     desktop-rag ask "question"  desktop-rag models [pull NAME]
    desktop-rag eval DIR
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from desktop_rag import __version__
from desktop_rag.core.errors import DesktopRagError

EXIT_OK, EXIT_FAILED_FILES, EXIT_ERROR, EXIT_CANCELLED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a tool killed by it


def main(argv: list[str] | None = None) -> int:
    """No traceback for any input: errors are one line; a reader that closes the pipe early
    (`desktop-rag chunks DOC | head`) ends the command quietly, like other Unix tools."""
    try:
        try:
            return _main(argv)
        finally:
            # A short output still sits in the buffer: a closed pipe shows here, not at exit.
            sys.stdout.flush()
    except BrokenPipeError:
        # Later writes (and Python's flush at exit) would fail again: send them nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            try:
                os.dup2(devnull, stream.fileno())
            except (OSError, ValueError):
                pass
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("unstructured", "pypdf", "pdfminer"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.run(args) or EXIT_OK)
    except DesktopRagError as error:
        print(f"desktop-rag: {error.user_message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\ndesktop-rag: interrupted", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug shows as one line, details on demand
        if os.environ.get("DESKTOP_RAG_DEBUG"):
            raise
        print(f"desktop-rag: internal error ({type(error).__name__}: {error}); "
              "DESKTOP_RAG_DEBUG=1 shows where", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    from desktop_rag import cli_commands as c

    parser = argparse.ArgumentParser(
        prog="desktop-rag", description="Chat with your own documents, fully offline."
    )
    parser.add_argument("--version", action="version", version=f"desktop-rag {__version__}")
    parser.add_argument("--library", metavar="NAME", help="library to use (default: the current)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files and folders (recursively)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _chunking_options(p)
    p.add_argument("--no-index", action="store_true", help="skip search index maintenance")
    p.set_defaults(run=c.cmd_import)

    p = sub.add_parser("docs", help="list the documents of the library")
    p.add_argument("--state", choices=["imported", "failed", "duplicate"], help="only this state")
    p.set_defaults(run=c.cmd_docs)

    p = sub.add_parser("chunks", help="list the chunks of a document")
    p.add_argument("doc", metavar="DOC", help="document name, part of it, path or id")
    p.add_argument("--full", action="store_true", help="print each chunk's whole text")
    p.add_argument("--grep", metavar="TEXT", help="only chunks containing TEXT")
    p.set_defaults(run=c.cmd_chunks)

    p = sub.add_parser("remove", help="remove a document and its chunks")
    p.add_argument("doc", metavar="DOC")
    p.set_defaults(run=c.cmd_remove)

    p = sub.add_parser("rechunk", help="cut one document again with other chunking settings")
    p.add_argument("doc", metavar="DOC")
    _chunking_options(p)
    p.add_argument("--default", action="store_true", help="back to the library's settings")
    p.add_argument("--preview", action="store_true", help="show the new chunks, store nothing")
    p.set_defaults(run=c.cmd_rechunk)

    p = sub.add_parser("library", help="list, create, select and inspect libraries")
    lib = p.add_subparsers(dest="library_command", metavar="ACTION")
    p.set_defaults(run=c.cmd_library_list)
    q = lib.add_parser("list", help="list the libraries")
    q.set_defaults(run=c.cmd_library_list)
    q = lib.add_parser("create", help="create a library")
    q.add_argument("name")
    q.add_argument("--language", choices=["en", "fr"], default="en",
                   help="language of the documents, for keyword search stemming")
    q.add_argument("--model", help="embedding model: multilingual-e5-small (about 100 languages, "
                   "on this computer), all-MiniLM-L6-v2 (English), a local folder, or ollama:NAME "
                   "for a model served by Ollama (default: all-MiniLM-L6-v2 for English "
                   "documents, multilingual-e5-small for others)")
    _chunking_options(q)
    q.add_argument("--location", metavar="URI", help="keep the tables elsewhere: a folder or an "
                   "object store (s3://bucket/path, gs://..., az://...); a location that "
                   "already holds a library is joined (credentials: README)")
    q.add_argument("--select", action="store_true", help="make it the current library")
    q.set_defaults(run=c.cmd_library_create)
    q = lib.add_parser("select", help="make a library the current one")
    q.add_argument("name")
    q.set_defaults(run=c.cmd_library_select)
    q = lib.add_parser("show", help="show a library's model, settings and sizes")
    q.set_defaults(run=c.cmd_library_show)
    q = lib.add_parser("set-chunking", help="change the chunking settings for new imports")
    _chunking_options(q)
    q.set_defaults(run=c.cmd_library_set_chunking)
    q = lib.add_parser("set-language", help="the documents' language, for keyword search "
                       "stemming and the weight of search by meaning; rebuilds the index")
    q.add_argument("language", choices=["en", "fr"])
    q.set_defaults(run=c.cmd_library_set_language)
    q = lib.add_parser("set-model", help="switch the embedding model and re-embed everything")
    q.add_argument("model", help="multilingual-e5-small (about 100 languages), 'default' "
                   "(all-MiniLM-L6-v2, English), a local sentence-transformers model folder, or "
                   "ollama:NAME (e.g. ollama:bge-m3)")
    q.set_defaults(run=c.cmd_library_set_model)

    from desktop_rag.cli_ask import add_commands
    from desktop_rag.cli_qa import add_commands as add_qa_commands
    from desktop_rag.cli_raptor import add_commands as add_raptor_commands

    add_commands(sub)
    add_qa_commands(sub)
    add_raptor_commands(sub)
    return parser


def _chunking_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("chunking")
    group.add_argument("--strategy", choices=["title", "page", "tokens", "separator"],
                       help="title: by section (default); page; tokens: fixed windows; "
                       "separator: paragraphs or sentences")
    group.add_argument("--max-tokens", type=int, metavar="N", help="chunk size limit in tokens")
    group.add_argument("--overlap", type=int, metavar="M", help="overlap in tokens")
    group.add_argument("--separator", choices=["paragraph", "sentence"])


if __name__ == "__main__":
    raise SystemExit(main())
