"""A deterministic Ollama-protocol server for tests: the real `ollama` client talks to it.

It speaks the parts of Ollama's HTTP API that desktop-rag uses (version, tags, show, pull and
streamed chat, NDJSON over chunked transfer like the real server), answers with a scripted reply
split into tokens, records every request body, and fails on demand: unknown model (404), a set
HTTP status, a connection cut (or an error line) after N tokens, a slow first token. Stdlib only,
on 127.0.0.1: `with FakeOllama(reply="See [1].") as server: OllamaClient(server.host)...`
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODEL = "llama3.2:1b"
NS_PER_TOKEN = 20_000_000  # reported eval speed: 50 tokens/s
PROMPT_EVAL_NS, LOAD_NS = 150_000_000, 400_000_000


def split_tokens(text: str) -> list[str]:
    """Words with their leading space, and each punctuation mark alone, as tokenizers do."""
    return re.findall(r"\s*\w+|\s*[^\w\s]", text)


def token_logprob(index: int) -> float:
    """The logprob the server reports for the index-th token of a reply; tests recompute it."""
    return -0.05 * (index % 7 + 1)


def model_entry(name: str, context_length: int = 131072, system: str = "",
                parameter_size: str = "1.2B") -> dict[str, Any]:
    family = name.split(":")[0].rstrip("0123456789.") or "llama"
    return {"name": name, "size": 1_321_098_329, "digest": "a80c4f17acd55265feec403c7aef86be",
            "modified_at": "2025-01-02T03:04:05.123456789Z",
            "details": {"format": "gguf", "family": family, "families": [family],
                        "parameter_size": parameter_size, "quantization_level": "Q8_0"},
            "context_length": context_length, "system": system}


class FakeOllama:
    """Settable between requests: reply (or reply_for: request body -> reply, to script answers
    per question), check_reply (to the app's yes/no check after an answer), models,
    fail_status/fail_message, cut_after, first_token_delay, token_delay, pull_error. Read back:
    requests (answer checks under the path "/api/chat#check"), tokens_sent, aborted."""

    def __init__(self, reply: str = "Answer citing [1] and [2].", version: str = "0.12.6") -> None:
        self.reply, self.version = reply, version
        self.reply_for: Callable[[dict[str, Any]], str] | None = None
        self.check_reply = "Yes"
        self.models: dict[str, dict[str, Any]] = {DEFAULT_MODEL: model_entry(DEFAULT_MODEL)}
        self.fail_status: int | None = None  # every POST answers this status
        self.fail_message = "llama runner process has terminated: exit status 2"
        self.cut_after: int | None = None  # close the socket after this many chat tokens
        self.cut_error: str | None = None  # at the cut, send this error line and end instead
        self.first_token_delay = self.token_delay = 0.0  # seconds
        self.pull_error: str | None = None  # streamed as an error line, as Ollama does
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.tokens_sent = 0
        self.aborted = threading.Event()  # the client went away mid-stream
        self._stop = threading.Event()
        self.connections: set[socket.socket] = set()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        # A short poll keeps shutdown() quick: the default 0.5 s would add up over a test file.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def last(self, path: str) -> dict[str, Any]:
        """The body of the latest request to `path`, e.g. '/api/chat'."""
        return [body for p, body in self.requests if p == path][-1]

    def __enter__(self) -> FakeOllama:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        # A stopped Ollama drops its kept-alive connections too; without this, a client's
        # pooled connection would still be served by a handler thread after the stop.
        for connection in list(self.connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)  # interrupted by stop()


def _is_answer_check(body: dict[str, Any]) -> bool:
    from desktop_rag.core.answer.model_check import SYSTEM

    messages = body.get("messages") or [{}]
    return messages[0].get("content") == SYSTEM


class _ClientGone(Exception):
    """The client closed the connection while we were streaming."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, as Ollama

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    @property
    def fake(self) -> FakeOllama:
        return self.server.fake  # type: ignore[attr-defined]

    def handle(self) -> None:
        self.fake.connections.add(self.connection)
        try:
            with contextlib.suppress(ConnectionError):  # clients hang up after a cut or cancel
                super().handle()
        finally:
            self.fake.connections.discard(self.connection)

    def do_GET(self) -> None:
        self.fake.requests.append((self.path, {}))
        if self.path == "/api/version":
            self._json(200, {"version": self.fake.version})
        elif self.path == "/api/tags":
            models = [{k: v for k, v in m.items() if k not in ("context_length", "system")}
                      | {"model": m["name"]} for m in self.fake.models.values()]
            self._json(200, {"models": models})
        else:
            self._json(404, "404 page not found")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        check = self.path == "/api/chat" and _is_answer_check(body)
        self.fake.requests.append((self.path + ("#check" if check else ""), body))
        routes = {"/api/show": self._show, "/api/pull": self._pull, "/api/chat": self._chat,
                  "/api/embed": self._embed}
        if self.path not in routes:
            self._json(404, "404 page not found")
        elif self.fake.fail_status:
            self._json(self.fake.fail_status, {"error": self.fake.fail_message})
        else:
            routes[self.path](body)

    def _known(self, body: dict[str, Any]) -> dict[str, Any] | None:
        name = body.get("model") or body.get("name") or ""
        model = self.fake.models.get(name) or self.fake.models.get(f"{name}:latest")
        if model is None:
            self._json(404, {"error": f"model '{name}' not found"})
        return model

    def _embed(self, body: dict[str, Any]) -> None:
        if self._known(body) is None:
            return
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        # Bag of words hashed into 16 dimensions: texts sharing words get close vectors.
        vectors = []
        for text in texts:
            vector = [0.0] * 16
            for word in re.findall(r"\w+", text.lower()):
                vector[sum(word.encode()) % 16] += 1.0
            vectors.append(vector)
        self._json(200, {"model": body["model"], "embeddings": vectors})

    def _show(self, body: dict[str, Any]) -> None:
        if (m := self._known(body)) is None:
            return
        arch = m["details"]["family"]
        system = f'\nSYSTEM """{m["system"]}"""' if m["system"] else ""
        self._json(200, {
            "modelfile": f"FROM /models/blob\nTEMPLATE \"\"\"{{{{ .Prompt }}}}\"\"\"{system}\n",
            "parameters": 'stop "<|eot_id|>"', "template": "{{ .Prompt }}",
            "system": m["system"], "details": m["details"], "modified_at": m["modified_at"],
            "model_info": {"general.architecture": arch, f"{arch}.context_length":
                           m["context_length"], f"{arch}.embedding_length": 2048},
            "capabilities": ["completion", "tools"],
        })

    def _pull(self, body: dict[str, Any]) -> None:
        self._start_stream()
        try:
            self._line({"status": "pulling manifest"})
            if self.fake.pull_error:
                self._line({"error": self.fake.pull_error})
                return self._end_stream()
            digest = "sha256:" + "ab" * 32
            for done in range(0, 1001, 250):
                self._line({"status": f"pulling {digest[7:19]}", "digest": digest,
                            "total": 1000, "completed": done})
                self.fake.wait(self.fake.token_delay)
            for status in ("verifying sha256 digest", "writing manifest", "success"):
                self._line({"status": status})
            self.fake.models[body["model"]] = model_entry(body["model"])
            self._end_stream()
        except _ClientGone:
            self.fake.aborted.set()

    def _chat(self, body: dict[str, Any]) -> None:
        if self._known(body) is None:
            return
        model, options = body["model"], body.get("options") or {}
        if _is_answer_check(body):
            reply = self.fake.check_reply
        else:
            reply = self.fake.reply_for(body) if self.fake.reply_for else self.fake.reply
        tokens, reason, limit = split_tokens(reply), "stop", options.get("num_predict")
        if isinstance(limit, int) and 0 < limit < len(tokens):
            tokens, reason = tokens[:limit], "length"
        prompt_tokens = sum(len(split_tokens(m.get("content", ""))) for m in body["messages"])
        final = {"done": True, "done_reason": reason, "total_duration": LOAD_NS + PROMPT_EVAL_NS
                 + NS_PER_TOKEN * len(tokens), "load_duration": LOAD_NS,
                 "prompt_eval_count": prompt_tokens, "prompt_eval_duration": PROMPT_EVAL_NS,
                 "eval_count": len(tokens), "eval_duration": NS_PER_TOKEN * len(tokens)}
        if body.get("stream", True) is False:
            message = {"role": "assistant", "content": "".join(tokens)}
            return self._json(200, self._part(model, message, True) | final)
        self._start_stream()
        self.fake.wait(self.fake.first_token_delay)
        try:
            for i, token in enumerate(tokens):
                if self.fake.cut_after is not None and i >= self.fake.cut_after:
                    if self.fake.cut_error:  # as Ollama reports a runner that died mid-answer
                        self._line({"error": self.fake.cut_error})
                        return self._end_stream()
                    # Drop the connection without the closing chunk, as a crashed server would.
                    self.close_connection = True
                    return self.connection.shutdown(socket.SHUT_RDWR)
                part = self._part(model, {"role": "assistant", "content": token}, False)
                if body.get("logprobs"):
                    part["logprobs"] = [_logprob(token, i, int(body.get("top_logprobs") or 0))]
                self._line(part)
                self.fake.tokens_sent += 1
                self.fake.wait(self.fake.token_delay)
            self._line(self._part(model, {"role": "assistant", "content": ""}, True) | final)
            self._end_stream()
        except _ClientGone:
            self.fake.aborted.set()

    def _part(self, model: str, message: dict[str, str], done: bool) -> dict[str, Any]:
        created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        return {"model": model, "created_at": created, "message": message, "done": done}

    def _json(self, status: int, payload: dict[str, Any] | str) -> None:
        """A whole body: JSON, or plain text as Go's router answers an unknown path."""
        text = payload if isinstance(payload, str) else json.dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if isinstance(payload, str)
                         else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(text.encode())))
        self.end_headers()
        self.wfile.write(text.encode())

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _line(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode() + b"\n"
        self._send(b"%x\r\n%s\r\n" % (len(data), data))

    def _end_stream(self) -> None:
        self._send(b"0\r\n\r\n")  # the last, empty chunk

    def _send(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError as exc:  # broken pipe or reset: the client closed the stream
            self.close_connection = True
            raise _ClientGone() from exc


def _logprob(token: str, index: int, top_n: int) -> dict[str, Any]:
    """Ollama's shape, `bytes` included (the python client drops it)."""
    entry = {"token": token, "logprob": token_logprob(index), "bytes": list(token.encode())}
    alternatives = [{"token": f"alt{k}", "logprob": entry["logprob"] - k, "bytes": []}
                    for k in range(1, top_n)]
    return entry | {"top_logprobs": ([entry] + alternatives)[:top_n]}
