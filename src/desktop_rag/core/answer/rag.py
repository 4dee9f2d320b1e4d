"""Ask a question of a library: retrieve, build the prompt, stream the answer, resolve citations.

`ask()` is a generator, like the import: it yields the retrieval result, then the prompt, then
the answer's tokens as they stream, then the final `Answer` holding everything a user may want
to check (passages and their scores, the exact messages and options, timings, log-probabilities).
When no passage passes the relevance rule, the model is not asked at all: the answer says that
the documents do not contain it, instead of letting the model improvise.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from desktop_rag.core.answer.citation_repair import CitationRepair, repair_citations
from desktop_rag.core.answer.citations import CITATION, cited_numbers, normalise_citations
from desktop_rag.core.answer.consistency import Draws, draw_again
from desktop_rag.core.answer.conversations import Conversation, Turn
from desktop_rag.core.answer.evidence import closest_sentences
from desktop_rag.core.answer.grounding import Grounding, check_grounding
from desktop_rag.core.answer.model_check import (
    ModelCheck,
    check_is_on,
    check_with_model,
    passages_to_check,
)
from desktop_rag.core.answer.prompt import (
    DEFAULT_TEMPLATES,
    BuiltPrompt,
    PromptTemplate,
    build_prompt,
)
from desktop_rag.core.answer.refusal import says_not_in_documents
from desktop_rag.core.events import CancelToken
from desktop_rag.core.language import detect_language
from desktop_rag.core.llm.client import ChatDone, GenerationOptions, TokenDelta, TokenLogprob
from desktop_rag.core.search.hits import Hit, SearchOptions, SearchResult

if TYPE_CHECKING:
    from desktop_rag.core.embed.base import Embedder
    from desktop_rag.core.llm.client import ChatBackend
    from desktop_rag.core.store.library import Library

DEFAULT_NUM_CTX = 4096
DEFAULT_ANSWER_TOKENS = 512

NOTHING_FOUND = {
    "en": "The documents of the library \"{library}\" do not contain anything relevant to this "
          "question (no passage reached the relevance threshold), so it was not sent to the model.",
    "fr": "Les documents de la bibliothèque « {library} » ne contiennent rien de pertinent pour "
          "cette question (aucun passage n'atteint le seuil de pertinence) ; elle n'a donc pas "
          "été envoyée au modèle.",
}


@dataclass
class AskSettings:
    model: str = "qwen2.5-coder:0.5b"
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    search: SearchOptions = field(default_factory=SearchOptions)
    language: str = "auto"  # of the prompt: auto follows the question
    templates: dict[str, PromptTemplate] = field(default_factory=dict)  # user edits by language
    logprobs: bool = False
    top_logprobs: int = 0
    # After each answer, ask the model whether the passage it cites answers the question (and
    # after a refusal, whether the best passage does). None: automatic, on for models of 1.5B
    # parameters or more (model_check.check_is_on); the caller, who knows the model's size,
    # settles it with `settled(...)` before ask(), which runs no check for None.
    model_check: bool | None = None
    # After each answer, draw it again this many times with sampling, to see whether the model
    # sticks to it (core/answer/consistency.py); 0: not drawn again.
    draws: int = 0
    # Sentences of the passages closest to the question quoted under them (evidence.py), for
    # small models that answer from the wrong sentence; 0: none.
    evidence: int = 2

    def template(self, language: str) -> PromptTemplate:
        return self.templates.get(language) or DEFAULT_TEMPLATES[language]

    def settled(self, parameter_size: str | None) -> AskSettings:
        """These settings with the model check decided for a model of that size."""
        return replace(self, model_check=check_is_on(self.model_check, parameter_size))


@dataclass(frozen=True)
class Retrieved:
    result: SearchResult


@dataclass(frozen=True)
class PromptReady:
    prompt: BuiltPrompt
    options: dict[str, Any]


@dataclass(frozen=True)
class Checking:
    """The answer is written; the model is being asked whether its passage answers."""

    passages: list[int]


@dataclass(frozen=True)
class LookingAgain:
    """The model said the passages do not answer, but its check says passage `passage` does:
    the question is asked again with that passage alone (what was streamed is replaced)."""

    passage: int
    check: ModelCheck


@dataclass(frozen=True)
class DrawingAgain:
    """The answer is written; the model is asked the same question `draws` more times."""

    draws: int


@dataclass
class SecondLook:
    """An answer written on a second look: the first reply, and the prompt it came from."""

    passage: int  # the passage asked about again (its number in the first prompt)
    first_text: str  # the model's first reply ("The documents do not say.")
    first_messages: list[dict[str, str]]
    seconds: float  # the check and the second answer: the wait the second look added


@dataclass
class Citation:
    number: int
    hit: Hit


@dataclass
class Answer:
    question: str
    text: str
    model: str
    language: str
    hits: list[Hit]
    citations: list[Citation]
    unresolved: list[int]  # [n] the model wrote that match no passage
    messages: list[dict[str, str]]
    options: dict[str, Any]
    nothing_relevant: bool = False
    # The answer is "not in your documents": nothing relevant was found, or the model said
    # that the passages do not contain the answer (English or French wording).
    not_in_documents: bool = False
    # Each sentence checked against the passages it cites (None: the model was not asked).
    grounding: Grounding | None = None
    # What the model wrote, before its citations were normalised and repaired ("": the same).
    model_text: str = ""
    citation_repairs: list[CitationRepair] = field(default_factory=list)
    # The model's yes/no on whether the cited passage answers (None: not asked). A "no" makes
    # the answer not_in_documents.
    model_check: ModelCheck | None = None
    # Set when the model's refusal was followed by a second look at the best passage (the
    # model check on): what it first said and asked. None: answered at the first try.
    second_look: SecondLook | None = None
    # The answer drawn again with sampling (None: not asked); unsteady ones are flagged.
    draws: Draws | None = None
    dropped_passages: int = 0
    dropped_turns: int = 0
    budget: dict[str, int] = field(default_factory=dict)
    retrieval_ms: float = 0.0
    time_to_first_token_s: float | None = None
    tokens_per_second: float | None = None
    eval_count: int | None = None
    total_s: float = 0.0
    incomplete: bool = False
    error: str | None = None
    done_reason: str | None = None
    logprobs: list[TokenLogprob] = field(default_factory=list)
    perplexity: float | None = None
    fusion: str = ""

    @property
    def unsteady(self) -> bool:
        """Drawn again, the model mostly gave another answer (refusals count for neither)."""
        return bool(self.draws and self.draws.unsteady and not self.not_in_documents)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [{"number": c.number, "chunk_id": c.hit.chunk_id}
                             for c in self.citations]
        data["grounding_flagged"] = bool(self.grounding and self.grounding.flagged) or bool(
            self.model_check and self.model_check.verdict == "no") or self.unsteady
        data["unsteady"] = self.unsteady
        return data


def _stream(client: ChatBackend, messages: list[dict[str, str]], settings: AskSettings,
            options: GenerationOptions, cancel: CancelToken,
            ) -> Generator[TokenDelta, None, ChatDone]:
    done: ChatDone | None = None
    for event in client.chat(messages, settings.model, options, cancel,
                             logprobs=settings.logprobs, top_logprobs=settings.top_logprobs):
        if isinstance(event, TokenDelta):
            yield event
        else:
            done = event
    assert done is not None
    return done


def _read(answer: Answer, written: str, passages: list[Hit], question: str,
          embedder: Embedder) -> None:
    """The answer's text, citations and grounding from what the model wrote."""
    text = normalise_citations(written)
    grounding = check_grounding(text, passages, question, embedder)
    answer.text, answer.citation_repairs = repair_citations(text, grounding)
    if answer.citation_repairs:
        grounding = check_grounding(answer.text, passages, question, embedder)
    answer.model_text = written if answer.text != written else ""
    answer.grounding = grounding
    answer.citations, answer.unresolved = resolve_citations(answer.text, passages)
    answer.not_in_documents = says_not_in_documents(answer.text)


def _second_look(answer: Answer, done: ChatDone, prompt: BuiltPrompt, question: str,
                 settings: AskSettings, options: GenerationOptions, embedder: Embedder,
                 client: ChatBackend, cancel: CancelToken, library: str,
                 history: list[tuple[str, str]], language: str,
                 ) -> Generator[Checking | LookingAgain | PromptReady | TokenDelta, None,
                                ChatDone]:
    """The model said the passages do not answer: its check is asked about the best passage
    alone, and when it says yes, the question is asked again with that passage alone."""
    number = len(prompt.passages)  # the best passage is the last one
    best = prompt.passages[-1]
    looked = time.perf_counter()
    yield Checking([number])
    check = check_with_model(question, [best.text], [number], client, settings.model, cancel)
    answer.model_check = check
    if check.verdict != "yes" or cancel.cancelled:
        return done
    yield LookingAgain(number, check)
    again = build_prompt(settings.template(language), library, question, [best], history,
                         prompt.budget.num_ctx, prompt.budget.reserved_for_answer, mark=False)
    yield PromptReady(again, answer.options)
    second = yield from _stream(client, again.messages, settings, options, cancel)
    first = answer.text
    # One passage was shown: whatever it cites is that passage, under its first number.
    _read(answer, CITATION.sub(f"[{number}]", normalise_citations(second.text)),
          prompt.passages, question, embedder)
    answer.second_look = SecondLook(number, first, prompt.messages,
                                    time.perf_counter() - looked)
    answer.messages = again.messages
    # What the check said yes to is the passage the new answer comes from, unless it refuses
    # again: then the documents do not say, as the model said twice.
    return second


def _draw_again(answer: Answer, settings: AskSettings, options: GenerationOptions,
                client: ChatBackend, cancel: CancelToken) -> Iterator[DrawingAgain]:
    yield DrawingAgain(settings.draws)
    answer.draws = draw_again(answer.messages, answer.text, answer.question, settings.model,
                              options, client, cancel, settings.draws)


def resolve_citations(text: str, passages: list[Hit]) -> tuple[list[Citation], list[int]]:
    """[n] markers in order of first appearance; numbers with no passage are returned apart."""
    numbers = cited_numbers(text)
    citations = [Citation(n, passages[n - 1]) for n in numbers if 1 <= n <= len(passages)]
    unresolved = [n for n in numbers if not 1 <= n <= len(passages)]
    return citations, unresolved


def ask(
    question: str,
    conversation: Conversation,
    settings: AskSettings,
    library: Library,
    embedder: Embedder,
    client: ChatBackend,
    cancel: CancelToken | None = None,
    context_length: int | None = None,
) -> Iterator[Retrieved | PromptReady | TokenDelta | Checking | LookingAgain | Answer]:
    """Yield Retrieved, PromptReady, TokenDelta..., DrawingAgain (when the answer is drawn
    again), Checking (when the model checks its answer),
    LookingAgain, PromptReady and TokenDelta... again (a second look after a refusal), then the
    Answer (also added to the conversation). context_length: the model's maximum,
    when known, caps num_ctx."""
    # Imported here: the search loads LanceDB and Arrow, which the window's first paint need not.
    from desktop_rag.core.search.retrieval import Retriever

    cancel = cancel or CancelToken()
    started = time.perf_counter()
    language = settings.language
    if language not in DEFAULT_TEMPLATES:
        language = detect_language([question], default=library.settings.language)
    result = Retriever(library, embedder).search(question, settings.search)
    yield Retrieved(result)
    relevant = result.relevant_hits
    for hit in result.hits:
        if not hit.relevant:
            hit.dropped = hit.dropped or "left out: below the relevance threshold"
    answer = Answer(question, "", settings.model, language, result.hits, [], [], [], {},
                    retrieval_ms=result.timings_ms.get("total", 0.0), fusion=result.fusion)
    if not relevant:
        answer.text = NOTHING_FOUND[language].format(library=library.name)
        answer.nothing_relevant = answer.not_in_documents = True
        answer.total_s = time.perf_counter() - started
        conversation.add(Turn(question, answer.text, record=answer.to_dict()))
        yield answer
        return
    generation = settings.generation
    num_ctx = generation.num_ctx or DEFAULT_NUM_CTX
    if context_length:
        num_ctx = min(num_ctx, context_length)
    reserved = generation.num_predict if generation.num_predict and generation.num_predict > 0 \
        else DEFAULT_ANSWER_TOKENS
    evidence = closest_sentences(question, relevant, embedder, settings.evidence,
                                 question_vector=result.query_vector)
    prompt = build_prompt(settings.template(language), library.name, question, relevant,
                          conversation.history(), num_ctx, reserved, evidence=evidence,
                          language=language)
    options = replace(generation, num_ctx=num_ctx)
    answer.messages = prompt.messages
    answer.options = options.to_ollama()
    answer.dropped_passages = len(prompt.dropped_passages)
    answer.dropped_turns = prompt.dropped_turns
    answer.budget = {"num_ctx": num_ctx, "answer": reserved, "system": prompt.budget.system,
                     "history": prompt.budget.history, "passages": prompt.budget.passages,
                     "question": prompt.budget.question, "room_left": prompt.budget.room_left}
    yield PromptReady(prompt, answer.options)
    done = yield from _stream(client, prompt.messages, settings, options, cancel)
    _read(answer, done.text, prompt.passages, question, embedder)
    numbers = passages_to_check(answer.text, grounding=answer.grounding,
                                count=len(prompt.passages))
    first_token_s = done.time_to_first_token_s  # what the user waited for the first word
    # Drawn again before the model check: the answer's prompt is still in the model's cache.
    if settings.draws > 0 and not answer.not_in_documents and not done.incomplete:
        yield from _draw_again(answer, settings, options, client, cancel)
    if settings.model_check and answer.not_in_documents and prompt.passages \
            and not done.incomplete:
        done = yield from _second_look(answer, done, prompt, question, settings, options,
                                       embedder, client, cancel, library.name,
                                       conversation.history(), language)
        if settings.draws > 0 and answer.second_look and not answer.not_in_documents \
                and not done.incomplete:
            yield from _draw_again(answer, settings, options, client, cancel)
    elif settings.model_check and numbers and not answer.not_in_documents \
            and not done.incomplete:
        yield Checking(numbers)
        answer.model_check = check_with_model(
            question, [prompt.passages[n - 1].text for n in numbers], numbers, client,
            settings.model, cancel)
        answer.not_in_documents = answer.model_check.verdict == "no"
    answer.time_to_first_token_s = first_token_s
    answer.tokens_per_second = done.tokens_per_second
    answer.eval_count = done.eval_count
    answer.incomplete, answer.error, answer.done_reason = done.incomplete, done.error, \
        done.done_reason
    answer.logprobs, answer.perplexity = list(done.logprobs), done.perplexity
    answer.total_s = time.perf_counter() - started
    conversation.add(Turn(question, answer.text, incomplete=answer.incomplete,
                          record=answer.to_dict()))
    yield answer
