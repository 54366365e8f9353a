"""Atom feeds: one per topic (an entry per article, with its passages on the topic) and one for
the whole site (an entry per article).

What a feed reader relies on: an entry keeps its id for as long as its article exists (edits of
the body never change it), its `updated` date comes from the content (never the clock), and no
two entries of a feed share a title.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

from feedgen.feed import FeedGenerator

from builder import __version__
from builder.briefs.assembly import ArticlePage, Site
from builder.briefs.digest import ArticleExcerpts, Brief, by_article
from builder.briefs.rendering import long_date
from builder.editions.outputs import edition_outputs
from builder.feeds.pagedates import site_date
from builder.markdown import extensions
from builder.markdown.sanitise import sanitise_html
from builder.model import Article, SiteConfig, Topic
from builder.urls import absolute, page_url, tag_authority

MAX_ENTRIES = 100
"""Entries per feed: readers poll feeds often, and the brief itself keeps the full record."""
NO_CONTENT_DATE = dt.date(1970, 1, 1)
"""A feed's date when the site has no published article at all (Atom requires one)."""


def write_feeds(
    site: Site, out: Path, stop: Callable[[], None] = lambda: None, only: Collection[str] | None = None
) -> int:
    """Write feed.xml, feeds/<topic-id>.xml and the editions' feed and e-mail bodies under `out`
    (or only the paths in `only`); return how many were written.

    `stop` is called before each feed and may raise to abandon the rest (serve, on a new edit).
    """
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    written = 0
    made = set()
    for path, make in _feeds(site):
        made.add(path)
        if only is None or path in only:
            stop()
            (out / path).parent.mkdir(parents=True, exist_ok=True)  # editions/<id>/ for e-mail bodies
            (out / path).write_bytes(make())
            written += 1
    if only is None:  # written in place (serve): an edition that is gone takes its e-mail body along
        for stale in sorted(out.glob("editions/*/email.html")):
            if stale.relative_to(out).as_posix() not in made:
                stale.unlink()
    return written


def feed_inputs(site: Site) -> dict[str, tuple[object, ...]]:
    """Each feed's path and every value it is made from (besides Briefdesk's code), for the build
    to key it by: a feed whose values are unchanged need not be written again."""
    inputs: dict[str, tuple[object, ...]] = {"feed.xml": _site_feed_inputs(site)}
    for brief in site.briefs:
        inputs[f"feeds/{brief.topic.id}.xml"] = _topic_feed_inputs(site, brief)
    for path, values, _ in edition_outputs(site):
        inputs[path] = values
    return inputs


def _feeds(site: Site) -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield "feed.xml", partial(site_feed, site)
    for brief in site.briefs:
        yield f"feeds/{brief.topic.id}.xml", partial(topic_feed, site, brief)
    for path, _, make in edition_outputs(site):  # the editions' feed and e-mail bodies
        yield path, make


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


def article_id(site: Site, article: Article) -> str:
    """The article's own Atom id: its slug (unique in the site) under the site's host.

    The date in a tag: URI says when the name was minted: the article's date. Neither depends on
    the body, so no edit of the text changes it.
    """
    authority = tag_authority(site.project.config.site_url)
    return f"tag:{authority},{article.date.isoformat()}:{article.slug}"


def entry_titles(articles: Iterable[Article]) -> list[str]:
    """Each article's entry title, "Title (Source)"; the date is added where titles would repeat.

    Feed readers list entries by title: two entries reading the same look like one story twice.
    """
    articles = list(articles)
    plain = [f"{a.title} ({a.source})" for a in articles]
    dated = [f"{a.title} ({a.source}, {long_date(a.date)})" for a in articles]
    titles = [dated[i] if plain.count(plain[i]) > 1 else plain[i] for i in range(len(articles))]
    seen: dict[str, int] = {}
    distinct = []
    for title in titles:  # same title, source and date: number them in feed order
        seen[title] = seen.get(title, 0) + 1
        distinct.append(title if seen[title] == 1 else f"{title} [{seen[title]}]")
    return [xml_text(title) for title in distinct]


def topic_feed(site: Site, brief: Brief) -> bytes:
    """The topic's developments, newest first: one entry per article (one per event: the other
    reports of an event are linked from its entry), quoting its passages on the topic, each with
    a link to the passage in the article."""
    config, topic, groups, fallback_date, others = _topic_feed_inputs(site, brief)
    feed = _feed(
        site,
        f"feeds/{topic.id}.xml",
        f"{topic.title} — {config.site_name}",
        topic.summary or f"Developments on {topic.title}, article by article.",
        topic.page,
    )
    feed.updated(_timestamp(groups[0].article.date if groups else fallback_date or NO_CONTENT_DATE))
    titles = entry_titles(group.article for group in groups)
    for group, title in zip(groups, titles, strict=True):
        article = group.article
        entry = feed.add_entry(order="append")
        # The same article is a different entry in each topic's feed: it shows other passages.
        entry.id(f"{article_id(site, article)}/{topic.id}")
        entry.title(title)
        entry.link(href=absolute(config.site_url, page_url(article.page)), rel="alternate", type="text/html")
        entry.published(_timestamp(article.date))
        entry.updated(_timestamp(article.date))
        content = _passages_html(site, group) + _also_reported_html(site, others.get(article.slug, ()))
        entry.content(content, type="html")
    return bytes(feed.atom_str(pretty=True))


def _topic_feed_inputs(
    site: Site, brief: Brief
) -> tuple[SiteConfig, Topic, tuple[ArticleExcerpts, ...], dt.date | None, Mapping[str, tuple[Article, ...]]]:
    """What a topic's feed shows: the newest articles' passages on it, one group per article and
    one article per event (with the event's other reports, by slug).

    An empty brief shows nothing newer than the site itself: the site's newest content date.
    """
    shown = [g for g in by_article(brief.developments) if g.article.slug not in brief.folded]
    groups = tuple(shown[:MAX_ENTRIES])
    others = {
        g.article.slug: brief.other_reports[g.article.slug]
        for g in groups
        if g.article.slug in brief.other_reports
    }
    return site.project.config, brief.topic, groups, None if groups else site_date(site), others


def _site_feed_inputs(site: Site) -> tuple[SiteConfig, tuple[ArticlePage, ...], dt.date | None]:
    """The newest articles, one per event: the earliest report stands for the others."""
    pages = [p for p in site.articles if not any(newer_than(p.article, other) for other in p.others)]
    return site.project.config, tuple(pages[:MAX_ENTRIES]), site_date(site)


def newer_than(article: Article, other: Article) -> bool:
    """Whether `article` comes after `other` among the reports of one event (by date, then slug)."""
    return (article.date, article.slug) > (other.date, other.slug)


ALSO_REPORTED = 4
"""Other reports an entry names; the rest are counted (their article page lists every one)."""


def _also_reported_html(site: Site, others: Iterable[Article]) -> str:
    """'Also reported by' links to the other reports of an entry's event ('' when there are none)."""
    reports = list(others)
    links = [
        f'<a href="{html.escape(absolute(site.project.config.site_url, page_url(a.page)))}">'
        f"{html.escape(xml_text(a.source))}</a>, {long_date(a.date)}"
        for a in reports[:ALSO_REPORTED]
    ]
    more = len(reports) - ALSO_REPORTED
    rest = f" and {more} other report{'s' if more > 1 else ''}" if more > 0 else ""
    return f"\n<p>Also reported by {'; '.join(links)}{rest}</p>" if links else ""


def _passages_html(site: Site, group: ArticleExcerpts) -> str:
    """The article's passages on the topic, each followed by a link to it in the article."""
    page = html.escape(absolute(site.project.config.site_url, page_url(group.article.page)))
    parts = []
    for excerpt in group.excerpts:
        parts.append(passage_html(excerpt.markdown))
        if excerpt.passage is not None:
            number = excerpt.passage.number
            parts.append(f'<p><a href="{page}#{excerpt.anchor}">Passage {number} in context</a></p>')
        else:
            parts.append(f'<p><em>The article\'s summary.</em> <a href="{page}">Read the article</a></p>')
    return "\n".join(parts)


def site_feed(site: Site) -> bytes:
    """Every published article, newest first, each linking to its page."""
    config, pages, newest = _site_feed_inputs(site)
    feed = _feed(
        site,
        "feed.xml",
        config.site_name,
        config.site_description or "The latest articles behind the briefs.",
        "index.md",
    )
    feed.updated(_timestamp(newest or NO_CONTENT_DATE))
    titles = entry_titles(page.article for page in pages)
    for article_page, title in zip(pages, titles, strict=True):
        article = article_page.article
        entry = feed.add_entry(order="append")
        entry.id(article_id(site, article))
        entry.title(title)
        entry.link(href=absolute(config.site_url, page_url(article.page)), rel="alternate", type="text/html")
        entry.published(_timestamp(article.date))
        entry.updated(_timestamp(article.date))
        for topic in article_page.topics:
            entry.category(term=topic.id, label=xml_text(topic.title))
        summary = article.summary or (article.passages[0].markdown if article.passages else article.title)
        entry.content(passage_html(summary) + _also_reported_html(site, article_page.others), type="html")
    return bytes(feed.atom_str(pretty=True))


def passage_html(source: str) -> str:
    """A passage's Markdown as HTML for a feed reader, through the same allow-list as the pages."""
    return xml_text(sanitise_html(extensions.to_html(source)))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (YAML lets a title carry them, escaped)."""
    return _NOT_XML.sub("", text)
