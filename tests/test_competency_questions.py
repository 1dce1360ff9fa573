"""The competency questions (queries/*.rq) answered on the curated graph.

Expected answers are computed from data/sources/*.csv wherever that is sensible, so the
tests stay right when stewards add rows; facts the source itself states (seven bottlenecks,
no pilot in Tuinbouw & Uitgangsmaterialen, ...) are checked as such.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions

from lcgraph.errors import QueryParamError
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.named_queries import NamedQuery, inline_values, load_queries
from lcgraph.querying.search_rewrite import rewrite_for_store
from lcgraph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
IRIS = Iris("https://w3id.org/lcgraph")
QUERIES = load_queries(ROOT / "queries", IRIS)
Row = dict[str, str | None]

# docs/model.md: the helix (or helices) of each organisation type.
HELICES = {
    "LargeCompany": {"business"},
    "SME": {"business"},
    "SelfEmployed": {"business"},
    "VocationalSchool": {"education"},
    "UniversityOfAppliedSciences": {"education"},
    "University": {"education", "research"},
    "ResearchInstitute": {"research"},
    "NationalGovernment": {"government"},
    "RegionalGovernment": {"government"},
    "MunicipalGovernment": {"government"},
    "CivilSocietyOrganisation": {"society"},
    "SectorTrainingFund": {"society"},
    "CommercialTrainingProvider": {"business", "education"},
}


def read(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cells(row: dict[str, str], column: str) -> list[str]:
    return [v.strip() for v in (row.get(column) or "").split(";") if v.strip()]


def answer(store: EmbeddedStore, name: str, **params: str) -> list[Row]:
    result = QUERIES[name].run(store, params)
    return [
        {str(v)[1:]: (None if row[v] is None else row[v].value) for v in result.variables}
        for row in result
    ]


def community(ident: str) -> str:
    return IRIS.id_iri("learning-community", ident)


def sector(code: str) -> str:
    return IRIS.def_iri("topsector", code)


def concept(scheme: str, code: str) -> str:
    return IRIS.def_iri(scheme, code)


def communities() -> list[dict[str, str]]:
    return read("learning_communities.csv")


def sector_facts() -> Iterator[tuple[str, str, str]]:
    """(community id, sector code, stated|inferred) from the CSV."""
    for row in communities():
        for basis in ("stated", "inferred"):
            for code in cells(row, f"sectors_{basis}"):
                yield row["id"], code, basis


def concepts_of(scheme: str) -> list[dict[str, str]]:
    return [row for row in read("concepts.csv") if row["scheme"] == scheme]


def community_links(column: str) -> set[tuple[str, str]]:
    """(community id, code) for a list column of learning_communities.csv; empty if absent."""
    return {(row["id"], code) for row in communities() for code in cells(row, column)}


# --- every query -------------------------------------------------------------------------


# The only named queries whose example cannot answer on the curated graph, and why. Every
# other query must give at least one row. Queries on what `lcgraph analyze` writes
# (analysis-*) run on the curated graph after analyze (conftest.analysed_curated_store).
NO_ROWS_ON_CURATED = {
    "changed-since": "the release history: a build keeps no releases (`lcgraph publish` does)",
    "communities-per-learning-function": "the seven pilots of the 2017 agenda state no "
    "learning function, and no open source gives one",
    "community-factors": "the agenda names bottlenecks, solutions and success factors, but "
    "ties none of them to a learning community",
    "region-sector-coverage": "no learning community states a region",
    "target-groups-by-region": "no learning community states a target group",
    "analysis-synergy-per-region": "synergy needs stakeholders with a helix, a sector and a "
    "region; no source states an organisation's topsector",
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
def test_query_answers_with_its_example_parameters(
    request: pytest.FixtureRequest, query: NamedQuery
) -> None:
    analysed = query.name.startswith("analysis-")
    store: EmbeddedStore = request.getfixturevalue(
        "analysed_curated_store" if analysed else "curated_store"
    )
    rows = list(query.run(store, {p.name: p.example for p in query.params}))
    if query.name in NO_ROWS_ON_CURATED:
        # an exception stays one only while it holds: rows here mean it can leave the list
        assert rows == [], f"{query.name} answers now: drop it from NO_ROWS_ON_CURATED"
    else:
        assert rows, f"the example of {query.name} answers nothing on the curated graph"


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
def test_values_block_gives_the_same_answer_as_substitution(
    curated_store: EmbeddedStore, query: NamedQuery
) -> None:
    """The remote-store path (a VALUES block in the text) means what substitution means."""
    for raw in ({}, {p.name: p.example for p in query.params}):
        try:
            bindings = query.bind(raw)
        except QueryParamError:
            continue  # a required parameter left out
        # as NamedQuery.run does: a search's SERVICE becomes VALUES of its hits first (an
        # engine would otherwise send the SERVICE out to the network)
        text = rewrite_for_store(
            query.text,
            curated_store,
            curated_store.revision(),
            IRIS.base,
            prefixes=IRIS.prefixes,
            bindings={v.value: b for v, b in bindings.items()},
        )
        direct = curated_store.query(text, substitutions=dict(bindings))
        inlined = curated_store.query(inline_values(text, bindings))
        assert isinstance(direct, QuerySolutions) and isinstance(inlined, QuerySolutions)
        assert _solutions(direct) == _solutions(inlined), raw


def _solutions(result: QuerySolutions) -> list[tuple[str, ...]]:
    return sorted(tuple(str(row[v]) for v in result.variables) for row in result)


# --- communities and sectors ---------------------------------------------------------------


def test_learning_communities_lists_every_row_with_its_sectors(
    curated_store: EmbeddedStore,
) -> None:
    found = {r["community"]: r for r in answer(curated_store, "learning-communities")}
    assert set(found) == {community(row["id"]) for row in communities()}
    for row in communities():
        got = found[community(row["id"])]
        assert got["label"] == row["name"]
        assert set(cells({"s": got["statedSectors"] or ""}, "s")) == set(
            cells(row, "sectors_stated")
        )
        assert set(cells({"s": got["inferredSectors"] or ""}, "s")) == set(
            cells(row, "sectors_inferred")
        )
        assert got["kind"] == ("pilot" if row["type"] == "Pilot" else "learning community")


def test_communities_per_sector_with_their_basis(curated_store: EmbeddedStore) -> None:
    found = {
        (r["community"], r["sector"], r["basis"])
        for r in answer(curated_store, "communities-per-sector")
    }
    expected = {(community(c), sector(s), b) for c, s, b in sector_facts()}
    stated = {(c, s) for c, s, b in expected if b == "stated"}
    assert found == {(c, s, b) for c, s, b in expected if b == "stated" or (c, s) not in stated}


def test_communities_of_one_sector_in_english(curated_store: EmbeddedStore) -> None:
    found = answer(curated_store, "communities-per-sector", sector="def:topsector/EN", lang="en")
    assert {r["community"] for r in found} == {
        community(c) for c, s, _ in sector_facts() if s == "EN"
    }
    assert {r["sectorLabel"] for r in found} <= {"Energy"}
    assert len(found) >= 3  # Energy College, POP UP-Safety Wind, CAREER windenergie op zee


def test_community_count_per_sector_counts_every_topsector(curated_store: EmbeddedStore) -> None:
    found = {r["notation"]: r for r in answer(curated_store, "community-count-per-sector")}
    assert set(found) == {row["code"] for row in read("topsectoren.csv")}
    for basis in ("stated", "inferred"):
        counts = Counter(s for _, s, b in set(sector_facts()) if b == basis)
        assert {code: int(r[basis] or 0) for code, r in found.items()} == {
            code: counts.get(code, 0) for code in found
        }
    any_counts = Counter(s for c, s in {(c, s) for c, s, _ in sector_facts()})
    assert {code: int(r["communities"] or 0) for code, r in found.items()} == {
        code: any_counts.get(code, 0) for code in found
    }


def test_communities_per_learning_function(curated_store: EmbeddedStore) -> None:
    found = {
        (r["community"], r["function"])
        for r in answer(curated_store, "communities-per-learning-function")
    }
    assert found == {
        (community(c), concept("learning-function", f))
        for c, f in community_links("learning_functions")
    }


def test_cross_sector_communities_span_two_or_more_sectors(curated_store: EmbeddedStore) -> None:
    sectors: dict[str, set[str]] = {row["id"]: set() for row in communities()}
    for c, s, _ in sector_facts():
        sectors[c].add(s)
    flagged = {row["id"] for row in communities() if row.get("is_cross_sector") == "true"}
    for least in (2, 1):
        found = {
            r["community"]: r
            for r in answer(curated_store, "cross-sector-communities", minSectors=str(least))
        }
        expected = {c for c, s in sectors.items() if len(s) >= least} | flagged
        assert set(found) == {community(c) for c in expected}
        for c in expected:
            assert set(cells({"s": found[community(c)]["sectors"] or ""}, "s")) == sectors[c]


def test_sectors_without_community_include_tuinbouw(curated_store: EmbeddedStore) -> None:
    codes = {row["code"] for row in read("topsectoren.csv")}
    used = {s for _, s, _ in sector_facts()}
    stated = {s for _, s, b in sector_facts() if b == "stated"}
    found = {r["notation"] for r in answer(curated_store, "sectors-without-community")}
    assert found == codes - used
    assert "TU" in found  # the source: no pilot in Tuinbouw & Uitgangsmaterialen
    only_stated = answer(curated_store, "sectors-without-community", basis="stated")
    assert {r["notation"] for r in only_stated} == codes - stated


def test_sector_basis_separates_stated_from_inferred(curated_store: EmbeddedStore) -> None:
    rows = answer(curated_store, "sector-basis")
    # a funded project's topsector is stated by SIA's themes or inferred by a steward's
    # rule (docs/mentions.md), which the project names as lc:inferredBy
    projects = [r for r in rows if r["subject"].startswith(IRIS.id_iri("funded-project", ""))]
    assert {r["basis"] for r in projects} == {"stated", "inferred"}
    sia = IRIS.id_iri("funded-project", "sia-")
    assert all(r["subject"].startswith(sia) for r in projects if r["basis"] == "stated")
    for r in [r for r in projects if r["basis"] == "inferred"][:20]:
        assert bool(curated_store.query(f"ASK {{ <{r['subject']}> <{LC}inferredBy> ?rule }}")), r[
            "subject"
        ]
    found = {(r["subject"], r["notation"], r["basis"]) for r in rows if r not in projects}
    expected = {(community(c), s, b) for c, s, b in sector_facts()}
    expected |= {
        (IRIS.id_iri("organisation", row["id"]), s, "stated")
        for row in read("organisations.csv")
        for s in cells(row, "sectors_stated")
    }
    assert found == expected
    inferred = answer(curated_store, "sector-basis", basis="inferred")
    assert {r["basis"] for r in inferred} <= {"inferred"}
    assert all(
        r["graph"] == IRIS.graph_iri("curated", "learning-communities")
        for r in inferred
        if r["subject"].startswith(community(""))
    )


# --- stakeholders -----------------------------------------------------------------------------


def test_stakeholder_mix_counts_each_helix(curated_store: EmbeddedStore) -> None:
    types = {row["id"]: row["type"] for row in read("organisations.csv")}
    members: dict[str, set[str]] = {row["id"]: set() for row in communities()}
    for row in read("participations.csv"):
        members[row["community"]].add(row["organisation"])
    found = {r["community"]: r for r in answer(curated_store, "stakeholder-mix")}
    assert set(found) == {community(c) for c in members}
    for c, orgs in members.items():
        got = found[community(c)]
        assert int(got["members"] or 0) == len(orgs)
        for helix in ("education", "business", "research", "government", "society"):
            assert int(got[helix] or 0) == sum(helix in HELICES[types[o]] for o in orgs), helix


def test_stakeholder_types_absent_are_those_without_participations(
    curated_store: EmbeddedStore,
) -> None:
    types = {row["id"]: row["type"] for row in read("organisations.csv")}
    present = {types[row["organisation"]] for row in read("participations.csv")}
    # the open sources' participants too (funded projects: docs/model.md)
    present |= {
        row[0].value.removeprefix(LC)
        for row in curated_store.query(
            f"SELECT DISTINCT ?t {{ ?p <{W3C_PREFIXES['org']}member> ?o . ?o a ?t }}"
        )
    }
    assert {"University", "MunicipalGovernment", "VocationalSchool"} <= present
    found = {r["type"].removeprefix(LC) for r in answer(curated_store, "stakeholder-types-absent")}
    assert not found & present
    assert set(HELICES) - present <= found
    if "CommercialTrainingProvider" not in present:  # the source misses commercial providers
        assert "CommercialTrainingProvider" in found


def test_organisation_communities_follow_participations(curated_store: EmbeddedStore) -> None:
    for org in read("organisations.csv"):
        found = {
            (r["community"], r["role"])
            for r in answer(
                curated_store,
                "organisation-communities",
                organisation=f"id:organisation/{org['id']}",
            )
        }
        assert found == {
            (community(p["community"]), concept("participation-role", p["role"]))
            for p in read("participations.csv")
            if p["organisation"] == org["id"]
        }
    with pytest.raises(QueryParamError, match="'organisation'"):
        answer(curated_store, "organisation-communities", organisation="id:organisation/nobody")


def test_community_members_follow_participations(curated_store: EmbeddedStore) -> None:
    types = {row["id"]: row["type"] for row in read("organisations.csv")}
    for row in communities():
        found = answer(
            curated_store, "community-members", community=f"id:learning-community/{row['id']}"
        )
        expected = [p for p in read("participations.csv") if p["community"] == row["id"]]
        assert {r["member"] for r in found} == {
            IRIS.id_iri("organisation", p["organisation"]) for p in expected
        }
        for r in found:
            org = r["member"].rsplit("/", 1)[1]
            assert set(cells({"h": r["helices"] or ""}, "h")) == HELICES[types[org]]
    with pytest.raises(QueryParamError, match="'community'"):
        answer(curated_store, "community-members", community="def:topsector/EN")


# --- target groups and regions ----------------------------------------------------------------


def test_target_groups_by_region(curated_store: EmbeddedStore) -> None:
    found = {
        (r["community"], r["targetGroup"]) for r in answer(curated_store, "target-groups-by-region")
    }
    assert found == {
        (community(c), concept("target-group", t)) for c, t in community_links("target_groups")
    }


def test_target_groups_served_counts_every_group(curated_store: EmbeddedStore) -> None:
    counts = Counter(t for _, t in community_links("target_groups"))
    found = {
        r["targetGroup"]: int(r["communities"] or 0)
        for r in answer(curated_store, "target-groups-served", lang="en")
    }
    assert found == {
        concept("target-group", row["code"]): counts.get(row["code"], 0)
        for row in concepts_of("target-group")
    }


def test_region_sector_coverage_rolls_corop_areas_up_to_provinces(
    curated_store: EmbeddedStore,
) -> None:
    province_of = {row["statcode"]: row["provincie_statcode"] for row in read("corop_cbs_2017.csv")}
    places: dict[str, set[str]] = {}
    for row in communities():
        provinces = set(cells(row, "province")) | {province_of[c] for c in cells(row, "corop_area")}
        places[row["id"]] = provinces
    expected: Counter[tuple[str, str]] = Counter()
    for c, s in {(c, s) for c, s, _ in sector_facts()}:
        for p in places[c]:
            expected[(IRIS.id_iri("province", p), sector(s))] += 1
    found = {
        (r["province"], r["sector"]): int(r["communities"] or 0)
        for r in answer(curated_store, "region-sector-coverage")
    }
    assert found == dict(expected)


def test_regions_within_a_province_and_a_landsdeel(curated_store: EmbeddedStore) -> None:
    corops = read("corop_cbs_2017.csv")
    corop = IRIS.id_iri("corop-area", "")
    found = {
        r["within"] for r in answer(curated_store, "regions-within", region="id:province/PV20")
    }
    # the open sources add municipalities and postcode areas (docs/model.md, "Regions")
    assert any(w.startswith(IRIS.id_iri("municipality", "")) for w in found)
    found = {w for w in found if w.startswith((corop, IRIS.id_iri("province", "")))}
    assert found == {
        IRIS.id_iri("corop-area", r["statcode"])
        for r in corops
        if r["provincie_statcode"] == "PV20"
    }
    provinces = {
        r["statcode"] for r in read("provincies_cbs_2017.csv") if r["landsdeel_statcode"] == "LD01"
    }
    found = {
        r["within"] for r in answer(curated_store, "regions-within", region="id:landsdeel/LD01")
    }
    found = {w for w in found if w.startswith((corop, IRIS.id_iri("province", "")))}
    assert found == {IRIS.id_iri("province", p) for p in provinces} | {
        IRIS.id_iri("corop-area", r["statcode"])
        for r in corops
        if r["provincie_statcode"] in provinces
    }


# --- the ecosystem: bottlenecks, solution directions, success factors ---------------------------


@pytest.mark.parametrize(
    ("name", "scheme", "column", "in_source"),
    [
        ("bottlenecks", "bottleneck", "bottlenecks", 7),
        ("solution-directions", "solution-direction", "solution_directions", 7),
        ("success-factors", "success-factor", "success_factors", 6),
    ],
)
def test_factor_lists_name_every_concept_with_its_communities(
    curated_store: EmbeddedStore, name: str, scheme: str, column: str, in_source: int
) -> None:
    counts = Counter(code for _, code in community_links(column))
    found = {r["concept"]: r for r in answer(curated_store, name, lang="en")}
    rows = concepts_of(scheme)
    assert len(rows) == in_source
    assert {c: int(r["communities"] or 0) for c, r in found.items()} == {
        concept(scheme, row["code"]): counts.get(row["code"], 0) for row in rows
    }
    assert {r["conceptLabel"] for r in found.values()} == {row["label_en"] for row in rows}


@pytest.mark.parametrize(
    ("kind", "scheme", "column"),
    [
        ("bottleneck", "bottleneck", "bottlenecks"),
        ("solution-direction", "solution-direction", "solution_directions"),
        ("success-factor", "success-factor", "success_factors"),
        ("need", "need", "needs"),
    ],
)
def test_community_factors_per_kind(
    curated_store: EmbeddedStore, kind: str, scheme: str, column: str
) -> None:
    found = {
        (r["community"], r["factor"]) for r in answer(curated_store, "community-factors", kind=kind)
    }
    assert found == {(community(c), concept(scheme, f)) for c, f in community_links(column)}


# --- research agenda and vocabularies ----------------------------------------------------------


def test_research_themes_with_their_questions(curated_store: EmbeddedStore) -> None:
    found = answer(curated_store, "research-themes-and-questions", lang="en")
    themes = concepts_of("research-theme")
    assert len(themes) == 10  # the source's ten research themes
    assert {r["theme"] for r in found} == {concept("research-theme", t["code"]) for t in themes}
    assert {(r["theme"], r["question"]) for r in found if r["question"]} == {
        (concept("research-theme", t), concept("research-question", q["code"]))
        for q in concepts_of("research-question")
        for t in cells(q, "research_theme")
    }
    labels = {q["label_en"] for q in concepts_of("research-question") if cells(q, "research_theme")}
    assert {r["questionLabel"] for r in found if r["question"]} == labels


def test_learning_environments_with_their_learning_results(curated_store: EmbeddedStore) -> None:
    rows = concepts_of("learning-environment")
    assert len(rows) == 12  # Gielen's twelve metaphors
    for lang in ("nl", "en"):
        found = {
            r["environment"]: r["learningResult"]
            for r in answer(curated_store, "learning-environments", lang=lang)
        }
        assert found == {
            concept("learning-environment", row["code"]): row[f"learning_result_{lang}"]
            for row in rows
        }


@pytest.mark.parametrize("scheme", [row["slug"] for row in read("schemes.csv")])
def test_scheme_concepts_are_those_of_the_source(curated_store: EmbeddedStore, scheme: str) -> None:
    found = {r["concept"] for r in answer(curated_store, "scheme-concepts", scheme=f"def:{scheme}")}
    if scheme == "topsector":
        expected = {sector(row["code"]) for row in read("topsectoren.csv")}
    elif scheme == "funding-scheme":  # its own file, with each scheme's funder
        expected = {concept(scheme, row["code"]) for row in read("funding_schemes.csv")}
    else:
        expected = {concept(scheme, row["code"]) for row in concepts_of(scheme)}
    assert found == expected


def test_scheme_concepts_refuses_a_thing_that_is_not_a_scheme(curated_store: EmbeddedStore) -> None:
    with pytest.raises(QueryParamError, match="ConceptScheme"):
        answer(curated_store, "scheme-concepts", scheme="def:topsector/EN")


# --- stated versus inferred, and provenance ------------------------------------------------------


def test_facts_about_a_community_tell_stated_from_inferred(curated_store: EmbeddedStore) -> None:
    row = next(r for r in communities() if cells(r, "sectors_inferred"))
    code = cells(row, "sectors_inferred")[0]
    found = {
        (r["property"], r["value"], r["basis"])
        for r in answer(curated_store, "facts-about", resource=community(row["id"]))
    }
    assert (LC + "inferredSector", sector(code), "stated") in found  # as the CSV states it
    assert (LC + "sector", sector(code), "inferred") in found  # the super-property, inferred
    assert ("http://www.w3.org/2004/02/skos/core#prefLabel", row["name"], "stated") in found
    assert (
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        IRIS.source_iri("curated", "learning_communities.csv", 2 + communities().index(row)),
        "provenance",
    ) in found


def test_graph_summary_names_each_source_file_and_the_inferred_graph(
    curated_store: EmbeddedStore,
) -> None:
    found = answer(curated_store, "graph-summary")
    files = {f for r in found for f in cells({"f": r["sourceFiles"] or ""}, "f")}
    curated = {path.name for path in SOURCES.glob("*.csv")} - {
        name for name in ("organisations.csv", "participations.csv") if not read(name)
    }
    opened = {path.name for path in (ROOT / "data" / "open").rglob("*") if path.is_file()}
    assert curated <= files and files - curated <= opened  # every file one of the sources
    assert {"StructuralFundsNL2007NOW.csv", "sia-project.315.json"} <= files
    kinds = {r["graph"]: r["kind"] for r in found}
    assert kinds[IRIS.inferred_graph] == "inferred" and kinds[IRIS.provenance_graph] == "provenance"
    assert all(r["kind"] == "data" for r in found if r["sourceFiles"])


def test_provenance_gives_file_row_and_checksum(curated_store: EmbeddedStore) -> None:
    digest = hashlib.sha256((SOURCES / "learning_communities.csv").read_bytes()).hexdigest()
    for number, row in enumerate(communities(), start=2):
        [found] = answer(curated_store, "provenance", resource=f"id:learning-community/{row['id']}")
        assert found["fileName"] == "learning_communities.csv"
        assert int(found["rowNumber"] or 0) == number
        assert found["sha256"] == digest


# --- the open-data network (issue 13): the newer queries on the real organisations --------------

HELIX_CODES = {"education", "business", "research", "government", "society"}


def is_a(store: EmbeddedStore, thing: str, cls: str) -> bool:
    return bool(store.query(f"ASK {{ <{thing}> a <{cls}> }}"))


def test_collaborations_per_scheme_and_region_count_funded_projects(
    curated_store: EmbeddedStore,
) -> None:
    found = answer(curated_store, "collaborations-per-scheme-and-region", lang="en")
    schemes = {concept("funding-scheme", row["code"]) for row in read("funding_schemes.csv")}
    assert {r["scheme"] for r in found} <= schemes
    assert len({r["scheme"] for r in found}) >= 2  # EFRO and ESF at least
    [[total]] = curated_store.query(f"SELECT (COUNT(?p) AS ?n) {{ ?p a <{LC}FundedProject> }}")
    for r in found:
        assert is_a(curated_store, r["province"] or "", LC + "Province") and r["provinceLabel"]
        assert 1 <= int(r["projects"] or 0) <= int(total.value)
        assert int(r["organisations"] or 0) >= 1
        assert r["schemeLabel"]
    assert any(float(r["subsidy"] or 0) > 0 for r in found)


def test_cross_helix_collaborations_span_the_helices_they_name(
    curated_store: EmbeddedStore,
) -> None:
    for least in ("2", "3"):
        found = answer(curated_store, "cross-helix-collaborations", min_helices=least)
        assert found
        for r in found:
            helices = set((r["helices"] or "").split(";"))
            assert helices <= HELIX_CODES and len(helices) == int(r["helixCount"] or 0)
            assert int(r["helixCount"] or 0) >= int(least)
            assert int(r["members"] or 0) >= 2  # one organisation is never two helices here
            assert r["label"]


def test_schools_with_companies_pair_a_school_with_a_company(curated_store: EmbeddedStore) -> None:
    found = answer(curated_store, "schools-with-companies")
    assert found
    for r in found:
        school, company = r["school"] or "", r["company"] or ""
        assert is_a(curated_store, school, LC + "EducationOrganisation")
        assert is_a(curated_store, company, LC + "BusinessOrganisation")
        assert not is_a(curated_store, company, LC + "University")  # ROR's "company" TU Delft
        assert int(r["shared"] or 0) >= 1 and r["schoolLabel"] and r["companyLabel"]
    hbo = answer(
        curated_store, "schools-with-companies", school_type="lc:UniversityOfAppliedSciences"
    )
    assert hbo and {r["school"] for r in hbo} <= {r["school"] for r in found}


def test_organisation_types_per_labour_market_region_count_the_most_specific_type(
    curated_store: EmbeddedStore,
) -> None:
    found = answer(curated_store, "organisation-types-per-labour-market-region", lang="en")
    regions = {
        row[0].value
        for row in curated_store.query(f"SELECT ?r {{ ?r a <{LC}LabourMarketRegion> }}")
    }
    assert len({r["region"] for r in found}) >= 20  # most of the 35 regions
    assert {r["region"] for r in found} <= regions
    per_region = Counter[str]()
    for r in found:
        assert r["type"] != LC + "Organisation" or r["typeLabel"]
        per_region[r["region"] or ""] += int(r["organisations"] or 0)
    for region, counted in per_region.items():
        [[n]] = curated_store.query(
            f"SELECT (COUNT(DISTINCT ?o) AS ?n) "
            f"{{ ?o <{LC}region> <{region}> ; a <{LC}Organisation> }}"
        )
        assert counted >= int(n.value)  # each organisation once per type it most specifically has


def test_reconciliation_evidence_names_rule_and_source_records(
    curated_store: EmbeddedStore,
) -> None:
    org = IRIS.id_iri("organisation", "zuyd-hogeschool")
    found = answer(curated_store, "reconciliation-evidence", organisation=org)
    assert found and {r["organisation"] for r in found} == {org}
    assert all((r["record"] or "").startswith(IRIS.base + "/source/") for r in found)
    assert {r["rule"] for r in found} >= {"identifier"}
    assert all(r["detail"] for r in found)
