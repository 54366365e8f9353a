"""map_files: the same results, in order, whether it forks workers or not."""

from __future__ import annotations

import gc
import os

import pytest

from builder.parallel import MIN_ITEMS_PER_WORKER, map_files


def _tagged(offset: int, item: int) -> tuple[int, int]:
    return item + offset, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_in_order_with_work_done_meanwhile(jobs: int) -> None:
    items = list(range(MIN_ITEMS_PER_WORKER * 2 + 37))  # enough for two workers
    done: list[int] = []
    results = map_files(_tagged, 1000, items, jobs, meanwhile=lambda: done.append(os.getpid()))
    assert [value for value, _ in results] == [item + 1000 for item in items]
    assert done == [os.getpid()]  # in this process, once
    workers = {pid for _, pid in results}
    assert (os.getpid() in workers) == (jobs == 1)
    assert gc.get_freeze_count() == 0  # the heap is left as it was found
