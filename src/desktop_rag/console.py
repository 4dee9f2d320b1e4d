"""Plain-text output for the command line: tables, sizes, a progress line for imports."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from desktop_rag.core.events import (
    EmbedProgress,
    FileFailed,
    FileImported,
    FileSkipped,
    FileStarted,
    ImportEvent,
    ImportFinished,
    ImportStarted,
    OcrProgress,
    StageChanged,
)


def table(headers: list[str], rows: list[list[object]], max_width: dict[int, int] | None = None) -> str:
    max_width = max_width or {}
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(len(value), max_width.get(i, 10_000)))
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(_fit(v, widths[i]).ljust(widths[i]) for i, v in enumerate(row)).rstrip()
        )
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    return " ".join(str(value).split())


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


PLAIN_INTERVAL = 5.0  # seconds: the longest silence of a plain (not a terminal) output


class ImportProgress:
    """A one-line progress bar on a terminal, advancing with the chunks embedded; otherwise one
    line per finished file, and for a long file a line at most every PLAIN_INTERVAL seconds
    with the chunks embedded so far (War and Peace printed nothing for 20 minutes)."""

    def __init__(self, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        stream = stream or sys.stderr
        self.stream = stream
        self.live = stream.isatty()
        self.clock = clock
        self.total = 0
        self.done = 0
        self.current = ""
        self.stage = ""
        self.file_fraction = 0.0  # of the current file's chunks embedded
        self._last = 0.0
        self._line_at = clock()

    def __call__(self, event: ImportEvent) -> None:
        if isinstance(event, ImportStarted):
            self.total = event.total_files
        elif isinstance(event, FileStarted):
            self.current, self.stage, self.file_fraction = event.path.name, "reading", 0.0
        elif isinstance(event, StageChanged):
            self.current = event.path.name
            self.stage = {"parse": "reading", "embed": "embedding", "store": "storing"}.get(
                event.stage, event.stage
            )
        elif isinstance(event, OcrProgress):
            self.current = event.path.name
            self.stage = f"reading page {event.page}/{event.pages} (OCR)"
        elif isinstance(event, EmbedProgress):
            self.current = event.path.name
            self.file_fraction = event.done / event.total if event.total else 0.0
            self.stage = f"embedding {event.done}/{event.total} chunks"
        elif isinstance(event, (FileImported, FileSkipped, FileFailed)):
            self.done += 1
            self.file_fraction = 0.0
            self._finished(event)
            return
        elif isinstance(event, ImportFinished):
            self._clear()
            return
        if self.live:
            self._draw()
        elif self.clock() - self._line_at >= PLAIN_INTERVAL:
            percent = f" ({self.file_fraction:.0%})" if isinstance(event, EmbedProgress) else ""
            self._print(f"[{self.done}/{self.total}] ...       {self.current}: "
                        f"{self.stage}{percent}")

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)
        self._line_at = self.clock()

    def _finished(self, event: FileImported | FileSkipped | FileFailed) -> None:
        if isinstance(event, FileImported):
            line = f"imported  {event.path.name} ({event.chunks} chunks)"
        elif isinstance(event, FileSkipped):
            line = f"skipped   {event.path.name}: {event.reason}"
        else:
            line = f"FAILED    {event.path.name}: {event.reason}"
        self._clear()
        self._print(f"[{self.done}/{self.total}] {line}")
        self._draw(force=True)

    def _draw(self, force: bool = False) -> None:
        if not self.live or (not force and self.clock() - self._last < 0.1):
            return
        self._last = self.clock()
        width = shutil.get_terminal_size((100, 20)).columns
        fraction = min((self.done + self.file_fraction) / self.total, 1.0) if self.total else 0.0
        bar = "#" * int(20 * fraction)
        text = f"[{bar:<20}] {self.done}/{self.total} {self.current}: {self.stage}"
        self.stream.write("\r" + text[: width - 1].ljust(width - 1))
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            width = shutil.get_terminal_size((100, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()
