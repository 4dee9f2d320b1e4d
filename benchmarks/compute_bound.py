"""How close an import's embedding comes to what the CPU's matrix units can do at all.

The embedder's time is almost all matrix products: counting the floating-point operations its
transformer needs for the texts of an import, and dividing by the rate the same CPU reaches on
products of the model's own layer shapes, gives the shortest time any runtime could take at that
precision with the same vectors. benchmarks/ingest.py prints it beside the import, so a speed
target can be checked against the machine before anyone tries to reach it.
"""

from __future__ import annotations

import time


def transformer_shape(embedder) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Layers, hidden width and feed-forward width of a sentence-transformers BERT-like model."""
    config = embedder._load()[0].auto_model.config
    return {"layers": int(config.num_hidden_layers), "hidden": int(config.hidden_size),
            "ffn": int(config.intermediate_size)}


def text_flops(tokens: int, layers: int, hidden: int, ffn: int) -> int:
    """Multiply-adds x 2 of one text of `tokens` tokens through the encoder's layers.

    Per layer and token: the Q, K, V and output projections (4 h^2), the two feed-forward
    products (2 h f); per layer and text: scores Q.K^T and their product with V (2 n^2 h).
    Embedding look-ups, layer norms, softmax and pooling are left out (a few % of the products).
    """
    linear = tokens * (4 * hidden * hidden + 2 * hidden * ffn)
    attention = 2 * tokens * tokens * hidden
    return 2 * layers * (linear + attention)


def import_flops(  # type: ignore[no-untyped-def]
    texts: list[str], embedder, batch_size: int
) -> tuple[int, int]:
    """(FLOPs, tokens) for embedding `texts` in batches, each padded to its longest text.

    The texts are sorted by length across the whole list (as sentence-transformers does for
    LangChain's one call), the least padding any batching gives; the import sorts within slices
    of EMBED_SLICE texts and pads a little more, so its ceiling errs on the short side."""
    shape = transformer_shape(embedder)
    counter, limit = embedder.token_counter(), embedder.max_tokens
    # +2: the [CLS] and [SEP] tokens the model adds to each text.
    lengths = sorted((min(counter.count(t) + 2, limit) for t in texts), reverse=True)
    flops = 0
    for start in range(0, len(lengths), batch_size):
        batch = lengths[start : start + batch_size]
        flops += len(batch) * text_flops(max(batch), **shape)
    return flops, sum(lengths)


def matmul_rate(  # type: ignore[no-untyped-def]
    embedder, precision: str, seconds: float = 3.0
) -> float:
    """FLOP/s of the best of PyTorch's products on the model's layer shapes (a batch of 32 texts
    of 256 tokens), on all cores, at `precision` ("float32" or "bfloat16")."""
    import torch

    shape = transformer_shape(embedder)
    h, f, rows = shape["hidden"], shape["ffn"], 32 * 256
    dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
    pairs = [((rows, h), (3 * h, h)), ((rows, h), (f, h)), ((rows, f), (h, f))]
    best = 0.0
    with torch.inference_mode():
        for (m, k), (n, _) in pairs:
            x, w = torch.randn(m, k, dtype=dtype), torch.randn(n, k, dtype=dtype)
            torch.nn.functional.linear(x, w)
            deadline, runs = time.perf_counter() + seconds / len(pairs), []
            while time.perf_counter() < deadline or len(runs) < 3:
                start = time.perf_counter()
                torch.nn.functional.linear(x, w)
                runs.append(time.perf_counter() - start)
            best = max(best, 2 * m * k * n / min(runs))
    return best
