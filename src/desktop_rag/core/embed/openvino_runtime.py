"""The transformer's ONNX graph run by OpenVINO's own runtime (the `openvino` package, without
optimum-intel, which would pull a CUDA build of PyTorch).

OpenVINO compiles the graph for the CPU it runs on: its kernels fuse attention, layer norms and
GELU that PyTorch runs as separate operations, and with AMX or AVX512_BF16 it computes in
bfloat16. Which runtime an embedder uses is decided by runtime_choice.py, by measuring.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PRECISIONS = {"float32": "f32", "bfloat16": "bf16", "f32": "f32", "bf16": "bf16"}


def available() -> bool:
    """Installed, and not the packaged app: its bundle leaves OpenVINO out (packaging/), and
    the graph is exported by running this Python, which a bundle cannot do."""
    import sys
    from importlib.util import find_spec

    return not getattr(sys, "frozen", False) and find_spec("openvino") is not None


@functools.cache
def computes_bfloat16() -> bool:
    """Whether OpenVINO's CPU plugin computes in bfloat16 here: it does with AVX512_BF16 or AMX
    and otherwise ignores the bfloat16 hint without a word, computing in float32 (seen on an
    AVX2-only CPU: the "bfloat16" vectors were float32's, bit for bit)."""
    return "BF16" in _core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


@functools.cache
def _core():  # type: ignore[no-untyped-def]
    """One OpenVINO runtime per process, as its documentation has it."""
    from desktop_rag.core.offline import apply_environment

    apply_environment()  # before `import openvino`: its telemetry must not start
    import openvino as ov

    return ov.Core()


class CompiledTransformer:
    """last_hidden_state for a batch of token ids, on `threads` threads.

    One compiled model per thread count: OpenVINO fixes its threads when it compiles, and the
    importer gives the embedder one core fewer while a file is parsed beside it.
    """

    def __init__(self, graph: Path, names: list[str], precision: str = "f32") -> None:
        self.graph, self.names = Path(graph), list(names)
        # What OpenVINO will compute in, which the embedder reports: not always what was asked.
        self.precision = PRECISIONS[precision]
        if self.precision == "bf16" and not computes_bfloat16():
            self.precision = "f32"
        self._core = _core()
        self._model = self._core.read_model(str(self.graph))
        self._compiled: dict[int, object] = {}
        self._lock = threading.Lock()

    def _request(self, threads: int):  # type: ignore[no-untyped-def]
        with self._lock:
            compiled = self._compiled.get(threads)
            if compiled is None:
                compiled = self._core.compile_model(self._model, "CPU", {
                    "INFERENCE_PRECISION_HINT": self.precision,
                    "INFERENCE_NUM_THREADS": int(threads),
                    "PERFORMANCE_HINT": "LATENCY",
                })
                self._compiled[threads] = compiled
            # One request per call: embedders are used from one thread at a time, but a
            # request is cheap and sharing one would need a lock around inference.
            return compiled, compiled.create_infer_request()

    def hidden(self, feed: dict[str, np.ndarray], threads: int) -> np.ndarray:
        import numpy as np

        compiled, request = self._request(threads)
        inputs = {n: np.ascontiguousarray(feed[n], dtype=np.int64) for n in self.names}
        result = request.infer(inputs)
        return np.asarray(result[compiled.output(0)], dtype=np.float32)
