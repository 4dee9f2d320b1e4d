"""An embedder served by Ollama ("ollama:bge-m3"): multilingual models a user pulls there.

MiniLM, the offline default, reads English only; French documents retrieve far better with a
multilingual model, and Ollama is the simplest way for a user to get one. Chunks are sized with
the default model's tokenizer, an approximation: the server truncates what is longer than its
model reads, and the chunk limit (240) stays far below the 512-8192 tokens of such models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_rag.core.embed.base import default_model_path
from desktop_rag.core.tokens import TokenCounter

if TYPE_CHECKING:
    import numpy as np

PREFIX = "ollama:"


class OllamaEmbedder:
    def __init__(self, model: str, host: str | None = None, batch_size: int = 32) -> None:
        from desktop_rag.core.llm.client import OllamaClient

        self.name = model.removeprefix(PREFIX)
        self.model_id = PREFIX + self.name
        self.batch_size = batch_size
        self.client = OllamaClient(host)
        self._dimension: int | None = None
        self._counter: TokenCounter | None = None

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.client.embed(self.name, ["dimension"])[0])
        return self._dimension

    @property
    def normalized(self) -> bool:
        return True  # embed() normalises, whatever the server returns

    def token_counter(self) -> TokenCounter:
        if self._counter is None:
            self._counter = TokenCounter(default_model_path() / "tokenizer.json")
        return self._counter

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)  # Ollama's API has no query/passage distinction

    def embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [np.asarray(self.client.embed(self.name, texts[i : i + self.batch_size]),
                            dtype=np.float32) for i in range(0, len(texts), self.batch_size)]
        vectors = np.concatenate(parts)
        self._dimension = vectors.shape[1]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)
