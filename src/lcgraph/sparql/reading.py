"""What a query's tokens say before the engine reads it: prologue, form, where its group starts.

All over the tokens of `lcgraph.sparql.lexer`, so that the guard, the bounded test, the
result writers, the remote store's Accept header and its VALUES insertion read a query alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from lcgraph.sparql.lexer import Token, keyword, local_name

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass
class Prologue:
    """The BASE and PREFIX declarations at the head of a query, as written."""

    prefixes: dict[str, str] = field(default_factory=dict)  # "lc:" -> IRI text as written
    base: str | None = None  # the last BASE's IRI text, None without one
    end: int = 0  # index of the first token after the prologue


def read_prologue(tokens: list[Token], at: int = 0) -> Prologue:
    """The declarations from `tokens[at]` on, up to the first token that starts none."""
    prologue = Prologue(end=at)
    i, n = at, len(tokens)
    while i < n:
        word = keyword(tokens[i])
        if word == "BASE" and i + 1 < n and tokens[i + 1].kind == "iri":
            prologue.base = tokens[i + 1].text[1:-1]
            i += 2
        elif (
            word == "PREFIX"
            and i + 2 < n
            and tokens[i + 1].kind == "pname"
            and tokens[i + 1].text.endswith(":")
            and tokens[i + 2].kind == "iri"
        ):
            prologue.prefixes[tokens[i + 1].text] = tokens[i + 2].text[1:-1]
            i += 3
        else:
            break
    prologue.end = i
    return prologue


def resolved_declarations(tokens: list[Token]) -> tuple[dict[str, str], str]:
    """PREFIX and BASE declarations wherever they appear (an update may repeat them), each
    IRI resolved against the BASE before it: (prefixes by "name:", the last base)."""
    prefixes: dict[str, str] = {}
    base = ""
    for i, token in enumerate(tokens[:-1]):
        word = keyword(token)
        if word == "BASE" and tokens[i + 1].kind == "iri":
            base = urljoin(base, tokens[i + 1].text[1:-1])
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
            prefixes[tokens[i + 1].text] = urljoin(base, tokens[i + 2].text[1:-1])
    return prefixes, base


def pname_iri(token: Token, prefixes: dict[str, str]) -> str | None:
    """The IRI a prefixed-name token stands for under `prefixes` ("name:" keys), or None."""
    prefix, local = local_name(token)
    namespace = prefixes.get(prefix)
    return None if namespace is None else namespace + local


def query_form(tokens: list[Token]) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue ("" if none)."""
    end = read_prologue(tokens).end
    return keyword(tokens[end]) if end < len(tokens) else ""


def where_group(tokens: list[Token]) -> int | None:
    """Index of the `{` that opens the query's WHERE group, or None when it has none.

    Skips what comes before it at the top level: a CONSTRUCT template (`CONSTRUCT { … }
    WHERE`) and expressions in parentheses (`SELECT (EXISTS { … } AS ?x)`). The short
    `CONSTRUCT WHERE { … }` has a group of triples only: None, it holds no VALUES.
    """
    end = read_prologue(tokens).end
    form = keyword(tokens[end]) if end < len(tokens) else ""
    if form not in FORMS:
        return None
    depth, i = 0, end + 1
    if form == "CONSTRUCT":
        if i < len(tokens) and keyword(tokens[i]) == "WHERE":
            return None
        i = _after_block(tokens, i)
    for j in range(i, len(tokens)):
        if tokens[j].kind != "punct":
            continue
        text = tokens[j].text
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0:
            return j
    return None


def _after_block(tokens: list[Token], i: int) -> int:
    """Index after the block that opens at tokens[i] (the end when it is not closed)."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "{" and tokens[j].kind == "punct":
            depth += 1
        elif tokens[j].text == "}" and tokens[j].kind == "punct":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)
