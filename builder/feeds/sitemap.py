"""sitemap.xml: every page of the site, each dated by what it shows.

Written here rather than by MkDocs' theme template: MkDocs dates every page with one build date,
and its incremental modes (`serve`) do not read the pages they leave alone, so they could not
date them by their content either. The theme's own sitemap template is blanked (see
builder/theme/overrides/sitemap.xml). Material's instant navigation reads this file to tell
the site's own pages from others: it must list every page, at the URLs MkDocs gives them.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from builder.briefs.assembly import Site
from builder.feeds.pagedates import page_dates
from builder.urls import absolute, page_url


def sitemap_xml(site: Site) -> bytes:
    """The sitemaps.org 0.9 document for the site: its pages with their `lastmod` dates."""
    site_url = site.project.config.site_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page, day in page_dates(site).items():
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(absolute(site_url, page_url(page)))}</loc>")
        if day is not None:  # a page that shows no article yet has no date to give
            lines.append(f"    <lastmod>{day.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_sitemap(site: Site, out: Path) -> None:
    """Write sitemap.xml at the root of the HTML site `out`."""
    (out / "sitemap.xml").write_bytes(sitemap_xml(site))
