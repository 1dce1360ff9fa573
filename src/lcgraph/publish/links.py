"""A served page's links, rewritten for a file host (issue 12, item 6).

The service's pages link root-relative (`/doc/t/r.en.html`), which a static host under a
sub-path or a browser opening `file://` cannot follow. In the static site every link to a
file of the site becomes relative to the page (`../t/r.en.html`), and every link to a
part that needs the service (`SERVICE_ONLY`: the SPARQL editor, the query API, the
dashboard) either points to the live service given at publish time (`--endpoint URL`) or is
left out with its element, and so is a link with a query string to a page of the site
(`?lang=nl`): no link of the site is broken.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import PurePosixPath

SERVICE_ONLY = (
    "/sparql",
    "/api/",
    "/dashboard",
    "/explore",
    "/search",
    "/rdf-graph-store",
    "/health",
    "/metrics",
)
# an attribute that holds a root-relative URL (not "//host", a scheme-relative one)
_ATTRIBUTE = re.compile(r'\b(?P<name>href|src|action)="(?P<url>/(?!/)[^"]*)"')
# an element whose link needs the service: <a …>…</a>, a void <link …>, or a <form> (search)
_SERVICE_ELEMENT = re.compile(
    r'<a\b[^>]*\bhref="(?:{0})[^"]*"[^>]*>.*?</a>|<link\b[^>]*\bhref="(?:{0})[^"]*"[^>]*>'
    r'|<form\b[^>]*\baction="(?:{0})[^"]*"[^>]*>.*?</form>'.format(
        "|".join(re.escape(p) for p in SERVICE_ONLY)
    ),
    re.DOTALL,
)
# a link with a query string to a page of the site: a file host cannot tell it apart
_QUERY_LINK = re.compile(r'<a\b[^>]*\bhref="/(?!/)[^"?#]*\?[^"]*"[^>]*>.*?</a>', re.DOTALL)


@lru_cache(maxsize=1 << 16)
def stored_path(path: str) -> str:
    """Where the site keeps the answer to a URL path, relative to its root: `/` is
    `index.html`, a path without an extension (`/doc/query/q`) gets `.html`, so that a
    plain file host and `file://` serve it as HTML; everything else as named."""
    if path in ("", "/"):
        return "index.html"
    name = path.lstrip("/")
    return name if "." in PurePosixPath(name).name else name + ".html"


def _service_link(element: str) -> bool:
    return is_service_only(element.split('href="', 1)[1])


def is_service_only(url: str) -> bool:
    return url.startswith(SERVICE_ONLY)


def for_file_host(page: str, path: str, endpoint: str | None = None) -> str:
    """The HTML `page` served at `path`, with links that work from the static site."""
    if endpoint is None:
        page = _SERVICE_ELEMENT.sub("", page)
    page = _QUERY_LINK.sub(lambda m: m[0] if _service_link(m[0]) else "", page)
    here = posixpath.dirname(stored_path(path))

    def rewrite(match: re.Match[str]) -> str:
        url = match["url"]
        if is_service_only(url):
            target = url if endpoint is None else endpoint.rstrip("/") + url
        else:
            target = relative(url, here)
        return f'{match["name"]}="{target}"'

    return _ATTRIBUTE.sub(rewrite, page)


def relative(url: str, here: str) -> str:
    """Root-relative `url` (with any query or fragment) as seen from folder `here`."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return _relpath(stored_path(url[:cut]), here) + url[cut:]


@lru_cache(maxsize=1 << 16)
def _relpath(target: str, here: str) -> str:
    """`posixpath.relpath(target, here)` for the site's own paths, without its `abspath`
    calls: with every link of ~100,000 pages rewritten, those were a tenth of `publish`
    on the real network (issue 13)."""
    to, start = target.split("/"), here.split("/") if here else []
    if any(part in ("", ".", "..") for part in to + start):  # not a plain path: as before
        return posixpath.relpath(target, here or ".")
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
