"""Turn the engine's parse errors into located QuerySyntaxErrors."""

from __future__ import annotations

import re

from lcgraph.errors import QuerySyntaxError

_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(err: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph says `error at LINE:COLUMN: ...`; keep the position as numbers too."""
    message = str(err.msg if err.msg else err)
    match = _POSITION.search(message)
    if match is None:
        return QuerySyntaxError(f"Syntax error: {message}")
    line, column = int(match.group(1)), int(match.group(2))
    detail = message[match.end() :].lstrip(": ")
    return QuerySyntaxError(f"Syntax error at line {line}, column {column}: {detail}", line, column)
