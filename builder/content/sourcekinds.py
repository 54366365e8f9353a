"""The desk's sources registry: what kind of publisher each source is, and who uses one undescribed.

An analyst weighs a state news agency differently from a wire service or a ministry, so
site_config.yml may describe each source (`sources: {Xinhua: {kind: state media, country:
China}}`). The kinds are a short fixed list, so that they group and filter alike across desks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from difflib import get_close_matches

from builder.content.loading import CONFIG_FILE
from builder.content.validation import PLACEHOLDERS
from builder.diagnostics import Diagnostic
from builder.model import SOURCE_KINDS, Article, SourceInfo


def undescribed_sources(articles: Sequence[Article], registry: Mapping[str, SourceInfo]) -> list[Diagnostic]:
    """Warn once per source that articles name and the registry (when there is one) does not describe.

    Each warning stands on the source line of the first article (by path) that names the source.
    """
    if not registry:
        return []
    users: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.source not in registry and article.source.strip().upper() not in PLACEHOLDERS:
            users[article.source].append(article)
    problems = []
    for name, using in sorted(users.items()):
        first = min(using, key=lambda article: article.path)
        others = len(using) - 1
        used = f" (and {others} more article{'s' if others > 1 else ''})" if others else ""
        near = get_close_matches(name, sorted(registry), n=1, cutoff=0.85)
        hint = (
            f" Did you mean '{near[0]}'?"
            if near
            else f" Add '{name}: {{kind: …}}' there, with a kind from: {', '.join(SOURCE_KINDS)}."
        )
        problems.append(
            Diagnostic(
                first.path,
                first.key_lines.get("source", 1),
                "warning",
                "undescribed-source",
                f"source '{name}'{used} is not described under 'sources' in {CONFIG_FILE}.{hint}",
            )
        )
    return problems
