"""Search latency of desktop-rag's own retrieval code (Retriever.search) at 10k, 100k and 1M chunks.

For each size it builds a real Library on disk with the app's bulk path (bind_model, then
Library.commit_new_documents in batches, then indexes.maintain(): the BM25 index, plus
IVF_HNSW_SQ from ANN_MIN_ROWS rows) and fills it with synthetic documents of 50 chunks:
  - vectors: 384-d float32 unit vectors from a hierarchy of gaussian clusters (topics ->
    ~200-row sub-topics -> rows) with a decaying noise spectrum, as in benchmarks/ann_index.py,
    so similarities look like all-MiniLM-L6-v2's;
  - text: 80-200 pseudo-words per chunk drawn from a 30k-word vocabulary with a Zipf law
    (s=1.07), 15% of them from the 20 topic words of the chunk's sub-topic, under a title made
    of the document's topic words (as search_text is built), so BM25 sees realistic postings.
Queries: 2-4 words (topic words of a sub-topic + one background word) with a vector near that
sub-topic (half perturbed rows, half fresh samples). The vector is passed as query_vector, so
no embedding time is measured; a fake embedder only satisfies bind_model.

Measured per size: build time (load, maintain); p50/p95 wall time of Retriever.search with
SearchOptions(mode, k=10) for dense, keyword and hybrid after warm-up, with the median of each
stage of SearchResult.timings_ms and "other" = wall - timings_ms["total"] (work around it);
recall@10 of the dense list against exact numpy search (first 100 queries); and a baseline in
the same run: hybrid with the ANN index bypassed (exact dense scan), and the ANN/exact p50
ratio. Targets: hybrid p50 < 30 ms at 100k and < 100 ms at 1M; recall@10 >= 0.95. Figures
go to benchmarks/results/search-<date>.json (merged by size with earlier runs of that day).
First, the latency of embedding one real question with each model of --embed-models
(all-MiniLM-L6-v2 and multilingual-e5-small by default), with the CPU's features and the
precision used (target p50 < 50 ms).
Timings are noisy on a shared 2-core machine: compare ratios within one run. 10k+100k take
a few minutes, 1M 20-40 more (mostly the HNSW build). With --dir and --keep, a library of the
same size left by an earlier run is reused (build not timed).

Run:  python benchmarks/search.py [--sizes 10000,100000,1000000] [--queries 200] [--dir D] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np

from desktop_rag.core.ingest.chunking import Chunk
from desktop_rag.core.ingest.elements import Element
from desktop_rag.core.search.retrieval import Retriever, SearchOptions
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.indexes import ANN_MIN_ROWS, maintain
from desktop_rag.core.store.library import Library

DIM, K, DOC_CHUNKS, BATCH_DOCS = 384, 10, 50, 200
VOCAB, ZIPF_S, TOPIC_WORDS, TOPIC_SHARE = 30_000, 1.07, 20, 0.15
WARMUP, RECALL_QUERIES, EXACT_BUDGET_S = 5, 100, 120.0
TARGET_P50, TARGET_RECALL = {100_000: 30.0, 1_000_000: 100.0}, 0.95
MODES = ("dense", "keyword", "hybrid", "hybrid-exact")
RESULTS = Path(__file__).resolve().parent / "results"


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


class Corpus:
    """Clustered vectors, sub-topic words and Zipf text; separate seeded streams for each."""

    def __init__(self, n: int) -> None:
        rng = self.rng = np.random.default_rng(n)
        basis, _ = np.linalg.qr(rng.standard_normal((DIM, DIM)))
        scale = np.arange(1, DIM + 1) ** -0.6
        scale *= np.sqrt(DIM / np.sum(scale**2))
        self.mix = (scale[:, None] * basis.T / np.sqrt(DIM)).astype(np.float32)
        n_topics, n_leaves = max(8, int(np.sqrt(n) / 4)), max(16, n // 200)
        topics = unit(0.35 * unit(rng.standard_normal((1, DIM))) + self.noise(n_topics, 1.0))
        self.leaves = unit(topics[rng.integers(0, n_topics, n_leaves)] + self.noise(n_leaves, 0.9))
        self.vocab = np.array(sorted(pseudo_words(rng, VOCAB)), dtype=object)
        rng.shuffle(self.vocab)  # rank in the Zipf law = position
        self.zipf = np.cumsum(1.0 / np.arange(1, VOCAB + 1) ** ZIPF_S)
        self.zipf /= self.zipf[-1]
        self.topic = rng.integers(300, VOCAB, (n_leaves, TOPIC_WORDS))  # mid/rare words
        docs = -(-n // DOC_CHUNKS)
        doc_leaf = rng.integers(0, n_leaves, docs)
        self.leaf = np.where(rng.random(n) < 0.7, np.repeat(doc_leaf, DOC_CHUNKS)[:n],
                             rng.integers(0, n_leaves, n))
        self.doc_leaf = doc_leaf
        self.x = np.empty((n, DIM), np.float32)
        for i in range(0, n, 100_000):
            j = min(n, i + 100_000)
            self.x[i:j] = unit(self.leaves[self.leaf[i:j]] + self.noise(j - i, 1.1))

    def noise(self, m: int, sigma: float) -> np.ndarray:
        return sigma * (self.rng.standard_normal((m, DIM), dtype=np.float32) @ self.mix)

    def background(self, rng: np.random.Generator, m: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.zipf, rng.random(m)), VOCAB - 1)

    def texts(self, rng: np.random.Generator, rows: range) -> list[str]:
        lengths = rng.integers(80, 201, len(rows))
        out = []
        for row, length in zip(rows, lengths, strict=True):
            ids = self.background(rng, length)
            topical = rng.random(length) < TOPIC_SHARE
            ids[topical] = self.topic[self.leaf[row], rng.integers(0, TOPIC_WORDS, topical.sum())]
            out.append(" ".join(self.vocab[ids]))
        return out

    def queries(self, m: int) -> list[tuple[str, np.ndarray]]:
        rng = np.random.default_rng(7)
        rows = rng.integers(0, len(self.x), m // 2)
        near = unit(self.x[rows] + self.noise(m // 2, 0.9))
        fresh_leaf = rng.integers(0, len(self.leaves), m - m // 2)
        fresh = unit(self.leaves[fresh_leaf] + self.noise(len(fresh_leaf), 1.3))
        out = []
        for leaf, vec in zip([*self.leaf[rows], *fresh_leaf], [*near, *fresh], strict=True):
            topical = rng.choice(self.topic[leaf], rng.integers(1, 4), replace=False)
            words = list(self.vocab[topical])
            words.insert(rng.integers(0, len(words) + 1), self.vocab[self.background(rng, 1)[0]])
            out.append((" ".join(words), vec))
        return out


def pseudo_words(rng: np.random.Generator, n: int) -> set[str]:
    onsets = list("bdfgklmnprstvz") + ["br", "tr", "st", "pl", "gr", "ch"]
    vowels = list("aeiou") + ["ai", "ou", "ea"]
    words: set[str] = set()
    while len(words) < n:
        parts = rng.integers(2, 5)
        words.add("".join(onsets[rng.integers(len(onsets))] + vowels[rng.integers(len(vowels))]
                          for _ in range(parts)) + "nrsl"[rng.integers(4)])
    return words


class FakeEmbedder:
    model_id, dimension, normalized = "synthetic/clustered-minilm-384", DIM, True

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def embed_queries(self, texts: list[str]) -> np.ndarray:  # only if no query_vector is given
        c, m = self.corpus, len(texts)
        return unit(c.leaves[c.rng.integers(0, len(c.leaves), m)] + c.noise(m, 1.3))


class _Bypass:
    """The chunks table, with every vector search told to skip the ANN index."""

    def __init__(self, table) -> None:  # type: ignore[no-untyped-def]
        self.table = table

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.table.search(*args, **kwargs).bypass_vector_index()


class ExactRetriever(Retriever):
    """The app's Retriever, its dense list from an exact scan: the baseline of the same run."""

    def _dense(self, table, qvec, limit, where):  # type: ignore[no-untyped-def]
        return super()._dense(_Bypass(table), qvec, limit, where)


def doc_id(i: int) -> str:
    return hashlib.sha256(f"synthetic://{i}".encode()).hexdigest()


def build(folder: Path, corpus: Corpus, n: int) -> dict:
    library = Library.create(folder)
    library.bind_model(FakeEmbedder(corpus))
    if library.chunks_table.count_rows() == n and not list((folder / "pending").glob("*")):
        return {"reused": True, "load_s": None, "maintain_s": None, "build_s": None}
    if library.chunks_table.count_rows():
        raise SystemExit(f"{folder} holds another library: use an empty --dir")
    rng, clock = np.random.default_rng(n + 1), time.perf_counter()
    docs = -(-n // DOC_CHUNKS)
    for start in range(0, docs, BATCH_DOCS):
        batch = []
        for d in range(start, min(docs, start + BATCH_DOCS)):
            rows = range(d * DOC_CHUNKS, min(n, (d + 1) * DOC_CHUNKS))
            texts, chunks, offset = corpus.texts(rng, rows), [], 0
            for j, text in enumerate(texts):
                chunks.append(Chunk(j, text, offset, offset + len(text), (j // 3 + 1,), "",
                                    ("NarrativeText",), int(len(text.split()) * 1.3)))
                offset += len(text) + 2
            title = "_".join(corpus.vocab[corpus.topic[corpus.doc_leaf[d], :3]])
            record = S.DocumentRecord(path=f"synthetic://{d}", doc_id=doc_id(d),
                                      name=f"{title}.txt", file_type="txt", mime="text/plain",
                                      chars=offset)
            elements = [Element(c.text, "NarrativeText", c.pages[0]) for c in chunks]
            batch.append((record, elements, chunks, corpus.x[rows.start : rows.stop]))
        library.commit_new_documents(batch)
        print(f"\r  loaded {min(n, (start + BATCH_DOCS) * DOC_CHUNKS):,}/{n:,} chunks "
              f"({time.perf_counter() - clock:.0f}s)", end="", flush=True)
    load_s, clock = time.perf_counter() - clock, time.perf_counter()
    report = maintain(library)
    maintain_s = time.perf_counter() - clock
    os.sync()  # the build's write-back must not land in the search timings
    print(f"\n  maintain: fts={report.fts_built} ann={report.ann_built} {maintain_s:.0f}s")
    return {"reused": False, "load_s": load_s, "maintain_s": maintain_s,
            "build_s": load_s + maintain_s}


def run_mode(retriever: Retriever, mode: str, queries: list, budget: float = 1e9) -> dict:
    options = SearchOptions(mode=mode, k=K)
    for text, vec in queries[:WARMUP]:
        retriever.search(text, options, query_vector=vec)
    wall, stages, hits, stop = [], {}, [], time.perf_counter() + budget
    for text, vec in queries:
        clock = time.perf_counter()
        result = retriever.search(text, options, query_vector=vec)
        wall.append((time.perf_counter() - clock) * 1e3)
        for name, ms in result.timings_ms.items():
            stages.setdefault(name, []).append(ms)
        stages.setdefault("other", []).append(wall[-1] - result.timings_ms.get("total", 0.0))
        hits.append([(h.doc_id, h.ordinal) for h in result.hits])
        if time.perf_counter() > stop and len(wall) >= 30:
            break
    return {"p50": float(np.median(wall)), "p95": float(np.percentile(wall, 95)),
            "queries": len(wall), "hits": hits,
            "stages_p50": {k: float(np.median(v)) for k, v in stages.items() if k != "total"}}


def recall(corpus: Corpus, queries: list, hits: list, docs: dict[str, int]) -> float:
    q = np.stack([vec for _, vec in queries[: len(hits)]])
    scores = np.hstack([q @ corpus.x[i : i + 100_000].T for i in range(0, len(corpus.x), 100_000)])
    truth = np.argpartition(-scores, K, axis=1)[:, :K]
    found = [{docs[d] * DOC_CHUNKS + o for d, o in h} for h in hits]
    return float(np.mean([len(f & set(t.tolist())) / K for f, t in zip(found, truth, strict=True)]))


def bench_size(root: Path, n: int, nq: int) -> dict:
    print(f"\n== {n:,} chunks", flush=True)
    clock = time.perf_counter()
    corpus = Corpus(n)
    print(f"  generated vectors in {time.perf_counter() - clock:.0f}s", flush=True)
    folder = root / f"library-{n}"
    out = {"chunks": n, "documents": -(-n // DOC_CHUNKS), "ann_index": n >= ANN_MIN_ROWS,
           "run_at": datetime.now().isoformat(timespec="seconds"), **build(folder, corpus, n)}
    library = Library(folder)
    queries = corpus.queries(nq)
    docs = {doc_id(d): d for d in range(out["documents"])}
    out["modes"] = {}
    for mode in MODES:
        exact = mode == "hybrid-exact"
        retriever = (ExactRetriever if exact else Retriever)(library, FakeEmbedder(corpus))
        m = run_mode(retriever, "hybrid" if exact else mode, queries,
                     EXACT_BUDGET_S if exact else 1e9)
        if mode == "dense":
            out["recall@10"] = recall(corpus, queries, m["hits"][:RECALL_QUERIES], docs)
        del m["hits"]
        out["modes"][mode] = m
        stages = " ".join(f"{k}={v:.1f}" for k, v in m["stages_p50"].items())
        print(f"  {mode:<13} p50 {m['p50']:7.1f} ms  p95 {m['p95']:7.1f} ms  ({m['queries']} "
              f"queries; stage p50s ms: {stages})", flush=True)
    hybrid, limit = out["modes"]["hybrid"]["p50"], TARGET_P50.get(n)
    out["ann_exact_p50_ratio"] = hybrid / out["modes"]["hybrid-exact"]["p50"]
    out["checks"] = {"recall@10 >= 0.95": out["recall@10"] >= TARGET_RECALL,
                     **({f"hybrid p50 < {limit:.0f} ms": hybrid < limit} if limit else {})}
    return out


def table(results: list[dict]) -> None:
    print(f"\n{'chunks':>9} {'mode':<13} {'p50_ms':>8} {'p95_ms':>8} {'dense':>7} {'keyword':>7} "
          f"{'fuse':>6} {'other':>6}  target")
    for r in results:
        for mode, m in r["modes"].items():
            s, target = m["stages_p50"], ""
            if mode == "hybrid" and r["chunks"] in TARGET_P50:
                limit = TARGET_P50[r["chunks"]]
                target = f"< {limit:.0f} ms {'PASS' if m['p50'] < limit else 'FAIL'}"
            print(f"{r['chunks']:>9,} {mode:<13} {m['p50']:8.1f} {m['p95']:8.1f} "
                  + " ".join(f"{s.get(k, 0.0):{w}.1f}" for k, w in
                             (("dense", 7), ("keyword", 7), ("fuse", 6), ("other", 6)))
                  + f"  {target}")
    print(f"\n{'chunks':>9} {'docs':>6} {'load_s':>7} {'maint_s':>7} {'build_s':>7} {'ANN':>4} "
          f"{'recall@10':>9} {'':4} {'hybrid ANN/exact p50':>20}")
    for r in results:
        fmt = lambda v: f"{v:7.0f}" if v is not None else f"{'reused':>7}"  # noqa: E731
        ok = "PASS" if r["recall@10"] >= TARGET_RECALL else "FAIL"
        ratio = f"{r['modes']['hybrid']['p50']:.1f}/{r['modes']['hybrid-exact']['p50']:.1f} = " \
                f"{r['ann_exact_p50_ratio']:.2f}"
        print(f"{r['chunks']:>9,} {r['documents']:>6,} {fmt(r['load_s'])} {fmt(r['maintain_s'])} "
              f"{fmt(r['build_s'])} {'yes' if r['ann_index'] else 'no':>4} {r['recall@10']:9.3f} "
              f"{ok:4} {ratio:>20}")


def save(results: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"search-{date.today().isoformat()}.json"
    old = {r["chunks"]: r for r in json.loads(path.read_text())["sizes"]} if path.exists() else {}
    for r in results:  # a reused library keeps the build figures of the run that built it
        if r["reused"] and old.get(r["chunks"], {}).get("build_s") is not None:
            r |= {k: old[r["chunks"]][k] for k in ("load_s", "maintain_s", "build_s")}
            r["built_at"] = old[r["chunks"]].get("built_at", old[r["chunks"]]["run_at"])
    sizes = old | {r["chunks"]: r for r in results}
    data = {"benchmark": "benchmarks/search.py", "k": K, "doc_chunks": DOC_CHUNKS,
            "targets": {"hybrid_p50_ms": TARGET_P50, "recall@10": TARGET_RECALL},
            "sizes": [sizes[n] for n in sorted(sizes)]}
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def query_embedding(models: list[str], count: int) -> list[dict]:
    """Latency of embedding one question, as a search does, for each model: real questions
    (PIAF in French and SciFact in English from ../shared/bench, alternating), one at a time
    after a warm-up. Target: p50 < 50 ms."""
    from desktop_rag.core.embed.factory import make_embedder
    from desktop_rag.core.embed.local import bfloat16_speedup, describe_cpu

    bench = Path(__file__).resolve().parents[2] / "shared" / "bench"
    sets = []
    for name in ("piaf_fr", "scifact"):
        path = bench / name / "queries.jsonl"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()[:count]
            sets.append([json.loads(line)["text"] for line in lines])
    questions = [q for pair in zip(*sets, strict=False) for q in pair][:count] or [
        f"what does study {i} say about vitamin D and fractures?" for i in range(count)]
    print(f"CPU: {describe_cpu()}; bfloat16 matrix products {bfloat16_speedup():.1f}x float32")
    rows = []
    for model in models:
        embedder = make_embedder(model)
        embedder.embed_queries(["warm up"] * 4)
        times = []
        for question in questions:
            clock = time.perf_counter()
            embedder.embed_queries([question])
            times.append((time.perf_counter() - clock) * 1000)
        p50, p95 = float(np.percentile(times, 50)), float(np.percentile(times, 95))
        rows.append({"model": embedder.model_id, "precision": embedder.precision,
                     "queries": len(times), "p50_ms": p50, "p95_ms": p95})
        print(f"query embedding, {embedder.model_id} ({embedder.precision}): p50 {p50:.1f} ms, "
              f"p95 {p95:.1f} ms over {len(times)} questions (target p50 < 50 ms)")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000",
                    help="comma-separated chunk counts ('' for the query embedding only)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--embed-models", default="default,multilingual-e5-small",
                    help="models whose question embedding is timed first ('' for none)")
    ap.add_argument("--dir", type=Path, help="where to build the libraries (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the libraries at the end")
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="search_bench_"))
    root.mkdir(parents=True, exist_ok=True)
    results, clock = [], time.perf_counter()
    models = [m.strip() for m in args.embed_models.split(",") if m.strip()]
    if models:
        query_embedding(models, args.queries)
    try:
        for n in sorted({int(s) for s in args.sizes.split(",") if s.strip()}):
            results.append(bench_size(root, n, args.queries))
            if not args.keep:
                shutil.rmtree(root / f"library-{n}", ignore_errors=True)
    finally:
        if results:
            table(results)
            print(f"\nfigures written to {save(results)}")
        if not args.keep and args.dir is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"total time {time.perf_counter() - clock:.0f}s")


if __name__ == "__main__":
    main()
