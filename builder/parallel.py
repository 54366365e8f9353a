"""Spread per-file work over the machine's cores when there is enough of it to pay."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

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


def map_files(
    function: Callable[[Item], Result], items: Sequence[Item], jobs: int | None = None
) -> list[Result]:
    """Apply `function` to every item, in order, using several processes for large inputs."""
    workers = worker_count(len(items), jobs)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    # fork: workers inherit the parsed topics and templates instead of re-importing everything.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, items, chunksize=chunk))
