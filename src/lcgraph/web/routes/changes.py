"""/changes (ActivityStreams 2.0), its pages, and /changes.atom: the change feed (issue 17).

Built from the kept releases (`releases.changelog`, cached per state of the history folder),
so the feed says what the releases changed, whatever graph is live. `/changes` answers
`application/activity+json` or, where `Accept` prefers it, `application/ld+json` with the
AS2 profile (the same JSON-LD); `/changes.jsonld` and the pages are that format whatever
`Accept` says (file names, as the static site holds them). A history with a broken release
answers 500 naming the release and the file: a feed with a hole would mislead a harvester.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lcgraph.errors import ReleaseError
from lcgraph.releases import changelog, feed
from lcgraph.web import negotiation
from lcgraph.web.deps import iris_of, settings_of
from lcgraph.web.errors import HttpProblem

router = APIRouter(tags=["changes"])
OFFERS = [feed.ACTIVITY_JSON, "application/ld+json"]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The page number is not a whole number from 1 (the error shape)."},
    404: {"description": "There is no such page (the error shape)."},
    500: {"description": "A kept release is broken: which one and which file."},
}


@router.get(
    "/changes",
    response_model=None,
    responses={200: {"content": {feed.ACTIVITY_JSON: {}, "application/ld+json": {}}}},
)
def changes(request: Request) -> Response:
    """The change feed: an AS2 OrderedCollection of Create/Update/Delete activities, one per
    resource and release, newest first, with its `first` and `last` page."""
    ranked = negotiation.rank(request.headers.get("accept"), OFFERS)
    if not ranked:
        raise HttpProblem(406, "the change feed is available as " + ", ".join(OFFERS))
    media_type = feed.ACTIVITY_JSON if ranked[0] == feed.ACTIVITY_JSON else feed.LD_JSON
    doc = feed.collection(_log(request), iris_of(request))
    return _json(doc, media_type, {"Vary": "Accept"})


@router.get("/changes.jsonld", response_model=None, include_in_schema=False)
def changes_jsonld(request: Request) -> Response:
    return _json(feed.collection(_log(request), iris_of(request)), feed.LD_JSON, {})


@router.get("/changes.page-{number}.jsonld", response_model=None, responses=_RESPONSES)
def changes_page(number: str, request: Request) -> Response:
    """One OrderedCollectionPage of the change feed; page 1 holds the newest activities."""
    if not number.isdigit() or int(number) < 1:
        raise HttpProblem(400, f"page {number!r} of the change feed: expected a whole number >= 1")
    log = _log(request)
    if int(number) > feed.pages(log):
        raise HttpProblem(404, f"the change feed has {feed.pages(log)} page(s), not {number}")
    return _json(feed.page(log, iris_of(request), int(number)), feed.LD_JSON, {})


@router.get(
    "/changes.atom",
    response_model=None,
    responses={200: {"content": {feed.ATOM: {}}}, 500: _RESPONSES[500]},
)
def changes_atom(request: Request) -> Response:
    """The releases as an Atom feed (RFC 4287): one entry each, its counts and delta files."""
    return Response(feed.atom(_log(request), iris_of(request)), media_type=feed.ATOM)


def _log(request: Request) -> changelog.ChangeLog:
    log = changelog.load(settings_of(request).history)
    try:
        log.check()
    except ReleaseError as err:
        raise HttpProblem(500, str(err)) from err
    return log


def _json(doc: dict[str, Any], media_type: str, headers: dict[str, str]) -> Response:
    body = json.dumps(doc, indent=1, ensure_ascii=False).encode()
    return Response(body, media_type=media_type, headers=headers)
