"""The search syntax: words, "phrases", OR, -exclusion and (groups); parsed, never pasted.

    werkplek leren             both words (in any field, stemmed, compound parts, one typo)
    "werkplek leren"           the words in this order
    zorg OR techniek           either
    leren -formeel             leren, but not formeel (also NOT formeel)
    (zorg OR welzijn) leren    groups

Words are ANDed. Stop words ("de", "the") are dropped outside phrases; a query with nothing
else is refused, as are unbalanced quotes or parentheses, an empty group and an operator
without an operand. Every error is a SearchError naming what is wrong and where (column).
"""

from __future__ import annotations

from dataclasses import dataclass

from lcgraph.errors import LcgraphError
from lcgraph.search import analysis

MAX_QUERY_LENGTH = 1000


class SearchError(LcgraphError, ValueError):
    """Bad search input: the message says what is wrong (the web answers 400)."""


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or
_SPECIAL = '"()'


def parse(text: str) -> Node:
    """The query tree of `text`. Raises SearchError for bad input."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            f"the query is {len(text):,} characters long; at most {MAX_QUERY_LENGTH:,} are allowed"
        )
    if not text.strip():
        raise SearchError("the query is empty: give one or more words to search for")
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.peek() is not None:
        column = parser.tokens[parser.at][2]
        raise SearchError(f"unbalanced parenthesis: ')' at column {column} closes no '('")
    tree = _without_stop_words(node)
    if tree is None and not analysis.words().analyze(text):
        raise SearchError("the query has no letters or digits: give a word to search for")
    if tree is None:
        raise SearchError(
            "the query has only stop words (such as 'de', 'het', 'the'); add a word to search for"
        )
    if not _positive(tree):
        raise SearchError("the query only excludes; add a word to search for")
    return tree


def positive_texts(node: Node) -> list[str]:
    """The words and phrases that a hit must or may match (for highlighting)."""
    if isinstance(node, Term | Phrase):
        return [node.text]
    if isinstance(node, Not):
        return []
    return [text for child in node.nodes for text in positive_texts(child)]


def is_plain(node: Node) -> bool:
    """Whether `node` is words and phrases only (no OR, no exclusion): then the query's
    text, its quotes aside, can be a whole label."""
    if isinstance(node, Term | Phrase):
        return True
    return isinstance(node, And) and all(isinstance(n, Term | Phrase) for n in node.nodes)


Token = tuple[str, str, int]  # (kind, text, column): kind is word, phrase, (, ), or, not


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise SearchError(f"unbalanced quote: the '\"' at column {i + 1} is not closed")
            tokens.append(("phrase", text[i + 1 : end], i + 1))
            i = end + 1
        elif char in "()":
            tokens.append((char, char, i + 1))
            i += 1
        elif char == "-" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(("not", "-", i + 1))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in _SPECIAL:
                i += 1
            word = text[start:i]
            kind = {"OR": "or", "AND": "and", "NOT": "not"}.get(word, "word")
            tokens.append((kind, word, start + 1))
    return tokens


class _Parser:
    """Recursive descent: expression := all ("OR" all)*; all := unary+; unary := [-] primary."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self) -> Node:
        alternatives = [self.conjunction()]
        while (token := self.peek()) is not None and token[0] == "or":
            self.take()
            if self.peek() is None or self.peek()[0] in ("or", ")"):  # type: ignore[index]
                raise SearchError(f"'OR' at column {token[2]} has nothing after it")
            alternatives.append(self.conjunction())
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def conjunction(self) -> Node:
        nodes: list[Node] = []
        while (token := self.peek()) is not None and token[0] not in ("or", ")"):
            if token[0] == "and":
                self.take()
                continue
            nodes.append(self.unary())
        if not nodes:
            token = self.peek()
            if token is None:
                raise SearchError("the query ends where a word was expected")
            raise SearchError(f"'{token[1]}' at column {token[2]} has nothing before it")
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self) -> Node:
        token = self.take()
        if token[0] == "not":
            following = self.peek()
            if following is None or following[0] not in ("word", "phrase", "("):
                raise SearchError(f"'{token[1]}' at column {token[2]} excludes nothing")
            return Not(self.unary())
        if token[0] == "(":
            if (following := self.peek()) is not None and following[0] == ")":
                raise SearchError(f"empty parentheses at column {token[2]}")
            node = self.expression()
            closing = self.peek()
            if closing is None or closing[0] != ")":
                raise SearchError(f"unbalanced parenthesis: '(' at column {token[2]} is not closed")
            self.take()
            return node
        return Phrase(token[1]) if token[0] == "phrase" else Term(token[1])


def _without_stop_words(node: Node) -> Node | None:
    """`node` without stop words and words with no letters or digits; None if none is left."""
    if isinstance(node, Term):
        searchable = analysis.words().analyze(node.text)
        if not searchable or all(analysis.is_stop_word(w) for w in searchable):
            return None
        return node
    if isinstance(node, Phrase):
        kept = analysis.words().analyze(node.text)
        return node if any(not analysis.is_stop_word(w) for w in kept) else None
    if isinstance(node, Not):
        inner = _without_stop_words(node.node)
        return None if inner is None else Not(inner)
    children = [c for c in (_without_stop_words(child) for child in node.nodes) if c is not None]
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return And(tuple(children)) if isinstance(node, And) else Or(tuple(children))


def _positive(node: Node) -> bool:
    """Whether `node` matches something by itself (not only by excluding)."""
    if isinstance(node, Term | Phrase):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_positive(child) for child in node.nodes)
    return all(_positive(child) for child in node.nodes)
