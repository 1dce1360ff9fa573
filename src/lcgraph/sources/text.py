"""Decode a text source strictly in its declared encoding; a bad byte is located once."""

from __future__ import annotations

import codecs
from pathlib import Path

from lcgraph.errors import Problem


def decode(path: Path, encoding: str, problems: list[Problem]) -> str | None:
    """The text of `path`, or None with one problem naming line, column and byte.

    UTF-8 may start with a byte-order mark. Decoding stops at the first bad byte: what
    follows it cannot be trusted, so no further (false) problems are reported for the file.
    """
    data = path.read_bytes()
    codec = codecs.lookup(encoding).name
    try:
        return data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        label = "UTF-8" if codec == "utf-8" else encoding
        problems.append(
            Problem(
                path.name,
                f"is not valid {label} (byte {data[err.start]:#04x})",
                row=line,
                column=column,
                expected=f"{label} text (the mapping's `encoding:`)",
            )
        )
        return None
