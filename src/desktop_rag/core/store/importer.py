"""Import files into a library: a generator of progress events, cancellable between steps.

Hashing, parsing and chunking of the next files run on a helper thread while the current file
is embedded (see parse_ahead), so parsing overlaps embedding instead of adding to it. Every
file ends in exactly one state: imported, skipped (unchanged or duplicate) or failed with a
reason.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop_rag.core.embed.base import Embedder
from desktop_rag.core.embed.local import share_cores
from desktop_rag.core.errors import (
    INTERNAL_READING,
    INTERNAL_STORING,
    NOT_FOUND,
    Cancelled,
    DesktopRagError,
    ImportProblem,
    unreadable_reason,
)
from desktop_rag.core.events import (
    CancelToken,
    EmbedProgress,
    FileFailed,
    FileImported,
    FileSkipped,
    FileStarted,
    ImportEvent,
    ImportFinished,
    ImportStarted,
    ImportSummary,
    OcrProgress,
    StageChanged,
)
from desktop_rag.core.ingest.archives import Member
from desktop_rag.core.ingest.chunking import Chunk, chunk_elements
from desktop_rag.core.ingest.containers import staging_folder, unpack_all
from desktop_rag.core.ingest.context import search_texts
from desktop_rag.core.ingest.detect import detect_kind, discover
from desktop_rag.core.ingest.elements import ParsedDocument
from desktop_rag.core.ingest.ocr import OcrJob
from desktop_rag.core.ingest.parse import parse_file
from desktop_rag.core.ingest.parse_ahead import PENDING, ParseAhead
from desktop_rag.core.paths import cache_dir, config_dir, data_dir
from desktop_rag.core.settings import ChunkingSettings
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.library import Library

log = logging.getLogger(__name__)

EMBED_SLICE = 128  # texts per progress step; sentence-transformers sorts by length inside it


@dataclass
class _Prepared:
    path: Path  # what the user sees: the file, or "archive.zip › member" for a member
    record: S.DocumentRecord
    source: Path | None = None  # the file parsed (the unpacked copy of a member)
    parsed: ParsedDocument | None = None
    chunks: list[Chunk] = field(default_factory=list)
    skip: str = ""  # "unchanged" or "duplicate of ..."
    error: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_paths(
    library: Library,
    paths: list[Path],
    embedder: Embedder,
    cancel: CancelToken | None = None,
    chunking: ChunkingSettings | None = None,
) -> Iterator[ImportEvent]:
    """Import files and folders (recursively). `chunking` overrides the library's settings for
    these files only."""
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    summary = ImportSummary()
    own = tuple(p.resolve() for p in (data_dir(), config_dir(), cache_dir()) if p.exists())
    files, missing = discover(paths, exclude=own)
    # Archives become their members, messages are followed by their attachments: unpacked
    # for this import only (removed at its end).
    staging = staging_folder(cache_dir())
    files, origins, refused = unpack_all(files, staging)

    def shown(path: Path) -> Path:
        return Path(origins[path].path) if path in origins else path
    # Smallest first: the largest files (slowest to parse) then come last, parsed while the
    # embedder works through the files queued before them. In discovery order the embedder
    # waited 14 s of a 129 s import of ../shared/corpus for War and Peace (15 s of parsing).
    # Equal sizes keep their order, so the first of two copies stays the original.
    files.sort(key=_size)
    yield ImportStarted(len(files) + len(missing) + len(refused))
    for path in missing:
        failure = FileFailed(path, NOT_FOUND)
        summary.failed.append(failure)
        yield failure
    for path, reason in refused:
        library.record_outcome(S.DocumentRecord(path=str(path), name=path.name, state=S.FAILED,
                                                error=reason, size=_size(path)))
        summary.failed.append(FileFailed(path, reason))
        yield summary.failed[-1]
    settings = chunking or library.settings.chunking
    override = chunking.to_json() if chunking else ""
    known = {d.path: d for d in library.documents()}
    helper_stop = CancelToken()
    ocr_page = _OcrPage()

    def prepare(path: Path) -> _Prepared:
        job = OcrJob(library.settings.ocr, lambda page, pages: ocr_page.set(path, page, pages),
                     (cancel, helper_stop))
        return _prepare(path, known, embedder, settings, override, job, origins.get(path))

    ahead = ParseAhead(files, prepare, (cancel, helper_stop))
    handed = 0
    try:
        while not cancel.cancelled:
            clock = time.perf_counter()
            announced = None
            item = ahead.next(timeout=0.25)
            while item is PENDING and not cancel.cancelled:
                # Show what the embedder waits for.
                parsing = ahead.parsing()
                if parsing is not None and parsing != announced:
                    announced = parsing
                    yield FileStarted(shown(announced), handed, len(files))
                    yield StageChanged(shown(announced), "parse")
                page = ocr_page.take()
                if page is not None and page.path == parsing:
                    yield OcrProgress(shown(page.path), page.page, page.pages)
                item = ahead.next(timeout=0.25)
            _add_time(summary, "idle", clock)  # the embedder waiting for the parser
            if item is None or item is PENDING or cancel.cancelled:
                break  # a file whose parse was cut by the cancel is not recorded as failed
            if item.source != announced:
                yield FileStarted(item.path, handed, len(files))
            handed += 1
            for stage, seconds in item.seconds.items():
                summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
            try:
                event = yield from _finish(library, item, embedder, cancel, summary, ahead.busy)
            except Cancelled:
                break
            _record(summary, event)
            yield event
    finally:
        # Also when the consumer closes the generator early: the helper must not run on.
        helper_stop.cancel()
        ahead.close()
        share_cores(parsing=False)
        shutil.rmtree(staging, ignore_errors=True)
    summary.cancelled = cancel.cancelled
    summary.seconds = time.perf_counter() - started
    yield ImportFinished(summary)


class _OcrPage:
    """The page being read by OCR on the parsing thread, taken by the importer's loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._event: OcrProgress | None = None

    def set(self, path: Path, page: int, pages: int) -> None:
        with self._lock:
            self._event = OcrProgress(path, page, pages)

    def take(self) -> OcrProgress | None:
        with self._lock:
            event, self._event = self._event, None
            return event


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported as unreadable when its turn comes


def _record(summary: ImportSummary, event: ImportEvent) -> None:
    if isinstance(event, FileImported):
        summary.imported.append(event)
    elif isinstance(event, FileSkipped):
        summary.skipped.append(event)
    elif isinstance(event, FileFailed):
        summary.failed.append(event)


def _prepare(
    path: Path,
    known: dict[str, S.DocumentRecord],
    embedder: Embedder,
    settings: ChunkingSettings,
    override: str,
    ocr: OcrJob | None = None,
    origin: Member | None = None,
) -> _Prepared:
    record = (S.DocumentRecord(path=origin.path, name=origin.name) if origin
              else S.DocumentRecord(path=str(path), name=path.name))
    item = _Prepared(Path(record.path), record, path)
    clock = time.perf_counter()
    try:
        stat = path.stat()
        record.size, record.mtime = stat.st_size, stat.st_mtime
        record.doc_id = sha256_file(path)
        previous = known.get(record.path)
        if previous is not None and previous.state == S.IMPORTED and (
            previous.doc_id == record.doc_id
        ) and not override:
            item.skip = "unchanged"
            return item
        for other in known.values():
            if other.doc_id == record.doc_id and other.state == S.IMPORTED and (
                other.path != record.path
            ):
                item.skip = f"duplicate of {other.path}"
                return item
        kind = detect_kind(path)
        record.file_type, record.mime = kind.name, kind.mime
        parsed = parse_file(path, kind, ocr)
        item.seconds["parse"] = time.perf_counter() - clock
        clock = time.perf_counter()
        item.parsed = parsed
        record.pages = parsed.pages
        record.chars = parsed.text_chars
        record.warnings = "; ".join(parsed.warnings)
        record.chunking = settings.to_json()
        record.chunking_override = override
        item.chunks = chunk_elements(parsed.elements, settings, embedder.token_counter())
        item.seconds["chunk"] = time.perf_counter() - clock
        if not item.chunks:
            item.error = "empty: no text was found in it"
    except ImportProblem as problem:
        item.error = problem.user_message
    except Cancelled:
        item.error = "cancelled"  # between two OCR pages; the import stops before storing it
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        item.error = unreadable_reason(exc)
    except Exception:  # noqa: BLE001 - a bug on one file must not stop the batch
        log.exception("unexpected error while reading %s", path)
        item.error = INTERNAL_READING
    item.seconds.setdefault("parse", time.perf_counter() - clock)
    return item


def _finish(
    library: Library,
    item: _Prepared,
    embedder: Embedder,
    cancel: CancelToken,
    summary: ImportSummary,
    parsing: Callable[[], bool],
) -> Iterator[ImportEvent]:
    """Embed and store one prepared file; returns its final event (the caller yields it)."""
    record = item.record
    if item.skip == "unchanged":
        return FileSkipped(item.path, record.doc_id, "unchanged")
    duplicate_of = item.skip.removeprefix("duplicate of ") if item.skip else ""
    if not duplicate_of and not item.error:
        # Two identical files in one batch: the first one is committed by now.
        original = library.imported_with_id(record.doc_id)
        if original is not None and original.path != record.path:
            duplicate_of = original.path
    if duplicate_of:
        record.state, record.duplicate_of = S.DUPLICATE, duplicate_of
        library.record_outcome(record)
        return FileSkipped(item.path, record.doc_id, f"duplicate of {duplicate_of}")
    if item.error:
        record.state, record.error = S.FAILED, item.error
        library.record_outcome(record)
        return FileFailed(item.path, item.error)
    try:
        clock = time.perf_counter()
        yield StageChanged(item.path, "embed")
        library.bind_model(embedder)
        vectors = yield from embed_chunks(item.path, item.chunks, embedder, cancel, record.name,
                                          parsing)
        _add_time(summary, "embed", clock)
        clock = time.perf_counter()
        yield StageChanged(item.path, "store")
        previous = library.document_at(record.path)
        library.commit_document(record, item.parsed.elements if item.parsed else [], item.chunks,
                                vectors)
        _add_time(summary, "store", clock)
    except Cancelled:
        raise
    except DesktopRagError as error:
        return FileFailed(item.path, error.user_message)
    except Exception:  # noqa: BLE001 - keep going with the other files
        log.exception("unexpected error while storing %s", item.path)
        return FileFailed(item.path, INTERNAL_STORING)
    return FileImported(
        item.path, record.doc_id, record.pages, record.chunks,
        replaced=previous is not None and previous.state == S.IMPORTED,
    )


def embed_chunks(  # type: ignore[no-untyped-def]
    path: Path | str,
    chunks: list[Chunk],
    embedder: Embedder,
    cancel: CancelToken,
    name: str,
    parsing: Callable[[], bool] = lambda: False,
):
    """Embed the search texts of chunks in slices, yielding progress; returns the vectors.
    parsing(): whether files are being parsed beside it (the embedder then leaves them a core)."""
    import numpy as np

    texts = search_texts(name, chunks)
    parts = [np.zeros((0, embedder.dimension), dtype=np.float32)]
    for start in range(0, len(texts), EMBED_SLICE):
        cancel.raise_if_cancelled()
        share_cores(parsing())
        parts.append(embedder.embed(texts[start : start + EMBED_SLICE]))
        yield EmbedProgress(Path(path), min(start + EMBED_SLICE, len(texts)), len(texts))
    return np.concatenate(parts)


def _add_time(summary: ImportSummary, stage: str, since: float) -> None:
    summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + (
        time.perf_counter() - since
    )
