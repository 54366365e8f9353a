"""Atom feeds: one per topic (its developments, newest first) and one for the whole site."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import markdown
from feedgen.feed import FeedGenerator

from builder import __version__
from builder.assembly import Brief, Site
from builder.sanitise import sanitise_html
from builder.urls import absolute, page_url, tag_authority

MAX_ENTRIES = 100
"""Entries per feed: readers poll feeds often, and the brief itself keeps the full record."""


def write_feeds(site: Site, out: Path, stop: Callable[[], None] = lambda: None) -> int:
    """Write feed.xml and feeds/<topic-id>.xml under `out`; return how many feeds.

    `stop` is called before each feed and may raise to abandon the rest (serve, on a new edit).
    """
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    stop()
    (out / "feed.xml").write_bytes(site_feed(site))
    for brief in site.briefs:
        stop()
        (out / "feeds" / f"{brief.topic.id}.xml").write_bytes(topic_feed(site, brief))
    return 1 + len(site.briefs)


def _timestamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _feed(site: Site, feed_path: str, title: str, subtitle: str, page: str) -> FeedGenerator:
    config = site.project.config
    authority = tag_authority(config.site_url)
    feed = FeedGenerator()
    feed.id(f"tag:{authority},2000:{feed_path}")
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle))
    feed.link(href=absolute(config.site_url, page_url(page)), rel="alternate", type="text/html")
    feed.link(href=absolute(config.site_url, feed_path), rel="self", type="application/atom+xml")
    feed.language(config.language)
    feed.generator("Briefdesk", version=__version__)
    if config.site_author:
        feed.author(name=xml_text(config.site_author))
    else:
        feed.author(name=xml_text(config.site_name))
    return feed


def topic_feed(site: Site, brief: Brief) -> bytes:
    """The topic's developments, newest first, each linking to the passage it quotes."""
    topic = brief.topic
    feed = _feed(
        site,
        f"feeds/{topic.id}.xml",
        f"{topic.title} — {site.project.config.site_name}",
        topic.summary or f"Developments on {topic.title}, passage by passage.",
        topic.page,
    )
    config = site.project.config
    authority = tag_authority(config.site_url)
    excerpts = brief.developments[:MAX_ENTRIES]  # newest first
    feed.updated(_timestamp(excerpts[0].article.date if excerpts else dt.date(2000, 1, 1)))
    for excerpt in excerpts:
        article = excerpt.article
        anchor = f"#{excerpt.anchor}" if excerpt.anchor else ""
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{authority},{article.date.isoformat()}:{article.slug}/{excerpt.anchor or 'summary'}")
        entry.title(xml_text(f"{article.title} ({article.source})"))
        entry.link(
            href=absolute(config.site_url, page_url(article.page)) + anchor, rel="alternate", type="text/html"
        )
        entry.published(_timestamp(article.date))
        entry.updated(_timestamp(article.date))
        entry.content(passage_html(excerpt.markdown), type="html")
    return bytes(feed.atom_str(pretty=True))


def site_feed(site: Site) -> bytes:
    """Every published article, newest first, each linking to its page."""
    config = site.project.config
    authority = tag_authority(config.site_url)
    feed = _feed(
        site,
        "feed.xml",
        config.site_name,
        config.site_description or "The latest articles behind the briefs.",
        "index.md",
    )
    pages = site.articles[:MAX_ENTRIES]
    feed.updated(_timestamp(pages[0].article.date if pages else dt.date(2000, 1, 1)))
    for article_page in pages:
        article = article_page.article
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{authority},{article.date.isoformat()}:{article.slug}")
        entry.title(xml_text(article.title))
        entry.link(href=absolute(config.site_url, page_url(article.page)), rel="alternate", type="text/html")
        entry.published(_timestamp(article.date))
        entry.updated(_timestamp(article.date))
        for topic in article_page.topics:
            entry.category(term=topic.id, label=xml_text(topic.title))
        summary = article.summary or (article.passages[0].markdown if article.passages else article.title)
        entry.content(passage_html(summary), type="html")
    return bytes(feed.atom_str(pretty=True))


def passage_html(source: str) -> str:
    """A passage's Markdown as HTML for a feed reader, through the same allow-list as the pages."""
    return xml_text(sanitise_html(markdown.markdown(source, extensions=["tables"], output_format="html")))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (YAML lets a title carry them, escaped)."""
    return _NOT_XML.sub("", text)
