"""The wire side of the remote store: SPARQL 1.1 Protocol and Graph Store Protocol over httpx.

`ServerKind` holds what differs between servers (endpoint paths, how the union default
graph is asked for, the name of a per-query time limit parameter); `SparqlClient` sends the
requests and turns every failure into lcgraph's error types. Credentials live only in the
httpx auth object: they are never part of a message, a URL shown to anyone, or a repr.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, Store, parse_query_results

from lcgraph import formats
from lcgraph.errors import QueryError, QueryTimeout, StoreError
from lcgraph.query_errors import syntax_error
from lcgraph.store.sparql_text import query_form

# What the remote server is asked for: formats pyoxigraph parses fast, the line-based first
_RESULTS_ACCEPT = formats.accept_header((formats.BY_NAME["json"], formats.BY_NAME["xml"]))
_NTRIPLES, _TURTLE = formats.BY_NAME["ntriples"], formats.BY_NAME["turtle"]
_GRAPH_ACCEPT = formats.accept_header((_NTRIPLES, _TURTLE, formats.BY_NAME["rdfxml"]))
_GSP_ACCEPT = formats.accept_header((_NTRIPLES, _TURTLE))
_ASK_TABLE = "__ask_retval"  # Virtuoso answers ASK as a one-cell table of 0 or 1
_WRITE_TIMEOUT = httpx.Timeout(600.0, connect=10.0)  # a big chunk or MOVE can take minutes
_TRANSIENT = {408, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class ServerKind:
    """What one kind of server needs: endpoint paths and its dialect of the protocol.

    `union`: "param" sends `union-default-graph` (Oxigraph server); "native" means the
    server's default graph already is the union of the named graphs (Virtuoso, GraphDB,
    Fuseki with `tdb2:unionDefaultGraph true`).
    `timeout_param`: the query parameter that carries a per-query limit, and how many of
    its units make one second (Virtuoso counts milliseconds); None when there is none.
    """

    name: str
    query_path: str
    update_path: str
    gsp_path: str
    union: str = "native"
    timeout_param: tuple[str, float] | None = None
    digest_auth: bool = False


SERVER_KINDS: dict[str, ServerKind] = {
    "oxigraph": ServerKind("oxigraph", "/query", "/update", "/store", union="param"),
    "fuseki": ServerKind("fuseki", "/query", "/update", "/data", timeout_param=("timeout", 1.0)),
    "virtuoso": ServerKind(
        "virtuoso",
        "/sparql",
        "/sparql-auth",
        "/sparql-graph-crud-auth",
        timeout_param=("timeout", 1000.0),
        digest_auth=True,
    ),
    "graphdb": ServerKind(
        "graphdb", "", "/statements", "/rdf-graphs/service", timeout_param=("timeout", 1.0)
    ),
    "generic": ServerKind("generic", "/query", "/update", "/data"),
}


@dataclass(frozen=True)
class Endpoints:
    """Absolute endpoint URLs of one server (no credentials in them)."""

    query: str
    update: str
    gsp: str


def server_kind(name: str) -> ServerKind:
    """The preset called `name`; StoreError naming the known ones otherwise."""
    try:
        return SERVER_KINDS[name]
    except KeyError:
        known = ", ".join(sorted(SERVER_KINDS))
        raise StoreError(f"remote_server {name!r} is not known (expected one of {known})") from None


class SparqlClient:
    """One server's SPARQL endpoints. Raises QueryError, QueryTimeout or StoreError only."""

    def __init__(
        self,
        endpoints: Endpoints,
        kind: ServerKind,
        auth: httpx.Auth | None,
        headers: dict[str, str],
        timeout_s: float,
    ) -> None:
        self.endpoints = endpoints
        self.kind = kind
        self.timeout_s = timeout_s
        self._http = httpx.Client(auth=auth, headers=headers, timeout=timeout_s)

    def __repr__(self) -> str:
        return f"SparqlClient({self.endpoints.query!r}, kind={self.kind.name!r})"

    def close(self) -> None:
        self._http.close()

    # --- queries -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        union: bool,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> Any:
        """Run a read query; returns pyoxigraph QuerySolutions, QueryBoolean or QueryTriples.

        The limit `timeout_s` is passed on where the server takes one and enforced here as
        a wall-clock deadline on the whole response in any case (QueryTimeout).
        """
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        if union and not default_graphs and self.kind.union == "param":
            form.append(("union-default-graph", ""))
        if self.kind.timeout_param is not None:
            name, per_second = self.kind.timeout_param
            form.append((name, str(int(self.timeout_s * per_second))))
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        body, media_type = self._post_read(form, _GRAPH_ACCEPT if graph else _RESULTS_ACCEPT)
        return parse_response(body, media_type)

    def _post_read(self, form: list[tuple[str, str]], accept: str) -> tuple[bytes, str]:
        deadline = time.monotonic() + self.timeout_s
        request = self._http.build_request(
            "POST", self.endpoints.query, data=dict(_group(form)), headers={"Accept": accept}
        )
        try:
            response = self._http.send(request, stream=True)
            try:
                body = _read_until(response, deadline, self.timeout_s)
            finally:
                response.close()
        except httpx.TimeoutException as err:
            raise QueryTimeout(f"the query ran past {self.timeout_s:g} s") from err
        except httpx.TransportError as err:
            raise StoreError(f"{self.endpoints.query}: cannot reach the server: {err}") from err
        _raise_for_status(response.status_code, body, self.endpoints.query, query=True)
        return body, response.headers.get("content-type", "")

    # --- writes ------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Send one SPARQL 1.1 Update request (one transaction where the server has them)."""
        self._send(
            "POST",
            self.endpoints.update,
            content=sparql.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace `graph` with `ntriples` (Graph Store Protocol PUT)."""
        self._send(
            "PUT",
            self.endpoints.gsp,
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": _NTRIPLES.media_type},
        )

    def get_graph(self, graph: str) -> tuple[bytes, RdfFormat]:
        """The triples of `graph` (Graph Store Protocol GET); empty when it does not exist."""
        response = self._send(
            "GET",
            self.endpoints.gsp,
            params={"graph": graph},
            headers={"Accept": _GSP_ACCEPT},
            missing_ok=True,
        )
        if response.status_code == 404:
            return b"", RdfFormat.N_TRIPLES
        return response.content, _rdf_format(response.headers.get("content-type", ""))

    def _send(
        self, method: str, url: str, *, missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        try:
            response = self._http.request(method, url, timeout=_WRITE_TIMEOUT, **kwargs)
        except httpx.TransportError as err:
            raise TransientError(f"{url}: cannot reach the server: {err}") from err
        if not (missing_ok and response.status_code == 404):
            _raise_for_status(response.status_code, response.content, url, query=False)
        return response


class TransientError(StoreError):
    """A failure worth retrying: the server was unreachable, busy or failed internally."""


def _group(form: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in form:
        grouped.setdefault(key, []).append(value)
    return grouped


def _read_until(response: httpx.Response, deadline: float, limit: float) -> bytes:
    """The whole body, or QueryTimeout once the wall clock passes `deadline`."""
    parts: list[bytes] = []
    for part in response.iter_bytes():
        parts.append(part)
        if time.monotonic() > deadline:
            raise QueryTimeout(f"the query ran past {limit:g} s")
    return b"".join(parts)


def _raise_for_status(status: int, body: bytes, url: str, *, query: bool) -> None:
    if status < 300:
        return
    message = body.decode("utf-8", "replace").strip()[:500] or f"HTTP {status}"
    if status in (401, 403):
        raise StoreError(f"{url}: the server refused the credentials (HTTP {status})")
    if status in _TRANSIENT:
        if query and status == 503 and "timeout" in message.lower():
            raise QueryTimeout(message)
        raise TransientError(f"{url}: HTTP {status}: {message}")
    if query and status == 400:
        error = syntax_error(SyntaxError(message))
        raise error if error.line is not None else QueryError(message)
    raise StoreError(f"{url}: HTTP {status}: {message}")


def _rdf_format(content_type: str) -> RdfFormat:
    media_type = content_type.split(";")[0].strip()
    found = RdfFormat.from_media_type(media_type) if media_type else None
    if found is None:
        raise StoreError(f"the server answered with an unknown RDF type {content_type!r}")
    return found


def parse_response(body: bytes, content_type: str) -> Any:
    """A query response as the embedded store would return it (same pyoxigraph types).

    Graph results go through an in-memory Store so that the caller gets a real
    `QueryTriples`, as from `Store.query` on a CONSTRUCT or DESCRIBE.
    """
    media_type = content_type.split(";")[0].strip()
    results = QueryResultsFormat.from_media_type(media_type) if media_type else None
    if results is not None:
        return _ask_table_as_boolean(parse_query_results(body, format=results))
    graph = Store()
    if body:
        graph.bulk_load(body, format=_rdf_format(content_type))
    return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _ask_table_as_boolean(result: Any) -> Any:
    """Virtuoso's one-cell ASK table as the QueryBoolean the embedded store returns."""
    if not isinstance(result, QuerySolutions):
        return result
    names = [variable.value.lower() for variable in result.variables]
    if names != [_ASK_TABLE]:
        return result
    rows = list(result)
    answer = bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")
    return parse_query_results(
        json.dumps({"head": {}, "boolean": answer}), format=QueryResultsFormat.JSON
    )
