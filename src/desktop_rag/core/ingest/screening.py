"""Files refused before any parser sees them, with the reason a user can act on.

Parsers report these cases in their own words, or crash on them: unstructured said "XLSX file
is password protected." for an encrypted workbook and "not a ZIP archive" for an encrypted
.docx, and a WAV file reached its speech-to-text agent, which failed on a missing module.
"""

from __future__ import annotations

from pathlib import Path

from desktop_rag.core.errors import EncryptedDocument, UnsupportedType
from desktop_rag.core.ingest.detect import FileKind

# Office files protected by a password are OLE compound files, whatever their extension.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY_OFFICE = {"doc", "xls", "ppt"}
# unstructured's names of media types it would hand to a speech-to-text agent.
_AUDIO = {"wav", "mp3", "m4a", "ogg", "flac", "aac", "opus", "wma", "aiff"}
_VIDEO = {"mp4", "mov", "avi", "mkv", "webm", "wmv"}


def screen(path: Path, kind: FileKind) -> None:
    """Raise the ImportProblem of a file no parser should be given."""
    medium = _medium(kind)
    if medium:
        raise UnsupportedType(medium, "speech is not transcribed")
    if is_encrypted_office(path, kind):
        raise EncryptedDocument()


def _medium(kind: FileKind) -> str:
    if kind.mime.startswith("audio/") or kind.name in _AUDIO:
        return "audio"
    if kind.mime.startswith("video/") or kind.name in _VIDEO:
        return "video"
    return ""


def is_encrypted_office(path: Path, kind: FileKind) -> bool:
    """An OOXML file encrypted with a password (stored as an OLE file holding an
    EncryptedPackage stream), or a legacy .doc/.xls/.ppt with its encryption flag set."""
    with open(path, "rb") as handle:
        if handle.read(8) != _OLE_MAGIC:
            return False
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
                return True
    except Exception:  # noqa: BLE001 - not a readable OLE file: its parser will say so
        return False
    if kind.name not in _LEGACY_OFFICE:
        return False
    try:
        import msoffcrypto

        with open(path, "rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # noqa: BLE001 - msoffcrypto missing, or a format it does not know
        return False
