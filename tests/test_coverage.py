"""The coverage chart's counts and its text alternative."""

from __future__ import annotations

import datetime as dt

from builder.briefs.charts import coverage_chart, sparkline
from builder.briefs.coverage import coverage


def test_months_are_counted_with_empty_months_kept() -> None:
    chart = coverage([dt.date(2021, 1, 5), dt.date(2021, 3, 1), dt.date(2021, 3, 30)])
    assert chart.unit == "month"
    assert [(b.label, b.count) for b in chart.buckets] == [("January 2021", 1), ("February 2021", 0), ("March 2021", 2)]
    assert chart.describe() == "Articles per month, January 2021 to March 2021: 3 articles; the most, 2, in March 2021."


def test_a_span_over_three_years_is_counted_per_year() -> None:
    chart = coverage([dt.date(2015, 9, 28), dt.date(2018, 10, 1), dt.date(2018, 9, 25)])
    assert chart.unit == "year"
    assert [(b.label, b.count) for b in chart.buckets] == [("2015", 1), ("2016", 0), ("2017", 0), ("2018", 2)]
    assert coverage([dt.date(2015, 1, 1), dt.date(2017, 12, 31)]).unit == "month"  # 36 months


def test_the_svg_is_an_image_with_a_description_and_a_table() -> None:
    chart = coverage([dt.date(2021, 1, 5), dt.date(2021, 3, 1)])
    html = str(coverage_chart(chart, "t"))
    assert 'role="img" aria-labelledby="chart-t-title chart-t-desc"' in html
    assert "<desc id=\"chart-t-desc\">Articles per month, January 2021 to March 2021" in html
    assert html.count('class="bd-chart__bar"') == 3 and "<script" not in html
    assert '<th scope="row">February 2021</th><td>0</td>' in html
    assert 'aria-label="Articles per month' in str(sparkline(chart))
    assert str(coverage_chart(coverage([]), "t")) == "" == str(sparkline(coverage([])))


def test_charts_drawn_side_by_side_can_share_the_sites_time_axis() -> None:
    # A topic covered in July and September only, on a site whose articles run from March to
    # November: its sparkline spans March to November, like every other row of the table.
    within = (dt.date(2021, 3, 19), dt.date(2021, 11, 2))
    shared = coverage([dt.date(2021, 7, 1), dt.date(2021, 9, 30)], within=within)
    assert (shared.buckets[0].label, shared.buckets[-1].label) == ("March 2021", "November 2021")
    assert [b.count for b in shared.buckets] == [0, 0, 0, 0, 1, 0, 1, 0, 0]
    assert coverage([dt.date(2021, 7, 1)]).buckets[0].label == "July 2021"  # its own span alone


def test_the_home_pages_sparklines_share_one_time_axis() -> None:
    from builder.briefs.assembly import assemble
    from builder.content.project import load_project
    from builder.diagnostics import Diagnostics
    from builder.pipeline.pipeline import route_articles
    from tests.conftest import REPO

    project = load_project(REPO, Diagnostics())
    assert project is not None
    site = assemble(project, route_articles(project))
    spans = {
        (summary.coverage.buckets[0].label, summary.coverage.buckets[-1].label)
        for _, summaries in site.regions
        for summary in summaries
        if summary.coverage.buckets
    }
    dates = [page.article.date for page in site.articles]
    first, last = min(dates), max(dates)
    assert spans == {(f"{first:%B %Y}", f"{last:%B %Y}")}


def test_a_span_of_millennia_keeps_the_chart_to_sixty_bars() -> None:
    chart = coverage([dt.date(2021, 3, 1), dt.date(2021, 5, 1), dt.date(9999, 12, 31)])
    assert (chart.unit, len(chart.buckets)) == ("250 years", 32)
    assert (chart.buckets[0].label, chart.buckets[0].count) == ("2000–2249", 2)
    assert (chart.buckets[-1].label, chart.buckets[-1].count) == ("9750–9999", 1)
    century = coverage([dt.date(1901, 1, 1), dt.date(2021, 1, 1)])
    assert (century.unit, len(century.buckets), century.buckets[0].label) == ("5 years", 25, "1900–1904")
    assert coverage([dt.date(1962, 1, 1), dt.date(2021, 1, 1)]).unit == "year"  # 60 years: one bar each
    assert len(str(sparkline(chart))) < 5000 and len(str(coverage_chart(chart, "t"))) < 20_000
