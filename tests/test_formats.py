"""The one table of formats (`lcgraph.formats`) and what derives from it.

Every format's media types negotiate to it, every CLI name maps to a row, the service
description lists exactly the table's result formats, and the RDF twins' suffixes round-trip
through the page URLs.
"""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, parse

from lcgraph import formats
from lcgraph.cli import OutputFormat
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.pages.urls import Urls, parse_variant
from lcgraph.querying import results
from lcgraph.web import negotiation, service_description

ANSWERS = [f for f in formats.FORMATS if f.kinds & {"solutions", "boolean", "graph"}]
SD_RESULT_FORMAT = "http://www.w3.org/ns/sparql-service-description#resultFormat"


def _kind(fmt: formats.Format) -> str:
    return "graph" if "graph" in fmt.kinds else "solutions"


def test_names_suffixes_and_media_types_are_unique() -> None:
    assert len(formats.BY_NAME) == len(formats.FORMATS)
    assert len(formats.BY_SUFFIX) == len(formats.FORMATS)
    canonical = [f.media_type for f in formats.FORMATS]
    assert len(set(canonical)) == len(canonical)


@pytest.mark.parametrize("fmt", ANSWERS, ids=lambda f: f.name)
def test_every_media_type_negotiates_to_its_format(fmt: formats.Format) -> None:
    for media_type in fmt.media_types:
        assert negotiation.ranked_formats(media_type)[_kind(fmt)][0] == fmt.name


@pytest.mark.parametrize("fmt", ANSWERS, ids=lambda f: f.name)
def test_every_name_and_alias_is_a_format_parameter(fmt: formats.Format) -> None:
    for value in (fmt.name, *fmt.aliases, *fmt.media_types):
        assert negotiation.ranked_formats(None, value)[_kind(fmt)] == [fmt.name]


def test_sparqlwrapper_short_names_mean_one_format_per_kind() -> None:
    ranked = negotiation.ranked_formats(None, ("json", "json", "json"))
    assert ranked["solutions"] == ["json"] and ranked["graph"] == ["jsonld"]
    ranked = negotiation.ranked_formats(None, "xml")
    assert ranked["boolean"] == ["xml"] and ranked["graph"] == ["rdfxml"]


@pytest.mark.parametrize("fmt", ANSWERS, ids=lambda f: f.name)
def test_the_writers_write_every_format_of_its_kinds(fmt: formats.Format) -> None:
    for kind in fmt.kinds:
        assert fmt.name in results.formats_for(kind)
    assert negotiation.media_type(fmt.name) == fmt.content_type


def test_every_cli_name_maps_to_a_format() -> None:
    names = {member.value for member in OutputFormat} - {"table"}
    assert names == {f.name for f in ANSWERS}
    for member in OutputFormat:
        written = member.written
        assert (written is None) == (member is OutputFormat.table)
        assert written is None or written.name == member.value


def test_service_description_lists_exactly_the_result_formats() -> None:
    text = service_description.turtle("http://example.org/sparql", Settings())
    listed = {
        str(t.object.value)
        for t in parse(text.encode(), RdfFormat.TURTLE)
        if t.predicate.value == SD_RESULT_FORMAT
    }
    assert listed == {f.iri for f in ANSWERS}


def test_service_description_is_offered_in_every_rdf_format() -> None:
    assert service_description.offered_rdf_types() == [
        f.media_type for f in formats.graph_formats()
    ]


@pytest.mark.parametrize("fmt", formats.graph_formats(), ids=lambda f: f.name)
def test_twin_suffixes_round_trip_in_urls(fmt: formats.Format) -> None:
    urls = Urls(Iris("https://example.org/lcgraph"))
    twin = urls.twin("https://example.org/lcgraph/id/lc/x", fmt.name)
    assert twin == f"/doc/lc/x.{fmt.suffix}"
    variant = parse_variant(twin.removeprefix("/doc/"))
    assert (variant.key, variant.fmt) == ("lc/x", fmt.name)
