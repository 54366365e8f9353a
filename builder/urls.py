"""Where each docs/ page ends up in the HTML site, and its absolute address."""

from __future__ import annotations

from urllib.parse import urlsplit


def page_url(docs_path: str) -> str:
    """The site-relative URL MkDocs gives a docs/ page (directory URLs): `topics/x.md` -> `topics/x/`."""
    if docs_path == "index.md":
        return ""
    stem = docs_path.removesuffix(".md")
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def absolute(site_url: str | None, relative: str) -> str:
    """`relative` resolved against the site's URL, or left site-relative (with a leading slash)."""
    if not site_url:
        return "/" + relative
    return site_url.rstrip("/") + "/" + relative


def tag_authority(site_url: str | None) -> str:
    """The host name to mint Atom tag: ids under (stable across builds and deployments)."""
    host = urlsplit(site_url).hostname if site_url else None
    return host or "briefdesk.invalid"
