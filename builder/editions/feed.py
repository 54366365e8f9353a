"""The editions' Atom feed: one entry per edition, dated by its newest article (never the clock)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from html import escape

from feedgen.feed import FeedGenerator

from builder import __version__
from builder.editions.desk import Edition
from builder.model import SiteConfig
from builder.urls import absolute, page_url, tag_authority

FEED = "feeds/editions.xml"
MAX_ENTRIES = 100
"""Entries in the feed: two years of weekly editions."""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (YAML lets a title carry them, escaped)."""
    return _NOT_XML.sub("", text)


def _timestamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def editions_feed(config: SiteConfig, editions: Sequence[Edition]) -> bytes:
    """The feed of `editions` (newest first): each entry lists what changed, brief by brief."""
    authority = tag_authority(config.site_url)
    feed = FeedGenerator()
    feed.id(f"tag:{authority},2000:{FEED}")
    feed.title(xml_text(f"{config.site_name}: editions"))
    feed.subtitle("What changed on the briefs, edition by edition.")
    feed.link(
        href=absolute(config.site_url, page_url("editions/index.md")), rel="alternate", type="text/html"
    )
    feed.link(href=absolute(config.site_url, FEED), rel="self", type="application/atom+xml")
    feed.language(config.language)
    feed.generator("Briefdesk", version=__version__)
    feed.author(name=xml_text(config.site_author or config.site_name))
    feed.updated(_timestamp(editions[0].newest))
    for edition in editions[:MAX_ENTRIES]:
        entry = feed.add_entry(order="append")
        # Minted from the edition's first day: the id never changes, whatever the edition gains.
        entry.id(f"tag:{authority},{edition.period.start.isoformat()}:editions/{edition.id}")
        entry.title(f"{edition.period.title} ({edition.period.span})")
        entry.link(href=absolute(config.site_url, page_url(edition.page)), rel="alternate", type="text/html")
        entry.published(_timestamp(edition.newest))
        entry.updated(_timestamp(edition.newest))
        entry.content(xml_text(_summary_html(config, edition)), type="html")
    return bytes(feed.atom_str(pretty=True))


def _summary_html(config: SiteConfig, edition: Edition) -> str:
    """The edition as a list per brief: trend changes, new developments, next period's events."""
    parts = []
    for part in edition.briefs:
        brief = escape(absolute(config.site_url, page_url(part.topic.page)))
        items = [
            *(f"<li>Trend: {escape(t.status)}: {escape(t.note)}</li>" for t in part.trends),
            *(
                f'<li>{a.date.isoformat()}: <a href="{escape(absolute(config.site_url, page_url(a.page)))}">'
                f"{escape(a.title)}</a> ({escape(a.source)})</li>"
                for a in part.developments
            ),
            *(f"<li>Coming up {w.date.isoformat()}: {escape(w.event)}</li>" for w in part.upcoming),
        ]
        parts.append(f'<h2><a href="{brief}">{escape(part.topic.title)}</a></h2><ul>{"".join(items)}</ul>')
    return "".join(parts) or "<p>Nothing new on the briefs.</p>"
