"""The desk's judgement and the editions: topic keys, the brief's top, Coming up, the timeline,
the edition pages, their feed and e-mail bodies, built from the demo with the keys set on one topic."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build as run_build
from tests.conftest import REPO, ProjectFactory, copy_demo, run
from tests.sitecheck import tree_hashes

SITE_URL = "https://briefdesk.example.org/"

# The Sudan topic as this test writes it: its own judgement, trend and watch list, so that what
# the brief shows can be checked against values the test chose (the demo's may change).
SUDAN = """\
---
title: Sudan
aliases: [Sudan, Sudanese, Khartoum, Hamdok, Burhan]
region: Africa
bottom_line: The army holds power without a civilian partner.
reviewed: 2021-11-21
trend:
  - date: 2021-10-25
    status: deteriorated
    note: The army dissolved the civilian institutions
  - date: 2021-11-21
    status: risk
    note: The street rejects the deal that returned Hamdok
watch:
  - date: 2022-06-03
    event: The UN mission's mandate runs out
    url: https://example.org/unitams
  - date: 2021-11-25
    event: Protest day called by the resistance committees
---
The transition after Omar al-Bashir.
"""


def _demo(root: Path, *, site_url: str | None = SITE_URL) -> Path:
    copy_demo(root, site_url=site_url)
    (root / "content/topics/sudan.md").write_text(SUDAN, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with the test's Sudan topic, built whole (HTML, feeds, e-mail bodies)."""
    root = _demo(tmp_path_factory.mktemp("editions") / "desk")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def _lines(page: Path) -> list[str]:
    return page.read_text(encoding="utf-8").splitlines()


def _section(lines: list[str], heading: str) -> list[str]:
    """The non-empty lines under `## heading`, up to the next `## `."""
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line.strip()]


def _weeks_with_articles() -> list[str]:
    """The ISO weeks of the demo's published articles, newest first, read from the files."""
    weeks = set()
    for path in (REPO / "content/articles").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^draft: true$", text, re.M):
            continue
        day = dt.date.fromisoformat(re.search(r"^date: (\S+)$", text, re.M)[1])  # type: ignore[index]
        year, week, _ = day.isocalendar()
        weeks.add(f"{year:04d}-w{week:02d}")
    return sorted(weeks, reverse=True)


def test_the_brief_opens_with_the_trend_the_bottom_line_and_what_is_new(demo: Path) -> None:
    lines = _lines(demo / "build/docs/topics/sudan.md")
    top = lines[lines.index("# Sudan") : lines.index("## Overview")]
    assert (
        '**Trend:** <span class="bd-trend bd-trend--risk"><span aria-hidden="true">⚠</span> Risk</span>, '
        "21 November 2021: The street rejects the deal that returned Hamdok"
    ) in top
    assert (
        "**Bottom line** (reviewed 21 November 2021): The army holds power without a civilian partner." in top
    )
    # The site speaks from its newest article (22 December 2021): the edition began on Monday 20th.
    assert "**Since 20 December:** no new developments" in top
    # The trend history is drawn on the chart, one mark per assessment, with a text alternative.
    chart = next(line for line in top if line.startswith('<figure class="bd-chart">'))
    assert chart.count('class="bd-trend-mark bd-trend--') == 2
    assert (
        "The desk&#x27;s trend assessments: deteriorated, 25 October 2021; risk, 21 November 2021." in chart
    )
    assert "<caption>The desk's trend assessments</caption>" in chart


def test_coming_up_lists_only_future_events(demo: Path) -> None:
    lines = _lines(demo / "build/docs/topics/sudan.md")
    assert _section(lines, "Coming up") == [
        "- **3 June 2022** · [The UN mission's mandate runs out](https://example.org/unitams)"
    ]
    order = [line.removeprefix("## ") for line in lines if line.startswith("## ")]
    assert order.index("Coming up") == order.index("Positions") + 1
    assert order.index("Timeline") == order.index("Coming up") + 1
    # A topic with no watch event after the as-of date has no Coming up at all.
    assert "## Coming up" not in (demo / "build/docs/topics/arctic.md").read_text(encoding="utf-8")


def test_passed_events_and_trend_changes_stand_in_the_timeline_in_their_place(demo: Path) -> None:
    timeline = _section(_lines(demo / "build/docs/topics/sudan.md"), "Timeline")
    assert timeline[:4] == [
        "- **25 November 2021** · Scheduled: Protest day called by the resistance committees",
        '- **21 November 2021** · **The desk\'s assessment:** <span class="bd-trend bd-trend--risk">'
        '<span aria-hidden="true">⚠</span> Risk</span>: The street rejects the deal that returned Hamdok',
        "- **21 November 2021** · [Hamdok reinstated as Sudan's prime minister under deal with the army]"
        "(../articles/2021/sudan-hamdok-reinstated.md) · Al Jazeera",
        '- **25 October 2021** · **The desk\'s assessment:** <span class="bd-trend bd-trend--deteriorated">'
        '<span aria-hidden="true">↓</span> Deteriorated</span>: The army dissolved the civilian institutions',
    ]


def test_as_of_moves_the_edition_what_is_new_and_what_is_coming(tmp_path: Path) -> None:
    root = _demo(tmp_path / "desk")
    assert run("build", "--project", root, "--markdown-only", "--as-of", "2021-11-21").exit_code == 0
    lines = _lines(root / "build/docs/topics/sudan.md")
    assert "**Since 15 November:** 1 new development; trend: risk" in lines
    assert _section(lines, "Coming up") == [
        "- **25 November 2021** · Protest day called by the resistance committees",
        "- **3 June 2022** · [The UN mission's mandate runs out](https://example.org/unitams)",
    ]
    assert not any("Scheduled: Protest day" in line for line in _section(lines, "Timeline"))
    new = [
        line for line in _section(lines, "Latest developments") if line.startswith('<mark class="bd-new">')
    ]
    assert len(new) == 1 and "**21 November 2021**" in new[0]
    # The editions stop at the as-of date: the newest is the week that holds it.
    index = (root / "build/docs/editions/index.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\((\d{4}-w\d\d)\.md\)", index)[0] == "2021-w46"
    assert not (root / "build/docs/editions/2021-w51.md").exists()
    home = (root / "build/docs/index.md").read_text(encoding="utf-8")
    assert "| Brief | Trend | New since 15 November | Articles | Coverage | Last update |" in home


def test_a_bad_as_of_date_is_a_usage_error(tmp_path: Path) -> None:
    root = _demo(tmp_path / "desk")
    result = run("build", "--project", root, "--as-of", "2021-02-30")
    assert result.exit_code == 2
    assert "--as-of: '2021-02-30' is not a real calendar date (February 2021 has 28 days)" in result.output


def test_the_home_page_shows_each_briefs_trend_and_new_developments(demo: Path) -> None:
    home = _lines(demo / "build/docs/index.md")
    assert "| Brief | Trend | New since 20 December | Articles | Coverage | Last update |" in home
    sudan = next(line for line in home if line.startswith("| [Sudan](topics/sudan.md)"))
    cells = [cell.strip() for cell in sudan.split(" | ")]
    assert cells[1] == '<span class="bd-trend bd-trend--risk"><span aria-hidden="true">⚠</span> risk</span>'
    assert cells[2] == "0 new"
    afghanistan = next(line for line in home if line.startswith("| [Afghanistan](topics/afghanistan.md)"))
    assert afghanistan.split(" | ")[2] == "1 new"  # the Security Council's exemption, 22 December


def test_one_edition_page_per_week_with_articles_newest_first(demo: Path) -> None:
    weeks = _weeks_with_articles()
    pages = sorted(p.stem for p in (demo / "build/docs/editions").glob("*.md") if p.stem != "index")
    assert pages == sorted(weeks)
    index = (demo / "build/docs/editions/index.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\((\d{4}-w\d\d)\.md\)", index) == weeks
    edition = _lines(demo / "build/docs/editions/2021-w43.md")
    assert edition[3] == "# Week 43, 2021: what changed"
    assert _section(edition, "Sudan") == [
        '- **Trend:** <span class="bd-trend bd-trend--deteriorated"><span aria-hidden="true">↓</span> '
        "Deteriorated</span>, 25 October 2021: The army dissolved the civilian institutions",
        "- **25 October 2021** · [Sudan's military dissolves transitional government and detains Prime "
        "Minister Hamdok](../articles/2021/sudan-military-takeover.md) · Al Jazeera",
        "[The Sudan brief](../topics/sudan.md)",
    ]
    # The week before the protest day lists it under the next week's events.
    w46 = _section(_lines(demo / "build/docs/editions/2021-w46.md"), "Sudan")
    assert "- Next week, **25 November 2021** · Protest day called by the resistance committees" in w46
    html = (demo / "site/editions/2021-w43/index.html").read_text(encoding="utf-8")
    assert "Week 43, 2021: what changed" in html


def test_the_editions_feed_has_one_entry_per_edition(demo: Path) -> None:
    feed = feedparser.parse((demo / "site/feeds/editions.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    weeks = _weeks_with_articles()
    assert [entry.link for entry in feed.entries] == [f"{SITE_URL}editions/{week}/" for week in weeks]
    assert (
        len({entry.id for entry in feed.entries})
        == len({entry.title for entry in feed.entries})
        == len(weeks)
    )
    assert feed.entries[0].title == "Week 51, 2021 (20–26 December 2021)"
    assert feed.entries[0].updated.startswith("2021-12-22")


def test_the_e_mail_body_is_self_contained(demo: Path) -> None:
    for week in _weeks_with_articles():
        text = (demo / f"site/editions/{week}/email.html").read_text(encoding="utf-8")
        tree = lxml.html.document_fromstring(text)
        assert not tree.xpath("//script | //style | //link | //img | //iframe | //@src | //@class")
        assert not [name for element in tree.iter() for name in element.attrib if name.startswith("on")]
        assert all(
            element.get("style") for element in tree.xpath("//body | //table | //td | //p | //h1 | //h2")
        )
        links = tree.xpath("//a/@href")
        assert links and all(href.startswith(("https://", "http://")) for href in links)
    body = (demo / "site/editions/2021-w43/email.html").read_text(encoding="utf-8")
    assert f'href="{SITE_URL}articles/2021/sudan-military-takeover/"' in body
    assert f'href="{SITE_URL}topics/sudan/"' in body


def test_without_site_url_the_e_mail_says_links_need_it(tmp_path: Path) -> None:
    root = _demo(tmp_path / "desk", site_url=None)
    config = root / "site_config.yml"
    config.write_text(
        "".join(line for line in config.read_text().splitlines(True) if not line.startswith("site_url:"))
    )
    assert run("build", "--project", root).exit_code == 0
    body = (root / "site/editions/2021-w43/email.html").read_text(encoding="utf-8")
    assert "Links need <code>site_url</code> in site_config.yml" in body
    assert "<a " not in body


def test_editions_off_writes_no_edition(tmp_path: Path) -> None:
    root = _demo(tmp_path / "desk")
    with (root / "site_config.yml").open("a", encoding="utf-8") as stream:
        stream.write("editions: off\n")
    assert run("build", "--project", root).exit_code == 0
    assert not (root / "build/docs/editions").exists()
    assert not (root / "site/feeds/editions.xml").exists()
    lines = _lines(root / "build/docs/topics/sudan.md")
    assert not any(line.startswith("**Since") for line in lines)
    assert "| Brief | Trend | Articles | Coverage | Last update |" in _lines(root / "build/docs/index.md")


def test_monthly_editions(tmp_path: Path) -> None:
    root = _demo(tmp_path / "desk")
    with (root / "site_config.yml").open("a", encoding="utf-8") as stream:
        stream.write("editions: monthly\n")
    assert run("build", "--project", root, "--markdown-only").exit_code == 0
    assert "**Since 1 December:**" in (root / "build/docs/topics/sudan.md").read_text(encoding="utf-8")
    edition = _lines(root / "build/docs/editions/2021-10.md")
    assert edition[3] == "# October 2021: what changed"
    assert "1–31 October 2021" in edition[5]


def test_two_builds_give_identical_bytes(demo: Path, tmp_path: Path) -> None:
    again = _demo(tmp_path / "again")
    assert run("build", "--project", again, "--no-cache").exit_code == 0
    ours, theirs = tree_hashes(demo / "site"), tree_hashes(again / "site")
    assert [name for name in sorted({*ours, *theirs}) if ours.get(name) != theirs.get(name)] == []
    assert tree_hashes(demo / "build/docs") == tree_hashes(again / "build/docs")


def test_an_edit_in_an_old_edition_renders_that_editions_page_again_and_no_other(
    demo: Path, tmp_path: Path
) -> None:
    root = tmp_path / "desk"
    shutil.copytree(demo, root)
    assert run("build", "--project", root).exit_code == 0  # settle the copy's record of its site
    editions = root / "site/editions"
    before_html = {p: os.stat(p).st_ino for p in editions.rglob("*.html")}
    before_docs = tree_hashes(root / "build/docs/editions")
    article = root / "content/articles/2021/sudan-military-takeover.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^(title: .*)$", r"\1 again", text, count=1, flags=re.M), encoding="utf-8")
    report = run_build(BuildOptions(root=root), Diagnostics())
    assert report.html_rendered is not None  # staged from the previous site
    after_docs = tree_hashes(root / "build/docs/editions")
    assert sorted(p for p in after_docs if after_docs[p] != before_docs.get(p)) == ["2021-w43.md"]
    rewritten = sorted(
        str(p.relative_to(editions))
        for p in editions.rglob("*.html")
        if os.stat(p).st_ino != before_html.get(p)
    )
    assert rewritten == ["2021-w43/email.html", "2021-w43/index.html"]


# --- the new keys' diagnostics: one each, and the last good site stays --------------------------

TOPIC_HEAD = "---\ntitle: Afghanistan\naliases: [Afghanistan, Afghan, Kabul]\nregion: Asia\n"
BAD_VALUES = {
    "trend status": (
        "trend:\n  - date: 2021-03-22\n    status: worse\n    note: Talks stall\n",
        "content/topics/afghanistan.md:7: error: item 1 of 'trend': 'status' must be one of 'deteriorated', "
        "'improved', 'unchanged', 'risk' or 'opportunity', found the text 'worse'",
    ),
    "trend date": (
        "trend:\n  - date: 2021-02-30\n    status: risk\n    note: Talks stall\n",
        "content/topics/afghanistan.md:6: error: item 1 of 'trend': 'date': '2021-02-30' is not a real "
        "calendar date (February 2021 has 28 days)",
    ),
    "trend note": (
        "trend:\n  - date: 2021-03-22\n    status: risk\n",
        "content/topics/afghanistan.md:6: error: item 1 of 'trend' has no 'note': each item needs date, "
        "status and note",
    ),
    "watch without event": (
        "watch:\n  - date: 2021-05-01\n",
        "content/topics/afghanistan.md:6: error: item 1 of 'watch' has no 'event': each item needs date and "
        "event (url is optional)",
    ),
    "watch without date": (
        "watch:\n  - event: Withdrawal deadline\n",
        "content/topics/afghanistan.md:6: error: item 1 of 'watch' has no 'date': each item needs date and "
        "event (url is optional)",
    ),
    "watch key misspelt": (
        "watch:\n  - date: 2021-05-01\n    event: Withdrawal deadline\n    ulr: https://example.org/\n",
        "content/topics/afghanistan.md:8: error: item 1 of 'watch': unknown key 'ulr'. Did you mean 'url'?",
    ),
    "bottom line without reviewed": (
        "bottom_line: The talks are stuck.\n",
        "content/topics/afghanistan.md:5: error: 'bottom_line' needs 'reviewed: YYYY-MM-DD', the day the "
        "desk last confirmed it",
    ),
    "reviewed date": (
        "bottom_line: The talks are stuck.\nreviewed: 2021-13-01\n",
        "content/topics/afghanistan.md:6: error: 'reviewed': '2021-13-01' is not a real calendar date "
        "(there is no month 13)",
    ),
}
CONFIG_VALUES = {
    "editions": (
        "editions: daily\n",
        "site_config.yml:2: error: 'editions': expected one of 'weekly', 'monthly' or 'off', found the text "
        "'daily'",
    ),
    "stale_after_days": (
        "briefs:\n  stale_after_days: 0\n",
        "site_config.yml:3: error: 'briefs.stale_after_days': Input should be greater than or equal to 1",
    ),
}


def test_a_bad_value_in_a_new_key_gives_one_diagnostic_and_keeps_the_last_good_site(
    make_project: ProjectFactory,
) -> None:
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    good = tree_hashes(root / "site")
    topic = root / "content/topics/afghanistan.md"
    config = root / "site_config.yml"
    original_topic, original_config = topic.read_text(), config.read_text()
    cases = [
        (topic, TOPIC_HEAD + keys + "---\nThe Afghan peace process.\n", message)
        for keys, message in BAD_VALUES.values()
    ]
    cases += [(config, original_config + keys, message) for keys, message in CONFIG_VALUES.values()]
    for path, text, message in cases:
        path.write_text(text, encoding="utf-8")
        result = run("build", "--project", root)
        diagnostics = [
            line for line in result.output.splitlines() if ": error: " in line or ": warning: " in line
        ]
        assert (result.exit_code, diagnostics) == (1, [message])
        assert tree_hashes(root / "site") == good
        topic.write_text(original_topic, encoding="utf-8")
        config.write_text(original_config, encoding="utf-8")


def test_check_warns_when_a_bottom_line_is_older_than_the_news(make_project: ProjectFactory) -> None:
    keys = "bottom_line: The talks are stuck.\nreviewed: 2021-02-01\n"
    root = make_project({"content/topics/afghanistan.md": TOPIC_HEAD + keys + "---\nThe peace process.\n"})
    result = run("check", "--project", root)
    message = (
        "content/topics/afghanistan.md:6: warning: the bottom line was reviewed on 2021-02-01, 49 days before "
        "the topic's newest development (2021-03-22); confirm or rewrite it and update 'reviewed' (the limit, "
        "briefs.stale_after_days, is 30)"
    )
    assert result.exit_code == 0 and message in result.output.splitlines()
    assert run("check", "--project", root, "--strict").exit_code == 1
    # Within the limit (here raised to 60 days), nothing to say.
    (root / "site_config.yml").write_text("site_name: Test desk\nbriefs:\n  stale_after_days: 60\n")
    assert ": warning: " not in run("check", "--project", root).output


# --- as a reader sees it: Chromium ---------------------------------------------------------------


@pytest.mark.slow
def test_the_briefs_top_and_the_e_mail_in_chromium(demo: Path, tmp_path: Path) -> None:
    from tests.browser import chromium, serve

    folder = Path(os.environ.get("BRIEFDESK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    colours = {}
    with serve(demo / "site") as url, chromium() as browser:
        for name, scheme, (width, height) in (
            ("light", "light", (1280, 900)),
            ("dark", "dark", (1280, 900)),
            ("phone", "light", (390, 844)),
        ):
            page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": height})
            page.goto(url + "topics/sudan/")
            judgement = page.locator(".bd-judgement")
            assert judgement.inner_text().splitlines()[0].startswith("Trend: ⚠ Risk, 21 November 2021")
            mark = page.locator(".bd-trend-mark").first
            fill = mark.evaluate("e => getComputedStyle(e).fill")
            word = page.locator(".bd-judgement .bd-trend").evaluate("e => getComputedStyle(e).color")
            assert fill not in ("none", "rgb(0, 0, 0)"), fill
            colours.setdefault(scheme, (fill, word))
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1, name
            page.screenshot(path=str(folder / f"brief-top-{name}.png"))
            page.close()
        assert colours["light"] != colours["dark"]  # each scheme has its own, legible colours
        page = browser.new_page(viewport={"width": 600, "height": 900})
        page.goto(url + "editions/2021-w43/email.html")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        card = page.locator("body > table table").first.bounding_box()
        assert card is not None and card["width"] <= 600
        assert "Week 43, 2021: what changed" in page.locator("h1").inner_text()
        page.screenshot(path=str(folder / "email-600.png"), full_page=True)
        page.close()


def test_a_topic_cannot_take_the_editions_feeds_name(make_project: ProjectFactory) -> None:
    root = make_project({"content/topics/editions.md": "---\ntitle: Editions\n---\n"})
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert (
        "content/topics/editions.md:1: error: the topic id 'editions' is taken: feeds/editions.xml is the "
        "editions' feed; rename the file (e.g. editions-topic.md)"
    ) in result.output.splitlines()


def test_an_article_moved_to_another_week_leaves_the_site_a_clean_build_writes(
    demo: Path, tmp_path: Path
) -> None:
    root = tmp_path / "desk"
    shutil.copytree(demo, root)
    assert run("build", "--project", root).exit_code == 0  # settle the copy's record of its site
    article = root / "content/articles/2021/sudan-military-takeover.md"
    article.write_text(article.read_text(encoding="utf-8").replace("date: 2021-10-25", "date: 2021-11-01"))
    report = run_build(BuildOptions(root=root), Diagnostics())
    assert report.html_rendered is not None  # staged from the previous site
    assert not (root / "site/editions/2021-w43").exists()  # that week has no article left
    clean = tmp_path / "clean"
    shutil.copytree(root / "content", clean / "content")
    shutil.copy(root / "site_config.yml", clean)
    assert run("build", "--project", clean, "--no-cache").exit_code == 0
    ours, theirs = tree_hashes(root / "site"), tree_hashes(clean / "site")
    assert [name for name in sorted({*ours, *theirs}) if ours.get(name) != theirs.get(name)] == []
