"""The conversation: questions, answers streaming in as Markdown, citations as links.

The transcript is one Markdown document rendered by a QTextBrowser. Links carry what a click
means: `cite:T:N` (passage N of answer T), `turn:T` (inspect answer T), `copy:T`, `check:T:S`
(why sentence S of answer T is flagged), `draws:T` (what the model said when answer T was asked
again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core.answer.citations import CITATION
from desktop_rag.qt import answer_check
from desktop_rag.qt.i18n import arg

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|])")
_RENDER_EVERY_MS = 60


@dataclass
class TurnView:
    """What the transcript shows of one question and its answer."""

    question: str
    answer: str = ""
    record: dict[str, Any] = field(default_factory=dict)  # Answer.to_dict() once finished
    streaming: bool = False
    checking: bool = False  # written; the model is checking it
    looking_again: int = 0  # the passage the question is asked again with, after a refusal
    drawing: int = 0  # written; the model is asked it again this many times (consistency)
    incomplete: bool = False
    error: str = ""


def _key_name(keys: str) -> str:
    """Keys as the user's language names them (Qt's own catalogue: "Échap" in French)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def link_citations(answer: str, turn: int) -> str:
    def replace(match: re.Match[str]) -> str:
        numbers = [n.strip() for n in re.split(r"[,;]", match.group(1))]
        return "".join(f"[\\[{n}\\]](cite:{turn}:{n})" for n in numbers)

    return CITATION.sub(replace, answer)


def answer_meta(turn: TurnView) -> str:
    """The line under an answer: model, speed, and what was left out or not found."""
    translate = QCoreApplication.translate
    record = turn.record
    if turn.streaming and turn.looking_again:
        return "*" + arg(translate(
            "ChatPanel", "the model found no answer, but its check says that [%1] holds one: "
            "asking again with that passage alone... (Esc stops)"), str(turn.looking_again)) \
            + "*"
    if turn.streaming and turn.checking:
        return "*" + translate("ChatPanel", "checking the answer with the model... (Esc skips)") \
            + "*"
    if turn.streaming and turn.drawing:
        return "*" + arg(translate(
            "ChatPanel", "asking the question again %1 times to test the answer... (Esc skips)"),
            str(turn.drawing)) + "*"
    if turn.streaming:
        return "*" + translate("ChatPanel", "writing... (Esc stops)") + "*"
    parts: list[str] = []
    if record.get("model") and not record.get("nothing_relevant"):
        parts.append(record["model"])
    if record.get("time_to_first_token_s") is not None:
        parts.append(arg(translate("ChatPanel", "first token %1 s"),
                         f"{record['time_to_first_token_s']:.1f}"))
    if record.get("tokens_per_second"):
        parts.append(arg(translate("ChatPanel", "%1 tokens/s"),
                         f"{record['tokens_per_second']:.1f}"))
    if record.get("perplexity"):
        parts.append(arg(translate("ChatPanel", "perplexity %1"), f"{record['perplexity']:.2f}"))
    if record.get("nothing_relevant"):
        parts.append(translate("ChatPanel",
                               "⚠ nothing relevant in the documents: the model was not asked"))
    if record.get("dropped_passages"):
        parts.append(translate("ChatPanel", "⚠ %n passage(s) left out: context full", "",
                               record["dropped_passages"]))
    if record.get("dropped_turns"):
        parts.append(translate("ChatPanel", "⚠ %n earlier exchange(s) left out: context full",
                               "", record["dropped_turns"]))
    if not turn.incomplete:
        parts += answer_check.summary(record)
    if record.get("unresolved"):
        listed = ", ".join(f"[{n}]" for n in record["unresolved"])
        parts.append(arg(translate("ChatPanel", "⚠ %1 match no passage"), listed))
    if turn.incomplete:
        reason = record.get("error") or turn.error or translate("ChatPanel", "stopped")
        parts.append(arg(translate("ChatPanel", "⚠ incomplete: %1"), reason))
    return " · ".join(escape_markdown(p) for p in parts)


def transcript_markdown(turns: list[TurnView]) -> str:
    translate = QCoreApplication.translate
    you = translate("ChatPanel", "You:")
    inspect, copy = translate("ChatPanel", "Passages and prompt"), translate("ChatPanel", "Copy")
    asked_again = translate("ChatPanel", "Asked again")
    blocks: list[str] = []
    for index, turn in enumerate(turns):
        blocks.append(f"**{you}** {escape_markdown(turn.question)}")
        if turn.error and not turn.answer:
            blocks.append(f"**⚠ {escape_markdown(turn.error)}**")
        else:
            shown = turn.answer if turn.streaming or turn.incomplete else \
                answer_check.mark_sentences(turn.answer, turn.record, index)
            blocks.append(link_citations(shown, index) or "*…*")
        meta = answer_meta(turn)
        links = "" if turn.streaming else f"[{inspect}](turn:{index}) · [{copy}](copy:{index})"
        if not turn.streaming and (turn.record.get("draws") or {}).get("texts"):
            links += f" · [{asked_again}](draws:{index})"
        blocks.append(f"*{meta}*" + (" · " if meta and links else "") + links if meta else links)
        blocks.append("---")
    return "\n\n".join(b for b in blocks if b)


class ChatPanel(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()
    citation_clicked = Signal(int, int)  # turn index, passage number
    turn_selected = Signal(int)
    conversation_chosen = Signal(str)  # conversation id; "" for a new one
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.turns: list[TurnView] = []
        self.conversations = QComboBox()
        # Questions are long: the list shows their start, and lets the panel narrow.
        self.conversations.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.conversations.setMinimumContentsLength(14)
        self.conversations.activated.connect(self._conversation_activated)
        self.new_button = QPushButton(self.tr("New conversation"))
        self.new_button.clicked.connect(lambda: self.conversation_chosen.emit(""))
        self.export_button = QPushButton(self.tr("Export..."))
        self.export_button.setToolTip(self.tr("Save this conversation as Markdown, with its "
                                              "sources and settings"))
        self.export_button.clicked.connect(self.export_requested)

        self.transcript = QTextBrowser()
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._link_clicked)
        self.placeholder = self.tr(
            "Ask a question about your documents. The answer cites the passages it used as "
            "[1], [2]...: click one to see it in its document.")

        self.input = QPlainTextEdit()
        self.input.setPlaceholderText(self.tr("Your question (Ctrl+Enter sends)"))
        self.input.setMaximumHeight(90)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setToolTip(_key_name("Ctrl+Enter"))
        self.send_button.clicked.connect(self._send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(_key_name("Esc"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.setEnabled(False)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b3261e;")
        self.notice.hide()

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._send,
                      context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence("Esc"), self, self._stop_if_running,
                  context=Qt.ShortcutContext.WindowShortcut)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Conversation:")))
        top.addWidget(self.conversations, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.export_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        bottom.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.notice)
        layout.addLayout(bottom)

        self._render_timer = QTimer(self, singleShot=True, interval=_RENDER_EVERY_MS)
        self._render_timer.timeout.connect(self.render)
        self.render()

    # -- conversations -------------------------------------------------------------------

    def set_conversations(self, items: list[tuple[str, str]], current: str | None) -> None:
        """items: (id, title), newest first."""
        self.conversations.clear()
        self.conversations.addItem(self.tr("(new conversation)"), "")
        for conversation_id, title in items:
            self.conversations.addItem(title or conversation_id, conversation_id)
        index = self.conversations.findData(current or "")
        self.conversations.setCurrentIndex(max(index, 0))

    def _conversation_activated(self, index: int) -> None:
        self.conversation_chosen.emit(self.conversations.itemData(index) or "")

    # -- turns ---------------------------------------------------------------------------

    def set_turns(self, turns: list[TurnView]) -> None:
        self.turns = turns
        self.render()

    def start_answer(self, question: str) -> int:
        self.turns.append(TurnView(question, streaming=True))
        self.set_busy(True)
        self.render()
        return len(self.turns) - 1

    def append_token(self, text: str) -> None:
        if self.turns and self.turns[-1].streaming:
            self.turns[-1].answer += text
            if not self._render_timer.isActive():
                self._render_timer.start()

    def start_check(self) -> None:
        if self.turns and self.turns[-1].streaming:
            self.turns[-1].checking = True
            self.render()

    def start_draws(self, draws: int) -> None:
        if self.turns and self.turns[-1].streaming:
            self.turns[-1].drawing = draws
            self.render()

    def look_again(self, passage: int) -> None:
        """The refusal streamed so far is replaced by the answer from `passage` alone."""
        if self.turns and self.turns[-1].streaming:
            turn = self.turns[-1]
            turn.answer, turn.checking, turn.looking_again = "", False, passage
            turn.drawing = 0
            self.render()

    def finish_answer(self, record: dict[str, Any], text: str, incomplete: bool) -> None:
        turn = self.turns[-1]
        turn.answer, turn.record, turn.incomplete, turn.streaming = text, record, incomplete, False
        turn.checking, turn.looking_again, turn.drawing = False, 0, 0
        self.set_busy(False)
        self.render()

    def fail_answer(self, message: str) -> None:
        if self.turns and self.turns[-1].streaming:
            turn = self.turns[-1]
            turn.streaming, turn.error = False, message
            turn.incomplete = bool(turn.answer)
        self.set_busy(False)
        self.render()

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.conversations.setEnabled(not busy)
        self.new_button.setEnabled(not busy)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def render(self) -> None:
        bar = self.transcript.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        if self.turns:
            self.transcript.setMarkdown(transcript_markdown(self.turns))
        else:
            self.transcript.setMarkdown(f"*{escape_markdown(self.placeholder)}*")
        if at_bottom:
            bar.setValue(bar.maximum())

    # -- input ---------------------------------------------------------------------------

    def _send(self) -> None:
        question = self.input.toPlainText().strip()
        if question and self.send_button.isEnabled():
            self.input.clear()
            self.send_requested.emit(question)

    def _stop_if_running(self) -> None:
        if self.stop_button.isEnabled():
            self.stop_requested.emit()

    def _link_clicked(self, url: QUrl) -> None:
        kind, _, rest = url.toString().partition(":")
        parts = rest.split(":")
        if kind == "cite" and len(parts) == 2:
            self.citation_clicked.emit(int(parts[0]), int(parts[1]))
        elif kind == "check" and len(parts) == 2:
            turn = self.turns[int(parts[0])]
            self.show_notice(answer_check.reason(turn.record, int(parts[1])))
        elif kind == "draws" and parts:
            self.show_notice(answer_check.draws_said(self.turns[int(parts[0])].record))
        elif kind == "turn":
            self.turn_selected.emit(int(parts[0]))
        elif kind == "copy":
            turn = self.turns[int(parts[0])]
            QGuiApplication.clipboard().setText(turn.answer)
            self.show_notice("")
