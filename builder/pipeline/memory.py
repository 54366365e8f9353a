"""Hand memory the build has let go of back to the system, before other processes need it."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging

log = logging.getLogger(__name__)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def give_back() -> None:
    """Collect what is no longer reachable, then return the freed heap to the system.

    Python frees a dropped page's text to the C allocator, which keeps it for later use: the
    process's footprint stays that of its fullest moment while MkDocs and Pagefind, other
    processes, start beside it. glibc's `malloc_trim` gives back every free page of the heap
    (not only its top); elsewhere (another C library) only the collection happens.
    """
    gc.collect()
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
        trim(0)
    else:
        log.debug("no malloc_trim in this C library: freed memory stays with the process")
