"""The one SPARQL lexer (`lcgraph.sparql.lexer`) on the W3C syntax tests and on the cases
its readers depend on: every positive syntax test query tokenizes without an error token."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from lcgraph.sparql.lexer import Token, lex, local_name, string_value, tokenize

STANDARDS = Path(__file__).resolve().parents[1] / "standards"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
POSITIVE = {
    MF + t for t in ("PositiveSyntaxTest", "PositiveSyntaxTest11", "PositiveUpdateSyntaxTest11")
}
NEGATIVE = {
    MF + t for t in ("NegativeSyntaxTest", "NegativeSyntaxTest11", "NegativeUpdateSyntaxTest11")
}


def _syntax_tests(types: set[str]) -> list[Path]:
    """The query file of every test of `types` in the copied syntax manifests."""
    files = []
    for manifest in sorted(STANDARDS.glob("w3c-sparql1*/syntax-*/manifest.ttl")):
        base = manifest.as_uri()
        triples = list(parse(path=manifest, format=RdfFormat.TURTLE, base_iri=base))
        tests = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object.value in types}
        for t in triples:
            if t.subject in tests and t.predicate.value == MF + "action":
                files.append(Path(t.object.value.removeprefix("file://")))
    return sorted(files)


POSITIVE_TESTS = _syntax_tests(POSITIVE)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_the_manifests_are_all_read() -> None:
    assert len(POSITIVE_TESTS) == 149 + 66 + 42
    assert len(_syntax_tests(NEGATIVE)) == 50 + 31 + 13


@pytest.mark.parametrize("path", POSITIVE_TESTS, ids=_id)
def test_every_positive_syntax_test_tokenizes_without_error(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = lex(text)
    assert [t for t in tokens if t.kind == "error"] == []
    # the tokens cover the text: between them only whitespace
    at = 0
    for token in tokens:
        assert text[at : token.start].strip(" \t\r\n") == "", (token, text[at : token.start])
        assert text[token.start : token.end] == token.text
        at = token.end
    assert text[at:].strip(" \t\r\n") == ""


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


def test_terminals_by_the_grammar() -> None:
    assert _kinds('?x $y _:b1 ex:a.b "s"@nl-NL 1.5e3 .5 1. <a#b> a ^^ != :') == [
        ("var", "?x"),
        ("var", "$y"),
        ("bnode", "_:b1"),
        ("pname", "ex:a.b"),
        ("string", '"s"'),
        ("langtag", "@nl-NL"),
        ("number", "1.5e3"),
        ("number", ".5"),
        ("number", "1"),
        ("punct", "."),
        ("iri", "<a#b>"),
        ("word", "a"),
        ("punct", "^^"),
        ("punct", "!="),
        ("pname", ":"),
    ]
    # a prefixed name does not end with a dot; escapes and %-encodings are part of it
    assert _kinds(r"ex:x. ex:a\,b ex:%20") == [
        ("pname", "ex:x"),
        ("punct", "."),
        ("pname", r"ex:a\,b"),
        ("pname", "ex:%20"),
    ]
    assert local_name(Token("pname", r"ex:a\,b")) == ("ex:", "a,b")


def test_strings_hide_what_is_in_them_and_comments_are_dropped() -> None:
    text = "SELECT * { ?s ?p '''a ' '' } # x''' } # SERVICE <http://x/>\n}"
    assert [t.text for t in tokenize(text)][-3:] == ["'''a ' '' } # x'''", "}", "}"]
    assert [t.kind for t in lex(text)][-3:] == ["punct", "comment", "punct"]
    assert string_value(r'"a\"b\u0041\n"') == 'a"bA\n'


def test_what_is_no_terminal_is_an_error_token() -> None:
    assert _kinds('"open } ?x\n?y') == [("error", '"open } ?x'), ("var", "?y")]
    assert _kinds("SERVICE\u00a0<x:y>") == [
        ("word", "SERVICE"),
        ("error", "\u00a0"),
        ("iri", "<x:y>"),
    ]
    assert _kinds(r"SERVIC\u0045") == [("word", "SERVIC"), ("error", "\\"), ("word", "u0045")]


def test_tokens_carry_their_offsets() -> None:
    text = "ASK  {\n ?s ?p ?o }"
    assert [(t.text, t.start, t.end) for t in tokenize(text)][:3] == [
        ("ASK", 0, 3),
        ("{", 5, 6),
        ("?s", 8, 10),
    ]


# --- readers over the tokens (lcgraph.sparql.reading, lcgraph.store.sparql_text) ----------


def test_the_prologue_and_the_form_after_it() -> None:
    from lcgraph.sparql.reading import query_form, read_prologue

    text = "#+ title: x\nBASE <http://b/> PREFIX ex: <http://e/> # PREFIX no: <x:>\nconstruct {}"
    prologue = read_prologue(tokenize(text))
    assert (prologue.base, prologue.prefixes) == ("http://b/", {"ex:": "http://e/"})
    assert query_form(tokenize(text)) == "CONSTRUCT"
    assert query_form(tokenize("PREFIX : <x:> ")) == ""


def test_values_go_into_the_where_group_after_a_construct_template() -> None:
    from pyoxigraph import Store, Variable

    from lcgraph.errors import QueryError
    from lcgraph.store.sparql_text import inline_values

    bindings = {Variable("s"): NamedNode("http://e/a")}
    construct = inline_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", bindings)
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s)")
    Store().query(construct)  # the engine takes it (the first `{` gave one it refused)
    select = inline_values("SELECT (EXISTS { ?s ?p 1 } AS ?x) { ?s ?p ?o }", bindings)
    assert "AS ?x) {\n  VALUES" in select
    Store().query(select)
    with pytest.raises(QueryError, match="no group pattern"):
        inline_values("CONSTRUCT WHERE { ?s ?p ?o }", bindings)
    with pytest.raises(QueryError, match="no group pattern"):
        inline_values("DESCRIBE <http://e/a>", bindings)
