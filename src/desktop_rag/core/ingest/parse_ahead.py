"""Files parsed on a helper thread ahead of the embedder, in order, bounded in files and in
characters of text (for folders of huge files).

One helper: parsing is mostly Python holding the GIL, and on ../shared/corpus two helpers
handing files over as they finished made the import slower (145 s against 129 s: the parsers
and the embedding thread queued for the GIL and the two cores). The importer orders files
smallest first instead, so the slow ones are parsed while earlier files are embedded. In order
also means the first of two copies is the one imported and the second its duplicate.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from desktop_rag.core.events import CancelToken

MAX_FILES = 16
MAX_CHARS = 40_000_000


class Prepared(Protocol):
    path: Path
    record: Any  # has chars


PENDING = object()  # next(): nothing ready yet


class ParseAhead:
    def __init__(
        self,
        files: Sequence[Path],
        prepare: Callable[[Path], Prepared],
        stops: tuple[CancelToken, ...],
        max_files: int = MAX_FILES,
        max_chars: int = MAX_CHARS,
    ) -> None:
        self._files = list(files)
        self._prepare = prepare
        self._stops = stops
        self._max_files, self._max_chars = max_files, max_chars
        self._taken = 0  # files the helper has started
        self._handed = 0
        self._done: deque[Prepared] = deque()  # parsed, waiting for the embedder
        self._chars = 0  # their text
        self._parsing: Path | None = None
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="import-parse", daemon=True)
        self._thread.start()

    # -- the embedder's side ---------------------------------------------------------------

    def next(self, timeout: float) -> Any:
        """The next parsed file; PENDING if none is ready within timeout; None once every file
        was handed over or the work was stopped."""
        with self._changed:
            if not self._changed.wait_for(self._decided, timeout):
                return PENDING
            if not self._done:
                return None
            item = self._done.popleft()
            self._handed += 1
            self._chars -= item.record.chars
            self._changed.notify_all()
            return item

    def parsing(self) -> Path | None:
        """The file being parsed now: what the embedder waits for when nothing is ready."""
        with self._changed:
            return self._parsing

    def busy(self) -> bool:
        return self.parsing() is not None

    def close(self) -> None:
        """Stop taking new files; wait for the file being parsed (a parse cannot be cut)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _decided(self) -> bool:
        return (bool(self._done) or self._handed == len(self._files)
                or (self._stopped() and self._parsing is None))

    # -- the helper's side -----------------------------------------------------------------

    def _stopped(self) -> bool:
        return self._closed or any(s.cancelled for s in self._stops)

    def _room(self) -> bool:
        return len(self._done) < self._max_files and self._chars < self._max_chars

    def _work(self) -> None:
        while True:
            with self._changed:
                # Cancel tokens do not notify this condition: look again now and then.
                while not (self._stopped() or self._room()):
                    self._changed.wait(0.2)
                if self._stopped() or self._taken == len(self._files):
                    self._changed.notify_all()
                    return
                path = self._files[self._taken]
                self._taken += 1
                self._parsing = path
            item = self._prepare(path)
            with self._changed:
                self._done.append(item)
                self._chars += item.record.chars
                self._parsing = None
                self._changed.notify_all()
