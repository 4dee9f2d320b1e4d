"""How the dense and keyword lists become one ranked list, and which hits count as relevant.

Hybrid fusion adapts to the library instead of being one formula: the weight of the dense list
is chosen from the library's language and the languages the embedder reads (dense_weight_for).
Candidates from either list get both scores (fill_cosines), so the blend never compares a
score with a missing one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from desktop_rag.core.embed.base import embedder_languages
from desktop_rag.core.search.hits import Hit, SearchOptions

if TYPE_CHECKING:
    import numpy as np

RRF_K = 60  # the constant of Cormack et al. (2009); ranks past ~60 weigh little

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


def dense_weight_for(language: str, model_id: str) -> float:
    """Weight of the dense list in the blend for a library in `language` with this embedder.

    Measured with `desktop-rag eval` on the development splits of SciFact (English, 809
    queries) and PIAF (French, 2,000 queries) with all-MiniLM-L6-v2, min-max normalised blend,
    on chunks cut between sentences: SciFact nDCG@10 0.693 (BM25 alone) rising to 0.738 at 0.6
    (0.736 at 0.7) and falling to 0.682 (dense alone); PIAF 0.808 at 0, 0.810 from 0.2 to 0.4,
    0.786 at 0.6, 0.452 dense alone. An English-only embedder on another language gets a
    small say: it still matches names, numbers and shared words.

    A multilingual embedder reads every language, so it gets the same weight. Measured with
    multilingual-e5-small on PIAF (benchmarks/fusion_weights.py, 600 queries): 0.818 at 0,
    0.843 at 0.4, 0.847 at 0.5, 0.844 at 0.6, 0.839 at 0.7, 0.818 at 0.8, 0.744 dense alone;
    0.5 and 0.6 are within noise of each other (the issue's other PIAF split peaks at 0.6), so
    0.6 stays: 0.846 over the 2,000 queries of `desktop-rag eval`.
    """
    languages = embedder_languages(model_id)
    if languages is None or language in languages:
        return SAME_LANGUAGE_DENSE_WEIGHT
    return FOREIGN_LANGUAGE_DENSE_WEIGHT


SAME_LANGUAGE_DENSE_WEIGHT = 0.6
FOREIGN_LANGUAGE_DENSE_WEIGHT = 0.2


def keywords(query: str, language: str) -> list[str]:
    """The key words of a question, lowercased, question words and one-letter words left out."""
    stop = _QUESTION_WORDS.get(language, set()) | _QUESTION_WORDS["en"]
    words = [w for w in _WORD.findall(query.lower()) if len(w) > 1 and w not in stop]
    return list(dict.fromkeys(words))


def fuse(hits: list[Hit], options: SearchOptions, weight: float) -> str:
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
    dense = normalise([h.dense_score for h in hits])
    bm25 = normalise([h.bm25_score for h in hits])
    for h, d, b in zip(hits, dense, bm25, strict=True):
        h.fused_score = weight * d + (1.0 - weight) * b
    return f"weighted blend {weight:.2f} dense / {1 - weight:.2f} BM25"


def normalise(scores: Sequence[float | None]) -> list[float]:
    """Min-max over the candidates; a missing score counts as the lowest."""
    present = [s for s in scores if s is not None]
    if not present:
        return [0.0] * len(scores)
    low, high = min(present), max(present)
    span = high - low
    return [0.0 if s is None else (1.0 if span == 0 else (s - low) / span) for s in scores]


def fill_cosines(pool: dict[str, Hit], vectors: dict[str, Any], qvec: np.ndarray) -> None:
    import numpy as np

    missing = [h for h in pool.values() if h.dense_score is None and h.chunk_id in vectors]
    if not missing:
        return
    matrix = np.asarray([vectors[h.chunk_id] for h in missing], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (float(np.linalg.norm(qvec)) or 1.0)
    cosines = matrix @ np.asarray(qvec, dtype=np.float32) / np.where(norms == 0, 1.0, norms)
    for hit, cosine in zip(missing, cosines, strict=True):
        hit.dense_score = float(cosine)


def keyword_share(words: list[str], *texts: str) -> float:
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


def is_relevant(hit: Hit, options: SearchOptions) -> bool:
    if options.min_similarity <= 0 and options.min_keyword_share <= 0:
        return True
    if options.min_similarity > 0 and (hit.dense_score or 0.0) >= options.min_similarity:
        return True
    return options.min_keyword_share > 0 and hit.keyword_share >= options.min_keyword_share
