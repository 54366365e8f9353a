"""What search indexes: one record per page, an article's passages as Pagefind sub-results.

Each record is made from the content model, not from the published HTML, and handed to Pagefind
as a small HTML document of its own (`record_html`) laid out for Pagefind's reading of HTML:

- the page's title in an `<h1>` (Pagefind's `title` meta), its lead text after it;
- each passage after a heading `<h2 id="p-N">` — Pagefind turns headings with an id into the
  record's `sub_results`, with URL `…/<slug>/#p-N`, the heading's text as title and the passage's
  words as excerpt, so every Pagefind client (its default UI with `showSubResults`, the JS API)
  lands on the paragraph;
- meta (`date`, `source`, `kind`) and filters as `<meta>` elements.

No record carries a Pagefind sort: none of our clients sorts, and a `date` sort lists every page
in the metadata each first query fetches (21 KB of 300 at 10,000 articles: bench/SEARCH.md).

A brief's title weighs more than any other heading (`data-pagefind-weight`), so a search for a
topic's own name ranks its brief above the articles that mention it. Drafts never reach `Site`,
so they are never indexed. Record URLs are site-root-relative (`/articles/2021/slug/`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape

from builder.briefs.assembly import ArticlePage, Site
from builder.briefs.digest import ArchiveYear, Brief
from builder.markdown.passages import split_passages
from builder.model import SourceInfo, Topic
from builder.urls import page_url

FILTERS = ("topic", "actor", "source", "source_kind", "year")
"""Filter names, exactly as the product contract gives them (`source_kind` only has values, and
so only exists in the index, when site_config.yml keeps a `sources` registry)."""
PASSAGE_MARK = "¶"
"""Title of a passage's sub-result, before its number ("¶ 3"): punctuation, so not a search word."""
BRIEF_TITLE_WEIGHT = "10"
"""Pagefind weight of a brief's title (Pagefind's maximum; an `<h1>` weighs 7 by default)."""
ARCHIVE_TITLE_WEIGHT = "1"
"""Pagefind weight of a yearly archive's title: found by name and year, never above the brief."""


@dataclass(frozen=True, slots=True)
class SearchPassage:
    number: int
    """The passage's number on its page: its sub-result's URL ends in `#p-<number>`."""
    text: str


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One page of the index."""

    url: str
    """Site-root-relative URL with a leading slash."""
    title: str
    lead: tuple[str, ...]
    """Text searched before any passage (a summary, a brief's overview)."""
    passages: tuple[SearchPassage, ...]
    """The page's passages, each a sub-result of the record."""
    meta: Mapping[str, str]
    """Shown with each result: `kind` (brief, article), `date` (YYYY-MM-DD), `source`."""
    filters: Mapping[str, tuple[str, ...]]
    """Facet values by filter name (only names in FILTERS; empty filters left out)."""
    title_weight: str | None = None
    """Pagefind weight of the title, when not the default of an `<h1>`."""
    sorts: Mapping[str, str] = field(default_factory=dict)
    """Pagefind sort values by sort name (`data-pagefind-sort`); none of our records has one."""


def search_records(site: Site) -> Iterator[SearchRecord]:
    """Every record, in a fixed order (that of PAGE_KINDS, each kind in its own stable order).

    A generator: the build hands records to Pagefind as they are made, so their text is never
    all held at once.
    """
    for kind in PAGE_KINDS:
        yield from kind(site)


def brief_records(site: Site) -> Iterator[SearchRecord]:
    """One record per brief, by topic id."""
    for brief in sorted(site.briefs, key=lambda b: b.topic.id):
        yield _brief_record(brief)


def article_records(site: Site) -> Iterator[SearchRecord]:
    """One record per article page, newest first then by slug (the site's order)."""
    registry = site.project.config.sources
    for page in site.articles:
        yield _article_record(page, registry)


def archive_records(site: Site) -> Iterator[SearchRecord]:
    """One record per yearly archive page, by topic id then newest year first."""
    for year in sorted(site.archives, key=lambda y: (y.topic.id, -y.year)):
        yield _archive_record(year)


PAGE_KINDS: tuple[Callable[[Site], Iterable[SearchRecord]], ...] = (
    brief_records,
    archive_records,
    article_records,
)
"""The kinds of page that search indexes, in index order: a new kind of page (the yearly
archives, say) is one more entry."""


def _brief_record(brief: Brief) -> SearchRecord:
    topic = brief.topic
    last = brief.last_date.isoformat() if brief.last_date else None
    return SearchRecord(
        url=_url(topic.page),
        title=topic.title,
        # The brief's own words only: the passages it quotes are found under their articles, and
        # a short record is what lets its title outrank the articles for the topic's name.
        lead=_texts([_plain(topic.summary), _plain(topic.overview)]),
        passages=(),
        meta={"kind": "brief"} | ({"date": last} if last else {}),
        # A brief covers every year it has articles of: counted under each, as an article with
        # several topics is under each, so a year's count never leaves out a brief in the results.
        filters={"topic": (topic.title,)}
        | ({"year": tuple(f"{year:04d}" for year, _ in sorted(brief.years))} if brief.years else {}),
        title_weight=BRIEF_TITLE_WEIGHT,
    )


def _archive_record(year: ArchiveYear) -> SearchRecord:
    """The archive is a list of articles found under their own records: only its title is searched."""
    newest = year.entries[0].article.date.isoformat() if year.entries else None
    return SearchRecord(
        url=_url(year.page),
        title=f"{year.topic.title}: {year.year:04d}",
        lead=(f"Every article of {year.year:04d}.",),
        passages=(),
        meta={"kind": "archive"} | ({"date": newest} if newest else {}),
        filters={"topic": (year.topic.title,), "year": (f"{year.year:04d}",)},
        # Below a brief (10) and an article's h1 (7): the topic's name finds its brief first.
        title_weight=ARCHIVE_TITLE_WEIGHT,
    )


def _article_record(page: ArticlePage, registry: Mapping[str, SourceInfo]) -> SearchRecord:
    article = page.article
    described = registry.get(article.source)
    date = article.date.isoformat()
    values = {
        "topic": _titles(page.topics),
        "actor": _unique(actor.name for actor in page.actors),
        "source": (article.source,),
        "source_kind": (described.kind,) if described else (),
        "year": (f"{article.date.year:04d}",),
    }
    return SearchRecord(
        url=_url(article.page),
        title=article.title,
        lead=_texts([_plain(article.summary)]),
        passages=tuple(
            SearchPassage(passage.number, passage.text)
            for passage in article.passages
            if passage.text.strip()
        ),
        meta={"kind": "article", "date": date, "source": article.source},
        filters={name: values[name] for name in FILTERS if values[name]},
    )


def record_html(record: SearchRecord, language: str) -> str:
    """The HTML document Pagefind indexes for `record` (see the module's docstring)."""
    head = [f'<meta data-pagefind-meta="{_attr(name)}[content]" content="{_attr(value)}">'
            for name, value in record.meta.items()]
    for name, values in record.filters.items():
        head.extend(
            f'<meta data-pagefind-filter="{_attr(name)}[content]" content="{_attr(value)}">'
            for value in values
        )
    head.extend(
        f'<meta data-pagefind-sort="{_attr(name)}[content]" content="{_attr(value)}">'
        for name, value in record.sorts.items()
    )
    weight = f' data-pagefind-weight="{record.title_weight}"' if record.title_weight else ""
    body = [f'<h1 data-pagefind-meta="title"{weight}>{escape(record.title)}</h1>']
    body.extend(f"<p>{escape(text)}</p>" for text in record.lead)
    for passage in record.passages:
        body.append(f'<h2 id="p-{passage.number}">{PASSAGE_MARK} {passage.number}</h2>')
        body.append(f"<p>{escape(passage.text)}</p>")
    return (
        f'<!DOCTYPE html><html lang="{_attr(language)}"><head>{"".join(head)}</head>'
        f'<body>{"".join(body)}</body></html>'
    )


def _titles(topics: Iterable[Topic]) -> tuple[str, ...]:
    return _unique(topic.title for topic in topics)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _url(docs_path: str) -> str:
    return "/" + page_url(docs_path)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _plain(markdown: str | None) -> str:
    """Markdown (a summary, an overview) as plain text, the way passages are."""
    if not markdown:
        return ""
    passages, _ = split_passages(markdown)
    return "\n".join(passage.text for passage in passages)


def _texts(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(text for text in texts if text)
