"""The builds behind `serve`: incremental updates, and the background catch-up that a new edit stops."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from builder.serve.livebuild import LiveBuilder
from tests.conftest import ProjectFactory
from tests.test_search import pagefind_children

pytestmark = pytest.mark.slow
ARTICLE = "content/articles/2021/talks.md"


def test_a_new_edit_stops_the_catch_up_and_the_next_one_finishes_it(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    for number in range(200):  # enough records that re-indexing is still running when stopped
        (root / f"content/articles/2021/extra-{number}.md").write_text(
            f"---\ntitle: Extra {number}\ndate: 2021-03-01\nsource: CGTN\n---\n"
            + "\n\n".join(f"Paragraph {p} about Afghanistan." for p in range(20))
        )
    said: list[str] = []
    builder = LiveBuilder(BuildOptions(root=root), announce=said.append)
    builder.rebuild(Diagnostics())
    feed = root / "site/feeds/myanmar.xml"
    article = root / ARTICLE
    article.write_text(article.read_text().replace("They also discussed Myanmar.", "They discussed Burma."))

    report = builder.rebuild(Diagnostics())
    assert "Burma" in (root / "site/articles/2021/talks/index.html").read_text()
    assert "Burma" not in feed.read_text()  # feeds wait for the catch-up
    assert builder.start_catching_up() is not None
    builder.stop_catching_up()  # as a second edit does
    assert pagefind_children() == []
    assert not said  # stopped, not failed, and not reported as done

    article.write_text(article.read_text().replace("They discussed Burma.", "They discussed Burma again."))
    report = builder.rebuild(Diagnostics())
    assert not report.up_to_date
    thread = builder.start_catching_up()
    assert thread is not None
    thread.join()
    assert len(said) == 1 and said[0].startswith("feeds and search index refreshed (")
    assert "Burma again" in feed.read_text()
    assert builder.start_catching_up() is None  # nothing left to do
    builder.close()


def test_a_broken_edit_lets_the_stopped_catch_up_finish_for_the_last_good_site(
    make_project: ProjectFactory,
) -> None:
    root = make_project()
    said: list[str] = []
    builder = LiveBuilder(BuildOptions(root=root), announce=said.append)
    builder.rebuild(Diagnostics())
    article = root / ARTICLE
    article.write_text(article.read_text().replace("They also discussed Myanmar.", "They discussed Burma."))
    builder.rebuild(Diagnostics())
    builder.start_catching_up()
    (root / "content/articles/2021/broken.md").write_text("---\ntitle: Broken\n---\n")
    with pytest.raises(BriefdeskError):
        builder.rebuild(Diagnostics())  # stops the catch-up first, then fails on the content
    deadline = time.monotonic() + 60
    while not said and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(said) == 1 and said[0].startswith("feeds and search index refreshed (")
    assert "Burma" in (root / "site/feeds/myanmar.xml").read_text()
    builder.close()


def _html(root: Path) -> str:
    return (root / "site/articles/2021/talks/index.html").read_text()


def test_a_preview_shows_the_edited_article_exactly_as_a_full_build_would(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        brief = (root / "site/topics/myanmar/index.html").read_text()
        article = root / ARTICLE
        article.write_text(
            article.read_text().replace("They also discussed Myanmar.", "Burma was also discussed.")
            + "\nChina said Kabul must decide.\n"
        )

        assert builder.preview([ARTICLE])
        shown = _html(root)
        assert "Burma was also discussed" in shown and "Kabul must decide" in shown
        assert (root / "site/topics/myanmar/index.html").read_text() == brief  # left to the rebuild

        copy = tmp_path / "copy"  # a whole build of the edited project, elsewhere
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
        fresh = Diagnostics()
        build(BuildOptions(root=copy, cache=False), fresh)
        assert not fresh.errors
        assert shown == _html(copy)  # the same page, byte for byte

        builder.rebuild(Diagnostics())  # the pages that quote the article catch up
        assert "Burma was also discussed" in (root / "site/topics/myanmar/index.html").read_text()
        assert builder.shows_more_than_preview  # the brief changed: browsers reload again
        assert _html(root) == shown
    finally:
        builder.close()


def test_a_preview_that_changes_nothing_else_needs_no_second_reload(make_project: ProjectFactory) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        article = root / ARTICLE
        article.write_text(article.read_text() + "\nA desk note with no topic in it.\n")
        assert builder.preview([ARTICLE])
        builder.rebuild(Diagnostics())
        assert "A desk note with no topic" in _html(root)
        assert not builder.shows_more_than_preview
    finally:
        builder.close()


def _edit(root: Path, path: str, old: str, new: str) -> str:
    target = root / path
    target.write_text(target.read_text().replace(old, new) + "\nMore on Kabul.\n")
    return path


def _add(root: Path, path: str, text: str) -> str:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)
    return path


DECLINED: dict[str, Callable[[Path], str]] = {
    "a new article": lambda root: _add(
        root, "content/articles/2021/new.md", "---\ntitle: New\ndate: 2021-03-23\nsource: CGTN\n---\nKabul.\n"
    ),
    "a topic": lambda root: _edit(root, "content/topics/myanmar.md", "Burma", "Burma, Rangoon"),
    "a template": lambda root: _add(root, "templates/article.md.jinja", "# {{ article.title }}\n"),
    "a draft now": lambda root: _edit(root, ARTICLE, "date: 2021-03-22", "date: 2021-03-22\ndraft: true"),
    "a new year, so a new page": lambda root: _edit(root, ARTICLE, "2021-03-22", "2022-03-22"),
    "a new slug": lambda root: _edit(root, ARTICLE, "date: 2021-03-22", "date: 2021-03-22\nslug: other"),
    "an unknown topic": lambda root: _edit(root, ARTICLE, "[afghanistan]", "[afghanistan, mars]"),
    "an impossible date": lambda root: _edit(root, ARTICLE, "2021-03-22", "2021-02-30"),
    "broken front matter": lambda root: _edit(root, ARTICLE, "title: Talks", "title: [Talks"),
}


@pytest.mark.parametrize("edit", DECLINED.values(), ids=DECLINED.keys())
def test_a_preview_declines_edits_that_change_more_than_the_article_page(
    make_project: ProjectFactory, edit: Callable[[Path], str]
) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        before = _html(root)
        assert not builder.preview([edit(root)])
        assert _html(root) == before  # nothing written: the full update does it all
    finally:
        builder.close()


def test_no_preview_after_a_failed_update_until_a_good_one(make_project: ProjectFactory) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        (root / "content/articles/2021/broken.md").write_text("---\ntitle: Broken\n---\n")
        with pytest.raises(BriefdeskError):
            builder.rebuild(Diagnostics())
        article = root / ARTICLE
        article.write_text(article.read_text() + "\nA desk note.\n")
        assert not builder.preview([ARTICLE])
        (root / "content/articles/2021/broken.md").unlink()
        builder.rebuild(Diagnostics())
        article.write_text(article.read_text() + "\nAnother desk note.\n")
        assert builder.preview([ARTICLE])
        assert "Another desk note" in _html(root)
    finally:
        builder.close()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".briefdesk-site"
    }


def _retitle(root: Path) -> None:
    # Also the newest date (the sitemap's), in the same week: the list of pages (editions) stays.
    _edit(root, ARTICLE, "date: 2021-03-22", "date: 2021-03-28")
    _edit(root, ARTICLE, "Talks in Guilin", "Guilin talks")


UPDATES: dict[str, tuple[Callable[[Path], object], bool]] = {
    # edit, and whether the loaded MkDocs can render it (the same settings and list of pages)
    "an article's text": (
        lambda root: _edit(root, ARTICLE, "They also discussed Myanmar.", "They discussed Burma."),
        True,
    ),
    "an article's title and date": (_retitle, True),
    # Its page moves to articles/2020/: the HTML at the old address must go, as in a whole build.
    "an article re-dated into another year": (
        lambda root: _edit(root, ARTICLE, "date: 2021-03-22", "date: 2020-12-30"),
        False,
    ),
    "a new article": (
        lambda root: _add(
            root,
            "content/articles/2021/new.md",
            "---\ntitle: New\ndate: 2021-03-23\nsource: CGTN\n---\nTalks on Afghanistan in Kabul.\n",
        ),
        False,
    ),
}


@pytest.mark.parametrize(("edit", "loaded"), UPDATES.values(), ids=UPDATES.keys())
def test_serve_updates_leave_the_site_a_whole_build_would_write(
    make_project: ProjectFactory, tmp_path: Path, edit: Callable[[Path], object], loaded: bool
) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        edit(root)
        builder.preview([ARTICLE])  # shows the page first where it can, as serve does
        report = builder.rebuild(Diagnostics())
        assert ("rendered by the loaded MkDocs" in report.details.get("mkdocs", "")) is loaded
        thread = builder.start_catching_up()
        assert thread is not None
        thread.join()
    finally:
        builder.close()
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
    fresh = Diagnostics()
    build(BuildOptions(root=copy, cache=False), fresh)
    assert not fresh.errors
    served, whole = _tree(root / "site"), _tree(copy / "site")
    assert sorted(served) == sorted(whole)
    assert [path for path in whole if served[path] != whole[path]] == []


def test_the_loaded_mkdocs_reports_broken_links_as_a_dirty_build_would(make_project: ProjectFactory) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        article = root / ARTICLE
        article.write_text(article.read_text() + "\nSee [the earlier note](missing-note.md).\n")
        diagnostics = Diagnostics()
        report = builder.rebuild(diagnostics)
        assert "rendered by the loaded MkDocs" in report.details["mkdocs"]
        found = [str(item) for item in diagnostics]
        assert len(found) == 1 and "missing-note.md" in found[0], found
    finally:
        builder.close()
