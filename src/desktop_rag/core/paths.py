"""Where desktop-rag keeps its files.

One environment variable, DESKTOP_RAG_HOME, moves everything (tests point it at a temporary
folder); otherwise the platform's user folders are used through platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "desktop-rag"
HOME_ENV = "DESKTOP_RAG_HOME"


def _folder(kind: str) -> Path:
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        return Path(home).expanduser() / kind
    import platformdirs

    finder = getattr(platformdirs, f"user_{kind}_path")
    return Path(finder(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _folder("data")


def config_dir() -> Path:
    return _folder("config")


def cache_dir() -> Path:
    return _folder("cache")


def libraries_dir() -> Path:
    return data_dir() / "libraries"
