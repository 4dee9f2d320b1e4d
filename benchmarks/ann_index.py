"""Choose and tune desktop-rag's ANN vector index in LanceDB, and when to build it.

Data: synthetic rows shaped like our chunks table (384-dim float32 unit vectors in column
``vector``, cosine, k=10): a hierarchy of gaussian clusters (topics -> ~200-row sub-topics
-> rows) with a decaying noise spectrum, so similarities look like MiniLM's (random pairs
~0.05, a query's top-1 ~0.75, top-10 ~0.65); half the queries are perturbed rows, half
fresh samples of sub-topics. The table is opened as the app opens it
(read_consistency_interval=0); searches fetch chunk_id + text + _distance.

For each size it measures brute force (no index: p50/p95 of ``search(q).distance_type(
"cosine").limit(10)``), then builds IVF_HNSW_SQ, IVF_PQ, IVF_SQ and IVF_RQ (1, 2, 4 bits)
and for each query setting (ef / nprobes / refine_factor) reports p50/p95, speed-up over
brute force in the same run and recall@10 against exact numpy search. At the largest size
it checks that rows added after the build are still found, and what optimize() does. It
ends with the size where brute force p50 passes 15-20 ms and the index + query rule that
holds recall@10 >= 0.95 at every size with the lowest p50 at the largest (near-ties go to
the quicker build), plus the quickest-to-build such rule.

Timings are noisy on a shared 2-core machine: compare ratios within one run. The default
run takes 6-10 minutes; --large adds 1M rows (15-40 more minutes: HNSW builds 9-19).

Run:  python benchmarks/ann_index.py [--sizes 10000,50000] [--large] [--queries 200]
      python benchmarks/ann_index.py --brute-only --sizes 10000,15000,20000,30000
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import tempfile
import time
from datetime import timedelta

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import HnswSq, IvfPq, IvfRq, IvfSq

DIM, K, TARGET_RECALL = 384, 10, 0.95
BRUTE_BUDGET_S = 25.0  # brute force: stop timing after this long (at least 20 queries)
THRESHOLDS_MS = (15.0, 20.0)
MIN_PROBES = 20  # Lance's own default minimum_nprobes

# (index type, build params shown, config, query-time settings). A float nprobes is a share
# of the index's partitions (column "parts"; by default ~8192 rows each for IVF_PQ / IVF_SQ,
# ~4096 for IVF_RQ, one for HNSW) but at least MIN_PROBES, so one rule holds as tables grow.
CANDIDATES = [
    ("IVF_HNSW_SQ", "m=20,ef_construction=150",
     HnswSq(distance_type="cosine", ef_construction=150), [{"ef": e} for e in (40, 80, 160, 320)]),
    ("IVF_PQ", "num_sub_vectors=24(default)", IvfPq(distance_type="cosine"),
     [{"nprobes": p, "refine_factor": r} for p in (0.25, 0.5) for r in (10, 20)]),
    ("IVF_SQ", "default", IvfSq(distance_type="cosine"),
     [{"nprobes": p} for p in (0.1, 0.25, 0.5)]),
    ("IVF_RQ", "num_bits=1(default)", IvfRq(distance_type="cosine"),
     [{"nprobes": 0.25, "refine_factor": r} for r in (5, 10)]),
    ("IVF_RQ", "num_bits=2", IvfRq(distance_type="cosine", num_bits=2),
     [{"nprobes": p, "refine_factor": r} for p in (0.1, 0.25) for r in (2, 4)]),
    ("IVF_RQ", "num_bits=4", IvfRq(distance_type="cosine", num_bits=4),
     [{"nprobes": p, "refine_factor": 2} for p in (0.1, 0.25)]),
]


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


class Clusters:
    """Topics -> sub-topics -> rows, gaussian noise with a decaying spectrum in a random basis."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        basis, _ = np.linalg.qr(self.rng.standard_normal((DIM, DIM)))
        scale = np.arange(1, DIM + 1) ** -0.6
        scale *= np.sqrt(DIM / np.sum(scale**2))
        self.mix = (scale[:, None] * basis.T / np.sqrt(DIM)).astype(np.float32)
        common = unit(self.rng.standard_normal((1, DIM)))
        n_topics, n_leaves = max(8, int(np.sqrt(n) / 4)), max(16, n // 200)
        topics = unit(0.35 * common + self.noise(n_topics, 1.0))
        parents = topics[self.rng.integers(0, n_topics, n_leaves)]
        self.leaves = unit(parents + self.noise(n_leaves, 0.9))

    def noise(self, m: int, sigma: float) -> np.ndarray:
        return sigma * (self.rng.standard_normal((m, DIM), dtype=np.float32) @ self.mix)

    def rows(self, m: int, sigma: float = 1.1) -> np.ndarray:
        out = np.empty((m, DIM), np.float32)
        for i in range(0, m, 100_000):
            j = min(m, i + 100_000)
            centres = self.leaves[self.rng.integers(0, len(self.leaves), j - i)]
            out[i:j] = unit(centres + self.noise(j - i, sigma))
        return out

    def queries(self, x: np.ndarray, m: int) -> np.ndarray:
        near = unit(x[self.rng.integers(0, len(x), m // 2)] + self.noise(m // 2, 0.9))
        return np.vstack([near, self.rows(m - m // 2, sigma=1.3)])


def exact_topk(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Row ids of the exact top-K (any order) by cosine = dot product on unit vectors."""
    s = np.hstack([q @ x[i : i + 100_000].T for i in range(0, len(x), 100_000)])
    return np.argpartition(-s, K, axis=1)[:, :K]


def arrow_rows(x: np.ndarray, start: int) -> pa.Table:
    ids = np.arange(start, start + len(x))
    text = [f"chunk {i}: " + "lorem ipsum dolor sit amet " * 22 for i in ids]
    vec = pa.FixedSizeListArray.from_arrays(pa.array(x.reshape(-1)), DIM)
    return pa.table({"chunk_id": pa.array(ids), "text": pa.array(text), "vector": vec})


def resolve(params: dict, parts: str) -> dict:
    """Turn a share of the partitions into a number of probes (at least MIN_PROBES)."""
    share = params.get("nprobes")
    if not isinstance(share, float):
        return params
    n = math.ceil(share * int(parts)) if parts.isdigit() else 0
    return {**params, "nprobes": max(MIN_PROBES, n)}


def label(params: dict, parts: str) -> str:
    done = resolve(params, parts)
    return ",".join(f"{k}={v:.0%}({done[k]})" if isinstance(v, float) else f"{k}={v}"
                    for k, v in params.items()) or "-"


def search(tbl, q: np.ndarray, params: dict):
    b = tbl.search(q).distance_type("cosine").limit(K)
    for name, value in params.items():  # nprobes / refine_factor / ef / fast_search
        b = getattr(b, name)(*([] if value is True else [value]))
    return b.select(["chunk_id", "text", "_distance"]).to_arrow()


def measure(tbl, qs: np.ndarray, gt: np.ndarray, params: dict, budget: float = 1e9) -> dict:
    for q in qs[:3]:  # warm the index / page cache
        search(tbl, q, params)
    lat, rec, t_end = [], [], time.perf_counter() + budget
    for q, truth in zip(qs, gt):
        t0 = time.perf_counter()
        ids = search(tbl, q, params)["chunk_id"].to_numpy()
        lat.append((time.perf_counter() - t0) * 1e3)
        rec.append(len(np.intersect1d(ids, truth)) / K)
        if time.perf_counter() > t_end and len(lat) >= 20:
            break
    return {"p50": float(np.median(lat)), "p95": float(np.percentile(lat, 95)),
            "recall": float(np.mean(rec)), "timed": len(lat)}


def partitions(tbl, q: np.ndarray) -> str:
    b = tbl.search(q).distance_type("cosine").limit(K).select(["chunk_id", "_distance"])
    m = re.search(r"partitions_ranked=(\d+)", b.analyze_plan())
    return m.group(1) if m else "?"


HEADER = f"{'rows':>8} {'index':<12} {'build params':<28} {'parts':>5} {'build_s':>7}  " \
         f"{'query params':<32} {'p50_ms':>7} {'p95_ms':>7} {'x_brute':>7} {'recall@10':>9}"


def show(r: dict) -> None:
    q = label(r["query"], r["parts"])
    build_s = f"{r['build_s']:7.1f}" if r["build_s"] is not None else f"{'-':>7}"
    print(f"{r['n']:>8} {r['index']:<12} {r['build']:<28} {r['parts']:>5} {build_s}  {q:<32} "
          f"{r['p50']:7.1f} {r['p95']:7.1f} {r['speedup']:7.1f} {r['recall']:9.3f}", flush=True)


def bench_size(db, n: int, nq: int, rows: list, delta_check: bool, brute_only: bool) -> None:
    gen = Clusters(n, seed=n)
    x = gen.rows(n)
    qs = gen.queries(x, nq)
    gt = exact_topk(x, qs)
    tbl = db.create_table(f"chunks_{n}", arrow_rows(x[:20_000], 0))
    for i in range(20_000, n, 20_000):  # several fragments, like incremental imports
        tbl.add(arrow_rows(x[i : i + 20_000], i))
    brute = measure(tbl, qs, gt, {}, budget=BRUTE_BUDGET_S)
    base = {"n": n, "parts": "-", "build_s": None}
    rows.append({**base, "index": "brute", "build": f"({brute['timed']} queries)", "query": {},
                 **brute, "speedup": 1.0})
    show(rows[-1])
    for index, build, config, settings in [] if brute_only else CANDIDATES:
        t0 = time.perf_counter()
        tbl.create_index("vector", config=config, replace=True)
        build_s = time.perf_counter() - t0
        parts = partitions(tbl, qs[0])
        for params in settings:
            m = measure(tbl, qs, gt, resolve(params, parts))
            rows.append({**base, "index": index, "build": build, "parts": parts, "build_s": build_s,
                         "query": params, **m, "speedup": brute["p50"] / m["p50"]})
            show(rows[-1])
    if delta_check and not brute_only:
        check_new_rows(tbl, gen, x, qs, n, resolve(settings[-1], parts))


def check_new_rows(tbl, gen: Clusters, x: np.ndarray, qs: np.ndarray, n: int, params) -> None:
    """Add near-duplicates of every query after the build: are they found before optimize()?"""
    new = unit(qs + gen.noise(len(qs), 0.3))
    tbl.add(arrow_rows(new, n))
    gt = exact_topk(np.vstack([x, new]), qs)
    stats = tbl.index_stats("vector_idx")
    print(f"\nAfter adding {len(new)} rows to the indexed table (index_stats: indexed="
          f"{stats.num_indexed_rows}, unindexed={stats.num_unindexed_rows}, "
          f"segments={stats.num_indices}), query {params}:")
    fast = {**params, "fast_search": True}
    for name, p in (("default search", params), ("fast_search()", fast)):
        m = measure(tbl, qs, gt, p)
        print(f"  {name:<16} p50 {m['p50']:.1f} ms, recall@10 vs new truth {m['recall']:.3f}")
    t0 = time.perf_counter()
    tbl.optimize()
    stats = tbl.index_stats("vector_idx")
    m = measure(tbl, qs, gt, params)
    print(f"  optimize() {time.perf_counter() - t0:.1f}s -> indexed={stats.num_indexed_rows}, "
          f"unindexed={stats.num_unindexed_rows}, segments={stats.num_indices}; "
          f"p50 {m['p50']:.1f} ms, recall@10 {m['recall']:.3f}")


def recommend(rows: list) -> None:
    sizes = sorted({r["n"] for r in rows})
    brute = [next(r["p50"] for r in rows if r["n"] == n and r["index"] == "brute") for n in sizes]
    print("\nBrute force p50: " + ", ".join(f"{n:,} rows {p:.1f} ms" for n, p in zip(sizes, brute)))
    for limit in THRESHOLDS_MS:  # interpolate between the measured sizes
        pairs = zip(sizes, sizes[1:], brute, brute[1:])
        cross = [n0 + (n1 - n0) * (limit - p0) / (p1 - p0)
                 for n0, n1, p0, p1 in pairs if p0 <= limit < p1]
        where = (f"~{cross[0]:,.0f} rows" if cross else f"below {sizes[0]:,} rows"
                 if brute[0] > limit else f"more than {sizes[-1]:,} rows")
        print(f"  brute force p50 passes {limit:.0f} ms from {where}")
    largest = sizes[-1]
    indexed = [r for r in rows if r["index"] != "brute"]
    if not indexed:
        return
    held: dict = {}  # an (index, build, query rule) must reach the target at every size
    for r in indexed:
        key = (r["index"], r["build"], str(r["query"]))
        held[key] = held.get(key, True) and r["recall"] >= TARGET_RECALL
    ok = [r for r in indexed
          if r["n"] == largest and held[(r["index"], r["build"], str(r["query"]))]]
    if not ok:
        print(f"\nRECOMMENDATION: no index held recall@10 >= {TARGET_RECALL} at every size")
        return
    fastest = min(r["p50"] for r in ok)
    near = [r for r in ok if r["p50"] <= max(fastest * 1.15, fastest + 1.0)]
    best = min(near, key=lambda r: (r["build_s"], -r["recall"]))
    cheap = min(ok, key=lambda r: (r["build_s"], r["p50"]))
    for title, r in (("RECOMMENDATION (lowest p50)", best), ("QUICKEST BUILD", cheap)):
        if title == "QUICKEST BUILD" and r is best:
            break
        print(f"\n{title}: {r['index']} ({r['build']}), query {label(r['query'], r['parts'])}"
              f" at {largest:,} rows ({r['parts']} partitions): recall@10 {r['recall']:.3f}, p50 "
              f"{r['p50']:.1f} ms ({r['speedup']:.0f}x brute force), build {r['build_s']:.1f}s; "
              f"recall@10 >= {TARGET_RECALL} at every size measured.")
    print(f"Build the index once brute force p50 passes {THRESHOLDS_MS[0]:.0f}-"
          f"{THRESHOLDS_MS[1]:.0f} ms (sizes above); keep searching it with the query above.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,50000,100000", help="comma-separated table sizes")
    ap.add_argument("--large", action="store_true", help="also run 1,000,000 rows (slow)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--brute-only", action="store_true", help="only time brute force (threshold)")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")} | ({1_000_000} if args.large else set()))
    folder = tempfile.mkdtemp(prefix="ann_index_")
    db = lancedb.connect(folder, read_consistency_interval=timedelta(0))  # as the app opens it
    rows: list = []
    t0 = time.perf_counter()
    try:
        print(HEADER)
        for n in sizes:
            bench_size(db, n, args.queries, rows, n == sizes[-1], args.brute_only)
            if n != sizes[-1]:
                db.drop_table(f"chunks_{n}")
                print(flush=True)
        recommend(rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nTotal time {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
