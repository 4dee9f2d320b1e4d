"""nDCG@10 of the hybrid blend for a range of dense weights, from one search per question.

    python benchmarks/fusion_weights.py LIBRARY BEIR_DIR [--max-queries 2000]
                                        [--weights 0,0.2,0.4,0.5,0.6,0.7,0.8,1]

LIBRARY is one `desktop-rag eval BEIR_DIR` imported (eval-NAME, or --eval-library). Each
question is searched once in hybrid mode with every candidate returned (both cosine and BM25
scores are filled in for all of them); the blend is then recomputed for each weight exactly as
core/search/fusion.py does (min-max over the candidates), so the figure at the library's
weight equals `desktop-rag eval`'s hybrid row. The sample of questions is eval's (seed 13).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.search.evaluation import DEPTH, load_beir, ndcg_at
    from desktop_rag.core.search.fusion import dense_weight_for, normalise
    from desktop_rag.core.search.hits import SearchOptions
    from desktop_rag.core.search.retrieval import Retriever
    from desktop_rag.core.store.libraries import open_library

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("beir", type=Path)
    parser.add_argument("--max-queries", type=int, default=2000)
    parser.add_argument("--weights", default="0,0.2,0.3,0.4,0.5,0.6,0.7,0.8,1")
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    library = open_library(args.library)
    beir = load_beir(args.beir)
    embedder = make_embedder(library.settings.embedding_model, library.settings.embed_batch_size)
    ids = sorted(beir.queries)
    if args.max_queries and args.max_queries < len(ids):
        ids = sorted(random.Random(13).sample(ids, args.max_queries))
    texts = [beir.queries[q] for q in ids]
    vectors = embedder.embed_queries(texts)
    retriever = Retriever(library, embedder)
    options = SearchOptions(mode="hybrid", k=10_000, candidates=DEPTH * 2)
    prefix = f"beir://{beir.name}/"
    scores: dict[float, list[float]] = {w: [] for w in weights}
    for n, qid in enumerate(ids):
        hits = retriever.search(texts[n], options, query_vector=vectors[n]).hits
        dense = normalise([h.dense_score for h in hits])
        bm25 = normalise([h.bm25_score for h in hits])
        for w in weights:
            fused = sorted(range(len(hits)), key=lambda i: w * dense[i] + (1 - w) * bm25[i],
                           reverse=True)
            ranking = list(dict.fromkeys(
                hits[i].path.removeprefix(prefix) for i in fused
                if hits[i].path.startswith(prefix)))[:DEPTH]
            scores[w].append(ndcg_at(ranking, beir.qrels[qid], 10))
        if n % 200 == 0:
            print(f"\r{n}/{len(ids)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    model = library.model["id"] if library.model else embedder.model_id
    current = dense_weight_for(library.settings.language, model)
    print(f"{beir.name}, {len(ids)} queries, {model}, library language "
          f"{library.settings.language} (current dense weight {current})")
    for w in weights:
        mark = "  <- current" if abs(w - current) < 1e-9 else ""
        print(f"dense weight {w:.2f}: nDCG@10 {statistics.fmean(scores[w]):.4f}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
