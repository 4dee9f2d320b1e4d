"""Why a file failed to import, in the interface's language.

The core gives each failed file a reason in English (core/errors.py, core/ingest): fixed
sentences whose only variable parts are a type, a count or an extension. Each has a template
here, matched against the reason and translated with its variable parts put back. A reason no
template matches is shown as it is (tests/test_import_reasons.py checks there is none).
"""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_rag.qt.i18n import arg

# The most specific first: "unsupported type: %1" would also match the audio sentence.
TEMPLATES = (
    QT_TRANSLATE_NOOP("ImportReason", "encrypted: password required"),
    QT_TRANSLATE_NOOP("ImportReason", "unsupported type: audio (speech is not transcribed)"),
    QT_TRANSLATE_NOOP("ImportReason", "unsupported type: video (speech is not transcribed)"),
    QT_TRANSLATE_NOOP("ImportReason", "unsupported type: %1 (its reader is not installed)"),
    QT_TRANSLATE_NOOP("ImportReason", "unsupported type: %1 (images need OCR, which is turned "
                                      "off in this library's settings)"),
    QT_TRANSLATE_NOOP("ImportReason", "unsupported type: %1"),
    QT_TRANSLATE_NOOP("ImportReason", "no text layer: the %1 scanned page(s) need OCR, which is "
                                      "turned off in this library's settings"),
    QT_TRANSLATE_NOOP("ImportReason", "OCR needs Tesseract, which is not installed; install it "
                                      "with: sudo apt-get install %1"),
    QT_TRANSLATE_NOOP("ImportReason", "OCR needs Tesseract's English and French data, which are "
                                      "not installed; install them with: sudo apt-get install %1"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged text file: its characters cannot be decoded"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged PDF: the file is not a valid PDF"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged PDF: its encryption scheme is not supported"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged PDF: the file cannot be read"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged PDF: PDFium cannot open it"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged archive: its content cannot be read"),
    QT_TRANSLATE_NOOP("ImportReason", "damaged %1: its content cannot be read"),
    QT_TRANSLATE_NOOP("ImportReason", "archive refused: it holds more than %1 files"),
    QT_TRANSLATE_NOOP("ImportReason", "archive refused: it would unpack to more than %1 GB"),
    QT_TRANSLATE_NOOP("ImportReason", "archive refused: a file in it is compressed more than %1 "
                                      "times, as archive bombs are"),
    QT_TRANSLATE_NOOP("ImportReason", "archive refused: archives are nested more than %1 deep in "
                                      "it"),
    QT_TRANSLATE_NOOP("ImportReason", "archive refused: a file in it is larger than its archive "
                                      "says"),
    QT_TRANSLATE_NOOP("ImportReason", "empty: the file is empty (0 bytes)"),
    QT_TRANSLATE_NOOP("ImportReason", "empty: no text was found in it"),
    QT_TRANSLATE_NOOP("ImportReason", "empty: the file holds no text"),
    QT_TRANSLATE_NOOP("ImportReason", "empty: OCR found no text in it"),
    QT_TRANSLATE_NOOP("ImportReason", "cancelled"),
    QT_TRANSLATE_NOOP("ImportReason",
                      "legacy .%1 file: converting it needs LibreOffice, which is not installed; "
                      "install LibreOffice or save the file as %2"),
    QT_TRANSLATE_NOOP("ImportReason", "not found: no file or folder at this path"),
    QT_TRANSLATE_NOOP("ImportReason", "cannot read the file: permission denied"),
    QT_TRANSLATE_NOOP("ImportReason", "cannot read the file: it was removed during the import"),
    QT_TRANSLATE_NOOP("ImportReason", "cannot read the file: it is a folder"),
    QT_TRANSLATE_NOOP("ImportReason", "cannot read the file: the system refused to read it"),
    QT_TRANSLATE_NOOP("ImportReason", "internal error while reading it; the log has the details"),
    QT_TRANSLATE_NOOP("ImportReason", "internal error while storing it; the log has the details"),
)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"%[1-9]", template)
        return re.compile("(.+?)".join(re.escape(p) for p in parts) + r"\Z", re.S)

    return tuple((pattern(t), t) for t in TEMPLATES)


def template_of(reason: str) -> str | None:
    """The template a core reason was made from, or None."""
    return next((t for p, t in _patterns() if p.match(reason)), None)


def translate_reason(reason: str) -> str:
    """`reason` in the interface's language (as it is when no template matches)."""
    for pattern, template in _patterns():
        found = pattern.match(reason)
        if found:
            return arg(QCoreApplication.translate("ImportReason", template), *found.groups())
    return reason
