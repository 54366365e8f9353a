"""A topic's judgement keys (`bottom_line`, `reviewed`, `trend`, `watch`) past the schema: the
checks that need several keys at once, and the values the model holds, in date order."""

from __future__ import annotations

from builder.content import schema
from builder.content.yamlsafe import YamlDocument
from builder.diagnostics import Diagnostic
from builder.model import TrendPoint, WatchEvent

RESERVED_TOPIC_IDS = frozenset({"editions"})
"""Ids a topic cannot take: its feed, feeds/<id>.xml, would be another output's."""


def topic_problems(path: str, topic_id: str, meta: schema.TopicMeta, yaml: YamlDocument) -> list[Diagnostic]:
    """What is wrong with the topic's id or its judgement keys taken together (errors first)."""
    if topic_id in RESERVED_TOPIC_IDS:
        message = (
            f"the topic id '{topic_id}' is taken: feeds/{topic_id}.xml is the editions' feed; "
            f"rename the file (e.g. {topic_id}-topic.md)"
        )
        return [Diagnostic(path, 1, "error", "reserved-id", message)]
    if meta.bottom_line is not None and meta.reviewed is None:
        message = "'bottom_line' needs 'reviewed: YYYY-MM-DD', the day the desk last confirmed it"
        return [Diagnostic(path, yaml.line_of("bottom_line"), "error", "missing-reviewed", message)]
    if meta.reviewed is not None and meta.bottom_line is None:
        message = "'reviewed' dates a bottom line, and this topic has no 'bottom_line'; it is ignored"
        return [
            Diagnostic(path, yaml.line_of("reviewed"), "warning", "reviewed-without-bottom-line", message)
        ]
    return []


def trend_of(meta: schema.TopicMeta) -> tuple[TrendPoint, ...]:
    """The assessments, oldest first, however the editor ordered them."""
    return tuple(sorted((TrendPoint(t.date, t.status, t.note) for t in meta.trend), key=lambda t: t.date))


def watch_of(meta: schema.TopicMeta) -> tuple[WatchEvent, ...]:
    """The scheduled events, soonest first."""
    return tuple(
        sorted((WatchEvent(w.date, w.event, w.url) for w in meta.watch), key=lambda w: (w.date, w.event))
    )
