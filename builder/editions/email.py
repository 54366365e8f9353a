"""An edition as a self-contained e-mail body, ready for a mailing tool.

Mail clients ignore or strip stylesheets, scripts and much of CSS layout, so the body is one
600-pixel table, every style inline, no image or font to fetch, and every link absolute (built
from `site_url`; without it the body says that links need it and leaves them out).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from builder.briefs.coverage import MONTHS
from builder.editions.desk import ARROWS, Edition, EditionBrief
from builder.model import SiteConfig
from builder.urls import absolute, page_url

WIDTH = 600
_FONT = "font-family:Georgia,'Times New Roman',serif;"
_SANS = "font-family:Helvetica,Arial,sans-serif;"
_TEXT = "color:#1f2328;"
_MUTED = "color:#57606a;"
_LINK = "color:#0b57d0;text-decoration:underline;"
_TREND_COLOURS = {
    "deteriorated": "#b3261e",
    "improved": "#1e7b34",
    "unchanged": "#57606a",
    "risk": "#9a5b00",
    "opportunity": "#00796b",
}


def email_path(edition: Edition) -> str:
    """Site-relative path of the edition's e-mail body."""
    return f"editions/{edition.id}/email.html"


def email_html(config: SiteConfig, edition: Edition) -> bytes:
    """The whole e-mail body: an HTML document made of tables with inline styles."""
    url = config.site_url

    def link(docs_path: str, text: str) -> str:
        if not url:
            return escape(text)
        return f'<a href="{escape(absolute(url, page_url(docs_path)))}" style="{_LINK}">{escape(text)}</a>'

    period = edition.period
    rows = [
        _row(
            f'<p style="margin:0;{_SANS}font-size:13px;{_MUTED}">{escape(config.site_name)}</p>'
            f'<h1 style="margin:4px 0 0 0;{_FONT}font-size:26px;line-height:1.25;{_TEXT}">'
            f"{escape(period.title)}: what changed</h1>"
            f'<p style="margin:4px 0 0 0;{_SANS}font-size:14px;{_MUTED}">{escape(period.span)} · '
            f"{edition.articles} article{'s' if edition.articles != 1 else ''}</p>"
        )
    ]
    if not url:
        rows.append(
            _row(
                f'<p style="margin:0;padding:8px;background:#fff4ce;{_SANS}font-size:14px;{_TEXT}">'
                "Links need <code>site_url</code> in site_config.yml: set it to the published "
                "site's address and build again to link each item to its page.</p>"
            )
        )
    for part in edition.briefs:
        rows.append(_row(_brief(part, link)))
    if not edition.briefs:
        rows.append(_row(f'<p style="margin:0;{_SANS}font-size:15px;{_TEXT}">Nothing new on the briefs.</p>'))
    footer = link(edition.page, "Read this edition on the site") if url else "This edition is on the site."
    rows.append(_row(f'<p style="margin:0;{_SANS}font-size:13px;{_MUTED}">{footer}</p>'))
    body = "".join(rows)
    document = (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(period.title)}: what changed — {escape(config.site_name)}</title></head>"
        f'<body style="margin:0;padding:0;background:#f3f4f6;">'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="background:#f3f4f6;"><tr><td align="center" style="padding:16px 8px;">'
        f'<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:100%;max-width:{WIDTH}px;background:#ffffff;border:1px solid #d0d7de;">'
        f"{body}</table></td></tr></table></body></html>\n"
    )
    return document.encode("utf-8")


def _row(content: str) -> str:
    return f'<tr><td style="padding:16px 24px;border-bottom:1px solid #eaeef2;">{content}</td></tr>'


def _brief(part: EditionBrief, link: Callable[[str, str], str]) -> str:
    """A brief's heading, then its trend changes, new developments and next period's events."""
    heading = link(part.topic.page, part.topic.title)
    lines = [f'<h2 style="margin:0 0 8px 0;{_FONT}font-size:20px;{_TEXT}">{heading}</h2>']
    items = []
    for trend in part.trends:
        colour = _TREND_COLOURS[trend.status]
        items.append(
            f'<strong style="color:{colour};">{ARROWS[trend.status]} '
            f"{escape(trend.status.capitalize())}</strong>"
            f": {escape(trend.note)}"
        )
    for article in part.developments:
        items.append(
            f'<span style="{_MUTED}">{article.date.day} {_month(article.date.month)}</span> · '
            f"{link(article.page, article.title)} · {escape(article.source)}"
        )
    for event in part.upcoming:
        items.append(
            f'<span style="{_MUTED}">Coming up, {event.date.day} {_month(event.date.month)}</span> · '
            + (
                f'<a href="{escape(event.url)}" style="{_LINK}">{escape(event.event)}</a>'
                if event.url
                else escape(event.event)
            )
        )
    lines.extend(
        f'<p style="margin:0 0 6px 0;{_SANS}font-size:15px;line-height:1.45;{_TEXT}">{item}</p>'
        for item in items
    )
    return "".join(lines)


def _month(number: int) -> str:
    return MONTHS[number - 1]
