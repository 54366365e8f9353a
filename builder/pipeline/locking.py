"""One build at a time per project and per output folder.

Two builds that overlap (a `serve` and a `build`, two CI steps, two terminals) would each clear
and swap the other's folders. So every build, and every update `serve` makes, holds two locks for
its whole run: the project's (its build/ folder: the Markdown, the cache, the site's record) and
the output folder's (a lock file beside it, since the folder itself is swapped). A second build
waits, saying once whose build it waits for, or with `wait=False` stops at once.

The locks are filelock's soft locks: a file whose owner record names the holder's PID, host and
process start time. A lock left by a killed process is recognised as stale from that record (the
PID is gone, or now names another process) and taken over, so a kill never blocks the next build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import SoftFileLock, Timeout

from builder.errors import BuildBusy

log = logging.getLogger(__name__)

PROJECT_LOCK = ".briefdesk.lock"
"""The project's lock, in its build/ folder."""
OUTPUT_LOCK_PREFIX = ".briefdesk-lock-"
"""The output folder's lock, beside it: `.briefdesk-lock-site` for `site/`."""
_TRY = 0.2
"""Seconds between checks whether a waiter gives up."""


def lock_paths(build_dir: Path, site_dir: Path | None) -> list[Path]:
    """The lock files a build of this project into `site_dir` (None: Markdown only) holds, in the
    order taken (always the same order, so two builds can never each hold what the other waits for)."""
    paths = [build_dir / PROJECT_LOCK]
    if site_dir is not None:
        paths.append(site_dir.parent / f"{OUTPUT_LOCK_PREFIX}{site_dir.name}")
    return paths


@contextmanager
def holding(
    paths: list[Path],
    *,
    wait: bool = True,
    say: Callable[[str], None] | None = None,
    between_tries: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold every lock in `paths` for the duration; wait for a build that holds one (saying so
    once through `say`), or raise BuildBusy at once when `wait` is false. While waiting,
    `between_tries` is called now and then: it may raise to give up (serve's catch-up, stopped)."""
    say = say or log.warning
    with ExitStack() as held:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = SoftFileLock(path)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                holder = _holder(lock)
                if not wait:
                    raise BuildBusy(
                        f"{_what(path)} is being built by {holder}; not waiting (--no-wait)"
                    ) from None
                say(f"waiting for the build started by {holder}…")
                _wait_for(lock, between_tries)
            held.callback(lock.release)
        yield


def _wait_for(lock: SoftFileLock, between_tries: Callable[[], None] | None) -> None:
    if between_tries is None:
        lock.acquire()
        return
    while True:
        between_tries()
        try:
            lock.acquire(timeout=_TRY)
            return
        except Timeout:
            continue


def _holder(lock: SoftFileLock) -> str:
    pid = lock.pid
    return f"PID {pid}" if pid is not None else "another process"


def _what(path: Path) -> str:
    if path.name == PROJECT_LOCK:
        return f"the project {path.parent.parent}"
    return str(path.with_name(path.name.removeprefix(OUTPUT_LOCK_PREFIX)))
