"""The analysis named queries (queries/analysis-*.rq) read back what `analyze()` wrote.

A small synthetic dataset is built (no reasoner) and analysed once per session; every query's
rows are then checked against the run's own `Results`, so a change in the write-back
vocabulary or in a query shows up here.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lcgraph.analysis import analyze
from lcgraph.analysis.results import Results
from lcgraph.analysis.run import AnalysisReport
from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import load_queries
from lcgraph.store.embedded import EmbeddedStore
from lcgraph.synth import write_synthetic

ROOT = Path(__file__).resolve().parents[1]
IRIS = Iris("https://w3id.org/lcgraph")
QUERIES = load_queries(ROOT / "queries", IRIS)
Row = dict[str, str | None]


@pytest.fixture(scope="session")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[EmbeddedStore, Results]:
    """A synthetic graph (240 organisations, 48 communities), built and analysed once."""
    root = tmp_path_factory.mktemp("analysed")
    write_synthetic(root / "data", orgs=240, communities=48, seed=11)
    settings = Settings(store=str(root / "store"), data=root / "data", reasoner=False)
    build(settings)
    store = EmbeddedStore(root / "store")
    report: AnalysisReport = analyze(store, settings)
    assert report.results is not None
    return store, report.results


def answer(store: EmbeddedStore, name: str, **params: str) -> list[Row]:
    result = QUERIES[name].run(store, params)
    return [
        {str(v)[1:]: (None if row[v] is None else row[v].value) for v in result.variables}
        for row in result
    ]


def number(value: str | None) -> float:
    assert value is not None
    return float(value)


def test_every_analysis_query_is_loaded() -> None:
    assert {n for n in QUERIES if n.startswith("analysis-")} == {
        "analysis-run",
        "analysis-sector-matrix",
        "analysis-top-brokers",
        "analysis-ei-per-sector",
        "analysis-clusters-vs-sectors",
        "analysis-synergy-per-region",
        "analysis-gaps",
    }


def test_sector_matrix_holds_every_pair_with_its_counts(
    analysed: tuple[EmbeddedStore, Results],
) -> None:
    store, results = analysed
    rows = answer(store, "analysis-sector-matrix", lang="en")
    got = {(r["fromSector"], r["toSector"]): r for r in rows}
    assert len(rows) == len(results.cross.pairs) == len(results.cross.sectors) ** 2
    for pair in results.cross.pairs:
        row = got[pair.source, pair.target]
        assert int(number(row["sharedCommunities"])) == pair.communities
        assert int(number(row["sharedStakeholders"])) == pair.stakeholders
        assert int(number(row["coMembershipTies"])) == pair.ties
        assert math.isclose(number(row["jaccard"]), pair.jaccard)
    assert all(r["fromLabel"] and r["toNotation"] for r in rows)


def test_top_brokers_are_the_measured_stakeholders_by_brokerage(
    analysed: tuple[EmbeddedStore, Results],
) -> None:
    store, results = analysed
    rows = answer(store, "analysis-top-brokers", lang="en")
    measured = {b.stakeholder: b for b in results.brokers}
    assert 0 < len(rows) <= min(100, len(measured))
    counts = [int(number(r["brokerageCount"])) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(b.total for b in results.brokers if b.total is not None)
    for row in rows:
        broker = measured[str(row["stakeholder"])]
        assert int(number(row["liaisonCount"])) == broker.liaison
        if broker.role is not None:
            assert row["role"] == IRIS.def_iri("brokerage-role", broker.role)
            assert row["roleLabel"]  # the brokerage-role vocabulary is loaded with the data


def test_ei_index_per_sector_matches_the_scores(analysed: tuple[EmbeddedStore, Results]) -> None:
    store, results = analysed
    rows = {r["sector"]: r for r in answer(store, "analysis-ei-per-sector", lang="nl")}
    assert set(rows) == {s.sector for s in results.cross.scores}
    for score in results.cross.scores:
        row = rows[score.sector]
        assert int(number(row["internalTies"])) == score.internal_ties
        assert int(number(row["externalTies"])) == score.external_ties
        if score.ei_index is None:
            assert row["eiIndex"] is None
        else:
            assert math.isclose(number(row["eiIndex"]), score.ei_index)


def test_clusters_against_sectors_give_nmi_and_ari(analysed: tuple[EmbeddedStore, Results]) -> None:
    store, results = analysed
    rows = answer(store, "analysis-clusters-vs-sectors", lang="en")
    clustering = results.clustering
    assert len(rows) == len(clustering.clusters)
    assert {int(number(r["clusterCount"])) for r in rows} == {len(clustering.clusters)}
    assert math.isclose(number(rows[0]["modularity"]), clustering.modularity)
    assert clustering.nmi is not None and clustering.ari is not None
    assert math.isclose(number(rows[0]["nmi"]), clustering.nmi)
    assert math.isclose(number(rows[0]["ari"]), clustering.ari, abs_tol=1e-12)
    sizes = sorted((c.stakeholders for c in clustering.clusters), reverse=True)
    assert [int(number(r["stakeholderCount"])) for r in rows] == sizes


def test_synergy_per_region_matches(analysed: tuple[EmbeddedStore, Results]) -> None:
    store, results = analysed
    rows = {r["region"]: r for r in answer(store, "analysis-synergy-per-region")}
    assert set(rows) == {r.region for r in results.synergy.regions}
    for region in results.synergy.regions:
        row = rows[region.region]
        assert math.isclose(
            number(row["helixSectorSynergy"]), region.mutual_information, abs_tol=1e-12
        )
        assert int(number(row["stakeholderCount"])) == region.stakeholders
    overall = results.synergy.helix_sector_region
    assert overall is not None
    assert {number(r["helixSectorRegionSynergy"]) for r in rows.values()} == {overall}


def test_gaps_list_every_kind_and_filter_by_kind(analysed: tuple[EmbeddedStore, Results]) -> None:
    store, results = analysed
    found = results.gaps
    expected = {
        "unbridged-sector-pair": len(found.unbridged_pairs),
        "absent-type": len(found.absent_types),
        "uncovered-cell": sum(1 for c in found.coverage if c.communities == 0),
        "seed-observation": len(found.seed_observations),
    }
    rows = answer(store, "analysis-gaps")
    assert {k: sum(1 for r in rows if r["gapKind"] == k) for k in expected} == expected
    assert len(rows) == sum(expected.values())
    for kind, count in expected.items():
        assert len(answer(store, "analysis-gaps", kind=kind)) == count
    seed = [r for r in rows if r["gapKind"] == "seed-observation"]
    assert all(r["confirmed"] in ("true", "false") and r["participationShare"] for r in seed)


def test_run_query_gives_provenance_and_parameters(analysed: tuple[EmbeddedStore, Results]) -> None:
    store, results = analysed
    rows = answer(store, "analysis-run")
    got = {r["parameter"]: number(r["value"]) for r in rows}
    assert got == {k: float(v) for k, v in results.parameters.items()}
    assert {r["run"] for r in rows} == {IRIS.id_iri("analysis-run", results.run_id)}
    assert int(number(rows[0]["participationCount"])) == results.counts["participations"]
