"""Assemble what each page shows from the routed articles: pure data, no Markdown yet."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from builder.model import Actor, Article, Heading, Passage, Project, Topic
from builder.routing.router import ArticleRoutes


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A passage (or, as a fallback, an article's summary) quoted in a brief."""

    article: Article
    passage: Passage | None
    """None when the article lists the topic but never mentions it: the summary stands in."""
    source_number: int
    """The article's number in the brief's Sources."""
    actors: tuple[Actor, ...]
    """Whose position the passage reports."""

    @property
    def markdown(self) -> str:
        if self.passage is not None:
            return self.passage.markdown
        return self.article.summary or (self.article.passages[0].markdown if self.article.passages else "")

    @property
    def anchor(self) -> str:
        return f"p-{self.passage.number}" if self.passage else ""


@dataclass(frozen=True, slots=True)
class ArticleExcerpts:
    """Consecutive excerpts from one article, shown under one header."""

    article: Article
    source_number: int
    excerpts: tuple[Excerpt, ...]


def by_article(excerpts: Iterable[Excerpt]) -> tuple[ArticleExcerpts, ...]:
    """Group consecutive excerpts of the same article (the input order is kept)."""
    groups: list[ArticleExcerpts] = []
    for excerpt in excerpts:
        if groups and groups[-1].article is excerpt.article:
            last = groups[-1]
            groups[-1] = ArticleExcerpts(last.article, last.source_number, (*last.excerpts, excerpt))
        else:
            groups.append(ArticleExcerpts(excerpt.article, excerpt.source_number, (excerpt,)))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class Position:
    """The latest passages on one topic reporting the position of one or more actors.

    Actors whose latest passages are the same ("the two sides agreed") share one entry.
    """

    actors: tuple[Actor, ...]
    excerpts: tuple[Excerpt, ...]

    @property
    def groups(self) -> tuple[ArticleExcerpts, ...]:
        return by_article(self.excerpts)


@dataclass(frozen=True, slots=True)
class RelatedTopic:
    topic: Topic
    count: int
    """Passages of this brief that also mention the related topic (0 if only hand-picked)."""
    hand_picked: bool


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything one topic's brief shows."""

    topic: Topic
    sources: tuple[Article, ...]
    """Every article cited, newest first; source number = index + 1."""
    developments: tuple[Excerpt, ...]
    """Every development, newest first."""
    max_developments: int
    """How many developments the brief quotes in full (`briefs.max_developments`)."""
    also_discussed: tuple[Excerpt, ...]
    positions: tuple[Position, ...]
    related: tuple[RelatedTopic, ...]

    @property
    def shown_developments(self) -> tuple[Excerpt, ...]:
        """The developments quoted in full; older ones stay in the timeline and sources."""
        return self.developments[: self.max_developments]

    @property
    def shown_groups(self) -> tuple[ArticleExcerpts, ...]:
        """The shown developments, grouped by article."""
        return by_article(self.shown_developments)

    @property
    def more_developments(self) -> int:
        return max(0, len(self.developments) - self.max_developments)

    @property
    def first_date(self) -> dt.date | None:
        return self.sources[-1].date if self.sources else None

    @property
    def last_date(self) -> dt.date | None:
        return self.sources[0].date if self.sources else None


@dataclass(frozen=True, slots=True)
class ActorTopic:
    """One row of an actor page: the actor's latest position on one topic."""

    topic: Topic
    latest: Excerpt
    count: int
    """Passages on this topic that report the actor's position."""


@dataclass(frozen=True, slots=True)
class ActorPage:
    actor: Actor
    topics: tuple[ActorTopic, ...]
    articles: tuple[Article, ...]


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


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic's line on the home page."""

    topic: Topic
    articles: int
    last_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Site:
    """Every page's data."""

    project: Project
    briefs: tuple[Brief, ...]
    articles: tuple[ArticlePage, ...]
    """Published articles, newest first."""
    actors: tuple[ActorPage, ...]
    regions: tuple[tuple[str, tuple[TopicSummary, ...]], ...]


def newest_first(article: Article) -> tuple[int, str]:
    """Sort key: newest date first, then slug, so equal dates keep a stable order."""
    return (-article.date.toordinal(), article.slug)


def assemble(project: Project, routes: Mapping[str, ArticleRoutes]) -> Site:
    """Build every page's data from the project and the routes of its published articles."""
    articles = sorted(project.published, key=newest_first)
    # One pass over the articles, not one per topic: each brief gets its articles, newest first.
    cited: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for topic_id in routes[article.slug].topics:
            cited[topic_id].append(article)
    briefs = tuple(_brief(topic, cited[topic.id], routes, project) for topic in project.topics.values())
    return Site(
        project=project,
        briefs=briefs,
        articles=tuple(article_page(a, routes[a.slug], project) for a in articles),
        actors=_actor_pages(project.actors.values(), briefs, articles),
        regions=_regions(briefs),
    )


def _brief(
    topic: Topic, cited: Sequence[Article], routes: Mapping[str, ArticleRoutes], project: Project
) -> Brief:
    """The brief of `topic`, from the articles that feed it (newest first)."""
    settings = project.config.briefs
    number = {a.slug: index + 1 for index, a in enumerate(cited)}
    developments: list[Excerpt] = []
    listed: list[Excerpt] = []
    co_mentions: Counter[str] = Counter()
    for article in cited:
        route = routes[article.slug]
        by_number = {p.number: p for p in article.passages}
        for passage_route in route.passages:
            if topic.id not in passage_route.mentioned:
                continue
            co_mentions.update(t for t in passage_route.mentioned if t != topic.id)
            excerpt = Excerpt(
                article,
                by_number[passage_route.number],
                number[article.slug],
                tuple(project.actors[a] for a in passage_route.actors if a in project.actors),
            )
            if topic.id in passage_route.developments:
                developments.append(excerpt)
            elif topic.id in passage_route.listed:
                listed.append(excerpt)
        if topic.id in route.fallback:
            developments.append(
                Excerpt(
                    article,
                    None,
                    number[article.slug],
                    tuple(project.actors[a] for a in article.actors if a in project.actors),
                )
            )
    return Brief(
        topic=topic,
        sources=tuple(cited),
        developments=tuple(developments),
        max_developments=settings.max_developments,
        also_discussed=tuple(listed),
        positions=_positions(developments, settings.positions_per_actor),
        related=_related(topic, co_mentions, project.topics),
    )


def _positions(developments: Sequence[Excerpt], per_actor: int) -> tuple[Position, ...]:
    by_actor: dict[str, list[Excerpt]] = defaultdict(list)
    actors: dict[str, Actor] = {}
    for excerpt in developments:  # already newest first
        for actor in excerpt.actors:
            actors[actor.id] = actor
            if len(by_actor[actor.id]) < per_actor:
                by_actor[actor.id].append(excerpt)
    ordered = sorted(actors.values(), key=lambda a: (a.name.casefold(), a.id))
    grouped: dict[tuple[tuple[str, int], ...], list[Actor]] = {}
    for actor in ordered:
        key = tuple((e.article.slug, e.passage.number if e.passage else 0) for e in by_actor[actor.id])
        grouped.setdefault(key, []).append(actor)
    return tuple(Position(tuple(group), tuple(by_actor[group[0].id])) for group in grouped.values())


def _related(
    topic: Topic, co_mentions: Counter[str], topics: Mapping[str, Topic]
) -> tuple[RelatedTopic, ...]:
    picked = [RelatedTopic(topics[t], co_mentions.get(t, 0), True) for t in topic.related if t in topics]
    seen = {r.topic.id for r in picked} | {topic.id}
    mentioned = sorted(
        (t for t in co_mentions if t not in seen and t in topics),
        key=lambda t: (-co_mentions[t], topics[t].title.casefold()),
    )
    return tuple(picked + [RelatedTopic(topics[t], co_mentions[t], False) for t in mentioned])


def article_page(article: Article, route: ArticleRoutes, project: Project) -> ArticlePage:
    topic_ids = list(dict.fromkeys([*article.topics, *route.topics]))
    return ArticlePage(
        article=article,
        topics=tuple(project.topics[t] for t in topic_ids if t in project.topics),
        actors=tuple(project.actors[a] for a in article.actors if a in project.actors),
        passage_topics={
            r.number: tuple(project.topics[t] for t in (*r.developments, *r.listed)) for r in route.passages
        },
        heading_levels=page_heading_levels(article.blocks),
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
    """One page per actor: its latest position on each topic, and the articles reporting it."""
    spoken: dict[str, dict[str, list[Excerpt]]] = defaultdict(lambda: defaultdict(list))
    for brief in briefs:
        for excerpt in brief.developments:  # newest first
            for actor in excerpt.actors:
                spoken[actor.id][brief.topic.id].append(excerpt)
    reported: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for actor_id in article.actors:
            reported[actor_id].append(article)
    topics = {brief.topic.id: brief.topic for brief in briefs}
    pages = []
    for actor in actors:
        rows = [
            ActorTopic(topics[topic_id], excerpts[0], len(excerpts))
            for topic_id, excerpts in spoken[actor.id].items()
        ]
        rows.sort(key=lambda row: (-row.latest.article.date.toordinal(), row.topic.title.casefold()))
        pages.append(ActorPage(actor, tuple(rows), tuple(reported[actor.id])))
    return tuple(pages)


def _regions(briefs: Sequence[Brief]) -> tuple[tuple[str, tuple[TopicSummary, ...]], ...]:
    grouped: dict[str, list[TopicSummary]] = defaultdict(list)
    for brief in briefs:
        grouped[brief.topic.region or "Other"].append(
            TopicSummary(brief.topic, len(brief.sources), brief.last_date)
        )
    return tuple(
        (region, tuple(sorted(items, key=lambda s: s.topic.title.casefold())))
        for region, items in sorted(grouped.items(), key=lambda kv: (kv[0] == "Other", kv[0].casefold()))
    )
