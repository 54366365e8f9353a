"""An atomic build that starts from the previous site: what must be made again, and what is kept.

After an edit, most of a 10,000-article site is what the last build wrote. When the output folder
holds that site (its marker names the state recorded in build/.cache/, see `sitestate`) and
nothing every page depends on has changed (the frame: MkDocs' settings and nav, the theme, the
engine's versions, Briefdesk's code), the new site is staged from the old one: its files are
hard-linked into the staging folder (copied where the file system cannot link), except those
the build writes again, which are left out so that no write can reach through a link into the
site being served. Then only these are made:

* the HTML of each page whose Markdown changed, and of each page whose links MkDocs must check
  again: one that links to an anchor of a changed page, or to a page that is gone (a whole build
  would warn about them, and --strict fail);
* the theme's own pages (404.html) and our sitemap, which list every page;
* the feeds whose inputs changed, and the search index if anything it shows changed.

The staged site is then swapped in as a whole build's would be: readers never see a mixture.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.pipeline.output import MARKER
from builder.pipeline.sitestate import SiteState
from builder.urls import page_url

ALWAYS_WRITTEN = ("404.html", "sitemap.xml", MARKER)
"""Files of the site every build writes again: they list or describe every page."""
SEARCH_BUNDLE = "pagefind"
WHOLE_BUILD_SHARE = 0.5
"""Beyond this share of pages to render, one `mkdocs build` is quicker than page by page."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What an incremental build makes again; everything else comes from the previous site."""

    render: tuple[str, ...]
    """Docs paths whose HTML is rendered again."""
    removed: tuple[str, ...]
    """Docs paths the previous site had and this one has not."""
    outputs: frozenset[str]
    """Other outputs made again: feed paths, and `SEARCH_BUNDLE` for the search index."""
    files: tuple[str, ...]
    """Every file of the previous site (those not `left_out` are taken from it)."""

    def left_out(self) -> frozenset[str]:
        """Site-relative paths (files, or folders ending in "/") not to take from the previous site."""
        pages = {_html_of(path) for path in (*self.render, *self.removed)}
        outputs = {f"{name}/" if name == SEARCH_BUNDLE else name for name in self.outputs}
        return frozenset({*pages, *outputs, *ALWAYS_WRITTEN})


def plan(
    previous: SiteState | None, marker: str | None, state: SiteState, pages: list[tuple[str, str]]
) -> Plan | None:
    """What to make again to turn the previous site into the one `state` describes, or None when
    the whole site must be built: no previous site, another one in the output folder (`marker`
    is what its marker file says), a changed frame, or most pages changed anyway."""
    if previous is None or marker is None or marker != previous.marker or previous.frame != state.frame:
        return None
    if not previous.files:
        return None
    changed = [path for path, digest in state.pages.items() if previous.pages.get(path) != digest]
    removed = sorted(set(previous.pages) - set(state.pages))
    render = set(changed) | _linking_to(pages, changed, removed)
    if len(render) > WHOLE_BUILD_SHARE * len(state.pages):
        return None
    outputs = {name for name, key in state.outputs.items() if previous.outputs.get(name) != key}
    # An output the site no longer has (a past edition's e-mail body, a deleted topic's feed) is
    # left out of the staging too, as a whole build would not write it.
    outputs |= set(previous.outputs) - set(state.outputs)
    return Plan(tuple(sorted(render)), tuple(removed), frozenset(outputs), tuple(previous.files))


def _linking_to(pages: list[tuple[str, str]], changed: Iterable[str], removed: Iterable[str]) -> set[str]:
    """Pages whose Markdown may link to an anchor of a `changed` page, or to a `removed` page.

    Found by the target's file name in the text, which over-counts (two pages may share a name
    in different folders) but never misses a relative link: a false hit only renders a page again.
    """
    needles = [re.escape(_file_name(path)) + "#" for path in changed]
    needles += [re.escape(_file_name(path)) for path in removed]
    if not needles:
        return set()
    pattern = re.compile("|".join(needles))
    return {path for path, text in pages if pattern.search(text)}


def _file_name(docs_path: str) -> str:
    """The end of a link to the page: its name, with its folder for an index page."""
    parts = docs_path.split("/")
    return "/".join(parts[-2:]) if parts[-1] == "index.md" and len(parts) > 1 else parts[-1]


def _html_of(docs_path: str) -> str:
    return f"{page_url(docs_path)}index.html"


def site_files(site: Path) -> list[str]:
    """Every file of a built site, by its site-relative path (recorded, to be linked next time)."""
    files: list[str] = []
    for folder, _, names in os.walk(site):
        relative = Path(folder).relative_to(site).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        files.extend(prefix + name for name in names)
    return sorted(files)


def stage_from(previous: Path, files: Iterable[str], staged: Path, left_out: frozenset[str]) -> int:
    """Fill `staged` with the previous site's `files` but those `left_out`; return how many.

    Hard links where the file system allows (the new site shares the old one's unchanged files,
    which nothing writes again), plain copies where it does not. Raises FileNotFoundError if
    the previous site lacks one of its files (someone changed it since): build it whole then.
    """
    folders_out = tuple(path for path in left_out if path.endswith("/"))
    made: set[Path] = set()
    linked = 0
    can_link = True
    for relative in files:
        if relative in left_out or relative.startswith(folders_out):
            continue
        source, target = previous / relative, staged / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if can_link:
            try:
                os.link(source, target)
                linked += 1
                continue
            except FileNotFoundError:
                raise
            except OSError:  # a file system without hard links (or across devices): copy instead
                can_link = False
        shutil.copyfile(source, target)
        linked += 1
    return linked
