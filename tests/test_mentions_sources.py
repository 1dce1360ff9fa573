"""From mapped sources to the rules' input: summaries and projects, declared by the mappings.

The build calls `summaries_of` and `projects_of` on what it read, after the stakeholders
step filled `@organisation` (docs/mentions.md); here a small EU-like file and two mappings
over it (projects, and their beneficiaries as organisations) stand in for the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lcgraph.iris import LC, Iris
from lcgraph.mapping_spec import Mapping, load_mappings
from lcgraph.sources import SourceFile, read_source
from lcgraph.stakeholders.mentions import named_partners, summaries_of
from lcgraph.stakeholders.text_rules import funders_of, places_of, text_inferences
from lcgraph.stakeholders.topsectors import codes_of, inferred_sectors, projects_of, read_rules

IRIS = Iris("https://example.org/lc")
CSV = """nr,Begunstigde,Titel,Samenvatting,thema
1,Hanzehogeschool Groningen,Glastuinbouw in het Noorden,"Met TNO en de RUG, voor de tuinbouw.",
2,TNO,Sensoren,"In samenwerking met de Hanzehogeschool Groningen.",HTSM
3,Stichting Onbekend,Iets,,
"""
PROJECTS = """source: eu.csv
graph: eu-projects
subject: "id:project/eu-{nr}"
types: [lc:FundedProject]
key: [nr]
static:
  lc:fundingScheme: {ref: "def:funding-scheme/efro"}
columns:
  nr: {predicate: dct:identifier}
  Titel: {predicate: skos:prefLabel, lang: nl}
  Samenvatting: {predicate: dct:description, lang: nl}
  thema: {predicate: lc:statedSector, ref: "def:topsector/{value}"}
"""
BENEFICIARIES = """source: eu.csv
graph: eu-organisations
subject: "id:organisation/{@organisation}"
types: [lc:Organisation]
organisation: {name: Begunstigde}
columns:
  Begunstigde: {predicate: skos:altLabel, lang: nl}
"""
Read = list[tuple[Mapping, SourceFile]]
SLUGS = {"Hanzehogeschool Groningen": "hanze", "TNO": "tno"}  # what reconciliation gives


@pytest.fixture
def read(tmp_path: Path) -> Read:
    (tmp_path / "eu.csv").write_text(CSV, encoding="utf-8")
    mappings = []
    for name, text in (("projects", PROJECTS), ("beneficiaries", BENEFICIARIES)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        mappings.extend(load_mappings(folder, IRIS).values())
    source = read_source(tmp_path / "eu.csv", mappings[0].read)  # read once, as the build does
    for row in source.rows:  # the stakeholders step's work
        if row.values["Begunstigde"] in SLUGS:
            row.values["@organisation"] = SLUGS[row.values["Begunstigde"]]
    return [(mapping, source) for mapping in mappings]


def test_summaries_come_with_project_beneficiary_and_source_row(read: Read) -> None:
    summaries = {s.project.rsplit("/", 1)[1]: s for s in summaries_of(read, "curated", IRIS)}
    assert set(summaries) == {"eu-1", "eu-2", "eu-3"}
    first = summaries["eu-1"]
    assert first.project == IRIS.id_iri("project", "eu-1")
    assert first.text == "Met TNO en de RUG, voor de tuinbouw."
    assert first.beneficiaries == {"hanze"}
    assert first.beneficiary_names == ("Hanzehogeschool Groningen",)
    assert first.source == IRIS.source_iri("curated", "eu.csv") + "#row=2"
    assert summaries["eu-3"].beneficiaries == frozenset()


def test_named_partners_of_the_mapped_projects(read: Read) -> None:
    names = {"hanze": ["Hanzehogeschool Groningen"], "tno": ["TNO"]}
    quads = named_partners(summaries_of(read, "curated", IRIS), names, iris=IRIS)
    members = {
        (q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
        for q in quads
        if q.predicate.value.endswith("#member")
    }
    assert members == {("eu-1--named-partner--tno", "tno"), ("eu-2--named-partner--hanze", "hanze")}


def test_projects_carry_title_summary_scheme_names_and_a_stated_sector(read: Read) -> None:
    types = {"hanze": frozenset({LC + "UniversityOfAppliedSciences"})}
    projects = {p.iri.rsplit("/", 1)[1]: p for p in projects_of(read, "curated", IRIS, types)}
    first, second = projects["eu-1"], projects["eu-2"]
    assert (first.title, first.scheme, first.names) == (
        "Glastuinbouw in het Noorden",
        "efro",
        ("Hanzehogeschool Groningen",),
    )
    assert first.types == {LC + "UniversityOfAppliedSciences"} and not first.stated
    assert second.stated  # its source states a topsector


def test_only_projects_without_a_stated_sector_get_an_inferred_one(
    read: Read,
    tmp_path: Path,
) -> None:
    table = tmp_path / "topsectors.csv"
    table.write_text(
        "id,kind,value,topsector,note\n"
        "glastuinbouw,keyword,glastuinbouw*,TU,greenhouses\n"
        "sensoren,keyword,sensor*,HTSM,sensors\n",
        encoding="utf-8",
    )
    codes = codes_of([IRIS.def_iri("topsector", "TU"), IRIS.def_iri("topsector", "HTSM")], IRIS)
    rules = read_rules(table, codes, IRIS)
    quads = inferred_sectors(rules, projects_of(read, "curated", IRIS), IRIS)
    sectors = {
        (q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
        for q in quads
        if q.predicate.value == LC + "inferredSector"
    }
    assert sectors == {("eu-1", "TU")}


def test_text_inferences_are_one_mapped_source_for_the_build(read: Read, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mention-stoplist.csv").write_text("name,why\nRUG,a test\n", encoding="utf-8")
    (rules / "topsectors.csv").write_text(
        "id,kind,value,topsector,note\ntuinbouw,keyword,glastuinbouw*,TU,horticulture\n",
        encoding="utf-8",
    )
    names = {"hanze": ["Hanzehogeschool Groningen"], "tno": ["TNO"], "rug": ["RUG"]}
    subjects = [IRIS.def_iri("topsector", "TU")]
    out = text_inferences(read, "curated", IRIS, rules, names, {}, subjects)
    assert out.graphs == {IRIS.inferred_graph, IRIS.provenance_graph}
    members = {o.rsplit("/", 1)[1] for _, p, o in out.links if p.endswith("#member")}
    assert members == {"tno", "hanze"}  # the RUG is on the stop list
    sector = (
        IRIS.id_iri("project", "eu-1"),
        LC + "inferredSector",
        IRIS.def_iri("topsector", "TU"),
    )
    assert sector in out.links
    lines = "".join(out.lines).splitlines()
    graphs = (f"<{IRIS.inferred_graph}> .", f"<{IRIS.provenance_graph}> .")
    assert lines and all(line.endswith(graphs) for line in lines)
    derived = [line for line in lines if "wasDerivedFrom" in line]
    assert derived and all(line.endswith(graphs[1]) for line in derived)


def test_without_rule_files_nothing_is_inferred_from_text(read: Read, tmp_path: Path) -> None:
    out = text_inferences(read, "curated", IRIS, tmp_path / "none", {"tno": ["TNO"]}, {}, [])
    assert out.links == [] and "".join(out.lines).strip() == ""


def test_places_are_the_names_of_the_regions_read(tmp_path: Path) -> None:
    (tmp_path / "gemeenten.csv").write_text("code,naam\n0344,Utrecht\n0356,Nieuwegein\n", "utf-8")
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "gemeenten.yaml").write_text(
        'source: gemeenten.csv\ngraph: regions\nsubject: "id:municipality/{code}"\n'
        "types: [lc:Municipality]\ncolumns:\n  code: {predicate: dct:identifier}\n"
        "  naam: {predicate: skos:prefLabel, lang: nl}\n",
        encoding="utf-8",
    )
    [mapping] = load_mappings(folder, IRIS).values()
    source = read_source(tmp_path / "gemeenten.csv", mapping.read)
    assert places_of([(mapping, source)]) == ["Utrecht", "Nieuwegein"]


def test_an_organisation_block_without_a_name_gives_no_beneficiary_name(
    read: Read, tmp_path: Path
) -> None:
    folder = tmp_path / "codes"
    folder.mkdir()
    (folder / "codes.yaml").write_text(
        'source: eu.csv\ngraph: codes\nsubject: "id:organisation/{@organisation}"\n'
        "types: [lc:Organisation]\norganisation: {identifiers: {brin: nr}}\n"
        "columns:\n  nr: {predicate: dct:identifier}\n",
        encoding="utf-8",
    )
    [codes] = load_mappings(folder, IRIS).values()
    summaries = summaries_of([(codes, read[0][1]), *read], "curated", IRIS)
    assert {s.beneficiary_names for s in summaries} == {
        ("Hanzehogeschool Groningen",),
        ("TNO",),
        ("Stichting Onbekend",),
    }


def test_the_funder_of_a_projects_scheme_is_not_its_named_partner(
    read: Read, tmp_path: Path
) -> None:
    (tmp_path / "schemes.csv").write_text("code,funder\nefro,tno\n", encoding="utf-8")
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "schemes.yaml").write_text(
        'source: schemes.csv\ngraph: schemes\nsubject: "def:funding-scheme/{code}"\n'
        "types: [lc:FundingScheme]\ncolumns:\n  code: {predicate: dct:identifier}\n"
        '  funder: {predicate: lc:funder, ref: "id:organisation/{value}"}\n',
        encoding="utf-8",
    )
    [schemes] = load_mappings(folder, IRIS).values()
    both = [*read, (schemes, read_source(tmp_path / "schemes.csv", schemes.read))]
    assert funders_of(both, IRIS) == {"efro": {"tno"}}
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mention-stoplist.csv").write_text("name,why\n", encoding="utf-8")
    names = {"hanze": ["Hanzehogeschool Groningen"], "tno": ["TNO"]}
    out = text_inferences(both, "curated", IRIS, rules, names, {}, [])
    members = {o.rsplit("/", 1)[1] for _, p, o in out.links if p.endswith("#member")}
    assert members == {"hanze"}  # TNO funds every efro project here
