"""Words as the answer checks compare them: accents and case folded, a crude stem (English and
French suffixes, 7 letters at most), stop words of both languages and the words of a RAG answer
("passage", "according") left out, numbers kept whole (thousands separators removed)."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+(?:['’]\w+)?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f,.'](?=\d{3}\b)")
_SUFFIXES = ("issements", "issement", "ements", "ement", "ations", "ation", "ings", "ing",
             "ies", "ied", "es", "ed", "s", "e")
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yes however therefore
according passage passages document documents context text answer says said mentioned stated
au aux avec ce ces cet cette dans de des du elle elles en est et eux il ils je la le les leur
leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses
son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y a ete etre sont etait
etaient ont avait avaient fut plus aussi comme dont donc ainsi selon tres sans sous entre
contexte reponse oui non cela ca ceci extrait extraits mentionne indique
""".split())


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:7]


def terms(text: str) -> set[str]:
    """Stems of the content words and the numbers of a text."""
    text = THOUSANDS.sub("", plain(text))
    terms = set()
    for word in WORD.findall(text):
        # "l'appel" is "appel", but "Richard's" is "richard"
        word = word[:-2] if word.endswith("'s") else word.split("'")[-1]
        if word.isdigit() or NUMBER.fullmatch(word):
            terms.add(word)
        elif word not in STOP_WORDS and len(word) > 1:
            terms.add(stem(word))
    terms.update(NUMBER.findall(text))
    return terms
