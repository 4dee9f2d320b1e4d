"""Library > Check search quality...: how well search finds the open library's own chunks.

Questions are written from a sample of its chunks (by the chat model of the Settings tab when
Ollama answers, else from key sentences), searched with the library's retrieval settings, and
the report says per document how often the chunk a question came from came back first and
among the passages of the prompt, the worst documents first. The work is the core's
Workspace.check_search generator run as a Job: the window stays usable, Cancel keeps what was
measured. Not modal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.qt.i18n import arg
from desktop_rag.qt.jobs import Job, run_job

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f} %"


class SearchCheckDialog(QDialog):
    """`workspace()` gives the open library's Workspace (None while none is open), and
    `settings()` the Settings tab's AskSettings (model and retrieval options)."""

    def __init__(self, workspace: Callable[[], Workspace | None], settings: Callable[[], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace, self._settings = workspace, settings
        self.job: Job | None = None
        self.report: Any = None
        self.setWindowTitle(self.tr("Check search quality"))
        self.setModal(False)
        self.setMinimumSize(620, 460)

        intro = QLabel(self.tr(
            "Questions are written from a sample of this library's chunks, then searched as "
            "your questions are. For each document: how often the chunk a question came from "
            "came back first, and among the passages given to the model. Documents where it "
            "rarely does (scans read with errors, tables, pages that all say the same) are "
            "where answers will fail too."))
        intro.setWordWrap(True)
        self.questions = QSpinBox()
        self.questions.setRange(5, 500)
        self.questions.setValue(30)
        self.questions.setSuffix(self.tr(" questions"))
        self.use_model = QCheckBox(self.tr("Questions written by the chat model (slower, "
                                           "closer to a person's)"))
        self.use_model.setChecked(True)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        controls = QHBoxLayout()
        controls.addWidget(self.questions)
        controls.addWidget(self.use_model, 1)
        controls.addWidget(self.start_button)
        controls.addWidget(self.cancel_button)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Questions"),
                                              self.tr("First"), self.tr("In prompt"),
                                              self.tr("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def start(self) -> None:
        from desktop_rag.core.errors import DesktopRagError

        workspace = self._workspace()
        if workspace is None or self.job is not None:
            return
        try:
            settings = self._settings()
        except (ValueError, DesktopRagError) as exc:
            self.status.setText(str(exc))
            return
        model = settings.model if self.use_model.isChecked() else None
        count, options = self.questions.value(), settings.search
        self.report = None
        self.table.setRowCount(0)
        self.summary.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Sampling the chunks..."))
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = run_job(
            "search check", lambda cancel: workspace.check_search(count, options, model, cancel),
            self._event, self._failed, self._done, parent=self)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Cancelling: the figures measured so far follow."))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.cancel()
        super().closeEvent(event)

    def _event(self, item: Any) -> None:
        from desktop_rag.core.answer.search_check import CheckProgress

        if isinstance(item, CheckProgress):
            # Writing then searching: one bar over both.
            self.progress.setRange(0, 2 * max(item.total, 1))
            done = item.done if item.stage == "writing" else item.total + item.done
            self.progress.setValue(done)
            text = (self.tr("Writing question %1 of %2 (%3)") if item.stage == "writing"
                    else self.tr("Searching question %1 of %2 (%3)"))
            self.status.setText(arg(text, item.done + 1, item.total, item.document))
        else:
            self.show_report(item)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def _done(self) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def show_report(self, report: Any) -> None:
        self.report = report
        if not report.probes:
            self.status.setText(self.tr("This library has no chunk to write a question from "
                                        "yet: import documents first."))
            return
        writer = (self.tr("written from key sentences (easier than a person's: they use the "
                          "chunk's own words)") if report.writer == "key sentences"
                  else arg(self.tr("written by %1"), report.writer))
        if report.cancelled:
            self.status.setText(self.tr("Cancelled: the figures are those measured until then."))
        elif self.use_model.isChecked() and report.writer == "key sentences":
            self.status.setText(self.tr("The chat model could not be asked (Ollama is not "
                                        "running, or no model is chosen in Settings): the "
                                        "questions were written from key sentences."))
        else:
            self.status.clear()
        text = arg(self.tr("%1 questions, %2. The chunk a question came from came back first "
                           "for %3 of them, and was among the passages of the prompt for %4 "
                           "(%5 search, %6 passages; %7 s)."),
                   len(report.probes), writer, _percent(report.first),
                   _percent(report.in_prompt), report.options["mode"], report.options["k"],
                   f"{report.seconds:.0f}")
        if report.worst:
            text += "\n" + arg(self.tr("Worst: %1"), "; ".join(
                arg(self.tr("%1 (first %2, in prompt %3)"), d.document, _percent(d.first),
                    _percent(d.in_prompt)) for d in report.worst))
        self.summary.setText(text)
        hints = {"read by OCR": self.tr("read by OCR"), "tables": self.tr("tables")}
        self.table.setRowCount(len(report.documents))  # worst first
        for row, doc in enumerate(sorted(report.documents,
                                         key=lambda d: (d.in_prompt, d.first, d.document))):
            cells = [doc.document, doc.questions, _percent(doc.first), _percent(doc.in_prompt),
                     ", ".join(hints.get(h, h) for h in doc.hints)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 0:
                    item.setToolTip(doc.document)
                self.table.setItem(row, column, item)
