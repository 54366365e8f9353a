"""Check what links documents together: ids that must exist, slugs and aliases that must be unique."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from builder.diagnostics import Diagnostic, did_you_mean
from builder.model import Article, Topic


def cross_check(
    articles: Sequence[Article],
    topics: Mapping[str, Topic],
    topic_ids: Collection[str],
    actor_ids: Collection[str],
) -> list[Diagnostic]:
    """Check what links documents together: ids that must exist, slugs that must be unique.

    `topic_ids` and `actor_ids` hold every file found, valid or not, so that one broken topic
    file is reported once rather than again in every article that lists it.
    """
    problems: list[Diagnostic] = []
    for article in articles:
        problems.extend(
            _unknown_ids(article.path, article.key_lines, "topics", article.topics, topic_ids, "topic")
        )
        problems.extend(
            _unknown_ids(article.path, article.key_lines, "actors", article.actors, actor_ids, "actor")
        )
        if article.speaker is not None:
            problems.extend(
                _unknown_ids(
                    article.path, article.key_lines, "speaker", (article.speaker,), actor_ids, "actor"
                )
            )
    for topic in topics.values():
        problems.extend(
            _unknown_ids(topic.path, topic.key_lines, "related", topic.related, topic_ids, "topic")
        )
        if topic.id in topic.related:
            problems.append(
                Diagnostic(
                    topic.path,
                    topic.key_lines.get("related", 1),
                    "warning",
                    "self-related",
                    f"topic '{topic.id}' lists itself as related",
                )
            )
    by_slug: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article)
    for slug, same in sorted(by_slug.items()):
        if len(same) > 1:
            paths = [a.path for a in same]
            for article in same:
                others = ", ".join(p for p in paths if p != article.path)
                problems.append(
                    Diagnostic(
                        article.path,
                        article.key_lines.get("slug", 1),
                        "error",
                        "duplicate-slug",
                        f"slug '{slug}' is also used by {others}; give one of them its own 'slug:'",
                    )
                )
    problems.extend(_shared_aliases(topics))
    return problems


def _unknown_ids(
    path: str,
    lines: Mapping[str, int],
    key: str,
    ids: Iterable[str],
    known: Collection[str],
    what: str,
) -> Iterable[Diagnostic]:
    for value in ids:
        if value not in known:
            hint = did_you_mean(value, known)
            if not hint:
                hint = f" Create content/{what}s/{value}.md or fix the id."
            yield Diagnostic(
                path,
                lines.get(key, 1),
                "error",
                f"unknown-{what}",
                f"unknown {what} '{value}' in '{key}'.{hint}",
            )


def _shared_aliases(topics: Mapping[str, Topic]) -> Iterable[Diagnostic]:
    """Warn when two topics claim the same phrase: a mention would count for both."""
    owners: dict[str, list[Topic]] = defaultdict(list)
    for topic in topics.values():
        for alias in topic.aliases:
            owners[" ".join(unicodedata.normalize("NFC", alias).casefold().split())].append(topic)
    for alias, claimed in sorted(owners.items()):
        if len(claimed) > 1:
            for topic in claimed:
                others = ", ".join(t.id for t in claimed if t is not topic)
                yield Diagnostic(
                    topic.path,
                    topic.key_lines.get("aliases", topic.key_lines.get("title", 1)),
                    "warning",
                    "shared-alias",
                    f"alias '{alias}' is also an alias of {others}; a mention counts for both",
                )
