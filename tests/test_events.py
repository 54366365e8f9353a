"""One event, one entry: reports of the same event are grouped, and different events never are."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from rapidfuzz import fuzz

from builder.briefs.assembly import assemble
from builder.briefs.events import events, wording_of
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.feeds.atom import site_feed, topic_feed
from builder.model import Article
from builder.pipeline.pipeline import route_articles
from tests.briefcheck import section
from tests.conftest import copy_demo, run, shared
from tests.test_routing import article

COUNCIL_SYRIA = """\
The Security Council on Friday renewed for twelve months the authorisation for United Nations aid convoys to cross into northwest Syria from Turkey at Bab al-Hawa, after Russia and the United States agreed on a text.

The resolution was adopted unanimously. Ambassador Linda Thomas-Greenfield said families in Idlib could count on food and medicine for another year; Russia's Vassily Nebenzia said the vote showed the Council could still agree.
"""
COUNCIL_AFGHANISTAN = """\
The Security Council on Friday heard a briefing on the humanitarian situation in Afghanistan, where the United Nations said more than half of the population faced acute hunger this winter.

Ambassador Linda Thomas-Greenfield said the United States would keep funding aid agencies in Kabul; Russia's Vassily Nebenzia called for frozen Afghan assets to be released.
"""
MEETING = """\
The foreign ministers of Freedonia and Sylvania met in Port Avalon on Monday and agreed to reopen the Kessel border crossing, closed since the floods, and to set up a joint commission on the Marrow river dam.

Freedonia's Minister Ada Quill said trade across the Kessel crossing would resume within a month. Sylvania's Minister Boris Lant said the Marrow commission would meet every quarter.
"""
MEETING_RETOLD = """\
Sylvania and Freedonia will reopen the Kessel border crossing, their foreign ministers said after talks in Port Avalon, and a joint commission will oversee the disputed Marrow river dam.

Speaking to reporters, Boris Lant of Sylvania said the Marrow commission would meet four times a year, while Ada Quill of Freedonia promised trade through Kessel within weeks.
"""
FOLLOW_UP = """\
The foreign ministers of Freedonia and Sylvania met again in Port Avalon on Monday, a week after agreeing to reopen the Kessel border crossing, and reviewed the work of the joint commission on the Marrow river dam.

Freedonia's Minister Ada Quill said the first trucks had crossed at Kessel. Sylvania's Minister Boris Lant said the Marrow commission had held its first meeting.
"""


def report(slug: str, body: str, day: int, source: str, actors: tuple[str, ...] = ()) -> Article:
    return dataclasses.replace(
        article(body, actors=actors),
        slug=slug,
        path=f"content/articles/{slug}.md",
        date=dt.date(2021, 3, day),
        source=source,
    )


def grouped(*reports: tuple[Article, tuple[str, ...]]) -> list[list[str]]:
    found = events([a for a, _ in reports], {a.slug: about for a, about in reports})
    return sorted({tuple(a.slug for a in group) for group in found.values()})  # type: ignore[arg-type]


def test_two_council_meetings_on_one_day_stay_apart() -> None:
    syria = report("council-syria", COUNCIL_SYRIA, 12, "UN News", ("united-nations", "russia"))
    afghanistan = report(
        "council-afghanistan", COUNCIL_AFGHANISTAN, 12, "UN News", ("united-nations", "russia")
    )
    assert grouped((syria, ("syria", "us-relations")), (afghanistan, ("afghanistan", "us-relations"))) == []


def test_two_outlets_reports_of_one_meeting_are_one_event_and_a_follow_up_is_not() -> None:
    first = report("ministers-meet", MEETING, 22, "Freedonia Daily", ("freedonia", "sylvania"))
    retold = report("ministers-agree", MEETING_RETOLD, 23, "Sylvania Post", ("sylvania",))
    later = report("ministers-meet-again", FOLLOW_UP, 29, "Freedonia Daily", ("freedonia", "sylvania"))
    topics = ("border", "dams")
    assert grouped((first, topics), (retold, topics), (later, topics)) == [
        ("ministers-meet", "ministers-agree")
    ]
    # The same follow-up a day after the meeting is still not the same text, nor (with other topics) one meeting.
    soon = dataclasses.replace(later, date=dt.date(2021, 3, 23))
    assert grouped((first, topics), (soon, ("trade",))) == []


def test_a_reprint_with_its_own_dateline_and_cuts_is_one_text() -> None:
    original = report("wire", MEETING, 22, "Wire")
    reprint_body = "PORT AVALON (Sylvania Post): " + MEETING.split("\n\n")[0] + "\n"
    reprint = report("reprint", reprint_body, 24, "Sylvania Post")
    assert grouped((original, ()), (reprint, ())) == [("wire", "reprint")]
    too_late = dataclasses.replace(reprint, date=dt.date(2021, 3, 29))
    assert grouped((original, ()), (too_late, ())) == []


# Formulaic copy: two different stories made of one stock of short phrases, as wire round-ups are.
SUBJECTS = (
    "Ceasefire talks",
    "Grain shipments",
    "Prisoner releases",
    "Border patrols",
    "Aid convoys",
    "Election preparations",
    "Water rationing",
    "Fuel imports",
)
PREDICATES = (
    "stalled again",
    "resumed quietly",
    "slowed sharply",
    "expanded slightly",
    "continued unevenly",
    "faltered badly",
    "improved markedly",
    "stopped abruptly",
)
PLACES = (
    "near Kessel",
    "around Marrow",
    "outside Avalon",
    "beyond Lantry",
    "across Dunmoor",
    "inside Tresk",
    "along Varna",
    "throughout Oskel",
)


def round_up(shift: int) -> str:
    """Eight sentences pairing each subject with a predicate and a place `shift` places along:
    the same words, in other combinations."""
    n = len(SUBJECTS)
    return (
        " ".join(
            f"{s} {PREDICATES[(i + shift) % n]} {PLACES[(i + 3 * shift) % n]} yesterday."
            for i, s in enumerate(SUBJECTS)
        )
        + "\n"
    )


def test_two_stories_in_one_stock_of_phrases_are_not_one_text() -> None:
    """Their words are the same (rapidfuzz's set ratio scores them as one text); their order is not."""
    monday = report("round-up-monday", round_up(0), 22, "Wire")
    tuesday = report("round-up-tuesday", round_up(1), 23, "Wire")
    assert fuzz.token_set_ratio(wording_of(monday).words, wording_of(tuesday).words) >= 90
    assert grouped((monday, ()), (tuesday, ())) == []
    # The same round-up sent again the next day is one text.
    again = report("round-up-again", "CAPITAL (Wire): " + round_up(0), 23, "Wire")
    assert grouped((monday, ()), (again, ())) == [("round-up-monday", "round-up-again")]


def test_a_group_never_joins_reports_that_do_not_all_match() -> None:
    """Complete linkage: A~B and B~C (a reprint of B a day later) but not A~C: A joins no group with C."""
    first = report("ministers-meet", MEETING, 22, "Freedonia Daily", ("freedonia", "sylvania"))
    retold = report("ministers-agree", MEETING_RETOLD, 23, "Sylvania Post", ("sylvania",))
    copy = report("ministers-agree-copy", MEETING_RETOLD, 25, "Kessel Courier", ("sylvania",))
    topics = ("border", "dams")
    groups = grouped((first, topics), (retold, topics), (copy, topics))
    assert len(groups) == 1 and "ministers-agree" in groups[0]
    assert not {"ministers-meet", "ministers-agree-copy"} <= set(groups[0])


SOURCES = ("CGTN", "Xinhua", "Global Times")


@pytest.fixture(scope="module")
def guilin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with the seed clipping imported as CGTN's and published, and a republished copy of
    it from another outlet the next day (its own dateline, its last paragraph cut)."""
    seed = shared("seed", "guilin-meeting-2021-03-22.txt")
    root = copy_demo(tmp_path_factory.mktemp("events") / "demo")
    result = run("import", seed, "--source", "CGTN", "--project", root)
    assert result.exit_code == 0, result.output
    # Import says the archive already has the event, and writes the draft all the same.
    assert result.stderr.splitlines() == [
        "warning: this looks like content/articles/2021/guilin-wang-yi-lavrov-talks.md (Xinhua, 22 March 2021): "
        "the same event; it will be grouped with it"
    ]
    draft = root / "content/articles/2021/2021-03-22-china-russia-discuss-strategic-regional-global-issues.md"
    text = draft.read_text(encoding="utf-8").replace("draft: true\n", "")
    draft.write_text(text, encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    paragraphs = body.strip().split("\n\n")
    copy = (
        head.replace("source: CGTN", "source: Global Times").replace("date: 2021-03-22", "date: 2021-03-23")
        + "\n---\n\n"
        + "\n\n".join([re.sub(r"^BEIJING, China:", "GUILIN, March 23:", paragraphs[0]), *paragraphs[1:-1]])
        + "\n"
    )
    (root / "content/articles/2021/2021-03-23-china-russia-talks-reprinted.md").write_text(
        copy, encoding="utf-8"
    )
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("brief", ["afghanistan", "myanmar", "iran-nuclear"])
def test_three_reports_of_the_guilin_meeting_are_one_development(guilin: Path, brief: str) -> None:
    text = (guilin / f"build/docs/topics/{brief}.md").read_text(encoding="utf-8")
    developments = section(text, "Latest developments").partition("**Also mentioned in**")[0]
    headers = [
        line
        for line in developments.splitlines()
        if line.startswith("**22 March 2021**") or line.startswith("**23 March 2021**")
    ]
    assert len(headers) == 1, headers
    (header,) = headers
    quoted = header.split(" · ")[1]
    others = [s for s in SOURCES if s != quoted]
    assert quoted in SOURCES
    assert " · also reported by " in header
    for source in others:
        assert re.search(rf"\[{source}\]\(\.\./articles/2021/[a-z0-9-]+\.md\), 2[23] March 2021", header), (
            source
        )
    timeline = section(text, "Timeline").splitlines()
    guilin_lines = [
        line for line in timeline if line.startswith(("- **22 March 2021**", "- **23 March 2021**"))
    ]
    assert len(guilin_lines) == 1 and all(s in guilin_lines[0] for s in SOURCES), guilin_lines


def test_each_report_links_the_others_and_feeds_hold_one_entry(guilin: Path) -> None:
    pages = {
        "guilin-wang-yi-lavrov-talks": "Xinhua",
        "2021-03-22-china-russia-discuss-strategic-regional-global-issues": "CGTN",
        "2021-03-23-china-russia-talks-reprinted": "Global Times",
    }
    for slug in pages:
        text = (guilin / f"build/docs/articles/2021/{slug}.md").read_text(encoding="utf-8")
        line = next(line for line in text.splitlines() if line.startswith("**Other reports of this event:**"))
        for other_slug, other in pages.items():
            assert (f"({other_slug}.md) ({other}," in line) == (other_slug != slug), (slug, line)
    project = load_project(guilin, Diagnostics())
    assert project is not None
    site = assemble(project, route_articles(project))
    brief = next(b for b in site.briefs if b.topic.id == "afghanistan")
    entries = feedparser.parse(topic_feed(site, brief)).entries
    march = [e for e in entries if e.published.startswith(("2021-03-22", "2021-03-23"))]
    assert len(march) == 1 and "Also reported by" in march[0].content[0].value
    everything = feedparser.parse(site_feed(site)).entries
    reports = [e for e in everything if any(e.link.endswith(f"/{slug}/") for slug in pages)]
    assert len(reports) == 1 and "Also reported by" in reports[0].content[0].value, [e.link for e in reports]


def test_an_event_is_new_once_in_the_edition_that_holds_it(guilin: Path, tmp_path: Path) -> None:
    # Seen from 23 March, the Guilin meeting is new this week: one development marked New, counted
    # once in the brief's "Since" line and on the week's edition page, whichever report is shown.
    root = tmp_path / "demo"
    shutil.copytree(guilin, root, ignore=shutil.ignore_patterns("build", "site", ".briefdesk*"))
    result = run("build", "--project", root, "--markdown-only", "--as-of", "2021-03-23")
    assert result.exit_code == 0, result.output
    docs = root / "build/docs"
    for brief in ("afghanistan", "myanmar", "iran-nuclear"):
        text = (docs / f"topics/{brief}.md").read_text(encoding="utf-8")
        assert "**Since 22 March:** 1 new development" in text, brief
        developments = section(text, "Latest developments")
        marked = [
            line for line in developments.splitlines() if line.startswith('<mark class="bd-new">New</mark>')
        ]
        assert len(marked) == 1 and " · also reported by " in marked[0], marked
    # Each brief of the week lists the meeting once, by the report its brief shows.
    edition = (docs / "editions/2021-w12.md").read_text(encoding="utf-8")
    parts = edition.split("\n## ")[1:]
    reports = re.compile(
        r"\]\(\.\./articles/2021/(guilin-wang-yi-lavrov-talks|2021-03-22-china-russia-discuss-strategic-"
        r"regional-global-issues|2021-03-23-china-russia-talks-reprinted)\.md\)"
    )
    assert len(parts) == 9 and all(len(reports.findall(part)) == 1 for part in parts), parts
    assert "2021-03-23-china-russia-talks-reprinted.md" not in edition  # never the later copy


def test_a_story_sent_to_many_papers_names_four_of_them(tmp_path: Path) -> None:
    # A wire story reprinted by six papers the same day: the brief's line and the feed name four
    # other reports and count the rest; the article page lists every one.
    root = copy_demo(tmp_path / "demo")
    original = root / "content/articles/2021/guilin-wang-yi-lavrov-talks.md"
    text = original.read_text(encoding="utf-8")
    papers = ["Daily One", "Daily Two", "Daily Three", "Daily Four", "Daily Five", "Daily Six"]
    for number, paper in enumerate(papers, 1):
        copy = re.sub(r"(?m)^source: .*$", f"source: {paper}", text)
        copy = re.sub(r"(?m)^url: .*\n", "", copy)
        (root / f"content/articles/2021/guilin-reprint-{number}.md").write_text(copy, encoding="utf-8")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    brief = (root / "build/docs/topics/afghanistan.md").read_text(encoding="utf-8")
    (header,) = [
        line for line in section(brief, "Latest developments").splitlines() if "also reported by" in line
    ]
    assert header.count("](../articles/2021/") == 1 + 4, header  # the report shown, and four others
    assert header.endswith(" and 2 other reports"), header
    page = next((root / "build/docs/articles/2021").glob("guilin-*.md")).read_text(encoding="utf-8")
    (listed,) = [line for line in page.splitlines() if line.startswith("**Other reports of this event:**")]
    assert listed.count("](") == 6, listed
    project = load_project(root, Diagnostics())
    assert project is not None
    site = assemble(project, route_articles(project))
    afghanistan = next(b for b in site.briefs if b.topic.id == "afghanistan")
    (entry,) = [
        e
        for e in feedparser.parse(topic_feed(site, afghanistan)).entries
        if "Also reported by" in e.content[0].value
    ]
    assert (
        entry.content[0].value.count("<a href")
        - entry.content[0].value.split("Also reported by")[0].count("<a href")
        == 4
    )
    assert "and 2 other reports</p>" in entry.content[0].value
