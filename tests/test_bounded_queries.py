"""Bounded queries (one triple pattern) run in the service process: which ones, and that
they answer exactly like a worker would, cut where they must and fall back when long."""

from __future__ import annotations

import io
import json
import re

import httpx
import pytest
from support import EX

from lcgraph.config import Settings
from lcgraph.querying import inline
from lcgraph.querying.bounded import is_bounded

ITEM = f"<{EX}item/7>"
VALUE = f"<{EX}value>"

BOUNDED = [
    f"SELECT ?p ?o WHERE {{ {ITEM} ?p ?o }}",
    f"select * {{ {ITEM} ?p ?o . }}",
    f'PREFIX ex: <{EX}> SELECT ?s WHERE {{ ?s ex:value "7" }} LIMIT 10',
    f"BASE <{EX}> PREFIX : <{EX}> SELECT $s {{ $s :value ?v }}",
    f'SELECT ?s WHERE {{ ?s {VALUE} "7"^^<http://www.w3.org/2001/XMLSchema#string> }}',
    f'SELECT ?s WHERE {{ ?s {VALUE} "zeven"@nl-NL }}',
    f"SELECT ?s WHERE {{ ?s {VALUE} 7 }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} true }}",
    "SELECT ?s WHERE { ?s a ?type }",
    f"ASK {{ {ITEM} ?p ?o }}",
    f"ASK WHERE {{ ?s {VALUE} ?o }}",
    f"CONSTRUCT WHERE {{ {ITEM} ?p ?o }}",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }  # a scan is lazy too: rows are pulled one by one",
    f"SELECT ?o WHERE {{ {ITEM} ?p ?o }} # }} OPTIONAL {{ ?x ?y ?z }}",
    f'SELECT ?s WHERE {{ ?s {VALUE} "}} ?a ?b ?c {{" }}',
]

UNBOUNDED = [
    "SELECT ?x WHERE { ?x ?p ?x }",  # a repeated variable scans the store for a match
    "SELECT ?x WHERE { $x ?p ?x }",
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT REDUCED ?p WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } OFFSET 100000",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT ?n",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o = 1) }",
    "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT ?s WHERE { ?s ?p ?o . ?o ?q ?r }",
    f"SELECT ?s WHERE {{ ?s {VALUE} ?o ; ?q ?r }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} ?o , ?r }}",
    f"SELECT ?s WHERE {{ ?s {VALUE}/{VALUE} ?o }}",
    f"SELECT ?s WHERE {{ ?s ^{VALUE} ?o }}",
    f"SELECT ?s WHERE {{ ?s {VALUE}* ?o }}",
    f"PREFIX ex: <{EX}> SELECT ?s WHERE {{ ?s ex:value+ ?o }}",
    f"SELECT ?s WHERE {{ ?s {VALUE} [] }}",
    f"SELECT ?s WHERE {{ _:b {VALUE} ?s }}",
    "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT ?s FROM <{EX}g> WHERE {{ ?s ?p ?o }}",
    "SELECT ?s WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <x> }",
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s } }",
    "SELECT ?s WHERE { ?s ?p ?o } # } ORDER BY ?s\n ORDER BY ?o",
    "SELECT ?x WHERE { ?x ?p \\u003Fx }",  # an escape decodes to a repeated variable
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o } LIMIT 1",
    "SELECT ?s WHERE { ?s ?p ?o",
    "SELECT WHERE { ?s ?p ?o }",
    "",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_single_pattern_queries_are_bounded(query: str) -> None:
    assert is_bounded(query)


@pytest.mark.parametrize("query", UNBOUNDED)
def test_anything_else_goes_to_a_worker(query: str) -> None:
    assert not is_bounded(query)


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_an_inline_answer_is_the_answer_a_worker_gives(protocol_server: str, accept: str) -> None:
    inline_query = f"SELECT ?s ?o WHERE {{ ?s {VALUE} ?o }} LIMIT 5"
    worker_query = f"SELECT ?s ?o WHERE {{ ?s {VALUE} ?o FILTER(true) }} LIMIT 5"
    assert is_bounded(inline_query) and not is_bounded(worker_query)
    answers = [
        httpx.get(f"{protocol_server}/sparql", params={"query": q}, headers={"Accept": accept})
        for q in (inline_query, worker_query)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    for name in ("content-type", "x-lcgraph-truncated", "x-lcgraph-row-limit"):
        assert answers[0].headers[name] == answers[1].headers[name]


def test_an_inline_answer_says_when_the_row_limit_cut_it(protocol_server: str) -> None:
    # protocol_settings has max_rows=20; the store has 50 numbered items
    response = httpx.get(
        f"{protocol_server}/sparql",
        params={"query": f"SELECT ?s WHERE {{ ?s {VALUE} ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["x-lcgraph-truncated"] == "true"
    body = response.json()
    assert len(body["results"]["bindings"]) == 20
    assert body["lcgraph"] == {"truncated": True, "rowLimit": 20}


def test_a_long_bounded_result_is_streamed_by_a_worker_in_full(
    server_for, protocol_store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inline, "INLINE_ROWS", 10)
    settings = Settings(store=protocol_store.location, max_rows=1000, queries=tmp_path)
    with server_for(settings) as url:
        response = httpx.get(
            f"{url}/sparql",
            params={"query": f"SELECT ?s WHERE {{ ?s {VALUE} ?o }}", "format": "json"},
        )
    assert response.status_code == 200
    assert response.headers["x-lcgraph-truncated"] == "false"
    assert len(response.json()["results"]["bindings"]) == 50


def test_inline_syntax_errors_name_their_position(protocol_server: str) -> None:
    query = "SELECT ?s WHERE { ?s undeclared:value ?o }"
    assert is_bounded(query)
    response = httpx.get(f"{protocol_server}/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.json()["type"] == "QuerySyntaxError"
    assert "line 1, column" in response.json()["error"]


# --- point lookups read from the index: the same answers as the engine -----------------

LOOKUP_DATA = f"""
<{EX}a> <{EX}knows> <{EX}b> .
<{EX}a> <{EX}knows> <{EX}c> <{EX}g1> .
<{EX}a> <{EX}knows> <{EX}b> <{EX}g2> .
<{EX}a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Person> <{EX}g1> .
<{EX}b> <{EX}name> "Bea"@nl <{EX}g1> .
<{EX}b> <{EX}knows> _:x <{EX}g2> .
_:x <{EX}name> "X" <{EX}g2> .
<{EX}c> <{EX}age> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
""".encode()
PREFIX = f"PREFIX ex: <{EX}> "
LOOKUPS = [
    f"SELECT ?p ?o WHERE {{ <{EX}a> ?p ?o }}",
    f"SELECT * WHERE {{ <{EX}a> ?p ?o }}",
    f"SELECT ?o ?p ?unbound WHERE {{ <{EX}a> ?p ?o }}",
    f"SELECT ?s WHERE {{ ?s <{EX}knows> <{EX}b> }}",
    PREFIX + "SELECT * WHERE { ?s ex:knows ?o }",
    PREFIX + "SELECT ?s WHERE { ?s a ex:Person }",
    PREFIX + "SELECT ?p WHERE { ex:a ?p ex:b }",
    PREFIX + "SELECT ?x WHERE { ex:a ex:knows ?x } LIMIT 2",
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT ?o WHERE { ?s ?p ?o } LIMIT 3",
    PREFIX + "SELECT * WHERE { ex:nobody ?p ?o }",
    f"CONSTRUCT WHERE {{ <{EX}a> ?p ?o }}",
    PREFIX + "CONSTRUCT WHERE { ?s ex:knows ?o } LIMIT 2",
]


@pytest.fixture(scope="module")
def lookup_store(tmp_path_factory: pytest.TempPathFactory):
    from support import build_store

    return build_store(tmp_path_factory.mktemp("lookups") / "store", LOOKUP_DATA)


@pytest.mark.parametrize("query", LOOKUPS)
def test_an_index_lookup_answers_as_the_engine_does(lookup_store, query: str) -> None:
    from lcgraph.querying import results
    from lcgraph.querying.bounded import read_bounded
    from lcgraph.querying.job import Job

    bounded = read_bounded(query)
    assert bounded is not None and inline.lookup_slots(bounded) is not None
    target = lookup_store.target()
    formats = {"solutions": ["json"], "boolean": ["json"], "graph": ["ntriples"]}
    reader = lookup_store.reader()
    done = inline.run_inline(reader, Job(query, target, formats, 100), bounded)
    assert done is not None
    expected = io.BytesIO()
    engine = reader.query(query, use_default_graph_as_union=True)
    results.write_result(engine, done.format, expected, 100, query)  # SELECT * column order
    assert _answer(done.body, done.format) == _answer(expected.getvalue(), done.format)


def _answer(body: bytes, fmt: str) -> object:
    """A result as a comparable value: order and blank node labels do not count."""
    if fmt == "ntriples":
        return sorted(re.sub(r"_:\w+", "_:b", line) for line in body.decode().splitlines())
    parsed = json.loads(body)
    if "boolean" in parsed:
        return parsed["boolean"]
    rows = [
        json.dumps({k: (v if v["type"] != "bnode" else "bnode") for k, v in row.items()})
        for row in parsed["results"]["bindings"]
    ]
    return parsed["head"]["vars"], sorted(rows)


@pytest.mark.parametrize(
    "query",
    [
        f'SELECT ?s WHERE {{ ?s <{EX}name> "Bea"@nl }}',  # a literal: the engine
        "SELECT ?s WHERE { ?s <knows> ?o }",  # a relative IRI
        "PREFIX ex: <relative/> SELECT ?s WHERE { ?s ex:knows ?o }",
        f"BASE <{EX}> SELECT ?s WHERE {{ ?s <knows> ?o }}",
        f"ASK {{ <{EX}a> ?p ?o }}",
        r"PREFIX ex: <http://e/> SELECT ?s WHERE { ?s ex:a\.b ?o }",
        "SELECT ?s WHERE { ?s undeclared:p ?o }",
    ],
)
def test_other_bounded_queries_go_to_the_engine(query: str) -> None:
    from lcgraph.querying.bounded import read_bounded

    bounded = read_bounded(query)
    assert bounded is not None
    assert inline.lookup_slots(bounded) is None


def test_whatever_the_test_accepts_is_answered_as_the_engine_does(lookup_store) -> None:
    """Seeded mutations of bounded queries (stray symbols, keywords, comments, prefixed
    names): every text read as bounded gets the engine's answer, or the engine's error."""
    import random

    from lcgraph.errors import QueryError
    from lcgraph.querying import results
    from lcgraph.querying.bounded import read_bounded
    from lcgraph.querying.job import Job

    seeds = LOOKUPS + BOUNDED
    pieces = [*"?$<>\"'#{}.:@^*+-_aA09 \n\\é", " a ", " WHERE ", " LIMIT 2", " . ", "# c\n"]
    pieces += [" true ", "ex:", "a:", " ?x ", ".5", " PREFIX ex: <http://e/> "]
    rnd = random.Random(3)
    target = lookup_store.target()
    formats = {"solutions": ["json"], "boolean": ["json"], "graph": ["ntriples"]}
    reader = lookup_store.reader()
    checked = 0
    for _ in range(4000):
        text = rnd.choice(seeds)
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + rnd.choice(pieces) + text[at + rnd.randrange(3) :]
        if (query := read_bounded(text)) is None:
            continue
        checked += 1
        try:
            done = inline.run_inline(reader, Job(text, target, formats, 100), query)
            assert done is not None
            ours: object = _answer(done.body, done.format)
        except QueryError:
            ours = "error"
        try:
            engine = reader.query(text, use_default_graph_as_union=True)
            expected = io.BytesIO()
            fmt = results.choose_format(results.kind_of(engine), formats)
            assert fmt is not None
            results.write_result(engine, fmt, expected, 100, text)  # SELECT * column order
            theirs: object = _answer(expected.getvalue(), fmt)
        except SyntaxError:
            theirs = "error"
        assert ours == theirs, text
    assert checked > 1000
