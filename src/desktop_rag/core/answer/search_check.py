"""How well does search work on my documents? Questions written from a sample of the library's
own chunks, searched as a question of the chat would be, and how often the chunk each question
came from comes back first, and among the passages ask() gives the model.

The questions are written by the chat model when there is one (one short question a passage
answers, in its language), else from the chunk's key sentence: its content words, without stop
words. Key-word questions share their words with their chunk, so they are an easier test than
a person's questions; the report says which writer was used. A document whose chunks are not
found by their own questions (OCR with many errors, tables flattened into numbers, chunks that
all say the same) is where a user's questions will fail too: the report lists the worst ones.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from desktop_rag.core.answer.grounding import STOP_WORDS
from desktop_rag.core.events import CancelToken
from desktop_rag.core.language import detect_language
from desktop_rag.core.llm.types import GenerationOptions, TokenDelta
from desktop_rag.core.search.hits import SearchOptions

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.llm.client import ChatBackend
    from desktop_rag.core.store.library import Library
    from desktop_rag.core.store.schema import DocumentRecord, StoredChunk

DEFAULT_QUESTIONS = 30
MIN_WORDS = 12  # a chunk shorter than this (a heading, a caption) makes no fair question
KEY_WORDS = 10  # words of a key-sentence question
WORST = 5  # documents listed as the worst
WRITER_OPTIONS = GenerationOptions(temperature=0, num_predict=80, num_ctx=2048, seed=0)
WRITER_PROMPTS = {
    "en": ("You write exam questions. Given a passage, write one short question that the "
           "passage answers. Write it in English. Reply with the question only."),
    "fr": ("Tu écris des questions d'examen. À partir d'un passage, écris une question courte "
           "à laquelle le passage répond. Écris-la en français. Réponds par la question seule."),
}
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)?", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_PREFIX = re.compile(r"^\s*(?:question\s*\d*\s*[:.)-]|q\s*[:.)-])\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CheckProgress:
    done: int
    total: int
    document: str  # of the question being written or searched
    stage: str  # "writing" or "searching"


@dataclass
class Probe:
    """One question, the chunk it came from, and where search put that chunk."""

    document: str
    doc_id: str
    chunk_id: str
    pages: tuple[int, ...]
    question: str
    writer: str  # "model" or "key sentence"
    ocr: bool = False
    table: bool = False
    rank: int | None = None  # of the source chunk in the hits; None: not returned
    in_prompt: bool = False  # among the relevant hits, the passages ask() gives the model


@dataclass
class DocumentFigures:
    document: str
    doc_id: str
    questions: int
    first: float  # share of its questions whose chunk came back first
    in_prompt: float
    hints: list[str] = field(default_factory=list)  # "read by OCR", "tables"


@dataclass
class SearchCheckReport:
    library: str
    writer: str  # the model's name, or "key sentences"
    options: dict[str, Any]
    probes: list[Probe]
    documents: list[DocumentFigures]
    seconds: float
    cancelled: bool = False

    @property
    def first(self) -> float | None:
        return _share([p.rank == 1 for p in self.probes])

    @property
    def in_prompt(self) -> float | None:
        return _share([p.in_prompt for p in self.probes])

    @property
    def worst(self) -> list[DocumentFigures]:
        """Documents where search missed, worst first."""
        missed = [d for d in self.documents if d.in_prompt < 1 or d.first < 1]
        return sorted(missed, key=lambda d: (d.in_prompt, d.first, d.document))[:WORST]

    def to_json(self) -> dict[str, Any]:
        return {"library": self.library, "writer": self.writer, "options": self.options,
                "questions": len(self.probes), "first": self.first,
                "in_prompt": self.in_prompt, "seconds": round(self.seconds, 1),
                "cancelled": self.cancelled,
                "documents": [asdict(d) for d in self.documents],
                "worst": [d.document for d in self.worst],
                "probes": [asdict(p) for p in self.probes]}


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def sample_chunks(library: Library, count: int, seed: int = 0
                  ) -> list[tuple[DocumentRecord, StoredChunk]]:
    """Up to `count` chunks spread over the imported documents (each gets its share, at least
    one), chunks of fewer than MIN_WORDS words only where a document has nothing longer."""
    docs = sorted((d for d in library.documents() if d.state == "imported" and d.chunks),
                  key=lambda d: d.name.lower())
    if not docs or count < 1:
        return []
    rng = random.Random(seed)
    pools = []
    for doc in docs:
        chunks = library.chunks(doc)
        long = [c for c in chunks if len(c.text.split()) >= MIN_WORDS]
        pool = long or chunks
        rng.shuffle(pool)
        pools.append((doc, pool))
    picked: list[tuple[DocumentRecord, StoredChunk]] = []
    round_ = 0
    while len(picked) < count and any(len(pool) > round_ for _, pool in pools):
        for doc, pool in pools:
            if round_ < len(pool) and len(picked) < count:
                picked.append((doc, pool[round_]))
        round_ += 1
    return picked


def key_sentence_question(text: str) -> str:
    """The chunk's sentence with the most distinct content words, as a key-word query."""
    best: list[str] = []
    for sentence in _SENTENCE.split(text):
        words = [w for w in _WORD.findall(sentence) if w.lower() not in STOP_WORDS and len(w) > 1]
        distinct = list(dict.fromkeys(words))
        if len(set(map(str.lower, distinct))) > len(set(map(str.lower, best))):
            best = distinct
    return " ".join(best[:KEY_WORDS])


def clean_question(reply: str) -> str:
    """The first non-empty line of the model's reply, without a 'Question:' label or quotes."""
    for line in reply.splitlines():
        line = _PREFIX.sub("", line.replace("*", "").strip())  # Markdown bold: **Question:**
        line = line.strip().strip("\"'«»“”").strip()
        if line:
            return line
    return ""


def write_question(client: ChatBackend, model: str, chunk: StoredChunk, document: str,
                   language: str, cancel: CancelToken) -> str:
    language = language if language in WRITER_PROMPTS else "en"
    messages = [{"role": "system", "content": WRITER_PROMPTS[language]},
                {"role": "user", "content": f"Passage ({document}):\n{chunk.text}\n\nQuestion:"}]
    text = ""
    for event in client.chat(messages, model, WRITER_OPTIONS, cancel):
        if not isinstance(event, TokenDelta):
            text = event.text
    return clean_question(text)


def check_search_quality(
    library: Library,
    embedder: Embedder,
    options: SearchOptions | None = None,
    questions: int = DEFAULT_QUESTIONS,
    client: ChatBackend | None = None,
    model: str | None = None,
    cancel: CancelToken | None = None,
    seed: int = 0,
) -> Iterator[CheckProgress | SearchCheckReport]:
    """Yield progress for each question written then searched, then the report (also after a
    cancel: the questions written until then, searched). With a client and a model, the model
    writes the questions; a failure of the model (Ollama stopped) ends the run with its
    error."""
    from desktop_rag.core.search.retrieval import Retriever

    cancel = cancel or CancelToken()
    options = options or SearchOptions()
    started = time.perf_counter()
    picked = sample_chunks(library, questions, seed)
    writer = model if client is not None and model else None
    probes: list[Probe] = []
    total = len(picked)
    for done, (doc, chunk) in enumerate(picked):
        if cancel.cancelled:
            break
        yield CheckProgress(done, total, doc.name, "writing")
        if writer:
            language = detect_language([chunk.text], default=library.settings.language)
            question = write_question(client, writer, chunk, doc.name, language,  # type: ignore[arg-type]
                                      cancel)
            if cancel.cancelled:
                break
        else:
            question = ""
        by = "model" if question else "key sentence"
        question = question or key_sentence_question(chunk.text)
        if not question.strip():
            continue
        types = " ".join(chunk.element_types)
        probes.append(Probe(doc.name, doc.doc_id, chunk.chunk_id, chunk.pages, question, by,
                            ocr="OCR" in types, table="Table" in types))
    retriever = Retriever(library, embedder)
    searched: list[Probe] = []
    # A cancel while questions were written still searches those written (milliseconds each),
    # so that the report has them; a cancel while searching stops there.
    cancelled_writing = cancel.cancelled
    for done, probe in enumerate(probes):
        if cancel.cancelled and not cancelled_writing:
            break
        yield CheckProgress(done, len(probes), probe.document, "searching")
        result = retriever.search(probe.question, options)
        for hit in result.hits:
            if hit.chunk_id == probe.chunk_id:
                probe.rank, probe.in_prompt = hit.rank, hit.relevant
                break
        searched.append(probe)
    yield SearchCheckReport(
        library.name, writer or "key sentences",
        {"mode": options.mode, "k": options.k, "fusion": options.fusion}, searched,
        per_document(searched), time.perf_counter() - started, cancelled=cancel.cancelled)


def per_document(probes: list[Probe]) -> list[DocumentFigures]:
    groups: dict[str, list[Probe]] = {}
    for probe in probes:
        groups.setdefault(probe.doc_id, []).append(probe)
    figures = []
    for doc_id, group in groups.items():
        hints = []
        if any(p.ocr for p in group):
            hints.append("read by OCR")
        if any(p.table for p in group):
            hints.append("tables")
        figures.append(DocumentFigures(
            group[0].document, doc_id, len(group), _share([p.rank == 1 for p in group]) or 0.0,
            _share([p.in_prompt for p in group]) or 0.0, hints))
    return sorted(figures, key=lambda d: d.document.lower())
