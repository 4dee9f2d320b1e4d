"""Find the chunks that answer a question: dense (cosine), keyword (BM25) or hybrid fusion.

Every hit keeps the scores that chose it: its cosine similarity to the question, its BM25
score, its rank in each list and the fused score, so the user can see why it is there.

Hybrid fusion adapts to the library instead of being one formula. An English-only embedder
on French text gives poor similarities (dense nDCG@10 0.45 against 0.81 for BM25 on PIAF),
and plain fusion then drags the good keyword list down; the weight of the dense list is
therefore chosen from the library's language and the languages the embedder was trained on
(see `dense_weight_for`). Candidates from either list get both scores: a keyword hit's cosine
is computed from its stored vector, so the blend never compares a score with a missing one.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from desktop_rag.core import schema as S
from desktop_rag.core.library import Library, _quote

if TYPE_CHECKING:
    import numpy as np

    from desktop_rag.core.embedding import Embedder

MODES = ("hybrid", "dense", "keyword")
FUSIONS = ("auto", "rrf", "weighted")
RRF_K = 60  # the constant of Cormack et al. (2009); ranks past ~60 weigh little

_COLUMNS = ["chunk_id", "doc_id", "chunk_set", "ordinal", "text", "pages", "section",
            "token_count"]
_WORD = re.compile(r"\w+", re.UNICODE)
# Question words carry no topic, and are rare in documents, so BM25 gives them a high weight
# and ranks passages that happen to contain "combien" or "which". They are dropped from the
# keyword query only (the embedder reads the whole question).
_QUESTION_WORDS = {
    "en": {"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "does",
           "did", "do", "is", "are", "was", "were", "can", "could", "should", "would",
           "many", "much"},
    "fr": {"quel", "quelle", "quels", "quelles", "lequel", "laquelle", "lesquels",
           "lesquelles", "qui", "que", "quoi", "qu", "combien", "comment", "pourquoi",
           "quand", "où", "ou", "est", "ce", "sont", "était", "étaient", "a", "ont", "fait",
           "faire", "peut"},
}
# Embedders known to read many languages; any other is taken as English-only.
_MULTILINGUAL = ("multilingual", "bge-m3", "labse", "e5", "gte-multi", "distiluse",
                 "paraphrase-xlm", "nomic-embed-text-v2", "granite-embedding", "snowflake-arctic")


@dataclass(frozen=True)
class SearchOptions:
    """How to search. dense_weight=None: chosen for the library (see dense_weight_for)."""

    mode: str = "hybrid"
    k: int = 6
    fusion: str = "auto"  # auto: weighted blend with the library's weight; rrf; weighted
    dense_weight: float | None = None
    # A hit is relevant if its cosine similarity reaches min_similarity, or if it holds at
    # least min_keyword_share of the question's key words. 0 turns the rule off.
    min_similarity: float = 0.35
    min_keyword_share: float = 0.5
    documents: tuple[str, ...] = ()  # doc ids to search in; empty: all
    candidates: int = 60  # taken from each list before fusion

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode '{self.mode}' (one of {', '.join(MODES)})")
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion '{self.fusion}' (one of {', '.join(FUSIONS)})")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if self.dense_weight is not None and not 0 <= self.dense_weight <= 1:
            raise ValueError("dense_weight must be between 0 and 1")

    def with_changes(self, **changes: Any) -> SearchOptions:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass
class Hit:
    chunk_id: str
    doc_id: str
    document: str  # the file name
    path: str
    text: str
    pages: tuple[int, ...]
    section: str
    ordinal: int
    token_count: int
    dense_score: float | None = None  # cosine similarity to the question
    bm25_score: float | None = None  # None: the chunk holds none of the question's key words
    dense_rank: int | None = None  # 1-based rank in the dense list
    bm25_rank: int | None = None
    fused_score: float = 0.0
    rank: int = 0
    keyword_share: float = 0.0  # share of the question's key words found in the chunk
    relevant: bool = True
    in_prompt: bool = False
    dropped: str = ""  # why it was left out of the prompt, if it was

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None

    @property
    def page_label(self) -> str:
        if not self.pages:
            return ""
        first, last = min(self.pages), max(self.pages)
        return f"p. {first}" if first == last else f"pp. {first}-{last}"


@dataclass
class SearchResult:
    query: str
    options: SearchOptions
    hits: list[Hit]
    dense_weight: float | None  # the weight used by a weighted blend
    fusion: str  # what was done, for display: "weighted 0.30 dense / 0.70 BM25", "rrf k=60"
    timings_ms: dict[str, float] = field(default_factory=dict)
    candidates: int = 0

    @property
    def library_empty(self) -> bool:
        return self.fusion == EMPTY_LIBRARY

    @property
    def relevant_hits(self) -> list[Hit]:
        return [h for h in self.hits if h.relevant]

    @property
    def nothing_relevant(self) -> bool:
        return not self.relevant_hits


def embedder_languages(model_id: str) -> set[str] | None:
    """Languages an embedder reads well; None means many."""
    lowered = model_id.lower()
    if any(marker in lowered for marker in _MULTILINGUAL):
        return None
    return {"en"}


def dense_weight_for(language: str, model_id: str) -> float:
    """Weight of the dense list in the blend for a library in `language` with this embedder.

    Measured with `desktop-rag eval` on the development splits of SciFact (English, 809
    queries) and PIAF (French, 2,000 queries) with all-MiniLM-L6-v2, min-max normalised blend,
    on chunks cut between sentences: SciFact nDCG@10 0.693 (BM25 alone) rising to 0.738 at 0.6
    (0.736 at 0.7) and falling to 0.682 (dense alone); PIAF 0.808 at 0, 0.810 from 0.2 to 0.4,
    0.786 at 0.6, 0.452 dense alone. An English-only embedder on another language gets a
    small say: it still matches names, numbers and shared words.
    """
    languages = embedder_languages(model_id)
    if languages is None or language in languages:
        return SAME_LANGUAGE_DENSE_WEIGHT
    return FOREIGN_LANGUAGE_DENSE_WEIGHT


SAME_LANGUAGE_DENSE_WEIGHT = 0.6
EMPTY_LIBRARY = "empty library"  # SearchResult.fusion when there is nothing to search
FOREIGN_LANGUAGE_DENSE_WEIGHT = 0.2


def keywords(query: str, language: str) -> list[str]:
    """The key words of a question, lowercased, question words and one-letter words left out."""
    stop = _QUESTION_WORDS.get(language, set()) | _QUESTION_WORDS["en"]
    words = [w for w in _WORD.findall(query.lower()) if len(w) > 1 and w not in stop]
    return list(dict.fromkeys(words))


class Retriever:
    """Searches one library. Cheap to build; the embedder loads on the first dense search."""

    def __init__(self, library: Library, embedder: Embedder) -> None:
        self.library = library
        self.embedder = embedder
        self._docs: dict[str, S.DocumentRecord] = {}
        self._docs_version: int | None = None
        self._indexed: tuple[int, set[str]] | None = None
        self._tables: dict[str, Any] = {}

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
        language = self.library.settings.language
        words = keywords(query, language)
        pool: dict[str, Hit] = {}
        vectors: dict[str, Any] = {}
        qvec = None
        started = time.perf_counter()
        keyword_rows = None
        if options.mode in ("keyword", "hybrid") and words:
            # The keyword list runs beside the embedding and the dense list: LanceDB works
            # outside the GIL, so on two cores hybrid costs about the slower of the two.
            keyword_rows = _pool().submit(
                _timed, self._keyword, table, " ".join(words), options.candidates, where)
        if options.mode in ("dense", "hybrid"):
            clock = time.perf_counter()
            qvec = query_vector if query_vector is not None else self.embedder.embed([query])[0]
            timings["embed"] = _ms(clock)
            clock = time.perf_counter()
            rows = self._dense(table, qvec, options.candidates, where)
            timings["dense"] = _ms(clock)
            for rank, row in enumerate(_current(rows, docs), start=1):
                hit = pool.setdefault(row["chunk_id"], _hit(row, docs))
                hit.dense_score, hit.dense_rank = 1.0 - float(row["_distance"]), rank
        if keyword_rows is not None:
            rows, timings["keyword"] = keyword_rows.result()
            for rank, row in enumerate(_current(rows, docs), start=1):
                hit = pool.setdefault(row["chunk_id"], _hit(row, docs))
                hit.bm25_score, hit.bm25_rank = float(row["_score"]), rank
                vectors[row["chunk_id"]] = row["vector"]
        clock = time.perf_counter()
        if qvec is not None:
            _fill_cosines(pool, vectors, qvec)
        weight = options.dense_weight
        if weight is None:
            weight = dense_weight_for(language, self.library.model["id"] if self.library.model
                                      else "")
        fusion = _fuse(list(pool.values()), options, weight)
        ranked = sorted(pool.values(), key=lambda h: h.fused_score, reverse=True)[: options.k]
        for rank, hit in enumerate(ranked, start=1):
            hit.rank = rank
            hit.keyword_share = _share(words, hit.text, hit.section, hit.document)
            hit.relevant = _relevant(hit, options)
        timings["fuse"] = _ms(clock)
        timings["total"] = _ms(started)
        return SearchResult(query, options, ranked, weight if "weighted" in fusion else None,
                            fusion, timings, len(pool))

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
        from desktop_rag.core.indexes import ANN_QUERY_EF

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
        from desktop_rag.core.indexes import fts_column

        column = fts_column(table)
        if column not in self._indexed_columns(table):
            return []  # no index yet: maintenance builds it after the import
        query = (
            table.search(text, query_type="fts", fts_columns=column)
            .limit(limit)
            .select([*_COLUMNS, "vector", "_score"])
        )
        if where:
            query = query.where(where, prefilter=True)
        return query.to_list()


# -- fusion ----------------------------------------------------------------------------------


def _fuse(hits: list[Hit], options: SearchOptions, weight: float) -> str:
    if options.mode == "dense":
        for h in hits:
            h.fused_score = h.dense_score or 0.0
        return "dense only (cosine)"
    if options.mode == "keyword":
        for h in hits:
            h.fused_score = h.bm25_score or 0.0
        return "keyword only (BM25)"
    if options.fusion == "rrf":
        for h in hits:
            h.fused_score = sum(1.0 / (RRF_K + r) for r in (h.dense_rank, h.bm25_rank) if r)
        return f"reciprocal rank fusion, k={RRF_K}"
    dense = _normalise([h.dense_score for h in hits])
    bm25 = _normalise([h.bm25_score for h in hits])
    for h, d, b in zip(hits, dense, bm25, strict=True):
        h.fused_score = weight * d + (1.0 - weight) * b
    return f"weighted blend {weight:.2f} dense / {1 - weight:.2f} BM25"


def _normalise(scores: Sequence[float | None]) -> list[float]:
    """Min-max over the candidates; a missing score counts as the lowest."""
    present = [s for s in scores if s is not None]
    if not present:
        return [0.0] * len(scores)
    low, high = min(present), max(present)
    span = high - low
    return [0.0 if s is None else (1.0 if span == 0 else (s - low) / span) for s in scores]


def _fill_cosines(pool: dict[str, Hit], vectors: dict[str, Any], qvec: np.ndarray) -> None:
    import numpy as np

    missing = [h for h in pool.values() if h.dense_score is None and h.chunk_id in vectors]
    if not missing:
        return
    matrix = np.asarray([vectors[h.chunk_id] for h in missing], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (float(np.linalg.norm(qvec)) or 1.0)
    cosines = matrix @ np.asarray(qvec, dtype=np.float32) / np.where(norms == 0, 1.0, norms)
    for hit, cosine in zip(missing, cosines, strict=True):
        hit.dense_score = float(cosine)


def _share(words: list[str], *texts: str) -> float:
    """Share of the key words found in the texts, a word matching any word that starts with
    its first three quarters ("providers" finds "provider"; BM25 has the real stemmer)."""
    if not words:
        return 0.0
    stems = {w: w[: max(4, math.ceil(len(w) * 0.75))] if len(w) > 4 else w for w in words}
    lengths = {len(s) for s in stems.values()}
    found = set()
    for word in _WORD.findall(" ".join(texts).lower()):
        found.add(word)
        found.update(word[:n] for n in lengths if len(word) > n)
    return sum(1 for w in words if w in found or stems[w] in found) / len(words)


def _relevant(hit: Hit, options: SearchOptions) -> bool:
    if options.min_similarity <= 0 and options.min_keyword_share <= 0:
        return True
    if options.min_similarity > 0 and (hit.dense_score or 0.0) >= options.min_similarity:
        return True
    return options.min_keyword_share > 0 and hit.keyword_share >= options.min_keyword_share


# -- rows ------------------------------------------------------------------------------------


def _indexed(table) -> set[str]:  # type: ignore[no-untyped-def]
    return {c for index in table.list_indices() for c in index.columns}


def _current(rows: list[dict[str, Any]], docs: dict[str, S.DocumentRecord]) -> list[dict[str, Any]]:
    """Rows of the documents' current chunk sets (a commit in progress may have added others)."""
    return [r for r in rows if r["doc_id"] in docs and docs[r["doc_id"]].chunk_set == r["chunk_set"]]


def _hit(row: dict[str, Any], docs: dict[str, S.DocumentRecord]) -> Hit:
    doc = docs[row["doc_id"]]
    return Hit(
        chunk_id=row["chunk_id"], doc_id=row["doc_id"], document=doc.name, path=doc.path,
        text=row["text"], pages=tuple(row["pages"] or ()), section=row["section"] or "",
        ordinal=row["ordinal"], token_count=row["token_count"] or 0,
    )


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
