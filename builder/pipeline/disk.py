"""A full disk, said in one line: which folder, about how much more room it needs, and that the
previous site is unchanged (every write is staged or atomic, so it is).

The estimate is what the write needed in all less what is free once its partial output is
removed; what a write needs in all is the caller's best guess (the pages' bytes, the size of the
cache or of the site it replaces).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import BuildError
from builder.pipeline.cache import BuildCache
from builder.pipeline.checkpoints import checkpoint

FULL = (errno.ENOSPC, errno.EDQUOT)
"""No space left on the device, or the user's quota exceeded."""
_MB = 1_000_000


class NoRoom(BuildError):
    """The disk (or the quota) is full; nothing was changed."""


UNCHANGED = "the previous site is unchanged"


@contextmanager
def room_for(
    folder: Path,
    needed: int | Callable[[], int],
    cleanup: Path | None = None,
    outcome: str = UNCHANGED,
) -> Iterator[None]:
    """Turn a full disk met while writing into `folder` into one NoRoom line; `needed` is the
    write's size in all (or says it once the write failed); `cleanup`, a partial output to remove
    first, so that what is free afterwards is what the write can count on; `outcome`, what the
    line says of the site (for a site updated in place, not that it is unchanged)."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in FULL:
            raise
        total = needed() if callable(needed) else needed
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        raise no_room(folder, total, outcome) from None


def no_room(folder: Path, needed: int, outcome: str = UNCHANGED) -> NoRoom:
    """The error for a write of `needed` bytes in all into `folder` that met a full disk."""
    free = _free(folder)
    more = max(needed - free, 0)
    return NoRoom(
        f"no room left on the device for {_shown(folder)}: it needs about {_megabytes(more)} more "
        f"({_megabytes(free)} free); {outcome}"
    )


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` is a write that met a full disk or quota."""
    return isinstance(exc, OSError) and exc.errno in FULL


def nearly_full(folder: Path) -> bool:
    """Whether the file system of `folder` has (next to) no room left: how another process's
    failure (MkDocs', Pagefind's) is told to be a full disk."""
    return _free(folder) < _MB


def save_cache(cache: BuildCache, build_dir: Path) -> None:
    """Save the cache, saying in one line if the disk is full (the old cache stays as it was)."""
    old = _size(cache.path)
    temporary = cache.path.with_name(f"{cache.path.name}.{os.getpid()}.tmp")
    checkpoint("save-cache")
    try:
        cache.save()
    except OSError as exc:
        if exc.errno not in FULL:
            raise
        written = _size(temporary)
        temporary.unlink(missing_ok=True)  # the partial file would count against what is free
        raise no_room(cache.path.parent, max(old, written) + _MB) from None


def tree_size(folder: Path) -> int:
    """Bytes of the files under `folder` that no other tree shares (hard links count once, elsewhere)."""
    total = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            try:
                status = os.lstat(os.path.join(parent, name))
            except OSError:
                continue
            if status.st_nlink == 1:
                total += status.st_size
    return total


def _free(folder: Path) -> int:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _megabytes(count: int) -> str:
    return f"{max(count, 0) / _MB:,.1f} MB"


def _shown(folder: Path) -> str:
    try:
        return os.path.relpath(folder) + "/" if not os.path.relpath(folder).startswith("..") else f"{folder}/"
    except ValueError:
        return f"{folder}/"
