"""Partners named in summaries: normalisation, the matcher, the exclusions, the quads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from lcgraph.errors import ValidationFailed
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.stakeholders.mentions import Summary, find_mentions, named_partners
from lcgraph.stakeholders.name_index import NameIndex, read_stoplist
from lcgraph.stakeholders.text_match import Matcher, locate, normalise

IRIS = Iris("https://example.org/lc")
RDF_TYPE = W3C_PREFIXES["rdf"] + "type"
ORG, PROV = W3C_PREFIXES["org"], W3C_PREFIXES["prov"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Stichting Hogeschool   Utrecht, B.V.", "hogeschool utrecht"),
        ("O&amp;O fonds ENb", "o en o fonds enb"),  # an HTML entity, as in the EU file
        ("IJssel\ufffd\ufffdals", "ijssel als"),  # characters lost in a conversion: a separator
        ("TU Delft", "technische universiteit delft"),  # shortened words are long
        ("Café Zürich", "cafe zurich"),
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("S̼dwest-Frysl̢n", "sdwest frysln"),  # stray combining marks of the damaged EU file
        ("Life Sciences & Health", "life sciences en health"),
        ("  ", ""),
    ],
)
def test_normalise_folds_case_accents_and_punctuation(written: str, normalised: str) -> None:
    assert normalise(written) == normalised


def test_locate_maps_each_character_back_to_the_original() -> None:
    original = "De Hanze–hogeschool, Groningen"
    located = locate(original)
    assert located.text == "de hanze hogeschool groningen"
    start = located.text.index("groningen")
    assert original[located.origin[start] :] == "Groningen"


def test_a_word_that_stands_for_several_is_never_cut() -> None:
    matcher = Matcher(["Technische Universiteit Delft", "Universiteit Delft"])
    hits = matcher.find("Met de TU Delft en de Universiteit Delft.")
    assert [h.matched for h in hits] == ["TU Delft", "Universiteit Delft"]


def test_matcher_finds_whole_words_only_and_the_longest_of_overlapping_hits() -> None:
    matcher = Matcher(["Utrecht", "Universiteit Utrecht", "TNO", "Hogeschool Utrecht"])
    text = "De universiteit  Utrecht, TNO-ICT en TNOX; Hogeschool Utrecht en Utrechtse bedrijven."
    found = [(matcher.patterns[h.pattern], h.matched) for h in matcher.find(text)]
    assert found == [
        ("universiteit utrecht", "universiteit  Utrecht"),
        ("tno", "TNO"),
        ("hogeschool utrecht", "Hogeschool Utrecht"),
    ]


def test_matcher_finds_adjacent_names_and_gives_offsets_into_the_original() -> None:
    matcher = Matcher(["Syntens", "Deltares"])
    text = "Samen met Syntens Deltares."
    hits = matcher.find(text)
    assert [(h.matched, text[h.start : h.end]) for h in hits] == [
        ("Syntens", "Syntens"),
        ("Deltares", "Deltares"),
    ]


def test_a_pattern_ending_in_a_star_matches_dutch_compounds() -> None:
    matcher = Matcher(["zorg*"])
    assert [h.matched for h in matcher.find("De zorgverlening en de Zorg.")] == [
        "zorgverlening",
        "Zorg",
    ]
    assert matcher.find("mantelzorg") == []  # a prefix, not a suffix


def test_a_pattern_without_letters_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one letter"):
        Matcher(["B.V."])  # a legal form alone is no name


def test_index_leaves_out_short_shared_and_stopped_names_and_says_why() -> None:
    index = NameIndex(
        {
            "han": ["HAN", "Hogeschool van Arnhem en Nijmegen"],
            "ou": ["Ou"],
            "a": ["Gemeente Oost"],
            "b": ["Gemeente Oost"],
            "cwi": ["CWI"],
        },
        stop=frozenset({"cwi"}),
    )
    assert index.excluded == {
        "ou": "shorter than 4 characters",
        "gemeente oost": "the name of more than one organisation: a, b",
        "cwi": "on the stop list",
    }
    assert {p.name for p in index.patterns} == {"HAN", "Hogeschool van Arnhem en Nijmegen"}


def _mentions(names: dict[str, list[str]], *texts: str, own: str = "") -> list[tuple[str, str]]:
    summaries = [
        Summary(f"p{i}", text, frozenset({"self"}), (own,) if own else ())
        for i, text in enumerate(texts)
    ]
    return [(m.slug, m.matched) for m in find_mentions(summaries, NameIndex(names, frozenset()))]


def test_names_must_be_written_as_names() -> None:
    names = {"tno": ["TNO"], "syntens": ["Syntens"], "gu": ["Gemeente Utrecht"], "x": ["Karakter"]}
    found = _mentions(names, "tno, met de gemeente Utrecht; TNO en Syntens.", "Karakter telt.")
    assert found == [
        ("gu", "gemeente Utrecht"),
        ("tno", "TNO"),  # an acronym only in capitals, so `tno` is no hit
        ("syntens", "Syntens"),
        ("x", "Karakter"),
    ]


def test_a_name_written_in_lower_case_as_often_as_a_name_is_a_common_word() -> None:
    names = {"toekomst": ["De Toekomst"], "brug": ["De Brug"]}
    found = _mentions(
        names,
        "De toekomst is aan de toekomst.",  # once like a name (sentence start), once not
        "Praktijkschool De Brug werkt samen met De Brug.",
    )
    assert found == [("brug", "De Brug")]


def test_the_beneficiary_is_never_its_own_named_partner() -> None:
    names = {"self": ["Hanzehogeschool Groningen"], "tud": ["TU Delft"], "nom": ["N.V. NOM"]}
    text = "Hanzehogeschool Groningen werkt samen met NOM en de TU Delft. Ook met NOM."
    assert _mentions(names, text) == [("nom", "NOM"), ("tud", "TU Delft")]
    assert _mentions(names, text, own="TU Delft Valorisation Centre") == [("nom", "NOM")]


def test_named_partners_are_inferred_participations_with_their_evidence() -> None:
    summary = Summary(
        "https://example.org/lc/id/project/efro-12",
        "In samenwerking met de Hanzehogeschool Groningen.",
        frozenset({"rug"}),
        source="https://example.org/lc/source/curated/eu.csv#row=12",
    )
    quads = named_partners([summary], {"hanze": ["Hanzehogeschool Groningen"]}, IRIS)
    graphs = {(q.predicate.value == PROV + "wasDerivedFrom", q.graph_name.value) for q in quads}  # type: ignore[union-attr]
    assert graphs == {(False, IRIS.inferred_graph), (True, IRIS.provenance_graph)}
    node = NamedNode(IRIS.id_iri("participation", "efro-12--named-partner--hanze"))
    facts = {(q.predicate.value, q.object) for q in quads if q.subject == node}
    rule = NamedNode(IRIS.id_iri("rule", "named-partner"))
    assert facts == {
        (RDF_TYPE, NamedNode(LC + "Participation")),
        (ORG + "member", NamedNode(IRIS.id_iri("organisation", "hanze"))),
        (ORG + "organization", NamedNode(summary.project)),
        (ORG + "role", NamedNode(IRIS.def_iri("participation-role", "named-partner"))),
        (LC + "inferredBy", rule),
        (LC + "matchedText", Literal("Hanzehogeschool Groningen")),
        (PROV + "wasDerivedFrom", NamedNode(summary.source or "")),
    }
    described = {(q.predicate.value, q.object) for q in quads if q.subject == rule}
    assert (RDF_TYPE, NamedNode(LC + "InferenceRule")) in described
    labels = [o for p, o in described if p.endswith("#label")]
    assert sorted(o.language for o in labels) == ["en", "nl"]  # type: ignore[union-attr]


def test_the_stop_list_in_the_repository_reads() -> None:
    stop = read_stoplist(ROOT / "data" / "rules" / "mention-stoplist.csv")
    assert {"cwi", "oost"} <= stop


def test_a_stop_list_row_without_a_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stop.csv"
    path.write_text("name,why\nCWI,\nOost,a compass point\n,no name\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        read_stoplist(path)
    assert [(p.file, p.row, p.field) for p in failed.value.problems] == [
        ("stop.csv", 2, "why"),
        ("stop.csv", 4, "name"),
    ]
    path.write_text("naam,waarom\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="wrong header"):
        read_stoplist(path)
