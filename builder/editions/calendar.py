"""The periods editions cover: ISO weeks (`2021-w51`) or calendar months (`2021-12`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builder.briefs.coverage import MONTHS

UNITS = {"weekly": "week", "monthly": "month"}
"""site_config.yml's `editions` values and the period each stands for (`off`: none)."""


@dataclass(frozen=True, slots=True)
class Period:
    """One edition's span of days, both ends included."""

    id: str
    """`2021-w51` (ISO week) or `2021-12` (month): the edition's page name."""
    unit: str
    """`week` or `month`."""
    start: dt.date
    end: dt.date

    @property
    def page(self) -> str:
        """Docs path of the edition's page."""
        return f"editions/{self.id}.md"

    @property
    def title(self) -> str:
        """'Week 51, 2021' or 'December 2021'."""
        if self.unit == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        year, week, _ = self.start.isocalendar()
        return f"Week {week}, {year}"

    @property
    def span(self) -> str:
        """'20–26 December 2021', '27 December 2021 – 2 January 2022', '1–31 December 2021'."""
        start, end = self.start, self.end
        if start.year != end.year:
            return f"{day_month(start)} {start.year} – {day_month(end)} {end.year}"
        if start.month != end.month:
            return f"{day_month(start)} – {day_month(end)} {end.year}"
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def following(self) -> Period:
        """The next period of the same unit (past the calendar's last day: an empty one, which no
        event falls in)."""
        if self.end == dt.date.max:
            return Period(f"{self.id}-after", self.unit, dt.date.max, dt.date.max)
        return period_of(self.end + dt.timedelta(days=1), self.unit)


def day_month(day: dt.date) -> str:
    """'20 December' (English month names, whatever the machine's locale)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def period_of(day: dt.date, unit: str) -> Period:
    """The ISO week (Monday to Sunday) or the calendar month that holds `day`."""
    # A period ending past 9999-12-31 (an article dated at the calendar's end, which check warns
    # about) ends on the last day there is, instead of overflowing.
    if unit == "month":
        start = day.replace(day=1)
        if start.year == dt.MAXYEAR and start.month == 12:
            return Period(f"{day.year:04d}-12", unit, start, dt.date.max)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(f"{day.year:04d}-{day.month:02d}", unit, start, following - dt.timedelta(days=1))
    year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    end = start + dt.timedelta(days=6) if dt.date.max - start >= dt.timedelta(days=6) else dt.date.max
    return Period(f"{year:04d}-w{week:02d}", "week", start, end)
