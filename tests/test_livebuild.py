"""The builds behind `serve`: incremental updates, and the background catch-up that a new edit stops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError
from builder.livebuild import LiveBuilder
from builder.pipeline import BuildOptions
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
