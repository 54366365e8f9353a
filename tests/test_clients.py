"""Independent clients read the built sites right: feedparser on the feeds, html5lib on the pages,
the sitemaps.org rules on sitemap.xml. The demo, and the 779 UN General Debate speeches."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from tests.clientcheck import (
    content_dates,
    feed_ids,
    feed_problems,
    feeds_of,
    page_problems,
    sitemap_problems,
)
from tests.conftest import copy_demo, run, shared

pytestmark = pytest.mark.slow
EDITED = "content/articles/2021/guilin-wang-yi-lavrov-talks.md"


def _build(root: Path) -> Path:
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def _site_url(root: Path) -> str:
    return str(yaml.safe_load((root / "site_config.yml").read_text())["site_url"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(copy_demo(tmp_path_factory.mktemp("clients") / "project"))


@pytest.fixture(scope="module")
def ungdc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clients-ungdc") / "project"
    shutil.copytree(shared("corpus", "ungdc-2015-2018"), root)
    return _build(root)


def test_feedparser_reads_every_feed_with_content_dates_and_distinct_titles(demo: Path) -> None:
    dates = content_dates(demo)
    assert feed_problems(demo / "site", dates) == []
    feeds = {path.stem: feedparser.parse(path.read_bytes()) for path in feeds_of(demo / "site")}
    # One entry per article, its passages on the topic linked to the article's #p-N anchors.
    afghanistan = feeds["afghanistan"]
    assert len({entry.link for entry in afghanistan.entries}) == len(afghanistan.entries) > 5
    assert sum("in context</a>" in entry.content[0].value for entry in afghanistan.entries) > 5
    # A topic no article names yet is dated by the site's newest content, not a placeholder.
    empty = [name for name, feed in feeds.items() if not feed.entries]
    assert empty, "the demo should hold a topic no article names"
    for name in empty:
        assert feeds[name].feed.updated.startswith(max(dates.values()).isoformat()), name


def test_entries_keep_their_ids_when_a_paragraph_is_inserted_at_the_top(tmp_path: Path) -> None:
    root = _build(copy_demo(tmp_path / "project"))
    before = feed_ids(root / "site")
    article = root / EDITED
    head, body = article.read_text().split("\n---\n", 1)
    article.write_text(f"{head}\n---\nA new first paragraph about Myanmar and Afghanistan.\n\n{body}")
    _build(root)
    after = feed_ids(root / "site")
    assert after == before  # every entry keeps its id, the edited article's too
    edited = [key for key in after if key.endswith("/guilin-wang-yi-lavrov-talks")]
    assert len(edited) > 3  # the article is an entry of several feeds
    myanmar = feedparser.parse((root / "site/feeds/myanmar.xml").read_bytes())
    entry = next(e for e in myanmar.entries if e.link.endswith("/guilin-wang-yi-lavrov-talks/"))
    assert "A new first paragraph about Myanmar" in entry.content[0].value  # the rebuild saw the edit
    assert feed_problems(root / "site", content_dates(root)) == []


def test_sitemap_dates_each_page_by_what_it_shows(demo: Path) -> None:
    dates = content_dates(demo)
    assert sitemap_problems(demo / "site", _site_url(demo), dates) == []
    sitemap = (demo / "site/sitemap.xml").read_text()
    assert sitemap.count("<lastmod>") > len(dates)
    assert not (demo / "site/sitemap.xml.gz").exists()  # MkDocs' own, dated by the build


def test_no_page_skips_a_heading_level_or_shares_a_title(demo: Path) -> None:
    assert page_problems(demo / "site") == []
    # The demo article with `##` sections shows them as h2 right under its h1.
    page = (demo / "site/articles/2021/unga-76-general-debate-opens/index.html").read_text()
    assert "<h2 id=" in page and "<h3" not in page


def test_the_un_corpus_site_reads_right(ungdc: Path) -> None:
    site = ungdc / "site"
    dates = content_dates(ungdc)
    assert page_problems(site) == []
    assert sitemap_problems(site, _site_url(ungdc), dates) == []
    assert feed_problems(site, dates) == []
