"""Files that hold other files, replaced by what they hold before an import starts: archives
by their members (archives.py), e-mail messages by themselves and their attachments (mail.py).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from desktop_rag.core.errors import ImportProblem
from desktop_rag.core.ingest.archives import Limits, Member, expand, is_archive
from desktop_rag.core.ingest.mail import attachments, is_mail


_STALE_AFTER = 24 * 3600  # seconds: no import runs this long; its folder was left by a crash


def staging_folder(cache: Path) -> Path:
    """A new folder for one import's unpacked files, under `cache`. Folders a killed import
    left behind are removed first (only old ones: another import may be running now)."""
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("unpacked-*"):
        try:
            if time.time() - old.stat().st_mtime > _STALE_AFTER:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix="unpacked-", dir=cache))


def unpack_all(files: list[Path], into: Path, limits: Limits | None = None
               ) -> tuple[list[Path], dict[Path, Member], list[tuple[Path, str]]]:
    """Files with every archive among them replaced by its members and every message followed
    by its attachments: (files, where each unpacked file comes from, refused archives with
    their reasons)."""
    out: list[Path] = []
    origins: dict[Path, Member] = {}
    refused: list[tuple[Path, str]] = []
    for index, path in enumerate(files):
        folder = into / f"{index:05d}"
        if is_mail(path):
            out.append(path)
            for member in attachments(path, folder, limits):
                if is_archive(member.file):  # an archive sent by mail: its documents
                    try:
                        inside = expand(member.file, folder / "unpacked", limits,
                                        name=member.name, origin=member.path)
                    except ImportProblem as problem:
                        refused.append((Path(member.path), problem.user_message))
                        continue
                else:
                    inside = [member]
                out.extend(m.file for m in inside)
                origins.update((m.file, m) for m in inside)
            continue
        if not is_archive(path):
            out.append(path)
            continue
        try:
            members = expand(path, folder, limits)
        except ImportProblem as problem:
            refused.append((path, problem.user_message))
            continue
        out.extend(m.file for m in members)
        origins.update((m.file, m) for m in members)
    return out, origins, refused
