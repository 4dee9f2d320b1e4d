"""The tokens view: shading by probability, the tooltip of a hovered token, the summary line and
the empty state."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QLocale, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from desktop_rag.core.llm.types import TokenLogprob
from desktop_rag.qt.tokens_view import EMPTY_TEXT, TokensView

SURE = TokenLogprob("Paris", math.log(0.99),
                    [("Paris", math.log(0.99)), ("Lyon", math.log(0.006))])
UNSURE = TokenLogprob(" maybe", math.log(0.1),
                      [(" probably", math.log(0.6)), (" maybe", math.log(0.1)),
                       ("<b>", math.log(0.05))])


@pytest.fixture
def view(qtbot):  # type: ignore[no-untyped-def]
    widget = TokensView()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    return widget


def background_at(view: TokensView, position: int) -> QColor:
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(position + 1)  # the format of the character before the cursor
    return cursor.charFormat().background().color()


def test_unlikely_tokens_are_shaded_red_and_likely_ones_barely(view):
    view.set_tokens([SURE, UNSURE], 1.2)

    sure, unsure = background_at(view, 0), background_at(view, len("Paris") + 1)
    assert sure != unsure
    assert unsure.alpha() > 3 * sure.alpha()  # the eye goes to the unlikely token
    assert unsure.red() > unsure.green()
    assert sure.green() > sure.red()
    # Every character of a token has its token's shade.
    assert background_at(view, 4) == sure


def test_tooltip_gives_the_probability_and_the_alternatives(view):
    view.set_tokens([SURE, UNSURE], None)

    tip = view.tooltip_at(len("Paris") + 2)  # inside " maybe"

    assert "10.0%" in tip
    assert "␣probably" in tip and "60.0%" in tip
    assert "&lt;b&gt;" in tip and "<b>" not in tip.replace("<b>␣maybe</b>", "")
    assert "5.0%" in tip
    assert "Lyon" in view.tooltip_at(0) and "0.6%" in view.tooltip_at(0)
    assert view.tooltip_at(len("Paris maybe")) == ""  # past the end
    assert view.tooltip_at(-1) == ""


def test_summary_shows_perplexity_and_mean_probability(view):
    view.set_tokens([SURE, UNSURE], 2.5)
    locale = QLocale()
    assert f"Perplexity {locale.toString(2.5, 'f', 2)}" in view.summary.text()
    assert f"mean probability {locale.toString(54.5, 'f', 1)}%" in view.summary.text()
    assert "2 tokens" in view.summary.text()

    view.set_tokens([SURE, UNSURE], None)  # computed as the core does: exp(-mean logprob)
    expected = math.exp(-(SURE.logprob + UNSURE.logprob) / 2)
    assert f"Perplexity {locale.toString(expected, 'f', 2)}" in view.summary.text()


def test_tokens_are_text_not_html_and_newlines_break_lines(view):
    tokens = [TokenLogprob("<b>bold</b> &amp;", -0.1), TokenLogprob("\n", -0.2),
              TokenLogprob("", -0.3), TokenLogprob("next 😀 line", -0.4)]

    view.set_tokens(tokens, None)

    assert view.text.toPlainText() == "<b>bold</b> &amp;\nnext 😀 line"
    assert view.text.document().blockCount() == 2
    second_line = len("<b>bold</b> &amp;\n")
    assert view.token_at(second_line - 1) == 1  # the line break
    assert view.token_at(second_line) == 3  # not the empty token sharing its start
    end = second_line + len("next 😀 line")  # the emoji is two UTF-16 units in the document
    assert view.token_at(end) == 3
    assert view.token_at(end + 1) is None
    assert view.tooltip_at(second_line - 1).startswith("<qt><b>↵</b>")


def test_empty_state(qtbot):
    view = TokensView()
    qtbot.addWidget(view)
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == EMPTY_TEXT
    assert "Token probabilities" in EMPTY_TEXT

    view.set_tokens([SURE], None)
    assert view.stack.currentWidget() is not view.empty_label
    view.clear()
    assert view.stack.currentWidget() is view.empty_label
    assert view.tooltip_at(0) == ""
    view.set_tokens([SURE], 1.0)
    view.set_tokens([], None)
    assert view.stack.currentWidget() is view.empty_label

    custom = TokensView(empty_text="Nothing to show.")
    qtbot.addWidget(custom)
    assert custom.empty_label.text() == "Nothing to show."


def _point_inside(view: TokensView, position: int, fraction: float = 0.5) -> QPoint:
    """A viewport point `fraction` of the way across the character at `position`."""
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(position)
    left = view.text.cursorRect(cursor)
    cursor.setPosition(position + 1)
    right = view.text.cursorRect(cursor)
    return QPoint(left.left() + round((right.left() - left.left()) * fraction), left.center().y())


def test_the_mouse_finds_the_character_under_it(qtbot, view):
    view.show()
    qtbot.waitExposed(view)
    view.set_tokens([SURE, UNSURE, TokenLogprob(" here", -0.5)], None)

    characters = list(range(len(view.text.toPlainText())))
    # Both halves of a character: cursorForPosition snaps to the nearer gap between characters.
    for fraction in (0.25, 0.75):
        assert [view.char_at(_point_inside(view, i, fraction)) for i in characters] == characters
    below = QPoint(10, view.text.viewport().height() - 5)
    assert view.char_at(below) == -1


def test_hovering_a_token_shows_its_tooltip(qtbot, view):
    view.show()
    qtbot.waitExposed(view)
    view.set_tokens([SURE, UNSURE], None)
    viewport = view.text.viewport()

    inside = _point_inside(view, len("Paris") + 3)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, inside,
                                                viewport.mapToGlobal(inside)))
    assert QToolTip.isVisible()
    assert QToolTip.text() == view.tooltip_at(len("Paris") + 3)

    below = QPoint(10, viewport.height() - 5)
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, below,
                                                viewport.mapToGlobal(below)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
