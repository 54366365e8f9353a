"""Warnings about content that works here but not everywhere: names Windows reserves, dates far off.

Neither is wrong on this machine, so both are warnings (`--strict` fails on them): a topic file
named `con.md` cannot be checked out on Windows, and an article dated 9999-12-31 among ones from
2021 is almost always a typo that stretches every chart and the home page over eight millennia.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from builder.diagnostics import Diagnostic
from builder.model import Actor, Article, Topic

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
"""Names Windows will not give a file or folder, whatever the extension (`con.md` included)."""
FAR_DAYS = 20 * 365
"""A date this far (at least) from the archive's median is reported."""
FAR_SPREADS = 10
"""... or this many times the spread of the archive's middle 80 %, if that is further."""


def portability_problems(
    articles: Sequence[Article], topics: Mapping[str, Topic], actors: Mapping[str, Actor]
) -> list[Diagnostic]:
    """Every reserved name and far-off date in the project."""
    return [*_reserved_names(articles, topics, actors), *_far_dates(articles)]


def _reserved(name: str) -> bool:
    return name.split(".", 1)[0].lower() in WINDOWS_RESERVED


def _reserved_names(
    articles: Sequence[Article], topics: Mapping[str, Topic], actors: Mapping[str, Actor]
) -> Iterable[Diagnostic]:
    why = "a name Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9): the project and its site cannot be"
    for kind, owners in (("topic", topics.values()), ("actor", actors.values())):
        for owner in owners:
            if _reserved(owner.id):
                yield Diagnostic(
                    owner.path, 1, "warning", "reserved-name",
                    f"{kind} id '{owner.id}' is {why} checked out on Windows; rename the file",
                )
    for article in articles:
        stem = article.path.rsplit("/", 1)[-1].removesuffix(".md")
        if _reserved(article.slug):
            yield Diagnostic(
                article.path, article.key_lines.get("slug", 1), "warning", "reserved-name",
                f"slug '{article.slug}' is {why} checked out on Windows; give the article another 'slug:'",
            )
        elif _reserved(stem):
            yield Diagnostic(
                article.path, 1, "warning", "reserved-name",
                f"file name '{stem}.md' is {why} checked out on Windows; rename the file",
            )


def _far_dates(articles: Sequence[Article]) -> Iterable[Diagnostic]:
    """Dates far from the rest of the archive: judged from its median and middle spread, so one
    wild date cannot widen the range it is judged against."""
    if len(articles) < 2:
        return
    ordinals = sorted(article.date.toordinal() for article in articles)
    count = len(ordinals)
    median = ordinals[(count - 1) // 2]
    spread = ordinals[(9 * (count - 1)) // 10] - ordinals[(count - 1) // 10]
    bound = max(FAR_DAYS, FAR_SPREADS * spread)
    far = [a for a in articles if abs(a.date.toordinal() - median) > bound]
    if not far:
        return
    usual = sorted(a.date for a in articles if abs(a.date.toordinal() - median) <= bound)
    first, last = usual[0].isoformat(), usual[-1].isoformat()
    for article in sorted(far, key=lambda a: a.path):
        years = abs(article.date.year - dt.date.fromordinal(median).year)
        side = "after" if article.date.toordinal() > median else "before"
        yield Diagnostic(
            article.path, article.key_lines.get("date", 1), "warning", "far-date",
            f"date {article.date.isoformat()} is {years:,} years {side} the rest of the archive "
            f"({first} to {last}): check it (the charts stay bounded, but span those years)",
        )
