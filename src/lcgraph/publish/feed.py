"""The change feed: ActivityStreams 2.0 (JSON-LD) for harvesters, Atom for people.

`/changes` is an `OrderedCollection` of `Create`, `Update` and `Delete` activities, one per
resource and release (from each kept release's `changes.json`, `publish.changelog`), in
`OrderedCollectionPage`s of `PAGE_SIZE`, newest first: a harvester reads from `first` and
stops at the first activity it has seen. This is the shape of the IIIF Change Discovery API
and of the AS2 change notifications that Linked Data Event Streams publishers offer
(`object` the resource, a date, the type of change), with the order the other way round
(ActivityPub's outbox order) so that the newest changes are on page 1:

    {"type": "Update", "id": "{base}/dataset/{release}#change-…",
     "object": "{base}/id/…", "published": "2026-…", "context": "{base}/dataset/{release}"}

`context` is the release (its DCAT dataset) that the change belongs to; `published` its
build date. Page IRIs are files (`/changes.page-2.jsonld`), like the resource pages'
(`/doc/t/r.page-2.en.html`), so the static site holds the same feed.

The Atom feed (RFC 4287, written with feedgen) has one entry per release: its counts and a
link to its delta files.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from lcgraph.iris import Iris
from lcgraph.publish import changelog, dumps
from lcgraph.publish.delta import ADDED, CHANGES, REMOVED

AS2_CONTEXT = "https://www.w3.org/ns/activitystreams"
ACTIVITY_JSON = "application/activity+json"
LD_JSON = f'application/ld+json; profile="{AS2_CONTEXT}"'
ATOM = "application/atom+xml"
PAGE_SIZE = 100
COLLECTION, ATOM_PATH = "/changes", "/changes.atom"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # Atom needs a date; a release without one sorts first


def page_path(page: int) -> str:
    return f"/changes.page-{page}.jsonld"


def pages(log: changelog.ChangeLog) -> int:
    return -(-len(log.events) // PAGE_SIZE)


def collection(log: changelog.ChangeLog, iris: Iris) -> dict[str, Any]:
    """The OrderedCollection: how many activities there are, and its first and last page."""
    doc: dict[str, Any] = {
        "@context": AS2_CONTEXT,
        "id": iris.base + COLLECTION,
        "type": "OrderedCollection",
        "name": "lcgraph: what changed, per resource and release",
        "totalItems": len(log.events),
    }
    if log.events:
        doc["first"] = iris.base + page_path(1)
        doc["last"] = iris.base + page_path(pages(log))
    return doc


def page(log: changelog.ChangeLog, iris: Iris, number: int) -> dict[str, Any]:
    """Page `number` (1 is the newest); the caller checks 1 <= number <= pages(log)."""
    newest_first = log.events[::-1]
    start = (number - 1) * PAGE_SIZE
    doc: dict[str, Any] = {
        "@context": AS2_CONTEXT,
        "id": iris.base + page_path(number),
        "type": "OrderedCollectionPage",
        "partOf": iris.base + COLLECTION,
        "startIndex": start,
        "totalItems": len(log.events),
    }
    if number > 1:
        doc["prev"] = iris.base + page_path(number - 1)
    if number < pages(log):
        doc["next"] = iris.base + page_path(number + 1)
    doc["orderedItems"] = [activity(e, iris) for e in newest_first[start : start + PAGE_SIZE]]
    return doc


def activity(event: changelog.Event, iris: Iris) -> dict[str, Any]:
    release = activity_release(iris, event.release)
    item: dict[str, Any] = {
        "id": activity_iri(iris, event),
        "type": event.kind,
        "object": event.iri,
        "context": release,
    }
    if event.issued is not None:
        item["published"] = event.issued
    return item


def activity_release(iris: Iris, release: str) -> str:
    return f"{iris.base}/dataset/{release}"


def activity_iri(iris: Iris, event: changelog.Event) -> str:
    """`{release}#change-{hash of the resource}`: one activity per resource and release."""
    digest = hashlib.blake2b(event.iri.encode(), digest_size=8).hexdigest()
    return f"{activity_release(iris, event.release)}#change-{digest}"


def atom(log: changelog.ChangeLog, iris: Iris) -> bytes:
    """The Atom feed: one entry per kept release, newest first."""
    fg = FeedGenerator()
    fg.id(iris.base + ATOM_PATH)
    fg.title("lcgraph releases: what changed")
    fg.subtitle("Each release of the lcgraph knowledge graph, with what it changed.")
    fg.author(name="lcgraph project")
    fg.link(href=iris.base + ATOM_PATH, rel="self", type=ATOM)
    fg.link(href=iris.base + "/", rel="alternate", type="text/html")
    fg.link(href=iris.base + COLLECTION, rel="alternate", type=ACTIVITY_JSON)
    fg.rights("CC BY 4.0, https://creativecommons.org/licenses/by/4.0/")
    fg.language("en")
    dates = [_date(r.release.issued) for r in log.releases]
    fg.updated(max(dates, default=EPOCH))
    for kept in log.releases:  # feedgen prepends each: the newest comes first
        _entry(fg, kept, iris)
    data: bytes = fg.atom_str(pretty=True)
    return data


def _entry(fg: FeedGenerator, kept: changelog.ReleaseChanges, iris: Iris) -> None:
    release = kept.release
    files = f"{iris.base}/{dumps.DUMPS}/{release.id}/"
    entry = fg.add_entry()
    entry.id(activity_release(iris, release.id))
    entry.title(f"Release {release.id}")
    entry.updated(_date(release.issued))
    if release.issued is not None:
        entry.published(_date(release.issued))
    entry.summary(_summary(kept))
    entry.link(href=files + CHANGES, rel="alternate", type="application/json", title=CHANGES)
    if release.previous is not None:  # the first release has no delta files
        for name in (ADDED, REMOVED):
            entry.link(href=files + name, rel="related", type="application/n-quads", title=name)


def _summary(kept: changelog.ReleaseChanges) -> str:
    counts = kept.resources
    added = sum(g["added"] for g in kept.graphs.values())
    removed = sum(g["removed"] for g in kept.graphs.values())
    since = f"Since {kept.release.previous}" if kept.release.previous else "First release"
    return (
        f"{since}: {counts['created']} resources created, {counts['changed']} changed, "
        f"{counts['removed']} removed; {added} quads added, {removed} removed."
    )


def _date(issued: str | None) -> datetime:
    if issued is None:
        return EPOCH
    moment = datetime.fromisoformat(issued)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
