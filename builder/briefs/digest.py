"""A topic's brief as data: a digest of fixed size however many articles feed it, and its yearly archive.

The brief quotes the newest `briefs.max_developments` articles (a few passages each), one line per
actor with the most statements, and lists the newest TIMELINE_LENGTH articles; the yearly archive pages list
every article. No passage is quoted twice on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from builder.briefs.coverage import Coverage, coverage
from builder.briefs.statements import Position, Spoken, by_speaker
from builder.briefs.statements import positions as _positions
from builder.model import Actor, Article, Passage, Project, Topic
from builder.routing.attribution import Statement
from builder.routing.router import ArticleRoutes


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A passage (or, as a fallback, an article's summary) of an article routed to a topic."""

    article: Article
    passage: Passage | None
    """None when the article lists the topic but never mentions it: the summary stands in."""
    actors: tuple[Actor, ...]
    """Whose position the passage reports."""
    statements: tuple[Statement, ...] = ()
    """The passage's sentences that an actor speaks."""
    named: tuple[str, ...] = ()
    """Ids of the actors the passage names."""

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
    excerpts: tuple[Excerpt, ...]


def by_article(excerpts: Iterable[Excerpt]) -> tuple[ArticleExcerpts, ...]:
    """Group consecutive excerpts of the same article (the input order is kept)."""
    groups: list[ArticleExcerpts] = []
    for excerpt in excerpts:
        if groups and groups[-1].article is excerpt.article:
            groups[-1] = ArticleExcerpts(excerpt.article, (*groups[-1].excerpts, excerpt))
        else:
            groups.append(ArticleExcerpts(excerpt.article, (excerpt,)))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class Development:
    """One of the newest articles on a topic, as Latest developments shows it."""

    article: Article
    source_number: int
    """The article's number in the brief's Sources."""
    quoted: tuple[Excerpt, ...]
    """At most `briefs.passages_per_development` of its passages on the topic, in article order."""
    more: int
    """Passages on the topic left unquoted: the brief links the article instead."""


@dataclass(frozen=True, slots=True)
class RelatedTopic:
    topic: Topic
    count: int
    """Passages of this brief that also mention the related topic (0 if only hand-picked)."""
    hand_picked: bool


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """An article on a yearly archive page, with its passages routed to the topic."""

    article: Article
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    """One year of a topic's archive: every article of that year routed to it, newest first."""

    topic: Topic
    year: int
    entries: tuple[ArchiveEntry, ...]

    @property
    def page(self) -> str:
        return archive_page(self.topic, self.year)


def archive_page(topic: Topic, year: int) -> str:
    """Docs-relative path of a topic's archive for one year (site URL topics/<id>/<yyyy>/)."""
    return f"topics/{topic.id}/{year:04d}.md"


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything one topic's brief shows: a digest of fixed size, however many articles feed it."""

    topic: Topic
    articles: tuple[Article, ...]
    """Every article routed to the topic, newest first (counts, dates, archive)."""
    developments: tuple[Excerpt, ...]
    """Every development passage, newest article first (feeds and actor pages read these)."""
    latest: tuple[Development, ...]
    also_discussed: tuple[Excerpt, ...]
    """The newest passages naming the topic among several, linked, not quoted."""
    more_also_discussed: int
    positions: tuple[Position, ...]
    unheard: tuple[Actor, ...]
    """Actors the topic's developments name but never quote speaking (the closing line)."""
    related: tuple[RelatedTopic, ...]
    sources: tuple[Article, ...]
    """The articles cited on the page, newest first; source number = index + 1."""
    timeline: tuple[Article, ...]
    """The newest TIMELINE_LENGTH articles."""
    years: tuple[tuple[int, int], ...]
    """(year, articles) of each archive page, newest first."""
    coverage: Coverage
    """Articles per month (per year over long spans), for the chart under the title."""
    speakers: Mapping[str, list[Spoken[Excerpt]]] = field(
        default_factory=dict, metadata={"content": False}, compare=False
    )
    """Each actor's statements among the developments, newest first (`statements.by_speaker`):
    found once, for the Positions and the actor pages. Not content of its own, only an index
    of `developments`, which page keys already hold."""

    @property
    def first_date(self) -> dt.date | None:
        return self.articles[-1].date if self.articles else None

    @property
    def last_date(self) -> dt.date | None:
        return self.articles[0].date if self.articles else None

    @property
    def older_articles(self) -> int:
        return len(self.articles) - len(self.timeline)

    def archive(self, year: int) -> str:
        return archive_page(self.topic, year)


TIMELINE_LENGTH = 30
"""Articles the brief's Timeline lists; the yearly archive lists every one."""
ALSO_DISCUSSED_LENGTH = 10
DEVELOPMENT_WORDS = 200
"""Words a development quotes before its further passages are linked instead (the first is always quoted)."""


def _text(excerpt: Excerpt) -> str:
    return excerpt.passage.text if excerpt.passage is not None else excerpt.article.summary or ""


def newest_first(article: Article) -> tuple[int, str]:
    """Sort key: newest date first, then slug, so equal dates keep a stable order."""
    return (-article.date.toordinal(), article.slug)


def brief_of(
    topic: Topic, cited: Sequence[Article], routes: Mapping[str, ArticleRoutes], project: Project
) -> tuple[Brief, tuple[ArchiveYear, ...]]:
    """The brief of `topic` and its yearly archive, from the articles that feed it (newest first)."""
    settings = project.config.briefs
    developments: list[Excerpt] = []
    listed: list[Excerpt] = []
    routed: dict[str, list[Passage]] = {}
    co_mentions: Counter[str] = Counter()
    for article in cited:
        route = routes[article.slug]
        by_number = {p.number: p for p in article.passages}
        on_topic = routed[article.slug] = []
        for passage_route in route.passages:
            if topic.id not in passage_route.mentioned:
                continue
            co_mentions.update(t for t in passage_route.mentioned if t != topic.id)
            passage = by_number[passage_route.number]
            on_topic.append(passage)
            actors = tuple(project.actors[a] for a in passage_route.actors if a in project.actors)
            excerpt = Excerpt(article, passage, actors, passage_route.statements, passage_route.named)
            if topic.id in passage_route.developments:
                developments.append(excerpt)
            elif topic.id in passage_route.listed:
                listed.append(excerpt)
        if topic.id in route.fallback:
            actors = tuple(project.actors[a] for a in article.actors if a in project.actors)
            developments.append(Excerpt(article, None, actors))
    groups = by_article(developments)
    shown = groups[: settings.max_developments]
    chosen = {id(g): _quoted(g.excerpts, settings.passages_per_development) for g in shown}
    quoted = {id(e) for excerpts in chosen.values() for e in excerpts}
    speakers = by_speaker(developments)
    positions, unheard = _positions(developments, quoted, project.actors, settings.max_positions, speakers)
    sources = sorted(
        {id(a): a for a in (*(g.article for g in shown), *(p.excerpt.article for p in positions))}.values(),
        key=newest_first,
    )
    number = {id(a): index + 1 for index, a in enumerate(sources)}
    by_year: dict[int, list[ArchiveEntry]] = defaultdict(list)  # newest year first: cited is newest first
    for article in cited:
        by_year[article.date.year].append(ArchiveEntry(article, tuple(routed.get(article.slug, ()))))
    brief = Brief(
        topic=topic,
        articles=tuple(cited),
        developments=tuple(developments),
        latest=tuple(
            Development(g.article, number[id(g.article)], chosen[id(g)], len(g.excerpts) - len(chosen[id(g)]))
            for g in shown
        ),
        also_discussed=tuple(listed[:ALSO_DISCUSSED_LENGTH]),
        more_also_discussed=max(0, len(listed) - ALSO_DISCUSSED_LENGTH),
        positions=tuple(replace(p, source_number=number[id(p.excerpt.article)]) for p in positions),
        unheard=tuple(unheard),
        related=_related(topic, co_mentions, project.topics),
        sources=tuple(sources),
        timeline=tuple(cited[:TIMELINE_LENGTH]),
        years=tuple((year, len(entries)) for year, entries in by_year.items()),
        coverage=coverage(a.date for a in cited),
        speakers=speakers,
    )
    return brief, tuple(ArchiveYear(topic, year, tuple(entries)) for year, entries in by_year.items())


def _quoted(excerpts: Sequence[Excerpt], limit: int) -> tuple[Excerpt, ...]:
    """The first `limit` excerpts, stopping early once DEVELOPMENT_WORDS are quoted.

    The first is always quoted; the word budget keeps a brief on long passages (UN speeches run to
    200-word paragraphs) the same length as one on wire copy. The rest are linked, not quoted.
    """
    taken: list[Excerpt] = []
    words = 0
    for excerpt in excerpts[:limit]:
        length = len(_text(excerpt).split())
        if taken and words + length > DEVELOPMENT_WORDS:
            break
        taken.append(excerpt)
        words += length
    return tuple(taken)


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
