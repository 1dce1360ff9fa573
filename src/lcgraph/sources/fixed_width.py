"""Read fixed-width text such as DUO's `Dec_*.asc`: fields at declared positions, no header.

Positions are 1-based `[start, length]`, as DUO's `Bestandsbeschrijving_Dec-bestanden.txt`
writes them. Publishers trim trailing blanks, so a short line is read with its missing
fields empty; a line longer than the layout means the layout is wrong and is a problem.
Line n is row n (there is no header row).
"""

from __future__ import annotations

from pathlib import Path

from lcgraph.sources.rows import ReadSpec, Row, SourceFile
from lcgraph.sources.text import decode


def read_fixed_width(path: Path, spec: ReadSpec) -> SourceFile:
    source = SourceFile(path=path, header=[name for name, _, _ in spec.fields])
    text = decode(path, spec.encoding, source.problems)
    if text is None:
        source.header = []
        return source
    width = max(start + length - 1 for _, start, length in spec.fields)
    slices = [(name, slice(start - 1, start - 1 + length)) for name, start, length in spec.fields]
    # Only "\n" ends a line: str.splitlines would also split at latin-1's NEL (0x85).
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip(" \r")
        if not line:
            continue
        if len(line) > width:
            source.problems.append(
                Row(path.name, number, {}).problem(
                    f"is {len(line)} characters long",
                    value=line[width:],
                    expected=f"at most {width} characters, as the mapping's `fields:` lay out",
                )
            )
            continue
        values = {name: line[where].strip() for name, where in slices}
        source.add(Row(path.name, number, values), spec)
    return source
