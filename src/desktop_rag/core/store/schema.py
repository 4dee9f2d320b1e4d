"""Arrow schemas and plain records of the library's tables."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pyarrow as pa

DOCUMENTS = "documents"
ELEMENTS = "elements"

IMPORTED, FAILED, DUPLICATE = "imported", "failed", "duplicate"

DOCUMENTS_SCHEMA = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("doc_id", pa.string()),
        pa.field("name", pa.string()),
        pa.field("file_type", pa.string()),
        pa.field("mime", pa.string()),
        pa.field("state", pa.string()),
        pa.field("error", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("pages", pa.int32()),
        pa.field("chunks", pa.int32()),
        pa.field("chars", pa.int64()),
        pa.field("size", pa.int64()),
        pa.field("mtime", pa.float64()),
        pa.field("imported_at", pa.float64()),
        pa.field("chunk_set", pa.string()),
        pa.field("chunking", pa.string()),
        pa.field("chunking_override", pa.string()),
        pa.field("warnings", pa.string()),
    ]
)

ELEMENTS_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("ordinal", pa.int32()),
        pa.field("text", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("page", pa.int32()),
    ]
)


def chunks_schema(dimension: int) -> pa.Schema:
    return pa.schema(
        [
            pa.field("chunk_id", pa.string(), nullable=False),
            pa.field("doc_id", pa.string()),
            pa.field("chunk_set", pa.string()),
            pa.field("ordinal", pa.int32()),
            pa.field("text", pa.string()),
            # title and section header + text: what the embedding and the BM25 index see
            pa.field("search_text", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), dimension)),
            pa.field("pages", pa.list_(pa.int32())),
            pa.field("page", pa.int32()),
            pa.field("section", pa.string()),
            pa.field("element_types", pa.list_(pa.string())),
            pa.field("char_start", pa.int64()),
            pa.field("char_end", pa.int64()),
            pa.field("char_count", pa.int32()),
            pa.field("token_count", pa.int32()),
        ]
    )


@dataclass
class DocumentRecord:
    """One row of the documents table: a file the user gave, whatever became of it."""

    path: str
    doc_id: str = ""
    name: str = ""
    file_type: str = ""
    mime: str = ""
    state: str = IMPORTED
    error: str = ""
    duplicate_of: str = ""
    pages: int | None = None
    chunks: int = 0
    chars: int = 0
    size: int = 0
    mtime: float = 0.0
    imported_at: float = 0.0
    chunk_set: str = ""
    chunking: str = ""
    chunking_override: str = ""
    warnings: str = ""

    def to_row(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DocumentRecord:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})

    @property
    def short_id(self) -> str:
        return self.doc_id[:12]


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    pages: tuple[int, ...]
    section: str
    element_types: tuple[str, ...]
    char_start: int
    char_end: int
    token_count: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredChunk:
        return cls(
            chunk_id=row["chunk_id"],
            doc_id=row["doc_id"],
            ordinal=row["ordinal"],
            text=row["text"],
            pages=tuple(row["pages"] or ()),
            section=row["section"] or "",
            element_types=tuple(row["element_types"] or ()),
            char_start=row["char_start"],
            char_end=row["char_end"],
            token_count=row["token_count"],
        )

    @property
    def char_count(self) -> int:
        return len(self.text)


# -- summaries (RAPTOR) ----------------------------------------------------------------------
# A document's summary tree is built on one chunk set. Its summaries are rows of the chunks
# table (so the vector and BM25 indexes search them with the chunks) in the chunk set
# summary_set(base); the tree itself (levels, children, model, prompt) is in SUMMARY_NODES.
# A new chunk set (the file changed, a re-chunk) leaves the old tree unmatched, and deleting a
# chunk set deletes its summaries too.
SUMMARY_PREFIX = "raptor-"
SUMMARY_NODES = "summary_nodes"
SUMMARY_KIND = "Summary"  # the element type of a summary row

SUMMARY_NODES_SCHEMA = pa.schema(
    [
        pa.field("chunk_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string()),
        pa.field("base_set", pa.string()),  # the chunk set of the leaves
        pa.field("level", pa.int32()),  # 1: summarises chunks; 2: summarises level 1; ...
        pa.field("position", pa.int32()),  # order among its level (first leaf in the document)
        pa.field("cluster_key", pa.string()),
        pa.field("children", pa.list_(pa.string())),
        pa.field("is_root", pa.bool_()),
        pa.field("text", pa.string()),
        pa.field("pages", pa.list_(pa.int32())),
        pa.field("language", pa.string()),
        pa.field("model", pa.string()),
        pa.field("prompt", pa.string()),  # the messages sent, as JSON
        pa.field("prompt_tokens", pa.int32()),
        pa.field("eval_tokens", pa.int32()),
        pa.field("seconds", pa.float64()),
        pa.field("created", pa.float64()),
    ]
)


def summary_set(base_set: str) -> str:
    return SUMMARY_PREFIX + base_set


def is_summary_set(chunk_set: str) -> bool:
    return chunk_set.startswith(SUMMARY_PREFIX)
