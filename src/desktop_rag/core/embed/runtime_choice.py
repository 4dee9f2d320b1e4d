"""Which runtime computes the embedding model's transformer on this CPU: PyTorch or OpenVINO.

Chosen by measuring, like bfloat16 (local.py): CPUs differ more than their flags say. The probe
times one batch of 32 passages of 128 tokens with each runtime at the precision already chosen,
after the graph is exported (onnx_export.py, once per model); OpenVINO is taken when it is at
least _MIN_SPEEDUP faster. The verdict is kept per model, CPU and library versions, so later
sessions skip the probe. Anything failing on the OpenVINO side (not installed, export refused by
its check, compile error) leaves PyTorch in charge, with the reason kept for `describe`.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_rag.core.errors import DesktopRagError

RUNTIME_ENV = "DESKTOP_RAG_EMBEDDING_RUNTIME"
RUNTIMES = ("auto", "pytorch", "openvino")
# Below this the choice would follow the probe's noise on a busy machine.
_MIN_SPEEDUP = 1.15
# Environment variables that change which instructions the libraries use (they let one CPU
# stand in for an older one); part of the CPU's identity for the kept verdicts.
ISA_LIMITS = ("ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY")


@dataclass
class Choice:
    runtime: str  # "pytorch" or "openvino"
    speedup: float | None  # OpenVINO's probe time over PyTorch's; None: not measured
    reason: str  # why, in a few words, for benchmarks and bug reports
    runner: object | None = None  # the CompiledTransformer when runtime == "openvino"


def requested_runtime() -> str:
    value = os.environ.get(RUNTIME_ENV, "auto").strip().lower() or "auto"
    if value not in RUNTIMES:
        raise DesktopRagError(f"{RUNTIME_ENV} is '{value}': use one of {', '.join(RUNTIMES)}")
    return value


def isa_limits() -> str:
    return ", ".join(f"{k}={os.environ[k]}" for k in ISA_LIMITS if os.environ.get(k))


def _cpu_identity() -> str:
    name = ""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            name = next((line.split(":", 1)[1].strip() for line in f
                         if line.startswith("model name")), "")
    except OSError:
        import platform

        name = platform.processor()
    return f"{name} {os.cpu_count()} {isa_limits()}"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("torch", "openvino"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} -")
    return ", ".join(found)


def mean_pooled(model) -> bool:  # type: ignore[no-untyped-def]
    """Whether the model is a transformer, mean pooling (prompt included) and an optional
    normalisation: the pipeline the OpenVINO path reproduces. Anything else stays on PyTorch."""
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        return False
    config = modules[1].get_config_dict()
    if "pooling_mode" in config:  # sentence-transformers 6
        mean = config["pooling_mode"] == "mean"
    else:
        modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v]
        mean = modes == ["pooling_mode_mean_tokens"]
    return mean and bool(config.get("include_prompt", True))


def _verdicts_file() -> Path:
    from desktop_rag.core.embed.onnx_export import runtime_cache

    return runtime_cache() / "choices.json"


def _read_verdicts() -> dict:
    try:
        return json.loads(_verdicts_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _keep_verdict(key: str, choice: Choice) -> None:
    verdicts = _read_verdicts()
    verdicts[key] = {"runtime": choice.runtime, "speedup": choice.speedup,
                     "reason": choice.reason}
    path = _verdicts_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(verdicts, indent=1), "utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only cache only means probing again next time


def probe_batch(model, names: list[str]) -> dict:  # type: ignore[no-untyped-def]
    text = " ".join(["Passages of a library are embedded in batches like this one."] * 12)
    batch = model.tokenizer([text] * 32, padding=True, truncation=True, max_length=128,
                            return_tensors="np")
    return {n: batch[n] for n in names}


def _best_of(run, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def choose(model, model_id: str, source: Path, precision: str,  # type: ignore[no-untyped-def]
           precision_scope, threads: int, progress=None) -> Choice:
    """PyTorch or OpenVINO for this model on this CPU, at `precision` ("float32"/"bfloat16").
    progress(done, total, what), if given, hears of the one-time export and probe."""
    requested = requested_runtime()
    if requested == "pytorch":
        return Choice("pytorch", None, f"{RUNTIME_ENV}=pytorch")
    from desktop_rag.core.embed import openvino_runtime

    if not openvino_runtime.available():
        return Choice("pytorch", None, "OpenVINO is not installed")
    if not mean_pooled(model) or not Path(str(source)).is_dir():
        return Choice("pytorch", None, "the model's pipeline is not mean pooling")
    key = f"{model_id} | {precision} | {_cpu_identity()} | {_versions()}"
    kept = _read_verdicts().get(key)
    if requested == "auto" and kept and kept.get("runtime") == "pytorch":
        return Choice("pytorch", kept.get("speedup"), kept.get("reason", "") + " (kept)")
    try:
        from desktop_rag.core.embed.onnx_export import exported_graph, graph_dir, input_names

        names = input_names(model)
        if progress and not (graph_dir(model_id, Path(str(source))) / "export.json").exists():
            progress(0, 2, "exporting the model for OpenVINO, once (about 10 s)")
        runner = openvino_runtime.CompiledTransformer(
            exported_graph(model, model_id, Path(str(source))), names, precision)
        if progress and requested == "auto" and not kept:
            progress(1, 2, "timing PyTorch against OpenVINO on this processor")
        if requested == "openvino":
            return Choice("openvino", None, f"{RUNTIME_ENV}=openvino", runner)
        if kept:
            return Choice("openvino", kept.get("speedup"), kept.get("reason", "") + " (kept)",
                          runner)
        choice = _measure(model, names, runner, precision_scope, threads)
        if progress:
            progress(2, 2, choice.reason)
    except Exception as exc:  # noqa: BLE001 - any OpenVINO failure leaves PyTorch in charge
        if requested == "openvino":
            raise DesktopRagError(f"OpenVINO cannot run {model_id}: {exc}") from exc
        return Choice("pytorch", None, f"OpenVINO failed: {str(exc)[:160]}")
    _keep_verdict(key, choice)
    return choice


def _measure(model, names, runner, precision_scope,  # type: ignore[no-untyped-def]
             threads: int) -> Choice:
    import torch

    feed = probe_batch(model, names)
    tensors = {n: torch.from_numpy(v) for n, v in feed.items()}
    transformer = model[0].auto_model.eval()

    def with_pytorch() -> None:
        with torch.inference_mode(), precision_scope():
            transformer(**tensors)

    pytorch = _best_of(with_pytorch)
    openvino = _best_of(lambda: runner.hidden(feed, threads))
    speedup = pytorch / openvino
    if speedup >= _MIN_SPEEDUP:
        return Choice("openvino", speedup, f"OpenVINO {speedup:.2f}x PyTorch", runner)
    return Choice("pytorch", speedup, f"OpenVINO only {speedup:.2f}x PyTorch")
