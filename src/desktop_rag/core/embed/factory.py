"""Which embedder a setting value names: a local sentence-transformers model (path or name),
or "ollama:NAME" for a model served by Ollama. The one place that knows every backend."""

from __future__ import annotations

from desktop_rag.core.embed.base import Embedder
from desktop_rag.core.embed.local import SentenceTransformerEmbedder
from desktop_rag.core.settings import DEFAULT_MODEL


def make_embedder(model: str = DEFAULT_MODEL, batch_size: int = 32) -> Embedder:
    """A local sentence-transformers model (path or name), or "ollama:NAME" for a model served
    by Ollama at OLLAMA_HOST."""
    if model.startswith("ollama:"):
        from desktop_rag.core.embed.ollama import OllamaEmbedder

        return OllamaEmbedder(model, batch_size=batch_size)
    return SentenceTransformerEmbedder(model, batch_size=batch_size)
