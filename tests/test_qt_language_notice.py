"""After an import of French documents into an English library, the window says so once and
can switch the library's search to French."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from test_qt_window import WAIT, drop

FRENCH = ("Les entrepôts de données servent à l'analyse des ventes. Dans une base "
          "multidimensionnelle, les faits sont décrits par des dimensions et des mesures, "
          "et les cubes permettent de les agréger par période, par produit et par région.")


def _import(qtbot, window, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    drop(window, files)
    qtbot.waitUntil(lambda: window.import_job is None and not window._refreshing, timeout=WAIT)


def test_french_documents_bring_advice_once_and_the_switch(qtbot, tmp_path, embedder):
    from desktop_rag.core.store.libraries import open_library
    from desktop_rag.qt.main_window import MainWindow

    window = MainWindow(host="http://127.0.0.1:9", embedder=embedder)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.documents_loaded, timeout=WAIT):
        window.show()
    files = []
    for n in range(2):
        files.append(tmp_path / f"cours-{n}.txt")
        files[-1].write_text(f"Chapitre {n}. {FRENCH}", encoding="utf-8")
    with qtbot.waitSignal(window.language_notice.shown, timeout=WAIT) as shown:
        _import(qtbot, window, files)
    advice = shown.args[0]
    assert (advice.documents_language, advice.library_language) == ("fr", "en")
    box = window.language_notice.box
    assert box is not None and box.isVisible() and not box.isModal()
    text = box.text()
    assert "2 of your 2 documents are in French" in text
    assert "reads English only" in text and "desktop-rag library set-model" in text
    switch = next(b for b in box.buttons() if b.text() == "Search in French")
    with qtbot.waitSignal(window.language_notice.language_changed, timeout=WAIT):
        switch.click()
    assert open_library().settings.language == "fr"
    assert "French" in window.statusBar().currentMessage()

    # Said once per library: another French import does not bring it back.
    more = tmp_path / "cours-9.txt"
    more.write_text(f"Annexe. {FRENCH}", encoding="utf-8")
    window.language_notice.box = None
    _import(qtbot, window, [more])
    qtbot.wait(500)
    assert window.language_notice.box is None
    assert not any(isinstance(w, QMessageBox) and w.isVisible()
                   for w in window.findChildren(QMessageBox))
