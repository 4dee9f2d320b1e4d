"""Archives (.zip, .tar, .tar.gz/.bz2/.xz) unpacked into their documents, with limits against
archive bombs, before any of their members is imported.

Each member becomes a document named `archive.zip › folder/file.pdf` (nested archives add a
step: `outer.zip › inner.zip › file.txt`), unpacked into a folder of the import that is
removed when it ends. An archive is checked level by level from its directory (declared sizes,
compression ratios, member count, nesting depth) before anything of that level is unpacked,
and unpacking counts the bytes it really writes, since a directory can lie. Any breach
refuses the whole archive and removes what was unpacked: nothing of it is imported.
"""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from desktop_rag.core.errors import DamagedDocument, EncryptedDocument, ImportProblem

SEPARATOR = " › "
_TAR_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_SKIPPED = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    total_bytes: int = 2 << 30  # everything unpacked from one archive, nested ones included
    ratio: int = 200  # uncompressed / compressed size of one member (text: 3-10, bombs: 1000+)
    ratio_floor: int = 1 << 20  # small members may compress as well as they like
    members: int = 10_000
    depth: int = 3  # an archive in an archive in an archive


class ArchiveRefused(ImportProblem):
    """An archive over a limit: probably an archive bomb, refused before it is unpacked."""


@dataclass(frozen=True)
class Member:
    file: Path  # the unpacked copy that is parsed
    path: str  # where it comes from: "/home/me/archive.zip › folder/file.pdf"
    name: str  # "archive.zip › folder/file.pdf"


@dataclass
class _Budget:
    limits: Limits
    total: int = 0
    members: int = 0
    written: int = 0  # files written, each in a folder of its own (names may repeat)
    unpacked: list[Member] = field(default_factory=list)

    def declare(self, size: int, compressed: int | None) -> None:
        """A member about to be unpacked, by its declared sizes; refuses over a limit."""
        self.members += 1
        self.total += size
        if self.members > self.limits.members:
            raise ArchiveRefused(f"archive refused: it holds more than {self.limits.members:,} "
                                 "files")
        if self.total > self.limits.total_bytes:
            raise ArchiveRefused(f"archive refused: it would unpack to more than "
                                 f"{self.limits.total_bytes / (1 << 30):g} GB")
        if compressed is not None and size > self.limits.ratio_floor and (
                size > self.limits.ratio * max(compressed, 1)):
            raise _bomb(self.limits)


def _bomb(limits: Limits) -> ArchiveRefused:
    return ArchiveRefused(f"archive refused: a file in it is compressed more than "
                          f"{limits.ratio} times, as archive bombs are")


def is_archive(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".zip"):
        return zipfile.is_zipfile(path)
    return name.endswith(_TAR_SUFFIXES) and tarfile.is_tarfile(path)


def expand(path: Path, into: Path, limits: Limits | None = None, name: str = "",
           origin: str = "") -> list[Member]:
    """The documents inside the archive at `path`, unpacked under the folder `into`; `name`
    and `origin` replace the archive's own name and path in its members' (an attachment).
    Raises ArchiveRefused, EncryptedDocument or DamagedDocument, having removed `into`."""
    budget = _Budget(limits or Limits())
    try:
        with open(path, "rb") as handle:
            _walk(handle, name or path.name, origin or str(path), path.stat().st_size, into,
                  budget, depth=1)
    except ImportProblem:
        shutil.rmtree(into, ignore_errors=True)
        raise
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, ValueError) as exc:
        shutil.rmtree(into, ignore_errors=True)
        # zlib, bz2 and lzma errors are OSError or ValueError; the text stays in the log.
        raise DamagedDocument("archive", "its content cannot be read") from exc
    return budget.unpacked


def _walk(stream: IO[bytes], name: str, origin: str, size: int, into: Path,
          budget: _Budget, depth: int) -> None:
    if depth > budget.limits.depth:
        raise ArchiveRefused(f"archive refused: archives are nested more than "
                             f"{budget.limits.depth} deep in it")
    is_zip = zipfile.is_zipfile(stream)
    stream.seek(0)
    if is_zip:
        _walk_zip(stream, name, origin, into, budget, depth)
    else:
        _walk_tar(stream, name, origin, size, into, budget, depth)


def _walk_zip(stream: IO[bytes], name: str, origin: str, into: Path, budget: _Budget,
              depth: int) -> None:
    with zipfile.ZipFile(stream) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and _wanted(i.filename)]
        if any(i.flag_bits & 0x1 for i in infos):
            raise EncryptedDocument()
        for info in infos:  # the whole level is checked before anything of it is unpacked
            budget.declare(info.file_size, info.compress_size)
        for info in infos:
            with archive.open(info) as member:
                _take(member, info.filename, info.file_size, name, origin, into, budget, depth)


def _walk_tar(stream: IO[bytes], name: str, origin: str, size: int, into: Path,
              budget: _Budget, depth: int) -> None:
    # Streaming mode: one pass, each header checked before its data is read, so a compressed
    # tar bomb is refused at its first huge header, not after decompressing it.
    declared = 0
    with tarfile.open(fileobj=stream, mode="r|*") as archive:
        for info in archive:
            if not info.isfile() or not _wanted(info.name):
                continue  # links, devices and folders are not documents (and links escape)
            budget.declare(info.size, None)
            declared += info.size
            if declared > budget.limits.ratio_floor and declared > budget.limits.ratio * size:
                raise _bomb(budget.limits)
            member = archive.extractfile(info)
            if member is not None:
                _take(member, info.name, info.size, name, origin, into, budget, depth)


def _take(member: IO[bytes], inner: str, size: int, name: str, origin: str, into: Path,
          budget: _Budget, depth: int) -> None:
    """Unpack one member: a nested archive is walked, any other file written as a document."""
    relative = _safe(inner)
    label = f"{name}{SEPARATOR}{relative}"
    where = f"{origin}{SEPARATOR}{relative}"
    budget.written += 1
    target = into / f"{budget.written:06d}" / PurePosixPath(relative).name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for block in _blocks(member, size):
            out.write(block)
    if relative.lower().endswith((".zip", *_TAR_SUFFIXES)):
        with open(target, "rb") as nested:
            _walk(nested, label, where, target.stat().st_size, into, budget, depth + 1)
        target.unlink()
        return
    budget.unpacked.append(Member(target, where, label))


def _blocks(member: IO[bytes], size: int) -> Iterator[bytes]:
    """The member's bytes, never more than it declared (a lying directory is a bomb too)."""
    written = 0
    while block := member.read(_CHUNK):
        written += len(block)
        if written > size:
            raise ArchiveRefused("archive refused: a file in it is larger than its archive says")
        yield block


def _wanted(name: str) -> bool:
    parts = [p for p in PurePosixPath(name).parts if p not in ("/", "..", ".")]
    return bool(parts) and not any(p in _SKIPPED or p.startswith(".") for p in parts)


def _safe(name: str) -> str:
    """The member's path inside the archive, without a leading slash or `..` steps."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("/", "..", ".")]
    return "/".join(parts) or "file"

