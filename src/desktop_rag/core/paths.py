"""Where desktop-rag keeps its files.

One environment variable, DESKTOP_RAG_HOME, moves everything (tests point it at a temporary
folder); otherwise the platform's user folders are used through platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "desktop-rag"
HOME_ENV = "DESKTOP_RAG_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def libraries_dir() -> Path:
    return data_dir() / "libraries"
