"""The Ollama setup dialog: how to install and start Ollama, another server's address, and a
first model to download.

It shows one of three states. "unreachable": what Ollama is, how to install and start it on
this system, and the server's address with Retry (Ollama can run on another machine, such as
a GPU server on the local network). "no_model": a few small models with their download sizes;
the chosen one is downloaded with progress, then selected. "ready": which server and model
answer. The dialog is not modal, so importing, browsing and searching go on behind it. Of the
Ollama work it only checks a typed address itself; qt/ollama_guide.py connects it to the
Ollama controller (qt/ollama_controller.py), which sets the host and pulls models. Its texts
and checks are in qt/ollama_help.py.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.qt.i18n import arg
from desktop_rag.qt.jobs import Job, call_in_background
from desktop_rag.qt.ollama_help import (
    LINK,
    RECOMMENDED_MODEL,
    SUGGESTED_MODELS,
    SYSTEM_NAMES,
    format_size,
    install_help,
    normalize_host,
    not_an_address,
    system,
)

AT_START = "ollama_setup_at_start"  # window setting: offer the dialog at start (default yes)


def install_labels(text: str) -> list[QLabel]:
    """Labels for install instructions: one per paragraph, with its addresses as links, and
    one per command (a line indented by four spaces), in a fixed-width font."""
    labels = []
    for line in text.split("\n"):
        if line.startswith("    "):
            label = _label(line.strip())
            label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            label.setContentsMargins(16, 0, 0, 0)
        elif line.strip():
            label = _label(LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>',
                                     html.escape(line, quote=False)), rich=True)
        else:
            continue
        labels.append(label)
    return labels


def _label(text: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(rich)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


class OllamaSetupDialog(QDialog):
    """Emits `host_confirmed(url)` when Retry found Ollama at the typed address, and
    `download_requested(name)`; the owner answers the latter with `follow_pull(name, job)`
    and tells the state of the window's connection with `set_state`."""

    host_confirmed = Signal(str)
    download_requested = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.state = ""
        self.host = ""
        self.pull_job: Job | None = None
        self._pulling = ""
        self._layers: dict[str, tuple[int, int]] = {}  # digest: (completed, total)
        self._probes = 0  # the latest Retry; older answers are ignored
        self.setWindowTitle(self.tr("Ollama"))
        self.setModal(False)
        self.setMinimumWidth(600)

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.unreachable_page = self._unreachable_page()
        self.model_page = self._model_page()
        self.ready_label = _label()
        self.at_start_check = QCheckBox(self.tr("Don't show this at start"))
        self.at_start_check.setChecked(not settings.value(AT_START, True, bool))
        self.at_start_check.toggled.connect(self._at_start_toggled)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.at_start_check)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.server_group = self._server_group()
        for widget in (self.title, self.unreachable_page, self.model_page, self.ready_label,
                       self.server_group):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(bottom)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in the address field means Retry, only
        self.set_state("unreachable", "")

    # -- building -------------------------------------------------------------------------

    def _unreachable_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        self.intro_label = _label()
        self.install_title = _label(arg(self.tr("Installing Ollama on %1"),
                                        SYSTEM_NAMES[system()]))
        font = self.install_title.font()
        font.setBold(True)
        self.install_title.setFont(font)
        self.install_text = install_help()  # this system's, in the interface's language
        self.remote_label = _label(self.tr(
            "Ollama on another computer, such as a GPU server on your network: enter its "
            "address below and press Retry. There, Ollama must listen on the network (start "
            "it with OLLAMA_HOST=0.0.0.0)."))
        self.offline_label = _label(self.tr(
            "Without Ollama you can still import documents, browse their chunks and search "
            "them."))
        for widget in (self.intro_label, self.install_title,
                       *install_labels(self.install_text), self.remote_label,
                       self.offline_label):
            column.addWidget(widget)
        return page

    def _model_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        self.models_intro = _label()
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setColumnStretch(2, 1)
        self.model_group = QButtonGroup(self)
        self.model_buttons: dict[str, QRadioButton] = {}
        for row, (name, size, note) in enumerate(SUGGESTED_MODELS):
            button = QRadioButton(name)
            button.setChecked(name == RECOMMENDED_MODEL)
            self.model_group.addButton(button)
            self.model_buttons[name] = button
            grid.addWidget(button, row, 0)
            grid.addWidget(QLabel(arg(self.tr("about %1"), format_size(size))), row, 1)
            grid.addWidget(_label(self.tr(note)), row, 2)
        self.other_label = _label(self.tr(
            "Another model of the Ollama library: use Pull a model… in the Settings tab."))
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self._download)
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.cancel_button.clicked.connect(self.cancel_pull)
        self.cancel_button.hide()
        self.pull_bar = QProgressBar()
        self.pull_bar.setRange(0, 1000)
        self.pull_bar.setTextVisible(False)
        self.pull_bar.hide()
        self.pull_label = _label()
        self.pull_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.pull_bar, 1)
        buttons.addStretch(0)  # keeps the buttons narrow while the bar is hidden
        column.addWidget(self.models_intro)
        column.addLayout(grid)
        column.addWidget(self.other_label)
        column.addLayout(buttons)
        column.addWidget(self.pull_label)
        return page

    def _server_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Ollama server"))
        self.host_edit = QLineEdit()
        self.host_edit.setAccessibleName(self.tr("Address of the Ollama server"))
        self.host_edit.setPlaceholderText(self.tr("host:port, for example 192.168.1.20:11434"))
        self.host_edit.returnPressed.connect(self.retry)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setToolTip(self.tr("Look for Ollama at this address."))
        self.retry_button.clicked.connect(self.retry)
        self.host_status = _label()
        self.host_status.hide()
        row = QHBoxLayout()
        row.addWidget(self.host_edit, 1)
        row.addWidget(self.retry_button)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(self.host_status)
        return box

    # -- the window's state ---------------------------------------------------------------

    def set_state(self, state: str, host: str, version: str = "", model: str = "") -> None:
        """Show "unreachable", "no_model" or "ready" for the server at `host`. The address
        field follows, unless the user is editing it; a download in progress stays shown."""
        if self.pull_job is not None:
            return
        self.state, self.host = state, host
        if host and not self.host_edit.isModified():
            self.host_edit.setText(host)
        self.unreachable_page.setVisible(state == "unreachable")
        self.model_page.setVisible(state == "no_model")
        self.ready_label.setVisible(state == "ready")
        self.at_start_check.setVisible(state != "ready")
        self.close_button.setText(self.tr("Continue without Ollama") if state == "unreachable"
                                  else self.tr("Close"))
        self.retry_button.setText(self.tr("Connect") if state == "ready" else self.tr("Retry"))
        if state == "unreachable":
            self.title.setText(self.tr("desktop-rag cannot reach Ollama"))
            self.intro_label.setText(arg(self.tr(
                "desktop-rag writes its answers with a language model, run by Ollama: a free "
                "program, on this computer or on another one of your network. It looked for "
                "Ollama at %1 and found nothing there."), host))
        elif state == "no_model":
            self.title.setText(self.tr("Ollama has no model yet"))
            self.models_intro.setText(arg(self.tr(
                "Ollama answers at %1, but has no language model to write answers with. "
                "Choose one to download: smaller models answer faster, larger ones better. "
                "It is downloaded once, onto the computer that runs Ollama."), host))
        else:
            self.title.setText(self.tr("Ollama is ready"))
            self.ready_label.setText(arg(self.tr(
                "desktop-rag uses Ollama %1 at %2, and %3 writes the answers. Choose another "
                "model in the Settings tab."), version, host, model))
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped text of the state shown needs, no taller."""
        # Fonts are final once polished; the pages' sizes, cached by this layout while the
        # dialog is hidden, are not updated when the texts in them change.
        self.ensurePolished()
        for page in (self.unreachable_page, self.model_page, self.server_group):
            page.updateGeometry()
        layout = self.layout()
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        self.resize(width, layout.totalHeightForWidth(width))

    # -- the server's address -------------------------------------------------------------

    def retry(self) -> None:
        """Look for Ollama at the typed address, on a worker."""
        from desktop_rag.core.llm.client import OllamaClient

        typed = self.host_edit.text().strip()
        try:
            host = normalize_host(typed)
        except ValueError:
            self._host_message(not_an_address(typed) if typed
                               else self.tr("Enter the address of the Ollama server."), False)
            return
        self.host_edit.setText(host)
        self.host_edit.setModified(True)  # the user's choice, until it is confirmed
        self._probes += 1
        probe = self._probes
        self.retry_button.setEnabled(False)
        self._host_message(arg(self.tr("Checking %1…"), host), None)
        call_in_background("ollama-setup", lambda: OllamaClient(host).health(),
                           lambda status: self._probed(probe, status),
                           lambda exc: self._probed(probe, exc), parent=self)

    def _probed(self, probe: int, status: Any) -> None:
        from desktop_rag.core.errors import OllamaUnavailable

        if probe != self._probes:
            return
        self.retry_button.setEnabled(True)
        if isinstance(status, BaseException):  # a bug: health() reports, it never raises
            self._host_message(str(status), False)
        elif status.reachable:
            self._host_message(arg(self.tr("Connected: Ollama %1 at %2."), status.version,
                                   status.host), True)
            self.host_edit.setModified(False)
            self.host_confirmed.emit(status.host)
        elif status.error in (None, "", OllamaUnavailable(status.host).user_message):
            self._host_message(arg(self.tr(
                "Nothing answers at %1. Check the address, and that Ollama runs there and "
                "listens on the network."), status.host), False)
        else:
            self._host_message(arg(self.tr("No Ollama at %1: %2"), status.host, status.error),
                               False)

    def _host_message(self, text: str, ok: bool | None) -> None:
        self.host_status.setText(text)
        self.host_status.setStyleSheet({True: "color: #1b6e20;", False: "color: #b3261e;",
                                        None: ""}[ok])
        self.host_status.show()
        self._fit()

    def _at_start_toggled(self, hide: bool) -> None:
        self.settings.setValue(AT_START, not hide)
        self.settings.sync()

    # -- downloading a model --------------------------------------------------------------

    def chosen_model(self) -> str:
        button = self.model_group.checkedButton()
        return button.text() if button is not None else ""

    def _download(self) -> None:
        if self.chosen_model() and self.pull_job is None:
            self.download_requested.emit(self.chosen_model())

    def follow_pull(self, name: str, job: Job) -> None:
        """Show the progress of `job`, the window's download of `name`."""
        self.pull_job, self._pulling, self._layers = job, name, {}
        job.event.connect(self._pull_event)
        job.failed.connect(self._pull_failed)
        job.done.connect(self._pull_done)
        self.download_button.setEnabled(False)
        self.cancel_button.show()
        self.pull_bar.setRange(0, 0)  # busy until Ollama says how much there is
        self.pull_bar.show()
        self._pull_message(arg(self.tr("Starting the download of %1…"), name), None)

    def cancel_pull(self) -> None:
        if self.pull_job is not None:
            self.pull_job.cancel()

    def _pull_event(self, progress: Any) -> None:
        if progress.digest and progress.total:
            self._layers[progress.digest] = (progress.completed or 0, progress.total)
        if not self._layers:
            return
        done = sum(c for c, _ in self._layers.values())
        total = sum(t for _, t in self._layers.values())
        self.pull_bar.setRange(0, 1000)
        self.pull_bar.setValue(round(1000 * min(1.0, done / total)))
        text = arg(self.tr("Downloading %1: %2 of %3"), self._pulling, format_size(done),
                   format_size(total)) if done < total else \
            arg(self.tr("Checking the download of %1…"), self._pulling)
        self._pull_message(text, None)

    def _pull_failed(self, exc: BaseException) -> None:
        self._pull_message(arg(self.tr("The download failed: %1"), exc), False)

    def _pull_done(self) -> None:
        job, name = self.pull_job, self._pulling
        self.pull_job = None
        self.download_button.setEnabled(True)
        self.cancel_button.hide()
        self.pull_bar.hide()
        self._fit()
        if job is None or job.error is not None:
            return
        if job.cancel_token.cancelled:
            self._pull_message(self.tr("The download was cancelled."), False)
        else:
            self._pull_message(arg(self.tr("%1 is downloaded; it is selected for this "
                                           "library."), name), True)

    def _pull_message(self, text: str, ok: bool | None) -> None:
        self.pull_label.setText(text)
        self.pull_label.setStyleSheet({True: "color: #1b6e20;", False: "color: #b3261e;",
                                       None: ""}[ok])
        self.pull_label.show()
        self._fit()
