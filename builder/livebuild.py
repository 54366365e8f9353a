"""The builds behind `briefdesk serve`: one full build, then quick updates in place.

After an edit, the page a reader is looking at must change within seconds even at 10,000
articles, so a rebuild does only what that page needs before browsers reload. The cache of
parsed, routed and rendered articles stays in memory from one rebuild to the next (reading it
back from disk took seconds at that size). The feeds, the cache on disk and the search index,
which no open page shows, catch up in the background after the reload; the next edit stops a
catch-up still running (re-indexing takes minutes at that size) and starts its own.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from builder.assembly import Site
from builder.cache import BuildCache
from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError
from builder.pipeline import BuildOptions, BuildReport, build, catch_up
from builder.search import Cancelled, Stopper


class LiveBuilder:
    """Rebuild one project again and again, each time from what the last build left."""

    def __init__(self, options: BuildOptions, announce: Callable[[str], None] = lambda text: None) -> None:
        self.options = options
        self.announce = announce
        self.cache = BuildCache.open(options.build_dir) if options.cache else None
        self._built = False
        self._behind: Site | None = None
        """The site whose feeds and search index are not yet written."""
        self._catching_up: tuple[threading.Thread, Stopper] | None = None

    def rebuild(self, diagnostics: Diagnostics) -> BuildReport:
        """A full build the first time (until one succeeds), then an incremental one; raise on failure."""
        self.stop_catching_up()  # it reads the cache and writes into the site, as the build will
        options = dataclasses.replace(self.options, incremental=True) if self._built else self.options
        try:
            report = build(options, diagnostics, cache=self.cache)
        except BaseException:
            self.start_catching_up()  # the last good site stays served: finish what it was owed
            raise
        if self._built and not report.up_to_date and report.site is not None:
            self._behind = report.site
        self._built = True
        return report

    def start_catching_up(self) -> threading.Thread | None:
        """Write, in a background thread, what the last rebuild left for later (if anything)."""
        site = self._behind
        if site is None:
            return None
        stopper = Stopper()
        thread = threading.Thread(target=self._catch_up, args=(site, stopper), name="catch-up", daemon=True)
        self._catching_up = (thread, stopper)
        thread.start()
        return thread

    def stop_catching_up(self) -> None:
        """Stop a catch-up still running and wait for it; what it left undone stays due."""
        if self._catching_up is not None:
            thread, stopper = self._catching_up
            stopper.stop()
            thread.join()
            self._catching_up = None

    def close(self) -> None:
        """Stop any catch-up and keep the cache on disk for the next build."""
        self.stop_catching_up()
        if self.cache is not None:
            self.cache.save()

    def _catch_up(self, site: Site, stopper: Stopper) -> None:
        try:
            records = catch_up(site, self.options, self.cache, stopper)
        except Cancelled:
            return  # a newer edit is being built; `_behind` still names the work
        except BriefdeskError as exc:
            self.announce(f"error: feeds and search index not refreshed: {exc}")
            return
        if self._behind is site:
            self._behind = None
        self.announce(f"feeds and search index refreshed ({records:,} records)")
