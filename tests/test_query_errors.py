"""The engine's parse errors as one located sentence (issue 12, item 5)."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from lcgraph.errors import QuerySyntaxError
from lcgraph.query_errors import sentence, syntax_error


def _error(query: str) -> QuerySyntaxError:
    with pytest.raises(SyntaxError) as caught:
        Store().query(query)
    return syntax_error(caught.value)


def test_expected_list_of_the_engine_becomes_a_sentence() -> None:
    error = _error("SELECT * WHERE { ?s ?p ?o ")
    assert (error.line, error.column) == (1, 27)
    assert str(error) == (
        "Parse error at line 1, column 27: expected “,”, “.”, “;”, “{”, “{|”, “}” or “~” here."
    )


def test_a_single_expectation_keeps_its_word() -> None:
    assert str(_error("SELEC * WHERE {}")) == "Parse error at line 1, column 10: expected CONSTRUCT"


@pytest.mark.parametrize(
    ("engine", "said"),
    [
        ("expected one of LATERAL, SERVICE, [_]", "expected LATERAL or SERVICE here."),
        ('expected one of "}"', "expected “}” here."),
        ('expected one of ",", [_]', "expected “,” here."),
        ("expected one of [_]", "the query cannot go on like this here."),
        ("unexpected end of input", "unexpected end of input"),
    ],
)
def test_sentence(engine: str, said: str) -> None:
    assert sentence(engine) == said
