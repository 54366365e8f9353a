"""Suggest a draft's topics and actors by running the project's own routing over its passages.

A topic is suggested when the draft is about it as the brief decides it (`builder.routing.aboutness`):
a topic named only in passing ("the first visit since the pandemic began") or inside a list
("they also discussed UN reform, climate change, Syria and Sudan") is reported but not
suggested, as the brief itself files such an article under "Also mentioned in". Actors are
suggested when a passage names them: the editor keeps the parties whose positions are reported.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Everything the draft mentions, most mentioned first."""

    topics: tuple[Suggestion, ...]
    listed: tuple[Suggestion, ...]
    actors: tuple[Suggestion, ...]


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
    for passage in article.passages:
        for mention in router.topics.mentions(passage.text):
            topic_counts.update(mention.owners)
        for mention in router.actors.mentions(passage.text):
            actor_counts.update(mention.owners)
    news = set(router.route(article).about)
    topics = _ranked(topic_counts, news)
    return Suggestions(
        topics=tuple(s for s in topics if not s.listed_only),
        listed=tuple(s for s in topics if s.listed_only),
        actors=_ranked(actor_counts, None),
    )


def _ranked(counts: Counter[str], news: set[str] | None) -> tuple[Suggestion, ...]:
    return tuple(
        Suggestion(owner, count, listed_only=news is not None and owner not in news)
        for owner, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
