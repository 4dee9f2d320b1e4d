"""Sentence vectors from a compiled transformer (openvino_runtime.py), computed the way
sentence-transformers computes them for a mean-pooling model: texts stripped, the prompt put
before each, sorted by length so that a batch pads little, cut at the model's limit, token
vectors averaged over the attention mask and normalized. The equivalence is tested
(tests/test_embed_runtime.py): cosine >= 0.9999 to PyTorch's vectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def mean_normalized(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    import numpy as np

    weights = mask[..., None].astype(np.float32)
    vectors = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


def encode(model, runner, texts: list[str], prompt: str | None,  # type: ignore[no-untyped-def]
           batch_size: int, threads: int) -> np.ndarray:
    import numpy as np

    full = [(prompt or "") + str(t).strip() for t in texts]
    if getattr(model[0], "do_lower_case", False):
        full = [t.lower() for t in full]
    order = sorted(range(len(full)), key=lambda i: -len(full[i]))
    out: np.ndarray | None = None
    limit = int(model.max_seq_length)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        batch = model.tokenizer([full[i] for i in rows], padding=True, truncation="longest_first",
                                max_length=limit, return_tensors="np")
        feed = {n: batch[n] for n in runner.names}
        vectors = mean_normalized(runner.hidden(feed, threads), batch["attention_mask"])
        if out is None:
            out = np.empty((len(full), vectors.shape[1]), dtype=np.float32)
        out[rows] = vectors
    assert out is not None
    return out


def hidden_states(runner, input_ids, mask, threads: int):  # type: ignore[no-untyped-def]
    """last_hidden_state as a float32 torch tensor, for the long-text windows of local.py."""
    import numpy as np
    import torch

    feed = {"input_ids": input_ids.numpy(), "attention_mask": mask.numpy()}
    if "token_type_ids" in runner.names:
        feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
    return torch.from_numpy(runner.hidden(feed, threads))
