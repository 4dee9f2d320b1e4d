"""search, ask and models from the command line, against the Ollama test server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.cli import main

NOTE = "Sourdough bread needs a starter, flour, water and salt. Bake the loaf for forty minutes."


@pytest.fixture
def notes(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "bread.txt"
    path.write_text(NOTE, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    return path


def test_search_prints_every_score(notes, capsys):  # type: ignore[no-untyped-def]
    assert main(["search", "how long to bake sourdough bread", "--k", "3"]) == 0
    out = capsys.readouterr()
    header = out.out.splitlines()[0].split()
    assert header[:9] == ["#", "document", "page", "cosine", "bm25", "dense#", "bm25#", "fused",
                          "relevant"]
    assert "bread.txt" in out.out and "weighted blend 0.60 dense" in out.err


def test_search_and_ask_on_a_library_with_no_document_say_so(capsys):  # type: ignore[no-untyped-def]
    assert main(["search", "bread"]) == 0
    assert "has no documents yet" in capsys.readouterr().err
    with FakeOllama(reply="Should not be asked.") as server:
        main(["ask", "How long to bake bread?", "--host", server.host, "--model", DEFAULT_MODEL])
        assert not any(path == "/api/chat" for path, _ in server.requests)
    assert "Should not be asked." not in capsys.readouterr().out


def test_ask_streams_cites_and_keeps_the_conversation(notes, capsys):  # type: ignore[no-untyped-def]
    with FakeOllama(reply="Forty minutes [1].") as server:
        assert main(["ask", "How long to bake sourdough bread?", "--host", server.host,
                     "--model", DEFAULT_MODEL, "--temperature", "0.3", "--seed", "2",
                     "--show-prompt"]) == 0
        out = capsys.readouterr()
        assert "Forty minutes [1]." in out.out and "[1] bread.txt" in out.out
        assert "--- system" in out.err and "num_ctx 4096" in out.err
        conversation = out.err.split("--conversation ")[-1].strip(" )\n")
        assert main(["ask", "And the salt?", "--host", server.host, "--model", DEFAULT_MODEL,
                     "--conversation", conversation]) == 0
        sent = server.last("/api/chat")["messages"]
    assert sent[2] == {"role": "assistant", "content": "Forty minutes [1]."}


def test_ask_without_ollama_says_what_to_do(notes, capsys):  # type: ignore[no-untyped-def]
    assert main(["ask", "How long to bake?", "--host", "http://127.0.0.1:9", "--model", "x"]) == 2
    assert "Ollama is not running at http://127.0.0.1:9" in capsys.readouterr().err


def test_ask_bad_option(notes, capsys):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        assert main(["ask", "q?", "--host", server.host, "--model", DEFAULT_MODEL,
                     "--temperature", "3"]) == 2
    assert "temperature must be from 0 to 2" in capsys.readouterr().err


def test_models_list_and_pull(capsys):  # type: ignore[no-untyped-def]
    with FakeOllama() as server:
        assert main(["models", "--host", server.host]) == 0
        assert DEFAULT_MODEL in capsys.readouterr().out
        assert main(["models", "pull", DEFAULT_MODEL, "--host", server.host]) == 0
        assert "success" in capsys.readouterr().err


def test_ctrl_c_stops_the_answer_and_keeps_it(notes, home):  # type: ignore[no-untyped-def]
    with FakeOllama(reply=" ".join(["word"] * 200)) as server:
        server.token_delay = 0.05
        child = subprocess.Popen(
            [sys.executable, "-m", "desktop_rag", "ask", "How long to bake sourdough bread?",
             "--host", server.host, "--model", DEFAULT_MODEL],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        deadline = time.time() + 120
        while server.tokens_sent < 5 and time.time() < deadline and child.poll() is None:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    assert child.returncode == 1, err
    assert out.count("word") < 200 and "INCOMPLETE: cancelled" in err
    assert "conversation " in err
