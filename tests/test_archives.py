"""Archives: their members imported as documents, archive bombs refused fast and whole."""

from __future__ import annotations

import io
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from conftest import run_import

from desktop_rag.core.ingest.archives import ArchiveRefused, Limits, expand
from desktop_rag.core.store import schema as S

# Small corpus files of four kinds (the import embeds them twice: as a folder and zipped).
FILES = ["simple-table.md", "fake.odt", "fake-doc.rtf", "pdf/multi-column-2p.pdf"]


def _zip(entries: dict[str, bytes], level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _forty_two(levels: int, copies: int, leaf: bytes) -> bytes:
    """42.zip's shape: `copies` zips per level, `levels` deep, the same leaf at the bottom."""
    data = leaf
    for level in range(levels):
        data = _zip({f"lib{level}-{i}.zip" if level else f"book{i}.txt": data
                     for i in range(copies)})
    return data


def _refused_fast(library, embedder, path: Path, words: str) -> None:  # type: ignore[no-untyped-def]
    run_import(library, [], embedder)  # modules and tables loaded: the archive alone is timed
    clock = time.perf_counter()
    summary, _ = run_import(library, [path], embedder)
    assert time.perf_counter() - clock < 1.0
    assert [e.path for e in summary.failed] == [path] and words in summary.failed[0].reason
    assert not summary.imported  # nothing of it: its outcome is the library's only row
    assert [(d.path, d.state) for d in library.documents()] == [(str(path), S.FAILED)]


def test_a_nested_archive_bomb_is_refused_within_a_second(library, embedder, tmp_path):
    bomb = tmp_path / "42.zip"
    bomb.write_bytes(_forty_two(levels=5, copies=16, leaf=b"readable text " * 10))
    _refused_fast(library, embedder, bomb, "nested more than 3 deep")


def test_a_high_ratio_member_is_refused_within_a_second(library, embedder, tmp_path):
    bomb = tmp_path / "report.zip"
    bomb.write_bytes(_zip({"notes.txt": b"A few real words.", "zeros.txt": b"0" * (64 << 20)}))
    assert bomb.stat().st_size < 200_000  # 64 MB of zeros in about 64 KB
    _refused_fast(library, embedder, bomb, "compressed more than 200 times")


def test_a_compressed_tar_bomb_is_refused_at_its_header(tmp_path):
    bomb = tmp_path / "logs.tar.gz"
    with tarfile.open(bomb, "w:gz") as archive:
        info = tarfile.TarInfo("big.log")
        info.size = 64 << 20
        archive.addfile(info, io.BytesIO(b"\0" * info.size))
    clock = time.perf_counter()
    with pytest.raises(ArchiveRefused, match="compressed more than"):
        expand(bomb, tmp_path / "out")
    assert time.perf_counter() - clock < 1.0 and not (tmp_path / "out").exists()


def test_limits_on_members_and_size_refuse_the_whole_archive(tmp_path):
    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"n{i}.txt": b"x" for i in range(30)}))
    with pytest.raises(ArchiveRefused, match="more than 20 files"):
        expand(many, tmp_path / "a", Limits(members=20))
    big = tmp_path / "big.zip"
    big.write_bytes(_zip({"a.txt": bytes(range(256)) * 8000}, level=0))
    with pytest.raises(ArchiveRefused, match="more than"):
        expand(big, tmp_path / "b", Limits(total_bytes=1 << 20))
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_an_encrypted_zip_needs_its_password(library, embedder, tmp_path):
    # A zip whose member has the "encrypted" flag (Python writes none; set it in the headers).
    data = bytearray(_zip({"secret.txt": b"launch codes"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1
    path = tmp_path / "secret.zip"
    path.write_bytes(bytes(data))
    summary, _ = run_import(library, [path], embedder)
    assert summary.failed[0].reason == "encrypted: password required"


def test_a_zip_of_corpus_files_imports_like_the_folder(library, embedder, corpus, tmp_path):
    from desktop_rag.core.store.libraries import create_library

    folder = tmp_path / "course"
    for name in FILES:
        (folder / Path(name).parent).mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((corpus / name).read_bytes())
    archive = tmp_path / "course.zip"
    archive.write_bytes(_zip({f"course/{n}": (corpus / n).read_bytes() for n in FILES}))
    zipped, _ = run_import(library, [archive], embedder)
    assert not zipped.failed and len(zipped.imported) == len(FILES)
    names = sorted(d.name for d in library.documents())
    assert names == sorted(f"course.zip › course/{n}" for n in FILES)

    plain = create_library("plain")
    as_folder, _ = run_import(plain, [folder], embedder)
    assert len(as_folder.imported) == len(FILES)
    chunks = {d.name.split("course/")[1]: [c.text for c in library.chunks(d)]
              for d in library.documents()}
    for doc in plain.documents():
        relative = Path(doc.path).relative_to(folder).as_posix()
        assert chunks[relative] == [c.text for c in plain.chunks(doc)], relative
    pdf = library.find("course.zip › course/pdf/multi-column-2p.pdf")
    assert pdf.pages == 2

    again, _ = run_import(library, [archive], embedder)  # unchanged members are skipped
    assert not again.imported and {e.reason for e in again.skipped} == {"unchanged"}
    assert len(again.skipped) == len(FILES)


def test_nested_and_tar_archives_name_their_members(library, embedder, tmp_path):
    inner = _zip({"notes/bread.txt": b"Sourdough bread needs a starter, flour and water."})
    outer = tmp_path / "outer.tar.gz"
    with tarfile.open(outer, "w:gz") as archive:
        for name, data in (("inner.zip", inner), ("../../etc/evil.txt", b"Escaping text.")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    summary, _ = run_import(library, [outer], embedder)
    assert len(summary.imported) == 2, summary.failed
    assert sorted(d.name for d in library.documents()) == [
        "outer.tar.gz › etc/evil.txt", "outer.tar.gz › inner.zip › notes/bread.txt"]
    assert not (tmp_path.parent / "etc" / "evil.txt").exists()


def test_unpacked_files_do_not_outlive_their_import(library, embedder, tmp_path):
    import os

    from desktop_rag.core.ingest.containers import staging_folder
    from desktop_rag.core.paths import cache_dir

    crashed = cache_dir() / "unpacked-left-by-a-crash"
    running = cache_dir() / "unpacked-another-import"
    for folder in (crashed, running):
        (folder / "x").mkdir(parents=True)
    os.utime(crashed, (time.time() - 3 * 86400,) * 2)
    staging_folder(cache_dir()).rmdir()
    assert not crashed.exists() and running.exists()
    archive = tmp_path / "notes.zip"
    archive.write_bytes(_zip({"bread.txt": b"Sourdough bread needs a starter and flour."}))
    summary, _ = run_import(library, [archive], embedder)
    assert len(summary.imported) == 1
    assert sorted(p.name for p in cache_dir().glob("unpacked-*")) == [running.name]
