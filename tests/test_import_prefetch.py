"""Files parsed ahead of the embedder: handed over in order, the text held ahead is bounded,
and cancelling never leaves the helper waiting."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_rag.core.events import CancelToken
from desktop_rag.core.ingest.parse_ahead import PENDING, ParseAhead


@dataclass
class _Record:
    chars: int


@dataclass
class _Item:
    path: Path
    record: _Record


def _preparer(seconds: dict[str, float], chars: int = 10):  # type: ignore[no-untyped-def]
    started: list[str] = []

    def prepare(path: Path):  # type: ignore[no-untyped-def]
        started.append(path.name)
        time.sleep(seconds.get(path.name, 0.0))
        return _Item(path, _Record(chars))

    prepare.started = started  # type: ignore[attr-defined]
    return prepare


def _drain(ahead: ParseAhead) -> list[str]:
    names = []
    while (item := ahead.next(timeout=5)) is not None:
        assert item is not PENDING
        names.append(item.path.name)
    return names


def test_files_are_handed_over_in_order_and_a_slow_one_is_shown_while_waited_for() -> None:
    files = [Path(n) for n in ("a", "slow", "b", "c")]
    ahead = ParseAhead(files, _preparer({"slow": 0.8}), (CancelToken(),))
    try:
        assert ahead.next(timeout=5).path.name == "a"
        assert ahead.next(timeout=0.1) is PENDING
        assert ahead.parsing() == Path("slow") and ahead.busy()
        assert _drain(ahead) == ["slow", "b", "c"]
        assert not ahead.busy()
    finally:
        ahead.close()


def test_the_text_held_ahead_is_bounded() -> None:
    files = [Path(f"f{i}") for i in range(10)]
    prepare = _preparer({}, chars=100)
    ahead = ParseAhead(files, prepare, (CancelToken(),), max_chars=250)
    try:
        time.sleep(0.5)
        # At most 250 characters waiting, plus the file the helper had already taken.
        assert len(prepare.started) <= 4
        assert len(_drain(ahead)) == 10
    finally:
        ahead.close()


def test_cancelling_releases_the_waiting_helper_and_ends_the_queue() -> None:
    files = [Path(f"f{i}") for i in range(10)]
    stop = CancelToken()
    ahead = ParseAhead(files, _preparer({}, chars=100), (stop,), max_files=1)
    time.sleep(0.3)
    started = time.perf_counter()
    stop.cancel()
    closer = threading.Thread(target=ahead.close)
    closer.start()
    closer.join(2)
    assert not closer.is_alive()
    assert time.perf_counter() - started < 1.5
    assert ahead.next(timeout=1) is not PENDING  # what was parsed, then None
