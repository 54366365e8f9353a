"""Search: a Pagefind index of every brief, article and passage, written into the built site.

The index is built from the assembled site, not by crawling the HTML: each record's text, title,
date and filters come from the content model, so search does not depend on the theme's markup,
and every passage is a record of its own whose URL is its article's `#p-N`. Readers land on the
paragraph. Drafts never reach `Site`, so they are never indexed.

Record URLs are site-root-relative (`/articles/2021/slug/#p-3`). The search script in the theme
tells Pagefind the site's own base path at run time, so one index works at the root of a host, under
`site_url`'s path, and under `briefdesk serve` alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig

from builder.assembly import ArticlePage, Brief, Site
from builder.errors import BuildError
from builder.model import Article, Topic
from builder.passages import split_passages
from builder.searchbundle import normalise, write_bundle
from builder.searchservice import FastService, PagefindFailure
from builder.urls import page_url

log = logging.getLogger(__name__)
T = TypeVar("T")

BUNDLE = "pagefind"
"""The index's folder in the site (`site/pagefind/`)."""
FILTERS = ("topic", "actor", "source", "year")
WINDOW = 200
"""Records sent to Pagefind before waiting for their answers."""
"""Filter names, exactly as the product contract gives them."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One entry of the index: a page, or one passage of an article page."""

    url: str
    """Site-root-relative URL with a leading slash; passages end in `#p-N`."""
    content: str
    """Plain text that is searched and quoted in excerpts."""
    meta: Mapping[str, str]
    """Shown with each result: `title`, `date` (YYYY-MM-DD) and, for articles, `source`."""
    filters: Mapping[str, tuple[str, ...]]
    """Facet values by filter name (only names in FILTERS; empty filters left out)."""
    date: str | None
    """Sort key (YYYY-MM-DD); None for a brief that cites no article yet."""


def index_site(site: Site, out: Path, stopper: Stopper | None = None) -> int:
    """Write the search index into `out`/pagefind; return how many records it holds."""
    files, records = make_index(site, stopper)
    write_index(files, records, out)
    return records


def make_index(site: Site, stopper: Stopper | None = None) -> tuple[dict[str, bytes], int]:
    """Pagefind's bundle for `site` (relative path -> bytes), and how many records it holds."""
    records = search_records(site)
    return bundle_files(records, site.project.config.language, stopper), len(records)


class Cancelled(Exception):
    """The build no longer needs the index it was making (MkDocs failed, or the user stopped it)."""


class Stopper:
    """Stop an indexing run from another thread: between records, or by stopping Pagefind itself.

    Pagefind's last step (building the index from every record) takes minutes at 10,000 articles
    and cannot be interrupted through its API, so a stop also terminates the binary.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = False
        self._pid: int | None = None

    @property
    def stopped(self) -> bool:
        return self._stopped

    def check(self) -> None:
        """Raise Cancelled if stopped (for work of other kinds done under the same stopper)."""
        if self._stopped:
            raise Cancelled("stopped")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._terminate()

    def attach(self, pid: int | None) -> None:
        """The Pagefind process now running (None once it has exited)."""
        with self._lock:
            self._pid = pid
            if self._stopped:
                self._terminate()

    def _terminate(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)


class IndexJob:
    """Index the site in a background thread while the build runs MkDocs.

    The index is made from the content model, not from the HTML, so it need not wait for MkDocs:
    MkDocs works on one core and Pagefind on the other. Nothing is written until `write`, into
    the folder the build is staging, so a failed build still leaves no trace.
    """

    def __init__(self, site: Site) -> None:
        self._stopper = Stopper()
        self._began = time.perf_counter()
        self._result: tuple[dict[str, bytes], int, float] | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(site,), name="search", daemon=True)
        self._thread.start()

    def _run(self, site: Site) -> None:
        try:
            files, records = make_index(site, self._stopper)
            self._result = (files, records, time.perf_counter() - self._began)
        except BaseException as error:  # handed to the thread that waits for the index
            self._result = error

    def write(self, out: Path) -> tuple[int, float]:
        """Wait for the index, write it into `out`/pagefind; return its records and indexing time."""
        self._thread.join()
        result = self._result
        if isinstance(result, BaseException) or result is None:
            raise result or BuildError("search: the indexing thread ended without an index")
        files, records, seconds = result
        write_index(files, records, out)
        return records, seconds

    def cancel(self) -> None:
        """Stop indexing and wait until Pagefind has exited."""
        self._stopper.stop()
        self._thread.join()


def write_index(files: Mapping[str, bytes], records: int, out: Path) -> None:
    """Write Pagefind's (normalised) files as `out`/pagefind, replacing any folder there."""
    bundle = out / BUNDLE
    if bundle.exists():  # a docs/pagefind folder would otherwise mix with the index
        shutil.rmtree(bundle)
    try:
        write_bundle(files, bundle)
    except OSError as error:
        raise BuildError(f"search: could not write the index to {bundle}: {error}") from error
    log.info("search: indexed %d records", records)


def bundle_files(
    records: Sequence[SearchRecord], language: str, stopper: Stopper | None = None
) -> dict[str, bytes]:
    """Index `records` with Pagefind: its bundle's files (relative path -> bytes), in stable form.

    Raises Cancelled soon after `stopper` is stopped.
    """
    stopper = stopper or Stopper()
    try:
        files = _run_async(_index_files(records, language, stopper))
    except FileNotFoundError as error:
        raise BuildError(
            f"search: the Pagefind binary was not found ({error}); "
            "install Briefdesk with its dependencies (pip install 'pagefind[bin]')"
        ) from error
    except (PagefindFailure, OSError) as error:
        if stopper.stopped:  # we stopped the binary ourselves
            raise Cancelled("search indexing stopped") from error
        raise BuildError(f"search: Pagefind could not build the index: {error}") from error
    return normalise(files)


def _run_async(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` to the end with asyncio.run, in a thread of its own if this one runs a loop.

    A caller may already run an event loop in this thread (Playwright's sync API, a notebook),
    where asyncio.run refuses to start another.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind") as pool:
        return pool.submit(asyncio.run, work).result()


async def _index_files(
    records: Sequence[SearchRecord], language: str, stopper: Stopper
) -> dict[str, bytes]:
    """Index `records` with Pagefind; return its bundle's files (relative path -> bytes)."""
    if stopper.stopped:
        raise Cancelled("search indexing stopped")
    service = FastService()
    await service.launch()
    stopper.attach(service.pid)
    try:
        index = await service.create_index(IndexConfig(force_language=language))
        # Requests go out WINDOW at a time without waiting for each answer, which halves the time
        # spent adding records. Order still holds: tasks first run in the order they were created
        # and each writes its request before it first waits, and the binary handles requests one
        # by one as they arrive, so pages are numbered in our order and the output is stable.
        for start in range(0, len(records), WINDOW):
            if stopper.stopped:
                raise Cancelled("search indexing stopped")
            await asyncio.gather(
                *(
                    index.add_custom_record(
                        url=record.url,
                        content=record.content,
                        language=language,
                        meta=dict(record.meta),
                        filters={name: list(values) for name, values in record.filters.items()},
                        sort={"date": record.date} if record.date else None,
                    )
                    for record in records[start : start + WINDOW]
                )
            )
        # In memory, not written by the binary: see builder.searchservice on why.
        return {str(file["path"]): file["content"] for file in await index.get_files()}
    finally:
        await service.close()
        stopper.attach(None)


def search_records(site: Site) -> tuple[SearchRecord, ...]:
    """Every record, in a fixed order: briefs by topic id, then each article and its passages."""
    records = [_brief_record(brief) for brief in sorted(site.briefs, key=lambda b: b.topic.id)]
    actors = site.project.actors
    for page in site.articles:  # newest first, then slug: a stable order
        actor_names = tuple(actors[a].name for a in page.article.actors if a in actors)
        records.append(_article_record(page, actor_names))
        records.extend(_passage_records(page, actor_names))
    return tuple(records)


def _brief_record(brief: Brief) -> SearchRecord:
    topic = brief.topic
    developments = (
        excerpt.passage.text if excerpt.passage else _plain(excerpt.markdown)
        for excerpt in brief.shown_developments
    )
    last = brief.last_date.isoformat() if brief.last_date else None
    meta = {"title": topic.title} | ({"date": last} if last else {})
    return SearchRecord(
        url=_url(topic.page),
        content=_join([topic.title, _plain(topic.summary), _plain(topic.overview), *developments]),
        meta=meta,
        filters={"topic": (topic.title,)},
        date=last,
    )


def _article_record(page: ArticlePage, actor_names: tuple[str, ...]) -> SearchRecord:
    article = page.article
    texts = [article.title, _plain(article.summary), *(p.text for p in article.passages)]
    return SearchRecord(
        url=_url(article.page),
        content=_join(texts),
        meta=_meta(article, article.title),
        filters=_filters(article, _titles(page.topics), actor_names),
        date=article.date.isoformat(),
    )


def _passage_records(page: ArticlePage, actor_names: tuple[str, ...]) -> Iterable[SearchRecord]:
    """One record per passage, filed under the topics it was routed to.

    Topics the article feeds without any passage mentioning them (the editor listed them) stand
    for the article as a whole, so every passage carries them too.
    """
    article = page.article
    routed = {topic.id for topics in page.passage_topics.values() for topic in topics}
    whole = tuple(topic for topic in page.topics if topic.id not in routed)
    for passage in article.passages:
        if not passage.text.strip():
            continue
        topics = _titles((*page.passage_topics.get(passage.number, ()), *whole))
        yield SearchRecord(
            url=f"{_url(article.page)}#p-{passage.number}",
            content=passage.text,
            meta=_meta(article, f"{article.title} — passage {passage.number}"),
            filters=_filters(article, topics, actor_names),
            date=article.date.isoformat(),
        )


def _meta(article: Article, title: str) -> dict[str, str]:
    return {"title": title, "date": article.date.isoformat(), "source": article.source}


def _filters(
    article: Article, topics: tuple[str, ...], actors: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    values = {
        "topic": topics,
        "actor": _unique(actors),
        "source": (article.source,),
        "year": (f"{article.date.year:04d}",),
    }
    return {name: values[name] for name in FILTERS if values[name]}


def _titles(topics: Iterable[Topic]) -> tuple[str, ...]:
    return _unique(topic.title for topic in topics)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _url(docs_path: str) -> str:
    return "/" + page_url(docs_path)


def _plain(markdown: str | None) -> str:
    """Markdown (a summary, an overview) as plain text, the way passages are."""
    if not markdown:
        return ""
    passages, _ = split_passages(markdown)
    return "\n".join(passage.text for passage in passages)


def _join(texts: Iterable[str]) -> str:
    return "\n".join(text for text in texts if text)
