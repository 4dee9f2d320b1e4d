"""Build a document's summary tree (RAPTOR, Sarthi et al. 2024) with the chat model.

Per document, as RAGFlow does: the chunks are clustered on their stored vectors, each cluster
is summarised by the model, the summaries are embedded and clustered again, up to one root.
A tree per document keeps the work local: a changed or removed document invalidates its own
tree only (its chunk set changes), and only that tree is built again. The build is a generator
of progress events; every finished summary is stored at once, so a cancelled or killed build
resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop_rag.core.errors import Cancelled, LlmError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.ingest.context import document_title, search_text
from desktop_rag.core.language import detect_language
from desktop_rag.core.llm.types import ChatBackend, ChatDone, GenerationOptions, TokenDelta
from desktop_rag.core.store import schema as S
from desktop_rag.core.store import summaries as T
from desktop_rag.core.store.clustering import cluster_level
from desktop_rag.core.store.summary_prompt import (
    SummarySettings,
    estimate_tokens,
    summary_messages,
)
from desktop_rag.core.store.writes import _quote

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.store.library import Library

MAX_LEVELS = 8
CONTEXT_MARGIN = 64  # tokens: the chat template's own markers


@dataclass(frozen=True)
class SummaryProgress:
    """Summarising cluster `cluster` of `clusters` at `level` of document `document`."""

    document: str
    level: int
    cluster: int
    clusters: int
    done: int  # summaries written by this run
    tokens_per_s: float | None
    seconds_left: float | None  # estimate for this document's tree


@dataclass(frozen=True)
class SummaryWritten:
    document: str
    node: T.SummaryNode


@dataclass(frozen=True)
class TreeFinished:
    document: str
    doc_id: str
    levels: int
    summaries: int  # in the tree
    written: int  # by this run (0: it was already complete)
    prompt_tokens: int
    eval_tokens: int
    seconds: float
    skipped: str = ""  # why no tree was built (too short a document)


SummaryEvent = SummaryProgress | SummaryWritten | TreeFinished


@dataclass
class _Node:
    """A node of the level being grouped: a chunk (level 0) or a summary."""

    chunk_id: str
    text: str
    tokens: int
    vector: Any
    pages: tuple[int, ...]
    position: int


def build_tree(
    library: Library,
    doc: S.DocumentRecord,
    embedder: Embedder,
    chat: ChatBackend,
    model: str,
    settings: SummarySettings | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[SummaryEvent]:
    settings = (settings or SummarySettings()).checked()
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    T.remove_stale(library, doc)
    leaves = _leaves(library, doc)
    tree = T.document_tree(library, doc)
    length = sum(n.tokens for n in leaves)
    if len(leaves) < 2 or length <= settings.budget:
        # A document that one summary prompt holds whole would get a single summary of text
        # that its few chunks already put before the model: the cost without the gain.
        why = "a single chunk" if len(leaves) < 2 else \
            f"{length} tokens: short enough to be read whole"
        yield TreeFinished(doc.name, doc.doc_id, 0, 0, 0, 0, 0, 0.0, skipped=why)
        return
    language = detect_language(n.text for n in leaves[:20])
    template = settings.template(language)
    title = document_title(doc.name)
    clock = _Clock()
    nodes, level, written = leaves, 1, 0
    while level <= MAX_LEVELS:
        plan = T.load_plan(library, doc, level)
        by_id = {n.chunk_id: n for n in nodes}
        if plan is None or not all(c in by_id for cluster in plan for c in cluster):
            groups = cluster_level([n.vector for n in nodes], [n.tokens for n in nodes],
                                   settings.budget)
            plan = [[nodes[i].chunk_id for i in group] for group in groups]
            T.save_plan(library, doc, level, plan)
        done = {n.cluster_key: n for n in tree.at_level(level)}
        upper = _levels_above(len(plan), settings)
        made: list[T.SummaryNode] = []
        for index, cluster in enumerate(plan, start=1):
            key = _key(cluster)
            if key in done:
                made.append(done[key])
                continue
            cancel.raise_if_cancelled()
            left = (len(plan) - index + 1 + upper) * clock.per_summary if clock.count else None
            yield SummaryProgress(doc.name, level, index, len(plan), written,
                                  clock.tokens_per_s, left)
            children = [by_id[c] for c in cluster]
            node, speed = _summarise(doc, title, children, level, key, len(plan) == 1,
                                     language, template, settings, chat, model, cancel)
            text = _search_text(title, node)
            T.store_summary(library, node, embedder.embed([text])[0], text)
            clock.add(node, speed)
            written += 1
            made.append(node)
            yield SummaryWritten(doc.name, node)
        if len(plan) == 1:
            break
        vectors = _vectors_of(library, [n.chunk_id for n in made])
        nodes = [_Node(n.chunk_id, n.text, max(1, n.eval_tokens or estimate_tokens(n.text)),
                       vectors[n.chunk_id], n.pages, n.position)
                 for n in sorted(made, key=lambda n: n.position)]
        level += 1
    final = T.document_tree(library, doc)
    yield TreeFinished(doc.name, doc.doc_id, final.levels, len(final.nodes), written,
                       sum(n.prompt_tokens for n in final.nodes.values()),
                       sum(n.eval_tokens for n in final.nodes.values()),
                       time.perf_counter() - started)


def _summarise(doc, title, children, level, key, is_root, language, template, settings,  # type: ignore[no-untyped-def]
               chat, model, cancel) -> tuple[T.SummaryNode, float | None]:
    text = "\n\n".join(c.text for c in sorted(children, key=lambda c: c.position))
    messages = summary_messages(template, title, text, settings.words)
    prompt_tokens = sum(estimate_tokens(m["content"]) for m in messages)
    options = GenerationOptions(temperature=0.0, seed=0, num_predict=settings.summary_tokens,
                                num_ctx=prompt_tokens + settings.summary_tokens + CONTEXT_MARGIN)
    clock = time.perf_counter()
    final: ChatDone | None = None
    for event in chat.chat(messages, model, options, cancel):
        if isinstance(event, TokenDelta):
            continue
        final = event
    if final is None or (final.incomplete and cancel.cancelled):
        raise Cancelled()
    if final.incomplete:
        raise LlmError(f"the summary of {doc.name} (level {level}) stopped: {final.error}")
    summary = _clean(final.text, final.truncated)
    if not summary:
        raise LlmError(f"the model {model} wrote an empty summary for {doc.name}; try "
                       "another chat model")
    pages = tuple(sorted({p for c in children for p in c.pages}))
    node = T.SummaryNode(
        chunk_id=f"{doc.doc_id[:16]}-s{level}-{key[:12]}", doc_id=doc.doc_id,
        base_set=doc.chunk_set, level=level, position=min(c.position for c in children),
        cluster_key=key, children=tuple(c.chunk_id for c in children), is_root=is_root,
        text=summary, pages=pages, language=language, model=model,
        prompt=T.prompt_json(messages),
        prompt_tokens=final.prompt_eval_count or prompt_tokens,
        eval_tokens=final.eval_count or estimate_tokens(summary),
        seconds=time.perf_counter() - clock)
    return node, final.tokens_per_second


def _clean(text: str, truncated: bool) -> str:
    """The summary without a heading the model may add; cut at its last full sentence when
    the token limit stopped it mid-sentence."""
    text = text.strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and lines[0].rstrip(":").lower() in ("summary", "résumé", "resume"):
        text = "\n".join(lines[1:]).strip()
    if truncated:
        end = max(text.rfind(". "), text.rfind(".\n"), text.rfind("."))
        if end > len(text) // 2:
            text = text[: end + 1]
    return text


def _search_text(title: str, node: T.SummaryNode) -> str:
    return search_text(title, T.summary_label(node), node.text)


def _leaves(library: Library, doc: S.DocumentRecord) -> list[_Node]:
    table = library.chunks_table
    if table is None:
        return []
    where = f"doc_id = {_quote(doc.doc_id)} AND chunk_set = {_quote(doc.chunk_set)}"
    rows = (table.search().where(where)
            .select(["chunk_id", "text", "token_count", "vector", "pages", "ordinal"])
            .limit(None).to_arrow().to_pylist())
    rows.sort(key=lambda r: r["ordinal"])
    return [_Node(r["chunk_id"], r["text"], max(1, r["token_count"] or 1), r["vector"],
                  tuple(r["pages"] or ()), r["ordinal"]) for r in rows]


def _vectors_of(library: Library, chunk_ids: list[str]) -> dict[str, Any]:
    """The stored vectors of a level's summaries, in one read (not one a summary: 107 reads
    for the AI Act's upper levels)."""
    where = f"chunk_id IN ({', '.join(_quote(c) for c in chunk_ids)})"
    rows = (library.chunks_table.search().where(where).select(["chunk_id", "vector"])
            .limit(None).to_list())
    return {r["chunk_id"]: r["vector"] for r in rows}


def _key(cluster: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted(cluster)).encode()).hexdigest()


def _levels_above(clusters: int, settings: SummarySettings) -> int:
    """About how many summaries the levels above this one will need."""
    total = 0
    while clusters > 1:
        clusters = max(1, math.ceil(clusters * settings.summary_tokens / settings.budget))
        total += clusters
    return total


class _Clock:
    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0
        self.speeds: list[float] = []

    def add(self, node: T.SummaryNode, tokens_per_s: float | None) -> None:
        self.count += 1
        self.seconds += node.seconds
        if tokens_per_s:
            self.speeds.append(tokens_per_s)

    @property
    def per_summary(self) -> float:
        return self.seconds / self.count if self.count else 0.0

    @property
    def tokens_per_s(self) -> float | None:
        """The model's writing speed (Ollama's eval counters), over the latest summaries."""
        recent = self.speeds[-5:]
        return sum(recent) / len(recent) if recent else None


def build_trees(
    library: Library,
    docs: list[S.DocumentRecord],
    embedder: Embedder,
    chat: ChatBackend,
    model: str,
    settings: SummarySettings | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[SummaryEvent]:
    """The trees of several documents, one after the other, then the search indexes updated
    (the summaries are searched without the BM25 index until then, more slowly)."""
    from desktop_rag.core.store.indexes import maintain

    cancel = cancel or CancelToken()
    library.bind_model(embedder)
    try:
        for doc in docs:
            cancel.raise_if_cancelled()
            yield from build_tree(library, doc, embedder, chat, model, settings, cancel)
    finally:
        maintain(library)
