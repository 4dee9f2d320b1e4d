"""Conversations of a library, one JSON file each under the library folder.

A turn keeps what is needed to show it again and to check it: the question, the answer, its
citations and passages, the exact messages and options sent, timings. Files are written
atomically, so a crash mid-save keeps the previous version.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop_rag.core.errors import DesktopRagError
from desktop_rag.core.settings import read_json, write_json_atomic

_FOLDER = "conversations"
_TITLE_CHARS = 60


@dataclass
class Turn:
    question: str
    answer: str
    incomplete: bool = False
    record: dict[str, Any] = field(default_factory=dict)  # Answer.to_dict(): the details
    at: float = field(default_factory=time.time)


@dataclass
class Conversation:
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    title: str = ""
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    turns: list[Turn] = field(default_factory=list)

    def history(self) -> list[tuple[str, str]]:
        """(question, answer) pairs for the prompt; unfinished answers are left out."""
        return [(t.question, t.answer) for t in self.turns if t.answer and not t.incomplete]

    def add(self, turn: Turn) -> None:
        if not self.title:
            first = " ".join(turn.question.split())
            self.title = first if len(first) <= _TITLE_CHARS else first[: _TITLE_CHARS - 1] + "…"
        self.turns.append(turn)
        self.updated = time.time()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        turns = [Turn(**t) for t in data.get("turns", [])]
        return cls(id=data["id"], title=data.get("title", ""), created=data.get("created", 0.0),
                   updated=data.get("updated", 0.0), turns=turns)


class ConversationStore:
    def __init__(self, library_folder: Path) -> None:
        self.folder = Path(library_folder) / _FOLDER

    def _file(self, conversation_id: str) -> Path:
        if not conversation_id.isalnum():
            raise DesktopRagError(f"no conversation '{conversation_id}'")
        return self.folder / f"{conversation_id}.json"

    def save(self, conversation: Conversation) -> None:
        write_json_atomic(self._file(conversation.id), conversation.to_dict())

    def load(self, conversation_id: str) -> Conversation:
        path = self._file(conversation_id)
        if not path.exists():
            raise DesktopRagError(f"no conversation '{conversation_id}' in this library")
        return Conversation.from_dict(read_json(path))

    def list(self) -> list[Conversation]:
        """Newest first; unreadable files are skipped, never fatal."""
        found = []
        for path in self.folder.glob("*.json"):
            try:
                found.append(Conversation.from_dict(read_json(path)))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(found, key=lambda c: c.updated, reverse=True)

    def delete(self, conversation_id: str) -> None:
        self._file(conversation_id).unlink(missing_ok=True)
