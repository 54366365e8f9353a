"""Decide which passage goes into which brief, and whose position each passage reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from builder.model import Actor, Article, RoutingSettings, Topic
from builder.routing.aboutness import article_subjects, passage_subjects
from builder.routing.attribution import Attributor, Lessons, Statement
from builder.routing.matching import Mention, PhraseMatcher
from builder.routing.sentences import sentence_spans


@dataclass(frozen=True, slots=True)
class PassageRoute:
    """Where one passage goes."""

    number: int
    """The passage's number in its article."""
    mentioned: tuple[str, ...]
    """Every topic the passage mentions, sorted by id."""
    developments: tuple[str, ...]
    """Topics for which the passage is quoted as a development."""
    listed: tuple[str, ...]
    """Topics the passage only names in a list ("Also discussed")."""
    actors: tuple[str, ...]
    """Actors (from the article's `actors`) whose position the passage reports."""
    about: tuple[str, ...] = ()
    """Topics the passage is about, not only mentions in passing (`builder.routing.aboutness`)."""
    passing: tuple[str, ...] = ()
    """Topics the passage names only as a circumstance ("because of the pandemic"): a brief
    never quotes it for them."""
    statements: tuple[Statement, ...] = ()
    """The passage's sentences that an actor speaks (`builder.routing.attribution`)."""
    named: tuple[str, ...] = ()
    """Every actor the passage names, sorted by id."""

    def __reduce__(self) -> tuple[type[PassageRoute], tuple[Any, ...]]:
        # Pickled as its fields, from the route workers (see Statement.__reduce__).
        return (PassageRoute, tuple(getattr(self, name) for name in _PASSAGE_FIELDS))


_PASSAGE_FIELDS = tuple(f.name for f in fields(PassageRoute))


@dataclass(frozen=True, slots=True)
class ArticleRoutes:
    """The routing of one article."""

    slug: str
    passages: tuple[PassageRoute, ...]
    """Only passages that go somewhere."""
    fallback: tuple[str, ...]
    """Topics the article lists but no passage mentions: the brief shows its summary instead."""
    about: tuple[str, ...] = ()
    """Topics the article is about, sorted: a development of their briefs. It feeds the others
    only as a mention ("Also mentioned in")."""

    def __reduce__(self) -> tuple[type[ArticleRoutes], tuple[Any, ...]]:
        return (ArticleRoutes, (self.slug, self.passages, self.fallback, self.about))

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic this article feeds, sorted."""
        found = set(self.fallback)
        for route in self.passages:
            found.update(route.developments, route.listed)
        return tuple(sorted(found))


class Router:
    """Routes articles with one compiled matcher for topics and one for actors."""

    def __init__(
        self, topics: Mapping[str, Topic], actors: Mapping[str, Actor], settings: RoutingSettings
    ) -> None:
        self.settings = settings
        self.topics = PhraseMatcher(
            {t.id: t.aliases for t in topics.values()}, {t.id: t.exclude for t in topics.values()}
        )
        self.actors = PhraseMatcher({a.id: a.aliases for a in actors.values()})
        self.attributor = Attributor(actors)

    def lessons(self) -> Lessons:
        """What routing in this process has worked out that is worth handing on (`parallel.Learner`)."""
        return self.attributor.lessons()

    def learn(self, lessons: Lessons) -> None:
        self.attributor.learn(lessons)

    def route(self, article: Article) -> ArticleRoutes:
        """Route every passage of `article`."""
        allowed = None if self.settings.auto else set(article.topics)
        # Each routed passage's fields but its statements, which need to know first which
        # passages are developments (`_statements`); the routes are then made once.
        pending: list[tuple[Any, ...]] = []
        mentioned_anywhere: set[str] = set()
        speakers = article.actors
        lead = article.passages[0].number if article.passages else 0
        # One pass of the actor matcher and of the sentence splitter per passage, shared by
        # attribution, the passage's speakers, the test for list-like sentences and aboutness.
        named = [self.attributor.named(p.text) for p in article.passages]
        spans = [sentence_spans(p.text) for p in article.passages]
        found = [self.topics.mentions(p.text) for p in article.passages]
        for passage, names, sentences, mentions in zip(article.passages, named, spans, found, strict=True):
            speakers = self._speakers(article, names, speakers)
            if not mentions:
                continue
            mentioned = {owner for mention in mentions for owner in mention.owners}
            mentioned_anywhere |= mentioned
            listed = _listed_only(sentences, mentions, self.settings.also_discussed_min_topics)
            if allowed is not None:
                mentioned &= allowed
                listed &= allowed
            if not mentioned:
                continue
            lead_passage = passage.number == lead
            subjects, passing = passage_subjects(passage.text, sentences, mentions, listed, lead_passage)
            pending.append(
                (
                    passage.number,
                    tuple(sorted(mentioned)),
                    tuple(sorted(mentioned - listed)),
                    tuple(sorted(listed)),
                    speakers,
                    tuple(sorted(subjects & mentioned)),
                    tuple(sorted(passing & mentioned)),
                    names,
                )
            )
        said = self._statements(article, {fields[0] for fields in pending if fields[2]}, named, spans)
        routes = [
            PassageRoute(
                number=number,
                mentioned=mentioned,
                developments=developments,
                listed=listed,
                actors=actors,
                about=about,
                passing=passing,
                statements=said.get(number, ()),
                named=names,
            )
            for number, mentioned, developments, listed, actors, about, passing, names in pending
        ]
        fallback = tuple(t for t in article.topics if t not in mentioned_anywhere)
        headline = self.topics.owners_in(article.title)
        about = article_subjects(
            article.topics, headline, (r.about for r in routes), (r.developments for r in routes)
        )
        fed = {t for r in routes for t in (*r.developments, *r.listed)} | set(fallback)
        return ArticleRoutes(article.slug, tuple(routes), fallback, tuple(sorted(about & fed)))

    def _statements(
        self,
        article: Article,
        wanted_numbers: set[int],
        named: list[tuple[str, ...]],
        spans: list[list[tuple[int, int]]],
    ) -> dict[int, tuple[Statement, ...]]:
        """The statements of the passages numbered `wanted_numbers`, by passage number.

        Statements matter only in development passages (Positions and the actor pages read those
        alone); attribution reads the others only as far as a pronoun in one of those needs.
        """
        wanted = [p.number in wanted_numbers for p in article.passages]
        needed = max((i + 1 for i, want in enumerate(wanted) if want), default=0)
        statements = self.attributor.statements(
            [p.text for p in article.passages[:needed]], article.speaker, named, spans, wanted
        )
        return {p.number: found for p, found in zip(article.passages, statements, strict=False) if found}

    def _speakers(self, article: Article, names: Iterable[str], previous: tuple[str, ...]) -> tuple[str, ...]:
        """The article's actors this passage speaks for.

        An article's `actors` are, by definition, the parties whose positions it reports. A passage
        that names some of them speaks for those. One that names none ("the two sides agreed",
        "the ministers said") continues the previous passage's speakers, and before any passage
        has named one, speaks for all of them.
        """
        if not article.actors:
            return ()
        named = set(names) & set(article.actors)
        return tuple(a for a in article.actors if a in named) if named else previous


def _listed_only(spans: list[tuple[int, int]], mentions: Iterable[Mention], threshold: int) -> set[str]:
    """Topics that appear only in sentences (`spans`) naming `threshold` or more topics (a list)."""
    per_sentence: list[set[str]] = [set() for _ in spans]
    where: dict[str, set[int]] = {}
    for mention in mentions:
        index = _sentence_of(spans, mention.start)
        per_sentence[index] |= mention.owners
        for owner in mention.owners:
            where.setdefault(owner, set()).add(index)
    return {
        topic
        for topic, sentences in where.items()
        if all(len(per_sentence[i]) >= threshold for i in sentences)
    }


def _sentence_of(spans: list[tuple[int, int]], offset: int) -> int:
    for index, (_, end) in enumerate(spans):
        if offset < end:
            return index
    return max(len(spans) - 1, 0)
