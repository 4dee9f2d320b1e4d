"""Progress events of long jobs, and the token that cancels them.

Long jobs are generators that yield these plain dataclasses; the command line prints them and
the GUI turns them into signals. Cancellation is checked between files and between batches.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from desktop_rag.core.errors import Cancelled


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


@dataclass(frozen=True)
class ImportStarted:
    total_files: int


@dataclass(frozen=True)
class FileStarted:
    path: Path
    index: int
    total: int


@dataclass(frozen=True)
class StageChanged:
    """stage is one of: hash, parse, chunk, embed, store."""

    path: Path
    stage: str


@dataclass(frozen=True)
class OcrProgress:
    """Page `page` of a document of `pages` pages is being read by OCR."""

    path: Path
    page: int
    pages: int


@dataclass(frozen=True)
class EmbedProgress:
    path: Path
    done: int
    total: int


@dataclass(frozen=True)
class FileImported:
    path: Path
    doc_id: str
    pages: int | None
    chunks: int
    replaced: bool = False


@dataclass(frozen=True)
class FileSkipped:
    """reason: 'unchanged' or 'duplicate of <path>'."""

    path: Path
    doc_id: str
    reason: str


@dataclass(frozen=True)
class FileFailed:
    path: Path
    reason: str


@dataclass
class ImportSummary:
    imported: list[FileImported] = field(default_factory=list)
    skipped: list[FileSkipped] = field(default_factory=list)
    failed: list[FileFailed] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.imported)


@dataclass(frozen=True)
class ImportFinished:
    summary: ImportSummary


ImportEvent = (
    ImportStarted
    | FileStarted
    | StageChanged
    | OcrProgress
    | EmbedProgress
    | FileImported
    | FileSkipped
    | FileFailed
    | ImportFinished
)
