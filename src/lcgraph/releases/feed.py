"""The change feed: ActivityStreams 2.0 (JSON-LD) for harvesters, Atom for people.

`/changes` is an `OrderedCollection` of `Create`, `Update` and `Delete` activities, one per
resource and release (from each kept release's `changes.json`, `releases.changelog`), in
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

The Atom feed (RFC 4287) has one entry per release: its counts and links to its
`changes.json` and delta files. It is written with the standard library's XML writer:
feedgen 1.0.0 drops the `rel`, `type` and `title` of an entry's links (its loop variable is
overwritten), which would leave three `alternate` links of one type, which RFC 4287 forbids.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from lcgraph import formats
from lcgraph.iris import Iris
from lcgraph.releases import changelog, dumps
from lcgraph.releases.delta import ADDED, CHANGES, REMOVED

AS2_CONTEXT = "https://www.w3.org/ns/activitystreams"
ACTIVITY_JSON = "application/activity+json"
LD_JSON = f'application/ld+json; profile="{AS2_CONTEXT}"'
ATOM = "application/atom+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
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
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "en"})
    _text(root, "id", iris.base + ATOM_PATH)
    _text(root, "title", "lcgraph releases: what changed")
    _text(root, "subtitle", "Each release of the lcgraph knowledge graph, with what it changed.")
    dates = [_date(r.release.issued) for r in log.releases]
    _text(root, "updated", max(dates, default=EPOCH).isoformat())
    _text(ET.SubElement(root, "author"), "name", "lcgraph project")
    _text(root, "rights", "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/")
    _link(root, iris.base + ATOM_PATH, "self", ATOM)
    _link(root, iris.base + "/", "alternate", "text/html")
    _link(root, iris.base + COLLECTION, "alternate", ACTIVITY_JSON)
    for kept in reversed(log.releases):
        _entry(root, kept, iris)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _entry(root: ET.Element, kept: changelog.ReleaseChanges, iris: Iris) -> None:
    release = kept.release
    files = f"{iris.base}/{dumps.DUMPS}/{release.id}/"
    entry = ET.SubElement(root, "entry")
    _text(entry, "id", activity_release(iris, release.id))
    _text(entry, "title", f"Release {release.id}")
    _text(entry, "updated", _date(release.issued).isoformat())
    if release.issued is not None:
        _text(entry, "published", _date(release.issued).isoformat())
    _text(entry, "summary", _summary(kept))
    _link(entry, files + CHANGES, "alternate", "application/json", CHANGES)
    if release.previous is not None:  # the first release has no delta files
        for name in (ADDED, REMOVED):
            _link(entry, files + name, "related", formats.BY_NAME["nquads"].media_type, name)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _link(parent: ET.Element, href: str, rel: str, media: str, title: str | None = None) -> None:
    attributes = {"href": href, "rel": rel, "type": media}
    ET.SubElement(parent, "link", attributes | ({"title": title} if title else {}))


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
