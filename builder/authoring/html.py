"""Extract a saved web page's article: trafilatura for the main text and metadata, plus the headline.

trafilatura finds the article text and the page's metadata (site name, canonical address, a
publication date via htmldate). The title and date a reader sees printed on the page win over
metadata where they can be found (see `headline`): metadata titles are often rewritten for
social media, and an updated article often keeps its first publication date in metadata only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from builder.authoring import headline as headlines
from builder.authoring import markdown
from builder.authoring.clipping import furniture
from builder.authoring.dates import dates_in, is_date_line, iso_date
from builder.authoring.page import Found, FoundDate, ImportedPage
from builder.errors import ContentError
from builder.optional import optional_module

log = logging.getLogger(__name__)

_MIN_WORDS = 8
"""A paragraph this long is the article's text, not a label, byline or date line."""


def extract_page(
    text: str, name: str, *, url: str | None, today: dt.date, passes: tuple[Pass, ...] | None = None
) -> ImportedPage:
    """Find the article in a page's HTML `text`; `name` is only used in messages.

    trafilatura's balanced pass is tried first; when what it finds leaves no paragraph of article
    text once headline, date lines and furniture are gone, its recall pass, then its comments pass
    (some sites wrap a short item in a container whose class says "comment", and trafilatura files
    the article there); then trafilatura's own defaults, as its `extract` runs them, and their
    recall mode (see PASSES). The first draft with article text wins; failing that, the first
    non-empty. `passes` replaces PASSES (to try one pass alone).
    """
    trafilatura = optional_module("trafilatura", "briefdesk import of a saved web page")
    fallback: ImportedPage | None = None
    tree = trafilatura.load_html(text)
    if tree is not None:
        for chosen in passes or PASSES:
            for page in _pages(trafilatura, text, tree, url, today, chosen):
                if any(_is_text(block) for block in page.body.split("\n\n")):
                    log.info("article text found by trafilatura's %s pass", chosen.name)
                    return page
                if fallback is None and page.body.strip():
                    fallback = page
    if fallback is None:
        raise ContentError(
            f"found no article text in {name}: save the article's own page (not a front page), "
            "or copy its text into a .txt file and import that"
        )
    return fallback


@dataclass(frozen=True, slots=True)
class Pass:
    """One way of asking trafilatura for the article."""

    name: str
    options: Mapping[str, bool]
    """Passed to `bare_extraction`, over the importer's own settings unless `defaults`."""
    defaults: bool = False
    """Run with trafilatura's own defaults (as its `extract` does): no metadata, no url, no
    settings of ours; the page's metadata is then read on its own, where it can be."""


PASSES: tuple[Pass, ...] = (
    Pass("balanced", {}),
    Pass("recall", {"favor_recall": True}),
    Pass("comments", {"include_comments": True}),
    # Our passes read metadata in the same run and drop comment-like containers and lists first;
    # a page where that leaves nothing can still give its article to trafilatura as it ships.
    Pass("default", {}, defaults=True),
    Pass("default recall", {"favor_recall": True}, defaults=True),
)
"""trafilatura's modes, in the order they are tried."""


def _pages(
    trafilatura: Any, text: str, tree: Any, url: str | None, today: dt.date, chosen: Pass
) -> Iterator[ImportedPage]:
    """The drafts one trafilatura pass gives: from its main text, then from what it took for comments."""
    if chosen.defaults:
        document = trafilatura.bare_extraction(text, **chosen.options)
        metadata = _metadata(trafilatura, text, url) if document is not None else None
    else:
        document = trafilatura.bare_extraction(
            text,
            url=url,
            with_metadata=True,
            include_tables=True,
            include_formatting=False,
            include_images=False,
            **{"include_comments": False, **chosen.options},
        )
        metadata = document
    if document is None:
        return
    for body in (document.body, getattr(document, "commentsbody", None)):
        if body is not None and len(body):
            yield _page(metadata if metadata is not None else document, body, tree, url, today)


def _metadata(trafilatura: Any, text: str, url: str | None) -> Any:
    """The page's metadata on its own (title, site name, address, date), or None if reading it fails."""
    try:
        return trafilatura.extract_metadata(text, default_url=url)
    except Exception as exc:  # trafilatura's metadata readers fail on odd pages; the text still counts
        log.info("the page's metadata could not be read (%s); the draft is made from its text", exc)
        return None


def _page(document: Any, body: Any, tree: Any, url: str | None, today: dt.date) -> ImportedPage:
    """The draft made of `body`, with the title, date and site that the page and its metadata give."""
    removed = _drop_furniture(body)
    blocks = markdown.from_extraction(body)
    first = _first_paragraph(body)
    start = headlines.body_start(tree, first) if first else None
    titles = [*headlines.metadata_titles(tree), headlines.clean_text(document.title or "")]
    titles = [title for title in dict.fromkeys(titles) if title]
    found = headlines.find_headline(tree, titles, start)
    site_name = _site_name(document.sitename)
    page_url = url or _http(document.url)
    title = _title(found, titles, site_name, page_url)
    date = None
    if found is not None:
        under = headlines.date_under(found.element, latest=today)
        if under is not None:
            date = FoundDate(*under)
    if date is None and document.date:
        value = iso_date(document.date)
        if value is not None and value <= today:
            date = FoundDate(value, "the page's metadata")
    return ImportedPage(
        body="\n\n".join(markdown.outline(_without_furniture(blocks, title.value if title else None))) + "\n",
        title=title,
        date=date,
        site_name=Found(site_name, "the page's site name") if site_name else None,
        url=Found(page_url, "the page's canonical address") if page_url and not url else None,
        removed=removed,
    )


def _drop_furniture(body: Any) -> tuple[str, ...]:
    """Remove captions, credits and prompts that trafilatura kept as paragraphs; say which kinds."""
    removed: dict[str, None] = {}
    for element in list(body.iter("p")):
        kind = furniture(headlines.clean_text("".join(element.itertext())))
        parent = element.getparent()
        if kind is not None and parent is not None:
            removed[kind] = None
            parent.remove(element)
    return tuple(removed)


def _site_name(value: object) -> str | None:
    """Return the site's name, unless what metadata gave is not one (a date, a sentence, digits)."""
    text = headlines.clean_text(value) if isinstance(value, str) else ""
    if not re.search(r"[^\W\d_]", text) or dates_in(text) or len(text.split()) > 6:
        return None
    return text


def _first_paragraph(body: Any) -> str:
    for element in body.iter("p"):
        text = headlines.clean_text("".join(element.itertext()))
        if len(text.split()) >= _MIN_WORDS:
            return text
    return ""


def _title(
    found: headlines.Headline | None, titles: list[str], site_name: str | None, url: str | None
) -> Found | None:
    if found is not None:
        return Found(found.text, "the page's headline")
    if titles:
        return Found(headlines.strip_site_name(titles[0], site_name, url), "the page's metadata title")
    return None


def _http(value: object) -> str | None:
    if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
        return value
    return None


def _without_furniture(blocks: list[str], title: str | None) -> list[str]:
    """Drop what precedes the first paragraph and only repeats the headline or dates the page."""
    kept: list[str] = []
    for index, block in enumerate(blocks):
        if _is_text(block):
            return kept + blocks[index:]
        plain = block.lstrip("#").strip().replace("\\", "")
        if (title and headlines.agreement(plain, title) >= 0.8) or is_date_line(plain):
            continue
        kept.append(block)
    return kept


def _is_text(block: str) -> bool:
    return not block.startswith(("#", "-", "|", ">")) and len(block.split()) >= _MIN_WORDS
