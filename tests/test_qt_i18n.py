"""The interface in French: every string of the window goes through Qt's translation system.

The catalogues are compiled here when missing or older than their .ts (scripts/setup.sh
normally does it). Tests that install the French translator remove it when they end, so the
other tests see the English source text.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[1]
TS_FR = ROOT / "resources" / "i18n" / "desktop_rag_fr.ts"
WAIT = 120_000  # ms: the window reads its library on a worker of a busy 2-core machine
# Words French shares with English, translated by themselves. Each must be so in the
# catalogue (checked below), so this list cannot hide a string nobody translated.
SAME_IN_FRENCH = {"Type", "Pages", "Page", "Document", "Section", "Question", "Source", "Prompt",
                  "Top-k", "Top-p", "Ollama", "Markdown (*.md)", "conversation", "p. %1",
                  "options %1", "Questions", " questions"}
_PLACEHOLDER = re.compile(r"%[n1-9]|\{\w+\}")


def _build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_translations", ROOT / "scripts" / "build_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def catalogues() -> Path:
    from desktop_rag.qt.i18n import CATALOGUES

    qm = CATALOGUES / "desktop_rag_fr.qm"
    if not qm.exists() or qm.stat().st_mtime < TS_FR.stat().st_mtime:
        _build_script().build()
    assert qm.exists()
    return CATALOGUES


def messages(ts: Path) -> list[tuple[str, ET.Element]]:
    """(context, message element) of every message of a .ts file."""
    root = ET.parse(ts).getroot()
    return [(context.findtext("name", ""), message) for context in root.iter("context")
            for message in context.iter("message")]


def translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return forms if message.get("numerus") == "yes" else [translation.text or ""]


@pytest.fixture
def french(qapp, catalogues):  # type: ignore[no-untyped-def]
    from desktop_rag.qt.i18n import install_translator, remove_translators

    assert install_translator(qapp, "fr") == "fr"
    yield
    remove_translators(qapp)


# -- the catalogues -------------------------------------------------------------------------


def test_every_string_of_the_code_is_in_the_french_catalogue(tmp_path):
    """lupdate run on the code now finds exactly the strings of the shipped catalogue."""
    build = _build_script()
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(build._tool("lupdate")), "-silent", *map(str, sorted(
        build.SOURCES.glob("*.py"))), "-ts", str(fresh)], check=True)
    in_code = {(c, m.findtext("source")) for c, m in messages(fresh)}
    shipped = {(c, m.findtext("source")) for c, m in messages(TS_FR)}
    assert in_code - shipped == set(), "run scripts/build_translations.py --update, translate"
    assert shipped - in_code == set(), "run scripts/build_translations.py --update"
    assert len(in_code) > 250


def test_the_french_catalogue_is_complete_and_keeps_placeholders():
    found = messages(TS_FR)
    assert found
    for context, message in found:
        source = message.findtext("source", "")
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, (context, source)
        forms = translations(message)
        if message.get("numerus") == "yes":
            assert len(forms) == 2, (context, source)  # French: one, several
        for text in forms:
            assert text.strip(), (context, source)
            assert sorted(_PLACEHOLDER.findall(text)) == sorted(_PLACEHOLDER.findall(source)), \
                (context, source, text)
            assert text.count("&") == source.count("&"), (context, source, text)
        if forms == [source]:
            assert source in SAME_IN_FRENCH, f"{context}: {source!r} is left in English"
    same = {m.findtext("source") for _, m in found if translations(m) == [m.findtext("source")]}
    assert SAME_IN_FRENCH <= same, SAME_IN_FRENCH - same


def test_the_english_source_catalogue_ships():
    english = ROOT / "resources" / "i18n" / "desktop_rag_en.ts"
    assert {(c, m.findtext("source")) for c, m in messages(english)} == \
        {(c, m.findtext("source")) for c, m in messages(TS_FR)}


# -- the window in French -------------------------------------------------------------------


def _texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every string the window can show: widgets shown or in other tabs."""
    found: list[tuple[str, str]] = []

    def add(widget: object, text: object) -> None:
        if isinstance(text, str) and text.strip():
            found.append((type(widget).__name__, text))

    for widget in [window, *window.findChildren(QWidget)]:
        add(widget, widget.toolTip())
        add(widget, widget.accessibleName())
        if isinstance(widget, QLabel):
            add(widget, widget.text())
        elif isinstance(widget, QAbstractButton):
            add(widget, widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, widget.tabText(i))
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            add(widget, widget.placeholderText())
            if widget.isReadOnly():
                add(widget, widget.toPlainText().strip())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(widget, widget.itemText(i))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                add(widget, model.headerData(column, Qt.Orientation.Horizontal))
            if isinstance(widget, QTableWidget):
                for row in range(widget.rowCount()):
                    for column in range(widget.columnCount()):
                        item = widget.item(row, column)
                        add(widget, item.text() if item else "")
        if hasattr(widget, "suffix"):
            add(widget, widget.suffix())

    language_names = {"en", "fr"}  # each language is named in its own language

    def add_actions(actions: list[QAction]) -> None:
        for action in actions:
            if action.data() in language_names:
                continue
            add(action, action.text())
            add(action, action.toolTip())
            if action.menu() is not None:
                add(action.menu(), action.menu().title())
                add_actions(action.menu().actions())

    add_actions(window.menuBar().actions())
    for menu in window.findChildren(QMenu):
        add(menu, menu.title())
        add_actions(menu.actions())
    return found


def _english() -> tuple[set[str], list[re.Pattern[str]]]:
    """The English texts of the catalogue not meant to stay as they are, and patterns that
    match them once their placeholders are filled in."""
    texts: set[str] = set()
    patterns = []
    for _, message in messages(TS_FR):
        source = message.findtext("source", "")
        if source in SAME_IN_FRENCH or translations(message) == [source]:
            continue
        texts.add(source)
        words = _PLACEHOLDER.sub("", source)
        if _PLACEHOLDER.search(source) and len(words.strip()) > 3:
            parts = [re.escape(p) for p in _PLACEHOLDER.split(source)]
            patterns.append(re.compile("(?s)" + ".+?".join(parts)))
    return texts, patterns


def test_no_string_of_the_window_stays_in_english(qtbot, french, embedder):
    from desktop_rag.qt.main_window import MainWindow

    window = MainWindow(host="http://127.0.0.1:9", embedder=embedder)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.documents_loaded, timeout=WAIT):
        window.show()
    qtbot.waitUntil(lambda: window.ollama.connected is False, timeout=20_000)

    assert window.inspector.tabText(0) == "Extraits"
    assert window.library_panel.empty.text().startswith("Déposez vos documents ici")
    assert "Ollama n'est pas lancé" in window.ollama.label.text()
    assert window.menuBar().actions()[0].text() == "&Fichier"
    # The Ollama setup dialog, offered at start, is walked as part of the window, in each of
    # its states.
    qtbot.waitUntil(lambda: window.ollama_guide.dialog is not None, timeout=20_000)
    dialog = window.ollama_guide.dialog
    assert dialog.title.text() == "desktop-rag ne trouve pas Ollama"
    assert dialog.close_button.text() == "Continuer sans Ollama"

    english, patterns = _english()
    english |= {_bare(text) for text in english}
    shown = _texts(window)
    assert len(shown) > 120, shown  # the walk reached the inspector's hidden tabs too
    dialog.set_state("no_model", "http://h:1")
    shown += (in_model_state := _texts(window))
    assert ("QLabel", "environ 986 Mo") in in_model_state
    dialog.set_state("ready", "http://h:1", "0.12.6", "qwen2.5:1.5b")
    dialog.host_edit.setText("h h")
    dialog.retry()
    shown += _texts(window)
    left = sorted({(where, text) for where, text in shown
                   if text in english or _bare(text) in english
                   or any(p.fullmatch(text) for p in patterns)})
    assert left == [], f"strings left in English: {left}"


def _bare(text: str) -> str:
    """Without mnemonics, status dot and ellipsis: "&File" -> "File", "Add files..." -> "Add
    files" (as Qt derives an action's tooltip from its text)."""
    return text.replace("&", "").removeprefix("● ").rstrip(".…").strip()


def test_texts_built_outside_widgets_are_translated(french):
    from desktop_rag.core.events import ImportSummary
    from desktop_rag.core.settings import ChunkingSettings
    from desktop_rag.qt.chat_panel import TurnView, answer_meta, transcript_markdown
    from desktop_rag.qt.chunks_tab import describe
    from desktop_rag.qt.inspector import page_label
    from desktop_rag.qt.library_panel import summary_text
    from desktop_rag.qt.ollama_help import format_size, install_help

    record = {"model": "m", "time_to_first_token_s": 1.0, "tokens_per_second": 9.5,
              "dropped_passages": 1, "dropped_turns": 2, "unresolved": [7]}
    meta = answer_meta(TurnView("q", "a", record, incomplete=True))
    assert "premier jeton" in meta and "1 extrait laissé" in meta
    assert "2 échanges précédents laissés" in meta and "réponse incomplète" in meta
    assert "**Vous\u00a0:**" in transcript_markdown([TurnView("q", "a", record)])
    summary = summary_text(ImportSummary(imported=[], skipped=[], failed=[], seconds=1.5))
    assert summary.startswith("0 importé (0 segment) en 1.5 s"), summary
    assert describe(ChunkingSettings()) == "par titre/section, jusqu'à 240 jetons"
    assert page_label([3, 4]) == "p. 3-4"
    assert install_help("linux").startswith("Lancez ceci dans un terminal\u00a0:")
    assert "barre des menus" in install_help("darwin")
    assert "menu Démarrer" in install_help("win32")
    assert [format_size(s) for s in (398e6, 1.3e9)] == ["398 Mo", "1,3 Go"]


def test_english_stays_the_source_text(qapp, catalogues):
    """Without a translator every text is the English of the code, unchanged."""
    from desktop_rag.core.errors import OllamaUnavailable
    from desktop_rag.core.events import ImportSummary
    from desktop_rag.qt.chat_panel import TurnView, answer_meta
    from desktop_rag.qt.i18n import install_translator
    from desktop_rag.qt.library_panel import summary_text
    from desktop_rag.qt.ollama_status import not_running_text

    assert install_translator(qapp, "en") == "en"
    summary = summary_text(ImportSummary(imported=[], skipped=[], failed=[], seconds=1.5))
    assert summary == "0 imported (0 chunks) in 1.5 s"
    meta = answer_meta(TurnView("q", "a", {"dropped_passages": 2}))
    assert meta == "⚠ 2 passage\\(s\\) left out: context full"
    host = "http://127.0.0.1:9"
    assert not_running_text(host) == OllamaUnavailable(host).user_message


# -- choosing the language ------------------------------------------------------------------


@pytest.fixture
def locale():  # type: ignore[no-untyped-def]
    saved = QLocale()
    yield
    QLocale.setDefault(saved)


def test_the_language_follows_the_system_unless_overridden(qapp, catalogues, locale):
    from desktop_rag.qt.i18n import current_language, install_translator, remove_translators

    try:
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.Canada))
        assert install_translator(qapp, None) == "fr" == current_language()
        assert qapp.translate("MainWindow", "&File") == "&Fichier"
        assert install_translator(qapp, "en") == "en"  # the override wins
        assert qapp.translate("MainWindow", "&File") == "&File"
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert install_translator(qapp, "") == "en"  # not offered: English
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert install_translator(qapp, None) == "en"
        assert install_translator(qapp, "fr") == "fr"
        assert qapp.translate("MainWindow", "&File") == "&Fichier"
    finally:
        remove_translators(qapp)
    assert qapp.translate("MainWindow", "&File") == "&File"


def test_the_language_menu_saves_the_choice(qtbot, monkeypatch):
    from desktop_rag.qt.i18n import LanguageMenu, saved_language
    from desktop_rag.qt.main_window import window_settings

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    settings = window_settings()
    assert saved_language(settings) is None
    menu = LanguageMenu(settings)
    qtbot.addWidget(menu)
    codes = [a.data() for a in menu.actions()]
    assert codes == ["", "en", "fr"]
    assert menu.actions()[0].isChecked()  # the system's language until one is chosen
    menu.actions()[2].trigger()
    assert saved_language(window_settings()) == "fr"
    assert told and "next time" in told[0]
    menu.actions()[0].trigger()
    assert saved_language(window_settings()) is None


def test_the_prompt_language_falls_back_on_the_interface_language(qapp, catalogues):
    from desktop_rag.core.answer.rag import AskSettings
    from desktop_rag.qt.i18n import install_translator, remove_translators, with_prompt_language

    auto = AskSettings()
    assert auto.language == "auto"
    try:
        assert install_translator(qapp, "fr") == "fr"
        assert with_prompt_language(auto, "RAG?").language == "fr"  # too short to tell
        assert with_prompt_language(auto, "What is the capital of the country?").language == "en"
        assert with_prompt_language(AskSettings(language="en"), "RAG?").language == "en"
        install_translator(qapp, "en")
        assert with_prompt_language(auto, "RAG?").language == "en"
        assert with_prompt_language(auto, "Quelle est la capitale du pays ?").language == "fr"
    finally:
        remove_translators(qapp)


def test_the_template_problems_shown_are_the_core_ones():
    from desktop_rag.core.answer.ask_settings import template_problems
    from desktop_rag.core.answer.prompt import PromptTemplate
    from desktop_rag.qt.generation_panel import TEMPLATE_PROBLEMS

    assert set(template_problems(PromptTemplate("", "", ""))) == set(TEMPLATE_PROBLEMS)
