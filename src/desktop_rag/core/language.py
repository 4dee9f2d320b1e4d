"""Guess whether texts are French or English, from their most common short words.

Enough to pick a library's stemmer and to warn that an English-only embedder meets French
documents; not a general language identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-zà-ÿ']+")
_MARKERS = {
    "fr": {"le", "la", "les", "des", "du", "une", "est", "et", "dans", "pour", "qui", "que",
           "sur", "au", "aux", "par", "pas", "avec", "sont", "ce", "cette", "il", "elle"},
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "was", "on",
           "are", "by", "this", "be", "from", "it", "an", "which", "or", "were", "at"},
}


def detect_language(
    texts: Iterable[str], sample_chars: int = 200_000, default: str = "en"
) -> str:
    """'fr' or 'en'; `default` when nothing tells them apart (a two-word question)."""
    counts = dict.fromkeys(_MARKERS, 0)
    seen = 0
    for text in texts:
        for word in _WORD.findall(text.lower()):
            for language, markers in _MARKERS.items():
                if word in markers:
                    counts[language] += 1
        seen += len(text)
        if seen >= sample_chars:
            break
    if counts["fr"] == counts["en"]:
        return default
    return "fr" if counts["fr"] > counts["en"] else "en"
