"""Write one run's results into the analysis named graph, described with PROV-O.

The graph `{base}/graph/analysis` is cleared and refilled in one staged generation of the
store, so a re-run replaces the previous results and readers see the old results or the new
ones, never a mix. Measures are stated on the things they measure (a sector concept, an
organisation, a region); sector pairs, clusters, coverage cells, type counts and gaps get
IRIs of their own under `/id/`. The vocabulary is listed in docs/model.md ("Analysis results").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad

from lcgraph.analysis.brokerage import Brokerage
from lcgraph.analysis.results import Results
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.store import GraphStore

RDF, RDFS, PROV, XSD = (W3C_PREFIXES[p] for p in ("rdf", "rdfs", "prov", "xsd"))
Value = NamedNode | str | int | float | bool | datetime
Triple = tuple[NamedNode, str, Value]


def analysis_graph(iris: Iris) -> str:
    """The named graph that holds the latest analysis results."""
    return iris.graph_iri("analysis")


def write_results(store: GraphStore, results: Results, iris: Iris) -> int:
    """Replace the analysis graph with `results`; returns the number of quads written."""
    graph = analysis_graph(iris)
    quads = list(to_quads(results, iris))
    with store.stage(from_live=True) as staging:
        if store.revision() is not None:
            staging.set_meta(**store.meta())
        staging.update(f"CLEAR SILENT GRAPH <{graph}>")
        staging.extend(quads)
        staging.set_meta(
            analysis={"run": results.run_id, "quads": len(quads), "read_revision": results.revision}
        )
    return len(quads)


def to_quads(results: Results, iris: Iris) -> Iterator[Quad]:
    """Every quad of the analysis graph for `results`."""
    graph = NamedNode(analysis_graph(iris))
    for s, p, o in _triples(results, iris):
        yield Quad(s, NamedNode(p if "://" in p else LC + p), _term(o), graph)


def _term(value: Value) -> NamedNode | Literal:
    if isinstance(value, NamedNode):
        return value
    if isinstance(value, datetime):
        return Literal(value.isoformat(timespec="seconds"), datatype=NamedNode(XSD + "dateTime"))
    return Literal(value)


def _triples(results: Results, iris: Iris) -> Iterator[Triple]:
    yield from _provenance(results, iris)
    yield from _sectors(results, iris)
    yield from _stakeholders(results, iris)
    yield from _clusters(results, iris)
    yield from _synergy(results, iris)
    yield from _gaps(results, iris)


def run_iri(iris: Iris, run_id: str) -> NamedNode:
    return NamedNode(iris.id_iri("analysis-run", run_id))


def _provenance(results: Results, iris: Iris) -> Iterator[Triple]:
    run = run_iri(iris, results.run_id)
    yield run, RDF + "type", NamedNode(PROV + "Activity")
    yield run, RDF + "type", NamedNode(LC + "AnalysisRun")
    yield run, RDFS + "label", f"lcgraph analysis {results.run_id}"
    yield run, PROV + "startedAtTime", results.started
    if results.ended is not None:
        yield run, PROV + "endedAtTime", results.ended
    if results.revision is not None:
        yield run, "storeRevision", results.revision
    for name, value in sorted(results.parameters.items()):
        parameter = NamedNode(iris.id_iri("analysis-run", f"{results.run_id}/parameter/{name}"))
        yield run, "parameter", parameter
        yield parameter, RDF + "type", NamedNode(LC + "AnalysisParameter")
        yield parameter, RDFS + "label", name
        yield parameter, RDF + "value", value
    graph = NamedNode(analysis_graph(iris))
    yield graph, RDF + "type", NamedNode(PROV + "Entity")
    yield graph, PROV + "wasGeneratedBy", run
    yield graph, PROV + "generatedAtTime", results.ended or results.started
    yield from _summary(results, run)


def _summary(results: Results, run: NamedNode) -> Iterator[Triple]:
    counts = results.counts
    yield run, "stakeholderCount", counts["stakeholders"]
    yield run, "communityCount", counts["communities"]
    yield run, "participationCount", counts["participations"]
    clustering, synergy = results.clustering, results.synergy
    optional = {
        "eiIndex": results.cross.ei_index,
        "modularity": clustering.modularity,
        "nmi": clustering.nmi,
        "ari": clustering.ari,
        "clusterCount": len(clustering.clusters),
        "betweennessSample": results.betweenness.sample,
        "clusteringSample": clustering.sampled_communities,
        "brokerageSample": len(results.brokers),
        "helixSectorRegionSynergy": synergy.helix_sector_region,
        "helixSectorSynergy": synergy.helix_sector,
    }
    for name, value in optional.items():
        if value is not None:
            yield run, name, value


def _code(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _sectors(results: Results, iris: Iris) -> Iterator[Triple]:
    for score in results.cross.scores:
        sector = NamedNode(score.sector)
        yield sector, "stakeholderCount", score.stakeholders
        yield sector, "communityCount", score.communities
        yield sector, "internalTies", score.internal_ties
        yield sector, "externalTies", score.external_ties
        if score.ei_index is not None:
            yield sector, "eiIndex", score.ei_index
    for pair in results.cross.pairs:
        node = NamedNode(iris.id_iri("sector-pair", f"{_code(pair.source)}--{_code(pair.target)}"))
        yield node, RDF + "type", NamedNode(LC + "SectorPair")
        yield node, "fromSector", NamedNode(pair.source)
        yield node, "toSector", NamedNode(pair.target)
        yield node, "sharedCommunities", pair.communities
        yield node, "sharedStakeholders", pair.stakeholders
        yield node, "coMembershipTies", pair.ties
        yield node, "jaccard", pair.jaccard
        if pair.observed_expected is not None:
            yield node, "observedExpected", pair.observed_expected


def _stakeholders(results: Results, iris: Iris) -> Iterator[Triple]:
    for org, value in results.betweenness.values.items():
        yield NamedNode(org), "betweenness", value
    for org, number in results.clustering.membership.items():
        cluster = NamedNode(iris.id_iri("network-cluster", str(number)))
        yield NamedNode(org), "networkCluster", cluster
    for broker in results.brokers:
        yield from _broker(broker, iris)


def _broker(broker: Brokerage, iris: Iris) -> Iterator[Triple]:
    org = NamedNode(broker.stakeholder)
    values = {
        "coordinatorCount": broker.coordinator,
        "itinerantCount": broker.itinerant,
        "gatekeeperRepresentativeCount": broker.gatekeeper_representative,
        "liaisonCount": broker.liaison,
        "brokerageCount": broker.total,
        "constraint": broker.constraint,
        "effectiveSize": broker.effective_size,
        "sampledNeighbours": broker.sampled_neighbours,
    }
    for name, value in values.items():
        if value is not None:
            yield org, name, value
    if broker.role is not None:
        yield org, "brokerageRole", NamedNode(iris.def_iri("brokerage-role", broker.role))


def _clusters(results: Results, iris: Iris) -> Iterator[Triple]:
    for cluster in results.clustering.clusters:
        node = NamedNode(iris.id_iri("network-cluster", str(cluster.number)))
        yield node, RDF + "type", NamedNode(LC + "NetworkCluster")
        yield node, RDFS + "label", f"cluster {cluster.number}"
        yield node, "stakeholderCount", cluster.stakeholders
        yield node, "communityCount", cluster.communities
        if cluster.dominant_sector is not None and cluster.dominant_share is not None:
            yield node, "dominantSector", NamedNode(cluster.dominant_sector)
            yield node, "dominantShare", cluster.dominant_share


def _synergy(results: Results, iris: Iris) -> Iterator[Triple]:
    for region in results.synergy.regions:
        node = NamedNode(region.region)
        yield node, "helixSectorSynergy", region.mutual_information
        yield node, "synergyContribution", region.weighted
        yield node, "stakeholderCount", region.stakeholders


def _gap(iris: Iris, kind: str, key: str, label: str) -> Iterator[Triple]:
    node = NamedNode(iris.id_iri("gap", f"{kind}/{key}"))
    yield node, RDF + "type", NamedNode(LC + "Gap")
    yield node, "gapKind", kind
    yield node, RDFS + "label", label


def _gaps(results: Results, iris: Iris) -> Iterator[Triple]:
    gaps, label = results.gaps, results.network.label
    for s, t in gaps.unbridged_pairs:
        key = f"{_code(s)}--{_code(t)}"
        yield from _gap(iris, "unbridged-sector-pair", key, f"no bridge: {label(s)} – {label(t)}")
        node = NamedNode(iris.id_iri("gap", f"unbridged-sector-pair/{key}"))
        yield node, "fromSector", NamedNode(s)
        yield node, "toSector", NamedNode(t)
    for count in gaps.types:
        node = NamedNode(iris.id_iri("type-participation", _code(count.type)))
        yield node, RDF + "type", NamedNode(LC + "TypeParticipation")
        yield node, "organisationType", NamedNode(count.type)
        yield node, "stakeholderCount", count.stakeholders
        yield node, "participationCount", count.participations
        yield node, "participationShare", count.share
    for absent in gaps.absent_types:
        yield from _gap(iris, "absent-type", _code(absent), f"never takes part: {label(absent)}")
        node = NamedNode(iris.id_iri("gap", f"absent-type/{_code(absent)}"))
        yield node, "organisationType", NamedNode(absent)
    for cell in gaps.coverage:
        key = f"{_code(cell.learning_function)}--{_code(cell.innovation_phase)}"
        node = NamedNode(iris.id_iri("coverage-cell", key))
        yield node, RDF + "type", NamedNode(LC + "CoverageCell")
        yield node, "cellLearningFunction", NamedNode(cell.learning_function)
        yield node, "cellInnovationPhase", NamedNode(cell.innovation_phase)
        yield node, "communityCount", cell.communities
        if cell.communities == 0:
            yield node, RDF + "type", NamedNode(LC + "Gap")
            yield node, "gapKind", "uncovered-cell"
    for count, confirmed in gaps.seed_observations:
        yield from _gap(
            iris,
            "seed-observation",
            _code(count.type),
            f"the seed says {label(count.type)} are missing",
        )
        node = NamedNode(iris.id_iri("gap", f"seed-observation/{_code(count.type)}"))
        yield node, "organisationType", NamedNode(count.type)
        yield node, "participationShare", count.share
        yield node, "confirmed", confirmed
