"""The worker abstraction: events reach the GUI thread in order; failure and cancel end cleanly."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_rag.qt.jobs import run_job


def test_events_arrive_in_order_on_the_gui_thread(qtbot):
    seen: list[tuple[int, bool]] = []

    def work(cancel):
        for i in range(50):
            yield i

    job = run_job("count", work, lambda e: seen.append(
        (e, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(job.done, timeout=5000):
        pass
    assert [e for e, _ in seen] == list(range(50))
    assert all(on_gui for _, on_gui in seen)


def test_a_failure_is_reported_then_done(qtbot):
    order: list[str] = []

    def work(cancel):
        yield 1
        raise ValueError("damaged file")

    run_job("fail", work, lambda e: order.append("event"),
                  lambda exc: order.append(f"failed: {exc}"), lambda: order.append("done"))
    qtbot.waitUntil(lambda: "done" in order, timeout=5000)
    assert order == ["event", "failed: damaged file", "done"]


@pytest.mark.timeout(30)
def test_cancel_stops_the_work(qtbot):
    seen: list[int] = []

    def work(cancel):
        i = 0
        while not cancel.cancelled:
            i += 1
            yield i
            time.sleep(0.01)

    job = run_job("endless", work, seen.append)
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.cancel()
    assert job.wait(5)  # the thread ends right after it said "done"


@pytest.mark.timeout(30)
def test_work_stops_when_its_window_is_gone(qtbot):
    """A window closed (and deleted) mid-import: the worker stops quietly, no thread error."""
    from PySide6.QtWidgets import QWidget

    from desktop_rag.qt import jobs

    window = QWidget()
    produced: list[int] = []
    started = threading.Event()

    def work(cancel):
        i = 0
        while not cancel.cancelled:
            i += 1
            produced.append(i)
            started.set()
            yield i
            time.sleep(0.01)

    job = run_job("orphan", work, parent=window)
    assert started.wait(5)
    window.deleteLater()
    qtbot.waitUntil(lambda: not job.running and job not in jobs._running, timeout=5000)
    assert job.cancel_token.cancelled and job.error is None
