"""Recognize queries whose cost is bounded by the rows they return: one triple pattern.

    is_bounded("SELECT ?p ?o WHERE { <https://w3id.org/lcgraph/id/o1> ?p ?o }")  # True

A query of a single triple pattern is one index scan in Oxigraph (its indexes cover every
combination of bound positions), and the engine yields its solutions lazily: pulling N rows
costs N index steps, never more. So such a query can run in the service process itself and
be stopped after a fixed number of rows, with no need for a worker process that can be
killed at the deadline; that saves the worker round trip on the commonest request, the point
lookup. Everything that can make the engine work without yielding rows is refused: joins,
FILTER, OPTIONAL, paths, DISTINCT, ORDER BY, GROUP BY, OFFSET, subqueries, SERVICE, FROM,
blank nodes, and a variable used twice in the pattern (`?x ?p ?x` scans the whole store to
find a row). The test is conservative: it accepts only

    Prologue (SELECT (* | ?v+) [WHERE] | ASK [WHERE] | CONSTRUCT WHERE)
        { subject verb object [.] } [LIMIT n]

with constants (IRIs, prefixed names; literals as objects) and distinct variables, and a text
without `\\u` escapes (SPARQL decodes them before parsing, so they could hide a token).
Anything else runs in a worker as usual; a text accepted here that the engine then finds
malformed still gets the engine's syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lcgraph.querying.lexer import (
    IRI,
    NUMBER,
    PNAME,
    STRING,
    VAR,
    WORD,
    Token,
    has_escapes,
    tokenize,
)

# The shape above as one regular expression over the text, so that a query is classified in
# a single match (the test runs on every request). It reads tokens exactly as the lexer
# does: each terminal is an atomic group (no backtracking into it, the longest token wins),
# a keyword is a whole word that the lexer would not read as a prefixed name, and `.` is a
# symbol only where the lexer would not read a number.
_ = r"(?>(?:\s|\#[^\n\r]*)*)"  # whitespace and comments, skipped like the lexer skips them


def _keyword(word: str) -> str:
    return rf"(?![\w.\-]*:)(?ai:{word})(?![\w\-])"


_IRI, _PNAME, _NUMBER, _STRING = (rf"(?>{t})" for t in (IRI, PNAME, NUMBER, STRING))
_VAR = rf"(?>{VAR[:-1]}+)"  # a variable with a name: `?` alone is not one
_TERM = rf"{_IRI}|{_PNAME}|{_VAR}"
_RDF_TYPE = r"(?![\w.\-]*:)a(?![\w\-])"  # `a` is the one keyword that is case-sensitive
_LITERAL = (
    rf"{_STRING}(?:{_}@{_}(?![\w.\-]*:)(?>{WORD})|{_}\^{_}\^{_}(?:{_IRI}|{_PNAME}))?"
    rf"|{_NUMBER}|{_keyword('true')}|{_keyword('false')}"
)
_GRAMMAR = re.compile(
    rf"""(?P<prologue>(?:{_}(?:{_keyword("BASE")}{_}{_IRI}
                             |{_keyword("PREFIX")}{_}{_PNAME}{_}{_IRI}))*)
    {_}(?:(?P<select>{_keyword("SELECT")})(?P<projection>{_}(?P<star>\*)|(?:{_}{_VAR})+)(?:{_}{_keyword("WHERE")})?
       |(?P<ask>{_keyword("ASK")})(?:{_}{_keyword("WHERE")})?
       |(?P<construct>{_keyword("CONSTRUCT")}){_}{_keyword("WHERE")})
    {_}\{{{_}(?P<s>{_TERM}){_}(?P<p>{_TERM}|{_RDF_TYPE}){_}(?P<o>{_TERM}|{_LITERAL})
    (?:{_}\.(?!\d))?{_}\}}
    (?:{_}{_keyword("LIMIT")}{_}(?P<limit>{_NUMBER}))?{_}""",
    re.VERBOSE | re.DOTALL,
)

_PROJECTED = re.compile(rf"\#[^\n\r]*|({VAR})")


@dataclass
class BoundedQuery:
    """What the test read: the form, the projection, the pattern and the declarations."""

    form: str = ""  # SELECT, ASK or CONSTRUCT
    projection: list[str] | None = None  # variable names; None for SELECT *
    # subject, verb, object: kinds iri, pname, var, word (`a`) or literal (the object)
    pattern: tuple[Token, ...] = ()
    limit: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # "lc:" -> IRI text as written
    has_base: bool = False


def is_bounded(text: str) -> bool:
    """True when `text` is a single-triple-pattern query of the shape above."""
    return read_bounded(text) is not None


def read_bounded(text: str) -> BoundedQuery | None:
    """The query's parts when it is a single-triple-pattern query, else None."""
    if has_escapes(text) or (match := _GRAMMAR.fullmatch(text)) is None:
        return None
    pattern = tuple(_token(match[part]) for part in "spo")
    names = [t.text[1:] for t in pattern if t.kind == "var"]  # ?x and $x are one variable
    if len(set(names)) < len(names):
        return None
    read = BoundedQuery(pattern=pattern)
    read.form = "SELECT" if match["select"] else "ASK" if match["ask"] else "CONSTRUCT"
    if match["limit"] is not None:
        if read.form == "ASK" or not match["limit"].isdigit():
            return None
        read.limit = int(match["limit"])
    if match["select"] and not match["star"]:
        # the variables, not what a comment between them mentions
        read.projection = [v[1:] for v in _PROJECTED.findall(match["projection"]) if v]
    if match["prologue"]:
        _declarations(tokenize(match["prologue"]), read)
    return read


def _token(text: str) -> Token:
    """A pattern term as a token; a literal object (string, number, boolean) is one token."""
    first = text[0]
    if first == "<":
        return Token("iri", text)
    if first in "?$":
        return Token("var", text)
    if text == "a":
        return Token("word", text)
    if first in "'\"+-.0123456789" or ":" not in text:
        return Token("literal", text)
    return Token("pname", text)


def _declarations(tokens: list[Token], read: BoundedQuery) -> None:
    """BASE and PREFIX from the prologue's tokens (the grammar checked their shape)."""
    i = 0
    while i < len(tokens):
        if tokens[i].text.upper() == "BASE":
            read.has_base = True
            i += 2
        else:
            read.prefixes[tokens[i + 1].text] = tokens[i + 2].text[1:-1]
            i += 3
