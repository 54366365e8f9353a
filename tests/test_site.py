"""Real MkDocs builds of the demo site: pages, links, drafts, feeds, determinism, atomicity."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from tests.conftest import REPO, ProjectFactory, copy_demo, run
from tests.sitecheck import broken_links, tree_hashes

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"



@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("demo") / "project")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def test_every_contract_page_exists(demo: Path) -> None:
    site = demo / "site"
    topics = sorted(p.stem for p in (demo / "content/topics").glob("*.md"))
    actors = sorted(p.stem for p in (demo / "content/actors").glob("*.md"))
    for path in ["index.html", "timeline/index.html", "feed.xml", "sitemap.xml", "actors/index.html"]:
        assert (site / path).is_file(), path
    for topic in topics:
        assert (demo / f"build/docs/topics/{topic}.md").is_file()
        assert (site / f"topics/{topic}/index.html").is_file()
        assert (site / f"feeds/{topic}.xml").is_file()
    for actor in actors:
        assert (site / f"actors/{actor}/index.html").is_file()
    guilin = site / "articles/2021/guilin-wang-yi-lavrov-talks/index.html"
    assert guilin.is_file()
    assert 'id="p-1"' in guilin.read_text()


def test_every_internal_link_and_anchor_resolves(demo: Path) -> None:
    assert broken_links(demo / "site") == []


def test_drafts_are_nowhere(demo: Path) -> None:
    drafts = [p for p in (demo / "content/articles").rglob("*.md") if "\ndraft: true" in p.read_text()]
    assert drafts, "the demo should hold a draft"
    for draft in drafts:
        title = next(line for line in draft.read_text().splitlines() if line.startswith("title:"))
        title_text = title.split(":", 1)[1].strip().strip("'\"")
        for path in list((demo / "site").rglob("*")) + list((demo / "build/docs").rglob("*")):
            if path.is_file() and path.suffix in (".html", ".xml", ".md", ".json"):
                text = path.read_text(errors="ignore")
                assert draft.stem not in text, f"{draft.stem} in {path}"
                assert title_text not in text, f"draft title in {path}"


def test_feeds_are_atom_with_entries_linking_to_passages(demo: Path) -> None:
    feeds = [demo / "site/feed.xml", *sorted((demo / "site/feeds").glob("*.xml"))]
    for feed_path in feeds:
        feed = etree.parse(str(feed_path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}") is not None, (feed_path, required)
        assert feed.find(f"{ATOM}author") is not None
        for entry in feed.iter(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None, (feed_path, required)
    myanmar = etree.parse(str(demo / "site/feeds/myanmar.xml")).getroot()
    links = [e.find(f"{ATOM}link").get("href") for e in myanmar.iter(f"{ATOM}entry")]
    assert links and all("/articles/2021/" in link for link in links)
    contents = [e.findtext(f"{ATOM}content") for e in myanmar.iter(f"{ATOM}entry")]
    assert all(f'{link}#p-' in content for link, content in zip(links, contents, strict=True))
    dates = [e.findtext(f"{ATOM}updated") for e in myanmar.iter(f"{ATOM}entry")]
    assert dates == sorted(dates, reverse=True)


def test_pages_advertise_their_feeds(demo: Path) -> None:
    brief = (demo / "site/topics/myanmar/index.html").read_text()
    document = lxml_html.fromstring(brief)
    # Autodiscovery as HTML defines it: rel is a list of words, one of them `alternate`.
    discovered = {
        link.get("href")
        for link in document.iter("link")
        if "alternate" in (link.get("rel") or "").split() and link.get("type") == "application/atom+xml"
    }
    assert discovered == {"../../feeds/myanmar.xml", "../../feed.xml"}
    # And a link a reader can see and follow, in the page itself.
    visible = [a.get("href") for a in document.xpath("//article//a[@type='application/atom+xml']")]
    assert visible == ["../../feeds/myanmar.xml", "../../feed.xml"]
    assert "feeds/" not in (demo / "site/timeline/index.html").read_text().split("</head>")[0].replace(
        "feed.xml", ""
    )


def test_two_builds_are_byte_identical(demo: Path, tmp_path: Path) -> None:
    other = copy_demo(tmp_path / "again")
    result = run("build", "--project", other)
    assert result.exit_code == 0, result.output
    first, second = tree_hashes(demo / "site"), tree_hashes(other / "site")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert tree_hashes(demo / "build/docs") == tree_hashes(other / "build/docs")


def test_sitemap_dates_come_from_content_not_the_clock(demo: Path) -> None:
    sitemap = (demo / "site/sitemap.xml").read_text()
    assert "<lastmod>2021-12-" in sitemap
    assert "<lastmod>2021-03-22</lastmod>" in sitemap  # the Guilin talks' own date


def test_failed_build_keeps_previous_site(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "project")
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    (root / "content/articles/2021/broken.md").write_text("---\ntitle: Broken\ndate: 2021-02-30\n---\n")
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert (
        "content/articles/2021/broken.md:3: error: 'date': '2021-02-30' is not a real calendar date"
        in result.stderr
    )
    assert "the previous site is unchanged" in result.stderr
    assert tree_hashes(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".briefdesk-")]


def test_mkdocs_failure_keeps_previous_site_and_reports(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "project")
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    # A project template with a link MkDocs cannot resolve: strict MkDocs must fail the build.
    (root / "templates").mkdir()
    template = (REPO / "templates/timeline.md.jinja").read_text()
    (root / "templates/timeline.md.jinja").write_text(template + "\n[missing](nowhere.md)\n")
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert "build/docs/timeline.md:" in result.stderr
    assert "nowhere.md" in result.stderr
    assert tree_hashes(root / "site") == before


def _staged_has_mkdocs_output(root: Path) -> bool:
    staged = [p for p in root.iterdir() if p.name.startswith(".briefdesk-tmp-site-")]
    return bool(staged) and any(staged[0].iterdir())


def _staged_is_indexing(root: Path) -> bool:
    # Feeds are written between MkDocs and Pagefind: once they are there, search indexing is under way.
    staged = [p for p in root.iterdir() if p.name.startswith(".briefdesk-tmp-site-")]
    return bool(staged) and (staged[0] / "feeds").is_dir() and not (staged[0] / ".briefdesk-site").exists()


@pytest.mark.parametrize("phase", ["mkdocs", "search"])
def test_killed_build_leaves_previous_site_and_no_debris(tmp_path: Path, phase: str) -> None:
    root = copy_demo(tmp_path / "project")
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    edited = root / "content/articles/2021/guilin-wang-yi-lavrov-talks.md"
    edited.write_text(edited.read_text() + "\nA late paragraph on Myanmar.\n")  # so there is work to do
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--project", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    reached = _staged_has_mkdocs_output if phase == "mkdocs" else _staged_is_indexing
    deadline = time.monotonic() + 120
    # Wait until the build is inside the phase, then kill it and everything it started.
    while time.monotonic() < deadline and process.poll() is None:
        if reached(root):
            break
        time.sleep(0.005)
    else:
        pytest.fail(f"the build never reached the {phase} phase")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert tree_hashes(root / "site") == before
    assert run("build", "--project", root).exit_code == 0
    assert not [p for p in root.iterdir() if p.name.startswith(".briefdesk-")]
    assert "A late paragraph on Myanmar." in (root / "site/articles/2021/guilin-wang-yi-lavrov-talks/index.html").read_text()


def test_unchanged_rebuild_leaves_the_site_alone(demo: Path) -> None:
    before = tree_hashes(demo / "site")
    stamp = (demo / "site/index.html").stat().st_mtime_ns
    result = run("build", "--project", demo)
    assert result.exit_code == 0
    assert "nothing changed since the last build: site/ is up to date" in result.stderr
    assert tree_hashes(demo / "site") == before
    assert (demo / "site/index.html").stat().st_mtime_ns == stamp


def test_a_build_without_a_terminal_prints_a_line_per_stage(make_project: ProjectFactory) -> None:
    # As in a CI log: no live display, but each stage with its seconds and what it handled.
    root = make_project()
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+) +\d+\.\d\d s: (.+)$", result.stderr, re.M)}
    assert list(lines) == ["load", "route", "assemble", "render", "write", "mkdocs", "feeds", "search"]
    assert lines["load"] == "1 article, 2 topics, 1 actor"
    assert lines["write"] == f"{len(list((root / 'build/docs').rglob('*.md')))} Markdown pages written, 0 unchanged"
    assert "search records" in lines["search"]


def test_the_yearly_archive_links_each_passage_by_its_opening_words(demo: Path) -> None:
    page = lxml_html.parse(str(demo / "site/topics/myanmar/2021/index.html"))
    guilin = page.xpath("//li[a[contains(@href, 'guilin-wang-yi-lavrov-talks')]]")[0]
    (passage,) = guilin.xpath("./ul/li")
    link = passage.xpath("./a")[0]
    assert " ".join(passage.text_content().split()) == (
        "¶ 6 On Myanmar, where security forces had killed more than 200 protesters since…"
    )
    assert link.get("href") == "../../../articles/2021/guilin-wang-yi-lavrov-talks/#p-6"
    # The words are the passage's own: its text starts with them.
    article = lxml_html.parse(str(demo / "site/articles/2021/guilin-wang-yi-lavrov-talks/index.html"))
    text = " ".join(article.xpath("//div[@id='p-6']")[0].text_content().split())
    assert text.startswith(link.text_content().removesuffix("…"))


def test_the_build_log_says_how_many_drafts_were_left_out(make_project: ProjectFactory) -> None:
    draft = "---\ntitle: Unfinished\ndate: 2021-03-23\nsource: CGTN\ndraft: true\n---\nOn Afghanistan.\n"
    root = make_project({"content/articles/2021/unfinished.md": draft})
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+) +\d+\.\d\d s: (.+)$", result.stderr, re.M)}
    assert lines["load"] == "2 articles (1 draft, not published), 2 topics, 1 actor"
    summary = result.stderr.splitlines()[-1]
    assert re.fullmatch(
        r"built \d+ pages \(2 briefs, 1 article; 1 draft left out\) in \d+\.\d\d s with 0 warnings: build/docs/",
        summary,
    ), summary
