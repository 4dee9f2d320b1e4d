"""Shared fixtures. The network is blocked for every test: offline is proven, not assumed.

Any connection to an address outside loopback fails, and is recorded so that a library that
swallows the error (unstructured's telemetry does) still fails the test that triggered it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BLOCKED: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) == "localhost"


def _guarded(real):  # type: ignore[no-untyped-def]
    def connect(self, address):  # type: ignore[no-untyped-def]
        if not _is_local(address):
            BLOCKED.append(repr(address))
            raise ConnectionRefusedError(f"network blocked in tests: {address!r}")
        return real(self, address)

    return connect


def _guarded_getaddrinfo(real):  # type: ignore[no-untyped-def]
    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host is not None and not _is_local((host,)) and host not in ("localhost",):
            try:
                ipaddress.ip_address(str(host))
            except ValueError:
                BLOCKED.append(f"dns:{host}")
                raise socket.gaierror(f"network blocked in tests: lookup of {host}") from None
        return real(host, *args, **kwargs)

    return getaddrinfo


# Qt widgets are driven headless; set before anything imports Qt. The offscreen screen is a
# common laptop's (1366x768) instead of Qt's 800x800, smaller than the window's minimum width.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = \
        f"offscreen:configfile={Path(__file__).with_name('offscreen-screen.json')}"

socket.socket.connect = _guarded(_real_connect)  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded(_real_connect_ex)  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo(socket.getaddrinfo)
# Two xdist workers on 2 cores (scripts/test.sh): one compute thread each, for the tests and the
# child processes they start. With PyTorch's and OpenVINO's default of a thread per core, four
# threads spun at each other's barriers: the run took 1,479 s against 1,250 s on one worker.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
# Exported graphs and runtime verdicts derive from the model and the libraries only: one folder
# for the whole run (each test's own cache folder would export the model again, seconds each).
if not os.environ.get("DESKTOP_RAG_RUNTIME_CACHE"):
    import tempfile

    os.environ["DESKTOP_RAG_RUNTIME_CACHE"] = tempfile.mkdtemp(prefix="desktop-rag-runtimes-")
# Child processes started by tests get the same guard through sitecustomize.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "tests" / "netguard"), os.environ.get("PYTHONPATH", "")]
).rstrip(os.pathsep)


@pytest.fixture(autouse=True)
def _no_network_attempts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = len(BLOCKED)
    child_log = tmp_path / "blocked-in-children.log"
    monkeypatch.setenv("DESKTOP_RAG_NETLOG", str(child_log))
    yield
    attempts = BLOCKED[before:]
    if child_log.exists():
        attempts += child_log.read_text(encoding="utf-8").splitlines()
    assert not attempts, f"the code under test tried to reach the network: {attempts}"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data, config and cache folders."""
    folder = tmp_path / "home"
    monkeypatch.setenv("DESKTOP_RAG_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from desktop_rag.core.embed.factory import make_embedder

    return make_embedder()


@pytest.fixture(scope="session")
def counter(embedder):  # type: ignore[no-untyped-def]
    return embedder.token_counter()


@pytest.fixture
def library():  # type: ignore[no-untyped-def]
    from desktop_rag.core.store.libraries import open_library

    return open_library()


def run_import(library, paths, embedder, **kwargs):  # type: ignore[no-untyped-def]
    from desktop_rag.core.events import ImportFinished
    from desktop_rag.core.store.importer import import_paths

    events = list(import_paths(library, [Path(p) for p in paths], embedder, **kwargs))
    finished = events[-1]
    assert isinstance(finished, ImportFinished)
    return finished.summary, events


@pytest.fixture(scope="session")
def papers(tmp_path_factory, corpus, embedder):  # type: ignore[no-untyped-def]
    """A library of two documents, shared read-only: a 2-page paper on dense passage retrieval
    and a short note on bread. Tests that write must build their own."""
    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.library import Library

    library = Library.create(tmp_path_factory.mktemp("lib") / "papers")
    notes = tmp_path_factory.mktemp("docs") / "bread-notes.txt"
    notes.write_text("Sourdough bread needs a starter, flour, water and salt.\n\n"
                     "Bake the loaf at 240 degrees for forty minutes.", encoding="utf-8")
    summary, _ = run_import(library, [corpus / "pdf/multi-column-2p.pdf", notes], embedder)
    assert len(summary.imported) == 2
    maintain(library)
    return library, embedder


# scripts/test.sh builds the llm-stack while the other tests run; its build takes 3-7 minutes
# on 2 cores, longer when the tests take the cores too.
STACK_WAIT_S = 840  # under the tests' own 900 s timeout (pyproject.toml)


def _wait_for_the_stack(outcome: Path) -> str:
    import time

    deadline = time.monotonic() + STACK_WAIT_S
    while not outcome.exists():
        if time.monotonic() > deadline:
            return f"was not ready after {STACK_WAIT_S // 60} minutes"
        time.sleep(2)
    return outcome.read_text(encoding="utf-8").strip() or "failed without a word"


@pytest.fixture(scope="session")
def real_model():  # type: ignore[no-untyped-def]
    """(client, model name) of a real model, or a skip that says why there is none."""
    from desktop_rag.core.llm.client import OllamaClient

    stack = Path(os.environ.get("LLM_STACK_HOME", Path.home() / ".cache" / "llm-stack")) / "run"
    host = os.environ.get("DESKTOP_RAG_REAL_LLM_HOST")
    outcome = os.environ.get("DESKTOP_RAG_REAL_LLM_OUTCOME")
    if not host and outcome:
        said = _wait_for_the_stack(Path(outcome))
        if said != "ready":
            pytest.skip(f"no real model: the llm-stack {said}")
    if not host and (stack / "ollama_host").exists():
        host = (stack / "ollama_host").read_text().strip()
    if not host:
        pytest.skip("no real model: set DESKTOP_RAG_REAL_LLM_HOST or start ../shared/llm-stack")
    client = OllamaClient(host)
    status = client.health()
    if not status.reachable:
        pytest.skip(f"no real model: {status.error}")
    models = client.list_models()
    if not models:
        pytest.skip(f"no real model: the server at {host} lists no model")
    return client, models[0].name


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Under pytest-xdist (scripts/test.sh runs two workers): the minutes-long tests start
    first, so that the rest of the run fills the other worker around them; the tests of the
    one real model server run last, on one worker, one at a time, as a single user's would."""
    # Stable: otherwise in their order. The real model's last: its server may still be building.
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None,
                                 item.get_closest_marker("real_llm") is not None))
    for item in items:
        if item.get_closest_marker("real_llm"):
            item.add_marker(pytest.mark.xdist_group("llm-stack"))
