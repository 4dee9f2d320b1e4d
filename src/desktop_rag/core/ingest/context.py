"""The text a chunk is searched by: its own text behind the document title and section path.

A chunk cut from the middle of a document often never names what it is about ("It applies
from 2 August 2026"); its title and headings do. Both the embedding and the BM25 index see
this header, while the stored `text` stays the exact slice of the document that users read
and that the model quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_rag.core.ingest.chunking import Chunk

# MiniLM reads 256 tokens and chunks hold up to 240 by default: a short header still fits.
_MAX_HEADER_CHARS = 160
_SEPARATORS = re.compile(r"[_\s]+")


def document_title(name: str) -> str:
    """A readable title from a file name: 'eu_ai_act-2024.pdf' -> 'eu ai act-2024'."""
    suffix = PurePath(name).suffix
    # A long "suffix" is no extension but a title with a dot in it.
    stem = name[: -len(suffix)] if 0 < len(suffix) <= 6 else name
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


def search_texts(name: str, chunks: Iterable[Chunk]) -> list[str]:
    """The search texts of a document's chunks; `name` is its file name (or title)."""
    title = document_title(name)
    return [search_text(title, c.section, c.text) for c in chunks]
