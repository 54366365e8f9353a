"""Draw coverage as inline SVG at build time: the brief's chart and the home page's sparklines.

Colours come from CSS classes (briefdesk.css maps them onto Material's palette variables), so one
SVG follows the light and the dark scheme. The chart is `role="img"` with a title and description;
a visually hidden table gives screen readers the numbers.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from builder.briefs.coverage import Coverage

_WIDTH, _HEIGHT, _AXIS = 600, 100, 2


def coverage_chart(coverage: Coverage, name: str) -> Markup:
    """The brief's chart: one bar per period, first and last labels, a table for screen readers.

    `name` (the topic id) makes the SVG's title and description ids unique on the page.
    """
    if not coverage.buckets:
        return Markup("")
    description = escape(coverage.describe())
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
        + "</svg>"
        # Labels in HTML, not SVG text: the SVG stretches to the page width and would distort them.
        f'<div class="bd-chart__range" aria-hidden="true"><span>{first}</span><span>{last}</span></div>'
        f'<figcaption class="bd-chart__caption" aria-hidden="true">{description}</figcaption>'
        # A wrapper, not the table, is visually hidden: a table will not shrink to one pixel. The
        # class keeps Material from wrapping the table in a scrolling box (not focusable, so flagged).
        f'<div class="bd-sr-only"><table class="bd-chart__table">'
        f"<caption>Articles per {coverage.unit}</caption><thead><tr>"
        f'<th scope="col">{coverage.unit.capitalize()}</th><th scope="col">Articles</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        f"</figure>"
    )


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
