"""What a search is asked and what it returns: options, hits with every score, the result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

MODES = ("hybrid", "dense", "keyword")
FUSIONS = ("auto", "rrf", "weighted")
EMPTY_LIBRARY = "empty library"  # SearchResult.fusion when there is nothing to search


@dataclass(frozen=True)
class SearchOptions:
    """How to search. dense_weight=None: chosen for the library (see dense_weight_for)."""

    mode: str = "hybrid"
    # Three passages, not six: with the llm-stack's 0.5B model on 40 SQuAD 2.0 questions the
    # answers held a gold answer as often (36 %), cited the right passage more often (67 % of
    # citations against 56 %) and refused fewer answerable questions (6 % against 12 %), with
    # the first token in half the time (10.7 s against 21.0 s: the prompt is most of the wait).
    # The passage holding the answer reaches the prompt a little less often (SQuAD 97.3 %
    # against 98.7 %, PIAF 94.5 % against 97.3 %, 400 questions each).
    k: int = 3
    fusion: str = "auto"  # auto: weighted blend with the library's weight; rrf; weighted
    dense_weight: float | None = None
    # A hit is relevant if its cosine similarity reaches min_similarity, or if it holds at
    # least min_keyword_share of the question's key words. 0 turns the rule off.
    min_similarity: float = 0.35
    min_keyword_share: float = 0.5
    documents: tuple[str, ...] = ()  # doc ids to search in; empty: all
    candidates: int = 60  # taken from each list before fusion
    summaries: bool = True  # search the documents' summary trees too, where there are some
    summary_k: int = 1  # summaries added after the k chunks, at most

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode '{self.mode}' (one of {', '.join(MODES)})")
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion '{self.fusion}' (one of {', '.join(FUSIONS)})")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if self.summary_k < 0:
            raise ValueError("summary_k must be 0 or more")
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
    ocr: bool = False  # some of its text was read by OCR from an image of the page
    dense_score: float | None = None  # cosine similarity to the question
    bm25_score: float | None = None  # None: the chunk holds none of the question's key words
    dense_rank: int | None = None  # 1-based rank in the dense list
    bm25_rank: int | None = None
    fused_score: float = 0.0
    rank: int = 0
    keyword_share: float = 0.0  # share of the question's key words found in the chunk
    relevant: bool = True
    in_prompt: bool = False
    prompt_number: int | None = None  # "Passage n" of the prompt, cited as [n]
    dropped: str = ""  # why it was left out of the prompt, if it was
    level: int = 0  # 0: a chunk; 1, 2...: a summary of the document's tree at that level
    children: tuple[str, ...] = ()  # a summary's children (chunks or summaries), chunk ids

    @property
    def is_summary(self) -> bool:
        return self.level > 0

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
    # Indexes missing or behind the table (an import in progress), and what was done instead.
    index_notes: list[str] = field(default_factory=list)
    query_vector: Any = None  # the question's embedding, when the search made one

    @property
    def library_empty(self) -> bool:
        return self.fusion == EMPTY_LIBRARY

    @property
    def relevant_hits(self) -> list[Hit]:
        return [h for h in self.hits if h.relevant]

    @property
    def nothing_relevant(self) -> bool:
        return not self.relevant_hits
