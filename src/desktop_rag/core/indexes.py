"""Search indexes of a library: full-text (BM25, stemmed) and, once large, an ANN vector index.

Maintenance runs after an import, never inside it: the command line runs it once the summary is
printed, the GUI on a background thread. Rows added since the last run are still found (LanceDB
searches the unindexed part of a table exhaustively), only more slowly.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from desktop_rag.core.library import _KEEP_VERSIONS, Library
from desktop_rag.core.settings import LANGUAGES

log = logging.getLogger(__name__)

# From benchmarks/ann_index.py: below this many chunks exact search is fast enough and exact.
ANN_MIN_ROWS = 50_000
ANN_INDEX = {"index_type": "IVF_HNSW_SQ", "metric": "cosine"}


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
        if "text" not in indexed:
            table.create_fts_index(
                "text",
                use_tantivy=False,
                language=LANGUAGES.get(library.settings.language, "English"),
                stem=True,
                remove_stop_words=True,
                ascii_folding=True,
                replace=True,
            )
            report.fts_built = True
        if "vector" not in indexed and rows >= ANN_MIN_ROWS:
            table.create_index(
                metric=ANN_INDEX["metric"],
                index_type=ANN_INDEX["index_type"],
                num_partitions=max(1, rows // 4096),
            )
            report.ann_built = True
        table.optimize(cleanup_older_than=_KEEP_VERSIONS)
        report.optimized = True
    return report


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
