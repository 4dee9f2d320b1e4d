"""Ollama client: server health, local models, pulling, and streamed chat with timings.

A thin layer over the official `ollama` package (imported when first used, so importing the core
stays cheap) that turns its exceptions into the typed errors of `core.errors` and its stream into
`TokenDelta` events closed by one `ChatDone`. An answer that stops early (cancelled, connection
lost) still ends with a `ChatDone` holding the partial text, marked incomplete; only a failure
before the first token raises. The values it returns live in `core.llm.types`, re-exported here.
"""

from __future__ import annotations

import os
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
from desktop_rag.core.llm.stream import LOST, Answer, mid_answer, pumped, value_of
from desktop_rag.core.llm.types import (
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
            system=value_of(r, "system") or _modelfile_system(r.modelfile or ""),
            capabilities=list(r.capabilities or []))

    def pull(self, name: str, cancel: CancelToken | None = None) -> Iterator[PullProgress]:
        """Ollama's progress parts; ends after 'success', or with a 'cancelled' part."""
        cancel = cancel or CancelToken()
        try:
            for part in pumped(lambda: self._ollama().pull(name, stream=True), cancel):
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
        answer = Answer(model, time.monotonic())
        try:
            for part in pumped(lambda: self._ollama().chat(**request), cancel):
                if (delta := answer.take(part)) is not None:
                    yield delta
                if answer.final is not None:
                    break
        except Exception as exc:
            error = self._typed(exc, model)
            if error is None or answer.started is None:
                raise (error or exc) from exc
            yield answer.finish(error=mid_answer(error, exc))
            return
        if answer.final is not None:
            yield answer.finish()
        elif cancel.cancelled:
            yield answer.finish(done_reason="cancelled")
        elif answer.started is None:
            raise OllamaRequestError(None, "the connection closed before the answer started")
        else:
            yield answer.finish(error=f"{LOST}: the stream ended before Ollama's final part")

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


def _is_loopback(host: str) -> bool:
    name = urlsplit(host).hostname or ""
    return name == "localhost" or name.startswith("127.") or name == "::1"
