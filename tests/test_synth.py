"""The synthetic dataset: deterministic, complete, self-contained and in the curated formats."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from lcgraph.build import dataset_name
from lcgraph.errors import SourceError
from lcgraph.iris import Iris
from lcgraph.mapping import map_source
from lcgraph.mapping_spec import load_mappings
from lcgraph.sources import read_csv
from lcgraph.synth import ORG_TYPES, write_synthetic

ROOT = Path(__file__).resolve().parents[1]
IRIS = Iris("https://w3id.org/lcgraph")


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _codes(cell: str) -> list[str]:
    return [v for v in cell.split(";") if v]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(folder, orgs=600, communities=120, seed=7)
    return folder


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert write_synthetic(first, 200, 40) == write_synthetic(second, 200, 40)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 200, 40, seed=1)
    write_synthetic(tmp_path / "b", 200, 40, seed=2)
    name = "participations.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_counts_are_the_rows_written(synthetic: Path, tmp_path: Path) -> None:
    counts = write_synthetic(tmp_path, orgs=600, communities=120, seed=7)
    assert counts["organisations.csv"] == 600
    assert counts["learning_communities.csv"] == 120
    for name, count in counts.items():
        assert len(_rows(tmp_path, name)) == count, name


def test_dataset_is_named_synthetic(synthetic: Path) -> None:
    assert dataset_name(synthetic) == "synthetic"


def test_every_organisation_type_of_the_model_is_present(synthetic: Path) -> None:
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    types = {row["type"] for row in _rows(synthetic, "organisations.csv")}
    assert types == {t.name for t in ORG_TYPES}
    assert all(f"`lc:{name}`" in model for name in types)


def test_communities_cover_the_nine_sectors_and_35_labour_market_regions(synthetic: Path) -> None:
    rows = _rows(synthetic, "learning_communities.csv")
    sectors = {s for row in rows for s in _codes(row["sectors_stated"])}
    assert len(sectors) == 9 and "ICT" not in sectors
    assert len({row["labour_market_region"] for row in rows}) == 35
    crossing = [row for row in rows if row["is_cross_sector"] == "true"]
    assert 0 < len(crossing) < len(rows)
    assert all(len(_codes(row["sectors_stated"])) > 1 for row in crossing)


def test_communities_have_about_ten_participations_each(synthetic: Path) -> None:
    per_community = len(_rows(synthetic, "participations.csv")) / 120
    assert 8 <= per_community <= 12


def test_every_reference_resolves_within_the_folder(synthetic: Path) -> None:
    orgs = {r["id"] for r in _rows(synthetic, "organisations.csv")}
    communities = {r["id"] for r in _rows(synthetic, "learning_communities.csv")}
    concepts = {(r["scheme"], r["code"]) for r in _rows(synthetic, "concepts.csv")}
    sectors = {r["code"] for r in _rows(synthetic, "topsectoren.csv")}
    regions = {
        r["statcode"]
        for name in (
            "provincies_cbs_2017.csv",
            "corop_cbs_2017.csv",
            "arbeidsmarktregios_cbs_2017.csv",
        )
        for r in _rows(synthetic, name)
    }
    for row in _rows(synthetic, "participations.csv"):
        assert row["organisation"] in orgs and row["community"] in communities
        assert ("participation-role", row["role"]) in concepts
    for row in _rows(synthetic, "organisations.csv") + _rows(synthetic, "learning_communities.csv"):
        assert set(_codes(row["sectors_stated"])) <= sectors
        assert {row["province"], row["corop_area"], row["labour_market_region"]} - {""} <= regions
    scheme_of = {
        "learning_functions": "learning-function",
        "target_groups": "target-group",
        "collaboration_forms": "collaboration-form",
        "technologies": "technology",
    }
    for row in _rows(synthetic, "learning_communities.csv"):
        for column, scheme in scheme_of.items():
            assert all((scheme, code) in concepts for code in _codes(row[column]))


def test_the_folder_maps_with_the_curated_mappings_without_problems(synthetic: Path) -> None:
    mappings = load_mappings(ROOT / "data" / "mappings", IRIS)
    results = [
        map_source(read_csv(p), mappings[p.stem], "synthetic", IRIS)
        for p in sorted(synthetic.glob("*.csv"))
    ]
    assert [str(p) for r in results for p in r.problems] == []
    defined = {s for r in results for s in r.subjects}
    unresolved = {
        t
        for r in results
        for t, *_ in r.refs
        if t not in defined and not t.startswith("https://w3id.org/lcgraph/def/lc/")
    }
    assert unresolved == set()


def test_mapped_triples_per_row_match_the_documented_sizing(synthetic: Path) -> None:
    """write_synthetic's docstring: about 8, 19 and 6 mapped triples per row."""
    mappings = load_mappings(ROOT / "data" / "mappings", IRIS)
    expected = {
        "organisations.csv": (7, 9.5),
        "learning_communities.csv": (16, 22),
        "participations.csv": (6, 6),
    }
    for name, (low, high) in expected.items():
        source = read_csv(synthetic / name)
        mapped = map_source(source, mappings[Path(name).stem], "synthetic", IRIS)
        per_row = len(mapped.lines) / len(source.rows)
        assert low <= per_row <= high, (name, per_row)


@pytest.mark.slow
def test_a_hundred_thousand_organisations_are_written_in_seconds(tmp_path: Path) -> None:
    start = time.perf_counter()
    counts = write_synthetic(tmp_path, orgs=100_000, communities=10_000)
    assert counts["participations.csv"] > 90_000
    assert time.perf_counter() - start < 15


def test_a_missing_reference_file_is_a_located_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"arbeidsmarktregios_cbs_2017\.csv: is missing"):
        write_synthetic(tmp_path / "out", 10, 2, sources=tmp_path)
