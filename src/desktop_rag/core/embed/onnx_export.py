"""The embedding model's transformer saved as an ONNX graph, once, for another runtime to run.

OpenVINO (openvino_runtime.py) reads the graph; exporting needs PyTorch, which the app has
anyway (it is also the fallback). The graph is exported with PyTorch's TorchScript-based
exporter (the torch.export one needs onnxscript, one package more for the same graph), with
dynamic batch and sequence axes, in a child process: after an export in the same process,
OpenVINO's bfloat16 kernels crashed it (segmentation fault at the first inference, seen with
torch 2.13 and openvino 2026.4). The graph is kept only if it computes what PyTorch computes on
a few texts: a wrong graph would silently spoil a library.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from desktop_rag.core.paths import cache_dir

# Checked on texts of different lengths; float32 graphs agree to about 1e-6.
_MIN_COSINE = 0.9999
_CHECK_TEXTS = ["Short text.",
                "Une phrase en français, avec des accents : l'été dernier à Besançon.",
                " ".join(["The directive applies to providers of high-risk AI systems."] * 12)]


def source_digest(source: Path) -> str:
    """Which weights a graph was exported from: names, sizes and times of the model's files."""
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(source)}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:16]


# Where exported graphs and the runtime verdicts are kept (default: the cache folder's
# runtimes/). They derive from the model and the libraries only, so the tests share one folder.
RUNTIME_CACHE_ENV = "DESKTOP_RAG_RUNTIME_CACHE"


def runtime_cache() -> Path:
    chosen = os.environ.get(RUNTIME_CACHE_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else cache_dir() / "runtimes"


def graph_dir(model_id: str, source: Path) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)
    return runtime_cache() / f"{safe}-{source_digest(source)}"


def input_names(model) -> list[str]:  # type: ignore[no-untyped-def]
    """The inputs the transformer takes, in the order the graph is exported with."""
    names = list(model.tokenizer.model_input_names)
    return [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in names]


def exported_graph(model, model_id: str, source: Path) -> Path:  # type: ignore[no-untyped-def]
    """model.onnx for this sentence-transformers model, exported on first use (seconds)."""
    folder = graph_dir(model_id, source)
    graph = folder / "model.onnx"
    if (folder / "export.json").exists() and graph.exists():
        return graph
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        names = input_names(model)
        export_in_child(source, names, partial / "model.onnx")
        cosine = check_graph(model, names, partial / "model.onnx")
        (partial / "export.json").write_text(json.dumps(
            {"model": model_id, "source": str(source), "inputs": names,
             "check_cosine": cosine}, indent=1), "utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(partial, folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return graph


def export_in_child(source: Path, names: list[str], target: Path) -> None:
    src = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (src, os.environ.get("PYTHONPATH", "")) if p)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_rag.core.embed.onnx_export", str(source), str(target),
         ",".join(names)], capture_output=True, text=True, env=env, timeout=900)
    if result.returncode != 0 or not target.exists():
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise ValueError(f"the export stopped (exit {result.returncode}): {last[:200]}")


def _export(model, names: list[str], target: Path) -> None:  # type: ignore[no-untyped-def]
    import warnings

    import torch

    transformer = model[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):  # type: ignore[no-untyped-def]
            return self.transformer(**dict(zip(names, inputs, strict=True)))[0]

    sample = model.tokenizer(["an example", "a second, longer example text"], padding=True,
                             return_tensors="pt")
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    # Traced through the SDPA attention, the padding mask's shape logic is frozen at the
    # sample's shape (cosine 0.79 on other batches); the eager attention traces as plain ops.
    previous = getattr(transformer.config, "_attn_implementation", None)
    transformer.set_attn_implementation("eager")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            # eval(): the exporter puts back the wrapper's mode afterwards, and a new module is
            # in training mode, which would leave dropout on in the transformer it holds.
            torch.onnx.export(LastHidden().eval(), tuple(sample[n] for n in names), str(target),
                              input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
    finally:
        if previous and previous != "eager":
            transformer.set_attn_implementation(previous)


def check_graph(model, names: list[str], graph: Path) -> float:  # type: ignore[no-untyped-def]
    """The lowest cosine between PyTorch's and the graph's token vectors on _CHECK_TEXTS (run
    by OpenVINO in float32); raises ValueError below _MIN_COSINE."""
    import numpy as np
    import torch

    from desktop_rag.core.embed.openvino_runtime import CompiledTransformer

    batch = model.tokenizer(_CHECK_TEXTS, padding=True, truncation=True,
                            max_length=int(model.max_seq_length), return_tensors="pt")
    with torch.inference_mode():
        expected = model[0].auto_model.eval()(**{n: batch[n] for n in names})[0].numpy()
    got = CompiledTransformer(graph, names, "f32").hidden(
        {n: batch[n].numpy() for n in names}, threads=1)
    mask = batch["attention_mask"].numpy().astype(bool)
    a, b = expected[mask], got[mask]
    cosines = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    lowest = float(cosines.min())
    if lowest < _MIN_COSINE:
        raise ValueError(f"the exported graph differs from the model (cosine {lowest:.5f})")
    return lowest


def main(argv: list[str] | None = None) -> int:
    """python -m desktop_rag.core.embed.onnx_export MODEL_FOLDER TARGET.onnx INPUT,NAMES"""
    source, target, names = (argv or sys.argv[1:])[:3]
    from desktop_rag.core.offline import apply_environment

    apply_environment()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(source, device="cpu", local_files_only=True)
    _export(model, names.split(","), Path(target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
