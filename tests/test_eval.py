"""desktop-rag eval on a small BEIR-layout set made here, and the metrics on known rankings."""

from __future__ import annotations

import json

import pytest

from desktop_rag.cli import main
from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.search.evaluation import load_beir, mrr_at, ndcg_at, recall_at

DOCS = {
    "d1": ("Photosynthesis", "Plants convert light, water and carbon dioxide into glucose."),
    "d2": ("Volcanoes", "Magma rises through the crust and erupts as lava and ash."),
    "d3": ("Tides", "The moon's gravity pulls the oceans, raising high and low tides."),
    "d4": ("Bread", "Yeast ferments sugars in dough, releasing carbon dioxide that lifts it."),
    "d5": ("Glaciers", "Compressed snow turns to ice that flows slowly down valleys."),
}
QUERIES = {"q1": "How do plants make glucose from light?", "q2": "What causes ocean tides?",
           "q3": "Why does bread dough rise?"}
QRELS = {"q1": "d1", "q2": "d3", "q3": "d4"}


@pytest.fixture
def beir_dir(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "corpus.jsonl").write_text("\n".join(
        json.dumps({"_id": i, "title": t, "text": x}) for i, (t, x) in DOCS.items()))
    (folder / "queries.jsonl").write_text("\n".join(
        json.dumps({"_id": q, "text": t}) for q, t in QUERIES.items()))
    (folder / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(
        f"{q}\t{d}\t1\n" for q, d in QRELS.items()))
    return folder


def test_eval_command_prints_the_table_and_reuses_its_library(beir_dir, capsys):  # type: ignore[no-untyped-def]
    assert main(["eval", str(beir_dir)]) == 0
    out = capsys.readouterr().out
    for mode in ("keyword", "dense", "hybrid"):
        line = next(ln for ln in out.splitlines() if ln.startswith(mode))
        assert float(line.split()[1]) > 0.8  # nDCG@10: each query has an obvious answer
    assert "3 queries, 5 documents" in out
    assert main(["eval", str(beir_dir), "--modes", "keyword"]) == 0
    assert "import 0/0" in capsys.readouterr().err  # nothing imported twice


def test_not_a_beir_folder(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(DesktopRagError, match="missing corpus.jsonl"):
        load_beir(tmp_path)


def test_metrics():
    graded = {"a": 1, "b": 1}
    assert ndcg_at(["a", "b", "c"], graded, 10) == pytest.approx(1.0)
    assert ndcg_at(["c", "a"], {"a": 1}, 10) == pytest.approx(1 / 1.5849625, rel=1e-6)
    assert recall_at(["a", "c"], graded, 10) == 0.5 and recall_at([], graded, 10) == 0
    assert mrr_at(["c", "d", "b"], graded, 10) == pytest.approx(1 / 3)
    assert mrr_at(["c"] * 10 + ["a"], graded, 10) == 0
