"""Re-chunk one document, or re-embed a whole library with another model.

Both start from the stored elements, so the source files need not be there any more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desktop_rag.core.embed.base import Embedder
from desktop_rag.core.events import CancelToken, EmbedProgress
from desktop_rag.core.ingest.chunking import Chunk, chunk_elements
from desktop_rag.core.settings import ChunkingSettings
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.importer import embed_chunks
from desktop_rag.core.store.library import Library
from desktop_rag.core.store.writes import _quote, chunk_rows


def preview_chunks(
    library: Library, doc: S.DocumentRecord, settings: ChunkingSettings, embedder: Embedder
) -> list[Chunk]:
    """The chunks `settings` would give, without storing anything."""
    return chunk_elements(library.elements(doc), settings, embedder.token_counter())


def rechunk_document(
    library: Library,
    doc: S.DocumentRecord,
    settings: ChunkingSettings | None,
    embedder: Embedder,
    cancel: CancelToken | None = None,
) -> Iterator[EmbedProgress | S.DocumentRecord]:
    """Yield embedding progress, then the updated record. settings=None: library default."""
    cancel = cancel or CancelToken()
    library.bind_model(embedder)
    effective = settings or library.settings.chunking
    chunks = preview_chunks(library, doc, effective, embedder)
    vectors = yield from embed_chunks(doc.path, chunks, embedder, cancel, doc.name)
    override = settings.to_json() if settings else ""
    yield library.replace_chunks(doc, chunks, vectors, effective.to_json(), override)


def reembed_library(
    library: Library, embedder: Embedder, cancel: CancelToken | None = None
) -> Iterator[EmbedProgress]:
    """Build the chunks of every document with `embedder` in a new table, then switch to it.

    Until the switch the library keeps answering with the old model; a cancelled or killed
    re-embedding leaves the old table in place and the new one is rebuilt from scratch.
    """
    import pyarrow as pa

    cancel = cancel or CancelToken()
    new_table = "chunks_" + re.sub(r"[^A-Za-z0-9_-]", "_", embedder.model_id)
    with library.writing():
        if new_table in library.table_names():
            library.db.drop_table(new_table)
        table = library.db.create_table(new_table, schema=S.chunks_schema(embedder.dimension))
    docs = [d for d in library.documents() if d.state == S.IMPORTED]
    updated = []
    for doc in docs:
        settings = (
            ChunkingSettings.from_json(doc.chunking) if doc.chunking else library.settings.chunking
        )
        chunks = chunk_elements(library.elements(doc), settings, embedder.token_counter())
        vectors = yield from embed_chunks(doc.path, chunks, embedder, cancel, doc.name)
        rows = chunk_rows(doc.doc_id, doc.chunk_set, chunks, vectors, doc.name)
        rows += _summary_rows(library, doc, embedder)
        with library.writing():
            table.add(pa.Table.from_pylist(rows, schema=table.schema))
        updated.append((doc, len(chunks)))
    with library.writing():
        old = library.chunks_table_name
        library.chunks_table_name = new_table
        library.model = {
            "id": embedder.model_id, "dimension": embedder.dimension,
            "normalized": embedder.normalized,
        }
        library.settings.embedding_model = embedder.model_id
        library.save_meta()  # the switch: one atomic file rename
        for doc, count in updated:
            if doc.chunks != count:
                doc.chunks = count
                library._upsert(doc)
        if old != new_table and old in library.table_names():
            library.db.drop_table(old)


def _summary_rows(library: Library, doc: S.DocumentRecord, embedder: Embedder) -> list[dict]:
    """The document's summaries (RAPTOR), embedded again: their text needs no model to remake,
    and a tree left in the old table would be lost with it."""
    old = library.chunks_table
    if old is None or not doc.chunk_set:
        return []
    where = (f"doc_id = {_quote(doc.doc_id)} AND chunk_set = "
             f"{_quote(S.summary_set(doc.chunk_set))}")
    rows = old.search().where(where).limit(None).to_arrow().to_pylist()
    if rows:
        vectors = embedder.embed([r["search_text"] or r["text"] for r in rows])
        for row, vector in zip(rows, vectors, strict=True):
            row.pop("_distance", None)
            row["vector"] = vector
    return rows
