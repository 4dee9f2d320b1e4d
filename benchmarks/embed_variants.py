"""Speed and retrieval quality of embedding variants of the default model, in one run.

    python benchmarks/embed_variants.py [--docs 2000] [--queries 800]

Variants: float32 (sentence-transformers on torch) and dynamic int8 quantisation of its linear
layers. Speed: chunks/s on the same chunk texts (the AI Act and War and Peace cut by the default
strategy). Quality: dense nDCG@10 on ../shared/bench/scifact and piaf_fr (exact cosine search),
which must not drop by more than 0.005 for a faster variant to be acceptable.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
CORPUS = ROOT.parent / "shared" / "corpus"


def load_beir(folder: Path, max_queries: int) -> tuple[list[str], list[str], list[str], list[str], dict]:
    ids, texts = [], []
    with open(folder / "corpus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            ids.append(row["_id"])
            texts.append((row.get("title", "") + "\n" + row["text"]).strip())
    qrels: dict[str, dict[str, int]] = {}
    with open(folder / "qrels.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            q, d, score = line.rstrip("\n").split("\t")
            qrels.setdefault(q, {})[d] = int(score)
    qids, queries = [], []
    with open(folder / "queries.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["_id"] in qrels:
                qids.append(row["_id"])
                queries.append(row["text"])
    step = max(1, len(qids) // max_queries)
    return ids, texts, qids[::step][:max_queries], queries[::step][:max_queries], qrels


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def quality(embedder, folder: Path, max_queries: int) -> float:  # type: ignore[no-untyped-def]
    ids, texts, qids, queries, qrels = load_beir(folder, max_queries)
    docs = embedder.embed(texts)
    qs = embedder.embed(queries)
    scores = qs @ docs.T
    top = np.argsort(-scores, axis=1)[:, :10]
    return float(np.mean([ndcg_at_10([ids[j] for j in row], qrels[q]) for q, row in zip(qids, top)]))


def sample_chunks() -> list[str]:
    from desktop_rag.core.embedding import make_embedder
    from desktop_rag.core.ingest.chunking import chunk_elements
    from desktop_rag.core.ingest.parse import parse_file
    from desktop_rag.core.settings import ChunkingSettings

    counter = make_embedder().token_counter()
    texts = []
    for name in ("eu_ai_act_official.pdf", "norwich-city.txt", "language-docs/fr_olap.pdf"):
        parsed = parse_file(CORPUS / name)
        texts += [c.text for c in chunk_elements(parsed.elements, ChunkingSettings(), counter)]
    return texts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=800)
    args = parser.parse_args()
    from desktop_rag.core.embedding import make_embedder

    chunks = sample_chunks()
    print(f"speed sample: {len(chunks)} chunks of the default chunking")
    results = {}
    for name, int8 in (("float32", False), ("int8", True)):
        embedder = make_embedder(int8=int8)
        embedder.embed(["warm up"])
        started = time.perf_counter()
        for start in range(0, len(chunks), 128):
            embedder.embed(chunks[start : start + 128])
        seconds = time.perf_counter() - started
        scifact = quality(embedder, BENCH / "scifact", args.queries)
        piaf = quality(embedder, BENCH / "piaf_fr", args.queries)
        results[name] = (len(chunks) / seconds, scifact, piaf)
        print(f"{name:8s} {len(chunks) / seconds:7.1f} chunks/s  dense nDCG@10 scifact "
              f"{scifact:.4f}  piaf_fr {piaf:.4f}", flush=True)
    base, fast = results["float32"], results["int8"]
    print(f"\nint8 speed-up {fast[0] / base[0]:.2f}x; nDCG@10 change scifact "
          f"{fast[1] - base[1]:+.4f}, piaf_fr {fast[2] - base[2]:+.4f} (limit -0.005)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
