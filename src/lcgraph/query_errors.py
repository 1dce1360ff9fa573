"""Turn the engine's parse errors into located QuerySyntaxErrors."""

from __future__ import annotations

import re

from lcgraph.errors import QuerySyntaxError

_POSITION = re.compile(r"\b(?:error )?at (\d+):(\d+)")


def syntax_error(err: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph says `error at LINE:COLUMN: ...`; keep the position as numbers too.

    The message is the one every interface shows: `Parse error at line L, column C: ...`.
    """
    message = str(err.msg if err.msg else err)
    match = _POSITION.search(message)
    if match is None:
        return QuerySyntaxError(f"Parse error: {message}")
    line, column = int(match.group(1)), int(match.group(2))
    detail = message[match.end() :].lstrip(": ")
    return QuerySyntaxError(f"Parse error at line {line}, column {column}: {detail}", line, column)
