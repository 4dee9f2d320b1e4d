"""What one window works on: a library, its embedder, the Ollama client and conversations.

The desktop app keeps one Workspace per open library. Everything slow is a method that runs on
a worker thread (the embedder loads on first need, never while the window opens); the GUI only
calls the quick ones directly. Qt-free, so the same flow can be driven from a script or a test.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_rag.core.answer.conversations import Conversation, ConversationStore
from desktop_rag.core.events import CancelToken, ImportEvent, ImportFinished
from desktop_rag.core.settings import ChunkingSettings

if TYPE_CHECKING:
    from desktop_rag.core.answer.rag import AskSettings
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.llm.client import OllamaClient
    from desktop_rag.core.llm.types import ModelDetails
    from desktop_rag.core.search.retrieval import Retriever, SearchOptions, SearchResult
    from desktop_rag.core.store import schema as S
    from desktop_rag.core.store.language_advice import LanguageAdvice
    from desktop_rag.core.store.library import Library
    from desktop_rag.core.store.summaries import DocumentTree


class Workspace:
    def __init__(self, library: Library, host: str | None = None,
                 embedder: Embedder | None = None) -> None:
        self.library = library
        self.conversations = ConversationStore(library.folder)
        self.host = host
        self._embedder = embedder
        self._client: OllamaClient | None = None
        self._retriever: Retriever | None = None
        self._models: dict[str, ModelDetails] = {}  # what Ollama's show said, by model
        self._lock = threading.Lock()

    # -- parts loaded on first need ------------------------------------------------------

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from desktop_rag.core.embed.factory import make_embedder

                settings = self.library.settings
                self._embedder = make_embedder(settings.embedding_model,
                                               settings.embed_batch_size)
                self._embedder.embed(["load the model now, not in the middle of a file"])
                settle_heap()
            return self._embedder

    @property
    def embedder_name(self) -> str:
        from desktop_rag.core.embed.base import resolve_model

        if self._embedder is not None:
            return self._embedder.model_id
        model = self.library.settings.embedding_model
        return model.removeprefix("ollama:") if model.startswith("ollama:") else (
            resolve_model(model)[0])

    def client(self) -> OllamaClient:
        with self._lock:
            if self._client is None:
                from desktop_rag.core.llm.client import OllamaClient

                self._client = OllamaClient(self.host)
            return self._client

    def set_host(self, host: str | None) -> None:
        with self._lock:
            self.host = host or None
            self._client = None
            self._models.clear()

    def retriever(self) -> Retriever:
        embedder = self.embedder()
        with self._lock:
            if self._retriever is None:
                from desktop_rag.core.search.retrieval import Retriever

                self._retriever = Retriever(self.library, embedder)
            return self._retriever

    # -- reading -------------------------------------------------------------------------

    def documents(self) -> list[S.DocumentRecord]:
        return self.library.documents()

    def listed_documents(self) -> tuple[int | None, list[S.DocumentRecord]]:
        """(the documents table's version, its documents): what the window lists. Without
        LanceDB when the list kept at the last write is current (Library.listed_documents)."""
        return self.library.listed_documents()

    def documents_version(self) -> int | None:
        """Cheap: whether the library changed since a listing, also by another process."""
        return self.library.documents_version()

    def chunks(self, doc: S.DocumentRecord) -> list[S.StoredChunk]:
        return self.library.chunks(doc)

    def document_text(self, doc: S.DocumentRecord) -> str:
        """The canonical text chunk offsets refer to, for formats without a page renderer."""
        from desktop_rag.core.ingest.chunking import document_text

        return document_text(self.library.elements(doc))

    def conversation_list(self) -> list[Conversation]:
        return self.conversations.list()

    # -- slow work, for worker threads ---------------------------------------------------

    def import_files(self, paths: list[Path], cancel: CancelToken,
                     chunking: ChunkingSettings | None = None) -> Iterator[ImportEvent]:
        """The import's events; the search indexes are brought up to date after it."""
        from desktop_rag.core.store.importer import import_paths
        from desktop_rag.core.store.indexes import maintain_in_background

        embedder = self.embedder()
        load_parsers()
        events = import_paths(self.library, paths, embedder, cancel, chunking)
        for event in events:
            if isinstance(event, ImportFinished) and event.summary.imported:
                # BM25 covers new chunks only after the index is rebuilt; do not hold the
                # summary back for it.
                maintain_in_background(self.library)
            yield event

    def search(self, question: str, options: SearchOptions) -> SearchResult:
        return self.retriever().search(question, options)

    def model_details(self, model: str) -> ModelDetails | None:
        if model not in self._models:
            from desktop_rag.core.errors import DesktopRagError

            try:
                self._models[model] = self.client().show(model)
            except DesktopRagError:
                return None  # the chat call reports a dead server or missing model itself
        return self._models[model]

    def ask(self, question: str, conversation: Conversation, settings: AskSettings,
            cancel: CancelToken) -> Iterator[Any]:
        """Ask with the settings settled for the model (an automatic model check follows its
        size)."""
        from desktop_rag.core.answer.rag import ask

        retriever = self.retriever()
        details = self.model_details(settings.model)
        settings = settings.settled(details.parameter_size if details else None)
        return ask(question, conversation, settings, self.library, retriever.embedder,
                   self.client(), cancel=cancel,
                   context_length=details.context_length if details else None)

    def check_search(self, questions: int, options: SearchOptions, model: str | None,
                     cancel: CancelToken) -> Iterator[Any]:
        """Search quality on the library's own chunks (core/answer/search_check.py); the
        questions are the model's when it is given and Ollama answers, else key sentences."""
        from desktop_rag.core.answer.search_check import check_search_quality

        client = self.client() if model else None
        if client is not None and not client.health().reachable:
            client = model = None
        return check_search_quality(self.library, self.retriever().embedder, options,
                                    questions, client, model, cancel)

    def language_advice(self) -> LanguageAdvice | None:
        from desktop_rag.core.store.language_advice import language_advice

        return language_advice(self.library, self.embedder_name)

    def set_language(self, language: str) -> None:
        from desktop_rag.core.store.language_advice import set_library_language

        set_library_language(self.library, language)

    def remove(self, doc: S.DocumentRecord) -> int:
        return self.library.remove(doc)

    def reindex(self, doc: S.DocumentRecord, settings: ChunkingSettings | None,
                cancel: CancelToken) -> Iterator[Any]:
        from desktop_rag.core.store.rechunk import rechunk_document

        return rechunk_document(self.library, doc, settings, self.embedder(), cancel)

    def preview(self, doc: S.DocumentRecord, settings: ChunkingSettings) -> list[Any]:
        from desktop_rag.core.store.rechunk import preview_chunks

        return preview_chunks(self.library, doc, settings, self.embedder())


    # -- summary trees (RAPTOR) ----------------------------------------------------------

    def summary_tree(self, doc: S.DocumentRecord) -> DocumentTree:
        from desktop_rag.core.store.summaries import document_tree

        return document_tree(self.library, doc)

    def build_summaries(self, docs: list[S.DocumentRecord], model: str,
                        cancel: CancelToken) -> Iterator[Any]:
        """The trees of `docs` with the chat model `model`; refuses before anything is loaded
        or written when Ollama cannot be reached."""
        from desktop_rag.core.errors import DesktopRagError
        from desktop_rag.core.store.raptor import build_trees
        from desktop_rag.core.store.summary_prompt import load_summary_settings

        client = self.client()
        status = client.health()
        if not status.reachable:
            raise DesktopRagError(f"{status.error}; nothing was changed")
        if not model:
            raise DesktopRagError("no chat model is chosen: pick one in Settings first")
        settings = load_summary_settings(self.library.folder)
        yield from build_trees(self.library, docs, self.embedder(), client, model, settings,
                               cancel)

    def remove_summaries(self, docs: list[S.DocumentRecord]) -> int:
        from desktop_rag.core.store.indexes import maintain
        from desktop_rag.core.store.summaries import remove_tree

        removed = sum(remove_tree(self.library, d) for d in docs)
        maintain(self.library)
        return removed

    def summary_children(self, doc_id: str, chunk_id: str) -> list[dict[str, Any]]:
        """The children of a summary, as the passages of a search show them (hit records)."""
        from desktop_rag.core.store.summaries import children_records

        return children_records(self.library, doc_id, chunk_id)

    def summary_leaves(self, doc_id: str, chunk_id: str) -> list[S.StoredChunk]:
        """The chunks under a summary, in document order (where a cited summary opens)."""
        from desktop_rag.core.store.summaries import leaf_chunks

        return leaf_chunks(self.library, doc_id, chunk_id)


def settle_heap() -> None:
    """Move everything alive now out of the garbage collector's reach.

    The model, torch, unstructured and spaCy leave millions of objects that live as long as
    the app. Without this, the next full collection walks them all while holding the GIL: a
    420 ms freeze of the window in the middle of an import (benchmarks/gui_stall.py).
    """
    gc.freeze()


@functools.cache
def load_parsers() -> None:
    """Load the parsing stack (unstructured, its spaCy model, PDFium) once, then settle the
    heap, so neither the loading nor a collection of its objects lands mid-import."""
    import pypdfium2  # noqa: F401

    from desktop_rag.core.ingest.unstructured_setup import classify

    classify(["Warm up", "The parsers load once, before the first file."])
    settle_heap()
