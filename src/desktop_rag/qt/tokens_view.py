"""The answer with each token shaded by the probability the model gave it.

Hovering a token shows its probability and the alternatives the model weighed. The text is put in
the document token by token with a character format each (no HTML, so a token like "<b>" shows
as typed and a newline token breaks the line), and the start of every token is kept to find the
token under the mouse.
"""

from __future__ import annotations

import bisect
import html
import math
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QLocale, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_rag.core.llm.types import TokenLogprob

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "TokensView",
    "This answer has no token probabilities: turn on 'Token probabilities' in the generation "
    "settings and ask again.",
)
LEGEND_PROBABILITIES = (0.05, 0.25, 0.5, 0.75, 0.95)
_VISIBLE_WHITESPACE = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def probability(logprob: float) -> float:
    """exp(logprob) kept within [0, 1]: rounding can push a certain token's logprob above 0,
    and a server may send NaN for a token it did not score."""
    if math.isnan(logprob):
        return 0.0
    return min(math.exp(min(logprob, 0.0)), 1.0)


def shade(p: float) -> QColor:
    """Red for a token the model hardly expected, through yellow, to a faint green for a
    near-certain one: the eye goes to where the model hesitated. Translucent, so the text stays
    readable on light and dark themes alike."""
    p = min(max(p, 0.0), 1.0)
    return QColor.fromHsvF(p / 3, 0.8, 1.0, 0.08 + 0.62 * (1.0 - p))


class TokensView(QWidget):
    """`set_tokens(tokens, perplexity)` shows an answer's tokens; `clear()` the empty state."""

    def __init__(self, parent: QWidget | None = None, empty_text: str | None = None) -> None:
        super().__init__(parent)
        self._tokens: list[TokenLogprob] = []
        self._starts: list[int] = []  # document position where each token begins
        self._end = 0  # document position after the last token

        self.empty_label = QLabel(empty_text or self.tr(EMPTY_TEXT))
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setToolTip(self.tr(
            "Perplexity: how unsure the model was over the whole answer. 1 means it was certain "
            "of every token; the higher, the more it hesitated. Mean probability: the average of "
            "the probabilities of the tokens it chose."))
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setUndoRedoEnabled(False)
        self.text.viewport().installEventFilter(self)

        answer = QWidget()
        layout = QVBoxLayout(answer)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(self._legend())
        layout.addWidget(self.text, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(answer)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        self.clear()

    def _legend(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Probability:")))
        for p in LEGEND_PROBABILITIES:
            swatch = QLabel(_percent(p, decimals=0))
            colour = shade(p)
            swatch.setStyleSheet(
                f"background-color: rgba({colour.red()}, {colour.green()}, {colour.blue()}, "
                f"{colour.alpha()}); padding: 1px 6px;")
            row.addWidget(swatch)
        row.addStretch(1)
        return row

    def set_tokens(self, tokens: Sequence[TokenLogprob], perplexity: float | None) -> None:
        if not tokens:
            self.clear()
            return
        self._tokens = list(tokens)
        probabilities = [probability(t.logprob) for t in self._tokens]
        if perplexity is None:  # as the core computes it, for answers saved without it
            finite = [t.logprob for t in self._tokens if math.isfinite(t.logprob)]
            perplexity = math.exp(-sum(finite) / len(finite)) if finite else None
        self.text.clear()
        cursor = QTextCursor(self.text.document())
        cursor.beginEditBlock()
        self._starts = []
        for token, p in zip(self._tokens, probabilities, strict=True):
            self._starts.append(cursor.position())
            style = QTextCharFormat()
            style.setBackground(shade(p))
            cursor.insertText(token.token, style)
        cursor.endEditBlock()
        self._end = cursor.position()
        self.text.moveCursor(QTextCursor.MoveOperation.Start)

        locale = QLocale()
        mean = sum(probabilities) / len(probabilities)
        shown = locale.toString(perplexity, "f", 2) if perplexity is not None else "–"
        self.summary.setText(
            self.tr("Perplexity {perplexity} · mean probability {mean} · {count} tokens")
            .format(perplexity=shown, mean=_percent(mean), count=locale.toString(len(tokens))))
        self.stack.setCurrentIndex(1)

    def clear(self) -> None:
        self._tokens, self._starts, self._end = [], [], 0
        self.text.clear()
        self.summary.clear()
        self.stack.setCurrentWidget(self.empty_label)

    def token_at(self, char_pos: int) -> int | None:
        """Index of the token holding document position `char_pos`."""
        if not 0 <= char_pos < self._end:
            return None
        # The last token starting at or before the position: a token with no text shares its
        # start with the next one, which is the one holding the character.
        return bisect.bisect_right(self._starts, char_pos) - 1

    def tooltip_at(self, char_pos: int) -> str:
        """Rich text: the token's probability and the alternatives; empty when no token."""
        index = self.token_at(char_pos)
        if index is None:
            return ""
        token = self._tokens[index]
        chosen = html.escape(_percent(probability(token.logprob)))
        lines = [f"<b>{_shown(token.token)}</b> &nbsp; {chosen}"]
        if token.top:
            lines.append(self.tr("Alternatives the model weighed:"))
            rows = []
            for text, logprob in token.top:
                cell = _shown(text)
                if text == token.token:
                    cell = f"<b>{cell}</b>"
                rows.append(f"<tr><td>{cell}</td><td align='right'>&nbsp; "
                            f"{html.escape(_percent(probability(logprob)))}</td></tr>")
            lines.append("<table>" + "".join(rows) + "</table>")
        else:
            lines.append(self.tr("No alternatives were recorded for this token."))
        return "<qt>" + "<br>".join(lines) + "</qt>"

    def char_at(self, pos: QPoint) -> int:
        """Document position of the character under viewport point `pos`, -1 over no text."""
        layout = self.text.document().documentLayout()
        offset = QPoint(self.text.horizontalScrollBar().value(),
                        self.text.verticalScrollBar().value())
        if layout.hitTest(pos + offset, Qt.HitTestAccuracy.ExactHit) < 0:
            return -1
        cursor = self.text.cursorForPosition(pos)
        # cursorForPosition snaps to the nearest gap between characters: left of that gap, the
        # character under the mouse is the one before it.
        if pos.x() < self.text.cursorRect(cursor).left():
            return max(cursor.position() - 1, 0)
        return cursor.position()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.tooltip_at(self.char_at(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.text.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)


def _percent(p: float, decimals: int = 1) -> str:
    if 0 < p < 0.001:
        return "<0.1%"  # rather than a misleading 0.0%
    return QLocale().toString(p * 100, "f", decimals) + "%"


def _shown(token: str) -> str:
    """A token as a tooltip can show it: escaped, its spaces and line breaks made visible."""
    if not token:
        return "∅"
    return html.escape("".join(_VISIBLE_WHITESPACE.get(ch, ch) for ch in token))
