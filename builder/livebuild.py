"""The builds behind `briefdesk serve`: one full build, then quick updates in place.

After an edit, the page a reader is looking at must change within seconds even at 10,000
articles, so a rebuild does only what that page needs before browsers reload. The cache of
parsed, routed and rendered articles stays in memory from one rebuild to the next (reading it
back from disk took seconds at that size), and the feeds, the cache on disk and the search index,
which no open page shows, catch up after the reload.
"""

from __future__ import annotations

import dataclasses

from builder.assembly import Site
from builder.cache import BuildCache
from builder.diagnostics import Diagnostics
from builder.pipeline import BuildOptions, BuildReport, build, catch_up


class LiveBuilder:
    """Rebuild one project again and again, each time from what the last build left."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.cache = BuildCache.open(options.build_dir) if options.cache else None
        self._built = False
        self._behind: Site | None = None
        """The site whose feeds and search index still wait for `catch_up`."""

    def rebuild(self, diagnostics: Diagnostics) -> BuildReport:
        """A full build the first time (until one succeeds), then an incremental one; raise on failure."""
        options = dataclasses.replace(self.options, incremental=True) if self._built else self.options
        report = build(options, diagnostics, cache=self.cache)
        if self._built and not report.up_to_date and report.site is not None:
            self._behind = report.site
        self._built = True
        return report

    def catch_up(self) -> int | None:
        """Write what the last rebuild left for later; return the search records (None if nothing was due)."""
        site, self._behind = self._behind, None
        if site is None:
            return None
        return catch_up(site, self.options, self.cache)
