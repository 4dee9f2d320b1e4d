"""Summary trees (RAPTOR) from the window: build with progress and Cancel, remove, and the
summary prompt.

A build runs on a worker for minutes to hours; its progress (document, level, cluster n/N,
tokens/s, time left) shows in the status bar with a Cancel button, the window stays usable and
search keeps working (every finished summary is searchable at once). A cancelled build keeps
what it wrote, and the next build goes on from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop_rag.qt.i18n import arg
from desktop_rag.qt.jobs import call_in_background, run_job

TREE_REFRESH_S = 3.0

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace
    from desktop_rag.qt.jobs import Job


class SummaryProgressStrip(QWidget):
    """The running build, in the status bar: what it does, how far, and Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, documents: int) -> None:
        self.label.setText(self.tr("Summary tree of %n document(s): starting…", "", documents))
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def progress(self, event: Any) -> None:
        parts = [arg(self.tr("%1: level %2, cluster %3/%4"), event.document[:40], event.level,
                     event.cluster, event.clusters)]
        if event.tokens_per_s:
            parts.append(arg(self.tr("%1 tokens/s"), f"{event.tokens_per_s:.0f}"))
        if event.seconds_left:
            parts.append(arg(self.tr("about %1 min left"), max(1, round(event.seconds_left / 60))))
        self.label.setText(" · ".join(parts))
        self.bar.setRange(0, event.clusters)
        self.bar.setValue(event.cluster - 1)


class SummaryController(QObject):
    message = Signal(str)
    tree_changed = Signal(object)  # the document whose tree changed
    running_changed = Signal(bool)

    def __init__(self, strip: SummaryProgressStrip, model: Callable[[], str],
                 window: QWidget) -> None:
        super().__init__(window)
        self.strip, self.model, self.window = strip, model, window
        self.workspace: Workspace | None = None
        self.job: Job | None = None
        self.prompt_dialog: Any = None
        strip.cancel_requested.connect(self.cancel)

    def set_workspace(self, workspace: Workspace) -> None:
        if self.job is not None:
            self.job.cancel()  # its summaries are kept; building again resumes it
        self.workspace = workspace
        if self.prompt_dialog is not None:
            self.prompt_dialog.close()
            self.prompt_dialog = None

    @property
    def running(self) -> bool:
        return self.job is not None

    def build(self, docs: list[Any]) -> None:
        from desktop_rag.core.store.raptor import SummaryProgress, SummaryWritten, TreeFinished

        docs = [d for d in docs if d is not None and d.state == "imported"]
        if self.workspace is None or not docs:
            return
        if self.job is not None:
            self.message.emit(self.tr("A summary tree is already being built: wait for it or "
                                      "cancel it first."))
            return
        workspace, model = self.workspace, self.model()
        by_id = {d.doc_id: d for d in docs}
        shown = [0.0]  # when the tree view was last refreshed

        def event(item: Any) -> None:
            if isinstance(item, SummaryProgress):
                self.strip.progress(item)
            elif isinstance(item, SummaryWritten):
                # The tree grows in the view as it is written, refreshed every few seconds.
                if time.monotonic() - shown[0] > TREE_REFRESH_S:
                    shown[0] = time.monotonic()
                    self.tree_changed.emit(by_id[item.node.doc_id])
            elif isinstance(item, TreeFinished):
                self.message.emit(self._finished_text(item))
                self.tree_changed.emit(by_id[item.doc_id])

        def failed(exc: BaseException) -> None:
            from desktop_rag.core.errors import Cancelled

            if isinstance(exc, Cancelled):
                self.message.emit(self.tr("Summary tree stopped: what was written is kept, and "
                                          "building again goes on from there."))
                return
            QMessageBox.warning(self.window, self.tr("Summary tree"), arg(self.tr(
                "The summary tree could not be built: %1\n\nThe summaries already written are "
                "kept."), str(exc)))

        def done() -> None:
            self.job = None
            self.strip.hide()
            self.running_changed.emit(False)
            for doc in docs:
                self.tree_changed.emit(doc)

        self.strip.start(len(docs))
        self.running_changed.emit(True)
        self.job = run_job("summaries",
                           lambda cancel: workspace.build_summaries(docs, model, cancel),
                           event, failed, done, parent=self)

    def cancel(self) -> None:
        if self.job is not None:
            self.strip.cancel_button.setEnabled(False)
            self.strip.label.setText(self.tr("Stopping after the summary being written…"))
            self.job.cancel()

    def stop_and_wait(self, seconds: float = 10.0) -> None:
        """At quit: the summary being written is dropped, the others are kept (a store is one
        atomic write, so none is left half written)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait(seconds)

    def remove(self, docs: list[Any]) -> None:
        docs = [d for d in docs if d is not None and d.state == "imported"]
        if self.workspace is None or not docs:
            return
        if self.job is not None:
            self.message.emit(self.tr("Wait for the summary tree being built, or cancel it."))
            return
        answer = QMessageBox.question(self.window, self.tr("Remove summary trees"), arg(self.tr(
            "Remove the summary trees of %1 document(s)? Their chunks stay; building a tree "
            "again asks the model for every summary."), len(docs)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace = self.workspace

        def removed(count: int) -> None:
            self.message.emit(self.tr("%n summaries removed", "", count))
            for doc in docs:
                self.tree_changed.emit(doc)

        call_in_background("remove-summaries", lambda: workspace.remove_summaries(docs),
                           removed, lambda exc: QMessageBox.warning(
                               self.window, self.tr("Summary tree"), str(exc)), parent=self)

    def edit_prompt(self) -> None:
        if self.workspace is None:
            return
        if self.prompt_dialog is None:
            from desktop_rag.qt.summary_prompt_dialog import SummaryPromptDialog

            self.prompt_dialog = SummaryPromptDialog(self.workspace.library.folder, self.window)
        self.prompt_dialog.show()
        self.prompt_dialog.raise_()

    def _finished_text(self, event: Any) -> str:
        if event.skipped == "a single chunk":
            return arg(self.tr("%1: no summary tree (a single chunk)"), event.document)
        if event.skipped:
            return arg(self.tr("%1: no summary tree needed: short enough to be read whole"),
                       event.document)
        if event.written == 0:
            return arg(self.tr("%1: summary tree already complete"), event.document)
        return arg(self.tr("%1: summary tree of %2 levels, %3 summaries, in %4 min"),
                   event.document, event.levels, event.summaries,
                   max(1, round(event.seconds / 60)))
