"""The one place that writes a library's tables, one writer at a time, atomically.

Writes go: journal -> elements -> chunks -> documents row (the commit point, one atomic merge)
-> delete what the new set replaced -> drop the journal. A process killed at any moment leaves
at most orphan rows that nothing shows, and the next writer removes them (recover).
`Library` (library.py) inherits these methods; they use its tables and its write lock.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_rag.core.ingest.context import search_texts
from desktop_rag.core.ingest.elements import Element, stored_kind
from desktop_rag.core.settings import read_json, write_json_atomic
from desktop_rag.core.store import schema as S

if TYPE_CHECKING:
    import numpy as np

    from desktop_rag.core.ingest.chunking import Chunk


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class LibraryWrites:
    def commit_document(
        self,
        record: S.DocumentRecord,
        elements: list[Element],
        chunks: list[Chunk],
        vectors: np.ndarray,
    ) -> None:
        """Make a document and its chunks visible at once, replacing what its path held."""
        import pyarrow as pa

        if self.model is None:
            raise RuntimeError("bind_model() must be called before storing chunks")
        record.chunk_set = uuid.uuid4().hex
        record.chunks = len(chunks)
        record.imported_at = time.time()
        with self.writing():
            previous = self.document_at(record.path)
            journal = self._journal(record)
            _crash_point("journal")
            self.elements_table.delete(f"doc_id = {_quote(record.doc_id)}")
            self.elements_table.add(
                pa.Table.from_pylist(
                    [
                        {"doc_id": record.doc_id, "ordinal": i, "text": e.text, "kind": stored_kind(e),
                         "page": e.page}
                        for i, e in enumerate(elements)
                    ],
                    schema=S.ELEMENTS_SCHEMA,
                )
            )
            _crash_point("elements")
            self._add_chunks(record, chunks, vectors)
            _crash_point("chunks")
            self._upsert(record)
            _crash_point("document")
            if previous is not None and previous.chunk_set and previous.doc_id:
                self._delete_chunk_set(previous.doc_id, previous.chunk_set)
                if previous.doc_id != record.doc_id and not self.imported_with_id(previous.doc_id):
                    self.elements_table.delete(f"doc_id = {_quote(previous.doc_id)}")
            journal.unlink(missing_ok=True)

    def commit_new_documents(
        self, batch: list[tuple[S.DocumentRecord, list[Element], list[Chunk], np.ndarray]]
    ) -> None:
        """Commit many documents new to the library in one write per table.

        For bulk loads (an evaluation corpus of thousands of short texts), where one commit per
        document would cost several table versions each. Same order and the same journal as
        commit_document, so a crash leaves nothing half visible.
        """
        import numpy as np
        import pyarrow as pa

        if self.model is None:
            raise RuntimeError("bind_model() must be called before storing chunks")
        if not batch:
            return
        with self.writing():
            taken = {d.path for d in self.documents()}
            batch = [item for item in batch if item[0].path not in taken]
            if not batch:
                return
            for record, _, chunks, _ in batch:
                record.chunk_set = uuid.uuid4().hex
                record.chunks = len(chunks)
                record.imported_at = time.time()
            journal = self.folder / "pending" / f"batch-{uuid.uuid4().hex}.json"
            write_json_atomic(journal, {"entries": [
                {"doc_id": r.doc_id, "chunk_set": r.chunk_set, "path": r.path}
                for r, _, _, _ in batch]})
            self.elements_table.add(pa.Table.from_pylist(
                [{"doc_id": r.doc_id, "ordinal": i, "text": e.text, "kind": stored_kind(e),
                  "page": e.page}
                 for r, elements, _, _ in batch for i, e in enumerate(elements)],
                schema=S.ELEMENTS_SCHEMA))
            table = self.chunks_table
            rows = [row for r, _, chunks, vectors in batch
                    for row in chunk_rows(r.doc_id, r.chunk_set, chunks, np.asarray(vectors), r.name)]
            table.add(pa.Table.from_pylist(rows, schema=table.schema))
            self.documents_table.merge_insert("path").when_matched_update_all() \
                .when_not_matched_insert_all() \
                .execute(pa.Table.from_pylist([r.to_row() for r, _, _, _ in batch],
                                              schema=S.DOCUMENTS_SCHEMA))
            journal.unlink(missing_ok=True)

    def replace_chunks(
        self, doc: S.DocumentRecord, chunks: list[Chunk], vectors: np.ndarray, chunking: str,
        override: str,
    ) -> S.DocumentRecord:
        """Re-chunk one document: the new set appears atomically, the others are untouched."""
        new = S.DocumentRecord.from_row(doc.to_row())
        new.chunk_set = uuid.uuid4().hex
        new.chunks = len(chunks)
        new.chunking = chunking
        new.chunking_override = override
        with self.writing():
            journal = self._journal(new)
            self._add_chunks(new, chunks, vectors)
            self._upsert(new)
            self._delete_chunk_set(doc.doc_id, doc.chunk_set)
            journal.unlink(missing_ok=True)
        return new

    def record_outcome(self, record: S.DocumentRecord) -> None:
        """Store a failed or duplicate file; an imported version at that path is kept."""
        with self.writing():
            existing = self.document_at(record.path)
            if existing is not None and existing.state == S.IMPORTED:
                return
            self._upsert(record)

    def remove(self, doc: S.DocumentRecord) -> int:
        """Remove a document (and the duplicates that pointed to it); return rows removed."""
        with self.writing():
            victims = [doc]
            if doc.state == S.IMPORTED:
                victims += [d for d in self.documents() if d.duplicate_of == doc.path]
            paths = ", ".join(_quote(d.path) for d in victims)
            self.documents_table.delete(f"path IN ({paths})")
            if doc.state == S.IMPORTED and doc.chunk_set:
                self._delete_chunk_set(doc.doc_id, doc.chunk_set)
                self.elements_table.delete(f"doc_id = {_quote(doc.doc_id)}")
        return len(victims)

    def recover(self) -> int:
        """Remove what interrupted writes left behind; return the number of journals handled."""
        pending = sorted((self.folder / "pending").glob("*.json"))
        if not pending:
            return 0
        with self.writing():
            for journal in pending:
                try:
                    entry = read_json(journal)
                except (OSError, ValueError):
                    journal.unlink(missing_ok=True)
                    continue
                for item in entry.get("entries", [entry]):
                    current = self.imported_with_id(item["doc_id"])
                    if current is None or current.chunk_set != item["chunk_set"]:
                        self._delete_chunk_set(item["doc_id"], item["chunk_set"])
                    if current is None:
                        self.elements_table.delete(f"doc_id = {_quote(item['doc_id'])}")
                journal.unlink(missing_ok=True)
        return len(pending)

    def _journal(self, record: S.DocumentRecord) -> Path:
        journal = self.folder / "pending" / f"{record.chunk_set}.json"
        write_json_atomic(journal, {"doc_id": record.doc_id, "chunk_set": record.chunk_set,
                        "path": record.path})
        return journal

    def _add_chunks(self, record: S.DocumentRecord, chunks: list[Chunk], vectors: np.ndarray) -> None:
        import pyarrow as pa

        table = self.chunks_table
        rows = chunk_rows(record.doc_id, record.chunk_set, chunks, vectors, record.name)
        table.add(pa.Table.from_pylist(rows, schema=table.schema))

    def _upsert(self, record: S.DocumentRecord) -> None:
        import pyarrow as pa

        data = pa.Table.from_pylist([record.to_row()], schema=S.DOCUMENTS_SCHEMA)
        (
            self.documents_table.merge_insert("path")
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .execute(data)
        )

    def _delete_chunk_set(self, doc_id: str, chunk_set: str) -> None:
        """A chunk set and the summary tree built on it."""
        table = self.chunks_table
        if table is not None and chunk_set:
            sets = f"{_quote(chunk_set)}, {_quote(S.summary_set(chunk_set))}"
            table.delete(f"doc_id = {_quote(doc_id)} AND chunk_set IN ({sets})")
        if chunk_set and S.SUMMARY_NODES in self.table_names():
            self.db.open_table(S.SUMMARY_NODES).delete(
                f"doc_id = {_quote(doc_id)} AND base_set = {_quote(chunk_set)}")


def chunk_rows(
    doc_id: str, chunk_set: str, chunks: list[Chunk], vectors: np.ndarray, name: str
) -> list[dict[str, Any]]:
    texts = search_texts(name, chunks)
    return [
        {
            "chunk_id": f"{doc_id[:16]}-{chunk_set[:8]}-{c.ordinal}",
            "doc_id": doc_id,
            "chunk_set": chunk_set,
            "ordinal": c.ordinal,
            "text": c.text,
            "search_text": texts[i],
            "vector": vectors[i],
            "pages": list(c.pages),
            "page": c.pages[0] if c.pages else None,
            "section": c.section,
            "element_types": list(c.element_types),
            "char_start": c.char_start,
            "char_end": c.char_end,
            "char_count": c.char_count,
            "token_count": c.token_count,
        }
        for i, c in enumerate(chunks)
    ]


def _crash_point(name: str) -> None:
    """Tests kill the process here (DESKTOP_RAG_CRASH_AT=name) to prove the writes are atomic."""
    import os

    if os.environ.get("DESKTOP_RAG_CRASH_AT") == name:
        os._exit(99)
