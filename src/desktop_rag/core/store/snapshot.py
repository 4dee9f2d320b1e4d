"""The documents list as of one version of the documents table, kept beside the library.

Listing a library's documents through LanceDB means importing it first: 3.7 s of CPU, and on a
busy two-core machine 10 s or more before the window can show a 10,000-chunk library. A table's
versions are files in its `_versions` folder (Lance's format: `{version}.manifest`, or
`{2**64 - 1 - version:020}.manifest` in its newer naming), so the current version is read with
one directory listing, and a snapshot taken at that version is the list itself. Any commit makes
the versions differ and the snapshot is ignored until it is taken again; a version is only
written down after checking that this reading of the folder agrees with LanceDB's own.

Local libraries only: a library whose tables are in an object store has no folder to list.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from desktop_rag.core.store import schema as S

FILE = "documents-snapshot.json"
_MANIFEST = re.compile(r"^(\d+)\.manifest$")
_INVERTED_FROM = 2**63  # names above this count down from 2**64 - 1


def table_dir(library_root: str, table: str) -> Path | None:
    """The folder of `table` when the tables are on a local disk, else None."""
    if "://" in library_root and not library_root.startswith("file://"):
        return None
    return Path(library_root.removeprefix("file://")) / f"{table}.lance"


def disk_version(folder: Path | None) -> tuple[int, int] | None:
    """(latest version, its manifest's mtime in ns) of the table in `folder`; None without one.
    The mtime tells a table dropped and made again up to the same version from the old one."""
    if folder is None:
        return None
    latest: tuple[int, str] | None = None
    try:
        with os.scandir(folder / "_versions") as entries:
            for entry in entries:
                match = _MANIFEST.match(entry.name)
                if match is None:
                    continue
                number = int(match.group(1))
                version = (2**64 - 1 - number) if number >= _INVERTED_FROM else number
                if latest is None or version > latest[0]:
                    latest = (version, entry.name)
        if latest is None:
            return None
        return latest[0], (folder / "_versions" / latest[1]).stat().st_mtime_ns
    except OSError:  # no table yet, or it is being dropped
        return None


def load(library_folder: Path, version: tuple[int, int] | None) -> list[S.DocumentRecord] | None:
    """The documents as of `version`, if a snapshot of exactly that version is kept."""
    if version is None:
        return None
    try:
        with open(library_folder / FILE, encoding="utf-8") as handle:
            data = json.load(handle)
        if [data["version"], data["manifest_mtime_ns"]] != list(version):
            return None
        return [S.DocumentRecord.from_row(row) for row in data["documents"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(library_folder: Path, version: tuple[int, int], docs: list[S.DocumentRecord]) -> None:
    """Keep `docs` as the list at `version` (atomically: a reader sees the old or the new)."""
    data: dict[str, Any] = {"version": version[0], "manifest_mtime_ns": version[1],
                            "documents": [d.to_row() for d in docs]}
    fd, tmp = tempfile.mkstemp(dir=library_folder, prefix=f".{FILE}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(tmp, library_folder / FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
