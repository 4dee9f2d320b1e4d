"""Group the nodes of one tree level into clusters to summarise, as RAPTOR does.

The paper reduces the embeddings with UMAP and fits Gaussian mixtures, choosing the number of
components by BIC, with soft assignment (a chunk may belong to two clusters). Here PCA stands
in for UMAP (scikit-learn, already installed with sentence-transformers; UMAP would add numba
and a JIT compile on first use) and the mixture has diagonal covariances, which stay well
conditioned with a few points per component. Two rules the paper applies too: a cluster never
holds more text than one prompt can take (too large ones are cut, in document order), and the
number of clusters is at least what the token budget demands. The result is deterministic
(fixed seed), so a resumed build finds the same clusters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

SOFT_THRESHOLD = 0.2  # a node joins every cluster it belongs to with this probability or more
REDUCED_DIMENSIONS = 10
MAX_CANDIDATES = 6  # numbers of clusters tried by BIC
MIN_AVERAGE_SIZE = 3


def cluster_level(
    vectors: np.ndarray,
    tokens: Sequence[int],
    budget: int,
    seed: int = 0,
) -> list[list[int]]:
    """Clusters of node indexes (nodes in document order), each within `budget` tokens of
    text, in the order of their first node. One cluster holding everything: the root."""
    n = len(tokens)
    if n == 0:
        return []
    total = sum(tokens)
    if total <= budget or n <= 2:
        return _cut(list(range(n)), tokens, budget)
    least = max(2, math.ceil(total / budget))
    if least >= n - 1:
        return _cut(list(range(n)), tokens, budget)
    members = _soft_clusters(np.asarray(vectors, dtype=np.float64), least, seed)
    pieces = {tuple(piece) for group in members for piece in _cut(sorted(group), tokens, budget)}
    clusters = [list(piece) for piece in sorted(pieces, key=lambda c: (c[0], len(c)))]
    if len(clusters) >= n:  # the mixture split nothing: cut in document order instead
        return _cut(list(range(n)), tokens, budget)
    return clusters


def _soft_clusters(vectors: np.ndarray, least: int, seed: int) -> list[list[int]]:
    from sklearn.decomposition import PCA
    from sklearn.mixture import GaussianMixture

    n = len(vectors)
    dims = max(1, min(REDUCED_DIMENSIONS, n - 2, vectors.shape[1]))
    reduced = PCA(n_components=dims, random_state=seed).fit_transform(vectors)
    # At least three nodes a cluster on average: a mixture fitted to a few points otherwise
    # splits them into as many clusters (9 summaries of the AI Act made 6, not one or two).
    most = max(least, min(n // MIN_AVERAGE_SIZE, least * 3))
    candidates = sorted(set(np.linspace(least, most, MAX_CANDIDATES).round().astype(int)))
    best, best_bic = None, math.inf
    for k in candidates:
        model = GaussianMixture(n_components=int(k), covariance_type="diag",
                                random_state=seed, reg_covar=1e-4, n_init=1).fit(reduced)
        bic = model.bic(reduced)
        if bic < best_bic:
            best, best_bic = model, bic
    assert best is not None
    probabilities = best.predict_proba(reduced)
    chosen = probabilities >= SOFT_THRESHOLD
    chosen[np.arange(n), probabilities.argmax(axis=1)] = True  # every node somewhere
    return [list(np.flatnonzero(chosen[:, j])) for j in range(chosen.shape[1])
            if chosen[:, j].any()]


def _cut(indexes: list[int], tokens: Sequence[int], budget: int) -> list[list[int]]:
    """Consecutive pieces of at most `budget` tokens (a single node over it stays alone)."""
    pieces: list[list[int]] = [[]]
    used = 0
    for i in indexes:
        if pieces[-1] and used + tokens[i] > budget:
            pieces.append([])
            used = 0
        pieces[-1].append(int(i))
        used += tokens[i]
    return [p for p in pieces if p]
