"""Assemble what each page shows from the routed articles: pure data, no Markdown yet."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from builder.briefs.coverage import Coverage, coverage
from builder.briefs.digest import ArchiveYear, Brief, Excerpt, brief_of, newest_first
from builder.briefs.events import Wording, events
from builder.briefs.statements import Spoken, newest
from builder.editions.desk import Desk, desk_view
from builder.model import Actor, Article, Heading, Passage, Project, Topic
from builder.routing.router import ArticleRoutes


@dataclass(frozen=True, slots=True)
class ActorTopic:
    """One row of an actor page: the actor's latest position on one topic (the brief's line)."""

    topic: Topic
    latest: Excerpt
    sentence: str
    """The newest sentence on the topic that the actor speaks."""
    count: int
    """Sentences on this topic that the actor speaks."""


@dataclass(frozen=True, slots=True)
class ActorStatement:
    """One of an actor's latest statements, whatever the topic."""

    excerpt: Excerpt
    sentence: str
    topics: tuple[Topic, ...]
    """The topics whose briefs the passage feeds."""


@dataclass(frozen=True, slots=True)
class ActorPage:
    actor: Actor
    topics: tuple[ActorTopic, ...]
    articles: tuple[Article, ...]
    statements: tuple[ActorStatement, ...] = ()
    """The actor's newest LATEST_STATEMENTS statements across topics, newest first."""


LATEST_STATEMENTS = 10
"""Statements an actor page lists under "Latest statements"."""


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: Article
    topics: tuple[Topic, ...]
    """Topics the article feeds (listed or routed)."""
    actors: tuple[Actor, ...]
    passage_topics: Mapping[int, tuple[Topic, ...]]
    """Topics each passage was routed to, by passage number."""
    heading_levels: tuple[int, ...] = ()
    """The page heading level (2-6) of each of the article's blocks, 0 for passages and rules."""
    others: tuple[Article, ...] = ()
    """The other reports of the same event, earliest first ("Other reports of this event")."""


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic's line on the home page."""

    topic: Topic
    articles: int
    last_date: dt.date | None
    coverage: Coverage


@dataclass(frozen=True, slots=True)
class Site:
    """Every page's data."""

    project: Project
    briefs: tuple[Brief, ...]
    archives: tuple[ArchiveYear, ...]
    """Every topic's yearly archive pages, topic by topic, newest year first."""
    articles: tuple[ArticlePage, ...]
    """Published articles, newest first."""
    actors: tuple[ActorPage, ...]
    regions: tuple[tuple[str, tuple[TopicSummary, ...]], ...]
    desk: Desk
    """The as-of date, each brief's trend, news and watch events, and every edition."""


def assemble(
    project: Project,
    routes: Mapping[str, ArticleRoutes],
    as_of: dt.date | None = None,
    wordings: Mapping[str, Wording] | None = None,
) -> Site:
    """Build every page's data from the project and the routes of its published articles.

    `as_of` (`build --as-of`) is the day the site speaks from; by default its newest article's.
    `wordings`: what grouping compares of each article's text, by slug, where read already.
    """
    articles = sorted(project.published, key=newest_first)
    # One pass over the articles, not one per topic: each brief gets its articles, newest first.
    cited: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for topic_id in routes[article.slug].topics:
            cited[topic_id].append(article)
    grouped = events(articles, {a.slug: routes[a.slug].about for a in articles}, wordings)
    briefs: list[Brief] = []
    archives: list[ArchiveYear] = []
    for topic in project.topics.values():
        brief, years = brief_of(topic, cited[topic.id], routes, project, grouped)
        briefs.append(brief)
        archives.extend(years)
    return Site(
        project=project,
        briefs=tuple(briefs),
        archives=tuple(archives),
        articles=tuple(article_page(a, routes[a.slug], project, grouped.get(a.slug, ())) for a in articles),
        actors=_actor_pages(project.actors.values(), briefs, articles),
        regions=_regions(briefs, (articles[-1].date, articles[0].date) if articles else None),
        desk=desk_view(briefs, articles, project.config.editions, as_of),
    )


def article_page(
    article: Article, route: ArticleRoutes, project: Project, event: Sequence[Article] = ()
) -> ArticlePage:
    """An article page's data; `event`: the reports of its event, itself included, if it has others."""
    topic_ids = list(dict.fromkeys([*article.topics, *route.topics]))
    return ArticlePage(
        article=article,
        topics=tuple(project.topics[t] for t in topic_ids if t in project.topics),
        actors=tuple(project.actors[a] for a in article.actors if a in project.actors),
        passage_topics={
            r.number: tuple(project.topics[t] for t in (*r.developments, *r.listed)) for r in route.passages
        },
        heading_levels=page_heading_levels(article.blocks),
        others=tuple(a for a in event if a is not article),
    )


def page_heading_levels(blocks: Sequence[Passage | Heading]) -> tuple[int, ...]:
    """Where each body heading sits under the page's h1 (its title), without skipping a level.

    Articles start their sections at `#` or `##` (the importer writes `##`) and may jump from
    `##` to `####`; a page must go h1, h2, h3 in turn for screen readers and outlines. So the
    outermost headings become h2, and each heading is one level below the nearest shallower
    heading before it, however many levels the source skipped. Passages and rules get 0.
    """
    levels: list[int] = []
    open_levels: list[int] = []  # source levels of the headings the current one sits under
    for block in blocks:
        if not isinstance(block, Heading) or block.level == 0:
            levels.append(0)
            continue
        while open_levels and open_levels[-1] >= block.level:
            open_levels.pop()
        open_levels.append(block.level)
        levels.append(min(1 + len(open_levels), 6))
    return tuple(levels)


def _actor_pages(
    actors: Iterable[Actor], briefs: Sequence[Brief], articles: Sequence[Article]
) -> tuple[ActorPage, ...]:
    """One page per actor: its latest position on each topic, its latest statements, its articles.

    The position on a topic is the sentence the topic's brief quotes for the actor: the newest
    one the actor speaks among the topic's development passages (`Brief.speakers`,
    `builder.briefs.statements`).
    """
    rows: dict[str, list[ActorTopic]] = defaultdict(list)
    # Each statement once, with every topic whose brief holds it; its sentence is made only for
    # the LATEST_STATEMENTS a page shows (an archive holds hundreds of thousands). A statement is
    # one object in every brief that holds it (its passage's route has it): its id tells it apart.
    latest: dict[str, dict[int, tuple[Spoken[Excerpt], list[Topic]]]] = defaultdict(dict)
    for brief in briefs:
        for actor_id, spoken in brief.speakers.items():
            first = newest(spoken)
            rows[actor_id].append(ActorTopic(brief.topic, first.excerpt, first.sentence, len(spoken)))
            said = latest[actor_id]
            # Each brief's list is newest first, in the order of `_newest_statement` (its
            # articles newest first, then passages and sentences in order): the actor's newest
            # LATEST_STATEMENTS overall, and every brief holding one, are among its first ones.
            for item in spoken[:LATEST_STATEMENTS]:
                known = said.get(id(item.statement))
                if known is None:
                    said[id(item.statement)] = (item, [brief.topic])
                else:
                    known[1].append(brief.topic)
    reported: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for actor_id in article.actors:
            reported[actor_id].append(article)
    pages = []
    for actor in actors:
        mine = rows[actor.id]
        mine.sort(key=lambda row: (-row.latest.article.date.toordinal(), row.topic.title.casefold()))
        statements = heapq.nsmallest(LATEST_STATEMENTS, latest[actor.id].values(), key=_newest_statement)
        shown = tuple(
            ActorStatement(item.excerpt, item.sentence, tuple(topics)) for item, topics in statements
        )
        pages.append(ActorPage(actor, tuple(mine), tuple(reported[actor.id]), shown))
    return tuple(pages)


def _regions(
    briefs: Sequence[Brief], span: tuple[dt.date, dt.date] | None
) -> tuple[tuple[str, tuple[TopicSummary, ...]], ...]:
    """The home page's briefs by region; their sparklines share the site's time axis (`span`),
    so a reader comparing rows compares the same months."""
    grouped: dict[str, list[TopicSummary]] = defaultdict(list)
    for brief in briefs:
        shared = coverage((a.date for a in brief.articles), within=span)
        grouped[brief.topic.region or "Other"].append(
            TopicSummary(brief.topic, len(brief.articles), brief.last_date, shared)
        )
    return tuple(
        (region, tuple(sorted(items, key=lambda s: s.topic.title.casefold())))
        for region, items in sorted(grouped.items(), key=lambda kv: (kv[0] == "Other", kv[0].casefold()))
    )


def _newest_statement(said: tuple[Spoken[Excerpt], list[Topic]]) -> tuple[int, str, int, int]:
    """Sort key of an actor's statements: newest article first, then in article and passage order."""
    item = said[0]
    passage = item.excerpt.passage
    return (
        -item.excerpt.article.date.toordinal(),
        item.excerpt.article.slug,
        passage.number if passage else 0,
        item.statement.start,
    )
