"""The desk's view at the as-of date: each brief's news and every edition's changes (pure data).

The as-of date is the newest published article's date unless the build is told another
(`build --as-of`); nothing here reads the clock, so the same content gives the same pages.
An edition is the week (or month) that holds the as-of date; the brief says what is new since
it began. Every earlier period with articles has its own edition page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from builder.briefs.digest import Brief
from builder.editions.calendar import UNITS, Period, period_of
from builder.model import Article, Topic, TrendPoint, WatchEvent

ARROWS = {
    "deteriorated": "↓",
    "improved": "↑",
    "unchanged": "→",
    "risk": "⚠",
    "opportunity": "✦",
}
"""The sign shown before each trend status (the word is always shown beside it)."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a brief's timeline: an article, a passed watch event or a trend assessment."""

    date: dt.date
    article: Article | None = None
    event: WatchEvent | None = None
    trend: TrendPoint | None = None


@dataclass(frozen=True, slots=True)
class BriefNews:
    """What a brief says about the desk's judgement, the current edition and what is coming."""

    trend: TrendPoint | None
    """The newest assessment up to the as-of date."""
    history: tuple[TrendPoint, ...]
    """Every assessment up to the as-of date, oldest first: the marks on the coverage chart."""
    since: dt.date | None
    """The first day of the current edition; None when editions are off or there is no article."""
    new: frozenset[str]
    """Slugs of the developments dated in the current edition (up to the as-of date)."""
    new_trend: TrendPoint | None
    """The newest assessment dated in the current edition."""
    coming: tuple[WatchEvent, ...]
    """Watch events after the as-of date, soonest first."""
    timeline: tuple[TimelineEntry, ...]
    """The brief's timeline articles with passed watch events and assessments in their place."""


@dataclass(frozen=True, slots=True)
class EditionBrief:
    """One brief's part of an edition."""

    topic: Topic
    developments: tuple[Article, ...]
    """Developments dated in the edition, newest first."""
    trends: tuple[TrendPoint, ...]
    """Assessments dated in the edition, newest first."""
    upcoming: tuple[WatchEvent, ...]
    """Watch events of the next period, soonest first."""


@dataclass(frozen=True, slots=True)
class Edition:
    """What changed in one week or month, brief by brief."""

    period: Period
    following: Period
    """The next period, whose watch events the edition lists."""
    articles: int
    """Published articles dated in the period."""
    briefs: tuple[EditionBrief, ...]
    """Briefs with something new or coming: those with a trend change first, then the busiest."""
    newest: dt.date
    """The newest article's date in the period: the date the edition carries (feeds, e-mail)."""
    older: str | None = None
    """The previous edition's id (one with articles), None for the first."""
    newer: str | None = None

    @property
    def id(self) -> str:
        return self.period.id

    @property
    def page(self) -> str:
        return self.period.page

    @property
    def developments(self) -> int:
        return sum(len(b.developments) for b in self.briefs)


@dataclass(frozen=True, slots=True)
class Desk:
    """The site's as-of date, its current edition, each brief's news and every edition."""

    as_of: dt.date | None
    unit: str | None
    """`week`, `month`, or None when editions are off."""
    current: Period | None
    news: Mapping[str, BriefNews]
    """By topic id."""
    editions: tuple[Edition, ...]
    """Newest first."""


def desk_view(
    briefs: Sequence[Brief], articles: Sequence[Article], editions: str, as_of: dt.date | None = None
) -> Desk:
    """The desk's view: `articles` are the published ones, newest first; `editions` is the
    site's setting (`weekly`, `monthly`, `off`); `as_of` overrides the newest article's date."""
    day = as_of or (articles[0].date if articles else None)
    unit = UNITS.get(editions)
    current = period_of(day, unit) if unit and day else None
    news = {brief.topic.id: _news(brief, day, current) for brief in briefs}
    found = _editions(briefs, articles, unit, day) if unit and day else ()
    return Desk(day, unit, current, news, found)


def developments_of(brief: Brief) -> list[Article]:
    """The brief's developments, newest first: its articles about the topic, one per event (a
    report of an event shown earlier is not news again)."""
    return list(brief.events)


def _news(brief: Brief, day: dt.date | None, current: Period | None) -> BriefNews:
    topic = brief.topic
    history = tuple(t for t in topic.trend if day is None or t.date <= day)
    in_edition = [t for t in history if current is not None and current.holds(t.date)]
    new = (
        frozenset(a.slug for a in developments_of(brief) if current.start <= a.date <= day)
        if current is not None and day is not None
        else frozenset()
    )
    return BriefNews(
        trend=history[-1] if history else None,
        history=history,
        since=current.start if current is not None else None,
        new=new,
        new_trend=in_edition[-1] if in_edition else None,
        coming=tuple(w for w in topic.watch if day is None or w.date > day),
        timeline=_timeline(brief, day, history),
    )


def _timeline(brief: Brief, day: dt.date | None, history: Sequence[TrendPoint]) -> tuple[TimelineEntry, ...]:
    """The timeline's articles, newest first, with passed events and assessments in their place.

    Events older than the oldest article listed belong with the archive, not the brief's
    timeline, when articles were left off it.
    """
    shown = brief.timeline
    floor = shown[-1].date if shown and brief.older_articles else None
    passed = [w for w in brief.topic.watch if day is not None and w.date <= day]
    entries = [
        *(TimelineEntry(t.date, trend=t) for t in history if floor is None or t.date >= floor),
        *(TimelineEntry(w.date, event=w) for w in passed if floor is None or w.date >= floor),
    ]
    # Newest first; on one day the desk's assessment, then the scheduled event, then the reports.
    rank = {id(e): (0 if e.trend else 1, index) for index, e in enumerate(entries)}
    entries.sort(key=lambda e: (-e.date.toordinal(), rank[id(e)]))
    merged: list[TimelineEntry] = []
    pending = iter(shown)
    article = next(pending, None)
    for entry in entries:
        while article is not None and article.date > entry.date:
            merged.append(TimelineEntry(article.date, article=article))
            article = next(pending, None)
        merged.append(entry)
    while article is not None:
        merged.append(TimelineEntry(article.date, article=article))
        article = next(pending, None)
    return tuple(merged)


def _editions(
    briefs: Sequence[Brief], articles: Sequence[Article], unit: str, day: dt.date
) -> tuple[Edition, ...]:
    """One edition per period with published articles, up to the one holding `day`, newest first.

    Each brief's developments, assessments and events are sorted into periods once, so the work
    grows with the content, not with periods times content (ten years are 520 weekly editions).
    """
    periods: dict[str, tuple[Period, list[Article]]] = {}
    for article in articles:  # newest first
        if article.date > day:
            continue
        period = period_of(article.date, unit)
        periods.setdefault(period.id, (period, []))[1].append(article)
    by_brief = []
    for brief in sorted(briefs, key=lambda b: b.topic.title.casefold()):
        developments: dict[str, list[Article]] = defaultdict(list)
        for article in developments_of(brief):  # newest first
            developments[period_of(article.date, unit).id].append(article)
        trends: dict[str, list[TrendPoint]] = defaultdict(list)
        for point in reversed(brief.topic.trend):  # newest first
            trends[period_of(point.date, unit).id].append(point)
        events: dict[str, list[WatchEvent]] = defaultdict(list)
        for event in brief.topic.watch:  # soonest first
            events[period_of(event.date, unit).id].append(event)
        by_brief.append((brief.topic, developments, trends, events))
    ordered = list(periods.values())
    editions = []
    for index, (period, dated) in enumerate(ordered):
        following = period.following()
        parts = [
            EditionBrief(
                topic,
                tuple(developments.get(period.id, ())),
                tuple(trends.get(period.id, ())),
                tuple(events.get(following.id, ())),
            )
            for topic, developments, trends, events in by_brief
        ]
        parts = [p for p in parts if p.developments or p.trends or p.upcoming]
        # The desk's own calls lead: briefs whose trend changed, then the busiest, then by title.
        parts.sort(key=lambda p: (not p.trends, -len(p.developments)))
        editions.append(
            Edition(
                period=period,
                following=following,
                articles=len(dated),
                briefs=tuple(parts),
                newest=dated[0].date,
                newer=ordered[index - 1][0].id if index > 0 else None,
                older=ordered[index + 1][0].id if index + 1 < len(ordered) else None,
            )
        )
    return tuple(editions)
