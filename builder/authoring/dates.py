"""Find publication dates written in text: datelines, captions, "Published:" lines, `<time>` values.

Only complete dates count (a day, a month and a year). Slashed numeric dates such as 12/10/2020
are skipped: they mean 12 October in London and 10 December in New York, and a wrong date is
worse than none, because the editor is then asked for one. Dotted numeric dates (28.04.2020) are
read day first, the only order that writes them so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # March 22, 2021
    re.compile(rf"\b{_DAY}\.?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 22 March 2021
    re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?![\d])"),
)
_ISO_PREFIX = re.compile(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
# Words that may surround a date on a line that only dates the article.
_DATE_LINE_WORDS = frozenset(
    "published posted updated written created date stand last first on at am pm gmt utc uhr et edt est "
    "bst cet cest ist hkt monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri "
    "sat sun".split()
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\b|\b\d{3,4}\b")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A complete date written in a text."""

    date: dt.date
    text: str
    """The words as written, e.g. `March 22, 2021`."""
    start: int


def dates_in(text: str, *, latest: dt.date | None = None) -> list[DateMention]:
    """Find every complete, real calendar date in `text`, in order; none later than `latest`."""
    found: dict[int, DateMention] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _as_date(match)
            if value is None or (latest is not None and value > latest):
                continue
            if not any(m.start <= match.start() < m.start + len(m.text) for m in found.values()):
                found[match.start()] = DateMention(value, match.group(0), match.start())
    return [found[start] for start in sorted(found)]


def _as_date(match: re.Match[str]) -> dt.date | None:
    month_text = match.group("month").lower().rstrip(".")
    month = _MONTHS.get(month_text) if not month_text.isdigit() else int(month_text)
    if month is None:
        return None
    try:
        return dt.date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def iso_date(value: str) -> dt.date | None:
    """Read the date opening a machine-readable value such as `2021-03-22T10:00:00+08:00`."""
    match = _ISO_PREFIX.match(value)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def is_date_line(line: str) -> bool:
    """Tell whether a short line only dates the article ("Published: March 22, 2021 10:05 GMT")."""
    mentions = dates_in(line)
    if not mentions or len(line.split()) > 12:
        return False
    rest = line
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    words = [w for w in _WORD.findall(_TIME.sub(" ", rest)) if w.lower() not in _DATE_LINE_WORDS]
    return len(words) <= 1


def first_date(texts: Iterable[str], *, latest: dt.date | None = None) -> DateMention | None:
    """Return the first complete date in the first of `texts` that has one."""
    for text in texts:
        mentions = dates_in(text, latest=latest)
        if mentions:
            return mentions[0]
    return None


def dateline(paragraph: str, *, latest: dt.date | None = None) -> DateMention | None:
    """Find the date in a dateline such as `BEIJING, March 22, 2021 (Xinhua) --` opening a paragraph."""
    return next(_early(dates_in(paragraph[:120], latest=latest)), None)


def _early(mentions: list[DateMention]) -> Iterator[DateMention]:
    # A dateline ends within the first few words; a date later in the sentence is news.
    for mention in mentions:
        if mention.start <= 60:
            yield mention
