"""Render each brief's built page into `pdf/<topic-id>.pdf` with WeasyPrint.

The document is the brief's own article (the `<article>` MkDocs wrote, nothing of the site's
navigation, header, search or footer), with Briefdesk's stylesheet, whose print rules WeasyPrint
applies, and `document.css`, the page layout and typography. Material's own stylesheet is left out:
it lays out a screen (fixed header, sidebars), which WeasyPrint renders as blank pages.

The bytes depend on the page alone: the PDF's dates are the brief's last update (never the
clock), its identifier is the topic's id, and WeasyPrint's second identifier is a hash of the
content.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from builder.briefs.assembly import Site
from builder.errors import BuildError
from builder.optional import optional_module
from builder.site import mkdocs
from builder.urls import page_url

log = logging.getLogger(__name__)

STYLESHEET = Path(__file__).with_name("document.css")
SITE_STYLESHEET = "assets/briefdesk/briefdesk.css"
"""Briefdesk's stylesheet in the built site (its print rules hide permalinks, show source URLs)."""
FOLDER = "pdf"
"""Where the PDFs go in the site: `pdf/<topic-id>.pdf`."""
CHART_STYLE = ".bd-chart__bar{fill:#666}.bd-chart__axis{stroke:#999;stroke-width:1}"
"""The chart's colours, set inside the SVG: WeasyPrint styles inline SVG from its own <style>."""


def require(wanted_by: str = "briefdesk build --pdf") -> ModuleType:
    """WeasyPrint, or a one-line DependencyError naming the `pdf` extra and what asked for it."""
    return optional_module("weasyprint", wanted_by, extra="pdf")


@dataclass(frozen=True, slots=True)
class BriefPdf:
    """One brief to print: its topic's id, its page in the site and the date it was last updated."""

    topic_id: str
    page: str
    """The brief's HTML page, relative to the site folder (`topics/<id>/index.html`)."""
    updated: dt.date


def briefs_to_print(site: Site) -> list[BriefPdf]:
    """Every brief of the site, with its HTML page and the date it was last updated (the site's
    newest content date for a brief with no articles yet)."""
    fallback = dt.datetime.fromtimestamp(mkdocs.source_date_epoch(site.project), dt.UTC).date()
    return [
        BriefPdf(brief.topic.id, page_url(brief.topic.page) + "index.html", brief.last_date or fallback)
        for brief in site.briefs
    ]


def engine_version() -> str:
    """WeasyPrint's version, without importing it (a new version may lay pages out differently)."""
    try:
        return importlib.metadata.version("weasyprint")
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def pdf_path(topic_id: str) -> str:
    """The PDF of a brief, relative to the site folder."""
    return f"{FOLDER}/{topic_id}.pdf"


def write_pdfs(site: Path, briefs: Sequence[BriefPdf]) -> int:
    """Write these briefs' PDFs under `site` (a built HTML site); return how many were written.

    A PDF is written as a new file, then moved into place: the site may be staged from the
    previous one by hard links, and writing into a linked file would change the site being
    served; and `serve` prints in place, where a reader must get the old PDF or the new one,
    never half of one.
    """
    weasyprint = require()
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"file", "data"})  # never the network
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    (site / FOLDER).mkdir(parents=True, exist_ok=True)
    with _quiet(weasyprint) as problems:
        for brief in briefs:
            page = site / brief.page
            try:
                source = page.read_bytes()
            except OSError as exc:
                raise BuildError(f"{brief.page}: cannot read the brief's page for its PDF: {exc}") from None
            html = weasyprint.HTML(
                string=document_html(source, brief.updated, (site / SITE_STYLESHEET).as_uri()),
                base_url=page.as_uri(),  # anything relative left (an image) resolves in the staged site
                url_fetcher=fetcher,
            )
            target = site / pdf_path(brief.topic_id)
            partial = target.with_name(f".{target.name}.partial")
            try:
                document = html.render(stylesheets=[stylesheet])
                document.write_pdf(partial, pdf_identifier=brief.topic_id.encode())
                os.replace(partial, target)
            except Exception as exc:  # WeasyPrint's own failure: one line, and the last site stays
                partial.unlink(missing_ok=True)
                raise BuildError(
                    f"{brief.page}: WeasyPrint could not print the brief: {type(exc).__name__}: {exc}"
                ) from exc
    for problem in problems:
        log.warning("WeasyPrint: %s", problem)
    return len(briefs)


def document_html(page: bytes, updated: dt.date, stylesheet: str) -> str:
    """The HTML document WeasyPrint prints: the page's article, its language, title and author,
    the PDF's dates (WeasyPrint reads them from `dcterms` meta tags), and a link to `stylesheet`."""
    tree = lxml.html.document_fromstring(page)
    articles = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
    if not articles:
        raise BuildError("a brief's page has no article to print (was the theme's main template replaced?)")
    article = articles[0]
    for svg in article.xpath(".//*[local-name()='svg'][contains(@class, 'bd-chart__svg')]"):
        style = etree.Element("style")
        style.text = CHART_STYLE
        svg.insert(0, style)
    _absolute_links(article, _first(tree.xpath("//link[@rel='canonical']/@href")))
    title = tree.findtext(".//title") or ""
    authors = tree.xpath("//meta[@name='author']/@content")
    date = updated.isoformat()
    head = [
        '<meta charset="utf-8">',
        f"<title>{_escape(title)}</title>",
        f'<meta name="dcterms.created" content="{date}">',
        f'<meta name="dcterms.modified" content="{date}">',
        *(f'<meta name="author" content="{_escape(author)}">' for author in authors[:1]),
        f'<link rel="stylesheet" href="{_escape(stylesheet)}">',
    ]
    language = tree.get("lang") or "en"
    body = lxml.html.tostring(article, encoding="unicode")
    return (
        f'<!doctype html><html lang="{_escape(language)}">'
        f"<head>{''.join(head)}</head><body>{body}</body></html>"
    )


def _absolute_links(article: lxml.html.HtmlElement, canonical: str | None) -> None:
    """Point the article's links to other pages at the published site.

    A PDF is read away from the site: a relative link would resolve against the folder it was
    built in (a file:// address, useless elsewhere, and bytes that change with the folder). With
    the site's address (`site_url`, which gives each page a canonical URL) the links lead to the
    web pages; without it they are left as text. Links within the brief (`#source-3`) stay.
    """
    for link in article.iter("a"):
        href = link.get("href")
        if href is None or href.startswith("#") or urlsplit(href).scheme:
            continue
        if canonical:
            link.set("href", urljoin(canonical, href))
        else:
            del link.attrib["href"]


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class _Collector(logging.Handler):
    """Keeps WeasyPrint's errors; its warnings are about CSS it does not support (of which
    Briefdesk's stylesheet, written for browsers, has plenty) and are dropped."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet(weasyprint: ModuleType) -> Iterator[list[str]]:
    """While rendering, WeasyPrint's log goes to a list instead of the terminal."""
    logger = weasyprint.LOGGER
    collector = _Collector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
