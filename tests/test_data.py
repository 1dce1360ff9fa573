"""The curated data: every CSV mapped, references resolved, vocabularies complete and NL-SBB
conformant, pilots honest (stated and inferred values kept apart)."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import RdfFormat, parse, serialize
from pyshacl import validate
from support import STANDARDS

from lcgraph.iris import Iris
from lcgraph.mapping import MappedSource, map_source
from lcgraph.mapping_spec import load_mappings
from lcgraph.sources import read_csv

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
MAPPINGS = ROOT / "data" / "mappings"
ONTOLOGY = ROOT / "ontology" / "lcgraph-edit.ttl"
IRIS = Iris("https://w3id.org/lcgraph")
NL_SBB_SHAPES = STANDARDS / "nl-sbb-skos-ap-nl.ttl"
# The reference code lists and the seed text, copied in unchanged: their recorded checksums.
REFERENCE_SUMS = SOURCES / "SHA256SUMS"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

SEVEN_PILOTS = {
    "rdm-makerspace": "RDM Makerspace - additive manufacturing",
    "transportplanner": "Transportplanner",
    "mentor-program-knw": "Mentor Program KNW",
    "lll-groene-sector": "LLL in groene sector",
    "energy-college": "Energy College",
    "pop-up-safety-wind": "POP UP-Safety Wind",
    "career-windenergie-op-zee": "CAREER windenergie op zee",
}
# What the source states about each named pilot's sector: nothing (it gives only counts
# for the set of twenty). A stated sector that is not here was inferred, and belongs in
# sectors_inferred.
SECTORS_STATED_BY_SOURCE: dict[str, set[str]] = {pilot: set() for pilot in SEVEN_PILOTS}

# Top concepts per scheme: the complete enumerations of the seed text
# (data/sources/seed/, as the team's domain notes list them).
TOP_CONCEPTS = {
    "learning-function": 3,
    "learning-mode": 3,
    "learning-status": 2,
    "innovation-phase": 2,
    "innovation-object": 6,
    "embedding-level": 4,
    "change-condition": 3,
    "technology": 7,
    "bottleneck": 7,
    "solution-direction": 7,
    "need": 8,
    "success-factor": 6,
    "steering-area": 9,
    "learning-environment": 12,
    "research-theme": 10,
    "research-question": 6,
    "ambition": 4,
    "perspective": 4,
    "policy-theme": 5,
    "research-programme": 5,
    "collaboration-form": 9,
    "helix": 5,
    "brokerage-role": 4,
}


def _rows(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _mapped() -> tuple[MappedSource, ...]:
    mappings = load_mappings(MAPPINGS, IRIS)
    return tuple(
        map_source(read_csv(path), mappings[path.stem], "curated", IRIS)
        for path in sorted(SOURCES.glob("*.csv"))
    )


@cache
def _ontology_terms() -> frozenset[str]:
    graph = rdflib.Graph().parse(ONTOLOGY)
    return frozenset(str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef))


def test_every_csv_has_exactly_one_mapping_and_every_mapping_a_csv() -> None:
    """Of data/sources; the open data (`../open/…`) is mapped by several mappings per file."""
    mapped = [m.source for m in load_mappings(MAPPINGS, IRIS).values()]
    own = sorted(s for s in mapped if not s.startswith("../"))
    assert own == sorted(path.name for path in SOURCES.glob("*.csv"))
    assert all((SOURCES / s).is_file() for s in mapped)


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.csv")), ids=lambda p: p.name)
def test_every_column_is_mapped_or_ignored(path: Path) -> None:
    mapping = load_mappings(MAPPINGS, IRIS)[path.stem]
    assert read_csv(path).header == list(mapping.columns)


def test_every_source_maps_without_problems() -> None:
    problems = [str(p) for result in _mapped() for p in result.problems]
    assert problems == []


def test_every_reference_resolves_to_a_subject_or_an_ontology_term() -> None:
    defined = set(_ontology_terms())
    for result in _mapped():
        defined.update(result.subjects)
    unresolved = sorted(
        {
            (row.file, name, value)
            for result in _mapped()
            for target, row, name, value in result.refs
            if target not in defined
        }
    )
    assert unresolved == []


def _recorded_sums() -> dict[str, str]:
    """`sha256sum` lines (`DIGEST  ./NAME`) as name -> digest."""
    lines = REFERENCE_SUMS.read_text(encoding="utf-8").splitlines()
    return {name.removeprefix("./"): digest for digest, name in (ln.split("  ", 1) for ln in lines)}


def test_every_copy_that_sources_md_names_has_a_checksum() -> None:
    """SOURCES.md's copied reference lists (first paragraph of their section) and seed text."""
    text = (SOURCES / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## Reference code lists", 1)[1].split("\n\n", 2)[1]
    copies = set(re.findall(r"`([\w-]+\.csv)`", section))
    copies |= set(re.findall(r"`(seed/[\w.]+\.txt)`", text))
    assert len(copies) == 6
    assert set(_recorded_sums()) == copies


@pytest.mark.parametrize("name, digest", sorted(_recorded_sums().items()))
def test_reference_files_are_unchanged_copies(name: str, digest: str) -> None:
    assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == digest


def test_schemes_are_those_of_the_model() -> None:
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = model.split("## Vocabularies", 1)[1].split("##", 1)[0]
    declared = dict(re.findall(r"([a-z-]+):\s+([A-Z][A-Za-z]+)", section))
    schemes = {row["slug"]: row["concept_class"] for row in _rows("schemes.csv")}
    assert schemes == declared


def test_each_concept_has_its_schemes_class() -> None:
    classes = {row["slug"]: row["concept_class"] for row in _rows("schemes.csv")}
    wrong = [
        (r["scheme"], r["code"])
        for r in _rows("concepts.csv")
        if classes[r["scheme"]] != r["class"]
    ]
    assert wrong == []


def test_every_enumeration_of_the_domain_is_complete() -> None:
    tops = Counter(r["top_concept_of"] for r in _rows("concepts.csv") if r["top_concept_of"])
    assert {scheme: tops[scheme] for scheme in TOP_CONCEPTS} == TOP_CONCEPTS


def test_top_concepts_are_exactly_the_concepts_without_broader() -> None:
    for row in _rows("concepts.csv"):
        assert bool(row["broader"]) != bool(row["top_concept_of"]), row["code"]
        assert row["top_concept_of"] in ("", row["scheme"]), row["code"]


def test_participation_roles_hold_the_four_roles_of_nieuwenhuis() -> None:
    roles = {r["code"]: r for r in _rows("concepts.csv") if r["scheme"] == "participation-role"}
    assert {"participant", "knowledge-user", "knowledge-transfer", "knowledge-development"} <= set(
        roles
    )
    additions = [r for r in roles.values() if r["source_section"].startswith("project addition")]
    assert all(r["editorial_note"] for r in additions)


def test_learning_environments_carry_their_learning_result_in_both_languages() -> None:
    rows = [r for r in _rows("concepts.csv") if r["scheme"] == "learning-environment"]
    assert all(r["learning_result_nl"] and r["learning_result_en"] for r in rows)


def test_topsector_definitions_cover_exactly_the_topsectoren() -> None:
    codes = [r["code"] for r in _rows("topsectoren.csv")]
    assert [r["code"] for r in _rows("topsector_definitions.csv")] == codes
    assert len(codes) == 10 and "ICT" in codes


def test_the_seven_named_pilots_are_there() -> None:
    pilots = {r["id"]: r["name"] for r in _rows("learning_communities.csv") if r["type"] == "Pilot"}
    assert pilots == SEVEN_PILOTS


def test_stated_sectors_are_only_what_the_source_states() -> None:
    for row in _rows("learning_communities.csv"):
        stated = {s.strip() for s in row["sectors_stated"].split(";") if s.strip()}
        assert stated <= SECTORS_STATED_BY_SOURCE.get(row["id"], set()), row["id"]


def test_every_inferred_value_says_how_it_was_inferred() -> None:
    for row in _rows("learning_communities.csv"):
        if row["sectors_inferred"]:
            assert row["inference_note"], row["id"]


def test_sources_md_describes_every_csv() -> None:
    text = (SOURCES / "SOURCES.md").read_text(encoding="utf-8")
    assert [p.name for p in SOURCES.glob("*.csv") if p.name not in text] == []


def _vocabulary_graph() -> rdflib.Graph:
    """The vocab-* graphs and the documents they cite, mapped straight from the CSVs."""
    quads = "".join(
        line
        for result in _mapped()
        if any("/vocab-" in g or g.endswith("/documents") for g in result.graphs)
        for line in result.lines
        if "/graph/provenance>" not in line
    )
    triples = serialize(
        (q.triple for q in parse(quads, format=RdfFormat.N_QUADS)), format=RdfFormat.N_TRIPLES
    )
    return rdflib.Graph().parse(data=triples, format="nt")


def test_vocabularies_conform_to_nl_sbb() -> None:
    data = _vocabulary_graph()
    # the 26 schemes of the source, and funding-scheme (a project addition)
    assert len(set(data.subjects(rdflib.RDF.type, rdflib.SKOS.ConceptScheme))) == 27
    shapes = rdflib.Graph().parse(NL_SBB_SHAPES)
    _, report, text = validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    assert violations == [], text
