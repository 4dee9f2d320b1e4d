"""The embedding runtime: OpenVINO where the probe finds it faster, with PyTorch's vectors;
PyTorch otherwise, on request, or whenever OpenVINO cannot run the model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from desktop_rag.core.embed import openvino_runtime, runtime_choice
from desktop_rag.core.embed.local import PRECISION_ENV, SentenceTransformerEmbedder
from desktop_rag.core.embed.onnx_export import RUNTIME_CACHE_ENV, check_graph, input_names
from desktop_rag.core.embed.runtime_choice import RUNTIME_ENV
from desktop_rag.core.errors import DesktopRagError

pytest.importorskip("openvino")

SCIFACT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scifact"
TEXTS = [
    "Providers of high-risk AI systems shall establish a quality management system.",
    "La tour Eiffel a été construite pour l'Exposition universelle de 1889.",
    "x",
    "   surrounded by spaces, which sentence-transformers strips   ",
    "A much longer passage that repeats itself to reach the model's window. " * 30,
]


def _embedder(monkeypatch: pytest.MonkeyPatch, runtime: str, precision: str = "float32",
              model: str = "default") -> SentenceTransformerEmbedder:
    monkeypatch.setenv(RUNTIME_ENV, runtime)
    monkeypatch.setenv(PRECISION_ENV, precision)
    embedder = SentenceTransformerEmbedder(model)
    embedder._load()  # the runtime is chosen at load, from the environment of then
    return embedder


def _scifact(n_docs: int, n_queries: int) -> tuple[list[str], list[str]]:
    if not SCIFACT.is_dir():
        pytest.skip("../shared/bench/scifact is missing")
    docs = [json.loads(line) for line in (SCIFACT / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (SCIFACT / "queries.jsonl").open(encoding="utf-8")]
    return ([d["title"] + "\n" + d["text"] for d in docs[:n_docs]],
            [q["text"] for q in queries[:n_queries]])


def test_openvino_gives_pytorchs_vectors_and_rankings(monkeypatch: pytest.MonkeyPatch) -> None:
    exact = _embedder(monkeypatch, "pytorch")
    compiled = _embedder(monkeypatch, "openvino")
    assert (exact.runtime, compiled.runtime) == ("pytorch", "openvino")
    passages, queries = _scifact(300, 20)
    a, b = exact.embed(TEXTS + passages), compiled.embed(TEXTS + passages)
    assert b.dtype == np.float32 and b.shape == a.shape
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
    assert (a * b).sum(1).min() >= 0.9999
    qa, qb = exact.embed_queries(queries), compiled.embed_queries(queries)
    assert (qa * qb).sum(1).min() >= 0.9999
    top_a = np.argsort(-(qa @ a.T), axis=1)[:, :10]
    top_b = np.argsort(-(qb @ b.T), axis=1)[:, :10]
    assert np.mean([set(x) == set(y) for x, y in zip(top_a, top_b, strict=True)]) >= 0.95


def test_openvino_in_bfloat16_stays_within_a_search_of_float32(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exact = _embedder(monkeypatch, "pytorch")
    fast = _embedder(monkeypatch, "openvino", "bfloat16")
    cosines = (exact.embed(TEXTS) * fast.embed(TEXTS)).sum(1)
    assert cosines.min() > 0.999, cosines


def test_the_precision_said_is_the_one_openvino_computes_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exact = _embedder(monkeypatch, "openvino")
    asked = _embedder(monkeypatch, "openvino", "bfloat16")
    a, b = exact.embed(TEXTS), asked.embed(TEXTS)
    if openvino_runtime.computes_bfloat16():
        assert asked.precision == "bfloat16" and not np.array_equal(a, b)
    else:
        assert asked.precision == "float32" and np.array_equal(a, b)
        assert "no bfloat16" in asked.runtime_reason


def test_a_graph_that_computes_something_else_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import torch

    embedder = _embedder(monkeypatch, "openvino")
    model = embedder._load()
    graph = embedder._runtime.runner.graph
    names = input_names(model)
    assert check_graph(model, names, graph) > 0.9999
    layer = model[0].auto_model.encoder.layer[2].intermediate.dense
    saved = layer.weight.detach().clone()
    try:
        with torch.no_grad():
            layer.weight.mul_(-1.0)
        with pytest.raises(ValueError, match="differs from the model"):
            check_graph(model, names, graph)
    finally:
        with torch.no_grad():
            layer.weight.copy_(saved)


def test_auto_measures_once_and_keeps_the_verdict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    shared = Path(runtime_choice.os.environ[RUNTIME_CACHE_ENV])
    _embedder(monkeypatch, "openvino")  # the shared folder holds the exported graph now
    own = tmp_path / "runtimes"
    shutil.copytree(shared, own, ignore=shutil.ignore_patterns("choices.json"))
    monkeypatch.setenv(RUNTIME_CACHE_ENV, str(own))
    first = _embedder(monkeypatch, "auto", "auto")
    assert first.runtime in ("pytorch", "openvino")
    assert "x PyTorch" in first.runtime_reason and "(kept)" not in first.runtime_reason
    verdicts = json.loads((own / "choices.json").read_text("utf-8"))
    (key, verdict), = verdicts.items()
    assert key.startswith("all-MiniLM-L6-v2 | " + first.precision)
    assert verdict["runtime"] == first.runtime and verdict["speedup"] > 0
    second = _embedder(monkeypatch, "auto", first.precision)
    assert second.runtime == first.runtime
    assert second.runtime_reason.endswith("(kept)")
    assert np.allclose(first.embed(TEXTS[:2]), second.embed(TEXTS[:2]), atol=1e-6)


def test_pytorch_takes_over_when_openvino_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setenv(RUNTIME_CACHE_ENV, str(tmp_path / "runtimes"))

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("no CPU plugin")

    monkeypatch.setattr(openvino_runtime, "CompiledTransformer", broken)
    monkeypatch.setattr("desktop_rag.core.embed.onnx_export.exported_graph",
                        lambda model, model_id, source: tmp_path / "model.onnx")
    embedder = _embedder(monkeypatch, "auto")
    assert embedder.runtime == "pytorch"
    assert embedder.runtime_reason == "OpenVINO failed: no CPU plugin"
    assert embedder.embed(["still works"]).shape == (1, 384)
    with pytest.raises(DesktopRagError, match="OpenVINO cannot run all-MiniLM-L6-v2: no CPU"):
        _embedder(monkeypatch, "openvino")


def test_pytorch_on_request_and_unknown_runtimes_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedder = _embedder(monkeypatch, "pytorch")
    assert embedder.runtime == "pytorch"
    assert embedder.runtime_reason == f"{RUNTIME_ENV}=pytorch"
    monkeypatch.setenv(RUNTIME_ENV, "tensorrt")
    with pytest.raises(DesktopRagError, match="use one of auto, pytorch, openvino"):
        runtime_choice.requested_runtime()
