"""Outcomes of files users drop that used to fail for the wrong reason, and reasons in French.

Issue 17: a UTF-16 CSV failed on its byte-order mark, an encrypted workbook was "damaged", a
WAV showed an internal speech-to-text error, and reasons carried Python exceptions' text.
"""

from __future__ import annotations

import errno
import io
import wave
import zipfile
from pathlib import Path

import pytest

from desktop_rag.core.errors import (
    INTERNAL_READING,
    INTERNAL_STORING,
    NOT_FOUND,
    EncryptedDocument,
    ImportProblem,
    UnsupportedType,
    unreadable_reason,
)
from desktop_rag.core.ingest.parse import parse_file

TABLE = "name,city\nAlice,Zürich\nBéatrice,Montréal\n"


def _text(path: Path) -> str:
    return "\n".join(e.text for e in parse_file(path).elements)


@pytest.mark.parametrize(("suffix", "encoding", "text"), [
    (".csv", "utf-16", TABLE),  # with a byte-order mark (Excel's "Unicode text")
    (".tsv", "utf-16", TABLE.replace(",", "\t")),
    (".csv", "utf-8-sig", TABLE),
    (".csv", "cp1252", TABLE),  # no mark: the fallback detector
    (".md", "utf-16", "# Montréal\n\nBéatrice lives in Zürich.\n"),
    (".txt", "utf-32", "Béatrice lives in Zürich.\n"),
])
def test_text_like_files_are_read_in_their_encoding(tmp_path, suffix, encoding, text):
    path = tmp_path / f"people{suffix}"
    path.write_bytes(text.encode(encoding))
    read = _text(path)
    assert "Zürich" in read and "Béatrice" in read and "\ufeff" not in read


def test_a_web_page_without_a_declared_encoding(tmp_path, corpus):
    page = (corpus / "fake-html-cp1252.html").read_bytes()
    assert b"charset" not in page.lower()
    path = tmp_path / "page.html"
    path.write_bytes(page)
    text = _text(path)
    assert "El niño comió paella" in text and "señora" in text and "25,75 €" in text
    declared = tmp_path / "declared.html"
    declared.write_bytes(b'<html><head><meta charset="windows-1250"></head><body><p>Dzie\xf1 '
                         b"dobry</p></body></html>")
    assert "Dzień dobry" in _text(declared)  # its own declaration wins


def _encrypt(plain: bytes) -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", out)
    return out.getvalue()


def _office_file(suffix: str) -> bytes:
    out = io.BytesIO()
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "quarterly figures"
        book.save(out)
    elif suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_paragraph("a confidential letter")
        document.save(out)
    else:
        import pptx

        deck = pptx.Presentation()
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "a private deck"
        deck.save(out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".pptx"])
def test_password_protected_office_files_are_encrypted_not_damaged(tmp_path, suffix):
    path = tmp_path / f"protected{suffix}"
    path.write_bytes(_encrypt(_office_file(suffix)))
    with pytest.raises(EncryptedDocument) as info:
        parse_file(path)
    assert info.value.user_message == "encrypted: password required"


def test_audio_is_unsupported_not_damaged(tmp_path):
    path = tmp_path / "voice-memo.wav"
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 800)
    with pytest.raises(UnsupportedType) as info:
        parse_file(path)
    assert info.value.user_message == "unsupported type: audio (speech is not transcribed)"


def _broken_files(folder: Path) -> list[Path]:
    """Files that fail, each in its own way."""
    broken = {
        "report.pdf": b"%PDF-1.7\n" + b"\x00garbage" * 200,
        "empty.txt": b"",
        "blank.txt": b" \n\n \n",
        "memo.wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40,
    }
    letter = io.BytesIO()
    with zipfile.ZipFile(letter, "w") as archive:  # a .docx whose parts are missing
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<not-word/>")
    broken["letter.docx"] = letter.getvalue()
    paths = []
    for name, data in broken.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def _reasons(tmp_path: Path) -> list[str]:
    reasons = [NOT_FOUND, INTERNAL_READING, INTERNAL_STORING]
    reasons += [unreadable_reason(OSError(code, "x")) for code in
                (errno.EACCES, errno.ENOENT, errno.EISDIR, errno.EIO)]
    for path in _broken_files(tmp_path):
        with pytest.raises(ImportProblem) as info:
            parse_file(path)
        reasons.append(info.value.user_message)
    return reasons


def test_no_reason_shows_an_exception_text(tmp_path):
    from desktop_rag.qt.reasons import template_of

    for reason in [*_reasons(tmp_path), *_archive_reasons(tmp_path)]:
        assert template_of(reason) is not None, f"{reason!r} is no known sentence"
        for leak in ("Error", "Exception", "codec", "'", "(PDFium", "ZIP archive"):
            assert leak not in reason, reason


@pytest.fixture
def french(qapp):  # type: ignore[no-untyped-def]
    import importlib.util

    from desktop_rag.qt.i18n import CATALOGUES, install_translator, remove_translators

    root = Path(__file__).resolve().parents[1]
    qm, ts = CATALOGUES / "desktop_rag_fr.qm", root / "resources/i18n/desktop_rag_fr.ts"
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        spec = importlib.util.spec_from_file_location("bt", root / "scripts/build_translations.py")
        assert spec is not None and spec.loader is not None
        build = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build)
        build.build()
    assert install_translator(qapp, "fr") == "fr"
    yield
    remove_translators(qapp)


def test_every_reason_is_shown_in_french(tmp_path, french):
    from desktop_rag.qt.reasons import translate_reason

    from desktop_rag.core.errors import EmptyDocument, NoTextLayer
    from desktop_rag.core.ingest.ocr import OcrUnavailable

    reasons = [*_reasons(tmp_path), EncryptedDocument().user_message,
               "unsupported type: audio (speech is not transcribed)",
               UnsupportedType("application/x-thing", "its reader is not installed").user_message,
               NoTextLayer(3).user_message, EmptyDocument("OCR found no text in it").user_message,
               OcrUnavailable(True).user_message, OcrUnavailable(False).user_message,
               UnsupportedType("image/png", "images need OCR, which is turned off in this "
                                            "library's settings").user_message]
    reasons += _archive_reasons(tmp_path)
    for reason in reasons:
        shown = translate_reason(reason)
        assert shown != reason, f"{reason!r} is shown in English"
    assert translate_reason("damaged DOCX: its content cannot be read") == \
        "DOCX endommagé\u00a0: son contenu ne peut pas être lu"


def _archive_reasons(folder: Path) -> list[str]:
    from desktop_rag.core.ingest.archives import Limits, expand

    def zipped(entries: dict[str, bytes]) -> Path:
        path = folder / f"a{len(list(folder.glob('a*.zip')))}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        return path

    cases = [
        (zipped({"a.txt": b"a", "b.txt": b"b"}), Limits(members=1)),
        (zipped({"a.txt": b"x" * 5000}), Limits(total_bytes=1000)),
        (zipped({"a.txt": b"0" * 5000}), Limits(ratio_floor=1000, ratio=2)),
        (zipped({"in.zip": zipped({"a.txt": b"a"}).read_bytes()}), Limits(depth=1)),
    ]
    garbage = folder / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    reasons = []
    for index, (path, limits) in enumerate([*cases, (garbage, Limits())]):
        with pytest.raises(ImportProblem) as info:
            expand(path, folder / f"out{index}", limits)
        reasons.append(info.value.user_message)
    return reasons
