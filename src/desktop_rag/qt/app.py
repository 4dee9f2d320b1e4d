"""The GUI entry point (`desktop-rag-app`): the window first, heavy libraries later.

Only Qt and the light parts of the core are imported before the first paint; torch,
sentence-transformers, unstructured and LanceDB load on worker threads when they are needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ICON = Path(__file__).with_name("icons") / "desktop-rag.png"  # made by packaging/make_icons.py


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="desktop-rag-app", description=__doc__)
    parser.add_argument("--library", help="library to open (default: the last one)")
    parser.add_argument("--host", help="Ollama server (default: the saved one, OLLAMA_HOST, "
                                       "or http://127.0.0.1:11434)")
    parser.add_argument("--language", choices=("en", "fr"),
                        help="language of the interface (default: the one chosen in Edit > "
                             "Language, else the system's)")
    args, qt_args = parser.parse_known_args(argv)

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop_rag.core.offline import apply_environment

    apply_environment()  # before any worker imports unstructured or sentence-transformers
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("desktop-rag")
    app.setOrganizationName("desktop-rag")
    app.setApplicationDisplayName("desktop-rag")
    app.setDesktopFileName("desktop-rag")  # the menu entry packaging/linux installs
    app.setWindowIcon(QIcon(str(ICON)))

    from desktop_rag.qt.i18n import install_translator, saved_language
    from desktop_rag.qt.main_window import MainWindow, window_settings

    install_translator(app, args.language or saved_language(window_settings()))
    window = MainWindow(library=args.library, host=args.host)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
