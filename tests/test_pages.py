"""render_markdown: the same pages and keys in workers as in one process, from a cold cache or a
warm one; and the site keyed whole by what it is made from."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from bench import corpus
from builder.briefs.assembly import Site, assemble
from builder.briefs.rendering import PageSpec
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.model import Project
from builder.parallel import worker_count
from builder.pipeline.cache import BuildCache
from builder.pipeline.keys import inputs_digest, site_inputs
from builder.pipeline.pages import _spread, render_markdown
from builder.pipeline.pipeline import route_articles
from tests.conftest import ProjectFactory

ARTICLE = "content/articles/2021/talks.md"


def _project(root: Path) -> Project:
    diagnostics = Diagnostics()
    project = load_project(root, diagnostics)
    assert project is not None, list(diagnostics)
    return project


def _site(root: Path) -> Site:
    project = _project(root)
    return assemble(project, route_articles(project))


@pytest.mark.slow
def test_pages_rendered_by_workers_are_the_pages_and_keys_of_one_process(tmp_path: Path) -> None:
    # Enough articles for two workers: the briefs, archives and editions are spread among them.
    corpus.generate(900, tmp_path)
    site = _site(tmp_path)
    assert worker_count(len(site.articles), 2) == 2
    alone_cache, forked_cache = BuildCache(tmp_path / "alone"), BuildCache(tmp_path / "forked")
    alone, _ = render_markdown(site, tmp_path, jobs=1, cache=alone_cache)
    forked, _ = render_markdown(site, tmp_path, jobs=2, cache=forked_cache)
    assert forked == alone
    assert forked_cache.pages == alone_cache.pages  # the same keys, worked out in the workers
    no_cache, _ = render_markdown(site, tmp_path, jobs=2)
    assert no_cache == alone

    # Warm: a page the cache holds under its key comes from the cache (marked, to see it come
    # back), one whose key changed is rendered afresh in a worker.
    brief = next(path for path, _ in alone if path.startswith("topics/") and path.count("/") == 1)
    held = {path: key for path, (key, _) in forked_cache.pages.items()}
    article = site.articles[5].article.page
    for path in (brief, article):
        forked_cache.put_page(path, held[path], f"reused {path}\n")
    forked_cache.put_page("timeline.md", "a key no page has", "stale\n")
    warm, _ = render_markdown(site, tmp_path, jobs=2, cache=forked_cache)
    texts = dict(warm)
    assert texts[brief] == f"reused {brief}\n"
    assert texts[article] == f"reused {article}\n"
    assert texts["timeline.md"] == dict(alone)["timeline.md"]
    assert {path: key for path, (key, _) in forked_cache.pages.items()} == held


def test_the_site_is_keyed_by_what_it_is_made_from_not_by_its_templates(make_project: ProjectFactory) -> None:
    root = make_project()
    before = site_inputs(_project(root), None)
    pages_before = inputs_digest(_project(root), root)
    assert before is not None and before == site_inputs(_project(root), None)  # stable
    assert site_inputs(_project(root), dt.date(2021, 5, 1)) != before  # the day it speaks from

    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/brief.md.jinja").write_text("# {{ topic.title }}\n")
    assert site_inputs(_project(root), None) == before  # the search index is kept
    assert inputs_digest(_project(root), root) != pages_before  # the pages are not

    path = root / ARTICLE
    path.write_text(path.read_text().replace("They also discussed Myanmar.", "They also discussed Kabul."))
    assert site_inputs(_project(root), None) != before


def _spec(path: str, template: str) -> PageSpec:
    return PageSpec(path, template, {})


def test_costly_pages_are_spaced_among_the_article_pages() -> None:
    site_pages = [_spec(f"topics/{n}.md", "brief.md.jinja") for n in range(4)]
    articles = [_spec(f"articles/{n}.md", "article.md.jinja") for n in range(20)]
    spread = _spread(site_pages, articles)
    assert sorted(s.path for s in spread) == sorted(s.path for s in (*site_pages, *articles))
    assert [s for s in spread if s in site_pages] == site_pages  # each kind keeps its order
    assert [s for s in spread if s in articles] == articles
    places = [spread.index(s) for s in site_pages]
    assert [b - a for a, b in itertools.pairwise(places)] == [6, 6, 6]  # one every 24 / 4 pages
    assert _spread([], articles) == articles
    assert _spread(site_pages, []) == site_pages
