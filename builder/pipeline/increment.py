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

A file of the previous site that is no longer what the last build left (deleted, or changed by
hand: see `sitestate.PreviousSite.damaged`) is never taken: a page's HTML, a feed or the search
index is made again, anything else (the theme's assets) means a whole build.

The staged site is then swapped in as a whole build's would be: readers never see a mixture.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.pipeline.filestamps import Stamp
from builder.pipeline.output import MARKER
from builder.pipeline.sitestate import PreviousSite, SiteState
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
    """The previous site's files still as its build left them (those not `left_out` are taken)."""
    stamps: Mapping[str, Stamp]
    """Those files' stamps: a file taken unchanged keeps its stamp in the new site's record."""

    def left_out(self) -> frozenset[str]:
        """Site-relative paths (files, or folders ending in "/") not to take from the previous site."""
        pages = {_html_of(path) for path in (*self.render, *self.removed)}
        outputs = {f"{name}/" if name == SEARCH_BUNDLE else name for name in self.outputs}
        return frozenset({*pages, *outputs, *ALWAYS_WRITTEN})


def plan(previous: PreviousSite | None, state: SiteState, pages: list[tuple[str, str]]) -> Plan | None:
    """What to make again to turn the previous site into the one `state` describes, or None when
    the whole site must be built: no record of the site in the output folder, a changed frame,
    a damaged file only a whole build makes, or most pages changed anyway."""
    if previous is None or previous.state.frame != state.frame:
        return None
    before = previous.state
    repairs = _repairs(previous.damaged, before, state)
    if repairs is None:
        return None
    changed = [path for path, digest in state.pages.items() if before.pages.get(path) != digest]
    removed = sorted(set(before.pages) - set(state.pages))
    render = set(changed) | _linking_to(pages, changed, removed) | repairs[0]
    if len(render) > WHOLE_BUILD_SHARE * len(state.pages):
        return None
    outputs = {name for name, key in state.outputs.items() if before.outputs.get(name) != key} | repairs[1]
    # An output the site no longer has (a past edition's e-mail body, a deleted topic's feed) is
    # left out of the staging too, as a whole build would not write it.
    outputs |= set(before.outputs) - set(state.outputs)
    damaged = set(previous.damaged)
    intact = tuple(name for name in before.files if name not in damaged)
    return Plan(tuple(sorted(render)), tuple(removed), frozenset(outputs), intact, before.files)


def _repairs(damaged: Iterable[str], before: SiteState, state: SiteState) -> tuple[set[str], set[str]] | None:
    """The pages to render and the outputs to make again because their files were damaged since
    the last build; None when one of them is a file only a whole build makes."""
    pages_by_html = {_html_of(path): path for path in state.pages}
    gone = {_html_of(path) for path in before.pages} - set(pages_by_html)
    pages: set[str] = set()
    outputs: set[str] = set()
    for name in damaged:
        if name not in before.files or name in ALWAYS_WRITTEN or name in gone:
            continue  # added by hand (never taken), written by every build, or a page now gone
        if name.startswith(f"{SEARCH_BUNDLE}/"):
            outputs.add(SEARCH_BUNDLE)
        elif name in state.outputs:
            outputs.add(name)
        elif name in pages_by_html:
            pages.add(pages_by_html[name])
        else:
            return None
    return pages, outputs


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
