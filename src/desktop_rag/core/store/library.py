"""A document library: LanceDB tables on disk, opened, read and described here.

Tables: `documents` (one row per file a user gave: imported, failed or duplicate), `elements`
(the parsed text, so a document can be re-chunked without its source), and the chunks table
(text, metadata, vector). A document's chunks belong to a `chunk_set`; the documents row names
the current one. Every write goes through the methods inherited from writes.py, atomically.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_rag.core.errors import (
    AmbiguousDocument,
    DocumentNotFound,
    ModelMismatch,
    StorageError,
)
from desktop_rag.core.ingest.elements import Element, element_from_row
from desktop_rag.core.settings import LibrarySettings, read_json, write_json_atomic
from desktop_rag.core.store import schema as S
from desktop_rag.core.store import snapshot
from desktop_rag.core.store.writes import LibraryWrites, _quote

if TYPE_CHECKING:

    from desktop_rag.core.embed.base import Embedder

META_FILE = "library.json"
# The shared copy of library.json, in the tables' store when it is not the local folder, so a
# second computer opening the same location finds the model and settings the vectors need.
SHARED_META_TABLE = "library_meta"
# Old table versions are kept this long, so a reader that opened one can finish.
_KEEP_VERSIONS = timedelta(minutes=10)
log = logging.getLogger(__name__)


class Library(LibraryWrites):
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = folder.name
        self.settings = LibrarySettings()
        self.model: dict[str, Any] | None = None
        self.chunks_table_name = "chunks"
        meta = self._read_meta()
        # Where the tables live: the library folder, or any URI LanceDB takes (s3://, gs://,
        # az://, another folder). Settings, conversations and the write lock stay local.
        self.location: str | None = meta.get("location") or None
        self._db = None
        self._lock = threading.RLock()
        self._file_lock = None
        self._writes = 0  # nesting depth of writing()
        self._snapshot_key: tuple[int, int] | None = None

    # -- creation and metadata ---------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, settings: LibrarySettings | None = None,
               location: str | None = None) -> Library:
        """A new library in `folder`, its tables in `location` (default: the folder). A
        location that already holds a library is joined: its model and settings are taken."""
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / META_FILE).exists():
            settings = settings or LibrarySettings()
            meta: dict[str, Any] = {"settings": settings.to_dict(), "model": None,
                                    "created": time.time()}
            if location:
                meta["location"] = location
                meta.update(_shared_meta(_connect(location)))
            write_json_atomic(folder / META_FILE, meta)
        library = cls(folder)
        if location and SHARED_META_TABLE not in library.table_names():
            library.save_meta()
        return library

    def save_meta(self) -> None:
        meta = read_json(self.folder / META_FILE)
        meta.update(
            settings=self.settings.to_dict(), model=self.model, chunks_table=self.chunks_table_name
        )
        write_json_atomic(self.folder / META_FILE, meta)
        self._meta_stamp = _stamp(self.folder / META_FILE)
        if self.location:
            import pyarrow as pa

            shared = {k: meta[k] for k in ("settings", "model", "chunks_table")}
            with self.writing():
                self.db.create_table(SHARED_META_TABLE, pa.table({"meta": [json.dumps(shared)]}),
                                     mode="overwrite")

    def _read_meta(self) -> dict[str, Any]:
        self._meta_stamp = _stamp(self.folder / META_FILE)
        meta = read_json(self.folder / META_FILE)
        self.settings = LibrarySettings.from_dict(meta.get("settings", {}))
        self.model = meta.get("model")
        self.chunks_table_name = meta.get("chunks_table", "chunks")
        return meta

    def reload_meta(self) -> None:
        """Take what another process wrote to library.json since: the model its first import
        bound, the chunks table of a re-embedding, settings."""
        stamp = _stamp(self.folder / META_FILE)
        if stamp is not None and stamp != self._meta_stamp:
            self._read_meta()

    def bind_model(self, embedder: Embedder) -> None:
        """Record the embedder on first use; refuse a different one afterwards."""
        if self.model is None:
            with self.writing():
                self.model = {
                    "id": embedder.model_id,
                    "dimension": embedder.dimension,
                    "normalized": embedder.normalized,
                }
                self.save_meta()
        elif self.model["id"] != embedder.model_id:
            raise ModelMismatch(self.model["id"], embedder.model_id)

    # -- tables ------------------------------------------------------------------------------

    @property
    def db(self):  # type: ignore[no-untyped-def]
        if self._db is None:
            self._db = _connect(self._tables_root)
        return self._db

    @property
    def _tables_root(self) -> str:
        return self.location or str(self.folder / "lance")

    def table_names(self) -> list[str]:
        return list(self.db.list_tables().tables)

    def _table(self, name: str, schema):  # type: ignore[no-untyped-def]
        if name in self.table_names():
            return self.db.open_table(name)
        with self.writing():
            return self.db.create_table(name, schema=schema, exist_ok=True)

    @property
    def documents_table(self):  # type: ignore[no-untyped-def]
        return self._table(S.DOCUMENTS, S.DOCUMENTS_SCHEMA)

    @property
    def elements_table(self):  # type: ignore[no-untyped-def]
        return self._table(S.ELEMENTS, S.ELEMENTS_SCHEMA)

    @property
    def chunks_table(self):  # type: ignore[no-untyped-def]
        if self.model is None:
            return None
        return self._table(self.chunks_table_name, S.chunks_schema(self.model["dimension"]))

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The single writer: one thread of this process, and one process, at a time."""
        from filelock import FileLock

        with self._lock:
            if self._file_lock is None:
                self._file_lock = FileLock(str(self.folder / ".write.lock"))
            with self._file_lock:
                outermost = self._writes == 0
                before = self._documents_key() if outermost else None
                self._writes += 1
                try:
                    yield
                except (OSError, RuntimeError) as exc:
                    raise _storage_error(self.folder, exc) from exc
                finally:
                    self._writes -= 1
                if outermost and self._documents_key() != before:
                    self._take_snapshot()

    # -- reads -------------------------------------------------------------------------------

    def documents(self) -> list[S.DocumentRecord]:
        table = self.documents_table
        version = table.version  # before the rows: they are of this version or a later one
        rows = table.to_arrow().to_pylist()
        docs = sorted((S.DocumentRecord.from_row(r) for r in rows), key=lambda d: d.path)
        key = self._documents_key()
        if key is not None and key[0] == version and key != self._snapshot_key:
            try:  # the rows are of exactly this version: the table did not move meanwhile
                snapshot.save(self.folder, key, docs)
                self._snapshot_key = key
            except OSError:
                pass  # a read-only folder: the list is read through LanceDB each time
        return docs

    def documents_version(self) -> int | None:
        """The documents table's version, which every import, removal and re-chunk changes,
        also one made by another process. A folder listing for a local library (no LanceDB)."""
        if snapshot.table_dir(self._tables_root, S.DOCUMENTS) is not None:
            key = self._documents_key()
            return key[0] if key is not None else None
        if S.DOCUMENTS not in self.table_names():
            return None
        return int(self.db.open_table(S.DOCUMENTS).version)

    def listed_documents(self) -> tuple[int | None, list[S.DocumentRecord]]:
        """(documents_version(), the documents at that version or later): from the snapshot
        of the current version when there is one, so without loading LanceDB."""
        self.reload_meta()
        key = self._documents_key()
        kept = snapshot.load(self.folder, key)
        if key is not None and kept is not None:
            return key[0], sorted(kept, key=lambda d: d.path)
        folder = snapshot.table_dir(self._tables_root, S.DOCUMENTS)
        if folder is not None and not folder.exists():
            return None, []  # nothing imported yet
        version = self.documents_version()
        return version, self.documents()

    def _documents_key(self) -> tuple[int, int] | None:
        return snapshot.disk_version(snapshot.table_dir(self._tables_root, S.DOCUMENTS))

    def _take_snapshot(self) -> None:
        """After a write that changed the documents table, so the next window opened on this
        library (after a command-line import, say) lists them without loading LanceDB."""
        try:
            self.documents()
        except Exception:  # noqa: BLE001 - a cache: the next read takes it again
            log.warning("could not keep the documents list of %s", self.name, exc_info=True)

    def document_at(self, path: Path | str) -> S.DocumentRecord | None:
        rows = self._select(self.documents_table, f"path = {_quote(str(path))}")
        return S.DocumentRecord.from_row(rows[0]) if rows else None

    def imported_with_id(self, doc_id: str) -> S.DocumentRecord | None:
        rows = self._select(
            self.documents_table, f"doc_id = {_quote(doc_id)} AND state = '{S.IMPORTED}'"
        )
        return S.DocumentRecord.from_row(rows[0]) if rows else None

    def find(self, ref: str) -> S.DocumentRecord:
        """A document by id prefix, path, file name, or a unique part of its name."""
        docs = self.documents()
        for test in (
            lambda d: d.path == ref or d.path == str(Path(ref).expanduser().resolve()),
            lambda d: len(ref) >= 4 and d.doc_id.startswith(ref),
            lambda d: d.name == ref,
            lambda d: ref.lower() in d.name.lower(),
        ):
            found = [d for d in docs if test(d)]
            if len(found) == 1:
                return found[0]
            imported = [d for d in found if d.state == S.IMPORTED]
            if len(imported) == 1:
                return imported[0]
            if found:
                raise AmbiguousDocument(ref, [d.name for d in found])
        raise DocumentNotFound(ref)

    def chunks(self, doc: S.DocumentRecord) -> list[S.StoredChunk]:
        table = self.chunks_table
        if table is None or not doc.chunk_set:
            return []
        where = f"doc_id = {_quote(doc.doc_id)} AND chunk_set = {_quote(doc.chunk_set)}"
        rows = self._select(table, where, exclude=("vector",))
        return sorted((S.StoredChunk.from_row(r) for r in rows), key=lambda c: c.ordinal)

    def elements(self, doc: S.DocumentRecord) -> list[Element]:
        rows = self._select(self.elements_table, f"doc_id = {_quote(doc.doc_id)}")
        rows.sort(key=lambda r: r["ordinal"])
        return [element_from_row(r["text"], r["kind"], r["page"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        docs = self.documents()
        table = self.chunks_table
        return {
            "name": self.name,
            "folder": str(self.folder),
            "location": self.location,
            "documents": sum(d.state == S.IMPORTED for d in docs),
            "failed": sum(d.state == S.FAILED for d in docs),
            "duplicates": sum(d.state == S.DUPLICATE for d in docs),
            "chunks": table.count_rows() if table is not None else 0,
            # Only what is on this computer: a remote store is not walked file by file.
            "bytes": sum(f.stat().st_size for f in self.folder.rglob("*") if f.is_file()),
            "model": self.model,
            "language": self.settings.language,
            "chunking": self.settings.chunking,
        }

    @staticmethod
    def _select(table, where: str, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        columns = [f.name for f in table.schema if f.name not in exclude]
        arrow = table.search().where(where).select(columns).limit(None).to_arrow()
        return arrow.to_pylist()


def _stamp(file: Path) -> int | None:
    try:
        return file.stat().st_mtime_ns
    except OSError:
        return None


def _connect(uri: str):  # type: ignore[no-untyped-def]
    """Object stores take their credentials and endpoint from the environment, as LanceDB
    documents it (AWS_ACCESS_KEY_ID, AWS_ENDPOINT, GOOGLE_SERVICE_ACCOUNT, AZURE_STORAGE_...)."""
    import lancedb

    # Interval 0: every read sees the latest commit, also one made by another process.
    return lancedb.connect(uri, read_consistency_interval=timedelta(0))


def _shared_meta(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The settings, model and chunks table of the library already at a location, if any."""
    if SHARED_META_TABLE not in db.list_tables().tables:
        return {}
    rows = db.open_table(SHARED_META_TABLE).to_arrow().to_pylist()
    return json.loads(rows[0]["meta"]) if rows else {}


def _storage_error(folder: Path, exc: BaseException) -> BaseException:
    """LanceDB reports I/O failures as RuntimeError("lance error: ... (os error N)")."""
    message = str(exc)
    errno = getattr(exc, "errno", None)
    if errno == 28 or "os error 28" in message or "No space left" in message:
        return StorageError(
            f"disk full: no space left to write the library at {folder}; free some space and "
            "import again (documents already imported are kept)"
        )
    if errno in (13, 30) or "os error 13" in message or "os error 30" in message:
        return StorageError(f"cannot write the library at {folder}: permission denied or "
                            "read-only disk")
    if isinstance(exc, OSError):
        return StorageError(f"cannot write the library at {folder}: {exc.strerror or exc}")
    return exc
