"""Suggest a draft's topics and actors by running the project's own routing over its passages.

A topic is suggested when the draft is about it as the brief decides it (`builder.routing.aboutness`):
a topic named only in passing ("the first visit since the pandemic began") or inside a list
("they also discussed UN reform, climate change, Syria and Sudan") is reported but not
suggested, as the brief itself files such an article under "Also mentioned in".

Actors are suggested from who speaks in the draft (`builder.routing.attribution`: the parties
whose positions it reports), most statements first, then those it is about: named in its first
passage or in more than one. Actors it only names in passing are reported, not suggested. People
who speak but are no actor yet are listed with their statements, so the editor can add them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.content import project
from builder.content.loading import discover, read_config
from builder.content.validation import validate_config
from builder.diagnostics import Diagnostic, Diagnostics
from builder.errors import ContentError, UsageError
from builder.model import Actor, Article, RoutingSettings, Topic
from builder.routing.attribution import Attributor, named_speakers
from builder.routing.router import Router


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the project can route to: its topics and actors, and how it routes."""

    topics: Mapping[str, Topic]
    actors: Mapping[str, Actor]
    settings: RoutingSettings


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A topic or actor the draft mentions."""

    id: str
    mentions: int
    """How many times its aliases occur in the draft's passages."""
    listed_only: bool = False
    """For topics: named only in passing or in list-like sentences, so not suggested."""
    statements: int = 0
    """For actors: sentences of the draft the actor speaks."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """Someone the draft quotes who is no actor of the project yet."""

    name: str
    statements: int


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Everything the draft mentions, most mentioned first."""

    topics: tuple[Suggestion, ...]
    listed: tuple[Suggestion, ...]
    actors: tuple[Suggestion, ...]
    """Who speaks in the draft, then who it is about."""
    named: tuple[Suggestion, ...] = ()
    """Actors only named in passing: reported, not suggested."""
    speakers: tuple[Speaker, ...] = ()
    """Named speakers who are no actor yet, most statements first."""


def load_vocabulary(root: Path) -> Vocabulary:
    """Read the project's config, topics and actors (not its articles); refuse a non-project."""
    config_doc = read_config(root)
    if isinstance(config_doc, Diagnostic):
        raise UsageError(f"{root} is not a Briefdesk project: {config_doc.message}")
    config, problems = validate_config(config_doc)
    if config is None:
        first = next((p for p in problems if p.severity == "error"), None)
        reason = first.format() if first else "site_config.yml is not valid"
        raise ContentError(f"cannot read the project's settings: {reason}; run 'briefdesk check'")
    # Their problems are `briefdesk check`'s to report: suggestions use what loads.
    topics, actors = project.load_vocabulary(root, discover(root)[0], Diagnostics())
    return Vocabulary(topics, actors, config.routing)


def suggest(article: Article, vocabulary: Vocabulary) -> Suggestions:
    """Count the mentions of every topic and actor in `article`'s passages, as routing sees them."""
    # Routing by mention even where the site routes only by the `topics` list: the question here
    # is what the text is about, which is what that list should say.
    settings = RoutingSettings(
        auto=True, also_discussed_min_topics=vocabulary.settings.also_discussed_min_topics
    )
    router = Router(vocabulary.topics, vocabulary.actors, settings)
    topic_counts: Counter[str] = Counter()
    actor_counts: Counter[str] = Counter()
    passages_naming: Counter[str] = Counter()
    for passage in article.passages:
        for mention in router.topics.mentions(passage.text):
            topic_counts.update(mention.owners)
        named = router.attributor.named(passage.text)
        passages_naming.update(named)
        for mention in router.actors.mentions(passage.text):
            actor_counts.update(mention.owners)
    news = set(router.route(article).about)
    topics = _ranked(topic_counts, news)
    spoken = Attributor(vocabulary.actors).attribute([p.text for p in article.passages])
    said: Counter[str] = Counter(a for item in spoken for a in item.actors)
    lead = set(router.attributor.named(article.passages[0].text)) if article.passages else set()
    about = {a for a in set(actor_counts) | lead if a in lead or passages_naming[a] > 1}
    actors = sorted(
        set(said) | about,
        key=lambda a: (-said[a], -actor_counts[a], a),
    )
    return Suggestions(
        topics=tuple(s for s in topics if not s.listed_only),
        listed=tuple(s for s in topics if s.listed_only),
        actors=tuple(Suggestion(a, actor_counts[a], statements=said[a]) for a in actors),
        named=tuple(s for s in _ranked(actor_counts, None) if s.id not in said and s.id not in about),
        speakers=_speakers(named_speakers(spoken), " ".join(p.text for p in article.passages)),
    )


def _speakers(counts: Mapping[str, int], text: str) -> tuple[Speaker, ...]:
    """People quoted who are no actor, a surname alone counted with the full name it shortens
    (the longest run of capitalised words ending in it that the draft's text holds)."""
    merged: Counter[str] = Counter()
    for name, count in counts.items():
        if len(name.split()) == 1:
            runs = re.findall(r"(?:[A-Z][\w'’-]+\s+){1,4}" + re.escape(name) + r"\b", text)
            name = max(runs, key=len) if runs else name
        merged[" ".join(name.split())] += count
    people = [n for n in merged if len(n.split()) > 1]
    return tuple(Speaker(n, merged[n]) for n in sorted(people, key=lambda n: (-merged[n], n)))


def _ranked(counts: Counter[str], news: set[str] | None) -> tuple[Suggestion, ...]:
    return tuple(
        Suggestion(owner, count, listed_only=news is not None and owner not in news)
        for owner, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
