"""Mapping-spec features the open sources need: value maps, Python-literal cells, derived
fields, skip lists, rows that describe one subject, several values, several mappings a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from lcgraph.errors import MappingError
from lcgraph.iris import Iris
from lcgraph.mapping import MappedSource, map_source
from lcgraph.mapping_spec import Mapping, load_mappings
from lcgraph.sources import SEVERAL, ValueMap, read_source

IRIS = Iris("https://example.org/lc")
ID = "https://example.org/lc/id/"


def _mapping(tmp_path: Path, text: str, name: str = "things") -> Mapping:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_mappings(folder, IRIS)[name]


def _run(tmp_path: Path, mapping_text: str, data: str, file: str = "things.csv") -> MappedSource:
    (tmp_path / file).write_text(data, encoding="utf-8")
    problems: list = []
    mapping = _mapping(tmp_path, mapping_text).resolved(tmp_path, problems)
    assert problems == []
    source = read_source(tmp_path / mapping.source, mapping.read)
    result = map_source(source, mapping, "curated", IRIS)
    result.problems[:0] = source.problems
    result.skipped = dict(source.skipped)  # type: ignore[attr-defined]
    return result


def _objects(result: MappedSource, predicate: str) -> set[str]:
    quads = parse("".join(result.lines).encode(), format=RdfFormat.N_QUADS)
    return {str(q.object) for q in quads if q.predicate.value.endswith(predicate)}


FUNDS = """
source: things.csv
graph: things
subject: "id:thing/{id}"
columns:
  id: {predicate: dct:identifier}
  fonds: {predicate: lc:fundingScheme, ref: "def:funding-scheme/{value}",
          map: {EFRO: efro, ESF: esf}}
"""


def test_a_value_map_gives_the_graph_code_and_refuses_an_unmapped_value(tmp_path: Path) -> None:
    result = _run(tmp_path, FUNDS, "id,fonds\na,EFRO\nb,ESF\nc,Interreg\n")
    assert _objects(result, "fundingScheme") == {
        "<https://example.org/lc/def/funding-scheme/efro>",
        "<https://example.org/lc/def/funding-scheme/esf>",
    }
    [problem] = result.problems
    assert (problem.file, problem.row, problem.field, problem.value) == (
        "things.csv",
        4,
        "fonds",
        "Interreg",
    )
    assert "'EFRO', 'ESF'" in str(problem.expected)


def test_a_value_map_from_a_file_reads_two_of_its_columns(tmp_path: Path) -> None:
    (tmp_path / "codes.csv").write_text("naam,code\nGroot Amsterdam,AM18\nTwente,AM05\n")
    problems: list = []
    resolved = ValueMap(file="codes.csv", key="naam", to="code").resolve(tmp_path, problems)
    assert problems == []
    assert resolved.apply("Twente") == "AM05"
    assert resolved.apply("Atlantis") is None
    assert ValueMap((("0457", "0363"),), unmapped="keep").apply("0014") == "0014"


def test_codes_in_a_value_map_must_be_quoted_as_yaml_reads_0457_as_a_number(
    tmp_path: Path,
) -> None:
    with pytest.raises(MappingError, match="quoted"):
        _mapping(tmp_path, FUNDS.replace("{EFRO: efro, ESF: esf}", "{0457: '0363'}"))


ROR = """
source: things.csv
graph: things
subject: "id:thing/{id}"
literals: [types, aliases, addresses]
derive:
  gemeente:
    from: addresses/admin2/code
    pattern: "NL\\\\.[0-9]{2}\\\\.([0-9]{4})"
    map: {"0457": "0363"}
    unmapped: keep
columns:
  id: {predicate: dct:identifier}
  types: {predicate: rdf:type, ref: "lc:{value}", map: {Company: Company, Education: University}}
  aliases: {predicate: skos:altLabel}
  addresses: {ignore: true}
  addresses/city: {predicate: rdfs:label}
  gemeente: {predicate: lc:region, iri: "id:municipality/GM{value}"}
"""
ROR_DATA = (
    "id,types,aliases,addresses\n"
    "a,['Company'],\"['A1', 'A2']\","
    "\"[{'city': 'Weesp', 'lat': 1.5, 'admin2': {'code': 'NL.07.0457'}}]\"\n"
    "b,\"['Education']\",[],"
    "\"[{'city': None, 'admin2': {'code': 'NL.11.0518'}, 'postcode': None}]\"\n"
)


def test_python_literal_cells_flatten_and_give_several_values(tmp_path: Path) -> None:
    result = _run(tmp_path, ROR, ROR_DATA)
    assert result.problems == []
    assert _objects(result, "altLabel") == {'"A1"', '"A2"'}
    assert _objects(result, "-ns#type") == {
        "<https://w3id.org/lcgraph/def/lc/Company>",
        "<https://w3id.org/lcgraph/def/lc/University>",
    }
    assert _objects(result, "/region") == {
        f"<{ID}municipality/GM0363>",
        f"<{ID}municipality/GM0518>",
    }
    assert _objects(result, "#label") == {'"Weesp"'}


def test_a_python_literal_is_read_never_evaluated(tmp_path: Path) -> None:
    data = "id,types,aliases,addresses\nc,\"__import__('os').getcwd()\",[],[]\n"
    result = _run(tmp_path, ROR, data)
    [problem] = result.problems
    assert (problem.row, problem.field, problem.message) == (2, "types", "is not a Python literal")


def test_a_derived_field_that_does_not_match_its_pattern_is_a_located_problem(
    tmp_path: Path,
) -> None:
    data = "id,types,aliases,addresses\nd,[],[],\"[{'admin2': {'code': 'BE.01.0001'}}]\"\n"
    [problem] = _run(tmp_path, ROR, data).problems
    assert (problem.row, problem.field, problem.value) == (2, "addresses/admin2/code", "BE.01.0001")


PLACES = """
source: things.csv
graph: things
subject: "id:municipality/GM{gemeente}"
merge: MERGE
skip: {gemeente: ["9999", "9910"]}
columns:
  plaats: {ignore: true}
  gemeente: {predicate: skos:notation}
  naam: {predicate: skos:prefLabel, lang: nl}
"""


def test_rows_that_describe_one_subject_merge_and_a_conflict_names_both_rows(
    tmp_path: Path,
) -> None:
    data = (
        "plaats,gemeente,naam\nA,0001,Een\nB,0001,Een\nC,9999,onbekend\nD,0002,Twee\nE,0002,Drie\n"
    )
    result = _run(tmp_path, PLACES.replace("MERGE", "equal"), data)
    assert result.skipped == {"gemeente = 9999": 1}  # type: ignore[attr-defined]
    [problem] = result.problems
    assert (problem.row, problem.field, problem.value) == (6, "naam", "Drie")
    assert problem.expected == "'Twee' as in row 5 (merge: equal)"
    union = _run(tmp_path, PLACES.replace("MERGE", "union"), data)
    assert union.problems == []
    assert _objects(union, "prefLabel") == {'"Een"@nl', '"Twee"@nl', '"Drie"@nl'}


def test_without_merge_a_repeated_subject_is_still_an_error(tmp_path: Path) -> None:
    text = PLACES.replace("MERGE", "equal").replace("merge: equal\n", "")
    result = _run(tmp_path, text, "plaats,gemeente,naam\nA,0001,Een\nB,0001,Een\n")
    assert [p.row for p in result.problems] == [3]


SIA = """
source: p.json
format: json
graph: things
subject: "id:thing/{id}"
skip: {zichtbaarheid: verbergen}
columns:
  id: {predicate: dct:identifier, required: true}
  zichtbaarheid: {ignore: true}
  themas: {predicate: lc:theme}
"""


def test_a_json_list_of_scalars_is_a_field_of_several_values(tmp_path: Path) -> None:
    record = {"id": 1, "zichtbaarheid": "tonen", "themas": ["Zorg", "Life Sciences & Health"]}
    result = _run(tmp_path, SIA, json.dumps(record), file="p.json")
    assert result.problems == []
    assert _objects(result, "theme") == {'"Zorg"', '"Life Sciences & Health"'}
    hidden = _run(tmp_path, SIA, json.dumps({"id": 2, "zichtbaarheid": "verbergen"}), "p.json")
    assert hidden.lines == [] and hidden.skipped == {"zichtbaarheid = verbergen": 1}  # type: ignore[attr-defined]


def test_several_mappings_may_read_one_file_keyed_by_their_yaml_file(tmp_path: Path) -> None:
    _mapping(tmp_path, FUNDS, "projects")
    _mapping(tmp_path, FUNDS.replace("id:thing", "id:other"), "participations")
    mappings = load_mappings(tmp_path / "m", IRIS)
    assert set(mappings) == {"projects", "participations"}
    assert {m.source for m in mappings.values()} == {"things.csv"}
    assert SEVERAL not in "".join(m.source for m in mappings.values())
