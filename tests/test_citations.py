"""Citation markers: the plain [n] form, and the spelled-out forms small models write."""

from __future__ import annotations

import pytest

from desktop_rag.core.answer.citations import cited_numbers, normalise_citations, strip_citations


@pytest.mark.parametrize(("written", "plain"), [
    ("Every four years. [Passage 1]", "Every four years. [1]"),
    ("Every four years (passage 2).", "Every four years [2]."),
    ("In 1990 [Passages 1 and 3].", "In 1990 [1, 3]."),
    ("En 1990 [extraits 2 et 4].", "En 1990 [2, 4]."),
    ("En 1990 (Passage n° 3).", "En 1990 [3]."),
    ("In 1990 [Passage 1, Passage 2].", "In 1990 [1, 2]."),
    ("In 1990 [1].", "In 1990 [1]."),
    # Words, not markers: left alone.
    ("As passage 2 says, in 1990.", "As passage 2 says, in 1990."),
    ("The sources (2 of them) agree.", "The sources (2 of them) agree."),
])
def test_spelled_out_markers_become_plain(written: str, plain: str) -> None:
    assert normalise_citations(written) == plain


def test_numbers_in_order_of_first_appearance() -> None:
    assert cited_numbers("A [2]. B [1, 2]. C [3; 1].") == [2, 1, 3]
    assert cited_numbers("No marker, a year 1990 and a list [a].") == []
    assert strip_citations("A [2]. B [1, 2].").split() == ["A", ".", "B", "."]
