"""Bottom lines the desk may have outrun: `check` and `build` warn when a topic's newest
development is more than `briefs.stale_after_days` past the day its bottom line was reviewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from builder.briefs.digest import Brief
from builder.diagnostics import Diagnostic
from builder.model import Project
from builder.routing.router import ArticleRoutes


def stale_bottom_lines(project: Project, newest: Mapping[str, dt.date]) -> list[Diagnostic]:
    """A warning for each topic whose newest development (`newest`, by topic id) is more than
    `briefs.stale_after_days` after its `reviewed` date."""
    days = project.config.briefs.stale_after_days
    problems = []
    for topic in project.topics.values():
        latest = newest.get(topic.id)
        if topic.reviewed is None or latest is None or (latest - topic.reviewed).days <= days:
            continue
        problems.append(
            Diagnostic(
                topic.path,
                topic.key_lines.get("reviewed", topic.key_lines.get("bottom_line", 1)),
                "warning",
                "stale-bottom-line",
                f"the bottom line was reviewed on {topic.reviewed.isoformat()}, "
                f"{(latest - topic.reviewed).days} days before the topic's newest development "
                f"({latest.isoformat()}); confirm or rewrite it and update 'reviewed' "
                f"(the limit, briefs.stale_after_days, is {days})",
            )
        )
    return problems


def newest_in_briefs(briefs: Iterable[Brief]) -> dict[str, dt.date]:
    """Each brief's newest development date: its newest article about the topic (briefs list
    their articles newest first), as `newest_in_routes` finds it."""
    newest = {b.topic.id: next((a.date for a in b.articles if a.slug in b.about), None) for b in briefs}
    return {topic: day for topic, day in newest.items() if day is not None}


def newest_in_routes(project: Project, routes: Mapping[str, ArticleRoutes]) -> dict[str, dt.date]:
    """Each topic's newest development date, from the routes alone (what `check` has)."""
    newest: dict[str, dt.date] = {}
    for article in project.published:
        route = routes.get(article.slug)
        if route is None:
            continue
        for topic_id in route.about:  # a passing mention is no development
            if topic_id not in newest or article.date > newest[topic_id]:
                newest[topic_id] = article.date
    return newest
