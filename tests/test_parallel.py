"""map_files: the same results, in order, whether it forks workers or not."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator

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


def test_waves_fork_fresh_workers_and_the_steps_done_meanwhile_go_on_across_them() -> None:
    # Workers that exit after each wave give back the pages of this process's heap they copied.
    items = list(range(MIN_ITEMS_PER_WORKER * 6))
    steps: list[int] = []

    def meanwhile() -> Iterator[None]:
        for _ in range(50):
            steps.append(os.getpid())
            time.sleep(0.01)
            yield None

    results = map_files(_tagged, 7, items, 2, meanwhile=meanwhile, wave=MIN_ITEMS_PER_WORKER * 2)
    assert [value for value, _ in results] == [item + 7 for item in items]
    waves = [{pid for _, pid in results[at : at + MIN_ITEMS_PER_WORKER * 2]} for at in (0, MIN_ITEMS_PER_WORKER * 2, MIN_ITEMS_PER_WORKER * 4)]
    assert all(waves) and not (waves[0] & waves[1]) and not (waves[1] & waves[2])  # fresh each time
    assert os.getpid() not in waves[0] | waves[1] | waves[2]
    assert steps == [os.getpid()] * 50  # every step, in this process
    assert gc.get_freeze_count() == 0


class _Memo:
    """A Learner: remembers in which process each key was first worked out."""

    def __init__(self) -> None:
        self.first_seen: dict[int, int] = {}
        self._taught = 0

    def lessons(self) -> list[tuple[int, int]]:
        new = list(self.first_seen.items())[self._taught :]
        self._taught = len(self.first_seen)
        return new

    def learn(self, lessons: list[tuple[int, int]]) -> None:
        self.first_seen.update(lessons)
        self._taught = len(self.first_seen)


def _worked_out_before(memo: _Memo, item: int) -> bool:
    key = item % (MIN_ITEMS_PER_WORKER * 2)  # each key once per wave
    known = key in memo.first_seen
    memo.first_seen.setdefault(key, os.getpid())
    return known


def test_what_one_wave_of_workers_learns_the_next_wave_starts_from() -> None:
    wave = MIN_ITEMS_PER_WORKER * 2
    memo = _Memo()
    known = map_files(_worked_out_before, memo, list(range(wave * 3)), 2, wave=wave)
    assert not any(known[:wave])  # the first wave works everything out
    assert all(known[wave:])  # the later ones start from what it learned
    assert sorted(memo.first_seen) == list(range(wave))  # and so does this process
    assert os.getpid() not in memo.first_seen.values()  # though it worked out none of it
