"""Token positions from the embedding model's own tokenizer, for sizing chunks.

Loaded from the model folder's tokenizer.json with the `tokenizers` library, so chunking never
loads torch, and counts are exactly what the model will see.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path


class TokenCounter:
    def __init__(self, tokenizer_json: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_json))
        # The model's file may truncate to its input size; counting must see every token.
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def positions(self, text: str) -> TokenPositions:
        # encode() holds the GIL for the whole text (234 ms for a 400-page PDF, a frozen
        # window); encode_batch() releases it. Pieces are cut at whitespace, where the
        # tokenizer splits words anyway, so the tokens are the same.
        pieces = _pieces(text)
        encodings = self._tokenizer.encode_batch([text[a:b] for a, b in pieces],
                                                 add_special_tokens=False)
        starts: list[int] = []
        ends: list[int] = []
        for (base, _end), encoding in zip(pieces, encodings, strict=True):
            for start, end in encoding.offsets:
                if end > start:
                    starts.append(base + start)
                    ends.append(base + end)
        return TokenPositions(starts, ends)

    def count(self, text: str) -> int:
        return len(self.positions(text).starts)


_PIECE_CHARS = 20_000


def _pieces(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of about _PIECE_CHARS characters, each ending at whitespace."""
    spans = []
    start = 0
    while len(text) - start > _PIECE_CHARS:
        cut = start + _PIECE_CHARS
        while cut < len(text) and not text[cut].isspace():
            cut += 1
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class TokenPositions:
    """Start and end character offsets of each token of one text, in order."""

    starts: list[int]
    ends: list[int]

    def index_at(self, char: int) -> int:
        """Index of the first token starting at or after `char`."""
        return bisect_left(self.starts, char)

    def count(self, start: int, end: int) -> int:
        """Tokens that start inside [start, end)."""
        return self.index_at(end) - self.index_at(start)
