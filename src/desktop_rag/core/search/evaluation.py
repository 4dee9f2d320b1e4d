"""Measure retrieval quality on a set in BEIR layout: nDCG@10, Recall@10/100, MRR@10, latency.

The corpus goes into an ordinary library (through the same chunking, embedding, storage and
indexes as user documents), so the figures are those of the app, not of a side pipeline. Each
corpus entry becomes a document titled by its title; hits are chunks, and a document's rank
is that of its best chunk.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.ingest.chunking import chunk_elements
from desktop_rag.core.ingest.elements import Element
from desktop_rag.core.search.retrieval import MODES, Retriever, SearchOptions
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.library import Library

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder

_BATCH_DOCS = 256
DEPTH = 100  # documents ranked per query: enough for Recall@100


@dataclass
class BeirSet:
    name: str
    folder: Path
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: grade}


@dataclass(frozen=True)
class EvalProgress:
    stage: str  # "import", "index", "search"
    done: int
    total: int
    detail: str = ""


@dataclass
class ModeReport:
    mode: str
    fusion: str
    ndcg10: float
    recall10: float
    recall100: float
    mrr10: float
    p50_ms: float
    p95_ms: float


@dataclass
class EvalReport:
    name: str
    queries: int
    documents: int
    chunks: int
    embed_ms_per_query: float
    modes: list[ModeReport] = field(default_factory=list)


def load_beir(folder: Path) -> BeirSet:
    folder = Path(folder)
    files = {n: folder / n for n in ("corpus.jsonl", "queries.jsonl", "qrels.tsv")}
    missing = [n for n, p in files.items() if not p.is_file()]
    if missing:
        raise DesktopRagError(
            f"{folder} is not a retrieval set in BEIR layout: missing {', '.join(missing)} "
            "(expected corpus.jsonl, queries.jsonl and qrels.tsv)"
        )
    corpus = {}
    for row in _jsonl(files["corpus.jsonl"]):
        corpus[str(row["_id"])] = (row.get("title") or "", row.get("text") or "")
    queries = {str(r["_id"]): r["text"] for r in _jsonl(files["queries.jsonl"])}
    qrels: dict[str, dict[str, int]] = {}
    with open(files["qrels.tsv"], encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or (number == 0 and not parts[2].strip().lstrip("-").isdigit()):
                continue  # the header line
            if int(parts[2]) > 0:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries = {q: t for q, t in queries.items() if q in qrels}
    return BeirSet(folder.name, folder, corpus, queries, qrels)


def _jsonl(path: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def corpus_path(beir: BeirSet, doc_id: str) -> str:
    return f"beir://{beir.name}/{doc_id}"


def load_into_library(
    library: Library, beir: BeirSet, embedder: Embedder, cancel: CancelToken | None = None
) -> Iterator[EvalProgress]:
    """Import the corpus entries the library does not hold yet, then build its indexes."""
    from desktop_rag.core.ingest.context import search_texts
    from desktop_rag.core.store.indexes import maintain

    cancel = cancel or CancelToken()
    library.bind_model(embedder)
    present = {d.path for d in library.documents()}
    todo = [i for i in beir.corpus if corpus_path(beir, i) not in present]
    counter = embedder.token_counter()
    settings = library.settings.chunking
    yield EvalProgress("import", 0, len(todo))
    for start in range(0, len(todo), _BATCH_DOCS):
        cancel.raise_if_cancelled()
        batch = []
        for doc in todo[start : start + _BATCH_DOCS]:
            title, text = beir.corpus[doc]
            elements = [Element(title, "Title")] if title.strip() else []
            elements += [Element(text, "NarrativeText")] if text.strip() else []
            chunks = chunk_elements(elements, settings, counter)
            if not chunks:
                continue
            path = corpus_path(beir, doc)
            record = S.DocumentRecord(
                path=path, doc_id=hashlib.sha256(f"{path}\n{title}\n{text}".encode()).hexdigest(),
                name=title or doc, file_type="beir", mime="application/json",
                chars=len(title) + len(text), chunking=settings.to_json(),
            )
            batch.append((record, elements, chunks))
        texts = [t for r, _, chunks in batch for t in search_texts(r.name, chunks)]
        vectors = embedder.embed(texts)
        stored, offset = [], 0
        for record, elements, chunks in batch:
            stored.append((record, elements, chunks, vectors[offset : offset + len(chunks)]))
            offset += len(chunks)
        library.commit_new_documents(stored)
        yield EvalProgress("import", min(start + _BATCH_DOCS, len(todo)), len(todo))
    yield EvalProgress("index", 0, 1, "building the full-text index")
    maintain(library)
    yield EvalProgress("index", 1, 1)


def evaluate(
    library: Library,
    beir: BeirSet,
    embedder: Embedder,
    modes: tuple[str, ...] = MODES,
    options: SearchOptions | None = None,
    max_queries: int | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[EvalProgress | EvalReport]:
    """Yield progress, then the report. max_queries: a fixed random sample, for quick runs."""
    cancel = cancel or CancelToken()
    ids = sorted(beir.queries)
    if max_queries and max_queries < len(ids):
        ids = sorted(random.Random(13).sample(ids, max_queries))
    texts = [beir.queries[q] for q in ids]
    clock = time.perf_counter()
    vectors = embedder.embed_queries(texts) if any(m != "keyword" for m in modes) else None
    embed_ms = (time.perf_counter() - clock) * 1000 / max(1, len(ids))
    prefix = f"beir://{beir.name}/"
    docs = library.documents()
    report = EvalReport(
        beir.name, len(ids), sum(d.state == S.IMPORTED for d in docs),
        library.chunks_table.count_rows() if library.chunks_table is not None else 0, embed_ms,
    )
    retriever = Retriever(library, embedder)
    base = options or SearchOptions()
    total = len(ids) * len(modes)
    for m, mode in enumerate(modes):
        opts = base.with_changes(mode=mode, k=DEPTH * 2, candidates=max(base.candidates, DEPTH * 2))
        latencies, ndcg, r10, r100, mrr = [], [], [], [], []
        fusion = ""
        for n, qid in enumerate(ids):
            if n % 100 == 0:
                cancel.raise_if_cancelled()
                yield EvalProgress("search", m * len(ids) + n, total, mode)
            qvec = vectors[n] if vectors is not None else None
            clock = time.perf_counter()
            result = retriever.search(texts[n], opts, query_vector=qvec)
            latencies.append((time.perf_counter() - clock) * 1000)
            fusion = result.fusion
            ranking = list(dict.fromkeys(
                h.path.removeprefix(prefix) for h in result.hits if h.path.startswith(prefix)
            ))[:DEPTH]
            graded = beir.qrels[qid]
            ndcg.append(ndcg_at(ranking, graded, 10))
            r10.append(recall_at(ranking, graded, 10))
            r100.append(recall_at(ranking, graded, 100))
            mrr.append(mrr_at(ranking, graded, 10))
        report.modes.append(ModeReport(
            mode, fusion, statistics.fmean(ndcg), statistics.fmean(r10), statistics.fmean(r100),
            statistics.fmean(mrr), statistics.median(latencies), _percentile(latencies, 95),
        ))
    yield EvalProgress("search", total, total)
    yield report


def ndcg_at(ranking: list[str], graded: dict[str, int], k: int) -> float:
    dcg = sum(graded.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted(graded.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: list[str], graded: dict[str, int], k: int) -> float:
    return len(set(ranking[:k]) & set(graded)) / len(graded) if graded else 0.0


def mrr_at(ranking: list[str], graded: dict[str, int], k: int) -> float:
    for i, d in enumerate(ranking[:k]):
        if d in graded:
            return 1.0 / (i + 1)
    return 0.0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1)]
