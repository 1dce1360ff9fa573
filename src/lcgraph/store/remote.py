"""A remote SPARQL 1.1 server as lcgraph's store (issue #7): Oxigraph server, Virtuoso, Fuseki…

Reading sends the SPARQL 1.1 Protocol request and returns the same pyoxigraph types as the
embedded store. Building (`stage()`) runs the whole pipeline (loading, inference,
validation) on a LOCAL temporary embedded store, which needs no round trips. Only when the
block ends without error is the result published:

1. each named graph goes up in chunks (Graph Store Protocol PUT, N-Triples), each chunk
   into a staging graph of its own under `{base}/graph/store-staging/{revision}/`, with
   retries and a progress callback (`lcgraph.store.remote_upload`);
2. ONE SPARQL Update request moves the staging graphs onto the live graphs, drops the
   graphs the previous build owned and this one does not, and rewrites the meta graph
   `{base}/graph/meta` (revision and build meta). Oxigraph server, Fuseki and GraphDB run
   one update request as one transaction, so readers see the old graphs or the new ones;
   Virtuoso applies it operation by operation (docs/remote-store.md).

A failure before the switch drops the staging graphs and leaves the live graphs as they
were; if the server is gone by then, the next build removes the leftovers (the meta graph
names unfinished loads). Graphs the previous build did not record are never touched, so
lcgraph can share a server with other data. One build at a time: there is no server lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lcgraph.config import Settings
from lcgraph.errors import StoreError
from lcgraph.iris import W3C_PREFIXES, Iris
from lcgraph.store import QueryResult
from lcgraph.store.embedded import EmbeddedStaging
from lcgraph.store.remote_access import client_for, location_of
from lcgraph.store.remote_protocol import server_kind
from lcgraph.store.remote_reader import RemoteReader
from lcgraph.store.remote_sync import (
    DEFAULT,
    graph_digest,
    graph_names,
    meta_triples,
    switch_update,
)
from lcgraph.store.remote_upload import Progress, UploadProgress, upload_graphs
from lcgraph.store.sparql_text import inline_values, with_prologue
from lcgraph.store.target import RemoteTarget

log = logging.getLogger(__name__)
DCT = W3C_PREFIXES["dct"]
REVISION_TTL_S = 1.0  # how long `target()` trusts the revision it last asked the server for


def log_progress(progress: UploadProgress) -> None:
    """The default progress callback: one log line per chunk."""
    log.info(
        "uploaded %s chunk %d (%d triples, %d/%d in all, %d attempt(s))",
        progress.graph,
        progress.chunk,
        progress.triples,
        progress.sent,
        progress.total,
        progress.attempts,
    )


class RemoteStore:
    """The SPARQL server at `url`; see the module docstring for how builds are published."""

    def __init__(self, url: str, settings: Settings, progress: Progress = log_progress) -> None:
        self.location = location_of(url)
        self.kind = server_kind(settings.remote.server)
        self.client = client_for(url, self.kind, settings)
        iris = Iris(settings.base_iri)
        self.meta_graph = iris.graph_iri("meta")
        self.staging_prefix = iris.graph_iri("store-staging")
        self.chunk_triples = settings.remote.chunk_triples
        self.retries = settings.remote.retries
        self.progress = progress
        self.settings = settings  # a target carries them to the query workers
        self._asked: tuple[float, str | None] = (-REVISION_TTL_S, None)

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r}, server={self.kind.name!r})"

    # --- reading -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[Any, Any] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Run a read query on the server; the default graph is the union of all graphs.

        `substitutions` become a typed VALUES block, `prefixes` a PREFIX prologue.
        Raises QuerySyntaxError, QueryError, QueryTimeout or StoreError.
        """
        text = with_prologue(inline_values(sparql, substitutions), prefixes)
        result: QueryResult = self.client.query(
            text, union=True, default_graphs=default_graphs or (), named_graphs=named_graphs or ()
        )
        return result

    def close(self) -> None:
        """Close the HTTP connections to the server."""
        self.client.close()

    def reader(self) -> RemoteReader:
        """This server behind the read methods of `pyoxigraph.Store` (query, quads_for_pattern)."""
        return RemoteReader(self)

    def target(self) -> RemoteTarget:
        """The server as a query target; its revision asked at most once a second (a round
        trip per request would double the cost of a small query)."""
        asked, revision = self._asked
        if time.monotonic() - asked > REVISION_TTL_S:
            revision = self.revision()
            self._asked = (time.monotonic(), revision)
        if revision is None:
            raise StoreError("no graph has been built yet (run `lcgraph build`)")
        return RemoteTarget(revision, self.location, self.settings, self)

    def releases_folder(self) -> Path:
        """In the temporary folder, one per server: a remote store has no folder here."""
        digest = hashlib.blake2b(self.location.encode(), digest_size=8).hexdigest()
        return Path(tempfile.gettempdir()) / f"lcgraph-releases-{digest}"

    def search_folder(self) -> Path:
        """On this machine, in the project folder of the settings the store was opened with,
        one folder per server: the index is read here, not there."""
        digest = hashlib.sha256(self.location.encode()).hexdigest()[:16]
        return self.settings.project / "var" / "search" / digest

    def _meta_value(self, predicate: str) -> list[Any]:
        graph = NamedNode(self.meta_graph)
        rows = self.client.query(
            f"SELECT ?v WHERE {{ GRAPH {graph} {{ {graph} {NamedNode(predicate)} ?v }} }}",
            union=False,
        )
        return [row["v"] for row in rows] if isinstance(rows, QuerySolutions) else []

    def revision(self) -> str | None:
        values = self._meta_value(DCT + "identifier")
        return str(values[0].value) if values else None

    def meta(self) -> dict[str, Any]:
        """The meta the last build recorded. Raises StoreError before the first build."""
        values = self._meta_value(W3C_PREFIXES["rdf"] + "value")
        if not values:
            raise StoreError(f"{self.location}: no graph has been built yet (run `lcgraph build`)")
        meta: dict[str, Any] = json.loads(values[0].value)
        return meta

    def _live_meta(self) -> dict[str, Any]:
        return self.meta() if self.revision() is not None else {}

    # --- building ----------------------------------------------------------------------

    @contextmanager
    def stage(self, from_live: bool = False) -> Iterator[EmbeddedStaging]:
        """Build in a local temporary store; publish it to the server on a clean exit.

        With `from_live`, the local store starts with the graphs of the last build,
        downloaded once, and only the graphs that changed go back up.
        """
        revision = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        self._remove_unfinished()
        with tempfile.TemporaryDirectory(prefix="lcgraph-remote-") as folder:
            staging = EmbeddedStaging(Path(folder) / "store", revision)
            live = self._live_meta()
            unchanged = self._download(staging, live) if from_live else {}
            yield staging
            staging.store.flush()
            self._publish(staging, revision, live, unchanged)
            del staging

    def _download(self, staging: EmbeddedStaging, live: dict[str, Any]) -> dict[str, str]:
        """Load the live graphs into `staging`; returns each graph's digest as loaded."""
        for graph in live.get("store_graphs", []):
            data, format_ = self.client.get_graph(graph)
            if data:
                staging.load(data, format=format_, graph=None if graph == DEFAULT else graph)
        return {graph: graph_digest(staging, graph) for graph in graph_names(staging)}

    def _publish(
        self,
        staging: EmbeddedStaging,
        revision: str,
        live: dict[str, Any],
        unchanged: dict[str, str],
    ) -> None:
        prefix = f"{self.staging_prefix}/{revision}"
        meta = {**staging.meta, "revision": revision, "previous": live.get("revision")}
        self._mark_pending(prefix)
        created: list[str] = []
        try:
            plans = upload_graphs(
                self.client,
                staging,
                prefix,
                unchanged,
                created,
                chunk_triples=self.chunk_triples,
                retries=self.retries,
                progress=self.progress,
            )
            meta["store_graphs"] = [plan.graph for plan in plans]
            self.client.update(
                switch_update(
                    plans, live.get("store_graphs", []), self.meta_graph, meta_triples(meta)
                )
            )
        except BaseException:
            self._drop_quietly(created, prefix)
            raise

    def _mark_pending(self, prefix: str) -> None:
        """Name the load in the meta graph first, so a crash leaves a trace to clean up."""
        self.client.update(
            f"INSERT DATA {{ GRAPH <{self.meta_graph}> "
            f"{{ <{self.meta_graph}> <{DCT}hasPart> <{prefix}> }} }}"
        )

    def _drop_quietly(self, graphs: list[str], prefix: str) -> None:
        """Drop staging graphs after a failure; a server that is gone gets cleaned next time."""
        drops = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        drops.append(
            f"DELETE DATA {{ GRAPH <{self.meta_graph}> "
            f"{{ <{self.meta_graph}> <{DCT}hasPart> <{prefix}> }} }}"
        )
        try:
            self.client.update(" ;\n".join(drops))
        except StoreError as err:
            log.warning("could not drop the staging graphs of a failed load: %s", err)

    def _remove_unfinished(self) -> None:
        """Drop the staging graphs of loads that never finished (a crash, a lost server)."""
        prefixes = [str(v.value) for v in self._meta_value(DCT + "hasPart")]
        for prefix in prefixes:
            rows = self.client.query(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {Literal(prefix + '/')})) }}",
                union=False,
            )
            graphs = [row["g"].value for row in rows] if isinstance(rows, QuerySolutions) else []
            self._drop_quietly(graphs, prefix)
