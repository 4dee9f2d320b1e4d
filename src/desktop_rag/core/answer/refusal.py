"""Tell when the model answered that the passages do not hold the answer ("not in your documents").

The prompt asks the model to say that the documents do not say, instead of guessing; this finds
that answer in its English or French wordings, so that the app can show it as such (like the
relevance rule's "nothing relevant" case) and the evaluation can count honest refusals.

An answer counts as a refusal when its first sentence says so, or when it says so anywhere and
cites nothing: "The documents do not say who won. [1] says the match was in 1990" is an answer
that starts by refusing, but "In 1990 [1]. The passages do not say who won." is not a refusal.
"""

from __future__ import annotations

import re
import unicodedata

from desktop_rag.core.answer.citations import CITATION

_EN = [
    r"(?:documents?|passages?|context|texts?|sources?|excerpts?)\s+(?:provided\s+|given\s+)?"
    r"(?:do|does|did)\s*(?:not|n't)\s+(?:say|state|mention|contain|include|provide|give|"
    r"specify|indicate|answer|tell|discuss|address|cover)",
    r"(?:is|are)\s+not\s+(?:mentioned|stated|specified|given|provided|found|available|"
    r"included|indicated|covered|addressed)\s+in\s+the\s+(?:documents?|passages?|context|texts?)",
    r"\bno\s+(?:information|mention|details?|data|answer|indication)\s+(?:about|on|of|regarding|"
    r"is\s+given|in\s+the|available|was\s+found)",
    r"\b(?:there\s+is|i\s+(?:find|found|see|have))\s+no\s+(?:information|mention|answer)",
    r"\b(?:cannot|can\s*not|can't|unable\s+to|not\s+able\s+to)\s+(?:be\s+)?(?:answer|find|"
    r"determine|answered|found|determined|tell)",
    r"\b(?:i\s+(?:do\s+not|don't)\s+know)",
    r"\bnot\s+in\s+(?:the|your)\s+documents",
    r"\bthe\s+documents?\s+(?:are|is)\s+silent",
]
_FR = [
    r"(?:documents?|passages?|contexte|textes?|sources?|extraits?)\s+(?:fournis?\s+)?"
    r"(?:ne\s+(?:le\s+|l'|les\s+|en\s+|y\s+)?"
    r"(?:disent|dit|contiennent|contient|mentionnent|mentionne|precisent|precise|indiquent|"
    r"indique|donnent|donne|fournissent|fournit|permettent|permet|abordent|aborde|parlent|parle|"
    r"traitent|traite|evoquent|evoque|repondent|repond)\s+(?:pas|rien|aucun))",
    r"\bne\s+(?:le\s+)?(?:disent|dit|precisent|precise|mentionnent|mentionne)\s+pas",
    r"\b(?:aucune?|pas\s+d')\s*(?:information|mention|indication|reponse|precision|"
    r"element|passage)",
    r"\b(?:impossible|je\s+ne\s+peux\s+pas|on\s+ne\s+peut\s+pas|il\s+n'est\s+pas\s+possible)\s+"
    r"(?:de\s+)?(?:repondre|dire|determiner|savoir|trouver|preciser)",
    r"\bje\s+ne\s+sais\s+pas",
    r"\bn'(?:est|sont)\s+pas\s+(?:mentionnee?s?|precisee?s?|indiquee?s?|donnee?s?|fournie?s?|"
    r"abordee?s?|evoquee?s?)\s+dans\s+(?:les|le)\s+(?:documents?|passages?|contexte|textes?)",
    r"\bne\s+figure(?:nt)?\s+pas\s+dans\s+(?:les|le)\s+(?:documents?|passages?|contexte)",
]
_PATTERNS = [re.compile(p) for p in _EN + _FR]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _plain(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: one form to match."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("`", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def says_not_in_documents(text: str) -> bool:
    """Whether the answer says that the passages do not contain the answer (EN or FR)."""
    plain = _plain(text)
    if not plain:
        return False
    first = next((s for s in _SENTENCE_END.split(text.strip()) if s.strip()), "")
    if any(p.search(_plain(first)) for p in _PATTERNS):
        return True
    return not CITATION.search(text) and any(p.search(plain) for p in _PATTERNS)
