"""The import, as a recipe: read, decode, extract or clean, date, suggest, compose, check, write."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from builder.authoring import clipping, dates, draft, imported, markdown
from builder.authoring.charset import decode
from builder.authoring.page import Found, FoundDate, ImportedPage
from builder.authoring.reading import read_input
from builder.authoring.suggest import Suggestions, load_vocabulary, suggest
from builder.content import schema
from builder.content.yamlwriter import FrontMatterValue
from builder.errors import ContentError
from builder.model import Article

log = logging.getLogger(__name__)

PLACEHOLDER_SOURCE = "TODO"
"""Written when no source can be found: the draft stays valid (and unpublished) until it is set."""
FLAGS = {"title": "--title", "date": "--date", "source": "--source", "url": "--url"}


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the editor asked for; None means "find it in the page"."""

    file: str
    """A path, or `-` for standard input."""
    root: Path
    url: str | None = None
    source: str | None = None
    date: str | None = None
    title: str | None = None
    force: bool = False


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What was written and what was found, for the editor to review."""

    path: str
    """Project-relative path of the draft."""
    replaced: bool
    title: Found
    date: FoundDate
    source: Found
    url: Found | None
    removed: tuple[str, ...]
    suggestions: Suggestions
    encoding: str
    kind: str
    """`web page` or `clipped text`."""
    same_event: tuple[Article, ...] = ()
    """Published articles that report the same event: the build will group the draft with them."""


def import_file(options: ImportOptions, *, today: dt.date, stdin: BinaryIO | None = None) -> ImportReport:
    """Turn the page named in `options` into a draft article in the project; return what was done."""
    given = {key: getattr(options, key) for key in FLAGS if getattr(options, key) is not None}
    draft.check_flags(schema.ArticleMeta, given, FLAGS)
    vocabulary = load_vocabulary(options.root)
    source_input = read_input(options.file, stdin)
    decoded = decode(source_input.data, html=source_input.is_html)
    log.info("%s decoded as %s (%s)", source_input.name, decoded.encoding, decoded.how)
    if source_input.is_html:
        from builder.authoring.html import extract_page

        page = extract_page(decoded.text, source_input.name, url=options.url, today=today)
    else:
        page = clipped_page(decoded.text, today=today)
    if not page.body.strip():
        raise ContentError(f"found no article text in {source_input.name}")
    title = _chosen_title(options, page, source_input.name)
    date = _chosen_date(options, page, source_input.name)
    url = Found(options.url, "--url") if options.url else page.url
    source = _chosen_source(options, page, url)
    fields: dict[str, FrontMatterValue] = {
        "title": title.value,
        "date": date.value,
        "source": source.value,
        "url": url.value if url else None,
    }
    path = draft.article_path(date.value, title.value, url.value if url else None)
    # Compose once to route the real passages, then again with what routing suggests.
    article = draft.validated(draft.compose({**fields, "draft": True}, page.body), path, "article")
    assert isinstance(article, Article)
    suggestions = suggest(article, vocabulary)
    fields["topics"] = [s.id for s in suggestions.topics]
    fields["actors"] = [s.id for s in suggestions.actors]
    fields["draft"] = True
    text = draft.compose(fields, page.body)
    composed = draft.validated(text, path, "article")
    assert isinstance(composed, Article)
    if options.force:
        imported.check_replaceable(options.root, path)
    from builder.authoring.duplicates import same_event

    duplicates = same_event(options.root, composed)
    replaced = draft.write_new(options.root, path, text, force=options.force)
    imported.remember(options.root, path, text)
    return ImportReport(
        path=path,
        replaced=replaced,
        title=title,
        date=date,
        source=source,
        url=url,
        removed=page.removed,
        suggestions=suggestions,
        encoding=decoded.encoding,
        kind="web page" if source_input.is_html else "clipped text",
        same_event=duplicates,
    )


def clipped_page(text: str, *, today: dt.date) -> ImportedPage:
    """Clean a clipped text and find its headline and date."""
    clip = clipping.clean(text)
    return ImportedPage(
        body=markdown.paragraphs(clip.paragraphs) if clip.paragraphs else "",
        title=Found(clip.title, "the clipping's first line") if clip.title else None,
        date=_clipping_date(clip, today),
        site_name=None,
        url=None,
        removed=clip.removed,
    )


def _clipping_date(clip: clipping.Clipping, today: dt.date) -> FoundDate | None:
    """Date a clipping by its date line, else its dateline, else a photo caption."""
    found = dates.first_date(clip.date_lines, latest=today)
    if found is not None:
        return FoundDate(found.date, f'a date line: "{found.text}"')
    if clip.paragraphs:
        found = dates.dateline(clip.paragraphs[0], latest=today)
        if found is not None:
            return FoundDate(found.date, f'the dateline: "{found.text}"')
    found = dates.first_date(clip.captions, latest=today)
    if found is not None:
        return FoundDate(found.date, f'a photo caption: "{found.text}"')
    return None


def _chosen_title(options: ImportOptions, page: ImportedPage, name: str) -> Found:
    if options.title:
        return Found(" ".join(options.title.split()), "--title")
    if page.title is None or not page.title.value.strip():
        raise ContentError(f'found no headline in {name}; pass --title "..."')
    return page.title


def _chosen_date(options: ImportOptions, page: ImportedPage, name: str) -> FoundDate:
    if options.date:
        return FoundDate(dt.date.fromisoformat(options.date.strip()), "--date")
    if page.date is None:
        raise ContentError(
            f"found no publication date in {name} (no date line, dateline, caption or page metadata); "
            "pass --date YYYY-MM-DD"
        )
    return page.date


def _chosen_source(options: ImportOptions, page: ImportedPage, url: Found | None) -> Found:
    if options.source:
        return Found(options.source.strip(), "--source")
    if page.site_name is not None:
        return page.site_name
    host = urlsplit(url.value).hostname if url else None
    if host:
        return Found(host.removeprefix("www."), "the address's host name")
    return Found(PLACEHOLDER_SOURCE, "nowhere: set 'source:' in the draft, or pass --source NAME")
