"""Embedding precision: bfloat16 where the CPU does it fast, with vectors a search cannot tell
from float32 ones; float32 everywhere else or on request."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_rag.core.embed.local import PRECISION_ENV, SentenceTransformerEmbedder
from desktop_rag.core.embed.runtime_choice import RUNTIME_ENV
from desktop_rag.core.errors import DesktopRagError

TEXTS = [
    "Providers of high-risk AI systems shall establish a quality management system.",
    "La tour Eiffel a été construite pour l'Exposition universelle de 1889.",
    "Mitochondrial DNA mutations accumulate with age in human skeletal muscle.",
    "x",
    "A much longer passage that repeats itself to reach the model's window. " * 30,
]


def _embedder(monkeypatch: pytest.MonkeyPatch, precision: str) -> SentenceTransformerEmbedder:
    monkeypatch.setenv(PRECISION_ENV, precision)
    return SentenceTransformerEmbedder()


def test_bfloat16_vectors_match_float32_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyTorch's autocast computes in bfloat16 on any CPU (emulated without the instructions);
    # OpenVINO may fall back to float32, which test_embed_runtime checks is said.
    monkeypatch.setenv(RUNTIME_ENV, "pytorch")
    exact = _embedder(monkeypatch, "float32")
    fast = _embedder(monkeypatch, "bfloat16")
    a, b = exact.embed(TEXTS), fast.embed(TEXTS)
    assert (exact.precision, fast.precision) == ("float32", "bfloat16")
    assert a.dtype == b.dtype == np.float32
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-3)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    # bfloat16 really ran: the vectors are close, not identical.
    assert not np.array_equal(a, b)


def test_auto_picks_a_precision_and_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = _embedder(monkeypatch, "auto")
    assert embedder.precision in ("float32", "bfloat16")
    first = embedder.embed(TEXTS[:2])
    assert np.array_equal(first, embedder.embed(TEXTS[:2]))


def test_an_unknown_precision_is_refused_with_the_choices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(DesktopRagError, match="use one of auto, float32, bfloat16"):
        _embedder(monkeypatch, "int4")
