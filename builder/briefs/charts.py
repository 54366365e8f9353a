"""Draw coverage as inline SVG at build time: the brief's chart and the home page's sparklines.

Colours come from CSS classes (briefdesk.css maps them onto Material's palette variables), so one
SVG follows the light and the dark scheme. The chart is `role="img"` with a title and description;
a visually hidden table gives screen readers the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from builder.briefs.coverage import MONTHS, Coverage, bucket_label
from builder.model import TrendPoint

_WIDTH, _HEIGHT, _AXIS = 600, 100, 2


def coverage_chart(coverage: Coverage, name: str, trend: Sequence[TrendPoint] = ()) -> Markup:
    """The brief's chart: one bar per period, first and last labels, a table for screen readers.

    `name` (the topic id) makes the SVG's title and description ids unique on the page. `trend`
    (the desk's assessments, oldest first) marks each assessment's period with a band along the
    top coloured by its status, and lists them in the text alternative.
    """
    if not coverage.buckets:
        return Markup("")
    caption = escape(coverage.describe())  # the legend and the marks' titles show the trend
    description = escape(coverage.describe() + _trend_sentence(trend))
    peak = max(coverage.peak.count if coverage.peak else 0, 1)
    slot = _WIDTH / len(coverage.buckets)
    plot = _HEIGHT - _AXIS
    bars = []
    for index, bucket in enumerate(coverage.buckets):
        height = round(plot * bucket.count / peak, 1)
        bars.append(
            f'<rect class="bd-chart__bar" x="{index * slot + slot * 0.1:.1f}" y="{plot - height:.1f}" '
            f'width="{slot * 0.8:.1f}" height="{height}">'
            f"<title>{escape(bucket.label)}: {bucket.count}</title></rect>"
        )
    marks, legend, trend_table = _trend_marks(coverage, trend, slot)
    first, last = escape(coverage.buckets[0].label), escape(coverage.buckets[-1].label)
    rows = "".join(
        f'<tr><th scope="row">{escape(b.label)}</th><td>{b.count}</td></tr>' for b in coverage.buckets
    )
    return Markup(
        f'<figure class="bd-chart">'
        f'<svg class="bd-chart__svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="chart-{name}-title chart-{name}-desc" preserveAspectRatio="none">'
        f'<title id="chart-{name}-title">Coverage</title><desc id="chart-{name}-desc">{description}</desc>'
        f'<line class="bd-chart__axis" x1="0" y1="{plot}" x2="{_WIDTH}" y2="{plot}"/>'
        + "".join(bars)
        + marks
        + "</svg>"
        # Labels in HTML, not SVG text: the SVG stretches to the page width and would distort them.
        f'<div class="bd-chart__range" aria-hidden="true"><span>{first}</span><span>{last}</span></div>'
        + legend
        + f'<figcaption class="bd-chart__caption" aria-hidden="true">{caption}</figcaption>'
        # A wrapper, not the table, is visually hidden: a table will not shrink to one pixel. The
        # class keeps Material from wrapping the table in a scrolling box (not focusable, so flagged).
        f'<div class="bd-sr-only"><table class="bd-chart__table">'
        f"<caption>Articles per {coverage.unit}</caption><thead><tr>"
        f'<th scope="col">{coverage.unit.capitalize()}</th><th scope="col">Articles</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>{trend_table}</div>"
        f"</figure>"
    )


_MARK_HEIGHT = 7


def _trend_sentence(trend: Sequence[TrendPoint]) -> str:
    if not trend:
        return ""
    listed = "; ".join(f"{t.status}, {_day(t)}" for t in trend)
    return f" The desk's trend assessments: {listed}."


def _day(point: TrendPoint) -> str:
    return f"{point.date.day} {MONTHS[point.date.month - 1]} {point.date.year}"


def _trend_marks(coverage: Coverage, trend: Sequence[TrendPoint], slot: float) -> tuple[str, str, str]:
    """The assessment marks (SVG), a legend of the statuses shown, and a table of them for
    screen readers. Two assessments in one period stack downwards."""
    if not trend:
        return "", "", ""
    where = {bucket.label: index for index, bucket in enumerate(coverage.buckets)}
    stacked: dict[int, int] = {}
    marks = []
    for point in trend:
        index = where.get(bucket_label(point.date, coverage.unit))
        if index is None:  # before the first article: listed in the text, not drawn
            continue
        level = stacked[index] = stacked.get(index, -1) + 1
        marks.append(
            f'<rect class="bd-trend-mark bd-trend--{point.status}" x="{index * slot:.1f}" '
            f'y="{level * _MARK_HEIGHT}" width="{slot:.1f}" height="{_MARK_HEIGHT - 1}">'
            f"<title>{escape(point.status.capitalize())}, {escape(_day(point))}: "
            f"{escape(point.note)}</title></rect>"
        )
    statuses = list(dict.fromkeys(point.status for point in trend))
    legend = (
        '<ul class="bd-chart__legend" aria-hidden="true">'
        + "".join(
            f'<li><span class="bd-trend-swatch bd-trend--{status}"></span>{escape(status.capitalize())}</li>'
            for status in statuses
        )
        + "</ul>"
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(_day(p))}</th><td>{escape(p.status)}</td><td>{escape(p.note)}</td></tr>'
        for p in reversed(trend)
    )
    table = (
        '<table class="bd-chart__table"><caption>The desk\'s trend assessments</caption><thead><tr>'
        '<th scope="col">Date</th><th scope="col">Trend</th><th scope="col">Why</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(marks), legend, table


def sparkline(coverage: Coverage) -> Markup:
    """A small one-line chart for the home page's briefs table, labelled with the chart's sentence.

    Its baseline spans the whole period, so the months without articles show as its empty
    stretches (the home page gives every brief the same period: see `assembly`).
    """
    if not coverage.buckets:
        return Markup("")
    peak = max(coverage.peak.count if coverage.peak else 0, 1)
    width, height = 120, 24
    slot = width / len(coverage.buckets)
    plot = height - 1  # the bars stand on a one-unit baseline
    heights = [round(plot * b.count / peak, 1) for b in coverage.buckets]
    bars = "".join(
        f'<rect class="bd-chart__bar" x="{i * slot:.1f}" y="{plot - h:.1f}" '
        f'width="{max(slot - 1, 0.5):.1f}" height="{h}"/>'
        for i, h in enumerate(heights)
    )
    return Markup(
        f'<svg class="bd-sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(coverage.describe())}" preserveAspectRatio="none">'
        f'<line class="bd-chart__axis" x1="0" y1="{plot + 0.5}" x2="{width}" y2="{plot + 0.5}"/>{bars}</svg>'
    )
