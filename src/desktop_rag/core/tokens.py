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
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        offsets = [o for o in encoding.offsets if o[1] > o[0]]
        return TokenPositions([o[0] for o in offsets], [o[1] for o in offsets])

    def count(self, text: str) -> int:
        return len(self.positions(text).starts)


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
