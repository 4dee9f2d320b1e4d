"""The characters of a text-like file (plain text, CSV/TSV, Markdown, HTML, JSON...) in any
encoding: the byte-order mark first, then UTF-8, then a statistical detector.

unstructured decodes some formats itself and not others: a UTF-16 CSV with a byte-order mark
failed with "'utf-8' codec can't decode byte 0xff" while UTF-16 HTML imported. Deciding the
encoding here, once, gives every text-like format the same rules.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from desktop_rag.core.errors import DamagedDocument

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Formats whose text unstructured reads; they are handed over as UTF-8 when they were not.
TEXT_LIKE = {"txt", "csv", "tsv", "md", "rst", "org", "html", "xml", "json", "ndjson"}
# Formats that may declare their encoding inside (<meta charset>, <?xml encoding?>): without a
# byte-order mark, their own declaration is better evidence than a statistical guess. Without
# one, unstructured guessed: a Windows-1252 page came out as Windows-1250 ("niño" as "nińo").
SELF_DECLARING = {"html", "xml"}
_DECLARED = re.compile(rb"""(charset|encoding)\s*=\s*["']?[\w-]+""", re.I)


def bom_encoding(data: bytes) -> str | None:
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name
    return None


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, had_bom). Raises DamagedDocument when nothing decodes the bytes."""
    encoding = bom_encoding(data)
    if encoding is not None:
        mark = len(next(m for m, n in _BOMS if n == encoding))
        try:
            return data[mark:].decode(encoding), encoding, True
        except UnicodeDecodeError:
            pass  # a stray mark: guess as if it were not there
    # NUL bytes are valid UTF-8 and Windows-1252 but never in a text: UTF-16 or UTF-32
    # without a mark, left to the detector.
    if b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8"), "utf-8", False
        except UnicodeDecodeError:
            pass
        western = _western(data)
        if western is not None:
            return western, "cp1252", False
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DamagedDocument("text file", "its characters cannot be decoded")
    return str(best), best.encoding, False


def _western(data: bytes) -> str | None:
    """The text as Windows-1252 when it reads as a Western European text in it: mostly ASCII
    letters, a few accented ones. The statistical detector cannot tell 8-bit code pages apart
    on short texts (a 40-byte French CSV came out as cp775, "Zürich" as "Z³rich"); Cyrillic or
    Greek read as Windows-1252 would be almost all accented letters, and is left to it."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = sum(c.isalpha() for c in text)
    accented = sum(c.isalpha() and ord(c) > 0x7F for c in text)
    return text if letters and accented <= 0.3 * letters else None


def read_text(path: Path) -> tuple[str, str]:
    """(text, encoding) of a whole file."""
    text, encoding, _ = decode(path.read_bytes())
    return text, encoding


def utf8_copy(path: Path, kind: str) -> bytes | None:
    """The file's content re-encoded as UTF-8 when the parser would misread it, else None."""
    if kind not in TEXT_LIKE:
        return None
    data = path.read_bytes()
    if bom_encoding(data) is None and kind in SELF_DECLARING and _DECLARED.search(data[:4096]):
        return None
    text, encoding, had_bom = decode(data)
    if encoding == "utf-8" and not had_bom:
        return None
    return text.encode("utf-8")
