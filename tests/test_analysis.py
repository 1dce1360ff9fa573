"""lcgraph.analysis: each measure on hand-computed graphs, invariants on random ones, end to end."""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest
from pyoxigraph import QuerySolutions

from lcgraph.analysis import analyze
from lcgraph.analysis.brokerage import betweenness, brokerage
from lcgraph.analysis.communities import ari, louvain, nmi
from lcgraph.analysis.crosspollination import cross_pollination, ei_index
from lcgraph.analysis.gaps import gaps
from lcgraph.analysis.network import Network, Stakeholder, from_edges
from lcgraph.analysis.run import AnalysisReport
from lcgraph.analysis.synergy import synergy, transmission
from lcgraph.config import Settings
from lcgraph.iris import LC
from lcgraph.store.embedded import EmbeddedStore


def _net(communities: dict[str, str], sectors: dict[str, tuple[str, ...]]) -> Network:
    """`communities`: name -> member letters; `sectors`: member -> its sectors."""
    edges = [(o, c) for c, members in communities.items() for o in members]
    people = {o: Stakeholder(o, s) for o, s in sectors.items()}
    return from_edges(edges, people)


@pytest.fixture
def small() -> Network:
    # c1 = {a, b, x}, c2 = {x, y}, c3 = {y, z}; b has sectors A and B (primary A).
    return _net(
        {"c1": "abx", "c2": "xy", "c3": "yz"},
        {"a": ("A",), "b": ("A", "B"), "x": ("B",), "y": ("C",), "z": ("C",)},
    )


def test_sector_matrices_count_communities_stakeholders_and_ties(small: Network) -> None:
    cross = cross_pollination(small)
    # sectors present: c1 {A,B}, c2 {B,C}, c3 {C}
    assert [
        (p.communities)
        for p in (
            cross.pair("A", "A"),
            cross.pair("A", "B"),
            cross.pair("B", "B"),
            cross.pair("B", "C"),
            cross.pair("C", "C"),
            cross.pair("A", "C"),
        )
    ] == [1, 1, 2, 1, 2, 0]
    # stakeholders: a (A), b (A,B), x (B) → AA 2, AB 1, BB 2
    assert cross.pair("A", "B").stakeholders == 1
    assert cross.pair("B", "A").stakeholders == 1
    assert cross.pair("A", "A").stakeholders == 2
    # ties by primary sector: c1 has A:2, B:1 → AA 1, AB 2; c2 → BC 1; c3 → CC 1
    assert (cross.pair("A", "A").ties, cross.pair("A", "B").ties) == (1, 2)
    assert (cross.pair("B", "C").ties, cross.pair("C", "C").ties) == (1, 1)
    # Jaccard AB = 1 / (1 + 2 - 1); AC = 0
    assert cross.pair("A", "B").jaccard == pytest.approx(0.5)
    assert cross.pair("A", "C").jaccard == 0.0
    # tie ends: A 2·1+2 = 4, B 2+1 = 3, C 1+2·1 = 3, total 10; O/E(A,B) = 2 / (4·3/10)
    assert cross.pair("A", "B").observed_expected == pytest.approx(5 / 3)
    assert cross.pair("A", "A").observed_expected == pytest.approx(2 / 1.6)


def test_ei_index_per_sector_and_network(small: Network) -> None:
    cross = cross_pollination(small)
    assert cross.score("A").ei_index == pytest.approx(1 / 3)  # E 2, I 1
    assert cross.score("B").ei_index == pytest.approx(1.0)  # E 2+1, I 0
    assert cross.score("C").ei_index == pytest.approx(0.0)  # E 1, I 1
    assert cross.ei_index == pytest.approx(0.2)  # E 3, I 2
    assert ei_index(0, 0) is None


def test_gould_fernandez_liaison_and_gatekeeper(small: Network) -> None:
    by = {b.stakeholder: b for b in brokerage(small, ["a", "x", "y"])}
    # x (B) links a (A) and b (A) — tied through c1 — to y (C): a–y and b–y are liaison pairs
    assert (
        by["x"].coordinator,
        by["x"].itinerant,
        by["x"].gatekeeper_representative,
        by["x"].liaison,
    ) == (0, 0, 0, 2)
    assert by["x"].role == "liaison"
    # y (C) links x (B) and z (C): one gatekeeper/representative pair
    assert by["y"].gatekeeper_representative == 1 and by["y"].total == 1
    assert by["a"].total == 0 and by["a"].role is None


def test_gould_fernandez_all_four_roles() -> None:
    # x (B) is alone with a, b (A), p, q (B), y (C) in five communities: all 10 pairs are open
    net = _net(
        {"c1": "xa", "c2": "xb", "c3": "xp", "c4": "xq", "c5": "xy"},
        {"x": ("B",), "a": ("A",), "b": ("A",), "p": ("B",), "q": ("B",), "y": ("C",)},
    )
    (x,) = brokerage(net, ["x"])
    # coordinator p–q; itinerant a–b; gatekeeper/representative p|q × a|b|y; liaison a|b – y
    assert (x.coordinator, x.itinerant, x.gatekeeper_representative, x.liaison) == (1, 1, 6, 2)


def test_burt_constraint_and_effective_size(small: Network) -> None:
    by = {b.stakeholder: b for b in brokerage(small, ["x", "y"])}
    # y: p(y,x) = p(y,z) = 1/2, x and z not tied → 1/4 + 1/4
    assert by["y"].constraint == pytest.approx(0.5)
    assert by["y"].effective_size == pytest.approx(2.0)
    # x: p = 1/3 to a, b, y; a–b tied, p(b,a) = 1/2 → (1/3 + 1/6)² · 2 + (1/3)² = 11/18
    assert by["x"].constraint == pytest.approx(11 / 18)
    assert by["x"].effective_size == pytest.approx(3 - 2 / 3)  # n − 2t/n, t = 1


def test_betweenness_exact_on_a_path() -> None:
    # a – c1 – x – c2 – y: x is on 4 of the C(4,2) = 6 pairs of the other nodes
    net = _net({"c1": "ax", "c2": "xy"}, {})
    result = betweenness(net, exact_max_nodes=100, samples=2, seed=1)
    assert result.sample is None
    assert result.values["x"] == pytest.approx(4 / 6)
    assert betweenness(net, exact_max_nodes=2, samples=2, seed=1).sample == 2


def test_nmi_and_ari_by_hand() -> None:
    assert nmi([0, 0, 1, 1], ["p", "p", "q", "q"]) == pytest.approx(1.0)
    assert ari([0, 0, 1, 1], ["p", "p", "q", "q"]) == pytest.approx(1.0)
    assert nmi([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)
    # index 0; Σa = Σb = 2 pairs; expected 2·2/6; max 2 → (0 − 2/3) / (2 − 2/3)
    assert ari([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_louvain_finds_sector_pure_components() -> None:
    net = _net(
        {"c1": "abc", "c2": "def"},
        {"a": ("A",), "b": ("A",), "c": ("A",), "d": ("B",), "e": ("B",), "f": ("B",)},
    )
    clustering = louvain(net, seed=1)
    assert len(clustering.clusters) == 2
    assert clustering.nmi == pytest.approx(1.0) and clustering.ari == pytest.approx(1.0)
    assert {c.dominant_share for c in clustering.clusters} == {1.0}


def test_transmission_by_hand() -> None:
    # perfectly aligned: every H is 1 bit → T = 3 − 3 + 1 = 1
    assert transmission(list("eebb"), list("AABB"), list("1122")) == pytest.approx(1.0)
    # pairwise independent, jointly determined: H = 1, pairs 2, triple 2 → T = 3 − 6 + 2 = −1
    assert transmission(list("eebb"), list("ABAB"), list("1221")) == pytest.approx(-1.0)
    assert transmission(list("eebb"), list("ABAB")) == pytest.approx(0.0)


def test_synergy_national_and_per_region() -> None:
    net = _net({"c1": "abcd"}, {o: ("A",) if o in "ab" else ("B",) for o in "abcd"})
    for o, helix, region in zip(
        "abcd", ("e", "e", "b", "b"), ("r1", "r1", "r2", "r2"), strict=True
    ):
        net.stakeholders[o].helix, net.stakeholders[o].region = helix, region
    result = synergy(net)
    assert result.helix_sector_region == pytest.approx(1.0)
    assert result.helix_sector == pytest.approx(1.0)
    assert [(r.region, r.mutual_information) for r in result.regions] == [("r1", 0.0), ("r2", 0.0)]


def test_gaps_unbridged_pairs_absent_types_and_coverage(small: Network) -> None:
    small.organisation_classes = {
        LC + "Organisation": {LC + "SME", LC + "ResearchInstitute"},
        LC + "SME": set(),
        LC + "ResearchInstitute": set(),
    }
    for o in "abxyz":
        small.stakeholders[o].type = LC + "SME"
    small.facets = {"c1": ({"f1"}, {"p1"})}
    small.concepts = {"learning-function": {"f1", "f2"}, "innovation-phase": {"p1"}}
    found = gaps(small, cross_pollination(small))
    assert found.unbridged_pairs == [("A", "C")]
    assert found.absent_types == [LC + "ResearchInstitute"]
    assert [(c.learning_function, c.communities) for c in found.coverage] == [("f1", 1), ("f2", 0)]
    sme = next(t for t in found.types if t.type == LC + "SME")
    assert (sme.stakeholders, sme.participations, sme.share) == (5, 7, 1.0)


def _random_network(seed: int) -> Network:
    rnd = random.Random(seed)
    edges = {(f"o{rnd.randrange(40)}", f"c{rnd.randrange(12)}") for _ in range(90)}
    people = {
        f"o{i}": Stakeholder(f"o{i}", tuple(sorted(rnd.sample("ABCD", rnd.randint(0, 2)))))
        for i in range(40)
    }
    return from_edges(sorted(edges), people)


@pytest.mark.parametrize("seed", range(5))
def test_invariants_on_random_graphs(seed: int) -> None:
    net = _random_network(seed)
    cross = cross_pollination(net)
    assert all(-1 <= s.ei_index <= 1 for s in cross.scores if s.ei_index is not None)
    assert all(0 <= p.jaccard <= 1 for p in cross.pairs)
    for p in cross.pairs:
        mirror = cross.pair(p.target, p.source)
        assert (mirror.communities, mirror.stakeholders, mirror.ties) == (
            p.communities,
            p.stakeholders,
            p.ties,
        )
    projection = nx.bipartite.weighted_projected_graph(net.graph, list(net.memberships))
    constraint = nx.constraint(projection, weight="weight")
    effective = nx.effective_size(projection)
    for b in brokerage(net, sorted(net.memberships)):
        if b.constraint is None:
            assert projection.degree(b.stakeholder) == 0
            continue
        assert b.constraint == pytest.approx(constraint[b.stakeholder])
        assert b.effective_size == pytest.approx(effective[b.stakeholder])
        assert 1 <= b.effective_size <= projection.degree(b.stakeholder)
        if b.total is not None:
            assert b.total == _open_sectored_pairs(net, projection, b.stakeholder)


def _open_sectored_pairs(net: Network, projection: nx.Graph, broker: str) -> int:
    """Brute force: neighbour pairs with a sector each that are not tied."""
    nbrs = [n for n in projection[broker] if net.stakeholders[n].sector]
    return sum(
        1 for i, u in enumerate(nbrs) for v in nbrs[i + 1 :] if not projection.has_edge(u, v)
    )


@pytest.mark.parametrize("seed", range(3))
def test_partition_scores_are_bounded_on_random_labels(seed: int) -> None:
    rnd = random.Random(seed)
    a = [rnd.randrange(4) for _ in range(50)]
    b = [rnd.randrange(3) for _ in range(50)]
    assert 0 <= nmi(a, b) <= 1 + 1e-12
    assert -1 <= ari(a, b) <= 1
    assert math.isclose(nmi(a, a), 1.0) and math.isclose(ari(b, b), 1.0)


BASE = "https://w3id.org/lcgraph"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
CLASS_TREE = {  # class -> its direct superclasses (a slice of the ontology)
    "Organisation": ["Stakeholder"],
    "EducationOrganisation": ["Organisation"],
    "BusinessOrganisation": ["Organisation"],
    "ResearchOrganisation": ["Organisation"],
    "VocationalSchool": ["EducationOrganisation"],
    "SME": ["BusinessOrganisation"],
    "ResearchInstitute": ["ResearchOrganisation"],
}
ORGS = {  # id -> (type, helix classes, sector codes, province)
    "roc": ("VocationalSchool", ["EducationOrganisation"], ["EN"], "PV27"),
    "smeA": ("SME", ["BusinessOrganisation"], ["EN"], "PV27"),
    "smeB": ("SME", ["BusinessOrganisation"], ["LOG"], "PV28"),
    "smeC": ("SME", ["BusinessOrganisation"], ["AF"], "PV28"),
}
COMMUNITIES = {"lc1": ["roc", "smeA", "smeB"], "lc2": ["smeB", "smeC"]}


def _quad(s: str, p: str, o: str, graph: str) -> str:
    obj = o if o.startswith(("<", '"')) else f"<{o}>"
    return f"<{s}> <{p}> {obj} <{BASE}/graph/{graph}> .\n"


def _nquads() -> bytes:
    lines = []
    for cls, supers in CLASS_TREE.items():
        lines += [_quad(LC + cls, SUBCLASS, LC + sup, "ontology") for sup in supers]
    for ref, (kind, helices, sectors, province) in ORGS.items():
        org = f"{BASE}/id/organisation/{ref}"
        for cls in [kind, *helices, "Organisation", "Stakeholder"]:
            lines.append(_quad(org, RDF_TYPE, LC + cls, "curated/organisations"))
        lines += [
            _quad(org, LC + "sector", f"{BASE}/def/topsector/{s}", "inferred") for s in sectors
        ]
        lines.append(
            _quad(org, LC + "region", f"{BASE}/id/province/{province}", "curated/organisations")
        )
        lines.append(
            _quad(f"{BASE}/id/province/{province}", RDF_TYPE, LC + "Province", "curated/provinces")
        )
    for ref, members in COMMUNITIES.items():
        lc = f"{BASE}/id/learning-community/{ref}"
        lines.append(_quad(lc, RDF_TYPE, LC + "LearningCommunity", "curated/lcs"))
        for org in members:
            p = f"{BASE}/id/participation/{ref}-{org}"
            lines += [
                _quad(p, RDF_TYPE, LC + "Participation", "curated/participations"),
                _quad(p, ORG + "member", f"{BASE}/id/organisation/{org}", "curated/participations"),
                _quad(p, ORG + "organization", lc, "curated/participations"),
                _quad(
                    p,
                    ORG + "role",
                    f"{BASE}/def/participation-role/partner",
                    "curated/participations",
                ),
            ]
    return "".join(lines).encode()


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    built = EmbeddedStore(tmp_path / "store")
    with built.stage() as staging:
        staging.load(_nquads())
    return built


def _select(store: EmbeddedStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(
        "PREFIX lc: <https://w3id.org/lcgraph/def/lc/>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n" + sparql
    )
    assert isinstance(result, QuerySolutions)
    return [tuple(term.value for term in row) for row in result]


def test_analyze_writes_results_with_provenance_and_files(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    steps: list[str] = []
    report = analyze(store, Settings(store=str(store.root)), tmp_path / "out", steps.append)
    assert steps[0] == "reading" and steps[-1] == "exporting"
    assert report.counts == {"stakeholders": 4, "communities": 2, "participations": 5}
    graph = f"<{BASE}/graph/analysis>"
    # lc1 = {roc EN, smeA EN, smeB LOG}: EN internal 1, EN–LOG 2 → E-I(EN) = (2 − 1) / 3
    ((ei,),) = _select(
        store,
        f"SELECT ?ei WHERE {{ GRAPH {graph} {{ <{BASE}/def/topsector/EN> lc:eiIndex ?ei }} }}",
    )
    assert float(ei) == pytest.approx(1 / 3)
    ((revision, seed),) = _select(
        store,
        f"""SELECT ?rev ?seed WHERE {{ GRAPH {graph} {{
        {graph} prov:wasGeneratedBy ?run . ?run a prov:Activity ; lc:storeRevision ?rev ;
        lc:parameter [ <http://www.w3.org/2000/01/rdf-schema#label> "analysis_seed" ;
                       <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?seed ] }} }}""",
    )
    assert revision == report.read_revision and seed == "42"
    gaps_found = _select(
        store, f"SELECT ?kind WHERE {{ GRAPH {graph} {{ ?g a lc:Gap ; lc:gapKind ?kind }} }}"
    )
    assert ("absent-type",) in gaps_found  # ResearchInstitute never takes part
    for name in (
        "sector_pairs.csv",
        "stakeholders.csv",
        "network.graphml",
        "network.gexf",
        "sector_heatmap.png",
        "sector_heatmap.svg",
        "network.png",
        "brokers.svg",
    ):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_rerun_replaces_the_previous_results(store: EmbeddedStore) -> None:
    settings = Settings(store=str(store.root))
    first = analyze(store, settings)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}/graph/analysis> {{ ?s ?p ?o }} }}"
    ((before,),) = _select(store, count)
    second = analyze(store, settings)
    ((after,),) = _select(store, count)
    assert before == after == str(first.quads) == str(second.quads)
    runs = _select(store, "SELECT ?run WHERE { ?run a lc:AnalysisRun }")
    assert runs == [(f"{BASE}/id/analysis-run/{second.run_id}",)]
    # the other graphs survive the write-back
    ((participations,),) = _select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a lc:Participation }")
    assert participations == "5"


def test_large_egos_are_sampled_and_say_so_while_constraint_stays_exact(small: Network) -> None:
    (exact,) = brokerage(small, ["x"])
    (sampled,) = brokerage(small, ["x"], max_ego=2, seed=7)
    assert exact.sampled_neighbours is None and sampled.sampled_neighbours == 2
    assert sampled.constraint == pytest.approx(11 / 18)
    # all pairs are known exactly per sector pair; only closed ones are scaled
    assert sampled.liaison == 2


def test_louvain_on_a_large_graph_clusters_a_reported_sample_of_whole_communities() -> None:
    import random as _random

    rng = _random.Random(3)
    edges = [(f"o{rng.randrange(400)}", f"c{c}") for c in range(60) for _ in range(10)]
    network = from_edges(edges)
    full = louvain(network, seed=1)
    sampled = louvain(network, seed=1, max_edges=200)
    assert full.sampled_communities is None
    assert sampled.sampled_communities is not None
    assert 0 < sampled.sampled_communities < 60
    clustered = set(sampled.membership)
    members = {o for o, c in set(edges)}
    assert clustered < members
    again = louvain(network, seed=1, max_edges=200)
    assert again.membership == sampled.membership  # seeded: the same sample and clusters


# --- the curated graph (issue 13): the real network of organisations and funded projects ---


def test_analyze_runs_on_the_curated_graph_and_writes_its_graph(
    analysed_curated: tuple[Settings, AnalysisReport], analysed_curated_store: EmbeddedStore
) -> None:
    settings, report = analysed_curated
    store = analysed_curated_store

    def count(sparql: str) -> int:
        ((n,),) = _select(store, sparql)
        return int(n)

    participations = count(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p <http://www.w3.org/ns/org#member> ?o ; "
        "<http://www.w3.org/ns/org#organization> ?c }"
    )
    assert report.counts["participations"] == participations > 1_800
    assert report.counts["stakeholders"] > 1_000 and report.counts["communities"] > 1_800
    graph = f"<{report.graph}>"
    assert report.quads == count(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    # the stakeholders outnumber the exact limit set in conftest: betweenness was sampled, said
    assert report.betweenness_sample == settings.analysis.betweenness_samples
    ((sample,),) = _select(
        store,
        f"SELECT ?n {{ GRAPH {graph} {{ ?run a lc:AnalysisRun ; lc:betweennessSample ?n }} }}",
    )
    assert int(sample) == settings.analysis.betweenness_samples
    # real organisations, by name, are measured
    named = count(
        f"SELECT (COUNT(DISTINCT ?o) AS ?n) {{ GRAPH {graph} {{ ?o lc:betweenness ?b }} "
        "?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"
    )
    assert named == report.counts["stakeholders"]
    assert count(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?pair a lc:SectorPair }} }}") > 0
