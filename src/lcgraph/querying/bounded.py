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

from dataclasses import dataclass, field

from lcgraph.querying.lexer import Token, has_escapes, tokenize

_CONSTANT = ("iri", "pname")


@dataclass
class BoundedQuery:
    """What the test read: the form, the projection, the pattern and the declarations."""

    form: str = ""  # SELECT, ASK or CONSTRUCT
    projection: list[str] | None = None  # variable names; None for SELECT *
    pattern: list[Token] = field(default_factory=list)  # subject, verb, object
    limit: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # "lc:" -> IRI text as written
    has_base: bool = False


def is_bounded(text: str) -> bool:
    """True when `text` is a single-triple-pattern query of the shape above."""
    return read_bounded(text) is not None


def read_bounded(text: str) -> BoundedQuery | None:
    """The query's parts when it is a single-triple-pattern query, else None."""
    if has_escapes(text):
        return None
    reader = _Reader(tokenize(text))
    return reader.read if reader.query() else None


class _Reader:
    """A cursor over the tokens; each method consumes one production or answers False."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.i = tokens, 0
        self.variables: set[str] = set()
        self.read = BoundedQuery()

    def query(self) -> bool:
        self.prologue()
        form = self.read.form = self.keyword()
        if form == "SELECT" and not self.projection():
            return False
        if form == "CONSTRUCT" and self.keyword() != "WHERE":
            return False
        if form not in ("SELECT", "ASK", "CONSTRUCT"):
            return False
        if self.peek_keyword() == "WHERE":
            self.i += 1
        if not self.pattern():
            return False
        if form != "ASK" and self.peek_keyword() == "LIMIT":
            self.i += 1
            if not (self.kind() == "number" and self.text().isdigit()):
                return False
            self.read.limit = int(self.text())
            self.i += 1
        return self.i == len(self.tokens)

    def prologue(self) -> None:
        while True:
            word = self.peek_keyword()
            if word == "BASE" and self.kind(1) == "iri":
                self.read.has_base = True
                self.i += 2
            elif word == "PREFIX" and self.kind(1) == "pname" and self.kind(2) == "iri":
                self.read.prefixes[self.tokens[self.i + 1].text] = self.tokens[self.i + 2].text[
                    1:-1
                ]
                self.i += 3
            else:
                return

    def projection(self) -> bool:
        if self.text() == "*":
            self.i += 1
            return True
        names = []
        while self.kind() == "var" and len(self.text()) > 1:
            names.append(self.text()[1:])
            self.i += 1
        self.read.projection = names
        return bool(names)

    def pattern(self) -> bool:
        if not self.symbol("{"):
            return False
        start = self.i
        if not (self.term(_CONSTANT) and self.verb() and self.object()):
            return False
        self.read.pattern = self.tokens[start : self.i]
        self.symbol(".")
        return self.symbol("}")

    def verb(self) -> bool:
        if self.kind() == "word" and self.text() == "a":
            self.i += 1
            return True
        return self.term(_CONSTANT)

    def object(self) -> bool:
        if self.kind() == "string":
            self.i += 1
            if self.symbol("@"):
                return self.kind() == "word" and self.advance()
            if self.symbol("^") and self.symbol("^"):
                return self.kind() in _CONSTANT and self.advance()
            return True
        if self.kind() == "number" or self.peek_keyword() in ("TRUE", "FALSE"):
            return self.advance()
        return self.term(_CONSTANT)

    def term(self, constants: tuple[str, ...]) -> bool:
        """A constant of the given kinds, or a variable not seen before in the pattern."""
        kind = self.kind()
        if kind in constants:
            return self.advance()
        if kind != "var" or len(self.text()) < 2:
            return False
        name = self.text()[1:]  # ?x and $x are the same variable
        if name in self.variables:
            return False
        self.variables.add(name)
        return self.advance()

    def symbol(self, text: str) -> bool:
        if self.kind() == "other" and self.text() == text:
            self.i += 1
            return True
        return False

    def keyword(self) -> str:
        word = self.peek_keyword()
        self.i += 1
        return word

    def peek_keyword(self) -> str:
        return self.text().upper() if self.kind() == "word" else ""

    def advance(self) -> bool:
        self.i += 1
        return True

    def kind(self, ahead: int = 0) -> str:
        at = self.i + ahead
        return self.tokens[at].kind if at < len(self.tokens) else ""

    def text(self) -> str:
        return self.tokens[self.i].text if self.i < len(self.tokens) else ""
