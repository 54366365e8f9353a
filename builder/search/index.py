"""Search: the Pagefind index of the site's pages, made beside MkDocs and written into the site.

What is indexed (one record per page, an article's passages as sub-results) is
builder.search.records' job; this module drives Pagefind with those records (one Pagefind process
per shard of at most SHARD_RECORDS records and SHARD_TEXT characters, one at a time beside MkDocs
and one per core once it has exited, their bundles merged by builder.search.shards, so Pagefind's
memory grows neither with the site nor with the length of its documents), lets a build stop it,
and writes the bundle.
Record URLs are site-root-relative (`/articles/2021/slug/`): the search script in the theme tells
Pagefind the site's own base path at run time, so one index works at the root of a host, under
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
from collections.abc import Coroutine, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig

from builder.briefs.assembly import Site
from builder.errors import BuildError
from builder.parallel import cpu_count
from builder.search.bundle import normalise, write_bundle
from builder.search.records import FILTERS, SearchRecord, record_html, search_records
from builder.search.service import FastService, PagefindFailure
from builder.search.shards import SHARD_RECORDS, Shard, merge_shards
from builder.search.shardstore import ShardStore, shard_groups, shard_key

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "BUNDLE", "FILTERS", "Cancelled", "IndexJob", "Lanes", "ShardStore", "Stopper", "index_site", "make_index"
]

BUNDLE = "pagefind"
"""The index's folder in the site (`site/pagefind/`)."""
WINDOW = 100
"""Records sent to Pagefind before waiting for their answers."""
YIELD_TO_MKDOCS = 10
"""How much lower (in `nice` steps) the indexing beside MkDocs runs than the build: MkDocs is the
build's longest stage, and on a busy machine an index made at the same priority slowed it by up
to half (bench/README.md); the index is done long before MkDocs either way."""


def index_site(site: Site, out: Path, stopper: Stopper | None = None, store: ShardStore | None = None) -> int:
    """Write the search index into `out`/pagefind; return how many records it holds."""
    files, records = make_index(site, stopper, store)
    write_index(files, records, out)
    return records


def make_index(
    site: Site, stopper: Stopper | None = None, store: ShardStore | None = None, lanes: Lanes | None = None
) -> tuple[dict[str, bytes], int]:
    """Pagefind's bundle for `site` (relative path -> bytes), and how many records it holds.

    With a `store`, shards whose records are unchanged since it kept them are taken from it.
    """
    counted = _Counted(search_records(site))
    files = bundle_files(counted, site.project.config.language, stopper, store=store, lanes=lanes)
    if store is not None:
        store.keep_only_used()
    return files, counted.count


class _Counted(Iterable[SearchRecord]):
    """Records, counted as Pagefind takes them (they are made one by one, never all held)."""

    def __init__(self, records: Iterable[SearchRecord]) -> None:
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[SearchRecord]:
        for record in self._records:
            self.count += 1
            yield record


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
        self._pids: set[int] = set()

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

    def attach(self, pid: int) -> None:
        """A Pagefind process has started."""
        with self._lock:
            self._pids.add(pid)
            if self._stopped:
                self._terminate()

    def detach(self, pid: int) -> None:
        """A Pagefind process has exited."""
        with self._lock:
            self._pids.discard(pid)

    def _terminate(self) -> None:
        for pid in self._pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


class Lanes:
    """How many Pagefind processes may run at once; more can be allowed from another thread.

    Beside MkDocs, one: MkDocs' page workers hold both cores, and each Pagefind process holds a
    shard's pages (about 300 MiB). Once MkDocs has exited, its memory and its cores are free, and
    the shards still to index run one per core (`widen`), so the index is not the build's tail.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._extra = 0  # lanes allowed before the loop started
        self._loop: asyncio.AbstractEventLoop | None = None
        self._free: asyncio.Semaphore | None = None

    def start(self) -> asyncio.Semaphore:
        """The semaphore the indexing loop (the running one) takes a lane from."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._free = asyncio.Semaphore(1 + self._extra)
            return self._free

    def widen(self, lanes: int) -> None:
        """Allow `lanes` more processes at once (from any thread)."""
        with self._lock:
            if self._loop is None or self._free is None:
                self._extra += lanes
                return
            # The indexing may have ended already, its loop closed: nothing then waits for a lane.
            with contextlib.suppress(RuntimeError):
                for _ in range(lanes):
                    self._loop.call_soon_threadsafe(self._free.release)


class IndexJob:
    """Index the site in a background thread while the build runs MkDocs.

    The index is made from the content model, not from the HTML, so it need not wait for MkDocs:
    MkDocs works on one core and Pagefind on the other. Nothing is written until `write`, into
    the folder the build is staging, so a failed build still leaves no trace.
    """

    def __init__(self, site: Site, store: ShardStore | None = None, *, beside_mkdocs: bool = True) -> None:
        """`beside_mkdocs`: the index runs beside a whole MkDocs build and yields the CPU to it.
        A build staged from the previous site renders a few pages: there the index is the longest
        stage and keeps the build's priority."""
        self._stopper = Stopper()
        self._lanes = Lanes()
        self._began = time.perf_counter()
        self._result: tuple[dict[str, bytes], int, float] | BaseException | None = None
        self.store = store
        self._yield = YIELD_TO_MKDOCS if beside_mkdocs else 0
        self._thread = threading.Thread(target=self._run, args=(site,), name="search", daemon=True)
        self._thread.start()

    def _run(self, site: Site) -> None:
        _yield_cpu(self._yield)  # this thread, and the Pagefind processes it starts
        try:
            files, records = make_index(site, self._stopper, self.store, self._lanes)
            self._result = (files, records, time.perf_counter() - self._began)
        except BaseException as error:  # handed to the thread that waits for the index
            self._result = error

    def mkdocs_done(self) -> None:
        """MkDocs has exited: index the remaining shards one per core."""
        self._lanes.widen(cpu_count() - 1)

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


def _yield_cpu(steps: int) -> None:
    """Lower the calling thread's CPU priority (Linux keeps one per thread; processes it starts
    inherit it). Elsewhere, or where the system refuses, nothing changes."""
    if not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + steps)


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
    records: Iterable[SearchRecord],
    language: str,
    stopper: Stopper | None = None,
    shard_records: int | None = SHARD_RECORDS,
    store: ShardStore | None = None,
    jobs: int | None = None,
    lanes: Lanes | None = None,
) -> dict[str, bytes]:
    """Index `records` with Pagefind: its bundle's files (relative path -> bytes), in stable form.

    Records go to Pagefind in shards of at most `shard_records` (None: all in one run), cut where
    the records decide (builder.search.shardstore), one process per shard and as many at once as
    `lanes` allows (by default one), and the shards' bundles are merged into the one a single
    process would write (builder.search.shards says why), in `jobs` processes (None: one per core
    for a large index). A shard `store` kept is taken from it. Raises Cancelled soon after
    `stopper` is stopped.
    """
    stopper = stopper or Stopper()
    try:
        shards = _run_async(_index_shards(records, language, stopper, shard_records, store, lanes or Lanes()))
    except FileNotFoundError as error:
        raise BuildError(
            f"search: the Pagefind binary was not found ({error}); "
            "install Briefdesk with its dependencies (pip install 'pagefind[bin]')"
        ) from error
    except (PagefindFailure, OSError) as error:
        if stopper.stopped:  # we stopped the binary ourselves
            raise Cancelled("search indexing stopped") from error
        raise BuildError(f"search: Pagefind could not build the index: {error}") from error
    try:
        return normalise(merge_shards(shards, jobs))
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise BuildError(f"search: the index Pagefind wrote is not as expected ({error!r})") from error


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


async def _index_shards(
    records: Iterable[SearchRecord],
    language: str,
    stopper: Stopper,
    shard_records: int | None,
    store: ShardStore | None,
    lanes: Lanes,
) -> list[Shard]:
    """Index `records` with one Pagefind process per shard of at most `shard_records`, as many at
    once as `lanes` allows: Pagefind's memory is then that of a shard or two, whatever the size of
    the site. A shard `store` holds (same records, language and Pagefind) is taken from it instead.
    Shards come back in the records' order, however their processes finished."""
    free = lanes.start()
    shards: list[asyncio.Task[Shard] | Shard] = []
    fresh: list[tuple[str, int]] = []  # (key, place) of each shard indexed now
    groups = shard_groups(records, shard_records) if shard_records is not None else [list(records)]
    try:
        for group in groups:
            await free.acquire()  # a group's pages are made once a lane is free for them
            _raise_failure(shards)
            htmls = [record_html(record, language) for record in group]  # what Pagefind reads, and the key
            key = shard_key(group, htmls, language) if store is not None else ""
            kept = store.get(key, [record.url for record in group]) if store is not None else None
            if kept is not None:
                free.release()
                shards.append(kept)
                continue
            shards.append(asyncio.create_task(_index_in_lane(group, htmls, language, stopper, free)))
            fresh.append((key, len(shards) - 1))
        if not shards:  # a site with nothing to index still gets an (empty) index
            shards.append(await _index_shard([], [], language, stopper))
        done = [shard if isinstance(shard, Shard) else await shard for shard in shards]
        if store is not None:
            for key, place in fresh:
                store.put(key, done[place])
        return done
    finally:
        for shard in shards:
            if isinstance(shard, asyncio.Task):
                shard.cancel()


def _raise_failure(shards: list[asyncio.Task[Shard] | Shard]) -> None:
    """Raise the error of a shard's indexing that failed, so no more shards are started."""
    for shard in shards:
        if isinstance(shard, asyncio.Task) and shard.done() and not shard.cancelled():
            error = shard.exception()
            if error is not None:
                raise error


async def _index_in_lane(
    records: list[SearchRecord], htmls: list[str], language: str, stopper: Stopper, free: asyncio.Semaphore
) -> Shard:
    try:
        return await _index_shard(records, htmls, language, stopper)
    finally:
        free.release()


async def _index_shard(
    records: list[SearchRecord], htmls: list[str], language: str, stopper: Stopper
) -> Shard:
    """Index `records` (their documents `htmls`) with one Pagefind process; return its bundle."""
    if stopper.stopped:
        raise Cancelled("search indexing stopped")
    service = FastService()
    await service.launch()
    pid = service.pid
    stopper.attach(pid)
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
                    index.add_html_file(content=html, url=record.url)
                    for record, html in zip(
                        records[start : start + WINDOW], htmls[start : start + WINDOW], strict=True
                    )
                )
            )
        # In memory, not written by the binary: see builder.search.service on why.
        files = {str(file["path"]): file["content"] for file in await index.get_files()}
        return Shard(files=files, sorts=[record.sorts for record in records])
    finally:
        await service.close()
        stopper.detach(pid)
