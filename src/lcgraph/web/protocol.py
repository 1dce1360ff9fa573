"""Read a SPARQL 1.1 Protocol request: which operation, its text, its dataset, its format.

Accepts GET with `query=`, POST `application/x-www-form-urlencoded` (`query=` or `update=`)
and POST `application/sparql-query` / `application/sparql-update` with the text as body;
dataset parameters may come from the URL or, for forms, from the body. Refuses what the
protocol forbids with the right status: 415 for other media types or charsets, 413 for a
body over the limit (checked while reading, so a lying Content-Length does not help), 400
for zero or several operations or text that is not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from lcgraph.web.errors import HttpProblem

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
FORMAT_PARAMS = ("format", "output", "results")  # what engines and clients name it
Params = dict[str, list[str]]  # a form's or query string's values by name, in order


@dataclass(frozen=True)
class SparqlRequest:
    """One protocol operation; `operation` is 'query' or 'update'."""

    operation: str
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    # one format name or media type, or the values of the FORMAT_PARAMS in order
    format: str | tuple[str, ...] | None = None
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)


async def read_sparql_request(request: Request, max_body_bytes: int) -> SparqlRequest | None:
    """The operation in `request`; None for a GET without one (the service description)."""
    params = parse_params(request.scope["query_string"])
    if request.method == "GET":  # HEAD too: the app answers it as GET
        if "update" in params:
            raise HttpProblem(405, "SPARQL Update needs POST", {"Allow": "GET, POST"})
        return _from_params(params) if "query" in params else None
    media_type, charset = _content_type(request.headers.get("content-type"))
    body = await read_body(request, max_body_bytes)
    if media_type == FORM_TYPE:
        _decode(body, charset)  # 415 for another charset, 400 for bytes that are not UTF-8
        for name, values in parse_params(body).items():
            params.setdefault(name, []).extend(values)
        return _from_params(params)
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        operation = "query" if media_type == QUERY_TYPE else "update"
        return _with_dataset(operation, _decode(body, charset), params)
    expected = f"{QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}"
    raise HttpProblem(415, f"unsupported media type {media_type or '(none)'!r}: use {expected}")


def request_iri(request: Request) -> str:
    """The request's URL without its query string, the base IRI of its query.

    Memoized per scheme, Host, server and path: Starlette builds and parses a URL object for
    `request.url`, ~5% of answering a point lookup. The memo stops growing at `_IRI_MEMO`
    entries, so a client varying its Host header cannot grow it without bound.
    """
    scope = request.scope
    key = (
        scope.get("scheme"),
        request.headers.get("host"),
        scope.get("server"),
        scope.get("root_path", ""),
        scope["path"],
    )
    iri = _IRIS.get(key)
    if iri is None:
        iri = str(request.url.replace(query=""))
        if len(_IRIS) < _IRI_MEMO:
            _IRIS[key] = iri
    return iri


_IRI_MEMO = 1024
_IRIS: dict[tuple[object, ...], str] = {}


def parse_params(encoded: bytes) -> Params:
    """`application/x-www-form-urlencoded` values by name, blank ones kept: `parse_qs`, on
    bytes and without its per-part regex split (a third of reading a GET request)."""
    params: Params = {}
    for pair in encoded.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            params.setdefault(_unquote(name), []).append(_unquote(value))
    return params


def _unquote(part: bytes) -> str:
    """Percent-decode (and `+` to space), as `unquote_plus` does, in C: each %XX becomes an
    \\xXX escape for Python's escape decoder, with the text's own backslashes doubled so
    they stay as they are (3x faster on a query, where nearly every other character is
    escaped). A malformed escape takes `unquote_to_bytes`, which keeps it as written."""
    escaped = part.replace(b"\\", b"\\\\").replace(b"%", b"\\x").replace(b"+", b" ")
    try:
        raw = escaped.decode("unicode_escape").encode("latin-1")
    except UnicodeDecodeError:
        raw = unquote_to_bytes(part.replace(b"+", b" "))
    return raw.decode("utf-8", "replace")


def _content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    fields = [f.strip() for f in header.split(";")]
    charset = None
    for param in fields[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return fields[0].lower(), charset


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to be longer than `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


def _too_large(limit: int) -> HttpProblem:
    return HttpProblem(413, f"request body larger than the limit of {limit} bytes")


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise HttpProblem(415, f"unsupported charset {charset!r}: SPARQL requests are UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpProblem(400, f"request body is not valid UTF-8 (byte {err.start})") from err


def _from_params(params: Params) -> SparqlRequest:
    queries, updates = params.get("query", []), params.get("update", [])
    if len(queries) + len(updates) != 1:
        raise HttpProblem(400, "give exactly one 'query' or one 'update' parameter")
    operation = "query" if queries else "update"
    return _with_dataset(operation, (queries or updates)[0], params)


def _with_dataset(operation: str, text: str, params: Params) -> SparqlRequest:
    formats = tuple(v for name in FORMAT_PARAMS for v in params.get(name, []))
    return SparqlRequest(
        operation=operation,
        text=text,
        default_graphs=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
        format=formats or None,
        using_graphs=params.get("using-graph-uri", []),
        using_named_graphs=params.get("using-named-graph-uri", []),
    )
