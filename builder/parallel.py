"""Spread per-file work over the machine's cores when there is enough of it to pay."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, runtime_checkable

Item = TypeVar("Item")
Result = TypeVar("Result")
Shared = TypeVar("Shared")

MIN_ITEMS_PER_WORKER = 400
"""Below this many items per extra process, starting processes costs more than it saves."""


def cpu_count() -> int:
    """Cores this process may run on (respects CPU affinity, as in containers)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(items: int, jobs: int | None = None) -> int:
    """How many processes to use for `items` pieces of work."""
    available = jobs or cpu_count()
    return max(1, min(available, items // MIN_ITEMS_PER_WORKER))


WRITERS = 4
"""Threads for work that is mostly the kernel's (`in_threads`)."""


def in_threads(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """`function` over `items`, in order, in WRITERS threads of this process.

    For writing thousands of files: creating a file is mostly the kernel's work (seconds of system
    time at ten thousand files once the page cache is busy), the GIL is let go meanwhile, and
    threads spread that work over the cores.
    """
    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(function, items))


_shared: dict[int, Any] = {}


@runtime_checkable
class Learner(Protocol):
    """A shared object that remembers what it works out (a memo). What workers of one wave
    learned is handed back to this process, so that the next wave, forked from it, starts from it.
    """

    def lessons(self) -> Any:
        """What this process has learned since it was forked or last asked (picklable)."""

    def learn(self, lessons: Any) -> None:
        """Take in what a worker learned."""


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep what is alive now, and what `settle` is called on later in the block, out of the
    garbage collector's walks until the outermost such block ends.

    A build's project, routes and site live to its end: each full collection would walk them all
    again (hundreds of thousands of objects at 10,000 articles, a second of the build), and a
    forked worker's walk would touch, and so copy, every page of the heap it shares.
    """
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:  # an inner block's unfreeze would thaw the outer block's objects too
            gc.unfreeze()


def settle() -> None:
    """Inside `frozen_heap`: what is alive now lives to the end of the block; freeze it too."""
    if gc.get_freeze_count():
        gc.freeze()


WAVE_ITEMS = 2_000
"""Items per set of forked workers for maps over the articles (see `map_files`' `wave`)."""


def map_files(
    function: Callable[[Shared, Item], Result],
    shared: Shared,
    items: Sequence[Item],
    jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
    wave: int | None = None,
) -> list[Result]:
    """Apply `function(shared, item)` to every item, in order, in several processes for large inputs.

    `shared` (a compiled matcher, say) reaches forked workers by inheritance, not by pickling, so
    it is built once however many chunks there are. `meanwhile` is called in this process while
    the workers run (or first, when there are none), for work of another kind; if it returns an
    iterator, that is stepped through while the workers run, one step at a time.

    `wave`: at most this many items per set of workers, each set forked afresh once the last has
    exited. A forked worker shares this process's heap until it touches it: reading an object
    changes its reference count, and the memory page that holds it is copied, so a worker that
    reads half of the articles' text ends up with its own copy of that half (700 MiB across two
    render workers at 10,906 long speeches). Workers that exit after a wave give their copies
    back, so what they hold is bounded by the wave, not by the input; `meanwhile`'s steps go on
    across the waves, so this process works all along.
    """
    workers = worker_count(len(items), jobs)
    steps = _steps(meanwhile)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        _finish(steps)
        return [function(shared, item) for item in items]
    step = wave or len(items)
    results: list[Result] = []
    for start in range(0, len(items), step):
        bounds = (start, min(start + step, len(items)))
        results.extend(_forked(function, shared, items, bounds, workers, steps))
    _finish(steps)
    return results


def _steps(meanwhile: Callable[[], object] | None) -> Iterator[object] | None:
    """Start `meanwhile`: the iterator it returns, if any, for stepping through (it has run whole
    otherwise)."""
    if meanwhile is None:
        return None
    started = meanwhile()
    return started if isinstance(started, Iterator) else None


def _finish(steps: Iterator[object] | None) -> None:
    for _ in steps or ():
        pass


def run_through(meanwhile: Callable[[], object]) -> None:
    """Do what `meanwhile` does, in this process, all of it (stepping through the iterator it
    returns, if any): `map_files`' `meanwhile` where there is nothing to map."""
    _finish(_steps(meanwhile))


def _forked(
    function: Callable[[Shared, Item], Result],
    shared: Shared,
    items: Sequence[Item],
    bounds: tuple[int, int],
    workers: int,
    steps: Iterator[object] | None,
) -> list[Result]:
    """`function` over `items[bounds[0]:bounds[1]]` in `workers` forked processes, in order,
    stepping through `steps` in this process until they are done."""
    first, end = bounds
    # Workers are forked after this point, so they inherit the items as well as `shared`: only
    # index ranges travel to them, and only results come back. Pickling every item (a parsed
    # article with its passages, say) to a worker cost more than the work done on it.
    size = max(1, (end - first) // (workers * 8))
    with _worker_pool(function, shared, items, workers) as (pool, key):
        parts = [pool.submit(_call_range, key, (at, min(at + size, end))) for at in range(first, end, size)]
        for _ in steps or ():
            if all(part.done() for part in parts):
                break  # the rest of the steps go on beside the next wave
        results: list[Result] = []
        for part in parts:
            results.extend(_taken(shared, part))
        return results


def map_forked(
    function: Callable[[Shared, Item], Result], shared: Shared, items: Sequence[Item], workers: int
) -> Iterator[Result]:
    """`function(shared, item)` for each of a few large `items` (ranges of a search index's words,
    say), in `workers` forked processes whatever their number, yielded in order.

    At most `workers + 1` items are in hand at a time, so the results waiting to be taken stay few
    however many items there are. `shared` reaches the workers by inheritance, as in `map_files`.
    """
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(shared, item) for item in items)
        return
    with _worker_pool(function, shared, items, workers) as (pool, key):
        pending: deque[Future[tuple[list[Any], Any]]] = deque()
        for index in range(len(items)):
            pending.append(pool.submit(_call_range, key, (index, index + 1)))
            if len(pending) > workers:
                yield _taken(shared, pending.popleft())[0]
        while pending:
            yield _taken(shared, pending.popleft())[0]


@contextmanager
def _worker_pool(
    function: Callable[[Shared, Item], Result], shared: Shared, items: Sequence[Item], workers: int
) -> Iterator[tuple[ProcessPoolExecutor, int]]:
    """A pool of `workers` processes forked from this one, and the key under which they find
    `function`, `shared` and `items` (inherited, never pickled)."""
    key = id(shared)
    _shared[key] = (function, shared, items)
    # Frozen objects are left out of the workers' garbage collection: a collection would touch
    # (and so copy) every page of the parent's heap, which the workers otherwise share.
    context = multiprocessing.get_context("fork")
    try:
        with frozen_heap(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield pool, key
    finally:
        del _shared[key]


def _taken(shared: object, part: Future[tuple[list[Any], Any]]) -> list[Any]:
    """A worker's results; what it learned goes into `shared` (a Learner, see _call_range)."""
    found, lessons = part.result()
    if lessons is not None:
        shared.learn(lessons)  # type: ignore[attr-defined]
    return found


def _call_range(key: int, bounds: tuple[int, int]) -> tuple[list[Any], Any]:
    """The results for `items[bounds[0]:bounds[1]]`, and what `shared` learned on the way
    (None unless it is a Learner)."""
    function, shared, items = _shared[key]
    results = [function(shared, items[index]) for index in range(*bounds)]
    return results, shared.lessons() if isinstance(shared, Learner) else None
