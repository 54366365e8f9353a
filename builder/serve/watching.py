"""When `serve` rebuilds: on every change to the project's sources, whatever happened before.

The watcher never stops while serve runs. Any failure of an update, ours or not, is printed in one
line and the last good site stays served; the next change tries again. What decides whether to
rebuild is not the file system's events but the sources themselves: before each update the
watcher notes every source file's size and time, and after it compares them again, so an edit
saved while an update ran (the first build included) is built right after it, never lost between
two events.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from builder.serve.server import BuildCounter

log = logging.getLogger(__name__)

Snapshot = Mapping[str, tuple[int, int]]
"""Project-relative path -> (size, modification time in ns) of every watched source file."""

_SOURCE_SUFFIXES = {".md", ".yml", ".yaml", ".jinja", ".html", ".css", ".js"}


def watched_paths(root: Path) -> list[Path]:
    """What a change to triggers a rebuild: content, templates and the site config."""
    return [p for p in (root / "content", root / "templates", root / "site_config.yml") if p.exists()]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """The size and time of every source file serve watches, as they are now."""
    found: dict[str, tuple[int, int]] = {}
    for top in watched_paths(root):
        walked = [(str(top.parent), [], [top.name])] if top.is_file() else os.walk(top)
        for parent, _, names in walked:
            for name in names:
                path = Path(parent, name)
                if not _relevant(path):
                    continue
                try:
                    status = path.stat()
                except OSError:
                    continue  # gone since it was listed
                found[path.relative_to(root).as_posix()] = (status.st_size, status.st_mtime_ns)
    return found


def changed_between(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or changed from one snapshot to the other, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def watch_and_rebuild(
    root: Path,
    rebuild: Callable[[], bool],
    counter: BuildCounter,
    stop: threading.Event,
    announce: Callable[[str], None],
    after_reload: Callable[[], None] = lambda: None,
    preview: Callable[[list[str]], bool] = lambda changed: False,
    shows_more: Callable[[], bool] = lambda: True,
    built_from: Snapshot | None = None,
) -> None:
    """Rebuild whenever a watched file changes; bump the counter after each successful build.

    `built_from` is the snapshot the first build started from: what changed since is built as
    soon as the watcher runs. `preview` may first update the edited pages alone (see
    LiveBuilder.preview): browsers reload then, and again once the rebuild has updated the rest,
    unless `shows_more` says the rebuild changed no page beyond the previewed ones.
    """
    from watchfiles import watch

    last = dict(built_from) if built_from is not None else snapshot(root)
    while not stop.is_set():
        try:
            # With yield_on_timeout, the first (empty) batch comes once the watcher is watching:
            # from then on no edit is missed, so that is when edits made before are looked at.
            for _ in watch(
                *watched_paths(root),
                stop_event=stop,
                debounce=50,
                step=20,
                rust_timeout=500,
                yield_on_timeout=True,
            ):
                while not stop.is_set():
                    now = snapshot(root)
                    changed = changed_between(last, now)
                    if not changed:
                        break
                    last = now  # what this update builds from; edits during it show next time
                    _update(changed, rebuild, counter, announce, after_reload, preview, shows_more)
        except Exception as exc:  # the watching itself failed (a watched folder went away): start again
            announce(f"error: watching the project failed ({type(exc).__name__}: {exc}); watching again")
            stop.wait(1)


def _update(
    changed: list[str],
    rebuild: Callable[[], bool],
    counter: BuildCounter,
    announce: Callable[[str], None],
    after_reload: Callable[[], None],
    preview: Callable[[list[str]], bool],
    shows_more: Callable[[], bool],
) -> None:
    """One update after `changed`; any failure is said in one line and the watcher goes on."""
    announce("changed: " + ", ".join(changed[:5]) + (" …" if len(changed) > 5 else ""))
    started = time.perf_counter()
    try:
        if preview(changed):
            counter.bump()
            announce(
                f"showing the edited page ({time.perf_counter() - started:.2f} s after the change); "
                "updating the pages that quote it"
            )
        if rebuild():
            if shows_more():
                counter.bump()
                announce(f"reloading browsers ({time.perf_counter() - started:.2f} s after the change)")
            after_reload()
    except Exception as exc:  # a bug, or a file system gone wrong: serve must go on
        log.debug("the update failed", exc_info=True)
        announce(
            f"error: the update failed ({type(exc).__name__}: {exc}); still serving the last good site, "
            "trying again on the next change"
        )


def _relevant(path: Path) -> bool:
    """Ignore editor droppings (backups, swap and temporary files) that come and go on save."""
    name = path.name
    if name.startswith((".", "#")) or name.endswith("~"):
        return False
    return path.suffix in _SOURCE_SUFFIXES
