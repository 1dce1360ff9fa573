"""SHACL shapes for the instance data, checked fast by compiling them to SPARQL.

`ontology/shapes/lcgraph.shacl.ttl` is the declared source of truth. pySHACL needs about a
minute and 1.7 GB for a million triples, so the build compiles every (shape, constraint)
pair to one SPARQL SELECT that returns the violations, and runs those on the staged
pyoxigraph store (a few seconds). `check_with_pyshacl` is the reference implementation that
the parity tests hold the compiled checks against.

Contract:
* `load_shapes` refuses, with every offending shape named, any SHACL feature that
  `compile_shapes` cannot translate: nothing in the shapes file is ever silently skipped.
* The compiled checks follow SHACL semantics: `sh:targetClass` and `sh:class` follow
  `rdfs:subClassOf*` in the data, `sh:in` compares RDF terms exactly. One deliberate
  difference: `sh:datatype` also checks the lexical form of xsd:gYear/xsd:date/xsd:integer/
  xsd:nonNegativeInteger/xsd:boolean/xsd:decimal, where rdflib (and so pySHACL) does not
  flag every ill-formed literal (e.g. "20x7"^^xsd:gYear).

Modules, in the order a check is made: `model` (shapes, checks, violations), `loading`,
`compiling`, `checking` (on a store), `reference` (pySHACL).
"""

from lcgraph.validation.shapes.checking import check_store, find_violations, to_problem
from lcgraph.validation.shapes.compiling import compile_shapes
from lcgraph.validation.shapes.loading import load_shapes, shapes_from_graph
from lcgraph.validation.shapes.model import (
    ALL_SEVERITIES,
    COMPONENTS,
    SH,
    VIOLATION,
    CompiledCheck,
    PropertyPath,
    Shapes,
    Violation,
)
from lcgraph.validation.shapes.reference import check_with_pyshacl, pyshacl_violations

__all__ = [
    "ALL_SEVERITIES",
    "COMPONENTS",
    "SH",
    "VIOLATION",
    "CompiledCheck",
    "PropertyPath",
    "Shapes",
    "Violation",
    "check_store",
    "check_with_pyshacl",
    "compile_shapes",
    "find_violations",
    "load_shapes",
    "pyshacl_violations",
    "shapes_from_graph",
    "to_problem",
]
