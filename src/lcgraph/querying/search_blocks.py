"""Find the full-text searches in a SPARQL text: the SERVICE form and Apache Jena's form.

    SERVICE <{base}/def/search> { ?lc lcs:query "werkplek leren" ; lcs:score ?score ;
                                  lcs:limit 20 ; lcs:lang "nl" ; lcs:label ?label }
    (?s ?score) text:query (rdfs:label "werkplek" 10 "lang:nl")      # jena-text, as Fuseki
    ?s text:query "werkplek"

Reads the query's tokens (`lcgraph.sparql.lexer`) with their offsets, so that
`lcgraph.querying.search_rewrite` can replace each search by the VALUES block of its hits.
Only constants are read: the text to search is a literal of the query, or a variable that a
named query binds as a parameter (`bindings`); anything else is a located 400. A Jena
pattern inside another SERVICE block is that server's business, and one in a CONSTRUCT
template is data: both are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import Literal

from lcgraph.errors import QuerySyntaxError
from lcgraph.querying.prologue import graph_prefixes
from lcgraph.querying.search_form import (
    DEFAULT_PREFIXES,
    JENA_QUERY,
    SEARCH_VOCABULARY,
    SERVICE_TERMS,
    Bindings,
    Search,
    error,
    service_iri,
)
from lcgraph.sparql.lexer import Token, local_name, spans, string_value

_TEMPLATES = {"CONSTRUCT", "INSERT", "DELETE", "DATA"}


def find_searches(
    text: str,
    base_iri: str,
    prefixes: Mapping[str, str] | None = None,
    bindings: Bindings | None = None,
) -> list[Search]:
    """Every search in `text`, in order; raises a located QuerySyntaxError for a bad one.

    `prefixes` are those the engine is given besides the query's own (the project's).
    """
    return _Reader(text, base_iri, prefixes or {}, bindings or {}).searches()


class _Reader:
    def __init__(
        self, text: str, base_iri: str, prefixes: Mapping[str, str], bindings: Bindings
    ) -> None:
        self.text, self.bindings = text, bindings
        self.service = service_iri(base_iri)
        self.tokens = spans(text)
        # lcs: and text: need no PREFIX line, as the project's own prefixes need none
        self.prefixes = graph_prefixes(text, {**DEFAULT_PREFIXES, **prefixes})

    def fail(self, i: int, message: str) -> QuerySyntaxError:
        at = self.tokens[i][1] if i < len(self.tokens) else len(self.text)
        return error(self.text, at, message)

    def token(self, i: int) -> Token:
        return self.tokens[i][0] if i < len(self.tokens) else Token("end", "")

    def iri(self, i: int) -> str | None:
        """The IRI that token i names (an IRI or a prefixed name), or None."""
        token = self.token(i)
        if token.kind == "iri":
            return token.text[1:-1]
        if token.kind == "pname":
            prefix, local = local_name(token)
            namespace = self.prefixes.get(prefix[:-1])
            return None if namespace is None else namespace + local
        return None

    def searches(self) -> list[Search]:
        found: list[Search] = []
        opened: list[bool] = []  # per open brace: does it open another SERVICE's block?
        service_next = False
        i = 0
        while i < len(self.tokens):
            token = self.token(i)
            if token.kind == "word" and token.text.upper() == "SERVICE":
                j = i + 2 if self.token(i + 1).text.upper() == "SILENT" else i + 1
                if self.iri(j) == self.service:
                    silent = j == i + 2
                    search, i = self.service_block(i, j + 1)
                    search.silent = silent
                    found.append(search)
                    continue
                service_next = True
            elif token.text == "{":
                # another server's block, or a template (CONSTRUCT, INSERT, DELETE, DATA)
                # whose triples are data, not patterns
                template = i > 0 and self.token(i - 1).text.upper() in _TEMPLATES
                opened.append(service_next or template)
                service_next = False
            elif token.text == "}" and opened:
                opened.pop()
            elif self.iri(i) == JENA_QUERY and not any(opened):
                search, i = self.jena(i)
                found.append(search)
                continue
            i += 1
        return found

    # --- SERVICE <{base}/def/search> { ?s lcs:query "…" ; … } --------------------------------

    def service_block(self, start: int, i: int) -> tuple[Search, int]:
        if self.token(i).text != "{":
            raise self.fail(i, "expected “{” after the search SERVICE IRI")
        if self.token(i + 1).kind != "var":
            raise self.fail(i + 1, "the search block starts with the variable of the hits")
        search = Search(self.tokens[start][1], 0, 0, self.token(i + 1).text[1:])
        i += 2
        while True:
            name = self.service_term(i)
            search.given.add(name)
            i = self.service_object(search, name, i + 1)
            closing = self.token(i).text
            if closing == ".":
                i += 1
                closing = self.token(i).text
            if closing == "}":
                break
            if closing != ";":
                raise self.fail(i, "expected “;” or “}” in the search block (one subject only)")
            i += 1
            if self.token(i).text == "}":
                break
        if "query" not in search.given:
            raise self.fail(i, "the search block needs lcs:query with the text to search")
        search.end = self.tokens[i][2]
        return search, i + 1

    def service_term(self, i: int) -> str:
        iri = self.iri(i)
        name = iri[len(SEARCH_VOCABULARY) :] if iri and iri.startswith(SEARCH_VOCABULARY) else ""
        if name not in SERVICE_TERMS:
            known = ", ".join(f"lcs:{t}" for t in SERVICE_TERMS)
            raise self.fail(i, f"expected one of {known} (lcs: is <{SEARCH_VOCABULARY}>)")
        return name

    def service_object(self, search: Search, name: str, i: int) -> int:
        if name in ("score", "label"):
            if self.token(i).kind != "var":
                raise self.fail(i, f"lcs:{name} takes {SERVICE_TERMS[name]}")
            setattr(search, name, self.token(i).text[1:])
            return i + 1
        if name == "predicate":
            search.predicate = self.iri(i)
            if search.predicate is None:
                raise self.fail(i, f"lcs:predicate takes {SERVICE_TERMS[name]}")
            return i + 1
        value, after = self.constant(i, name)
        if name in ("limit", "offset"):
            setattr(search, name, self.integer(i, value, name))
            search.limit_at = self.tokens[i][1] if name == "limit" else search.limit_at
        elif name == "query":
            search.text, search.at = value, self.tokens[i][1]
            search.lang = self.literal_lang(i) or search.lang
        else:
            search.lang = value
        return after

    # --- (?s ?score) text:query (prop "…" limit "lang:xx") -----------------------------------

    def jena(self, i: int) -> tuple[Search, int]:
        subject, start = self.jena_subject(i)
        search = Search(self.tokens[start][1], 0, 0, subject[0])
        search.score = subject[1] if len(subject) > 1 else None
        j = i + 1
        if self.token(j).text == "(":
            j = self.jena_arguments(search, j + 1)
        else:
            search.text, search.at = self.constant(j, "query")[0], self.tokens[j][1]
            search.lang = self.literal_lang(j) or search.lang
            j = self.constant(j, "query")[1]
        search.end = self.tokens[j - 1][2]
        if self.token(j).text == ",":
            raise self.fail(j, "text:query takes one object")
        if self.token(j).text == ";":
            if len(subject) > 1:
                raise self.fail(j, "a (?s ?score) subject cannot go on with “;”")
            search.end, search.follow = self.tokens[j][2], f" ?{subject[0]}"
        return search, j

    def jena_subject(self, i: int) -> tuple[list[str], int]:
        before = self.token(i - 1)
        if before.kind == "var":
            return [before.text[1:]], i - 1
        if before.text != ")":
            raise self.fail(i, "text:query starts its own triple pattern: ?s text:query …")
        j = i - 2
        while j >= 0 and self.token(j).kind == "var":
            j -= 1
        names = [self.token(k).text[1:] for k in range(j + 1, i - 1)]
        if self.token(j).text != "(" or not 1 <= len(names) <= 2:
            raise self.fail(i, "the subject of text:query is ?s or (?s ?score)")
        return names, j

    def jena_arguments(self, search: Search, i: int) -> int:
        if (predicate := self.iri(i)) is not None:
            search.predicate, i = predicate, i + 1
        search.text, search.at = self.constant(i, "query")[0], self.tokens[i][1]
        search.lang = self.literal_lang(i) or search.lang
        i = self.constant(i, "query")[1]
        if self.token(i).kind in ("number", "var"):
            value, i = self.constant(i, "limit")
            search.limit = self.integer(i - 1, value, "limit")
            search.limit_at = self.tokens[i - 1][1]
        if self.token(i).kind == "string":
            option, i = self.constant(i, "lang")
            if not option.startswith("lang:"):
                raise self.fail(i - 1, 'the only text:query option lcgraph reads is "lang:xx"')
            search.lang = option[len("lang:") :]
        if self.token(i).text != ")":
            raise self.fail(i, "expected “)”: text:query (property? “text” limit? “lang:xx”?)")
        return i + 1

    # --- constants ----------------------------------------------------------------------------

    def constant(self, i: int, name: str) -> tuple[str, int]:
        """The lexical value of the literal (or bound variable) at i, and the index after it."""
        token = self.token(i)
        if token.kind == "var":
            bound = self.bindings.get(token.text[1:])
            if bound is None:
                raise self.fail(
                    i,
                    f"the {name} of a search must be a constant, not the variable {token.text}: "
                    "the search runs before the query",
                )
            return bound.value, i + 1
        if token.kind == "number":
            return token.text, i + 1
        if token.kind == "error" and token.text[:1] in "'\"":
            raise self.fail(i, "the string is not closed")
        value = string_value(token.text) if token.kind == "string" else None
        if value is None:
            raise self.fail(i, f"expected {SERVICE_TERMS[name]}")
        i += 1
        if self.token(i).kind == "langtag":
            i += 1
        elif self.token(i).text == "^^":
            i += 2
        return value, i

    def literal_lang(self, i: int) -> str | None:
        token = self.token(i)
        if token.kind == "var":
            bound = self.bindings.get(token.text[1:])
            return bound.language if isinstance(bound, Literal) else None
        if token.kind == "string" and self.token(i + 1).kind == "langtag":
            return self.token(i + 1).text[1:].lower()
        return None

    def integer(self, i: int, value: str, name: str) -> int:
        if not value.isdigit():
            raise self.fail(i, f"the {name} of a search is a whole number >= 0, not {value!r}")
        return int(value)
