"""The demo's briefs match reviewed golden Markdown files.

After a deliberate change to templates, routing or demo content, review the new output and run
`pytest tests/test_golden.py --update-golden`; the diff of tests/golden/ is then part of the review.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from tests.briefcheck import check_site
from tests.conftest import REPO, run

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden") / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site_config.yml", root / "site_config.yml")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    return root / "build" / "docs"


def _pages() -> list[str]:
    topics = sorted(p.stem for p in (REPO / "content/topics").glob("*.md"))
    return [f"topics/{t}.md" for t in topics] + [
        "index.md",
        "timeline.md",
        "topics/myanmar/2021.md",
        "articles/2021/guilin-wang-yi-lavrov-talks.md",
        "actors/china.md",
        "editions/index.md",
        "editions/2021-w51.md",
        "editions/2021-w43.md",
    ]


@pytest.mark.parametrize("page", _pages())
def test_page_matches_golden(docs: Path, page: str, request: pytest.FixtureRequest) -> None:
    produced = (docs / page).read_text(encoding="utf-8")
    golden = GOLDEN / page
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
        return
    assert golden.is_file(), f"no golden file for {page}: run pytest {__file__} --update-golden"
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), produced.splitlines(True), f"golden/{page}", f"built/{page}", n=2
            )
        )
        pytest.fail(f"{page} differs from its golden file (review, then --update-golden):\n{diff[:6000]}")


def test_demo_briefs_are_bounded_digests(docs: Path) -> None:
    """The demo's briefs: at most 4,000 words, no passage quoted twice, every article reachable."""
    words = check_site(docs)
    assert len(words) == len(list((REPO / "content/topics").glob("*.md")))


def test_demo_articles_cite_their_own_report_or_none() -> None:
    """No demo article links a section front page, and no two share one address: each `url` is
    the report the article summarises, or the article has none."""
    project = load_project(REPO, Diagnostics())
    assert project is not None
    urls = [article.url for article in project.articles if article.url]
    assert len(urls) == len(set(urls)), "two demo articles cite the same address"
    for url in urls:
        path = urlsplit(url).path
        assert len([part for part in path.split("/") if part]) >= 3, f"{url} looks like a section page"
    assert project.config.desk_summaries  # the demo's articles are its own summaries, and say so
