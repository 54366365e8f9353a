"""Warn about articles whose bodies are the same text: the same file saved twice, or a page
imported again under another name."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from builder.diagnostics import Diagnostic
from builder.model import Article

MIN_WORDS = 12
"""Bodies shorter than this are left alone: a placeholder ("Body text.") is no one's duplicate."""


def same_bodies(articles: Sequence[Article]) -> Iterable[Diagnostic]:
    """A warning on each article whose body (its passages' text, spacing aside) another one has too,
    naming the other path. Drafts count: a draft of a story already published is one too."""
    by_body: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        passages = [p.text.split() for p in article.passages]  # each split once, and counted
        if sum(len(words) for words in passages) >= MIN_WORDS:
            text = "\n".join(" ".join(words) for words in passages)
            by_body[hashlib.sha256(text.encode()).hexdigest()].append(article)
    for same in by_body.values():
        if len(same) < 2:
            continue
        for article in sorted(same, key=lambda a: a.path):
            others = ", ".join(a.path for a in sorted(same, key=lambda a: a.path) if a is not article)
            yield Diagnostic(
                article.path,
                article.passages[0].line,
                "warning",
                "duplicate-body",
                f"the same text as {others}: delete the copy you do not mean to keep",
            )
