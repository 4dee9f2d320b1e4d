"""Plain values of the language model client: sampling options, model facts, progress, chat events.

They carry no behaviour beyond validation, so the command line, the GUI and `ask()` can build,
show and test them without a server. `ChatBackend` is the seam: anything with its `chat()` can
stand in for Ollama. `core.llm.client` re-exports all of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from desktop_rag.core.events import CancelToken

_NUM_PREDICT_RULE = "-1 (no limit), -2 (until the context is full) or at least 1"


@dataclass(frozen=True)
class GenerationOptions:
    """Sampling options; None (or an empty stop list) leaves Ollama's model default."""

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    num_predict: int | None = None
    num_ctx: int | None = None
    seed: int | None = None
    stop: list[str] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        _check_number("temperature", self.temperature, 0.0, 2.0)
        _check_number("top_p", self.top_p, 0.0, 1.0)
        _check_whole("top_k", self.top_k, 1, "at least 1")
        _check_whole("num_ctx", self.num_ctx, 1, "at least 1 token")
        _check_whole("seed", self.seed, None, "")
        _check_whole("num_predict", self.num_predict, -2, _NUM_PREDICT_RULE)
        if self.num_predict == 0:
            raise ValueError(f"num_predict must be {_NUM_PREDICT_RULE}, not 0")
        if self.stop is not None and (
            isinstance(self.stop, str) or not all(isinstance(s, str) and s for s in self.stop)
        ):
            raise ValueError("stop must be a list of non-empty strings")

    def to_ollama(self) -> dict[str, Any]:
        """The `options` object of an Ollama request, without the unset values."""
        values = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "num_predict": self.num_predict,
            "num_ctx": self.num_ctx,
            "seed": self.seed,
            "stop": list(self.stop) if self.stop else None,
        }
        return {k: v for k, v in values.items() if v is not None}


def _check_number(name: str, value: float | None, low: float, high: float) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g}, not {value:g}")


def _check_whole(name: str, value: int | None, low: int | None, wanted: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be {wanted}, not {value}")


@dataclass(frozen=True)
class ServerStatus:
    host: str
    reachable: bool
    version: str = ""
    error: str | None = None  # a sentence for the user when not reachable


@dataclass(frozen=True)
class ModelInfo:
    name: str
    size: int  # bytes on disk
    family: str | None = None
    parameter_size: str | None = None  # as Ollama writes it, e.g. "3.2B"
    quantization: str | None = None  # e.g. "Q4_K_M"
    modified: datetime | None = None
    digest: str | None = None


@dataclass(frozen=True)
class ModelDetails:
    name: str
    family: str | None = None
    parameter_size: str | None = None
    quantization: str | None = None
    context_length: int | None = None  # the most the model was trained for, not num_ctx
    template: str | None = None
    system: str | None = None
    parameters: str | None = None  # the Modelfile PARAMETER lines, as text
    capabilities: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PullProgress:
    """status is Ollama's ('pulling manifest', 'pulling <digest>', 'success') or 'cancelled'."""

    status: str
    digest: str | None = None
    completed: int | None = None
    total: int | None = None

    @property
    def fraction(self) -> float | None:
        if self.total and self.completed is not None:
            return min(1.0, self.completed / self.total)
        return None

    @property
    def done(self) -> bool:
        return self.status == "success"


@dataclass(frozen=True)
class TokenLogprob:
    token: str
    logprob: float
    top: list[tuple[str, float]] = field(default_factory=list)  # alternatives, best first


@dataclass(frozen=True)
class TokenDelta:
    text: str
    logprobs: list[TokenLogprob] = field(default_factory=list)


@dataclass(frozen=True)
class ChatDone:
    """The end of every answer. incomplete: the stream stopped before Ollama's final part
    (done_reason 'cancelled', or `error` says why); the text is then what arrived."""

    text: str
    model: str
    done_reason: str | None = None  # 'stop', 'length' (num_predict reached), 'cancelled'
    incomplete: bool = False
    error: str | None = None
    prompt_eval_count: int | None = None
    eval_count: int | None = None
    eval_duration_s: float | None = None
    prompt_eval_duration_s: float | None = None
    load_duration_s: float | None = None
    total_duration_s: float | None = None
    tokens_per_second: float | None = None  # eval_count / eval_duration, Ollama's counters
    time_to_first_token_s: float | None = None  # measured here, request to first text
    wall_time_s: float = 0.0  # measured here, request to end
    logprobs: list[TokenLogprob] = field(default_factory=list)
    perplexity: float | None = None  # exp(-mean logprob) of the answer's tokens

    @property
    def truncated(self) -> bool:
        return self.done_reason == "length"


ChatEvent = TokenDelta | ChatDone
Messages = Sequence[Mapping[str, str]]


class ChatBackend(Protocol):
    def chat(
        self,
        messages: Messages,
        model: str,
        options: GenerationOptions | None = None,
        cancel: CancelToken | None = None,
        logprobs: bool = False,
        top_logprobs: int = 0,
    ) -> Iterator[ChatEvent]: ...
