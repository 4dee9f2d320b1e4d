"""Files parsed ahead of the embedder: a slow file does not hold up the ones behind it, the first
of two copies stays the original, the text held ahead is bounded, and cancelling never leaves a
helper waiting."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_rag.core.events import CancelToken
from desktop_rag.core.parse_ahead import PENDING, ParseAhead


@dataclass
class _Record:
    doc_id: str
    chars: int


@dataclass
class _Item:
    path: Path
    record: _Record


def _preparer(seconds: dict[str, float], contents: dict[str, str] | None = None,
              chars: int = 10, hash_delay: dict[str, float] | None = None):  # type: ignore[no-untyped-def]
    contents = contents or {}
    hash_delay = hash_delay or {}
    started: list[str] = []

    def prepare(path: Path, hashed):  # type: ignore[no-untyped-def]
        started.append(path.name)
        time.sleep(hash_delay.get(path.name, 0.0))
        doc_id = contents.get(path.name, path.name)
        hashed(doc_id)
        time.sleep(seconds.get(path.name, 0.0))
        return _Item(path, _Record(doc_id, chars))

    prepare.started = started  # type: ignore[attr-defined]
    return prepare


def _drain(ahead: ParseAhead) -> list[str]:
    names = []
    while (item := ahead.next(timeout=5)) is not None:
        assert item is not PENDING
        names.append(item.path.name)
    return names


def test_a_slow_file_does_not_hold_up_the_files_behind_it() -> None:
    files = [Path(n) for n in ("a", "slow", "b", "c", "d")]
    ahead = ParseAhead(files, _preparer({"slow": 1.0}), (CancelToken(),), helpers=2)
    try:
        order = _drain(ahead)
    finally:
        ahead.close()
    assert sorted(order) == ["a", "b", "c", "d", "slow"]
    assert order.index("slow") > order.index("b")


def test_the_first_of_two_copies_is_handed_over_first() -> None:
    # "copy" parses fast, "original" slowly: "copy" must still wait, since it is the same content
    files = [Path("original"), Path("copy"), Path("other")]
    contents = {"original": "same", "copy": "same"}
    ahead = ParseAhead(files, _preparer({"original": 0.6}, contents), (CancelToken(),),
                       helpers=2)
    try:
        order = _drain(ahead)
    finally:
        ahead.close()
    assert order.index("original") < order.index("copy")


def test_a_file_waits_while_an_earlier_one_is_still_being_hashed() -> None:
    files = [Path("big"), Path("small")]
    ahead = ParseAhead(files, _preparer({}, {"big": "x", "small": "x"}, hash_delay={"big": 0.5}),
                       (CancelToken(),), helpers=2)
    try:
        assert _drain(ahead) == ["big", "small"]
    finally:
        ahead.close()


def test_the_text_held_ahead_is_bounded() -> None:
    files = [Path(f"f{i}") for i in range(10)]
    prepare = _preparer({}, chars=100)
    ahead = ParseAhead(files, prepare, (CancelToken(),), helpers=2, max_chars=250)
    try:
        time.sleep(0.5)
        # At most 250 characters waiting, plus the files the two helpers had already taken.
        assert len(prepare.started) <= 5
        assert len(_drain(ahead)) == 10
    finally:
        ahead.close()


def test_cancelling_releases_waiting_helpers_and_ends_the_queue() -> None:
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
