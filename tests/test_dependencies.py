"""The dependencies pyproject.toml asks for exist as asked: pip printed "unstructured 0.27.35
does not provide the extra 'msg'" at every set-up."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

from desktop_rag.core.ingest.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + [r for group in project["optional-dependencies"].values()
                                      for r in group]


def test_every_extra_asked_for_is_provided():
    missing = []
    for requirement in _requirements():
        match = re.match(r"^([A-Za-z0-9_.-]+)\[([^\]]+)\]", requirement)
        if not match:
            continue
        name, extras = match[1], {e.strip() for e in match[2].split(",")}
        try:
            provided = set(importlib.metadata.metadata(name).get_all("Provides-Extra") or [])
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional group that is not installed here
        missing += [f"{name}[{extra}]" for extra in sorted(extras - provided)]
    assert not missing


def test_outlook_msg_files_still_import(corpus):
    parsed = parse_file(corpus / "fake-email.msg")
    assert parsed.file_type == "msg" and parsed.elements
    assert "This is a test email" in " ".join(e.text for e in parsed.elements)
