"""How lcgraph reaches a remote SPARQL server: its endpoints, credentials and headers.

The endpoints are the server kind's paths (`remote_protocol.SERVER_KINDS`) unless the
settings name others. Credentials in the URL win over the settings' user and password;
a token goes in an `Authorization: Bearer` header instead.
"""

from __future__ import annotations

import httpx

from lcgraph.config import Settings
from lcgraph.store.remote_protocol import Endpoints, ServerKind, SparqlClient


def location_of(url: str) -> str:
    """The server's URL without its credentials: what the store names in messages."""
    return str(httpx.URL(url).copy_with(userinfo=b"")).rstrip("/")


def client_for(url: str, kind: ServerKind, settings: Settings) -> SparqlClient:
    """A client of the server at `url`, of `kind`, as the settings describe."""
    return SparqlClient(
        _endpoints(location_of(url), kind, settings),
        kind,
        _auth(httpx.URL(url), settings, kind),
        _headers(settings),
        settings.service.query_timeout_s,
    )


def _endpoints(location: str, kind: ServerKind, settings: Settings) -> Endpoints:
    return Endpoints(
        query=location + (settings.remote.query_path or kind.query_path),
        update=location + (settings.remote.update_path or kind.update_path),
        gsp=location + (settings.remote.gsp_path or kind.gsp_path),
    )


def _auth(url: httpx.URL, settings: Settings, kind: ServerKind) -> httpx.Auth | None:
    """Credentials from the URL, else from settings; a token goes in a header instead."""
    user = url.username or settings.remote.user
    password = url.password or (
        settings.remote.password.get_secret_value() if settings.remote.password else ""
    )
    if not user:
        return None
    return httpx.DigestAuth(user, password) if kind.digest_auth else httpx.BasicAuth(user, password)


def _headers(settings: Settings) -> dict[str, str]:
    token = settings.remote.token
    return {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
