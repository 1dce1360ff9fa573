"""`lcgraph build`: the whole pipeline on the curated data, bad input, and atomicity."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.errors import ValidationFailed
from lcgraph.search import index_path
from lcgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

BAD = Path(__file__).parent / "fixtures" / "bad"
DATA = REPO / "data" / "sources"
LC = "https://w3id.org/lcgraph/def/lc/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, EmbeddedStore]:
    settings = Settings(store=str(tmp_path_factory.mktemp("store")), reasoner=False)
    build(settings)
    return settings, EmbeddedStore(settings.store)


def _ask(store: EmbeddedStore, query: str) -> bool:
    return bool(store.query(f"PREFIX lc: <{LC}> ASK {{ {query} }}"))


def _count(store: EmbeddedStore, where: str) -> int:
    rows = list(store.query(f"PREFIX lc: <{LC}> SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def test_build_makes_one_named_graph_per_source_plus_ontology_inferred_provenance(
    built: tuple[Settings, EmbeddedStore],
) -> None:
    _, store = built
    graphs = store.meta()["graphs"]
    base = "https://w3id.org/lcgraph/graph/"
    for name in (
        "ontology",
        "inferred",
        "provenance",
        "curated/learning-communities",
        "curated/vocab-learning-function",
    ):
        assert graphs.get(base + name, 0) > 0, name


def test_every_mapped_resource_records_its_file_and_row(built: tuple[Settings, Any]) -> None:
    _, store = built
    missing = _count(
        store,
        """
        GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/lcgraph/graph/curated/"))
        FILTER NOT EXISTS { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?row }""",
    )
    assert missing == 0
    rows = list(
        store.query("""SELECT ?row WHERE {
        <https://w3id.org/lcgraph/id/learning-community/rdm-makerspace>
            <http://www.w3.org/ns/prov#wasDerivedFrom> ?row }""")
    )
    assert [r["row"].value for r in rows] == [
        "https://w3id.org/lcgraph/source/curated/learning_communities.csv#row=2"
    ]


def test_inferred_types_let_queries_find_every_kind_of_thing(built: tuple[Settings, Any]) -> None:
    _, store = built
    assert _count(store, "?x a lc:LearningCommunity") == _count(store, "?x a lc:Pilot")
    assert _ask(
        store,
        """GRAPH <https://w3id.org/lcgraph/graph/inferred> {
        <https://w3id.org/lcgraph/id/learning-community/rdm-makerspace>
            a <http://www.w3.org/ns/org#OrganizationalCollaboration> }""",
    )


def test_region_containment_is_transitive(built: tuple[Settings, Any]) -> None:
    _, store = built
    # COROP area CR01 (Oost-Groningen) lies in province PV20, which lies in landsdeel LD01.
    assert _ask(
        store,
        """<https://w3id.org/lcgraph/id/corop-area/CR01> lc:withinRegion
        <https://w3id.org/lcgraph/id/landsdeel/LD01>""",
    )
    assert _ask(
        store,
        """<https://w3id.org/lcgraph/id/landsdeel/LD01> lc:containsRegion
        <https://w3id.org/lcgraph/id/corop-area/CR01>""",
    )


def test_inferred_sector_is_a_sector_but_not_a_stated_one(built: tuple[Settings, Any]) -> None:
    _, store = built
    pilot = "<https://w3id.org/lcgraph/id/learning-community/transportplanner>"
    sector = "<https://w3id.org/lcgraph/def/topsector/LOG>"
    assert _ask(store, f"{pilot} lc:sector {sector}")
    assert _ask(store, f"{pilot} lc:inferredSector {sector}")
    assert not _ask(store, f"{pilot} lc:statedSector {sector}")


def _bad_data(fixture: dict[str, Any], folder: Path) -> int:
    """Copy the curated data to `folder` with the fixture's one defect; returns its row."""
    shutil.copytree(DATA, folder)
    target = folder / fixture["file"]
    text = target.read_bytes()
    if not text.endswith(b"\n"):
        text += b"\n"
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8"))))
    if "copy_row" in fixture:
        row = {**rows[fixture["copy_row"] - 2], **fixture["set"]}
        line = io.StringIO()
        csv.DictWriter(line, fieldnames=list(rows[0])).writerow(row)
        text += line.getvalue().encode()
    else:
        raw = fixture.get("raw", "").encode()
        text += bytes.fromhex(fixture["raw_hex"]) if "raw_hex" in fixture else raw
    target.write_bytes(text)
    return len(rows) + 2


@pytest.mark.parametrize("name", sorted(p.stem for p in BAD.glob("*.yaml")))
def test_bad_input_names_file_row_field_value_and_keeps_the_live_graph(
    name: str, built: tuple[Settings, EmbeddedStore], tmp_path: Path
) -> None:
    settings, store = built
    fixture = yaml.safe_load((BAD / f"{name}.yaml").read_text())
    row = _bad_data(fixture, tmp_path / "data")
    before = store.revision()
    with pytest.raises(ValidationFailed) as failure:
        build(settings.model_copy(update={"data": tmp_path / "data"}))
    expect = {"file": fixture["file"], "row": row, **fixture["expect"]}
    found = [vars(p) for p in failure.value.problems]
    assert any(all(p.get(k) == v for k, v in expect.items()) for p in found), (expect, found)
    assert store.revision() == before
    assert _count(store, "?x a lc:Pilot") == 7


# A shape no curated pilot can meet: pilots have a name
NAMELESS_PILOTS = """
<urn:lcgraph-test:nameless-pilots> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/lcgraph/def/lc/Pilot> ;
    <http://www.w3.org/ns/shacl#property> [
        <http://www.w3.org/ns/shacl#path> <http://www.w3.org/2004/02/skos/core#prefLabel> ;
        <http://www.w3.org/ns/shacl#maxCount> 0
    ] .
"""


def test_a_graph_that_fails_its_shapes_leaves_no_search_index(
    built: tuple[Settings, EmbeddedStore], tmp_path: Path
) -> None:
    """The index is made after the shapes pass: a graph that fails them gets none."""
    settings, store = built
    before = store.revision()
    assert before is not None
    indexes = index_path(store, before).parent
    made = set(indexes.iterdir())
    ontology = tmp_path / "ontology"
    shutil.copytree(settings.ontology, ontology)
    shapes = ontology / "shapes" / "lcgraph.shacl.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + NAMELESS_PILOTS, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        build(settings.model_copy(update={"ontology": ontology}))
    assert failure.value.stage == "shapes"
    assert store.revision() == before
    assert set(indexes.iterdir()) == made


def test_every_problem_is_reported_not_only_the_first(
    built: tuple[Settings, Any], tmp_path: Path
) -> None:
    settings, _ = built
    shutil.copytree(DATA, tmp_path / "data")
    target = tmp_path / "data" / "learning_communities.csv"
    text = target.read_text().replace(",HTSM,", ",NOPE,").replace(",LOG,", ",ALSO-NOPE,")
    target.write_text(text)
    with pytest.raises(ValidationFailed) as failure:
        build(settings.model_copy(update={"data": tmp_path / "data"}))
    values = {p.value for p in failure.value.problems}
    assert {"NOPE", "ALSO-NOPE"} <= values


def test_a_build_killed_halfway_leaves_the_previous_graph_complete(
    built: tuple[Settings, EmbeddedStore], tmp_path: Path
) -> None:
    settings, store = built
    before, pilots = store.revision(), _count(store, "?x a lc:Pilot")
    synthetic = tmp_path / "synthetic"
    from lcgraph.synth import write_synthetic

    write_synthetic(synthetic, orgs=20_000, communities=2_000, seed=1)
    env = {**os.environ, "LCGRAPH_STORE": settings.store, "LCGRAPH_REASONER": "false"}
    command = [sys.executable, "-m", "lcgraph", "build", "--data", str(synthetic)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    generations = Path(settings.store) / "generations"
    known = set(generations.iterdir())
    deadline = time.monotonic() + 60
    while not set(generations.iterdir()) - known and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # let it write part of the new generation
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert set(generations.iterdir()) - known, "the build never started a generation"
    fresh = EmbeddedStore(settings.store)
    assert fresh.revision() == before
    assert _count(fresh, "?x a lc:Pilot") == pilots
    build(settings)  # the next build cleans up what the killed one left
    assert {p.name for p in generations.iterdir()} >= {EmbeddedStore(settings.store).revision()}
    assert not [p for p in generations.iterdir() if not (p / "lcgraph-meta.json").exists()]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("lc:Broken a owl:Class ;; rdfs:label .\n", "Turtle syntax error"),
        ("<https://w3id.org/lcgraph/id/organisation/x> a lc:SME, lc:LargeCompany .\n", "HermiT"),
    ],
    ids=["syntax-error", "inconsistent-axiom"],
)
def test_a_broken_ontology_edit_fails_the_build_and_keeps_the_live_graph(
    edit: str, expected: str, built: tuple[Settings, EmbeddedStore], tmp_path: Path
) -> None:
    settings, store = built
    ontology = tmp_path / "ontology"
    shutil.copytree(settings.ontology, ontology)
    with (ontology / "lcgraph-edit.ttl").open("a", encoding="utf-8") as edit_file:
        edit_file.write("\n" + edit)
    before = store.revision()
    with pytest.raises(ValidationFailed) as failure:
        build(settings.replace(ontology=ontology, build={"reasoner": True}))
    assert failure.value.stage == "ontology"
    assert any(expected.lower() in str(p).lower() for p in failure.value.problems), [
        str(p) for p in failure.value.problems
    ]
    assert store.revision() == before
