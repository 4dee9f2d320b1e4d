"""Ollama client: server health, local models, pulling, and streamed chat with timings.

A thin layer over the official `ollama` package (imported when first used, so importing the core
stays cheap) that turns its exceptions into the typed errors of `core.errors` and its stream into
`TokenDelta` events closed by one `ChatDone`. An answer that stops early (cancelled, connection
lost) still ends with a `ChatDone` holding the partial text, marked incomplete; only a failure
before the first token raises. The values it returns live in `core.llm_types`, re-exported here.
"""

from __future__ import annotations

import math
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from desktop_rag.core.errors import (
    DesktopRagError,
    ModelNotPulled,
    OllamaRequestError,
    OllamaTimeout,
    OllamaUnavailable,
    PullFailed,
)
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm_types import (
    ChatBackend,
    ChatDone,
    ChatEvent,
    GenerationOptions,
    Messages,
    ModelDetails,
    ModelInfo,
    PullProgress,
    ServerStatus,
    TokenDelta,
    TokenLogprob,
)

__all__ = [
    "ChatBackend", "ChatDone", "ChatEvent", "GenerationOptions", "Messages", "ModelDetails",
    "ModelInfo", "OllamaClient", "PullProgress", "ServerStatus", "TokenDelta", "TokenLogprob",
    "default_host", "make_client",
]

DEFAULT_HOST = "http://127.0.0.1:11434"
_POLL_S = 0.05  # how often a waiting stream looks at its cancel token
_LOST = "connection to Ollama lost mid-answer"


def default_host(setting: str | None = None) -> str:
    """The Ollama base URL: the setting, else $OLLAMA_HOST, else the local default.

    Forms follow Ollama's own: `host`, `host:port` and `:port` get http and port 11434;
    `http://host` and `https://host` get ports 80 and 443. Raises ValueError on a bad form.
    """
    raw = (setting or "").strip() or os.environ.get("OLLAMA_HOST", "").strip()
    if not raw:
        return DEFAULT_HOST
    scheme, sep, rest = raw.partition("://")
    if not sep:
        scheme, rest = "http", raw
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"Ollama host '{raw}': use http:// or https://, not {scheme}://")
    hostport, _, path = rest.partition("/")
    try:
        parts = urlsplit(f"//{hostport}")
        port = parts.port or (11434 if not sep else 443 if scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"Ollama host '{raw}': the port must be a number up to 65535") from None
    host = parts.hostname or "127.0.0.1"
    # OLLAMA_HOST=0.0.0.0 is how the server is told to listen everywhere; as an address to
    # connect to it fails on Windows, so the client goes to loopback instead.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    path = path.strip("/")
    return f"{scheme}://{host}:{port}" + (f"/{path}" if path else "")


def make_client(host: str | None = None, timeout: float = 300.0) -> OllamaClient:
    return OllamaClient(host, timeout=timeout)


class OllamaClient:
    """timeout bounds each wait for data (a cold model load can take minutes);
    connect_timeout bounds reaching the server, so a dead host is reported quickly."""

    def __init__(
        self, host: str | None = None, timeout: float = 300.0, connect_timeout: float = 5.0
    ) -> None:
        self.host = default_host(host)
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self._client: Any = None
        self._lock = threading.Lock()

    def _ollama(self) -> Any:
        with self._lock:
            if self._client is None:
                import httpx
                import ollama

                # trust_env: a proxy from the environment must not stand before a local server.
                self._client = ollama.Client(
                    self.host, trust_env=not _is_loopback(self.host),
                    timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout))
            return self._client

    def health(self) -> ServerStatus:
        """Whether Ollama answers at the host, and its version. Never raises."""
        try:
            import httpx  # the ollama package has no call for /api/version

            timeout = httpx.Timeout(min(self.timeout, 10.0), connect=self.connect_timeout)
            with httpx.Client(timeout=timeout, trust_env=not _is_loopback(self.host)) as http:
                response = http.get(f"{self.host}/api/version")
            if response.status_code != 200:
                return ServerStatus(self.host, False, error=(
                    f"{self.host} answered HTTP {response.status_code} to /api/version: it is "
                    "not an Ollama server, or a proxy is in the way; set the Ollama host"))
            return ServerStatus(self.host, True, str(response.json().get("version", "")))
        except Exception as exc:  # a health check reports, it never raises
            error = self._typed(exc)
            message = error.user_message if error else f"cannot reach Ollama at {self.host}: {exc}"
            return ServerStatus(self.host, False, error=message)

    def list_models(self) -> list[ModelInfo]:
        models = [ModelInfo(m.model or "", int(m.size or 0), *_details(m.details), m.modified_at,
                            m.digest) for m in self._call(lambda c: c.list()).models]
        return sorted(models, key=lambda m: m.name)

    def show(self, name: str) -> ModelDetails:
        r = self._call(lambda c: c.show(name), model=name)
        return ModelDetails(
            name, *_details(r.details), context_length=_context_length(r.modelinfo or {}),
            template=r.template or None, parameters=r.parameters or None,
            system=_field(r, "system") or _modelfile_system(r.modelfile or ""),
            capabilities=list(r.capabilities or []))

    def pull(self, name: str, cancel: CancelToken | None = None) -> Iterator[PullProgress]:
        """Ollama's progress parts; ends after 'success', or with a 'cancelled' part."""
        cancel = cancel or CancelToken()
        try:
            for part in _pumped(lambda: self._ollama().pull(name, stream=True), cancel):
                yield (progress := PullProgress(part.status or "", part.digest, part.completed,
                                                part.total))
                if progress.done:
                    return
        except Exception as exc:
            error = self._typed(exc)
            if isinstance(error, OllamaRequestError):  # also an error line in the stream
                error = PullFailed(name, error.detail)
            raise (error or exc) from exc
        if not cancel.cancelled:
            raise PullFailed(name, "Ollama stopped before the download was complete")
        yield PullProgress("cancelled")

    def chat(
        self,
        messages: Messages,
        model: str,
        options: GenerationOptions | None = None,
        cancel: CancelToken | None = None,
        logprobs: bool = False,
        top_logprobs: int = 0,
    ) -> Iterator[ChatEvent]:
        """Streams the answer as TokenDelta events, then one ChatDone.

        Raises the typed error when Ollama fails before the first token; later failures and
        cancellation end the stream with an incomplete ChatDone instead.
        """
        if not 0 <= top_logprobs <= 20:
            raise ValueError(f"top_logprobs must be from 0 to 20, not {top_logprobs}")
        cancel = cancel or CancelToken()
        request: dict[str, Any] = {
            "model": model,
            "messages": [dict(m) for m in messages],
            "stream": True,
            "options": (options or GenerationOptions()).to_ollama() or None,
        }
        if logprobs:  # only then: older ollama clients do not know these arguments
            request["logprobs"] = True
            request["top_logprobs"] = top_logprobs or None
        answer = _Answer(model, time.monotonic())
        try:
            for part in _pumped(lambda: self._ollama().chat(**request), cancel):
                if (delta := answer.take(part)) is not None:
                    yield delta
                if answer.final is not None:
                    break
        except Exception as exc:
            error = self._typed(exc, model)
            if error is None or answer.started is None:
                raise (error or exc) from exc
            yield answer.finish(error=_mid_answer(error, exc))
            return
        if answer.final is not None:
            yield answer.finish()
        elif cancel.cancelled:
            yield answer.finish(done_reason="cancelled")
        elif answer.started is None:
            raise OllamaRequestError(None, "the connection closed before the answer started")
        else:
            yield answer.finish(error=f"{_LOST}: the stream ended before Ollama's final part")

    def embed(self, model: str, texts: list[str]) -> list[list[float]]:
        """Vectors from an Ollama embedding model (/api/embed); over-long texts are truncated."""
        r = self._call(lambda c: c.embed(model=model, input=texts, truncate=True), model=model)
        return [list(v) for v in r.embeddings]

    def _call(self, fn: Callable[[Any], Any], model: str | None = None) -> Any:
        try:
            return fn(self._ollama())
        except Exception as exc:
            raise (self._typed(exc, model) or exc) from exc

    def _typed(self, exc: BaseException, model: str | None = None) -> DesktopRagError | None:
        """The typed error for an exception of ollama/httpx, or None for a bug of ours."""
        import httpx
        import ollama

        if isinstance(exc, DesktopRagError):
            return exc
        if isinstance(exc, ollama.ResponseError):
            detail = str(exc.error)
            # Ollama's 404 names the model ("model 'x' not found"); a 404 without it is a
            # wrong URL, such as a host that is some other web server.
            if exc.status_code == 404 and model and "model" in detail.lower():
                return ModelNotPulled(model)
            return OllamaRequestError(exc.status_code if exc.status_code > 0 else None, detail)
        # The ollama client turns httpx.ConnectError (refused, DNS) into ConnectionError.
        if isinstance(exc, ConnectionError | httpx.ConnectError | httpx.ConnectTimeout):
            return OllamaUnavailable(self.host)
        if isinstance(exc, httpx.TimeoutException):
            return OllamaTimeout(self.host, self.timeout)
        if isinstance(exc, httpx.TransportError):
            return OllamaRequestError(None, f"the connection to Ollama failed: {exc}")
        if isinstance(exc, ValueError):  # a line that is not JSON or not Ollama's shape
            return OllamaRequestError(None, f"unexpected answer from Ollama: {exc}")
        return None


class _Answer:
    """Collects the streamed parts of one answer into the ChatDone."""

    def __init__(self, model: str, t0: float) -> None:
        self.model, self.t0 = model, t0
        self.started: float | None = None  # when the first text arrived
        self.texts: list[str] = []
        self.logprobs: list[TokenLogprob] = []
        self.final: Any = None  # Ollama's last part, with done and the counters

    def take(self, part: Any) -> TokenDelta | None:
        text = _field(_field(part, "message"), "content") or ""
        logprobs = _read_logprobs(part)
        if _field(part, "done"):
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
        count, eval_s = _field(final, "eval_count"), _seconds(_field(final, "eval_duration"))
        return ChatDone(
            "".join(self.texts), self.model,
            done_reason=_field(final, "done_reason") if final is not None else done_reason,
            incomplete=final is None, error=error,
            prompt_eval_count=_field(final, "prompt_eval_count"), eval_count=count,
            eval_duration_s=eval_s,
            prompt_eval_duration_s=_seconds(_field(final, "prompt_eval_duration")),
            load_duration_s=_seconds(_field(final, "load_duration")),
            total_duration_s=_seconds(_field(final, "total_duration")),
            tokens_per_second=count / eval_s if count and eval_s else None,
            time_to_first_token_s=None if self.started is None else self.started - self.t0,
            wall_time_s=time.monotonic() - self.t0, logprobs=lps,
            perplexity=math.exp(-sum(lp.logprob for lp in lps) / len(lps)) if lps else None)


def _pumped(open_stream: Callable[[], Iterator[Any]], cancel: CancelToken) -> Iterator[Any]:
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


def _mid_answer(error: DesktopRagError, exc: BaseException) -> str:
    """Why an answer stopped after its first token, for ChatDone.error."""
    import httpx

    if isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.TimeoutException):
        return f"{_LOST}: {exc}"
    # An error line in the stream (the runner crashed) or a timeout: the server's own words.
    detail = error.detail if isinstance(error, OllamaRequestError) else error.user_message
    return f"Ollama stopped mid-answer: {detail}"


def _field(obj: Any, name: str) -> Any:
    """A field of an ollama response object or of a plain dict."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    value = getattr(obj, name, None)
    if value is None:  # a field this ollama version does not declare lands in model_extra
        value = (getattr(obj, "model_extra", None) or {}).get(name)
    return value


def _read_logprobs(part: Any) -> list[TokenLogprob]:
    found = []
    for item in _field(part, "logprobs") or ():
        token, logprob = _field(item, "token"), _field(item, "logprob")
        if token is None or logprob is None:
            continue
        top = [
            (str(_field(t, "token")), float(_field(t, "logprob")))
            for t in _field(item, "top_logprobs") or ()
            if _field(t, "token") is not None and _field(t, "logprob") is not None
        ]
        found.append(TokenLogprob(str(token), float(logprob), top))
    return found


def _context_length(model_info: Mapping[str, Any]) -> int | None:
    arch = model_info.get("general.architecture")
    if isinstance(model_info.get(f"{arch}.context_length"), int):
        return int(model_info[f"{arch}.context_length"])
    for key, value in model_info.items():
        if key.endswith(".context_length") and isinstance(value, int):
            return value
    return None


def _modelfile_system(modelfile: str) -> str | None:
    """SYSTEM of a Modelfile: the python client drops the `system` field of /api/show."""
    match = re.search(r'^SYSTEM\s+"""(.*?)"""', modelfile, re.MULTILINE | re.DOTALL)
    match = match or re.search(r"^SYSTEM\s+(.*)$", modelfile, re.MULTILINE)
    return match.group(1).strip() or None if match else None


def _details(details: Any) -> tuple[str | None, str | None, str | None]:
    """family, parameter_size, quantization of an ollama ModelDetails."""
    if details is None:
        return None, None, None
    return details.family, details.parameter_size, details.quantization_level


def _seconds(nanoseconds: int | None) -> float | None:
    return nanoseconds / 1e9 if nanoseconds else None


def _is_loopback(host: str) -> bool:
    name = urlsplit(host).hostname or ""
    return name == "localhost" or name.startswith("127.") or name == "::1"
