"""Find the files under the paths a user gave, and tell what each one is from its content."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Files a user never means to import when dropping a folder.
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def discover(
    paths: list[Path], exclude: tuple[Path, ...] = ()
) -> tuple[list[Path], list[Path]]:
    """Expand folders recursively; return (files in a stable order, paths that do not exist).

    Files under `exclude` (the app's own data folders) are never taken as documents."""
    files: list[Path] = []
    missing: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        path = Path(path).expanduser()
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                if any(Path(root).resolve().is_relative_to(x) for x in exclude):
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith(".") or name in _IGNORED_NAMES:
                        continue
                    _add(Path(root) / name, files, seen)
        elif path.is_file():
            _add(path, files, seen)
        else:
            missing.append(path)
    return files, missing


def _add(path: Path, files: list[Path], seen: set[Path]) -> None:
    resolved = path.resolve()
    if resolved not in seen:
        seen.add(resolved)
        files.append(resolved)


@dataclass(frozen=True)
class FileKind:
    name: str  # short name: pdf, docx, txt ... or "unknown"
    mime: str


def detect_kind(path: Path) -> FileKind:
    """The type from the file's bytes (libmagic, zip and OLE inspection), the extension last."""
    from desktop_rag.core.ingest.unstructured_setup import prepare_unstructured

    prepare_unstructured()
    from unstructured.file_utils.filetype import detect_filetype
    from unstructured.file_utils.model import FileType

    try:
        file_type = detect_filetype(file_path=str(path))
    except Exception:  # noqa: BLE001 - detection failing means we cannot tell the type
        file_type = FileType.UNK
    if file_type == FileType.UNK:
        return FileKind("unknown", _magic_mime(path) or "application/octet-stream")
    return FileKind(file_type.name.lower(), file_type.mime_type)


def _magic_mime(path: Path) -> str | None:
    try:
        import magic

        return str(magic.from_file(str(path), mime=True))
    except Exception:  # noqa: BLE001 - libmagic is optional here
        return None
