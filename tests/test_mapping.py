"""Mapping rows to N-Quads: terms, datatypes, refs, and located problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Dataset, RdfFormat, parse

from lcgraph.errors import MappingError
from lcgraph.iris import Iris
from lcgraph.mapping import map_source
from lcgraph.mapping_spec import load_mappings
from lcgraph.sources import read_csv
from lcgraph.values import check_value

IRIS = Iris("https://example.org/lc")
MAPPING = """
source: things.csv
graph: things
subject: "id:thing/{id}"
types: [lc:Organisation]
key: [id]
columns:
  id: {predicate: dct:identifier, required: true, pattern: "[a-z0-9-]+"}
  name: {predicate: skos:prefLabel, lang: nl, required: true}
  sectors: {predicate: lc:statedSector, ref: "def:topsector/{value}", separator: ";"}
  start: {predicate: lc:startYear, datatype: xsd:gYear}
  homepage: {predicate: foaf:homepage, iri: "{value}"}
  remarks: {ignore: true}
"""


def _map(tmp_path: Path, csv_text: str, mapping: str = MAPPING):  # type: ignore[no-untyped-def]
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "things.yaml").write_text(mapping)
    (tmp_path / "things.csv").write_text(csv_text)
    mappings = load_mappings(tmp_path / "m", IRIS)
    return map_source(read_csv(tmp_path / "things.csv"), mappings["things"], "curated", IRIS)


def test_a_row_becomes_typed_triples_in_its_graph_with_row_provenance(tmp_path: Path) -> None:
    header = "id,name,sectors,start,homepage,remarks\n"
    result = _map(tmp_path, header + "a-1,Aap,EN; LO,2017,https://a.example/,x\n")
    assert result.problems == []
    quads = list(parse("".join(result.lines).encode(), format=RdfFormat.N_QUADS))
    dataset = Dataset(quads)
    subject = "https://example.org/lc/id/thing/a-1"
    graph = "https://example.org/lc/graph/curated/things"
    objects = {(q.predicate.value, str(q.object)) for q in dataset if q.subject.value == subject}
    assert ("http://www.w3.org/2004/02/skos/core#prefLabel", '"Aap"@nl') in objects
    assert (
        "https://w3id.org/lcgraph/def/lc/startYear",
        '"2017"^^<http://www.w3.org/2001/XMLSchema#gYear>',
    ) in objects
    sectors = {o for p, o in objects if p.endswith("statedSector")}
    assert sectors == {
        "<https://example.org/lc/def/topsector/EN>",
        "<https://example.org/lc/def/topsector/LO>",
    }
    assert {q.graph_name.value for q in dataset if q.subject.value == subject} == {
        graph,
        IRIS.provenance_graph,
    }
    derived = [q.object.value for q in dataset if q.predicate.value.endswith("wasDerivedFrom")]
    assert derived == ["https://example.org/lc/source/curated/things.csv#row=2"]
    assert [(target, field) for target, _, field, _ in result.refs] == [
        ("https://example.org/lc/def/topsector/EN", "sectors"),
        ("https://example.org/lc/def/topsector/LO", "sectors"),
    ]


def test_every_bad_cell_is_reported_with_row_field_value_and_expectation(tmp_path: Path) -> None:
    header = "id,name,sectors,start,homepage,remarks\n"
    rows = (
        "a-1,,EN,17,https://a.example/,\n"  # empty required name; bad year
        "a-1,Dup,EN,2017,,\n"  # duplicate id
        "B 2,Bee,E N,2017,,\n"
    )  # id breaks pattern; sector not IRI-safe
    result = _map(tmp_path, header + rows)
    found = {(p.row, p.field, p.value, p.expected) for p in result.problems}
    assert (2, "name", "", "a value (required)") in found
    assert (2, "start", "17", "a year YYYY") in found
    assert (3, "id", "a-1", "a unique value") in found
    assert (4, "id", "B 2", "/[a-z0-9-]+/") in found
    unsafe = "cannot be used in the subject IRI"
    assert any(p.row == 4 and p.message == unsafe for p in result.problems)
    assert any(p.row == 4 and p.field == "sectors" and p.value == "E N" for p in result.problems)


def test_a_column_without_mapping_is_refused(tmp_path: Path) -> None:
    result = _map(tmp_path, "id,name,sectors,start,homepage,remarks,extra\n")
    problems = [(p.row, p.field, p.message) for p in result.problems]
    assert problems == [(1, "extra", "has no mapping")]


def test_a_mapping_with_an_unknown_prefix_fails_to_load(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="unknown prefix"):
        _map(tmp_path, "id\n", MAPPING.replace("lc:Organisation", "nope:Thing"))


@pytest.mark.parametrize(
    ("datatype", "good", "bad"),
    [
        ("integer", "-3", "3.5"),
        ("nonNegativeInteger", "7", "-1"),
        ("decimal", "2.50", "2,5"),
        ("boolean", "true", "yes"),
        ("date", "2017-02-28", "2017-02-30"),
        ("gYear", "2017", "17"),
    ],
)
def test_datatype_checks(datatype: str, good: str, bad: str) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#" + datatype
    assert check_value(xsd, good) is None
    assert check_value(xsd, bad) is not None
