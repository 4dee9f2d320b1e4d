"""The text a chunk is searched by: its own text behind the document title and section path.

A chunk cut from the middle of a document often never names what it is about ("It applies
from 2 August 2026"); its title and headings do. Both the embedding and the BM25 index see
this header, while the stored `text` stays the exact slice of the document that users read
and that the model quotes.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# MiniLM reads 256 tokens and chunks hold up to 240 by default: a short header still fits.
_MAX_HEADER_CHARS = 160
_SEPARATORS = re.compile(r"[_\s]+")


def document_title(name: str) -> str:
    """A readable title from a file name: 'eu_ai_act-2024.pdf' -> 'eu ai act-2024'."""
    stem = PurePath(name).stem if PurePath(name).suffix.isascii() else name
    if len(PurePath(name).suffix) > 6:  # not an extension: a title with a dot in it
        stem = name
    return _SEPARATORS.sub(" ", stem).strip()


def search_text(title: str, section: str, text: str) -> str:
    """Header lines (title, section) that the chunk does not already start with, then the text."""
    header: list[str] = []
    start = text.lstrip()[:_MAX_HEADER_CHARS]
    for part in (title, section):
        part = " ".join(part.split())
        if not part or part in header or start.startswith(part[:40]):
            continue
        header.append(part)
    if not header:
        return text
    head = " — ".join(header)
    if len(head) > _MAX_HEADER_CHARS:
        head = head[: _MAX_HEADER_CHARS - 1].rstrip() + "…"
    return f"{head}\n\n{text}"
