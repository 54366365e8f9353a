"""The date of what each page shows: the newest article it draws on.

Feeds and the sitemap read these dates, never the clock, so a page's date moves only when what it
shows gains a newer article, and a rebuild of the same content writes the same dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from builder.briefs.assembly import Site


def newest(dates: Iterable[dt.date | None]) -> dt.date | None:
    """The latest of `dates` (None ones left out), or None if there is none."""
    return max((day for day in dates if day is not None), default=None)


def site_date(site: Site) -> dt.date | None:
    """The newest published article's date: what the home page and the timeline show last."""
    return site.articles[0].article.date if site.articles else None


def page_dates(site: Site) -> dict[str, dt.date | None]:
    """Each docs/ page's date (None for a page that shows no article yet), in a stable order."""
    newest_article = site_date(site)
    dates: dict[str, dt.date | None] = {
        "index.md": newest_article,
        "timeline.md": newest_article,
        # The actors index counts each actor's articles: it changes with the newest that lists one.
        "actors/index.md": newest(
            entry.article.date for entry in site.articles if entry.actors
        ),
    }
    for brief in site.briefs:
        dates[brief.topic.page] = brief.last_date
    for year in site.archives:
        dates[year.page] = newest(entry.article.date for entry in year.entries)
    for actor_page in site.actors:
        dates[actor_page.actor.page] = newest(
            [
                *(article.date for article in actor_page.articles),
                *(row.latest.article.date for row in actor_page.topics),
            ]
        )
    for entry in site.articles:
        dates[entry.article.page] = entry.article.date
    editions = site.desk.editions
    if editions:
        dates["editions/index.md"] = editions[0].newest
        for edition in editions:
            dates[edition.page] = edition.newest
    return dates
