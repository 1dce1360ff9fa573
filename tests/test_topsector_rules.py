"""The topsector rule table: reading it, what each kind of rule matches, the quads it gives."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from lcgraph.errors import ValidationFailed
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.stakeholders.topsectors import Project, Rule, inferred_sectors, matches, read_rules

IRIS = Iris("https://example.org/lc")
RDF_TYPE = W3C_PREFIXES["rdf"] + "type"
ORG, PROV = W3C_PREFIXES["org"], W3C_PREFIXES["prov"]
ROOT = Path(__file__).resolve().parents[1]
CODES = ("AF", "CH", "EN", "HTSM", "LSH", "LOG", "TU", "WM", "CI", "ICT")
TABLE = """id,kind,value,topsector,note
glastuinbouw,keyword,glastuinbouw*,TU,greenhouses
tuinbouw,keyword,tuinbouw*,TU,horticulture
chemie,keyword,chemie,CH,the sector's name
fonds-sol,organisation-name,Levensmiddelenindustrie,AF,the food industry's training fund
raak,scheme,raak-mkb,HTSM,a test rule
zorg,organisation-type,lc:HealthcareOrganisation,LSH,a test rule
"""


def _rules(tmp_path: Path, text: str = TABLE) -> list[Rule]:
    path = tmp_path / "topsectors.csv"
    path.write_text(text, encoding="utf-8")
    return read_rules(path, CODES, IRIS)


def _sectors(rules: list[Rule], *projects: Project) -> dict[str, list[str]]:
    return {p: [r.id for r in rs] for p, rs in matches(rules, projects, IRIS).items()}


def test_each_kind_of_rule_matches_what_it_names(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    found = _sectors(
        rules,
        Project("p1", "Glastuinbouw in het Westland"),
        Project("p2", "Scholing", names=("Stichting Opleidingsfonds Levensmiddelenindustrie",)),
        Project("p3", "Onderzoek", scheme="raak-mkb"),
        Project("p4", "Opleiding", types=frozenset({LC + "HealthcareOrganisation"})),
        Project("p5", "Een project", "zonder een van de woorden"),
    )
    assert found == {"p1": ["glastuinbouw"], "p2": ["fonds-sol"], "p3": ["raak"], "p4": ["zorg"]}


def test_keywords_need_one_topsector_and_more_than_a_word_in_passing(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    found = _sectors(
        rules,
        Project("once", "Een fietsenstalling", "Ook voor de tuinbouwbedrijven."),
        Project("twice", "Gietwater", "Voor de glastuinbouw en de tuinbouw."),
        Project("two-sectors", "Tuinbouw", "De regio is sterk in chemie en tuinbouw."),
    )
    assert found == {"twice": ["glastuinbouw", "tuinbouw"]}


def test_a_project_whose_source_states_a_sector_gets_no_inferred_one(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    assert _sectors(rules, Project("sia", "Tuinbouw", stated=True)) == {}


def test_inferred_sectors_are_marked_with_their_rule(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    quads = inferred_sectors(rules, [Project("https://example.org/p", "Tuinbouw")], IRIS)
    assert {q.graph_name.value for q in quads} == {IRIS.inferred_graph}  # type: ignore[union-attr]
    project = {(q.predicate.value, q.object.value) for q in quads if q.subject.value.endswith("/p")}
    rule = IRIS.id_iri("rule", "topsector-tuinbouw")
    assert project == {
        (LC + "inferredSector", IRIS.def_iri("topsector", "TU")),
        (LC + "inferredBy", rule),
    }
    described = {(q.predicate.value, q.object) for q in quads if q.subject == NamedNode(rule)}
    assert (LC + "assignsSector", NamedNode(IRIS.def_iri("topsector", "TU"))) in described
    assert (RDF_TYPE, NamedNode(LC + "InferenceRule")) in described
    assert {o.language for p, o in described if p.endswith("#label")} == {"en", "nl"}  # type: ignore[union-attr]


def test_every_bad_cell_of_the_table_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "id,kind,value,topsector,note\n"
        "Bad Id,keyword,tuinbouw,TU,x\n"
        "ok,guess,tuinbouw,TU,x\n"
        "ok2,keyword,Stichting,TU,x\n"
        "ok3,keyword,water,XX,x\n"
        "ok4,organisation-type,Healthcare,LSH,x\n"
        "ok5,keyword,water,WM,\n"
        "ok5,keyword,water,WM,dup\n"
    )
    with pytest.raises(ValidationFailed) as failed:
        _rules(tmp_path, text)
    where = [(p.row, p.field, p.value) for p in failed.value.problems]
    assert where == [
        (2, "id", "Bad Id"),
        (3, "kind", "guess"),
        (4, "value", "Stichting"),
        (5, "topsector", "XX"),
        (6, "value", "Healthcare"),
        (7, "note", ""),
        (8, "id", "ok5"),
    ]
    assert all(p.file == "topsectors.csv" and p.expected for p in failed.value.problems)


def test_a_table_with_the_wrong_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="wrong header"):
        _rules(tmp_path, "id,kind,value\n")


def test_the_repository_table_reads() -> None:
    with (ROOT / "data" / "sources" / "topsectoren.csv").open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    rules = read_rules(ROOT / "data" / "rules" / "topsectors.csv", codes, IRIS)
    assert len(rules) >= 40
