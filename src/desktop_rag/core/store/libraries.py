"""Named libraries under the data folder, and which one is current."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_rag.core import paths
from desktop_rag.core.errors import LibraryError, LibraryNotFound
from desktop_rag.core.settings import DEFAULT_MODEL, LibrarySettings, read_json, write_json_atomic
from desktop_rag.core.store.library import META_FILE, Library

DEFAULT_LIBRARY = "default"
_VALID_NAME = re.compile(r"^[\w][\w .-]{0,63}$")


def _app_settings_file() -> Path:
    return paths.config_dir() / "settings.json"


def list_libraries() -> list[str]:
    root = paths.libraries_dir()
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if (p / META_FILE).exists())


def current_library_name() -> str:
    try:
        name = read_json(_app_settings_file()).get("current_library")
    except (OSError, ValueError):
        name = None
    return name if isinstance(name, str) and name else DEFAULT_LIBRARY


def select_library(name: str) -> None:
    if name not in list_libraries():
        raise LibraryNotFound(name)
    file = _app_settings_file()
    try:
        data = read_json(file)
    except (OSError, ValueError):
        data = {}
    data["current_library"] = name
    write_json_atomic(file, data)


def create_library(name: str, settings: LibrarySettings | None = None,
                   location: str | None = None) -> Library:
    """location: where the tables go (default: the library's own folder): another folder or
    any URI LanceDB takes, such as s3://bucket/path for a library shared by several people.
    A location that already holds a library is joined with its model and settings.

    A library for documents that are not English gets the multilingual model unless another
    model is named ("all-MiniLM-L6-v2" names the English one explicitly)."""
    if not _VALID_NAME.match(name):
        raise LibraryError(
            f"'{name}' cannot be a library name: use letters, digits, spaces, '.', '-' or '_'"
        )
    if name in list_libraries():
        raise LibraryError(f"a library named '{name}' already exists")
    if location and "://" not in location:
        location = str(Path(location).expanduser().resolve())
    if settings is not None and settings.embedding_model == DEFAULT_MODEL:
        from desktop_rag.core.embed.catalog import model_for_language

        settings.embedding_model = model_for_language(settings.language)
    return Library.create(paths.libraries_dir() / name, settings, location)


def open_library(name: str | None = None) -> Library:
    """Open a library by name (the current one by default). The default library is created on
    first use; other names must exist. Leftovers of an interrupted import are cleaned up."""
    name = name or current_library_name()
    folder = paths.libraries_dir() / name
    if not (folder / META_FILE).exists():
        if name != DEFAULT_LIBRARY:
            raise LibraryNotFound(name)
        library = Library.create(folder)
    else:
        library = Library(folder)
    library.recover()
    return library
