"""Reading a streamed chat: parts pumped off a helper thread so that a cancel is seen within
50 ms even while Ollama is silent, and turned into TokenDelta events closed by one ChatDone."""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from desktop_rag.core.errors import DesktopRagError, OllamaRequestError
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm.types import ChatDone, TokenDelta, TokenLogprob

_POLL_S = 0.05  # how often a waiting stream looks at its cancel token
LOST = "connection to Ollama lost mid-answer"


class Answer:
    """Collects the streamed parts of one answer into the ChatDone."""

    def __init__(self, model: str, t0: float) -> None:
        self.model, self.t0 = model, t0
        self.started: float | None = None  # when the first text arrived
        self.texts: list[str] = []
        self.logprobs: list[TokenLogprob] = []
        self.final: Any = None  # Ollama's last part, with done and the counters

    def take(self, part: Any) -> TokenDelta | None:
        text = value_of(value_of(part, "message"), "content") or ""
        logprobs = read_logprobs(part)
        if value_of(part, "done"):
            self.final = part
        if not text and not logprobs:
            return None
        if text and self.started is None:
            self.started = time.monotonic()
        self.texts.append(text)
        self.logprobs.extend(logprobs)
        return TokenDelta(text, logprobs)

    def finish(self, done_reason: str | None = None, error: str | None = None) -> ChatDone:
        final, lps = self.final, list(self.logprobs)
        count, eval_s = value_of(final, "eval_count"), seconds(value_of(final, "eval_duration"))
        return ChatDone(
            "".join(self.texts), self.model,
            done_reason=value_of(final, "done_reason") if final is not None else done_reason,
            incomplete=final is None, error=error,
            prompt_eval_count=value_of(final, "prompt_eval_count"), eval_count=count,
            eval_duration_s=eval_s,
            prompt_eval_duration_s=seconds(value_of(final, "prompt_eval_duration")),
            load_duration_s=seconds(value_of(final, "load_duration")),
            total_duration_s=seconds(value_of(final, "total_duration")),
            tokens_per_second=count / eval_s if count and eval_s else None,
            time_to_first_token_s=None if self.started is None else self.started - self.t0,
            wall_time_s=time.monotonic() - self.t0, logprobs=lps,
            perplexity=math.exp(-sum(lp.logprob for lp in lps) / len(lps)) if lps else None)


def pumped(open_stream: Callable[[], Iterator[Any]], cancel: CancelToken) -> Iterator[Any]:
    """The parts of a blocking stream, read on a helper thread; ends soon after `cancel`.

    Between two parts the ollama client blocks in a socket read (a model can take a minute to
    load before its first token), where no token can be checked. So the parts are read on a
    thread and the token is polled here; on cancel, or when the consumer stops, the reader
    closes the stream at its next part, which drops the connection and stops Ollama generating.
    """
    parts: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        stream = None
        try:
            stream = open_stream()
            for part in stream:
                if stop.is_set():
                    break
                parts.put(("part", part))
            parts.put(("end", None))
        except BaseException as exc:  # handed to the consuming thread, which raises it
            parts.put(("error", exc))
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # the generator's `with` closes the HTTP response

    threading.Thread(target=read, name="ollama-stream", daemon=True).start()
    try:
        while not cancel.cancelled:
            try:
                kind, value = parts.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


def mid_answer(error: DesktopRagError, exc: BaseException) -> str:
    """Why an answer stopped after its first token, for ChatDone.error."""
    import httpx

    if isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.TimeoutException):
        return f"{LOST}: {exc}"
    # An error line in the stream (the runner crashed) or a timeout: the server's own words.
    detail = error.detail if isinstance(error, OllamaRequestError) else error.user_message
    return f"Ollama stopped mid-answer: {detail}"


def value_of(obj: Any, name: str) -> Any:
    """A field of an ollama response object or of a plain dict."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    value = getattr(obj, name, None)
    if value is None:  # a field this ollama version does not declare lands in model_extra
        value = (getattr(obj, "model_extra", None) or {}).get(name)
    return value


def read_logprobs(part: Any) -> list[TokenLogprob]:
    found = []
    for item in value_of(part, "logprobs") or ():
        token, logprob = value_of(item, "token"), value_of(item, "logprob")
        if token is None or logprob is None:
            continue
        top = [
            (str(value_of(t, "token")), float(value_of(t, "logprob")))
            for t in value_of(item, "top_logprobs") or ()
            if value_of(t, "token") is not None and value_of(t, "logprob") is not None
        ]
        found.append(TokenLogprob(str(token), float(logprob), top))
    return found


def seconds(nanoseconds: int | None) -> float | None:
    return nanoseconds / 1e9 if nanoseconds else None
