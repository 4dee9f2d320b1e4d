"""The interface language: English (the source text) or French, from the system or a setting.

Every user-visible string of the Qt layer goes through Qt's translation system: `self.tr` in a
widget, `QCoreApplication.translate` with a fixed context elsewhere, `QT_TRANSLATE_NOOP` for
texts kept in tables and translated where they are shown. The catalogues are
resources/i18n/desktop_rag_*.ts, compiled by scripts/build_translations.py into the
`translations` folder beside this module. The language is chosen once, before the window is
built: `--language`, else the "language" setting of the window, else the system's languages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

LANGUAGES = {"en": "English", "fr": "Français"}  # each named in its own language
SETTING = "language"  # key in the window's settings; "" or missing: follow the system
CATALOGUES = Path(__file__).with_name("translations")

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []
_current = "en"


def system_language() -> str:
    """The first of the user's preferred languages the interface has, else English."""
    for name in QLocale().uiLanguages():
        code = re.split(r"[-_]", name, maxsplit=1)[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Translate the interface into `language` ("en", "fr"; None or "": the system's) and
    return the language it is now in. Qt's own texts (standard buttons, text field menus)
    follow when their catalogue ships with Qt. Replaces what an earlier call installed."""
    global _current
    remove_translators(app)
    wanted = language if language in LANGUAGES else system_language()
    _current = "en"
    if wanted == "en":  # the source language: nothing to load
        return "en"
    ours = QTranslator(app)
    if not ours.load(f"desktop_rag_{wanted}", str(CATALOGUES)):
        log.warning("no %s translation in %s (run scripts/build_translations.py); the "
                    "interface stays in English", wanted, CATALOGUES)
        return "en"
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{wanted}",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    app.installTranslator(ours)
    _installed.append(ours)
    _current = wanted
    return wanted


def remove_translators(app: QCoreApplication) -> None:
    """Back to the English source text (for widgets created afterwards)."""
    global _current
    while _installed:
        app.removeTranslator(_installed.pop())
    _current = "en"


def current_language() -> str:
    """The language `install_translator` put the interface in; English before any call."""
    return _current


def saved_language(settings: QSettings) -> str | None:
    value = settings.value(SETTING, "", str)
    return value if value in LANGUAGES else None


def arg(text: str, *values: object) -> str:
    """`text` with %1, %2... replaced in one pass, so a value holding "%2" stays as it is."""
    return re.sub(r"%([1-9])", lambda m: str(values[int(m.group(1)) - 1])
                  if int(m.group(1)) <= len(values) else m.group(0), text)


def with_prompt_language(settings: Any, question: str) -> Any:
    """AskSettings whose "auto" language (follow the question) is resolved: a question too
    short to tell French from English gets the interface's language."""
    from desktop_rag.core.answer.prompt import DEFAULT_TEMPLATES
    from desktop_rag.core.language import detect_language

    if settings.language in DEFAULT_TEMPLATES:
        return settings
    fallback = current_language() if current_language() in DEFAULT_TEMPLATES else "en"
    return replace(settings, language=detect_language([question], default=fallback))


class LanguageMenu(QMenu):
    """System / English / Français, saved in `settings`; takes effect at the next start."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("&Language"), parent)
        self.settings = settings
        self.group = QActionGroup(self)
        system = self.tr("System (%1)").replace("%1", LANGUAGES[system_language()])
        saved = saved_language(settings) or ""
        for code, label in (("", system), *LANGUAGES.items()):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == saved)
            self.group.addAction(action)
            self.addAction(action)
        self.group.triggered.connect(self._chosen)

    def _chosen(self, action: QAction) -> None:
        code = action.data() or ""
        self.settings.setValue(SETTING, code)
        self.settings.sync()
        if (code or system_language()) != current_language():
            QMessageBox.information(self.parentWidget(), self.tr("Language"), self.tr(
                "The new language applies the next time desktop-rag starts."))
