"""A document's summary tree (RAPTOR) on disk: its nodes, its plan, and reading it back.

Each summary is written twice in one locked step: as a row of the chunks table (text, vector,
the pages of all its leaves, so search, citations and the BM25 index treat it as a chunk) and
as a node of SUMMARY_NODES (level, children, the model and the prompt that made it). A build
writes one summary at a time, so a killed build keeps every summary it finished; the plan of
each level (which children form which cluster) is kept beside the library so that a resumed
build summarises the same clusters.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_rag.core.settings import read_json, write_json_atomic
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.writes import _quote

if TYPE_CHECKING:
    import numpy as np

    from desktop_rag.core.store.library import Library

PLANS = "summary_plans"


@dataclass
class SummaryNode:
    chunk_id: str
    doc_id: str
    base_set: str
    level: int
    position: int
    cluster_key: str
    children: tuple[str, ...]
    is_root: bool
    text: str
    pages: tuple[int, ...]
    language: str = ""
    model: str = ""
    prompt: str = ""
    prompt_tokens: int = 0
    eval_tokens: int = 0
    seconds: float = 0.0
    created: float = field(default_factory=time.time)

    def to_row(self) -> dict[str, Any]:
        row = dict(self.__dict__)
        row["children"], row["pages"] = list(self.children), list(self.pages)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SummaryNode:
        values = {k: row[k] for k in cls.__dataclass_fields__ if k in row}
        values["children"] = tuple(row.get("children") or ())
        values["pages"] = tuple(row.get("pages") or ())
        return cls(**values)


@dataclass
class DocumentTree:
    """The summaries of one document over its current chunks, by level (1 = over chunks)."""

    doc: S.DocumentRecord
    nodes: dict[str, SummaryNode]

    @property
    def levels(self) -> int:
        return max((n.level for n in self.nodes.values()), default=0)

    @property
    def root(self) -> SummaryNode | None:
        return next((n for n in self.nodes.values() if n.is_root), None)

    @property
    def complete(self) -> bool:
        return self.root is not None

    def at_level(self, level: int) -> list[SummaryNode]:
        return sorted((n for n in self.nodes.values() if n.level == level),
                      key=lambda n: n.position)

    def parents(self) -> dict[str, list[str]]:
        """child id -> the summaries it is part of (a chunk may sit in two clusters)."""
        up: dict[str, list[str]] = {}
        for node in self.nodes.values():
            for child in node.children:
                up.setdefault(child, []).append(node.chunk_id)
        return up


def nodes_table(library: Library, create: bool = False):  # type: ignore[no-untyped-def]
    if S.SUMMARY_NODES in library.table_names():
        return library.db.open_table(S.SUMMARY_NODES)
    if not create:
        return None
    with library.writing():
        return library.db.create_table(S.SUMMARY_NODES, schema=S.SUMMARY_NODES_SCHEMA,
                                       exist_ok=True)


def document_tree(library: Library, doc: S.DocumentRecord) -> DocumentTree:
    table = nodes_table(library)
    if table is None or not doc.chunk_set:
        return DocumentTree(doc, {})
    where = f"doc_id = {_quote(doc.doc_id)} AND base_set = {_quote(doc.chunk_set)}"
    rows = table.search().where(where).limit(None).to_arrow().to_pylist()
    return DocumentTree(doc, {r["chunk_id"]: SummaryNode.from_row(r) for r in rows})


def trees_by_document(library: Library) -> dict[str, DocumentTree]:
    """doc_id -> tree, for the imported documents that have summaries on their chunks."""
    table = nodes_table(library)
    if table is None:
        return {}
    docs = {d.doc_id: d for d in library.documents() if d.state == S.IMPORTED}
    trees: dict[str, DocumentTree] = {}
    for row in table.to_arrow().to_pylist():
        doc = docs.get(row["doc_id"])
        if doc is not None and doc.chunk_set == row["base_set"]:
            tree = trees.setdefault(doc.doc_id, DocumentTree(doc, {}))
            tree.nodes[row["chunk_id"]] = SummaryNode.from_row(row)
    return trees


def node_info(library: Library, chunk_ids: list[str], table: Any = None
              ) -> dict[str, tuple[int, tuple[str, ...]]]:
    """chunk id -> (level, children) of these summaries (for search hits). `table`: an open
    handle of the nodes table (opening one lists the database: 30 ms)."""
    table = table if table is not None else nodes_table(library)
    if table is None or not chunk_ids:
        return {}
    where = f"chunk_id IN ({', '.join(_quote(c) for c in chunk_ids)})"
    rows = (table.search().where(where).select(["chunk_id", "level", "children"])
            .limit(None).to_arrow().to_pylist())
    return {r["chunk_id"]: (r["level"], tuple(r["children"] or ())) for r in rows}


def leaf_chunks(library: Library, doc_id: str, chunk_id: str) -> list[S.StoredChunk]:
    """The chunks a summary was made from, down its levels, in document order."""
    doc = library.imported_with_id(doc_id)
    if doc is None:
        return []
    tree = document_tree(library, doc)
    chunks = {c.chunk_id: c for c in library.chunks(doc)}
    leaves: dict[str, S.StoredChunk] = {}
    todo = [chunk_id]
    while todo:
        current = todo.pop()
        if current in chunks:
            leaves[current] = chunks[current]
        elif current in tree.nodes:
            todo.extend(tree.nodes[current].children)
    return sorted(leaves.values(), key=lambda c: c.ordinal)


def children_records(library: Library, doc_id: str, chunk_id: str) -> list[dict[str, Any]]:
    """A summary's children as hit-like records (document, pages, section, text, level and
    their own children), in document order."""
    doc = library.imported_with_id(doc_id)
    if doc is None:
        return []
    tree = document_tree(library, doc)
    node = tree.nodes.get(chunk_id)
    if node is None:
        return []
    chunks = {c.chunk_id: c for c in library.chunks(doc)}
    records = []
    for child in node.children:
        common = {"chunk_id": child, "doc_id": doc.doc_id, "document": doc.name,
                  "path": doc.path, "child_of": chunk_id}
        if child in chunks:
            c = chunks[child]
            records.append({**common, "pages": list(c.pages), "section": c.section,
                            "text": c.text, "ordinal": c.ordinal, "level": 0, "children": []})
        elif child in tree.nodes:
            n = tree.nodes[child]
            records.append({**common, "pages": list(n.pages), "section": summary_label(n),
                            "text": n.text, "ordinal": n.position, "level": n.level,
                            "children": list(n.children)})
    records.sort(key=lambda r: (r["ordinal"], r["level"]))
    return records


def store_summary(library: Library, node: SummaryNode, vector: np.ndarray,
                  search_text: str) -> None:
    """One finished summary, visible to search at once."""
    import pyarrow as pa

    nodes = nodes_table(library, create=True)
    chunks = library.chunks_table
    row = {
        "chunk_id": node.chunk_id, "doc_id": node.doc_id,
        "chunk_set": S.summary_set(node.base_set), "ordinal": node.position,
        "text": node.text, "search_text": search_text, "vector": vector,
        "pages": list(node.pages), "page": node.pages[0] if node.pages else None,
        "section": summary_label(node), "element_types": [S.SUMMARY_KIND],
        "char_start": 0, "char_end": len(node.text), "char_count": len(node.text),
        "token_count": node.eval_tokens,
    }
    with library.writing():
        # The node first: a summary row without its node would be a passage nobody can open.
        nodes.delete(f"chunk_id = {_quote(node.chunk_id)}")
        nodes.add(pa.Table.from_pylist([node.to_row()], schema=S.SUMMARY_NODES_SCHEMA))
        chunks.delete(f"chunk_id = {_quote(node.chunk_id)}")
        chunks.add(pa.Table.from_pylist([row], schema=chunks.schema))


def summary_label(node: SummaryNode) -> str:
    """What a summary shows where a chunk shows its section."""
    span = page_span(node.pages)
    what = "document summary" if node.is_root else f"summary, level {node.level}"
    return f"{what}{', ' + span if span else ''}"


def page_span(pages: tuple[int, ...] | list[int]) -> str:
    if not pages:
        return ""
    low, high = min(pages), max(pages)
    return f"p. {low}" if low == high else f"pp. {low}-{high}"


def remove_tree(library: Library, doc: S.DocumentRecord) -> int:
    """Delete a document's summaries (every tree, current or stale); the number removed."""
    where = f"doc_id = {_quote(doc.doc_id)}"
    count = _delete(library, where, f"{where} AND {_SUMMARY_ROWS}")
    _drop_plans(library, doc.doc_id)
    return count


def remove_stale(library: Library, doc: S.DocumentRecord) -> int:
    """Summaries of this document built on chunks it no longer has (left by a crash)."""
    document = f"doc_id = {_quote(doc.doc_id)}"
    count = _delete(library, f"{document} AND base_set != {_quote(doc.chunk_set)}",
                    f"{document} AND {_SUMMARY_ROWS} AND chunk_set != "
                    f"{_quote(S.summary_set(doc.chunk_set))}")
    for plan in _plans_folder(library).glob(f"{doc.doc_id}-*.json"):
        if not plan.name.startswith(f"{doc.doc_id}-{doc.chunk_set}-"):
            plan.unlink(missing_ok=True)
    return count


_SUMMARY_ROWS = f"starts_with(chunk_set, {_quote(S.SUMMARY_PREFIX)})"


def _delete(library: Library, nodes_where: str, rows_where: str) -> int:
    """Summary nodes and their rows of the chunks table, in one locked step; the count."""
    table = nodes_table(library)
    if table is None:
        return 0
    count = table.count_rows(nodes_where)
    if count:
        with library.writing():
            table.delete(nodes_where)
            if library.chunks_table is not None:
                library.chunks_table.delete(rows_where)
    return count


# -- plans: the clusters of a level, kept so that a resumed build does the same ones -----------


def load_plan(library: Library, doc: S.DocumentRecord, level: int) -> list[list[str]] | None:
    path = _plan_path(library, doc, level)
    if not path.exists():
        return None
    try:
        clusters = read_json(path).get("clusters")
    except (OSError, ValueError):
        return None
    return clusters if isinstance(clusters, list) else None


def save_plan(library: Library, doc: S.DocumentRecord, level: int,
              clusters: list[list[str]]) -> None:
    write_json_atomic(_plan_path(library, doc, level), {"clusters": clusters})


def _plan_path(library: Library, doc: S.DocumentRecord, level: int) -> Path:
    return _plans_folder(library) / f"{doc.doc_id}-{doc.chunk_set}-{level}.json"


def _plans_folder(library: Library) -> Path:
    return library.folder / PLANS


def _drop_plans(library: Library, doc_id: str) -> None:
    for plan in _plans_folder(library).glob(f"{doc_id}-*.json"):
        plan.unlink(missing_ok=True)


def prompt_json(messages: list[dict[str, str]]) -> str:
    return json.dumps(messages, ensure_ascii=False)
