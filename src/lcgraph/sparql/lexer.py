"""The one SPARQL lexer: every reader of a query's text works on its tokens.

Tokens follow the terminals of the SPARQL 1.1 grammar (section 19.8): IRIREF, PNAME_NS /
PNAME_LN, BLANK_NODE_LABEL, VAR1/VAR2, LANGTAG, the numbers, the four string forms, keywords
and punctuation, each with its offset in the text; `tokenize` drops whitespace and comments.
A character that starts no terminal, or a string that is not closed, is one `error` token, so
a reader never mistakes it for something else (the guard refuses, the bounded test declines,
the engine reports the syntax error). Two deliberate departures from the grammar: NIL and ANON
are two punctuation tokens (`(` `)`, `[` `]`), and `\\uXXXX`/`\\U00XXXXXX` codepoint escapes
are read inside strings and IRIs, where SPARQL decodes them before parsing; a check that must
not be fooled by an escape elsewhere either also reads `decode_escapes(text)` (the SERVICE/LOAD
guard) or refuses texts that contain escapes (the bounded test). `lcgraph.sparql.reading`
reads prologues, query forms and group starts over these tokens. Why not rdflib's parser: it
takes milliseconds per query, too slow for every request, and it rejects some queries pyoxigraph
accepts; tests/test_lexer.py tokenizes every W3C syntax test query without an error token.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Character classes of the grammar's terminals (SPARQL 1.1, 19.8 [164]-[173])
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = rf"""\\[tbnrf\\"']|{_UCHAR}"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

IRI = rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"
PN_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
PN_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
PNAME = rf"(?:{PN_PREFIX})?:(?:{PN_LOCAL})?"
BNODE = rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"
VARNAME = rf"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
VAR = rf"[?$]{VARNAME}"
LANGTAG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"
NUMBER = r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)"
STRING = (
    rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\""
    rf"|'(?:[^'\\\n\r]|{_ECHAR})*'|\"(?:[^\"\\\n\r]|{_ECHAR})*\""
)
# what an unclosed string reads as (one error token): to the end of the text or of its line
_OPEN_STRING = r"'''.*|\"\"\".*|'[^\n\r]*|\"[^\n\r]*"
WORD = r"[A-Za-z_][A-Za-z0-9_]*"  # keywords, built-in function names, `a`, true/false
PUNCT = r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/^|?]"
# The alternatives in order of how often they come, each before any that could read a
# prefix of its tokens (the longest token wins: `?x` before `?`, `<iri>` before `<`, `ex:`
# and `_:b` before a word, `.5` before `.`); `punct` is split: the commonest symbols first.
_TOKEN = re.compile(
    rf"""[ \t\r\n]*+(?:(?P<var>{VAR})|(?P<iri>{IRI})|(?P<punct>[{{}}();,\[\]=*/]|\|\|?|&&)
    |(?P<pname>{PNAME})|(?P<bnode>{BNODE})|(?P<word>{WORD})|(?P<string>{STRING})
    |(?P<number>{NUMBER})|(?P<comment>\#[^\n\r]*)|(?P<langtag>{LANGTAG})
    |(?P<symbol>\^\^|!=|<=|>=|[.<>!+\-^?])|(?P<error>{_OPEN_STRING}|[^ \t\r\n]))""",
    re.VERBOSE | re.DOTALL,
)
# group number -> token kind; all inner groups are non-capturing, so `lastindex` is the token's
_KINDS = ("", *(("punct" if k == "symbol" else k) for k in _TOKEN.groupindex))
_COMMENT = _TOKEN.groupindex["comment"]


class Token(NamedTuple):  # a tuple: built for every token of every query
    kind: str  # iri pname bnode var string number word langtag punct comment error
    text: str
    start: int = 0  # offset of its first character in the text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def lex(text: str) -> list[Token]:
    """Every token of `text`, comments included, whitespace left out."""
    # tuple.__new__: a third of the cost of Token(...), whose __new__ is a Python function
    return [
        _new(Token, (_KINDS[i], match.group(i), match.start(i)))
        for match in _TOKEN.finditer(text)
        if (i := match.lastindex)  # always a group: every match reads one token
    ]


_new = tuple.__new__


def tokenize(text: str) -> list[Token]:
    """Significant tokens of a SPARQL text: no whitespace, no comments."""
    return [token for token in lex(text) if token.kind != "comment"]


def tokenize_until(text: str, stop: frozenset[str]) -> list[Token]:
    """Significant tokens up to and including the first whose text is in `stop`: for a
    reader that knows it is done there (the bounded test at a `;`), the rest is not read."""
    tokens = []
    for match in _TOKEN.finditer(text):
        i = match.lastindex or 0
        if i != _COMMENT:
            tokens.append(_new(Token, (_KINDS[i], match.group(i), match.start(i))))
            if match.group(i) in stop:
                break
    return tokens


def spans(text: str) -> list[tuple[Token, int, int]]:
    """Significant tokens with their start and end offsets in `text`, for rewriting it."""
    return [(token, token.start, token.end) for token in tokenize(text)]


def keyword(token: Token) -> str:
    """The keyword a word token is, upper-cased ("" for any other token)."""
    return token.text.upper() if token.kind == "word" else ""


def decode_escapes(text: str) -> str:
    """Replace SPARQL codepoint escapes (\\uXXXX, \\UXXXXXXXX) by the characters they encode."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(char, text)


def has_escapes(text: str) -> bool:
    return _ESCAPE.search(text) is not None


_LOCAL_ESCAPE = re.compile(r"\\(.)")


def local_name(token: Token) -> tuple[str, str]:
    """(prefix with its colon, local part with PN_LOCAL_ESC escapes removed) of a pname."""
    prefix, _, local = token.text.partition(":")
    return prefix + ":", _LOCAL_ESCAPE.sub(r"\1", local)


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
