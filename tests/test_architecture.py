"""The layout keeps the pipeline readable: contracts of pyproject.toml hold, modules stay small.

The contracts (import-linter, `[tool.importlinter]`): the core never imports Qt, each stage of
the core imports only the stages before it, the shared modules import no stage, and no two
modules of a package import each other, even only for type checking.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "desktop_rag"
MAX_LINES = 400
STAGES = ("ingest", "embed", "llm", "store", "search", "answer")


def _lint_imports(root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).with_name("lint-imports")
    command = [str(binary)] if binary.exists() else [shutil.which("lint-imports") or "lint-imports"]
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([*command, "--no-cache"], cwd=root, capture_output=True, text=True,
                          env=env, timeout=300)


def test_import_contracts_hold() -> None:
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_is_caught(tmp_path: Path) -> None:
    """The contracts are not vacuous: a store module importing the answer stage breaks one,
    and so does a circle between two modules of the Qt layer (in a copy of the tree)."""
    shutil.copytree(SOURCE, tmp_path / "src" / "desktop_rag",
                    ignore=shutil.ignore_patterns("__pycache__", "*.qm", "icons"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    copy = tmp_path / "src" / "desktop_rag"
    (copy / "core" / "store" / "probe.py").write_text("from desktop_rag.core.answer import rag\n")
    (copy / "qt" / "probe_a.py").write_text("from desktop_rag.qt import probe_b\n")
    (copy / "qt" / "probe_b.py").write_text("from desktop_rag.qt import probe_a\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "desktop_rag.core.store.probe -> desktop_rag.core.answer.rag" in result.stdout
    assert "probe_a" in result.stdout and "probe_b" in result.stdout
    assert "2 broken" in result.stdout


def test_modules_are_at_most_400_lines() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in SOURCE.rglob("*.py")}
    too_long = {str(p.relative_to(ROOT)): n for p, n in sizes.items() if n > MAX_LINES}
    assert not too_long, too_long


def test_every_stage_says_what_it_owns_and_may_import() -> None:
    for stage in STAGES:
        init = SOURCE / "core" / stage / "__init__.py"
        doc = init.read_text(encoding="utf-8")
        assert doc.startswith('"""'), f"{stage} has no docstring"
        assert "May import" in doc or "may import" in doc, f"{stage} does not say what it imports"
