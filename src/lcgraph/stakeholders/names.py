"""Organisation names in one comparable form: legal forms, case, accents and punctuation gone.

"Stichting Hogeschool Utrecht", "HOGESCHOOL UTRECHT" and "Hogeschool Utrecht B.V." all
become `hogeschool utrecht`; the slug of an organisation is the same words joined by `-`.
The tables below are the ones a steward extends (docs/reconciliation.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Dutch legal forms (and their abbreviations, dots removed first): they say how an
# organisation is constituted, not which one it is.
LEGAL_FORMS = frozenset(
    {
        "stichting",
        "vereniging",
        "bv",
        "nv",
        "vof",
        "cv",
        "ua",
        "wa",
        "ba",
        "cooperatie",
        "cooperatieve",
        "besloten",
        "vennootschap",
        "naamloze",
        "ltd",
        "gmbh",
        "inc",
    }
)
# Words the sources shorten: the long form is the one compared.
ABBREVIATIONS = {
    "univ": "universiteit",
    "hs": "hogeschool",
    "hsch": "hogeschool",
    "roc": "regionaal opleidingen centrum",
    "aoc": "agrarisch opleidingen centrum",
    "umc": "universitair medisch centrum",
    "ziekenh": "ziekenhuis",
    "gem": "gemeente",
    "prov": "provincie",
    "tu": "technische universiteit",
    "opleidingencentrum": "opleidingen centrum",
}
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # b.v. n.v. u.a. v.o.f.
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def ascii_folded(text: str) -> str:
    """Lower case without accents: `Súdwest-Fryslân` -> `sudwest-fryslan`."""
    if "&" in text:
        text = html.unescape(text)  # `O&amp;O fonds` in the EU file
    if text.isascii():
        return text.lower()
    text = text.replace("\ufffd", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1 << 20)
def _words(name: str) -> tuple[str, ...]:
    return _split(ascii_folded(name))


def _split(text: str) -> tuple[str, ...]:
    """The words of folded `text` without legal forms, abbreviations written out."""
    text = text.replace("&", " en ")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    tokens = []
    for token in _NOT_WORD.split(text):
        if not token or token in LEGAL_FORMS:
            continue
        tokens.extend(ABBREVIATIONS.get(token, token).split())
    return tuple(tokens)


def words(name: str) -> list[str]:
    """The words that identify an organisation in `name`, in order."""
    return list(_words(name))


def normalised(name: str) -> str:
    """The comparable form of a name: `Stichting Hogeschool Utrecht` -> `hogeschool utrecht`."""
    return " ".join(words(name))


def slug_of(name: str) -> str:
    """A readable IRI-safe slug: `Stichting Hogeschool Utrecht` -> `hogeschool-utrecht`."""
    return "-".join(words(name)) or "organisation"


# Words that do not tell organisations apart, left out when names are compared.
STOP_WORDS = frozenset({"van", "de", "der", "den", "het", "voor", "en", "te", "in", "of", "the"})
STOP_WORDS |= {"and", "for", "op", "aan"}
# English names of Dutch organisations (ROR, RPO) in the words of their Dutch names.
TRANSLATIONS = {
    "university": "universiteit",
    "universitair": "universiteit",
    "rijksuniversiteit": "universiteit",  # one university per city bears the word
    "municipality": "gemeente",
    "province": "provincie",
    "hospital": "ziekenhuis",
    "medical": "medisch",
    "center": "centrum",
    "centre": "centrum",
    "institute": "instituut",
    "technology": "technische",
    "royal": "koninklijke",
    "netherlands": "nederland",
    "dutch": "nederlandse",
    "academy": "academie",
    "library": "bibliotheek",
    "foundation": "stichting",
    "association": "vereniging",
}
PHRASES = {  # folded text -> its Dutch form, before the words are split
    "university of applied sciences": "hogeschool",
    "universities of applied sciences": "hogescholen",
}


def key_words(name: str) -> list[str]:
    """The words two names are compared on: `words` without stop words, English in Dutch."""
    return list(_key_words(name))


@lru_cache(maxsize=1 << 20)  # a build compares each name several times
def _key_words(name: str) -> tuple[str, ...]:
    tokens = _words(name)
    text = ascii_folded(name)
    if any(phrase in text for phrase in PHRASES):
        for phrase, dutch in PHRASES.items():
            text = text.replace(phrase, dutch)
        tokens = _split(text)
    translated = (TRANSLATIONS.get(w, w) for w in tokens)
    return tuple(w for w in translated if w not in STOP_WORDS and w not in LEGAL_FORMS)
