"""One way to run slow work off the GUI thread: a core event generator, turned into signals.

The core's long operations (import, search, ask, pull) are generators of plain events that
check a CancelToken. A Job runs one on a Python thread and emits each event as a signal; the
receivers live on the GUI thread, so Qt queues the calls and widgets are only touched there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop_rag.core.events import CancelToken

Work = Callable[[CancelToken], Iterable[Any] | None]


class Job(QObject):
    event = Signal(object)
    failed = Signal(object)  # the exception; its str() is written for the user
    done = Signal()  # always last, after a failure or a cancellation too
    # Emitted on the worker thread and received by this object, which lives on the GUI thread:
    # the queued hop makes every public signal fire on the GUI thread, also for lambdas.
    _from_worker = Signal(str, object)

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        # Not owned by `parent`: Qt would delete the Job with a closed window while its thread
        # still emits, which crashes. The parent's end cancels the work and silences the Job;
        # the Job itself goes once its thread has said "done".
        super().__init__()
        self._orphaned = False
        if parent is not None:
            parent.destroyed.connect(self._parent_gone)
        self._from_worker.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self.name = name
        self._work = work
        self.cancel_token = CancelToken()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> Job:
        _running.add(self)
        # A daemon thread: closing the window must not wait on a model download.
        self._thread = threading.Thread(target=self._run, name=f"job-{self.name}", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def _run(self) -> None:
        _yield_cpu_to_the_window()
        try:
            events = self._work(self.cancel_token)
            for item in events or ():
                if self.cancel_token.cancelled and self._orphaned:
                    break  # the window is gone: nobody to tell
                self._from_worker.emit("event", item)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the user
            self.error = exc
            self._from_worker.emit("failed", exc)
        finally:
            self._from_worker.emit("done", None)

    def _parent_gone(self) -> None:
        self._orphaned = True
        self.cancel_token.cancel()

    def _relay(self, kind: str, payload: object) -> None:
        if kind == "done":
            _running.discard(self)
        if self._orphaned:
            return  # the receivers went with the window
        if kind == "event":
            self.event.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        else:
            self.done.emit()


def _yield_cpu_to_the_window() -> None:
    """Lower this thread's scheduling priority (Linux: nice is per thread, and the threads it
    starts, such as torch's, inherit it). On two cores an import's parse and embedding threads
    otherwise keep the GUI thread off the CPU for up to 1.4 s at a time."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass  # not Linux, or not allowed: the window is only less smooth


# Jobs stay referenced while they run, so their signals outlive the caller's local variable.
_running: set[Job] = set()


def run_job(name: str, work: Work, on_event: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException], None] | None = None,
            on_done: Callable[[], None] | None = None, parent: QObject | None = None) -> Job:
    job = Job(name, work, parent)
    if on_event is not None:
        job.event.connect(on_event)
    if on_failed is not None:
        job.failed.connect(on_failed)
    if on_done is not None:
        job.done.connect(on_done)
    return job.start()


def call_in_background(name: str, fn: Callable[[], Any],
                       on_result: Callable[[Any], None] | None = None,
                       on_failed: Callable[[BaseException], None] | None = None,
                       parent: QObject | None = None) -> Job:
    """A one-shot call (open a library, list models) as a Job with one event: its result."""
    return run_job(name, lambda cancel: [fn()], on_result, on_failed, parent=parent)
