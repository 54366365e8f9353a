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

from builder.briefs import budget
from builder.briefs.coverage import Coverage, coverage
from builder.briefs.events import one_per_event
from builder.briefs.statements import Position, Spoken, by_speaker
from builder.briefs.statements import positions as _positions
from builder.model import Actor, Article, Passage, Project, Topic
from builder.routing.attribution import Statement
from builder.routing.matching import PhraseMatcher
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
    cut: str | None = None
    """The passage's Markdown cut after a sentence, ending in an ellipsis, when the brief's word
    budget leaves no room for all of it (`builder.briefs.budget`)."""

    @property
    def markdown(self) -> str:
        if self.cut is not None:
            return self.cut
        if self.passage is not None:
            return self.passage.markdown
        return self.article.summary or (self.article.passages[0].markdown if self.article.passages else "")

    @property
    def anchor(self) -> str:
        return f"p-{self.passage.number}" if self.passage else ""

    def with_cut(self, markdown: str) -> Excerpt:
        """This excerpt quoting `markdown`, a cut of its passage, instead of all of it."""
        return replace(self, cut=markdown)


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
    mention: bool = False
    """The article only mentions the topic: it is not one of its developments."""


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
    also_mentioned: tuple[Excerpt, ...]
    """The newest articles that only mention the topic (in passing or in a list), one line each:
    their first passage on it."""
    more_also_mentioned: int
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
    other_reports: Mapping[str, tuple[Article, ...]] = field(default_factory=dict)
    """By the slug of each report shown (under Latest developments and in the Timeline), the
    other reports of its event, earliest first: named and linked, not shown again."""
    folded: frozenset[str] = frozenset()
    """Slugs of the reports shown under another report of their event."""
    in_timeline: int = 0
    """Articles the Timeline stands for, the other reports of its events included."""
    events: tuple[Article, ...] = ()
    """The articles about the topic, one per event (the report shown), newest first: what
    Latest developments and the Timeline draw from, and what editions count."""
    about: frozenset[str] = frozenset()
    """Slugs of the articles about the topic (the other reports of an event included)."""
    speakers: Mapping[str, list[Spoken[Excerpt]]] = field(
        default_factory=dict, metadata={"content": False}, compare=False
    )
    """Each actor's statements in `developments`, newest first (`statements.by_speaker`): found
    once, for the Positions and the actor pages. Not content of its own, only an index of
    `developments`, which page keys already hold."""

    @property
    def first_date(self) -> dt.date | None:
        return self.articles[-1].date if self.articles else None

    @property
    def last_date(self) -> dt.date | None:
        return self.articles[0].date if self.articles else None

    mention_only: int = 0
    """Articles that only mention the topic (the Timeline leaves them to the yearly archive)."""

    @property
    def older_articles(self) -> int:
        """Articles about the topic that the Timeline has no room for."""
        return len(self.articles) - self.in_timeline - self.mention_only

    def archive(self, year: int) -> str:
        return archive_page(self.topic, year)


TIMELINE_LENGTH = 30
"""Articles the brief's Timeline lists; the yearly archive lists every one."""
ALSO_MENTIONED_LENGTH = 10
"""Articles that only mention the topic listed in the brief; the yearly archive lists them all."""
DEVELOPMENT_WORDS = 200
"""Words a development quotes before its further passages are linked instead (the first is always quoted)."""


def _text(excerpt: Excerpt) -> str:
    return excerpt.passage.text if excerpt.passage is not None else excerpt.article.summary or ""


def newest_first(article: Article) -> tuple[int, str]:
    """Sort key: newest date first, then slug, so equal dates keep a stable order."""
    return (-article.date.toordinal(), article.slug)


def brief_of(
    topic: Topic,
    cited: Sequence[Article],
    routes: Mapping[str, ArticleRoutes],
    project: Project,
    events: Mapping[str, tuple[Article, ...]] | None = None,
) -> tuple[Brief, tuple[ArchiveYear, ...]]:
    """The brief of `topic` and its yearly archive, from the articles that feed it (newest first).

    `events`: each article in a group of reports of one event, by slug, with its group
    (`builder.briefs.events`); the brief shows each group once.
    """
    settings = project.config.briefs
    events = events or {}
    developments: list[Excerpt] = []
    routed: dict[str, list[Passage]] = {}
    subject: dict[str, list[Excerpt]] = defaultdict(list)  # slug -> its passages on it, not in passing
    first_routed: dict[str, Excerpt] = {}
    per_article: dict[str, list[Excerpt]] = defaultdict(list)  # slug -> its excerpts on the topic
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
            first_routed.setdefault(article.slug, excerpt)
            per_article[article.slug].append(excerpt)
            if topic.id in passage_route.developments:
                developments.append(excerpt)
                if topic.id not in passage_route.passing:
                    subject[article.slug].append(excerpt)
        if topic.id in route.fallback:
            actors = tuple(project.actors[a] for a in article.actors if a in project.actors)
            developments.append(Excerpt(article, None, actors))
            per_article[article.slug].append(developments[-1])
    about = [a for a in cited if topic.id in routes[a.slug].about]
    weight = {slug: (len(subject.get(slug, ())), len(excerpts)) for slug, excerpts in per_article.items()}
    shown_events, folded = one_per_event(about, events, weight)
    about_slugs = {a.slug for a in about}
    related = _related(topic, co_mentions, project.topics)
    mentions = [
        first_routed[a.slug]
        for a in cited
        if a.slug not in about_slugs and a.slug not in folded and a.slug in first_routed
    ]
    # Positions read every development passage, passing mentions included: who speaks is the
    # question there, and an actor's statement in an article about something else is still theirs
    # on this topic. (Read from the articles about the topic alone, the attribution benchmark's
    # lines fell from 128 of 137 right to 96 of 111: fewer statements, more wrong newest ones.)
    # The closing line of Positions names at most every actor these passages name.
    named = {a for e in developments for a in e.named if a in project.actors}
    fits = budget.plan(
        settings.max_words,
        budget.words(topic.overview)
        + budget.judgement_words(topic)
        + sum(budget.words(project.actors[a].name) + 1 for a in named),
        [(a.title, len(others), budget.header_words(a, project.config)) for a, others in shown_events],
        [e.article.title for e in mentions[:ALSO_MENTIONED_LENGTH]],
        (settings.max_developments, TIMELINE_LENGTH, settings.max_positions),
        len(related),
    )
    shown = shown_events[: fits.developments]
    timeline = shown_events[: fits.timeline]
    fitted = budget.fit(
        [subject.get(a.slug) or per_article[a.slug] for a, _ in shown],
        fits.quote_words,
        settings.passages_per_development,
        DEVELOPMENT_WORDS,
        PhraseMatcher({topic.id: topic.aliases}, {topic.id: topic.exclude}),
    )
    chosen = {a.slug: excerpts for (a, _), excerpts in zip(shown, fitted, strict=True)}
    quoted_keys = {(e.article.slug, e.anchor) for excerpts in fitted for e in excerpts}
    quoted = {id(e) for e in developments if (e.article.slug, e.anchor) in quoted_keys}
    speakers = by_speaker(developments)
    positions, unheard = _positions(developments, quoted, project.actors, fits.positions, speakers)
    sources = sorted(
        {id(a): a for a in (*(a for a, _ in shown), *(p.excerpt.article for p in positions))}.values(),
        key=newest_first,
    )
    number = {id(a): index + 1 for index, a in enumerate(sources)}
    by_year: dict[int, list[ArchiveEntry]] = defaultdict(list)  # newest year first: cited is newest first
    for article in cited:
        by_year[article.date.year].append(
            ArchiveEntry(article, tuple(routed.get(article.slug, ())), article.slug not in about_slugs)
        )
    brief = Brief(
        topic=topic,
        articles=tuple(cited),
        developments=tuple(developments),
        latest=tuple(
            Development(
                a,
                number[id(a)],
                chosen[a.slug],
                len(per_article.get(a.slug, ())) - len(chosen[a.slug]),
            )
            for a, _ in shown
        ),
        also_mentioned=tuple(mentions[:ALSO_MENTIONED_LENGTH]),
        more_also_mentioned=max(0, len(mentions) - ALSO_MENTIONED_LENGTH),
        positions=tuple(replace(p, source_number=number[id(p.excerpt.article)]) for p in positions),
        unheard=tuple(unheard),
        related=related,
        sources=tuple(sources),
        timeline=tuple(a for a, _ in timeline),
        years=tuple((year, len(entries)) for year, entries in by_year.items()),
        coverage=coverage(a.date for a in cited),
        other_reports={a.slug: others for a, others in shown_events if others},
        folded=frozenset(folded),
        in_timeline=sum(1 + len(others) for _, others in timeline),
        mention_only=len(mentions),
        events=tuple(a for a, _ in shown_events),
        about=frozenset(about_slugs),
        speakers=speakers,
    )
    return brief, tuple(ArchiveYear(topic, year, tuple(entries)) for year, entries in by_year.items())


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
