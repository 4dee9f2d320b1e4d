"""The command line as a user types it: exit codes, messages, libraries."""

from __future__ import annotations

import shutil

from desktop_rag.cli import main


def test_import_docs_chunks_remove(corpus, tmp_path, capsys):
    shutil.copy(corpus / "fake.odt", tmp_path / "fake.odt")
    shutil.copy(corpus / "pdf/password.pdf", tmp_path / "password.pdf")
    assert main(["import", str(tmp_path)]) == 1  # one file failed
    out = capsys.readouterr()
    assert "1 imported (1 chunks), 0 skipped, 1 failed" in out.out
    assert "encrypted: password required" in out.out
    assert main(["import", str(tmp_path / "fake.odt")]) == 0
    assert "unchanged" in capsys.readouterr().out

    assert main(["chunks", "fake"]) == 0
    out = capsys.readouterr().out
    assert "fake.odt: 1 chunks" in out and "Header row | Mon" in out
    assert main(["rechunk", "fake.odt", "--strategy", "tokens", "--max-tokens", "16",
                 "--overlap", "4", "--preview"]) == 0
    assert "4 chunks (now 1); nothing was changed" in capsys.readouterr().out
    assert main(["remove", "fake.odt"]) == 0
    assert "removed fake.odt (1 chunks)" in capsys.readouterr().out
    assert main(["chunks", "fake.odt"]) == 2
    assert "no document matches 'fake.odt'" in capsys.readouterr().err


def test_libraries(capsys, corpus):
    assert main(["library", "create", "cours", "--language", "fr", "--strategy", "page",
                 "--select"]) == 0
    assert "(now current)" in capsys.readouterr().out
    assert main(["library"]) == 0
    assert "* cours" in capsys.readouterr().out
    assert main(["library", "show"]) == 0
    out = capsys.readouterr().out
    assert "by page, up to 240 tokens" in out and "fr" in out
    assert main(["--library", "nope", "docs"]) == 2
    assert "there is no library named 'nope'" in capsys.readouterr().err
    assert main(["library", "create", "cours"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["library", "set-chunking", "--overlap", "300"]) == 2
    assert "overlap_tokens" in capsys.readouterr().err


def test_missing_path_and_no_arguments(capsys, tmp_path):
    assert main(["import", str(tmp_path / "missing.pdf")]) == 1
    assert "not found" in capsys.readouterr().out
    assert main([]) == 2


def test_an_empty_question_is_a_one_line_error(capsys):
    for command in (["search", ""], ["search", "   "], ["ask", " "]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("desktop-rag: the question is empty") and err.count("\n") == 1


def _run_into_closed_pipe(*args: str):  # type: ignore[no-untyped-def]
    """The command writing into a pipe whose reader is gone, as `... | head` after head ended."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "desktop_rag.cli", *args], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)


def test_a_pipe_closed_early_ends_the_command_quietly(corpus, tmp_path):
    shutil.copy(corpus / "norwich-city.txt", tmp_path / "norwich-city.txt")
    assert main(["import", str(tmp_path)]) == 0
    for args in (["chunks", "norwich"], ["docs"], ["library"], ["--help"]):
        done = _run_into_closed_pipe(*args)
        assert done.stderr == "", args
        assert done.returncode in (0, 141), args  # help: written at exit, into nothing


def test_an_unexpected_error_is_one_line(monkeypatch, capsys):
    from desktop_rag import cli_commands

    def broken(args):  # type: ignore[no-untyped-def]
        raise RuntimeError("something the code did not expect")

    monkeypatch.setattr(cli_commands, "cmd_library_list", broken)
    assert main(["library"]) == 2
    err = capsys.readouterr().err
    assert err == ("desktop-rag: internal error (RuntimeError: something the code did not "
                   "expect); DESKTOP_RAG_DEBUG=1 shows where\n")


def test_a_missing_path_is_reported_before_anything_loads(tmp_path):
    """'not found' at once: the library and the models (tens of seconds) load only for files."""
    import subprocess
    import sys
    import time

    probe = ("import sys; from desktop_rag.cli import main; "
             f"code = main(['import', {str(tmp_path / 'does-not-exist.pdf')!r}]); "
             "heavy = sorted({'torch', 'lancedb', 'sentence_transformers', 'unstructured'} "
             "& set(sys.modules)); print('loaded:', heavy); sys.exit(code)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=300)
    seconds = time.perf_counter() - started
    assert done.returncode == 1, done.stderr
    assert "not found: no file or folder at this path" in done.stdout
    assert "0 imported (0 chunks), 0 skipped, 1 failed" in done.stdout
    assert "loaded: []" in done.stdout
    assert seconds < 3, seconds  # 0.4 s on a busy machine (7-11 s before)


def test_missing_and_present_paths_together(corpus, tmp_path, capsys):
    shutil.copy(corpus / "norwich-city.txt", tmp_path / "norwich-city.txt")
    assert main(["import", str(tmp_path / "nope.txt"), str(tmp_path / "norwich-city.txt")]) == 1
    out = capsys.readouterr()
    assert "FAILED    " in out.err and "nope.txt: not found" in out.err
    assert "1 imported" in out.out and "1 failed" in out.out
    assert out.out.count("nope.txt") == 1


def _long_import(progress, clock):  # type: ignore[no-untyped-def]
    """Two files, the second one 1,000 chunks embedded in slices of 128, 2 s per slice."""
    from pathlib import Path

    from desktop_rag.core import events as E

    small, book = Path("note.txt"), Path("war-and-peace.txt")
    progress(E.ImportStarted(2))
    progress(E.FileStarted(small, 0, 2))
    progress(E.FileImported(small, "a", None, 1))
    progress(E.FileStarted(book, 1, 2))
    progress(E.StageChanged(book, "embed"))
    for done in range(128, 1000, 128):
        clock[0] += 2.0
        progress(E.EmbedProgress(book, done, 1000))
    clock[0] += 1.0
    progress(E.EmbedProgress(book, 1000, 1000))
    progress(E.FileImported(book, "b", None, 1000))


def test_import_progress_of_a_long_file_in_plain_lines():
    import io

    from desktop_rag.console import ImportProgress

    out, clock = io.StringIO(), [0.0]
    _long_import(ImportProgress(out, clock=lambda: clock[0]), clock)
    lines = out.getvalue().splitlines()
    assert lines[0] == "[1/2] imported  note.txt (1 chunks)"
    assert lines[-1] == "[2/2] imported  war-and-peace.txt (1000 chunks)"
    # A line every 5 s at most (every third slice of 2 s), never silent longer.
    assert lines[1:-1] == [
        "[1/2] ...       war-and-peace.txt: embedding 384/1000 chunks (38%)",
        "[1/2] ...       war-and-peace.txt: embedding 768/1000 chunks (77%)",
    ]


def test_import_progress_bar_on_a_terminal_moves_with_the_chunks():
    import io

    from desktop_rag.console import ImportProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, clock = Terminal(), [0.0]
    progress = ImportProgress(out, clock=lambda: clock[0])
    _long_import(progress, clock)
    drawn = [part.strip() for part in out.getvalue().split("\r") if part.startswith("[")]
    # Half of the book embedded: 1.5 of 2 files, 15 of the bar's 20 marks.
    assert "[###############     ] 1/2 war-and-peace.txt: embedding 512/1000 chunks" in drawn
