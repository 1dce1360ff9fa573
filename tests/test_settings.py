"""Where settings come from (issue 14, item 6): groups, the project folder, lcgraph.toml.

One test per rule: nested environment names, the flat names of lcgraph 0.1 as aliases
(environment, keyword arguments, `--set`), lcgraph.toml, `--project` and LCGRAPH_PROJECT,
precedence flag > env > toml > default, relative paths in the project, and the ontology
and queries shipped as package data when a project has none.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from lcgraph.cli import app
from lcgraph.config import ServiceSettings, Settings, settings_from
from lcgraph.config.layers import bundled
from lcgraph.errors import SettingsError
from lcgraph.iris import Iris
from lcgraph.named_queries import load_queries

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_lcgraph_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the variables it means; none leak in from the shell."""
    for name in list(os.environ):
        if name.upper().startswith("LCGRAPH_"):
            monkeypatch.delenv(name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder: no lcgraph.toml, no ontology/, no queries/."""
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def _toml(project: Path, text: str) -> None:
    (project / "lcgraph.toml").write_text(text, encoding="utf-8")


def _in_force(*args: str, env: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """`lcgraph [args] settings` as variable -> (value, source)."""
    result = _invoke(*args, "settings", env=env)
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.output.splitlines():
        if not line.startswith("# "):
            assignment, source = line.rsplit("  # ", 1)
            variable, value = assignment.rstrip().split("=", 1)
            rows[variable] = (value, source)
    return rows


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


# --- the environment ----------------------------------------------------------------------


def test_a_nested_environment_name_sets_a_setting_in_its_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LCGRAPH_SERVICE__QUERY_TIMEOUT_S", "5")
    monkeypatch.setenv("LCGRAPH_REMOTE__USER", "steward")
    settings = Settings()
    assert settings.service.query_timeout_s == 5.0
    assert settings.remote.user == "steward"


def test_the_flat_environment_names_remain_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCGRAPH_QUERY_TIMEOUT_S", "5")
    monkeypatch.setenv("LCGRAPH_REMOTE_USER", "steward")  # renamed: remote.user
    monkeypatch.setenv("LCGRAPH_ANALYSIS_SEED", "7")  # renamed: analysis.seed
    monkeypatch.setenv("LCGRAPH_SERVICE_ALLOWLIST", '["example.org"]')  # a list is JSON
    settings = Settings()
    assert settings.service.query_timeout_s == 5.0
    assert settings.remote.user == "steward"
    assert settings.analysis.seed == 7
    assert settings.service.service_allowlist == ["example.org"]


def test_a_nested_name_wins_over_its_flat_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCGRAPH_PORT", "1111")
    monkeypatch.setenv("LCGRAPH_SERVICE__PORT", "2222")
    assert Settings().service.port == 2222


# --- keyword arguments and --set ------------------------------------------------------------


def test_keyword_arguments_take_flat_dotted_and_grouped_names() -> None:
    flat = Settings(max_rows=3, reasoner=False, remote_retries=9)
    assert (flat.service.max_rows, flat.build.reasoner, flat.remote.retries) == (3, False, 9)
    dotted = settings_from({"service.max_rows": 3})
    assert dotted.service.max_rows == 3
    grouped = Settings(service=ServiceSettings(max_rows=3))
    assert grouped.service.max_rows == 3
    assert grouped.replace(max_rows=4).service.max_rows == 4  # a validated copy


def test_set_takes_dotted_and_flat_names(project: Path) -> None:
    rows = _in_force(
        "--project", str(project), "--set", "service.port=8123", "--set", "analysis_seed=3"
    )
    assert rows["LCGRAPH_SERVICE__PORT"] == ("8123", "flag")
    assert rows["LCGRAPH_ANALYSIS__SEED"] == ("3", "flag")


def test_a_bad_setting_is_one_located_error_not_a_traceback(project: Path) -> None:
    unknown = _invoke("--project", str(project), "--set", "service.prot=1", "settings")
    assert unknown.exit_code == 1 and "service.prot" in unknown.output
    malformed = _invoke("--set", "service.port", "settings")
    assert malformed.exit_code == 1 and "key=value" in malformed.output
    with pytest.raises(SettingsError, match=r"service\.port"):
        settings_from({"service.port": "eighty"})


def test_settings_reach_our_own_processes_with_their_secrets() -> None:
    settings = Settings(remote_password="pw", remote_token="tk", update_token="up", max_rows=5)
    again = Settings.model_validate_json(settings.to_json())  # as `lcgraph serve`'s workers
    assert again.remote.password is not None and again.remote.token is not None
    assert again.remote.password.get_secret_value() == "pw"
    assert again.remote.token.get_secret_value() == "tk"
    assert (again.service.update_token, again.service.max_rows) == ("up", 5)
    assert again == settings


# --- the project folder and lcgraph.toml ----------------------------------------------------


def test_lcgraph_toml_holds_paths_and_groups(project: Path) -> None:
    _toml(project, 'store = "graph"\ndata = "sources"\n[service]\nport = 8123\n')
    settings = Settings(project=project)
    assert settings.store == str(project / "graph")
    assert settings.data == project / "sources"  # relative: in the project folder
    assert settings.service.port == 8123


def test_a_toml_that_does_not_parse_names_its_file(project: Path) -> None:
    _toml(project, "[service\nport = 1\n")
    with pytest.raises(SettingsError, match=r"lcgraph\.toml"):
        Settings(project=project)


def test_the_project_folder_is_the_option_the_variable_or_the_working_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _toml(project, "[service]\nport = 8123\n")
    by_option = _in_force("--project", str(project))
    assert by_option["LCGRAPH_PROJECT"] == (str(project), "flag")
    assert by_option["LCGRAPH_STORE"] == (str(project / "var" / "store"), "default")
    assert by_option["LCGRAPH_SERVICE__PORT"] == ("8123", "toml")
    by_variable = _in_force(env={"LCGRAPH_PROJECT": str(project)})
    assert by_variable["LCGRAPH_SERVICE__PORT"] == ("8123", "toml")
    monkeypatch.chdir(project)
    assert Settings().project == project
    assert Settings().service.port == 8123


def test_relative_paths_from_the_environment_resolve_in_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LCGRAPH_DATA", "elsewhere/sources")
    monkeypatch.setenv("LCGRAPH_STORE", "http://127.0.0.1:7878")  # a URL stays a URL
    settings = Settings(project=project)
    assert settings.data == project / "elsewhere" / "sources"
    assert settings.store == "http://127.0.0.1:7878"


def test_precedence_is_flag_over_env_over_toml_over_default(project: Path) -> None:
    _toml(project, "[service]\nport = 1001\n")
    env = {"LCGRAPH_SERVICE__PORT": "1002"}
    where = ("--project", str(project))
    flag = _in_force(*where, "--set", "service.port=1003", env=env)
    assert flag["LCGRAPH_SERVICE__PORT"] == ("1003", "flag")
    assert _in_force(*where, env=env)["LCGRAPH_SERVICE__PORT"] == ("1002", "env")
    assert _in_force(*where)["LCGRAPH_SERVICE__PORT"] == ("1001", "toml")
    (project / "lcgraph.toml").unlink()
    assert _in_force(*where)["LCGRAPH_SERVICE__PORT"] == ("8000", "default")


# --- package data ---------------------------------------------------------------------------


def test_a_project_without_ontology_or_queries_gets_the_shipped_ones(project: Path) -> None:
    settings = Settings(project=project)
    assert settings.ontology == bundled("ontology")
    assert (settings.ontology / "lcgraph-edit.ttl").is_file()
    shipped = load_queries(settings.queries, Iris(settings.base_iri))
    assert shipped.keys() == load_queries(REPO / "queries", Iris(settings.base_iri)).keys()
    rows = _in_force("--project", str(project))
    assert rows["LCGRAPH_QUERIES"][1] == "default (package data)"


def test_normalize_never_rewrites_the_shipped_ontology(project: Path) -> None:
    edit = bundled("ontology") / "lcgraph-edit.ttl"
    before = edit.stat().st_mtime_ns
    result = _invoke("--project", str(project), "ontology", "normalize")
    assert result.exit_code == 1
    assert "no ontology/ folder" in " ".join(result.output.split())
    assert edit.stat().st_mtime_ns == before


def test_a_project_with_its_own_queries_uses_them(project: Path) -> None:
    (project / "queries").mkdir()
    assert Settings(project=project).queries == project / "queries"


def test_the_shipped_folders_are_package_data_of_the_wheel() -> None:
    """`pip wheel` copies what pyproject's package-data names: the links must point at the
    checkout's folders, and the patterns must cover them."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lcgraph"]
    assert {"bundled/ontology/**/*", "bundled/queries/*.rq"} <= set(patterns)
    for name in ("ontology", "queries"):
        assert bundled(name).resolve() == REPO / name
