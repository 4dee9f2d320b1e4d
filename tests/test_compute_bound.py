"""The compute ceiling benchmarks/ingest.py prints rests on a FLOP count: checked against
PyTorch's own count of the real model's products, so the ceiling it reports is not a guess."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from compute_bound import import_flops, text_flops, transformer_shape  # noqa: E402

TEXTS = [
    "Dense retrieval encodes questions and passages into one vector space.",
    "Le modèle répond à partir des extraits cités, page par page, sans connexion au réseau.",
    "A much longer passage " * 40,
]


def _counted(embedder, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    model = embedder._load()
    features = model.tokenizer(texts, return_tensors="pt", padding=True)
    transformer = model[0].auto_model
    used = transformer.config._attn_implementation
    # PyTorch counts no FLOPs for its fused CPU attention: the plain one shows its products.
    transformer.set_attn_implementation("eager")
    counter = FlopCounterMode(display=False)
    try:
        with torch.inference_mode(), counter:
            transformer(input_ids=features["input_ids"], attention_mask=features["attention_mask"])
    finally:
        transformer.set_attn_implementation(used)
    return int(counter.get_total_flops())


def test_flop_count_matches_pytorchs_count_of_the_model(  # type: ignore[no-untyped-def]
    embedder,
) -> None:
    shape = transformer_shape(embedder)
    assert shape == {"layers": 6, "hidden": 384, "ffn": 1536}
    for text in TEXTS:
        length = len(embedder._load().tokenizer(text)["input_ids"])
        # PyTorch also counts the pooler's product (one h x h per text), which sentence-
        # transformers does not use: within 0.2 %.
        assert text_flops(length, **shape) == pytest.approx(_counted(embedder, [text]), rel=0.002)


def test_import_flops_count_padding_within_each_batch(  # type: ignore[no-untyped-def]
    embedder,
) -> None:
    shape = transformer_shape(embedder)
    short, long = TEXTS[0], TEXTS[2]
    one_batch, tokens = import_flops([short, long], embedder, batch_size=2)
    apart, same_tokens = import_flops([short, long], embedder, batch_size=1)
    assert tokens == same_tokens
    # Padded to the longer text, the short one costs as much as the long one.
    longest = min(embedder.token_counter().count(long) + 2, embedder.max_tokens)
    assert one_batch == 2 * text_flops(longest, **shape)
    assert apart < one_batch
