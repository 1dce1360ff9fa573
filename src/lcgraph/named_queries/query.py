"""A named query: a checked `queries/<name>.rq` file that binds typed parameters and runs.

`load_queries(folder)` reads every file and refuses to start on any problem (a header that
does not parse, a parameter the query does not use or does not project, SPARQL that does not
parse), raising one ValidationFailed that lists each problem with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions, Store, Variable

from lcgraph.errors import Problem, QueryParamError, QuerySyntaxError, ValidationFailed, relative
from lcgraph.iris import Iris
from lcgraph.named_queries.header import Header, HeaderProblems, header_lines, parse_header
from lcgraph.named_queries.params import Param, Term, to_term
from lcgraph.sparql.lexer import tokenize
from lcgraph.store import GraphStore

DEFAULT_BASE = "https://w3id.org/lcgraph"
_IS_INSTANCE = "ASK { ?value a ?class }"
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its header (texts, params, tags) and its SPARQL text."""

    name: str
    path: Path
    text: str
    header: Header
    iris: Iris
    # (store location, revision, class, value) -> is an instance; a built graph never changes,
    # so a revision's answers stay true (benchmarks/named_queries.py: the ASK is ~30% of a
    # small query's time).
    _instances: dict[tuple[str, str | None, str, str], bool] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def title(self) -> dict[str, str]:
        return self.header.title

    @property
    def description(self) -> dict[str, str]:
        return self.header.description

    @property
    def params(self) -> tuple[Param, ...]:
        return self.header.params

    @property
    def tags(self) -> tuple[str, ...]:
        return self.header.tags

    @property
    def sparql(self) -> str:
        """The SPARQL without the `#+` header (what the catalogue and pages show)."""
        lines = self.text.splitlines(keepends=True)
        return "".join(lines[len(header_lines(self.text)) :]).lstrip("\n")

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryParamError(name, f"a parameter of {self.name} ({known})")

    def bind(self, raw: Mapping[str, str]) -> dict[Variable, Term]:
        """Typed terms for the raw values, defaults filled in; the class of IRIs not checked.

        Raises QueryParamError for an unknown parameter, a missing required one, or a
        value that is not of the declared type.
        """
        for name in raw:
            self.param(name)
        bindings: dict[Variable, Term] = {}
        for param in self.params:
            value = raw.get(param.name, param.default)
            if value is None:
                if param.required:
                    raise QueryParamError(param.name, f"a value ({param.expected})")
                continue
            bindings[param.variable] = to_term(param, value, self.iris.expand)
        return bindings

    def check_classes(self, store: GraphStore, bindings: Mapping[Variable, Term]) -> None:
        """Each bound `iri` parameter with a `class` must name an instance of it in `store`."""
        for param in self.params:
            value = bindings.get(param.variable)
            if value is None or param.class_iri is None:
                continue
            if not self._is_instance(store, value, param.class_iri):
                raise QueryParamError(param.name, param.expected, value.value)

    def _is_instance(self, store: GraphStore, value: Term, class_iri: str) -> bool:
        revision = store.revision()
        key = (store.location, revision, class_iri, str(value))
        found = self._instances.get(key) if revision is not None else None
        if found is None:
            found = bool(
                store.query(
                    _IS_INSTANCE,
                    substitutions={
                        Variable("value"): value,
                        Variable("class"): NamedNode(class_iri),
                    },
                )
            )
            if len(self._instances) >= _CACHE_SIZE:
                self._instances.clear()
            self._instances[key] = found
        return found

    def run(self, store: GraphStore, raw_params: Mapping[str, str] | None = None) -> QuerySolutions:
        """Bind, check and run on `store`; values go in as RDF terms, never into the text."""
        from lcgraph.querying.search_rewrite import rewrite_for_store

        bindings = self.bind(raw_params or {})
        self.check_classes(store, bindings)
        # a full-text search (the `search` query) becomes VALUES of its hits (issue 15); its
        # text is a parameter, read as a term, never pasted into the query
        text = rewrite_for_store(
            self.text,
            store,
            store.revision(),
            self.iris.base,
            prefixes=self.iris.prefixes,
            bindings={v.value: t for v, t in bindings.items()},
        )
        result = store.query(text, substitutions=dict(bindings))
        assert isinstance(result, QuerySolutions)
        return result

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description for the catalogue, the API and OpenAPI."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "params": [_describe_param(p) for p in self.params],
            "sparql": self.sparql,
        }


def _describe_param(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.kind,
        "required": param.required,
        "class": param.class_iri,
        "datatype": param.datatype,
        "values": list(param.values) or None,
        "default": param.default,
        "example": param.example,
        "description": param.description,
        "schema": param.json_schema(),
    }


def load_queries(folder: Path, iris: Iris | None = None) -> dict[str, NamedQuery]:
    """Every `*.rq` in `folder` by name (file stem), sorted; raises ValidationFailed."""
    iris = iris or Iris(DEFAULT_BASE)
    problems: list[Problem] = []
    queries: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        try:
            queries[path.stem] = load_query(path, iris)
        except ValidationFailed as failed:
            problems.extend(failed.problems)
    if problems:
        raise ValidationFailed(problems, stage="named queries")
    return queries


def load_query(path: Path, iris: Iris | None = None) -> NamedQuery:
    """One named query, checked; raises ValidationFailed with file:line problems."""
    iris = iris or Iris(DEFAULT_BASE)
    file = relative(path)
    text = path.read_text(encoding="utf-8")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem):
        raise ValidationFailed(
            [
                Problem(
                    file,
                    "a query file name must be a lowercase slug",
                    row=1,
                    expected="e.g. communities-per-sector.rq",
                )
            ],
            stage="named queries",
        )
    try:
        header = parse_header(text, file, iris.expand)
    except HeaderProblems as err:
        raise ValidationFailed(err.problems, stage="named queries") from err
    query = NamedQuery(path.stem, path, text, header, iris)
    problems = check_query(query, file)
    if problems:
        raise ValidationFailed(problems, stage="named queries")
    return query


def check_query(query: NamedQuery, file: str) -> list[Problem]:
    """What is wrong with the SPARQL of a parsed query: unused params, syntax, projection."""
    lines = header_lines(query.text)
    used = {t.text[1:] for t in tokenize(query.sparql) if t.kind == "var"}  # ?x and $x alike
    problems = [
        Problem(
            file,
            f"parameter {p.name!r} is not used in the query",
            row=_param_line(lines, p),
            expected=f"?{p.name} in the SPARQL",
        )
        for p in query.params
        if p.name not in used
    ]
    if problems:
        return problems
    return _engine_check(query, file, lines)


def _engine_check(query: NamedQuery, file: str, lines: list[str]) -> list[Problem]:
    """Parse and run on an empty store with every parameter bound to its example.

    This is the engine's own check that the SPARQL parses, is a SELECT, and projects each
    parameter variable (pyoxigraph 0.5.13 substitutes only projected variables).
    """
    from lcgraph.query_errors import syntax_error
    from lcgraph.querying.search_rewrite import NO_INDEX, rewrite

    try:
        bindings = query.bind({p.name: p.example for p in query.params})
        # a search is checked, and answered with no hits: the engine must not see its SERVICE
        text = rewrite(
            query.text,
            query.iris.base,
            NO_INDEX,
            prefixes=query.iris.prefixes,
            bindings={v.value: t for v, t in bindings.items()},
        )
        result = Store().query(text, substitutions=dict(bindings))
    except SyntaxError as err:
        located = syntax_error(err)
        return [Problem(file, str(located), row=located.line, column=located.column)]
    except QuerySyntaxError as err:
        return [Problem(file, str(err), row=err.line, column=err.column)]
    except RuntimeError as err:
        param = next((p for p in query.params if f"?{p.name} " in f"{err} "), None)
        row = _param_line(lines, param) if param else len(lines) + 1
        return [
            Problem(
                file,
                f"{err}",
                row=row,
                expected="every parameter variable in the SELECT projection",
            )
        ]
    if not isinstance(result, QuerySolutions):
        return [Problem(file, "a named query must be a SELECT query", row=len(lines) + 1)]
    return []


def _param_line(lines: list[str], param: Param | None) -> int:
    if param is not None:
        for number, line in enumerate(lines, start=1):
            if re.match(rf"^\s*{param.name}\s*:", line):
                return number
    return 1
