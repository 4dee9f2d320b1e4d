"""Find the chunks that answer a question: dense (cosine), keyword (BM25) or hybrid fusion.

Every hit keeps the scores that chose it: its cosine similarity to the question, its BM25
score, its rank in each list and the fused score, so the user can see why it is there. The
two lists are searched side by side (LanceDB releases the GIL) and fused by fusion.py.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from desktop_rag.core.ingest.chunking import OCR_MARK
from desktop_rag.core.search.fusion import (
    dense_weight_for,
    fill_cosines,
    fuse,
    is_relevant,
    keyword_share,
    keywords,
)
from desktop_rag.core.search.hits import EMPTY_LIBRARY, MODES, Hit, SearchOptions, SearchResult
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.library import Library
from desktop_rag.core.store.writes import _quote

if TYPE_CHECKING:

    from desktop_rag.core.embed.base import Embedder

__all__ = ["MODES", "Hit", "Retriever", "SearchOptions", "SearchResult", "dense_weight_for",
           "keywords"]

_COLUMNS = ["chunk_id", "doc_id", "chunk_set", "ordinal", "text", "pages", "section",
            "token_count", "element_types"]


class Retriever:
    """Searches one library. Cheap to build; the embedder loads on the first dense search."""

    def __init__(self, library: Library, embedder: Embedder) -> None:
        self.library = library
        self.embedder = embedder
        self._docs: dict[str, S.DocumentRecord] = {}
        self._docs_version: int | None = None
        self._indexed: tuple[int, set[str]] | None = None
        self._notes: tuple[int, list[str]] | None = None
        self._tables: dict[str, Any] = {}
        self._summary_state: tuple[float, bool] | None = None
        self._nodes: Any = None  # the summary nodes table, kept open

    def _chunks_table(self):  # type: ignore[no-untyped-def]
        # Opening a table lists the database each time; a handle sees later commits anyway
        # (read_consistency_interval=0). A re-embedded library switches to another table name.
        name = self.library.chunks_table_name if self.library.model else None
        if "chunks" not in self._tables or self._tables["chunks_name"] != name:
            self._tables = {"chunks_name": name, "chunks": self.library.chunks_table,
                            "documents": self.library.documents_table}
        return self._tables["chunks"]

    def _documents(self) -> dict[str, S.DocumentRecord]:
        """Imported documents by id, re-read only when the documents table changed (reading
        thousands of rows on every question cost more than the search itself)."""
        self._chunks_table()
        version = self._tables["documents"].version
        if version != self._docs_version:
            self._docs = {d.doc_id: d for d in self.library.documents() if d.state == S.IMPORTED}
            self._docs_version = version
        return self._docs

    def _indexed_columns(self, table) -> set[str]:  # type: ignore[no-untyped-def]
        if self._indexed is None or self._indexed[0] != table.version:
            self._indexed = (table.version, _indexed(table))
        return self._indexed[1]

    def search(
        self, query: str, options: SearchOptions | None = None, query_vector: Any = None
    ) -> SearchResult:
        """query_vector: the question's embedding when the caller already has it (evaluation
        embeds all questions in one batch)."""
        options = options or SearchOptions()
        query = query.strip()
        if not query:
            raise ValueError("the question is empty")
        table = self._chunks_table()
        timings: dict[str, float] = {}
        if table is None or table.count_rows() == 0:
            return SearchResult(query, options, [], None, EMPTY_LIBRARY, timings)
        docs = self._documents()
        where = self._where(options, docs)
        if where is None:
            return SearchResult(query, options, [], None, "no document selected", timings)
        trees = self._has_summaries()
        summaries = options.summaries and trees and options.summary_k > 0
        language = self.library.settings.language
        words = keywords(query, language)
        notes = self._index_notes(table, options)
        asked = options
        if options.mode != "dense" and not self._has_fts(table):
            options = options.with_changes(mode="dense")  # what exists: search by meaning
        started = time.perf_counter()
        # Chunks first, as if there were no trees (a filter only where there are); the
        # summaries are searched apart and added after them, so that they never take a
        # chunk's place in the prompt (mixed in one list they did: see the README).
        chunks_where = " AND ".join(w for w in (where, _NO_SUMMARIES) if w) if trees else where
        ranked, weight, fusion, pooled, qvec = self._ranked(
            table, query, words, options, chunks_where, docs, query_vector, timings)
        if summaries:
            clock = time.perf_counter()
            tree_where = " AND ".join(w for w in (where, _ONLY_SUMMARIES) if w)
            extra, *_ = self._ranked(table, query, words, options.with_changes(
                k=options.summary_k), tree_where, docs, qvec, {}, summaries=True)
            # A summary goes to the prompt only if it is as close to the question as the
            # relevant chunks are (cosine at least the lowest of theirs), as it would have been
            # in one list with them: a general summary beside a detail's chunks only costs the
            # model's time. With the best chunk's cosine as the floor instead, the section
            # questions of benchmarks/raptor_sections.py lost nearly all their gain (README).
            cosines = [h.dense_score for h in ranked if h.relevant and h.dense_score is not None]
            floor = min(cosines) if cosines else None
            for hit in extra:
                hit.rank += len(ranked)
                if hit.relevant and floor is not None and (hit.dense_score or 0.0) < floor:
                    hit.relevant = False
                    hit.dropped = SUMMARY_BELOW_CHUNKS
            self._describe_summaries(extra)
            ranked += extra
            timings["summaries"] = _ms(clock)
        timings["total"] = _ms(started)
        return SearchResult(query, asked, ranked, weight if "weighted" in fusion else None,
                            fusion, timings, pooled, notes, qvec)

    def _ranked(self, table, query: str, words: list[str], options: SearchOptions,  # type: ignore[no-untyped-def]
                where: str, docs: dict[str, S.DocumentRecord], query_vector: Any,
                timings: dict[str, float], summaries: bool = False
                ) -> tuple[list[Hit], float, str, int, Any]:
        """The top options.k rows under `where`, fused: (hits, weight, fusion, pool size,
        the question's vector)."""
        pool: dict[str, Hit] = {}
        vectors: dict[str, Any] = {}
        qvec = query_vector
        keyword_rows = None
        if options.mode in ("keyword", "hybrid") and words:
            # The keyword list runs beside the embedding and the dense list: LanceDB works
            # outside the GIL, so on two cores hybrid costs about the slower of the two.
            keyword_rows = _pool().submit(
                _timed, self._keyword, table, " ".join(words), options.candidates, where)
        if options.mode in ("dense", "hybrid"):
            clock = time.perf_counter()
            if qvec is None:
                qvec = self.embedder.embed_queries([query])[0]
            timings["embed"] = _ms(clock)
            clock = time.perf_counter()
            rows = self._dense(table, qvec, options.candidates, where)
            timings["dense"] = _ms(clock)
            for rank, row in enumerate(_current(rows, docs, summaries), start=1):
                hit = pool.setdefault(row["chunk_id"], _hit(row, docs))
                hit.dense_score, hit.dense_rank = 1.0 - float(row["_distance"]), rank
        if keyword_rows is not None:
            rows, timings["keyword"] = keyword_rows.result()
            for rank, row in enumerate(_current(rows, docs, summaries), start=1):
                hit = pool.setdefault(row["chunk_id"], _hit(row, docs))
                hit.bm25_score, hit.bm25_rank = float(row["_score"]), rank
                vectors[row["chunk_id"]] = row["vector"]
        clock = time.perf_counter()
        if qvec is not None:
            fill_cosines(pool, vectors, qvec)
        weight = options.dense_weight
        if weight is None:
            weight = dense_weight_for(self.library.settings.language,
                                      self.library.model["id"] if self.library.model else "")
        fusion = fuse(list(pool.values()), options, weight)
        ranked = sorted(pool.values(), key=lambda h: h.fused_score, reverse=True)[: options.k]
        for rank, hit in enumerate(ranked, start=1):
            hit.rank = rank
            hit.keyword_share = keyword_share(words, hit.text, hit.section, hit.document)
            hit.relevant = is_relevant(hit, options)
        timings["fuse"] = _ms(clock)
        return ranked, weight, fusion, len(pool), qvec

    # -- summaries -----------------------------------------------------------------------------

    def _has_summaries(self) -> bool:
        """Whether any document has a summary tree. Looking costs a table listing (4 ms), and
        trees are built by another job or process: the answer is kept for a few seconds."""
        from desktop_rag.core.store.summaries import nodes_table

        now = time.monotonic()
        if self._summary_state is None or now - self._summary_state[0] > _TREES_CHECKED_EVERY:
            table = nodes_table(self.library)
            self._nodes = table
            self._summary_state = (now, table is not None and table.count_rows() > 0)
        return self._summary_state[1]

    def _describe_summaries(self, hits: list[Hit]) -> None:
        from desktop_rag.core.store.summaries import node_info

        wanted = [h.chunk_id for h in hits if h.level < 0]
        nodes = node_info(self.library, wanted, self._nodes) if wanted else {}
        for hit in hits:
            if hit.level < 0:
                hit.level, hit.children = nodes.get(hit.chunk_id, (1, ()))

    # -- the indexes ---------------------------------------------------------------------------

    def _has_fts(self, table) -> bool:  # type: ignore[no-untyped-def]
        from desktop_rag.core.store.indexes import fts_column

        return fts_column(table) in self._indexed_columns(table)

    def _index_notes(self, table, options: SearchOptions) -> list[str]:  # type: ignore[no-untyped-def]
        """Which index is missing or behind the table, and what the search does instead; read
        once per table version (an import in progress adds rows that no index holds yet)."""
        if options.mode == "dense":
            return []
        if self._notes is not None and self._notes[0] == table.version:
            return self._notes[1]
        from desktop_rag.core.store.indexes import fts_column, index_coverage

        if not self._has_fts(table):
            notes = [
                "keyword search (BM25) is unavailable: the keyword index of this library is "
                "not built yet (it is built when the import running now ends, or by the next "
                "`desktop-rag import`); searched by meaning only"]
        else:
            indexed, unindexed = index_coverage(table, fts_column(table))
            notes = [] if not unindexed else [
                f"the keyword index holds {indexed:,} of {indexed + unindexed:,} chunks (an "
                "import is running or its indexing did not run); the others are searched "
                "without it, more slowly, until the indexes are updated"]
        self._notes = (table.version, notes)
        return notes

    # -- the two lists -----------------------------------------------------------------------

    @staticmethod
    def _where(options: SearchOptions, docs: dict[str, S.DocumentRecord]) -> str | None:
        if not options.documents:
            return ""
        chosen = [d for d in options.documents if d in docs]
        if not chosen:
            return None
        return f"doc_id IN ({', '.join(_quote(d) for d in chosen)})"

    def _dense(self, table, qvec, limit: int, where: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        from desktop_rag.core.store.indexes import ANN_QUERY_EF

        query = (
            table.search(qvec, vector_column_name="vector", query_type="vector")
            .distance_type("cosine")
            .ef(ANN_QUERY_EF)
            .limit(limit)
            .select([*_COLUMNS, "_distance"])
        )
        if where:
            query = query.where(where, prefilter=True)
        return query.to_list()

    def _keyword(self, table, text: str, limit: int, where: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        from desktop_rag.core.store.indexes import fts_column

        column = fts_column(table)
        query = (
            table.search(text, query_type="fts", fts_columns=column)
            .limit(limit)
            .select([*_COLUMNS, "vector", "_score"])
        )
        if where:
            query = query.where(where, prefilter=True)
        return query.to_list()


# -- rows ------------------------------------------------------------------------------------


def _indexed(table) -> set[str]:  # type: ignore[no-untyped-def]
    return {c for index in table.list_indices() for c in index.columns}


def _current(rows: list[dict[str, Any]], docs: dict[str, S.DocumentRecord],
             summaries: bool = False) -> list[dict[str, Any]]:
    """Rows of the documents' current chunk sets (a commit in progress may have added others),
    and of the summary trees built on them."""
    def current(row: dict[str, Any]) -> bool:
        doc = docs.get(row["doc_id"])
        if doc is None:
            return False
        return row["chunk_set"] == doc.chunk_set or (
            summaries and row["chunk_set"] == S.summary_set(doc.chunk_set))

    return [r for r in rows if current(r)]


def _hit(row: dict[str, Any], docs: dict[str, S.DocumentRecord]) -> Hit:
    doc = docs[row["doc_id"]]
    return Hit(
        chunk_id=row["chunk_id"], doc_id=row["doc_id"], document=doc.name, path=doc.path,
        text=row["text"], pages=tuple(row["pages"] or ()), section=row["section"] or "",
        ordinal=row["ordinal"], token_count=row["token_count"] or 0,
        ocr=OCR_MARK in (row.get("element_types") or ()),
        level=-1 if S.is_summary_set(row["chunk_set"]) else 0,  # filled by the nodes table
    )


_TREES_CHECKED_EVERY = 2.0  # seconds
SUMMARY_BELOW_CHUNKS = "left out: a summary further from the question than the chunks"
_ONLY_SUMMARIES = f"starts_with(chunk_set, '{S.SUMMARY_PREFIX}')"
_NO_SUMMARIES = f"NOT {_ONLY_SUMMARIES}"
_POOL = None


def _pool():  # type: ignore[no-untyped-def]
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="keyword-search")
    return _POOL


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    clock = time.perf_counter()
    return fn(*args), _ms(clock)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
