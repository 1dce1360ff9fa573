"""SPARQL tokens, for the checks that must read a query before the engine does.

Tokenizes the way a SPARQL parser does: comments, all four string forms, IRIs, variables,
prefixed names, numbers; `tokenize` drops whitespace and comments. SPARQL allows
`\\uXXXX`/`\\U00XXXXXX` escapes anywhere in a query text, so a check that must not be fooled
either also reads `decode_escapes(text)` (the SERVICE/LOAD guard) or refuses texts that
contain escapes (the bounded-query test). Why not rdflib's parser: it takes milliseconds per
query, too slow for every request, and it rejects some queries pyoxigraph accepts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The token patterns, also the terminals of the bounded-query grammar (lcgraph.querying.bounded)
STRING = (
    r"""'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)"""
    r"""|'(?:[^'\\\n\r]|\\.)*'?|"(?:[^"\\\n\r]|\\.)*"?"""
)
IRI = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
VAR = r"[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*"
PNAME = r"(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\\\-.]*[\w:%\-])?"
NUMBER = r"[+-]?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
WORD = r"[^\W\d][\w\-]*"
_TOKEN = re.compile(
    rf"""(?P<ws>\s+)|(?P<comment>\#[^\n\r]*)|(?P<string>{STRING})|(?P<iri>{IRI})|(?P<var>{VAR})
    |(?P<pname>{PNAME})|(?P<number>{NUMBER})|(?P<word>{WORD})|(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):  # a tuple: built for every token of every query
    kind: str
    text: str


def decode_escapes(text: str) -> str:
    """Replace SPARQL codepoint escapes (\\uXXXX, \\UXXXXXXXX) by the characters they encode."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(char, text)


def has_escapes(text: str) -> bool:
    return _ESCAPE.search(text) is not None


def tokenize(text: str) -> list[Token]:
    """Significant tokens of a SPARQL text: no whitespace, no comments."""
    return [
        Token(match.lastgroup or "other", match.group())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in _SKIPPED
    ]


_SKIPPED = ("ws", "comment")


def spans(text: str) -> list[tuple[Token, int, int]]:
    """Significant tokens with their start and end offsets in `text`, for rewriting it."""
    return [
        (Token(match.lastgroup or "other", match.group()), match.start(), match.end())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in _SKIPPED
    ]


_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def string_value(text: str) -> str | None:
    """The value of a SPARQL string token (codepoint and ECHAR escapes decoded); None if
    the token is not a closed string."""
    quote = text[:3] if text[:3] in ('"""', "'''") else text[:1]
    if len(text) < 2 * len(quote) or not text.endswith(quote):
        return None
    body = text[len(quote) : -len(quote)]
    if (len(body) - len(body.rstrip("\\"))) % 2:  # its last quote is escaped: not closed
        return None
    body, out, k = decode_escapes(body), [], 0
    while k < len(body):
        if body[k] == "\\" and k + 1 < len(body):
            out.append(_ECHARS.get(body[k + 1], body[k : k + 2]))
            k += 2
        else:
            out.append(body[k])
            k += 1
    return "".join(out)
