"""Spread per-file work over the machine's cores when there is enough of it to pay."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

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


_shared: dict[int, Any] = {}


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


def map_files(
    function: Callable[[Shared, Item], Result],
    shared: Shared,
    items: Sequence[Item],
    jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[Result]:
    """Apply `function(shared, item)` to every item, in order, in several processes for large inputs.

    `shared` (a compiled matcher, say) reaches forked workers by inheritance, not by pickling, so
    it is built once however many chunks there are. `meanwhile` is called in this process while
    the workers run (or first, when there are none), for work of another kind.
    """
    workers = worker_count(len(items), jobs)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        return [function(shared, item) for item in items]
    # Workers are forked after this point, so they inherit the items as well as `shared`: only
    # index ranges travel to them, and only results come back. Pickling every item (a parsed
    # article with its passages, say) to a worker cost more than the work done on it.
    size = max(1, len(items) // (workers * 8))
    ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    key = id(shared)
    _shared[key] = (function, shared, items)
    # Frozen objects are left out of the workers' garbage collection: a collection would touch
    # (and so copy) every page of the parent's heap, which the workers otherwise share.
    context = multiprocessing.get_context("fork")
    try:
        with frozen_heap(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            results: list[Result] = []
            parts = pool.map(_call_range, [key] * len(ranges), ranges)  # submits every range now
            if meanwhile is not None:
                meanwhile()
            for part in parts:
                results.extend(part)
            return results
    finally:
        del _shared[key]


def _call_range(key: int, bounds: tuple[int, int]) -> list[Any]:
    function, shared, items = _shared[key]
    return [function(shared, items[index]) for index in range(*bounds)]
