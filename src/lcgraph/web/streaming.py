"""A streamed query result that always ends as a well-formed document.

Once the 200 head has gone out, a failure can no longer become an error response. So when
the time limit, the memory limit or a dying worker stops a result that is streaming, the
body is ended here the way a row-limit cut ends it, with the cut said in band: SPARQL
JSON's top-level `"lcgraph"` member, a comment in XML, and a `#` comment line in CSV and
TSV (the comment prefix of the W3C tabular data dialect), N-Triples and Turtle. A row-limit
cut of a streamed CSV or TSV gets the same comment line. The transfer itself always ends
normally, and the log gets one warning line, no traceback.

Rows reach the service whole: the result writers (`lcgraph.querying.results`) write one
row per call and the worker ships frames at call boundaries. pyoxigraph's graph writers do
not, so N-Triples and Turtle are held back to the last statement end; JSON-LD and RDF/XML
cannot be closed at an arbitrary point, so the query service holds those whole (the
others have `cuttable` set in `lcgraph.formats`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from lcgraph.errors import LcgraphError
from lcgraph.querying.stream import QueryStream

log = logging.getLogger(__name__)
# where a statement ends in pyoxigraph's output (it escapes newlines inside literals)
_STATEMENT_END = {"ntriples": b"\n", "turtle": b" .\n"}


def cut_tail(fmt: str, reason: str, message: str) -> bytes:
    """What ends a result in `fmt` cut after its last whole row or statement."""
    line = " ".join(message.split())
    if fmt == "json":
        note = {"truncated": True, "reason": reason, "message": line}
        return b"]}," + b'"lcgraph":' + json.dumps(note, separators=(",", ":")).encode() + b"}"
    if fmt == "xml":
        text = line.replace("--", "- -")
        return f"</results><!-- lcgraph: truncated: {text} --></sparql>\n".encode()
    end = "\r\n" if fmt == "csv" else "\n"
    start = "\n" if fmt in _STATEMENT_END else ""
    return f"{start}# lcgraph: truncated: {line}{end}".encode()


class QueryStreamResponse(StreamingResponse):
    """A streamed result whose worker is released however the response ends."""

    def __init__(
        self,
        stream: QueryStream,
        prefix: list[bytes],
        chunks: AsyncIterator[bytes],
        fmt: str,
        headers: dict[str, str],
    ) -> None:
        super().__init__(self._body(prefix, chunks), headers=headers)
        self.stream, self.fmt = stream, fmt

    async def _body(
        self, prefix: list[bytes], chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes]:
        held = b""
        try:
            for chunk in prefix:
                ready, held = self._whole(held + chunk)
                if ready:
                    yield ready
            async for chunk in chunks:
                ready, held = self._whole(held + chunk)
                if ready:
                    yield ready
        except LcgraphError as err:
            self.stream.release()
            log.warning("query result cut after streaming began: %s", err)
            yield cut_tail(self.fmt, type(err).__name__, str(err))
            return
        yield held
        end = self.stream.end or {}
        if self.fmt in ("csv", "tsv") and end.get("truncated"):
            limit = f"the row limit of {self.headers.get('x-lcgraph-row-limit', '?')} rows"
            yield cut_tail(self.fmt, "rowLimit", f"at {limit}")

    def _whole(self, data: bytes) -> tuple[bytes, bytes]:
        """`data` split after its last statement end (graph formats; rows arrive whole)."""
        boundary = _STATEMENT_END.get(self.fmt)
        if boundary is None:
            return data, b""
        at = data.rfind(boundary)
        if at < 0:
            return b"", data
        return data[: at + len(boundary)], data[at + len(boundary) :]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.stream.release()
