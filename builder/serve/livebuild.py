"""The builds behind `briefdesk serve`: one full build, then quick updates in place.

After an edit, the page a reader is looking at must change within seconds even at 10,000
articles, so a rebuild does only what that page needs before browsers reload. The cache of
parsed, routed and rendered articles stays in memory from one rebuild to the next (reading it
back from disk took seconds at that size). The feeds, the cache on disk and the search index,
which no open page shows, catch up in the background after the reload; the next edit stops a
catch-up still running (re-indexing takes minutes at that size) and starts its own.

An edit to articles that keep their page is shown before all that: `preview` renders the edited
articles' own pages from those files alone (builder.serve.preview) through a MkDocs kept loaded
(builder.site.warmdocs), and browsers reload; the full update that follows brings the briefs, the
timeline and the actor pages that quote the articles up to date.

Each update, preview and catch-up holds the build locks (`builder.pipeline.locking`), so a
`briefdesk build` run beside `serve` waits for it, and it for the build. A build that ran in
between has replaced build/docs/ and the site: the next update then builds from what that build
left (staged, as `briefdesk build` does) instead of updating in place pages it no longer knows,
and the catch-up owed to the replaced site is dropped.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from builder.briefs.assembly import Site
from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError, BuildBusy
from builder.pipeline import locking
from builder.pipeline.cache import BuildCache
from builder.pipeline.disk import save_cache
from builder.pipeline.html import catch_up, mark_in_progress
from builder.pipeline.keys import digest_of
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import read_docs_record, site_manifest_of, update_page
from builder.pipeline.pipeline import build
from builder.pipeline.report import BuildReport
from builder.pipeline.sitestate import SiteState
from builder.search.index import Cancelled, Stopper
from builder.serve.preview import ArticlePreview
from builder.site import mkdocs
from builder.site.warmdocs import WarmDocs


class LiveBuilder:
    """Rebuild one project again and again, each time from what the last build left."""

    def __init__(self, options: BuildOptions, announce: Callable[[str], None] = lambda text: None) -> None:
        self.options = options
        self.announce = announce
        self.cache = BuildCache.open(options.build_dir) if options.cache else None
        self._built = False
        self._left: tuple[str | None, str | None] | None = None
        """What this builder last left: the manifest in build/docs/'s record and the site's marker
        (None before a build): anything else there now was left by another build."""
        self._busy = threading.Lock()
        """Held by an update or a preview (the watcher's thread) while it runs."""
        self._behind: tuple[Site, SiteState | None] | None = None
        """The site whose feeds and search index are not yet written, and its record to write then."""
        self._catching_up: tuple[threading.Thread, Stopper] | None = None
        self._preview: ArticlePreview | None = None
        """Renders edited articles against the project of the last good update (None before one)."""
        self._warm: WarmDocs | None = None
        self._previewed = False

    @property
    def shows_more_than_preview(self) -> bool:
        """Whether the last rebuild changed pages beyond those its preview had already shown."""
        return not self._previewed

    def rebuild(self, diagnostics: Diagnostics) -> BuildReport:
        """A full build the first time (until one succeeds), then an incremental one; raise on failure.

        An update is made in place only where build/docs/ and the site are as this builder left
        them; after another build (or a failed update) it builds from what is there, staged.
        """
        with self._busy:
            return self._rebuild(diagnostics)

    def _rebuild(self, diagnostics: Diagnostics) -> BuildReport:
        self.stop_catching_up()  # it reads the cache and writes into the site, as the build will
        previewed, self._previewed = self._previewed, False
        in_place = self._built and self._as_left()
        if self._built and not in_place:
            if self._left is not None:  # None: our own update failed half-way, and we know it
                self.announce("build/ or the site was changed by another build: building from what it left")
            self._behind = None  # that site is not the one the catch-up was owed to
        options = dataclasses.replace(self.options, incremental=True) if in_place else self.options
        try:
            report = build(
                options, diagnostics, cache=self.cache, renderer=self._render_loaded, say=self.announce
            )
        except BaseException:
            self._preview = None  # previews resume after the next good update
            if not self._as_left():
                # It failed after changing build/docs/ or the site: the next update builds from what
                # is there (staged), not in place over pages it no longer knows the state of.
                self._left = None
                self._behind = None
            self.start_catching_up()  # the last good site stays served: finish what it was owed
            raise
        if report.pending is not None and report.site is not None:
            self._behind = (report.site, report.pending)
            self._left = (report.manifest, "")
        else:
            self._left = (report.manifest, report.manifest)
        self._built = True
        self._previewed = previewed and report.pages_changed == []
        if report.project is not None:
            # An up-to-date build assembles no site: the last one's grouping still holds.
            kept = self._preview.others if self._preview is not None else None
            grouped = {p.article.path: p.others for p in report.site.articles} if report.site else kept
            self._preview = ArticlePreview(report.project, grouped)
            self._warm_up()
        return report

    def preview(self, changed: Sequence[str]) -> bool:
        """Show edited articles' own pages at once, if the edit allows; whether pages were updated.

        `changed` holds the project-relative paths that changed. When this declines, nothing was
        written; when rendering fails, only the Markdown may have been. Either way `rebuild` does
        the whole update as usual. When it succeeds, `rebuild` must still follow to update the
        pages that quote the articles.
        """
        with self._busy:
            return self._show_preview(changed)

    def _show_preview(self, changed: Sequence[str]) -> bool:
        if self._preview is None or self._warm is None or not self._as_left():
            return False
        pages = self._preview.pages(changed)
        if pages is None:
            return False
        self.stop_catching_up()  # its Pagefind run would take the core MkDocs needs
        paths = locking.lock_paths(self.options.build_dir, self.options.site_dir)
        try:
            with locking.holding(paths, wait=False):
                if not self._as_left():
                    return False  # another build came first: the full update builds from it
                ok = self._write_preview(pages)
        except BuildBusy:
            return False  # a build is running: the full update waits for it
        self._previewed = ok
        return ok  # its warnings are reported by the full update that follows

    def _write_preview(self, pages: list[tuple[str, str]]) -> bool:
        assert self._preview is not None and self._warm is not None and self._left is not None
        mark_in_progress(self.options.site_dir)  # pages change in place: no build may call it done
        self._left = (self._left[0], "")
        docs = self.options.docs_dir
        for path, text in pages:
            update_page(docs, path, text)
        ok, _ = self._warm.render(
            [path for path, _ in pages], mkdocs.source_date_epoch(self._preview.project)
        )
        if not ok:
            # The Markdown is written but its page may not be: the update that follows must not
            # take the loaded MkDocs' path, which renders only pages whose Markdown it changes.
            self._drop_warm()
        return ok

    def _as_left(self) -> bool:
        """Whether build/docs/ and the site are as this builder last left them."""
        docs = read_docs_record(self.options.build_dir).manifest
        return self._left is not None and self._left == (docs, site_manifest_of(self.options.site_dir))

    def _render_loaded(
        self, config_path: Path, pages: Sequence[str], epoch: int
    ) -> tuple[bool, list[str]] | None:
        """Render an update's changed pages with the loaded MkDocs, if it loaded these settings and pages."""
        if self._warm is None or self._warm.fingerprint != self._fingerprint(config_path):
            return None
        ok, lines = self._warm.render(pages, epoch, templates=True)
        if not ok:  # the dirty build that follows does the work; a fresh MkDocs loads after it
            self._drop_warm()
        return ok, lines

    def _warm_up(self) -> None:
        """Have a loaded MkDocs ready for previews, matching the last update's settings and pages."""
        config = self.options.build_dir / "mkdocs.yml"
        fingerprint = self._fingerprint(config)
        if fingerprint is None:
            return
        if self._warm is not None and self._warm.fingerprint == fingerprint:
            return
        self._drop_warm()
        self._warm = WarmDocs(config, self.options.site_dir, fingerprint)

    def _drop_warm(self) -> None:
        if self._warm is not None:
            self._warm.close()
            self._warm = None

    def _fingerprint(self, config: Path) -> str | None:
        """What a loaded MkDocs depends on: its settings and the list of pages (not their text)."""
        try:
            listed = sorted(
                os.path.join(folder, name)
                for folder, _, names in os.walk(self.options.docs_dir)
                for name in names
            )
            return digest_of(config.read_bytes(), *listed)
        except OSError:
            return None

    def start_catching_up(self) -> threading.Thread | None:
        """Write, in a background thread, what the last rebuild left for later (if anything)."""
        behind = self._behind
        if behind is None:
            return None
        stopper = Stopper()
        thread = threading.Thread(target=self._catch_up, args=(behind, stopper), name="catch-up", daemon=True)
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
        """Stop any catch-up and keep the cache on disk for the next build.

        An update still running (Ctrl-C during it) is left to end with the process: the site's
        marker already says it is incomplete, and the cache, which it is changing, is not saved.
        """
        self.stop_catching_up()
        if not self._busy.acquire(blocking=False):
            return
        try:
            self._drop_warm()
            if self.cache is not None:
                save_cache(self.cache, self.options.build_dir)
        except BriefdeskError as exc:
            self.announce(f"error: {exc}")
        finally:
            self._busy.release()

    def _catch_up(self, behind: tuple[Site, SiteState | None], stopper: Stopper) -> None:
        site, pending = behind
        try:
            records = catch_up(site, self.options, self.cache, pending, stopper)
        except Cancelled:
            return  # a newer edit is being built; `_behind` still names the work
        except Exception as exc:  # serve must go on whatever the failure: say it, keep the site
            why = str(exc) if isinstance(exc, BriefdeskError) else f"{type(exc).__name__}: {exc}"
            self.announce(f"error: feeds and search index not refreshed: {why}")
            return
        if self._behind is behind:
            self._behind = None
        if records is None:
            return  # another build replaced the site, feeds and index included
        if pending is not None and self._left == (pending.marker, ""):
            self._left = (pending.marker, pending.marker)
        self.announce(f"feeds and search index refreshed ({records:,} records)")
