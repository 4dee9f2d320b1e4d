"""Files parsed on helper threads ahead of the embedder.

The embedder takes the files in the order that keeps it busy: with several helpers, a file whose
parsing is slow does not hold up the files behind it. One exception keeps imports predictable:
a file is not handed over while an earlier file may have the same content, so the first of two
copies stays the original and the second is reported as its duplicate.

The app uses one helper: parsing is mostly Python holding the GIL, and on ../shared/corpus two
helpers made the import slower (145 s against 129 s: the parsers and the embedding thread
queued for the GIL and the two cores); the importer orders files smallest first instead.
The work held ahead is bounded in files and in characters of text, for folders of huge files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktop_rag.core.events import CancelToken

HELPERS = 1
MAX_FILES = 16
MAX_CHARS = 40_000_000


class Prepared(Protocol):
    path: Path
    record: Any  # has doc_id and chars


PENDING = object()  # next(): nothing ready yet


@dataclass
class _Slot:
    index: int
    path: Path
    doc_id: str | None = None  # known once the file is hashed
    item: Any = None


class ParseAhead:
    def __init__(
        self,
        files: Sequence[Path],
        prepare: Callable[[Path, Callable[[str], None]], Prepared],
        stops: tuple[CancelToken, ...],
        helpers: int = HELPERS,
        max_files: int = MAX_FILES,
        max_chars: int = MAX_CHARS,
    ) -> None:
        """prepare(path, hashed) parses one file and calls hashed(doc_id) as soon as it knows
        the file's content hash."""
        self._slots = [_Slot(i, Path(p)) for i, p in enumerate(files)]
        self._prepare = prepare
        self._stops = stops
        self._max_files, self._max_chars = max_files, max_chars
        self._claimed = 0  # slots before this index were taken by a helper
        self._open: list[_Slot] = []  # taken, not handed to the embedder yet
        self._handed = 0
        self._chars = 0  # text of finished files waiting for the embedder
        self._closed = False
        self._changed = threading.Condition()
        self._threads = [
            threading.Thread(target=self._work, name=f"import-parse-{n}", daemon=True)
            for n in range(max(1, min(helpers, len(self._slots))))
        ]
        for thread in self._threads:
            thread.start()

    # -- the embedder's side ---------------------------------------------------------------

    def next(self, timeout: float) -> Any:
        """The next parsed file for the embedder; PENDING if none is ready within timeout;
        None once every file was handed over or the work was stopped."""
        with self._changed:
            if not self._changed.wait_for(self._decided, timeout):
                return PENDING
            slot = self._ready_slot()
            if slot is None:
                return None
            self._open.remove(slot)
            self._handed += 1
            self._chars -= slot.item.record.chars
            self._changed.notify_all()
            return slot.item

    def parsing(self) -> list[Path]:
        """Files being parsed now, oldest first: what the embedder is waiting for."""
        with self._changed:
            return [s.path for s in self._open if s.item is None]

    def busy(self) -> bool:
        """Whether a helper is parsing now."""
        with self._changed:
            return any(s.item is None for s in self._open)

    def close(self) -> None:
        """Stop taking new files; wait for the files being parsed (a parse cannot be cut)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()

    def _decided(self) -> bool:
        return (self._ready_slot() is not None or self._handed == len(self._slots)
                or (self._stopped() and not self._open))

    def _ready_slot(self) -> _Slot | None:
        for position, slot in enumerate(self._open):
            if slot.item is None:
                continue
            doc_id = slot.item.record.doc_id
            earlier = self._open[:position]
            # An earlier file not hashed yet, or with this content, must go first.
            if not any(e.doc_id is None or (doc_id and e.doc_id == doc_id) for e in earlier):
                return slot
        return None

    # -- the helpers' side -----------------------------------------------------------------

    def _stopped(self) -> bool:
        return self._closed or any(s.cancelled for s in self._stops)

    def _may_take(self) -> bool:
        waiting = sum(1 for s in self._open if s.item is not None)
        return waiting < self._max_files and self._chars < self._max_chars

    def _work(self) -> None:
        while True:
            with self._changed:
                # Cancel tokens do not notify this condition: look again now and then.
                while not (self._stopped() or self._may_take()):
                    self._changed.wait(0.2)
                if self._stopped() or self._claimed == len(self._slots):
                    self._changed.notify_all()
                    return
                slot = self._slots[self._claimed]
                self._claimed += 1
                self._open.append(slot)

            def hashed(doc_id: str, slot: _Slot = slot) -> None:
                with self._changed:
                    slot.doc_id = doc_id
                    self._changed.notify_all()

            item = self._prepare(slot.path, hashed)
            with self._changed:
                slot.doc_id = item.record.doc_id or ""
                slot.item = item
                self._chars += item.record.chars
                self._changed.notify_all()
