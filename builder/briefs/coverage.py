"""How many articles a topic had per month (or per year, over long spans): the brief's coverage chart.

The counts are page data; `charts` draws them as SVG at build time, so the chart needs no JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

MAX_MONTHLY_SPAN = 36
"""Months a chart shows one bar each for; a longer span gets one bar per year."""
MAX_BUCKETS = 60
"""Bars a chart has at most: a longer span of years gets one bar per decade, century, …, so one
article dated 9999 cannot make a chart (and the home page's sparklines) thousands of bars long."""
_YEAR_STEPS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
_STEP_NAMES = {1: "year", 10: "decade", 100: "century"}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    """'March 2021', or '2021' for a yearly chart."""
    count: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """Articles per period, oldest first, every period of the span included (empty ones as 0)."""

    unit: str
    """'month' or 'year'."""
    buckets: tuple[Bucket, ...]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)

    @property
    def peak(self) -> Bucket | None:
        """The busiest period (the earliest of equals)."""
        return max(self.buckets, key=lambda b: b.count, default=None)

    def describe(self) -> str:
        """The chart in one sentence, its text alternative."""
        if not self.buckets or self.peak is None:
            return "No articles yet."
        first, last = self.buckets[0].label, self.buckets[-1].label
        span = first if first == last else f"{first} to {last}"
        articles = "article" if self.total == 1 else "articles"
        return (
            f"Articles per {self.unit}, {span}: {self.total:,} {articles}; "
            f"the most, {self.peak.count:,}, in {self.peak.label}."
        )


def bucket_label(day: dt.date, unit: str) -> str:
    """The label of the bucket that holds `day` in a chart of `unit` ('month' or 'year')."""
    return str(day.year) if unit == "year" else f"{MONTHS[day.month - 1]} {day.year}"


def coverage(dates: Iterable[dt.date], within: tuple[dt.date, dt.date] | None = None) -> Coverage:
    """Count `dates` per month, or per year when they span more than MAX_MONTHLY_SPAN months.

    With `within` (the first and last date of the whole site), every chart spans the same
    periods, so charts drawn side by side share one time axis.
    """
    months = Counter((d.year, d.month) for d in dates)
    if not months:
        return Coverage("month", ())
    ends = [*months, *(((d.year, d.month) for d in within) if within else ())]
    (first_year, first_month), (last_year, last_month) = min(ends), max(ends)
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > MAX_MONTHLY_SPAN:
        step = next(s for s in _YEAR_STEPS if (last_year - first_year + 1) / s <= MAX_BUCKETS or s == 10000)
        start = first_year - first_year % step
        years = Counter[int]()
        for (year, _), count in months.items():
            years[(year - start) // step] += count
        firsts = [start + index * step for index in range((last_year - start) // step + 1)]
        return Coverage(
            _STEP_NAMES.get(step, f"{step} years"),
            tuple(
                Bucket(str(year) if step == 1 else f"{year}–{year + step - 1}", years[index])
                for index, year in enumerate(firsts)
            ),
        )
    buckets = []
    for index in range(span):
        year, month = divmod(first_year * 12 + first_month - 1 + index, 12)
        buckets.append(Bucket(f"{MONTHS[month]} {year}", months[(year, month + 1)]))
    return Coverage("month", tuple(buckets))
