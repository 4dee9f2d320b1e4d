"""Search indexes of a library: full-text (BM25, stemmed) and, once large, an ANN vector index.

Maintenance runs after an import, never inside it: the command line runs it once the summary is
printed, the GUI on a background thread. Rows added since the last run are still found (LanceDB
searches the unindexed part of a table exhaustively), only more slowly.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from desktop_rag.core.settings import LANGUAGES
from desktop_rag.core.store.library import _KEEP_VERSIONS, Library

log = logging.getLogger(__name__)

# From benchmarks/ann_index.py (synthetic MiniLM-like vectors, 2 cores): exact search takes
# 10 ms at 10k rows, 57 ms at 50k and 110 ms at 100k, passing 15-20 ms at 14k-18k rows.
# IVF_HNSW_SQ (m=20, ef_construction=150, one partition) answered in 6.6 ms at 100k rows with
# recall@10 0.964-0.985 for ef 40-320 against exact search; IVF_PQ stayed under 0.97.
ANN_MIN_ROWS = 20_000
# At 1M rows (one partition) the build took 9-19 min; ef=160 gave recall@10 0.962, ef=320 0.972.
ANN_QUERY_EF = 320  # for the searches: about 1 ms more than 160, and a margin above 0.95 at 1M


@dataclass
class MaintenanceReport:
    fts_built: bool = False
    ann_built: bool = False
    optimized: bool = False


def _index_columns(table) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = {}
    for index in table.list_indices():
        for column in index.columns:
            found[column] = str(index.index_type)
    return found


def fts_column(table) -> str:  # type: ignore[no-untyped-def]
    """The column BM25 searches: the chunk with its title/section header where the table has it."""
    return "search_text" if "search_text" in table.schema.names else "text"


def index_coverage(table, column: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(rows in the index on column, rows added since it was built); (0, all) without one."""
    for index in table.list_indices():
        if column in index.columns:
            stats = table.index_stats(index.name)
            if stats is not None:
                return stats.num_indexed_rows, stats.num_unindexed_rows
    return 0, table.count_rows()


def maintain(library: Library) -> MaintenanceReport:
    """Build missing indexes and fold new rows into existing ones."""
    report = MaintenanceReport()
    table = library.chunks_table
    if table is None:
        return report
    rows = table.count_rows()
    if rows == 0:
        return report
    with library.writing():
        indexed = _index_columns(table)
        column = fts_column(table)
        if column not in indexed:
            _create_fts(library, table, column)
            report.fts_built = True
        if "vector" not in indexed and rows >= ANN_MIN_ROWS:
            from lancedb.index import HnswSq

            table.create_index(
                "vector", config=HnswSq(distance_type="cosine", ef_construction=150)
            )
            report.ann_built = True
        table.optimize(cleanup_older_than=_KEEP_VERSIONS)
        report.optimized = True
    return report


def rebuild_fts(library: Library) -> bool:
    """Rebuild the full-text index, after the library's language (its stemmer) changed.
    False when there is nothing to index yet (the next import builds it)."""
    table = library.chunks_table
    if table is None or table.count_rows() == 0:
        return False
    with library.writing():
        _create_fts(library, table, fts_column(table))
    return True


def _create_fts(library: Library, table, column: str) -> None:  # type: ignore[no-untyped-def]
    table.create_fts_index(
        column,
        use_tantivy=False,
        language=LANGUAGES.get(library.settings.language, "English"),
        stem=True,
        remove_stop_words=True,
        ascii_folding=True,
        replace=True,
    )


def maintain_in_background(library: Library) -> threading.Thread:
    """Run maintain() on a daemon thread; errors are logged, never raised at the caller."""

    def run() -> None:
        try:
            maintain(library)
        except Exception:  # noqa: BLE001 - indexes are rebuilt at the next run
            log.exception("index maintenance failed for library %s", library.name)

    thread = threading.Thread(target=run, name=f"maintain-{library.name}", daemon=True)
    thread.start()
    return thread
