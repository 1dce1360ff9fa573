"""The stakeholders step in a real build: records from `organisation:` blocks, joined, named.

A small data folder in tmp: the curated sources plus a registry with ROR ids, a second list
with the same ROR ids, grants whose beneficiaries are participations (`ref:` to
`{@organisation}`) and a reference-only code list, as the open data will have them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from lcgraph.build import BuildReport, build
from lcgraph.config import Settings
from lcgraph.errors import Problem, ValidationFailed
from lcgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

DATA = REPO / "data" / "sources"
MAPPINGS = REPO / "data" / "mappings"
ID = "https://w3id.org/lcgraph/id/"

SOURCES = {
    "registry.csv": (
        "id,name,aliases,gemeente,ror\n"
        "1,Hogeschool Utrecht,HU,0344,04dkp1p98\n"
        "2,Universiteit Utrecht,Utrecht University,0344,04pp8hn57\n"
        "3,Gemeente Oost,,0001,\n"
        "4,Gemeente Oost,,0002,\n"
    ),
    "rpo.csv": "name,ror\nUtrecht University,https://ror.org/04pp8hn57\n",
    "grants.csv": (
        "operation,beneficiary,gemeente\n"
        "op-1,Stichting Hogeschool Utrecht,344\n"
        "op-2,STICHTING HOGESCHOOL UTRECHT,GM0344\n"
        "op-3,Bakkerij Jansen B.V.,0363\n"
    ),
    "codes.csv": (
        "brin,name,gemeente\n30AB,HOGESCHOOL UTRECHT,0344\n99ZZ,BASISSCHOOL DE EIK,0363\n"
    ),
}
MAPPING_FILES = {
    "registry.yaml": """
source: registry.csv
graph: registry
subject: "id:organisation/{@organisation}"
types: [lc:Organisation]
columns:
  id: {ignore: true}
  name: {predicate: skos:altLabel, lang: nl}
  aliases: {predicate: skos:altLabel, lang: nl, separator: ";"}
  gemeente: {ignore: true}
  ror: {predicate: lc:rorId}
organisation:
  name: name
  aliases: aliases
  municipality: gemeente
  identifiers: {ror: ror}
  type: lc:ResearchInstitute
""",
    "rpo.yaml": """
source: rpo.csv
graph: rpo
subject: "id:organisation/{@organisation}"
columns:
  name: {predicate: skos:altLabel, lang: en}
  ror: {ignore: true}
organisation:
  name: name
  identifiers: {ror: ror}
""",
    "grants.yaml": """
source: grants.csv
graph: grants
subject: "id:participation/grant-{operation}"
types: [lc:Participation]
static:
  org:organization: {ref: "id:learning-community/rdm-makerspace"}
  org:role: {ref: "def:participation-role/beneficiary"}
columns:
  operation: {predicate: dct:identifier}
  beneficiary: {predicate: org:member, ref: "id:organisation/{@organisation}"}
  gemeente: {ignore: true}
organisation:
  name: beneficiary
  municipality: gemeente
  type: {field: beneficiary, map: {}, default: lc:Organisation}
""",
    "codes.yaml": """
source: codes.csv
graph: codes
subject: "id:organisation/{@organisation}"
columns:
  brin: {predicate: lc:brinCode}
  name: {predicate: skos:altLabel, lang: nl}
  gemeente: {ignore: true}
organisation:
  name: name
  municipality: gemeente
  identifiers: {brin: brin}
  reference_only: true
""",
}


def _folder(root: Path, sources: dict[str, str], mappings: dict[str, str]) -> Settings:
    shutil.copytree(DATA, root / "data")
    shutil.copytree(MAPPINGS, root / "mappings")
    for name, text in sources.items():
        (root / "data" / name).write_text(text, encoding="utf-8")
    for name, text in mappings.items():
        (root / "mappings" / name).write_text(text, encoding="utf-8")
    return Settings(
        store=str(root / "store"), data=root / "data", mappings=root / "mappings", reasoner=False
    )


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, EmbeddedStore]:
    settings = _folder(tmp_path_factory.mktemp("reconcile"), SOURCES, MAPPING_FILES)
    store = EmbeddedStore(settings.store)
    return build(settings, store=store), store


def _select(store: Any, query: str) -> list[tuple[str, ...]]:
    prologue = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "PREFIX lc: <https://w3id.org/lcgraph/def/lc/>\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    )
    return sorted(tuple(term.value for term in row) for row in store.query(prologue + query))


def test_each_organisation_has_one_slug_and_one_dutch_name(
    reconciled: tuple[BuildReport, EmbeddedStore],
) -> None:
    _, store = reconciled
    labels = _select(
        store,
        "SELECT ?o ?l WHERE { GRAPH ?g { ?o a lc:Organisation ; skos:prefLabel ?l } }",
    )
    assert labels == [
        (ID + "organisation/bakkerij-jansen", "Bakkerij Jansen B.V."),
        (ID + "organisation/european-commission", "Europese Commissie"),
        (ID + "organisation/gemeente-oost", "Gemeente Oost"),
        (ID + "organisation/gemeente-oost-0002", "Gemeente Oost"),
        (ID + "organisation/hogeschool-utrecht", "Hogeschool Utrecht"),
        (ID + "organisation/regieorgaan-sia", "Regieorgaan SIA"),
        (ID + "organisation/universiteit-utrecht", "Universiteit Utrecht"),
    ]


def test_every_row_of_a_record_gets_its_organisation(
    reconciled: tuple[BuildReport, EmbeddedStore],
) -> None:
    _, store = reconciled
    members = _select(store, "SELECT ?p ?o WHERE { ?p org:member ?o }")
    grants = [(p.rsplit("/", 1)[1], o.rsplit("/", 1)[1]) for p, o in members if "grant-" in p]
    assert grants == [
        ("grant-op-1", "hogeschool-utrecht"),
        ("grant-op-2", "hogeschool-utrecht"),
        ("grant-op-3", "bakkerij-jansen"),
    ]
    # the reference record that joined a real one maps its BRIN code onto it
    brin = _select(store, "SELECT ?o ?b WHERE { ?o lc:brinCode ?b }")
    assert brin == [(ID + "organisation/hogeschool-utrecht", "30AB")]


def test_an_unmatched_reference_record_maps_nothing_and_is_counted(
    reconciled: tuple[BuildReport, EmbeddedStore],
) -> None:
    report, store = reconciled
    assert report.skipped["codes.csv: reference only, named by no other source"] == 1
    assert _select(store, 'SELECT ?o WHERE { ?o skos:altLabel "BASISSCHOOL DE EIK"@nl }') == []


def test_each_join_is_evidence_with_rule_score_and_records(
    reconciled: tuple[BuildReport, EmbeddedStore],
) -> None:
    _, store = reconciled
    rows = _select(
        store,
        f"""SELECT ?rule ?score ?detail ?record WHERE {{
          ?e a lc:ReconciliationEvidence ; lc:evidenceFor <{ID}organisation/universiteit-utrecht> ;
             lc:matchRule ?rule ; lc:matchScore ?score ; lc:matchDetail ?detail ;
             prov:wasDerivedFrom ?record }}""",
    )
    source = "https://w3id.org/lcgraph/source/curated/"
    assert rows == [
        ("identifier", "1", "ror 04pp8hn57", source + "registry.csv#row=3"),
        ("identifier", "1", "ror 04pp8hn57", source + "rpo.csv#row=2"),
    ]
    hu = _select(
        store,
        f"""SELECT DISTINCT ?rule WHERE {{
          ?e lc:evidenceFor <{ID}organisation/hogeschool-utrecht> ; lc:matchRule ?rule }}""",
    )
    assert hu == [("name+municipality",)]


def test_curated_ids_are_kept_and_their_label_is_not_repeated(
    reconciled: tuple[BuildReport, EmbeddedStore],
) -> None:
    _, store = reconciled
    labels = _select(
        store,
        f"SELECT ?l WHERE {{ GRAPH ?g {{ <{ID}organisation/regieorgaan-sia> skos:prefLabel ?l }}}}",
    )
    assert labels == [("Regieorgaan SIA",)]


DECISIONS = (
    "decision,record,other,note\n"
    "is,grants.csv#row=5,regieorgaan-sia,SIA zelf\n"
    "not-same,registry.csv#row=2,grants.csv#row=2,een andere stichting\n"
    "same,codes.csv#row=4,registry.csv#row=4,de school van de gemeente\n"
)


def _with_decisions(root: Path, decisions: str, **sources: str) -> Settings:
    settings = _folder(root, {**SOURCES, **sources}, MAPPING_FILES)
    (root / "reconciliation").mkdir()
    (root / "reconciliation" / "decisions.csv").write_text(decisions, encoding="utf-8")
    return settings


GRANTS_WITH_SIA = SOURCES["grants.csv"] + "op-4,Regieorgaan voor praktijkgericht onderzoek,\n"
CODES_WITH_OOST = SOURCES["codes.csv"] + "40CD,OBS OOST,0001\n"


def test_a_stewards_decisions_win_over_the_matcher(tmp_path: Path) -> None:
    settings = _with_decisions(
        tmp_path, DECISIONS, **{"grants.csv": GRANTS_WITH_SIA, "codes.csv": CODES_WITH_OOST}
    )
    store = EmbeddedStore(settings.store)
    build(settings, store=store)
    members = dict(_select(store, "SELECT ?p ?o WHERE { ?p org:member ?o }"))
    grant = ID + "participation/grant-"
    assert members[grant + "op-4"] == ID + "organisation/regieorgaan-sia"  # is
    # not-same: the registry's Hogeschool Utrecht keeps its slug, the grants' one gets another
    assert members[grant + "op-1"] == ID + "organisation/hogeschool-utrecht-0344"
    ror = _select(store, "SELECT ?o WHERE { ?o lc:rorId ?r }")
    assert (ID + "organisation/hogeschool-utrecht",) in ror
    rules = _select(
        store,
        f"""SELECT ?rule ?detail WHERE {{
          ?e lc:evidenceFor <{ID}organisation/gemeente-oost> ; lc:matchRule ?rule ;
             lc:matchDetail ?detail }}""",
    )
    assert rules == [("steward", "decisions.csv row 4: same (de school van de gemeente)")]


@pytest.mark.parametrize(
    ("decisions", "sources", "expected"),
    [
        (
            "decision,record,other,note\nis,grants.csv#row=2,hogeschool-oost,\n",
            {},
            ("decisions.csv", 2, "other", "hogeschool-oost", "names an organisation that does"),
        ),
        (
            "decision,record,other,note\nsame,grants.csv#row=9,registry.csv#row=2,\n",
            {},
            ("decisions.csv", 2, "record", "grants.csv#row=9", "names a record no source has"),
        ),
        (
            "decision,record,other,note\nmaybe,grants.csv#row=2,registry.csv#row=2,\n",
            {},
            ("decisions.csv", 2, "decision", "maybe", "is not a decision"),
        ),
        (
            "decision,record,other,note\n",
            {"rpo.csv": "name,ror\nUtrecht University,04pp8hn57\nPhilips Lighting,04dkp1p98\n"},
            ("rpo.csv", 3, "ror", "Philips Lighting", "gives ror 04dkp1p98 to another"),
        ),
    ],
    ids=["unknown-organisation", "unknown-record", "unknown-decision", "one-ror-two-names"],
)
def test_bad_reconciliation_input_is_located_and_leaves_the_live_graph(
    decisions: str, sources: dict[str, str], expected: tuple[Any, ...], tmp_path: Path
) -> None:
    good = _folder(tmp_path / "good", SOURCES, MAPPING_FILES)
    store = EmbeddedStore(good.store)
    build(good, store=store)
    before = store.revision()
    settings = _with_decisions(tmp_path / "bad", decisions, **sources)
    with pytest.raises(ValidationFailed) as raised:
        build(settings, store=store)
    [problem] = raised.value.problems
    found = (problem.file, problem.row, problem.field, problem.value)
    assert found == expected[:4]
    assert problem.message.startswith(expected[4]) and problem.expected
    assert store.revision() == before


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        ("Stichting Hogeschool Utrecht", "hogeschool utrecht"),
        ("HOGESCHOOL UTRECHT B.V.", "hogeschool utrecht"),
        ("University of Applied Sciences Utrecht", "hogeschool utrecht"),
        ("Utrecht University", "utrecht universiteit"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("O&amp;O fonds ENb", "o o fonds enb"),
        ("ROC van Twente", "regionaal opleidingen centrum twente"),
    ],
)
def test_names_are_compared_without_legal_form_case_accents_or_language(
    written: str, compared: str
) -> None:
    from lcgraph.stakeholders.names import key_words

    assert " ".join(key_words(written)) == compared


def test_a_name_with_two_candidates_is_reported_and_not_merged() -> None:
    from lcgraph.stakeholders import join
    from lcgraph.stakeholders.decisions import Decisions
    from lcgraph.stakeholders.records import OrgRecord

    def record(file: str, row: int, name: str, place: str | None) -> OrgRecord:
        return OrgRecord(file, f"row={row}", f"row {row}", "m", name, municipality=place)

    records = [
        record("ror.csv", 2, "Gemeente Oost", "0001"),
        record("ror.csv", 3, "Gemeente Oost", "0002"),
        record("eu.csv", 2, "Gemeente Oost", None),  # which of the two?
        record("eu.csv", 3, "Bakkerij Jansen B.V.", None),
        record("kvk.csv", 2, "Bakkerij Jansen", "0363"),  # one candidate: joined
    ]
    warnings: list[Problem] = []
    clusters = join(records, Decisions(), warnings)
    [warning] = warnings
    assert (warning.file, warning.row, warning.value) == ("eu.csv", 2, "Gemeente Oost")
    assert "2 candidate organisations" in warning.message
    assert "ror.csv row 2" in str(warning.expected) and "ror.csv row 3" in str(warning.expected)
    assert len({clusters.root(r.key) for r in records[:3]}) == 3
    assert clusters.root(("eu.csv", "row=3")) == clusters.root(("kvk.csv", "row=2"))
    [join_link] = clusters.joins
    assert join_link.rule == "name-unique" and join_link.score > 0


def test_the_build_prints_no_splink_timings(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Splink's Linker sets its logger to INFO and logs "Blocking time…" / "Predict time…"
    unless told not to (issue 13): nothing of it is printed, or even logged."""
    sources = {"grants.csv": GRANTS_WITH_SIA, "codes.csv": CODES_WITH_OOST}
    settings = _with_decisions(tmp_path, DECISIONS, **sources)
    build(settings, store=EmbeddedStore(settings.store))
    printed = capfd.readouterr()
    assert "Blocking time" not in printed.out + printed.err
    assert [r.getMessage() for r in caplog.records if r.name.startswith("splink")] == []


def test_ambiguous_records_are_noted_apart_from_damaged_text() -> None:
    report = BuildReport(
        warnings=[Problem("eu.csv", "damaged text", row=3, field="Begunstigde")],
        stakeholders=[Problem("eu.csv", "has 2 candidate organisations", row=4)],
    )
    notes = report.notes()
    assert notes[0] == "warning: eu.csv: 1 cell(s) with damaged text"
    assert notes[1].startswith("stakeholders: 1 ambiguous organisation record(s) joined to none")
    assert notes[2].startswith("stakeholders: eu.csv") and "damaged" not in notes[2]
