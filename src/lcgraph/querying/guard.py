"""Refuse SERVICE and LOAD to hosts that are not explicitly allowed, before the engine runs.

pyoxigraph follows SERVICE and LOAD to any URL, internal addresses included. This guard
reads the query's tokens (`lcgraph.sparql.lexer`) in both the raw text and the text with
`\\uXXXX` escapes decoded, which SPARQL allows anywhere in a query, so a keyword hidden by an
escape or a string boundary moved by one is still seen. Every SERVICE or LOAD target must
be a constant IRI whose host is on the allow-list and resolves only to public addresses
(loopback, private, link-local, reserved ranges are refused even when listed). A variable
SERVICE target, or a target the guard cannot read, is refused. A refusal here errs on
the side of safety.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urljoin, urlsplit

from lcgraph.errors import QueryForbidden
from lcgraph.sparql.lexer import Token, decode_escapes, keyword, tokenize
from lcgraph.sparql.reading import pname_iri, resolved_declarations

_TARGET_KEYWORDS = {"SERVICE", "LOAD"}
Resolver = Callable[[str], Sequence[str]]


def remote_targets(text: str) -> list[str | None]:
    """IRIs that SERVICE and LOAD in `text` would contact; None for one that is not constant."""
    targets: list[str | None] = []
    for variant in dict.fromkeys((text, decode_escapes(text))):
        targets.extend(_targets_in(tokenize(variant)))
    return targets


def mentions_remote(text: str) -> bool:
    """Cheap pre-check: could `text` contain SERVICE or LOAD at all (escapes included)?"""
    upper = text.upper()
    return "SERVICE" in upper or "LOAD" in upper or "\\U" in upper


def check_remote_access(
    text: str, allowlist: Iterable[str], resolve: Resolver | None = None
) -> None:
    """Raise QueryForbidden unless every SERVICE/LOAD target is allowed and public."""
    if not mentions_remote(text):
        return
    allowed = {h.lower().rstrip(".") for h in allowlist}
    for target in remote_targets(text):
        if target is None:
            raise QueryForbidden("SERVICE/LOAD with a variable or unreadable target is refused")
        check_host(target, allowed, resolve or _resolve)


def check_host(iri: str, allowed: set[str], resolve: Resolver) -> None:
    """Raise QueryForbidden unless `iri`'s host is allowed and resolves to public addresses."""
    parts = urlsplit(iri)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        raise QueryForbidden(f"SERVICE/LOAD to {iri!r} is refused: not an http(s) URL")
    if host not in allowed:
        raise QueryForbidden(
            f"SERVICE/LOAD to host {host!r} is refused: it is not on the service allow-list"
        )
    for address in _addresses(host, resolve):
        if not address.is_global or address.is_multicast:
            raise QueryForbidden(
                f"SERVICE/LOAD to host {host!r} is refused: it resolves to the non-public "
                f"address {address}"
            )


def _addresses(host: str, resolve: Resolver) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        found = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host)]
        except OSError as err:
            raise QueryForbidden(f"SERVICE/LOAD host {host!r} does not resolve: {err}") from err
    if not found:
        raise QueryForbidden(f"SERVICE/LOAD host {host!r} does not resolve")
    return [
        a.ipv4_mapped if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped else a
        for a in found
    ]


def _resolve(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]


def _targets_in(tokens: list[Token]) -> Iterable[str | None]:
    prefixes, base = resolved_declarations(tokens)
    for i, token in enumerate(tokens):
        if keyword(token) in _TARGET_KEYWORDS:
            j = i + 1
            if j < len(tokens) and keyword(tokens[j]) == "SILENT":
                j += 1
            yield _constant_iri(tokens[j] if j < len(tokens) else None, prefixes, base)


def _constant_iri(token: Token | None, prefixes: dict[str, str], base: str) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "pname":
        return pname_iri(token, prefixes)
    return None
