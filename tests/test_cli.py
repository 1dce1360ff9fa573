"""The command line as a user meets it (issue 12, item 7), through typer's CliRunner.

`sparql` runs on the small W3C protocol store (`protocol_store`); `build` and `check` run
the real pipeline on a copy of the ontology (with an unsatisfiable class, so that whether
HermiT ran shows in the exit status) and an empty data folder, which builds in seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner, Result

from lcgraph.cli import app
from lcgraph.config import Settings
from lcgraph.config.display import settings_markdown
from lcgraph.config.groups import GROUPS
from lcgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]  # the source checkout these tests run in

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
UNSATISFIABLE = "lc:SME rdfs:subClassOf owl:Nothing .\n"  # HermiT's finding; QC's is none
QC = sorted(path.stem for path in (REPO / "ontology" / "qc").glob("*-violation.rq"))


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


# --- sparql: ASK in every result format --------------------------------------------------


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("table", "true"),
        ("csv", "true"),  # the W3C leaves CSV/TSV of ASK undefined: as Oxigraph writes it
        ("tsv", "true"),
    ],
)
def test_ask_prints_its_answer(protocol_store: EmbeddedStore, fmt: str, expected: str) -> None:
    result = _invoke("sparql", ASK, "--store", protocol_store.location, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected


def test_ask_as_json_is_sparql_json_results(protocol_store: EmbeddedStore) -> None:
    result = _invoke("sparql", ASK, "--store", protocol_store.location, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"head": {}, "boolean": True}


def test_ask_as_xml_is_sparql_xml_results(protocol_store: EmbeddedStore) -> None:
    result = _invoke("sparql", ASK, "--store", protocol_store.location, "--format", "xml")
    assert result.exit_code == 0, result.output
    assert 'xmlns="http://www.w3.org/2005/sparql-results#"' in result.output
    assert "<boolean>true</boolean>" in result.output


def test_ask_as_a_graph_format_is_refused(protocol_store: EmbeddedStore) -> None:
    result = _invoke("sparql", ASK, "--store", protocol_store.location, "--format", "turtle")
    assert result.exit_code == 2 and "CONSTRUCT/DESCRIBE" in result.output


@pytest.mark.parametrize("fmt, first", [("xml", "<?xml"), ("tsv", "?s"), ("csv", "s")])
def test_select_in_each_result_format(protocol_store: EmbeddedStore, fmt: str, first: str) -> None:
    result = _invoke("sparql", SELECT, "--store", protocol_store.location, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(first)


def test_construct_as_turtle_uses_the_query_prefixes(protocol_store: EmbeddedStore) -> None:
    """Issue 12.3: the CLI writes Turtle with the query's prefixes, as /sparql does."""
    query = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:p ?o } WHERE { ?s ?q ?o } LIMIT 3"
    result = _invoke("sparql", query, "--store", protocol_store.location, "--format", "turtle")
    assert result.exit_code == 0, result.output
    assert "@prefix ex: <http://example.org/> ." in result.output
    assert "ex:p" in result.output


def test_the_project_prefixes_need_no_declaration(protocol_store: EmbeddedStore) -> None:
    result = _invoke(
        "sparql", "ASK { ?s a lc:LearningCommunity }", "--store", protocol_store.location
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "false"


def test_select_star_columns_come_in_query_order(protocol_store: EmbeddedStore) -> None:
    query = "SELECT * WHERE { ?z ?y ?x } LIMIT 1"
    result = _invoke("sparql", query, "--store", protocol_store.location, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].strip() == "z,y,x"


# a five-way cross product, sorted: runs for minutes on the protocol store (test_query_safety)
RUNAWAY = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
    "ORDER BY DESC(?c) ?f ?i ?l ?o"
)


def test_a_query_past_the_time_limit_stops_with_a_clear_message(
    protocol_store: EmbeddedStore,
) -> None:
    """The CLI asks the query service, so the time limit applies here too (issue 14)."""
    started = time.monotonic()
    result = _invoke("sparql", RUNAWAY, "--store", protocol_store.location, "--timeout", "0.5")
    assert result.exit_code == 1, result.output
    assert "time limit of 0.5 s" in result.output
    assert time.monotonic() - started < 20  # the worker was killed, not waited for


def test_a_named_query_gets_the_time_limit_from_the_settings(
    protocol_store: EmbeddedStore, tmp_path: Path
) -> None:
    (tmp_path / "runaway.rq").write_text(
        '#+ title: {en: "Runaway", nl: "Weglopend"}\n'
        '#+ description: {en: "A cross product", nl: "Een kruisproduct"}\n' + RUNAWAY + "\n"
    )
    env = {"LCGRAPH_QUERIES": str(tmp_path), "LCGRAPH_QUERY_TIMEOUT_S": "0.5"}
    result = _invoke("query", "runaway", "--store", protocol_store.location, env=env)
    assert result.exit_code == 1, result.output
    assert "time limit of 0.5 s" in result.output


def test_a_named_query_checks_the_class_of_an_iri_parameter(
    protocol_store: EmbeddedStore, tmp_path: Path
) -> None:
    (tmp_path / "of-class.rq").write_text(
        '#+ title: {en: "Of a class", nl: "Van een klasse"}\n'
        '#+ description: {en: "Its values", nl: "Zijn waarden"}\n'
        "#+ params:\n"
        '#+   thing: {type: iri, class: lc:LearningCommunity, example: "http://e/x"}\n'
        "SELECT ?thing ?v WHERE { ?thing ?p ?v }\n"
    )
    env = {"LCGRAPH_QUERIES": str(tmp_path)}
    args = ["query", "of-class", "-p", "thing=http://example.org/item/1", "--store"]
    result = _invoke(*args, protocol_store.location, env=env)
    assert result.exit_code == 1, result.output
    assert "thing" in result.output and "LearningCommunity" in result.output


# --- build --reasoner/--no-reasoner --------------------------------------------------------


def test_build_help_offers_reasoner_and_no_reasoner() -> None:
    result = _invoke("build", "--help")
    assert "--reasoner" in result.output and "--no-reasoner" in result.output
    assert "--no-no-reasoner" not in result.output
    option = next(
        p for p in typer.main.get_command(app).commands["build"].params if p.name == "reasoner"
    )  # type: ignore[attr-defined]
    assert option.default is None  # not given: the setting (LCGRAPH_REASONER) decides


@pytest.fixture(scope="module")
def unsatisfiable(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a build of no data over an ontology in which HermiT finds a fault."""
    root = tmp_path_factory.mktemp("cli-build")
    shutil.copytree(REPO / "ontology", root / "ontology")
    with (root / "ontology" / "lcgraph-edit.ttl").open("a", encoding="utf-8") as edit:
        edit.write("\n" + UNSATISFIABLE)
    (root / "data").mkdir()
    return {
        "LCGRAPH_ONTOLOGY": str(root / "ontology"),
        "LCGRAPH_DATA": str(root / "data"),
        "LCGRAPH_STORE": str(root / "store"),
    }


@pytest.mark.parametrize(
    "option, setting, runs_hermit",
    [
        ("--reasoner", "false", True),  # the option wins over the environment
        ("--no-reasoner", "true", False),
        (None, "false", False),  # no option: LCGRAPH_REASONER, as before
    ],
)
def test_the_reasoner_option_decides_whether_hermit_runs(
    unsatisfiable: dict[str, str], option: str | None, setting: str, runs_hermit: bool
) -> None:
    env = {**unsatisfiable, "LCGRAPH_REASONER": setting}
    result = _invoke("build", *([option] if option else []), env=env)
    assert (result.exit_code == 1) is runs_hermit, result.output
    assert ("HermiT" in result.output) is runs_hermit


# --- query without a name -----------------------------------------------------------------


def test_query_without_a_name_lists_every_named_query() -> None:
    from lcgraph.iris import Iris
    from lcgraph.named_queries import load_queries

    result = _invoke("query", env={"COLUMNS": "300"})  # a wide terminal: no cell wraps
    assert result.exit_code == 0, result.output
    settings = Settings()
    queries = load_queries(settings.queries, Iris(settings.base_iri))
    for name, query in queries.items():
        assert re.search(rf"^│ {re.escape(name)} ", result.output, re.MULTILINE), name
        assert query.title["en"] in result.output
    assert f"{len(queries)} queries" in result.output


# --- settings: values in force and their source -------------------------------------------


def _settings_lines(output: str) -> dict[str, tuple[str, str]]:
    """`LCGRAPH_X=value  # source` lines as variable -> (value, source); group headers
    (`# [service]`) skipped."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("# "):
            continue
        assignment, source = line.rsplit("  # ", 1)
        variable, value = assignment.rstrip().split("=", 1)
        rows[variable] = (value, source)
    return rows


def test_settings_show_the_values_in_force_and_where_they_come_from(tmp_path: Path) -> None:
    env = {"LCGRAPH_PORT": "9001", "LCGRAPH_SERVICE__UPDATE_TOKEN": "s3cret-token"}
    result = _invoke("settings", "--store", str(tmp_path), env=env)
    assert result.exit_code == 0, result.output
    rows = _settings_lines(result.output)
    assert rows["LCGRAPH_STORE"] == (str(tmp_path), "flag")
    assert rows["LCGRAPH_SERVICE__PORT"] == ("9001", "env")  # read from its flat alias
    assert rows["LCGRAPH_SERVICE__UPDATE_TOKEN"] == ("'<hidden>'", "env")
    assert rows["LCGRAPH_SERVICE__HOST"] == ("127.0.0.1", "default")
    assert "s3cret-token" not in result.output
    groups = [line for line in result.output.splitlines() if line.startswith("# [")]
    assert groups == ["# [build]", "# [service]", "# [analysis]", "# [remote]"]
    top = {f"LCGRAPH_{name.upper()}" for name in Settings.model_fields if name not in GROUPS}
    grouped = {
        f"LCGRAPH_{group.upper()}__{name.upper()}"
        for group, model in GROUPS.items()
        for name in model.model_fields
    }
    assert set(rows) == top | grouped


def test_settings_markdown_is_the_documented_table() -> None:
    result = _invoke("settings", "--markdown")
    assert result.exit_code == 0 and result.output == settings_markdown()


# --- check says what it checked -----------------------------------------------------------


def test_check_names_each_qc_query_hermit_and_the_counts() -> None:
    result = _invoke("check", env={"LCGRAPH_REASONER": "true"})
    assert result.exit_code == 0, result.output
    for name in QC:
        assert name in result.output
    assert re.search(r"HermiT consistency: consistent, 0 unsatisfiable", result.output)
    assert re.search(r"[\d,]+ triples, \d+ classes, \d+ object properties", result.output)
    assert result.output.rstrip().endswith("ontology: all checks passed")


def test_check_without_the_reasoner_says_so(unsatisfiable: dict[str, str]) -> None:
    result = _invoke("check", env={**unsatisfiable, "LCGRAPH_REASONER": "false"})
    assert result.exit_code == 0, result.output
    assert "HermiT consistency: not run" in result.output


def test_check_reports_what_hermit_found(unsatisfiable: dict[str, str]) -> None:
    result = _invoke("check", env={**unsatisfiable, "LCGRAPH_REASONER": "true"})
    assert result.exit_code == 1
    assert "HermiT consistency: consistent, 1 unsatisfiable class(es)" in result.output
    assert "lc:SME" in result.output
