"""Compile the interface translations, and optionally refresh them from the source code first.

    python scripts/build_translations.py            resources/i18n/*.ts -> .qm (lrelease)
    python scripts/build_translations.py --update   first collect the strings of
                                                    src/desktop_rag/qt into the .ts (lupdate)

The .ts files in resources/i18n are the sources, kept in git: desktop_rag_en.ts holds the
English text (the language of the code, so it needs no translation) and desktop_rag_fr.ts the
French one. The compiled .qm files go to src/desktop_rag/qt/translations, where the app and an
installed package find them; they are build outputs, made by scripts/setup.sh. Qt's tools come
with PySide6 (pyside6-lupdate, pyside6-lrelease): no other installation is needed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "desktop_rag" / "qt"
TS_DIR = ROOT / "resources" / "i18n"
QM_DIR = SOURCES / "translations"
LANGUAGES = ("en", "fr")


def _tool(name: str) -> Path:
    import PySide6

    exe = Path(PySide6.__file__).resolve().parent / (name + (".exe" if sys.platform == "win32"
                                                             else ""))
    if not exe.is_file():
        raise SystemExit(f"{exe} is missing: PySide6 (or PySide6-Essentials) ships it")
    return exe


def ts_file(language: str) -> Path:
    return TS_DIR / f"desktop_rag_{language}.ts"


def update() -> None:
    """Collect the translatable strings of the Qt layer into every .ts file: new strings are
    added unfinished, vanished ones dropped, translations kept."""
    TS_DIR.mkdir(parents=True, exist_ok=True)
    sources = sorted(SOURCES.glob("*.py"))
    for language in LANGUAGES:
        subprocess.run([str(_tool("lupdate")), "-silent", "-no-obsolete", "-locations", "relative",
                        "-source-language", "en", "-target-language", language,
                        *map(str, sources), "-ts", str(ts_file(language))], check=True)


def build(quiet: bool = True) -> list[Path]:
    """Compile every .ts into its .qm; returns the .qm files."""
    QM_DIR.mkdir(parents=True, exist_ok=True)
    built = []
    for language in LANGUAGES:
        qm = QM_DIR / f"desktop_rag_{language}.qm"
        subprocess.run([str(_tool("lrelease")), *(["-silent"] if quiet else []),
                        str(ts_file(language)), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true",
                        help="refresh the .ts files from the source code before compiling")
    args = parser.parse_args(argv)
    if args.update:
        update()
    for qm in build(quiet=False):
        print(f"wrote {qm.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
