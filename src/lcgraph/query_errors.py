"""Turn the engine's parse errors into located QuerySyntaxErrors that read as sentences."""

from __future__ import annotations

import re

from lcgraph.errors import QuerySyntaxError

_POSITION = re.compile(r"\b(?:error )?at (\d+):(\d+)")
_EXPECTED = re.compile(r"^expected one of (?P<items>.+)$")
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|[^,\s][^,]*')
_ANY = "[_]"  # the parser's "any character": it tells a reader nothing


def syntax_error(err: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph says `error at LINE:COLUMN: ...`; keep the position as numbers too.

    The message is the one every interface shows: `Parse error at line L, column C: ...`,
    with the engine's `expected one of A, B, [_]` said as `expected A or B here.`
    """
    message = str(err.msg if err.msg else err)
    match = _POSITION.search(message)
    if match is None:
        return QuerySyntaxError(f"Parse error: {sentence(message)}")
    line, column = int(match.group(1)), int(match.group(2))
    detail = sentence(message[match.end() :].lstrip(": "))
    return QuerySyntaxError(f"Parse error at line {line}, column {column}: {detail}", line, column)


def sentence(detail: str) -> str:
    """`expected one of ",", "}", [_]` → `expected “,” or “}” here.`; other text unchanged."""
    match = _EXPECTED.match(detail.strip())
    if match is None:
        return detail
    items = [_quoted(i.strip()) for i in _ITEM.findall(match["items"]) if i.strip() != _ANY]
    if not items:
        return "the query cannot go on like this here."
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
    return f"expected {listed} here."


def _quoted(item: str) -> str:
    """A punctuation token in typographic quotes; a keyword or rule name as it is."""
    if len(item) >= 2 and item.startswith('"') and item.endswith('"'):
        return f"“{item[1:-1]}”"
    return item
