"""Checks over a built HTML site: internal links and anchors resolve, files hash the same."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html


def tree_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _target_file(site: Path, page: Path, href_path: str) -> Path:
    if href_path.startswith("/"):
        target = site / href_path.lstrip("/")
    else:
        target = (page.parent / href_path).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """Every internal href/src in the site's HTML whose file or #anchor does not exist."""
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            document = lxml_html.fromstring(page.read_bytes())
            ids[page] = {str(e.get("id")) for e in document.iter() if e.get("id")} | {
                str(e.get("name")) for e in document.iter("a") if e.get("name")
            }
        return ids[page]

    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        document = lxml_html.fromstring(page.read_bytes())
        for element in document.iter("a", "link", "script", "img"):
            reference = element.get("href") or element.get("src")
            if not reference:
                continue
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc or reference.startswith("mailto:"):
                continue
            where = page.relative_to(site).as_posix()
            target = _target_file(site, page, unquote(parts.path)) if parts.path else page
            if not target.is_file():
                problems.append(f"{where}: {reference} -> missing {target}")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors(target):
                problems.append(f"{where}: {reference} -> no #{parts.fragment} in {target.relative_to(site)}")
    return problems
