"""Cross-sector network analysis of the participation graph (issue #6).

`analyze(store, settings, out, step)` reads the network with SPARQL, computes the measures
(crosspollination, brokerage, communities, synergy, gaps), writes them into the analysis
named graph with PROV-O, and exports tables, graph files and figures.
"""

from lcgraph.analysis.run import STEPS, AnalysisReport, analyze

__all__ = ["STEPS", "AnalysisReport", "analyze"]
