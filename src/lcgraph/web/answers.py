"""The web's side of answering a query: HTTP request in, `QueryService` answer out as HTTP.

Everything about answering (guard, ETag, cache, in-process or worker, limits) is the query
service's (`lcgraph.querying.service`); here the request's Accept header and format
parameter become the ranked formats, its URL the base IRI, its If-None-Match the
validators, and the answer becomes a response: a whole result with headers that say
whether the row cap cut it, a streamed one (`lcgraph.web.streaming`), or 304/412.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from lcgraph.querying.answers import Complete, NotModified, QueryRequest
from lcgraph.querying.pool import OPEN
from lcgraph.querying.service import QueryService
from lcgraph.querying.terms import Wire
from lcgraph.web import negotiation, streaming
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, request_iri


async def respond(
    service: QueryService,
    req: SparqlRequest,
    request: Request,
    substitutions: Wire | None = None,
    lane: str = OPEN,
) -> Response:
    """Answer the query `req` that came with `request`; `substitutions` (named-query
    parameters) bind variables as terms; `lane` is CHEAP for queries the service knows."""
    asked = QueryRequest(
        req.text,
        negotiation.ranked_formats(request.headers.get("accept"), req.format),
        req.default_graphs,
        req.named_graphs,
        request_iri(request),
        substitutions,
        lane,
        request.headers.get("if-none-match"),
    )
    answer = await service.answer(asked)
    if isinstance(answer, NotModified):
        if request.method != "GET":  # HEAD arrives as GET (lcgraph.web.app)
            raise HttpProblem(412, f"If-None-Match matches the current result {answer.etag}")
        return Response(status_code=304, headers={"ETag": answer.etag, "Vary": "Accept"})
    headers = _headers(answer.format, answer.etag, answer.revision, answer.row_limit)
    if isinstance(answer, Complete):
        headers["X-Lcgraph-Truncated"] = "true" if answer.truncated else "false"
        return Response(answer.body, headers=headers)
    return streaming.QueryStreamResponse(
        answer.stream, answer.prefix, answer.chunks, answer.format, headers
    )


def _headers(fmt: str, etag: str, revision: str, row_limit: int) -> dict[str, str]:
    headers = {
        "Content-Type": negotiation.media_type(fmt),
        "ETag": etag,
        "Vary": "Accept",
        "X-Lcgraph-Revision": revision,
    }
    if row_limit:
        headers["X-Lcgraph-Row-Limit"] = str(row_limit)
    return headers
