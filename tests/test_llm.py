"""The Ollama client against FakeOllama: the real `ollama` package speaks HTTP to a local server,
so request shapes, streaming, errors, cancellation and timings are exercised end to end."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama, split_tokens, token_logprob

from desktop_rag.core.errors import (
    ModelNotPulled,
    OllamaRequestError,
    OllamaUnavailable,
    PullFailed,
)
from desktop_rag.core.events import CancelToken
from desktop_rag.core.llm.client import (
    ChatDone,
    GenerationOptions,
    OllamaClient,
    TokenDelta,
    default_host,
    make_client,
)

REPLY = "Answer citing [1] and [2]."
QUESTION = [{"role": "system", "content": "Use the sources."},
            {"role": "user", "content": "What is cited?"}]


@pytest.fixture
def server():
    with FakeOllama(reply=REPLY) as fake:
        yield fake


@pytest.fixture
def client(server: FakeOllama) -> OllamaClient:
    return OllamaClient(server.host, timeout=5)


def dead_host() -> str:
    """A loopback port that nothing listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run(events) -> tuple[list[TokenDelta], ChatDone]:  # type: ignore[no-untyped-def]
    events = list(events)
    assert all(isinstance(e, TokenDelta) for e in events[:-1])
    assert isinstance(events[-1], ChatDone)
    return events[:-1], events[-1]


def test_health_of_a_running_server(client: OllamaClient, server: FakeOllama) -> None:
    status = client.health()
    assert status.reachable and status.version == "0.12.6" and status.error is None
    assert status.host == server.host


def test_health_of_a_dead_port_says_how_to_start_ollama() -> None:
    host = dead_host()
    status = OllamaClient(host).health()
    assert not status.reachable and status.version == ""
    assert host in status.error and "ollama serve" in status.error
    assert "https://ollama.com/download" in status.error


def test_list_and_show(client: OllamaClient, server: FakeOllama) -> None:
    (model,) = client.list_models()
    assert model.name == DEFAULT_MODEL and model.size == 1_321_098_329
    assert (model.family, model.parameter_size, model.quantization) == ("llama", "1.2B", "Q8_0")
    assert isinstance(model.modified, datetime)
    server.models[DEFAULT_MODEL]["system"] = "You answer from the sources."
    details = client.show(DEFAULT_MODEL)
    assert details.context_length == 131072
    assert details.family == "llama" and details.capabilities == ["completion", "tools"]
    assert details.template == "{{ .Prompt }}"
    assert details.system == "You answer from the sources."
    with pytest.raises(ModelNotPulled, match="desktop-rag models pull nosuch"):
        client.show("nosuch")


def test_pull_progress_increases_to_success(client: OllamaClient) -> None:
    events = list(client.pull("qwen3:0.6b"))
    fractions = [e.fraction for e in events if e.fraction is not None]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert events[0].status == "pulling manifest"
    assert events[-1].status == "success" and events[-1].done
    assert "qwen3:0.6b" in [m.name for m in client.list_models()]


def test_pull_error_line_becomes_pull_failed(client: OllamaClient, server: FakeOllama) -> None:
    server.pull_error = "pull model manifest: file does not exist"
    with pytest.raises(PullFailed, match="file does not exist") as caught:
        list(client.pull("nosuch:1b"))
    assert "cannot download the model 'nosuch:1b'" in caught.value.user_message


def test_pull_cancel_ends_with_a_cancelled_part(client: OllamaClient, server: FakeOllama) -> None:
    server.token_delay = 0.1
    cancel = CancelToken()
    seen = []
    for event in client.pull("qwen3:0.6b", cancel):
        seen.append(event)
        if event.fraction is not None:
            cancel.cancel()
    assert seen[-1].status == "cancelled" and not any(e.done for e in seen)
    assert server.aborted.wait(3)


def test_streamed_chat_yields_tokens_in_order_then_timings(
    client: OllamaClient, server: FakeOllama
) -> None:
    server.first_token_delay = 0.2
    started = time.monotonic()
    deltas, done = run(client.chat(QUESTION, DEFAULT_MODEL))
    wall = time.monotonic() - started
    assert [d.text for d in deltas] == split_tokens(REPLY)
    assert done.text == REPLY and done.model == DEFAULT_MODEL
    assert done.done_reason == "stop" and not done.incomplete and done.error is None
    assert done.eval_count == len(split_tokens(REPLY))
    assert done.eval_duration_s == pytest.approx(0.02 * done.eval_count)
    assert done.tokens_per_second == pytest.approx(50.0)
    assert done.prompt_eval_count == 8  # the words and marks of the two messages
    assert done.load_duration_s == pytest.approx(0.4)
    assert 0.2 <= done.time_to_first_token_s <= wall
    assert done.time_to_first_token_s <= done.wall_time_s <= wall
    assert done.logprobs == [] and done.perplexity is None


def test_options_and_messages_are_sent_exactly(client: OllamaClient, server: FakeOllama) -> None:
    options = GenerationOptions(temperature=0.2, top_p=0.9, top_k=30, num_predict=256,
                                num_ctx=8192, seed=42, stop=["\n\nQuestion:", "</answer>"])
    run(client.chat(QUESTION, DEFAULT_MODEL, options))
    body = server.last("/api/chat")
    assert body["options"] == {"temperature": 0.2, "top_p": 0.9, "top_k": 30, "num_predict": 256,
                               "num_ctx": 8192, "seed": 42, "stop": ["\n\nQuestion:", "</answer>"]}
    assert body["messages"] == QUESTION and body["model"] == DEFAULT_MODEL
    assert body["stream"] is True and "logprobs" not in body


def test_unset_options_are_left_to_the_model(client: OllamaClient, server: FakeOllama) -> None:
    run(client.chat(QUESTION, DEFAULT_MODEL, GenerationOptions(temperature=0)))
    assert server.last("/api/chat")["options"] == {"temperature": 0}
    run(client.chat(QUESTION, DEFAULT_MODEL))
    assert "options" not in server.last("/api/chat")


def test_num_predict_reached_is_truncated_not_incomplete(client: OllamaClient) -> None:
    deltas, done = run(client.chat(QUESTION, DEFAULT_MODEL, GenerationOptions(num_predict=3)))
    assert done.text == "".join(split_tokens(REPLY)[:3]) and len(deltas) == 3
    assert done.done_reason == "length" and done.truncated and not done.incomplete


def test_logprobs_are_kept_and_give_the_perplexity(
    client: OllamaClient, server: FakeOllama
) -> None:
    deltas, done = run(client.chat(QUESTION, DEFAULT_MODEL, logprobs=True, top_logprobs=3))
    body = server.last("/api/chat")
    assert body["logprobs"] is True and body["top_logprobs"] == 3
    tokens = split_tokens(REPLY)
    assert [lp.token for d in deltas for lp in d.logprobs] == tokens
    assert [lp.logprob for lp in done.logprobs] == [token_logprob(i) for i in range(len(tokens))]
    first = done.logprobs[0]
    assert first.top == [(tokens[0], token_logprob(0)), ("alt1", token_logprob(0) - 1),
                         ("alt2", token_logprob(0) - 2)]
    mean = sum(token_logprob(i) for i in range(len(tokens))) / len(tokens)
    assert done.perplexity == pytest.approx(math.exp(-mean))
    assert done.perplexity > 1.0


def test_unknown_model_says_how_to_pull_it(client: OllamaClient) -> None:
    with pytest.raises(ModelNotPulled) as caught:
        list(client.chat(QUESTION, "nosuch:7b"))
    assert caught.value.user_message == (
        "the model 'nosuch:7b' is not in Ollama yet; download it with: "
        "desktop-rag models pull nosuch:7b")


def test_server_error_keeps_the_servers_message(client: OllamaClient, server: FakeOllama) -> None:
    server.fail_status = 500
    with pytest.raises(OllamaRequestError) as caught:
        list(client.chat(QUESTION, DEFAULT_MODEL))
    assert caught.value.status == 500
    assert "HTTP 500" in caught.value.user_message
    assert "llama runner process has terminated" in caught.value.user_message


def test_bad_request_is_a_request_error(client: OllamaClient, server: FakeOllama) -> None:
    server.fail_status, server.fail_message = 400, "input length exceeds the context length"
    with pytest.raises(OllamaRequestError, match="exceeds the context length") as caught:
        list(client.chat(QUESTION, DEFAULT_MODEL))
    assert caught.value.status == 400


def test_connection_cut_mid_answer_keeps_the_partial_text(
    client: OllamaClient, server: FakeOllama
) -> None:
    server.cut_after = 3
    deltas, done = run(client.chat(QUESTION, DEFAULT_MODEL))
    assert [d.text for d in deltas] == split_tokens(REPLY)[:3]
    assert done.incomplete and done.text == "".join(split_tokens(REPLY)[:3])
    assert done.error.startswith("connection to Ollama lost mid-answer: ")
    assert done.eval_count is None and done.tokens_per_second is None


def test_error_line_mid_answer_keeps_the_partial_text(
    client: OllamaClient, server: FakeOllama
) -> None:
    server.cut_after, server.cut_error = 2, "llama runner process has terminated: signal: killed"
    deltas, done = run(client.chat(QUESTION, DEFAULT_MODEL))
    assert done.incomplete and done.text == "".join(split_tokens(REPLY)[:2]) and len(deltas) == 2
    assert done.error == (
        "Ollama stopped mid-answer: llama runner process has terminated: signal: killed")


def test_error_line_before_any_token_raises(client: OllamaClient, server: FakeOllama) -> None:
    server.cut_after, server.cut_error = 0, "llama runner process has terminated: signal: killed"
    with pytest.raises(OllamaRequestError, match="signal: killed") as caught:
        list(client.chat(QUESTION, DEFAULT_MODEL))
    assert caught.value.status is None


def test_connection_cut_before_any_token_raises(client: OllamaClient, server: FakeOllama) -> None:
    server.cut_after = 0
    with pytest.raises(OllamaRequestError):
        list(client.chat(QUESTION, DEFAULT_MODEL))


def test_cancel_after_two_tokens_stops_reading(client: OllamaClient, server: FakeOllama) -> None:
    server.reply = " ".join(f"word{i}" for i in range(40))
    server.token_delay = 0.05
    cancel = CancelToken()
    events = []
    for event in client.chat(QUESTION, DEFAULT_MODEL, cancel=cancel):
        events.append(event)
        if len(events) == 2:
            cancel.cancel()
    done = events[-1]
    assert isinstance(done, ChatDone) and len(events) == 3
    assert done.incomplete and done.done_reason == "cancelled" and done.error is None
    assert done.text == "word0 word1"
    assert server.aborted.wait(3), "the server kept streaming to a client that had left"
    assert server.tokens_sent < 40


def test_cancel_while_waiting_for_the_first_token(
    client: OllamaClient, server: FakeOllama
) -> None:
    server.first_token_delay = 10  # a model still loading
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    _, done = run(client.chat(QUESTION, DEFAULT_MODEL, cancel=cancel))
    assert time.monotonic() - started < 2
    assert done.incomplete and done.done_reason == "cancelled" and done.text == ""
    assert done.time_to_first_token_s is None


def test_dead_host_raises_an_actionable_error() -> None:
    host = dead_host()
    client = make_client(host)
    with pytest.raises(OllamaUnavailable) as caught:
        list(client.chat(QUESTION, DEFAULT_MODEL))
    message = caught.value.user_message
    assert message.startswith(f"Ollama is not running at {host}: install it from")
    assert "`ollama serve`" in message and "OLLAMA_HOST" in message
    with pytest.raises(OllamaUnavailable):
        client.list_models()
    with pytest.raises(OllamaUnavailable):
        list(client.pull(DEFAULT_MODEL))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (None, "http://127.0.0.1:11434"),
        ("", "http://127.0.0.1:11434"),
        ("127.0.0.1:11500", "http://127.0.0.1:11500"),
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:8080", "http://gpu-box:8080"),
        (":11500", "http://127.0.0.1:11500"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("http://gpu-box:11434/", "http://gpu-box:11434"),
        ("https://ollama.example.org", "https://ollama.example.org:443"),
        ("http://gpu-box", "http://gpu-box:80"),
        ("http://host:9000/ollama/", "http://host:9000/ollama"),
        ("[::1]:11500", "http://[::1]:11500"),
    ],
)
def test_default_host_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv("OLLAMA_HOST", raising=False)
    else:
        monkeypatch.setenv("OLLAMA_HOST", env)
    assert default_host() == expected


def test_a_setting_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:8080")
    assert default_host("127.0.0.1:9999") == "http://127.0.0.1:9999"
    assert OllamaClient().host == "http://gpu-box:8080"
    with pytest.raises(ValueError, match="use http:// or https://"):
        default_host("ftp://gpu-box")
    with pytest.raises(ValueError, match="port"):
        default_host("gpu-box:99999")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": 2.5}, "temperature must be from 0 to 2, not 2.5"),
        ({"temperature": -0.1}, "temperature must be from 0 to 2"),
        ({"temperature": float("nan")}, "temperature must be a number"),
        ({"top_p": 1.5}, "top_p must be from 0 to 1"),
        ({"top_k": 0}, "top_k must be at least 1"),
        ({"top_k": 2.5}, "top_k must be a whole number"),
        ({"num_predict": 0}, "num_predict must be -1 .no limit."),
        ({"num_predict": -3}, "num_predict must be -1"),
        ({"num_ctx": 0}, "num_ctx must be at least 1"),
        ({"seed": True}, "seed must be a whole number"),
        ({"stop": "\n"}, "stop must be a list of non-empty strings"),
        ({"stop": ["ok", ""]}, "stop must be a list of non-empty strings"),
    ],
)
def test_options_out_of_range_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GenerationOptions(**kwargs)


def test_fake_server_answers_unstreamed_requests_too(server: FakeOllama) -> None:
    import ollama

    response = ollama.Client(server.host).chat(DEFAULT_MODEL, QUESTION, stream=False)
    assert response.message.content == REPLY and response.done
    assert response.eval_count == len(split_tokens(REPLY))


def test_importing_the_client_does_not_import_ollama() -> None:
    code = ("import sys, desktop_rag.core.llm.client; "
            "print(sorted(m for m in ('ollama', 'httpx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
