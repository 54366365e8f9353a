"""The HTML stage: MkDocs' site, the feeds, the sitemap and the search index, staged and swapped in.

`build_html` makes a whole site or, given a plan (`builder.pipeline.increment`), only what changed
since the previous one; either way into a staging folder swapped in at the end, so readers never
see a partial site. `update_html` and `catch_up` are serve's: they update the served site in place.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from builder.briefs.assembly import Site
from builder.briefs.rendering import count
from builder.diagnostics import Diagnostics
from builder.errors import BuildError
from builder.feeds import atom as feeds
from builder.feeds import sitemap
from builder.pdf import documents as pdf
from builder.pipeline import disk, increment, locking, sitestate
from builder.pipeline.cache import BuildCache
from builder.pipeline.checkpoints import checkpoint
from builder.pipeline.disk import save_cache
from builder.pipeline.filestamps import files_of, stamp_files
from builder.pipeline.keys import code_fingerprint, digest_of
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import (
    mark_as_site,
    read_docs_record,
    recover,
    remove_pages,
    site_manifest_of,
    staging_dir,
    swap_in,
)
from builder.pipeline.report import BuildReport, PageRenderer
from builder.pipeline.sitestate import SiteState
from builder.search import index as search
from builder.site import mkdocs
from builder.urls import page_url

log = logging.getLogger(__name__)


def record_state(
    config_path: Path, pages: dict[str, str], outputs: dict[str, str], manifest: str
) -> SiteState:
    """What the site about to be built is made from (its files are added once it is staged).

    Its frame is what every page's HTML depends on besides its Markdown: MkDocs' settings
    (`config_path`, as `prepare_mkdocs` wrote them) and engine, and Briefdesk's own code, whose
    theme overrides and assets are on every page.
    """
    frame = digest_of(code_fingerprint(), mkdocs.frame_fingerprint(config_path))
    return SiteState(manifest, frame, pages, outputs)


def prepare_mkdocs(site: Site, options: BuildOptions) -> tuple[Path, bool]:
    """Write MkDocs' settings; return their path and whether they (the theme, the nav, the
    site's name, ...) differ from last time."""
    config = options.build_dir / "mkdocs.yml"
    before = config.read_bytes() if config.is_file() else None
    config_path = mkdocs.prepare(site, options.build_dir, options.site_dir, pdf=options.pdf)
    return config_path, config_path.read_bytes() != before


def search_ahead(site: Site, options: BuildOptions, previous: SiteState | None) -> search.IndexJob | None:
    """Start indexing the site for search now if this build will likely start from the previous
    site (`previous` describes the site in the output folder), where the index is most of the
    work; None otherwise: a whole build indexes beside MkDocs, once the pages' text is let go."""
    if options.markdown_only or previous is None or previous.marker != site_manifest_of(options.site_dir):
        return None
    return search.IndexJob(site, _shard_store(options), beside_mkdocs=False)


SHARDS = ".cache/search"
"""Where the search index's shards are kept between builds (under build/)."""


def _shard_store(options: BuildOptions) -> search.ShardStore | None:
    """The kept shards of the search index, unless the build ignores the cache."""
    return search.ShardStore(options.build_dir / SHARDS) if options.cache else None


def build_html(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    config_path: Path,
    state: SiteState,
    change: increment.Plan | None = None,
    ahead: search.IndexJob | None = None,
) -> None:
    """Build the HTML site with MkDocs' settings at `config_path` in a staging folder, and swap
    it in only if every stage succeeded.

    With a `change` (see `builder.pipeline.increment`), the staging folder starts from the previous
    site and only what changed is made again; otherwise everything is. `ahead` is the search
    index, if it was started early (see `search_ahead`).
    """
    target = options.site_dir
    recover(target)
    previous_size = disk.tree_size(target) if change is None and target.is_dir() else 0
    with disk.room_for(target, previous_size):
        staged = staging_dir(target)
    reindex = change is None or search.BUNDLE in change.outputs
    if ahead is not None and not reindex:
        ahead.cancel()  # nothing search shows has changed: the previous index is kept
    indexing = (
        (ahead or search.IndexJob(site, _shard_store(options))) if reindex else None
    )  # beside MkDocs, on the other core
    try:
        if change is not None:
            try:
                _changed_pages_and_feeds(site, options, diagnostics, report, config_path, staged, change)
                if indexing is not None:
                    indexing.mkdocs_done()
            except FileNotFoundError as missing:  # the previous site was changed by hand since
                log.warning("%s: the previous site lacks a file (%s); building it whole", target, missing)
                shutil.rmtree(staged)
                staged = staging_dir(target)
                change = None
                if indexing is None:
                    indexing = search.IndexJob(site, _shard_store(options))
        if change is None:
            _pages_and_feeds(site, options, diagnostics, report, config_path, staged, indexing)
        if options.pdf:
            _pdfs(site, report, staged, change)
        if indexing is not None:
            with report.stage("search") as timing:
                records, seconds = indexing.write(staged)
                timing.seconds = seconds  # the indexing's own time, most of it spent beside MkDocs
                report.details["search"] = f"{records:,} search records, built alongside MkDocs"
        mark_as_site(staged, state.marker)
        state.files = stamp_files(staged, files_of(staged), change.stamps if change is not None else None)
        dropped = [] if options.pdf else sorted((target / pdf.FOLDER).glob("*.pdf"))
        checkpoint("swap")
        swap_in(staged, target)
        if dropped:
            report.notes.append(
                f"removed the {count(len(dropped), 'PDF')} of briefs that an earlier build wrote to "
                f"{pdf.FOLDER}/: this build made none (build --pdf, or 'pdf: true' in site_config.yml, "
                "keeps them)"
            )
    except BaseException as exc:
        if indexing is not None:
            indexing.cancel()
        written = disk.tree_size(staged) if disk.disk_full(exc) or isinstance(exc, BuildError) else 0
        shutil.rmtree(staged, ignore_errors=True)
        if disk.disk_full(exc) or (isinstance(exc, BuildError) and disk.nearly_full(target.parent)):
            # MkDocs and Pagefind run in other processes: their full disk reaches us as a failure.
            raise disk.no_room(target, max(previous_size, 2 * written)) from None
        raise
    with disk.room_for(options.build_dir / ".cache", len(state.files) * 200):
        sitestate.save(options.build_dir, state)  # after the swap: a record always fits the site it names


def _changed_pages_and_feeds(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    config_path: Path,
    out: Path,
    change: increment.Plan,
) -> None:
    """Stage the previous site into `out`, then render the changed pages and write the changed feeds."""
    with report.stage("mkdocs"):
        kept = increment.stage_from(options.site_dir, change.files, out, change.left_out())
        epoch = mkdocs.source_date_epoch(site.project)
        ok, problems = mkdocs.render_pages(config_path, out, change.render, epoch, options.root)
        diagnostics.extend(problems)
        report.html_rendered, report.files_kept = len(change.render), kept
        report.details["mkdocs"] = (
            f"{count(len(change.render), 'page')} to HTML, {kept:,} files kept from the previous site"
        )
    if not ok:
        raise BuildError("MkDocs could not build the site; the previous site is unchanged")
    with report.stage("feeds"):
        written = feeds.write_feeds(site, out, only=change.outputs)
        report.details["feeds"] = f"{count(written, 'feed')} changed"
        sitemap.write_sitemap(site, out)


def _pdfs(site: Site, report: BuildReport, out: Path, change: increment.Plan | None) -> None:
    """Print each brief to PDF into `out`; with a `change`, only those whose key changed (the
    others came from the previous site). Runs while the search index is built on the other core."""
    every = pdf.briefs_to_print(site)
    briefs = [b for b in every if change is None or pdf.pdf_path(b.topic_id) in change.outputs]
    with report.stage("pdf"):
        written = pdf.write_pdfs(out, briefs)
        kept = f", {len(every) - written:,} kept from the previous site" if change is not None else ""
        report.details["pdf"] = f"{count(written, 'PDF')} of briefs{kept}"


def catch_up(
    site: Site,
    options: BuildOptions,
    cache: BuildCache | None,
    pending: SiteState | None,
    stopper: search.Stopper | None = None,
) -> int | None:
    """After an update in place: write the feeds and the sitemap, refresh the search index, then
    record the site (its marker and `pending`, the record of what it is now made from) and save
    the cache.

    `serve` runs this once browsers have reloaded the edited page: none of it changes what the
    reader sees, and at scale it takes far longer than updating the pages. It holds the build
    locks like any build. Returns the records, or None when another build has replaced the site
    since (there is nothing left to catch up); raises search.Cancelled if `stopper` stops it.
    Saving the cache (seconds at 10,000 articles) cannot be stopped, so it comes last.
    """
    stopper = stopper or search.Stopper()
    paths = locking.lock_paths(options.build_dir, options.site_dir)
    with locking.holding(paths, between_tries=stopper.check):
        checkpoint("catch-up", given_up=lambda: stopper.stopped)
        stopper.check()
        if site_manifest_of(options.site_dir) != "" or (
            pending is not None and read_docs_record(options.build_dir).manifest != pending.marker
        ):
            return None  # another build replaced the site (and its record) since the update
        later = "the served pages stay; the feeds and search index catch up after the next change"
        with disk.room_for(options.site_dir, 2 * disk.tree_size(options.site_dir / "feeds"), outcome=later):
            feeds.write_feeds(site, options.site_dir, stopper.check)
            sitemap.write_sitemap(site, options.site_dir)
        records = refresh_search(site, options, stopper)
        if pending is not None and not options.pdf:  # serve does not print PDFs in place
            mark_as_site(options.site_dir, pending.marker)
            pending.files = stamp_files(options.site_dir, files_of(options.site_dir))
            sitestate.save(options.build_dir, pending)
        if cache is not None:
            save_cache(cache, options.build_dir)
    return records


def refresh_search(site: Site, options: BuildOptions, stopper: search.Stopper | None = None) -> int:
    """Rebuild the search index of the served site in place of the old one; return its records.

    At scale, indexing takes far longer than updating pages: a slightly stale search index is
    the lesser evil, so `serve` runs this after browsers have reloaded.
    """
    target = options.site_dir
    staged = staging_dir(target / "pagefind")
    try:
        records = search.index_site(site, staged, stopper, _shard_store(options))
        swap_in(staged / "pagefind", target / "pagefind")
        return records
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def update_html(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    config_path: Path,
    renderer: PageRenderer | None = None,
) -> None:
    """Update the served site in place: MkDocs rebuilds only the pages whose Markdown changed.

    The feeds and the search index are left to `catch_up`, which `serve` runs once browsers
    have reloaded; until it has, the site's marker names no manifest, so no later build calls
    the site up to date (`serve` stopped before the catch-up leaves a site the next build redoes).

    For `serve` only. Content errors never get here, so the last good site stays up. When the
    settings and the list of pages are those `renderer` loaded, it renders the changed pages
    (a fraction of a second); otherwise MkDocs' "dirty" mode, which loads the whole site (seconds
    at 10,000 articles) and compares each page's modification time with its HTML: that is why
    the docs were updated file by file rather than swapped.
    """
    changed = report.pages_changed or []
    mark_in_progress(options.site_dir)
    with report.stage("mkdocs"):
        epoch = mkdocs.source_date_epoch(site.project)
        loaded = renderer(config_path, changed, epoch) if renderer is not None else None
        if loaded is not None and loaded[0]:
            diagnostics.extend(mkdocs.log_diagnostics(loaded[1], options.build_dir, options.root))
            report.details["mkdocs"] = f"{len(changed):,} pages rendered by the loaded MkDocs"
        else:  # the dirty build reports any error the loaded MkDocs met
            ok, problems = mkdocs.run_mkdocs(config_path, options.site_dir, epoch, options.root, dirty=True)
            diagnostics.extend(problems)
            if not ok:
                raise BuildError("MkDocs could not update the site")
    if options.pdf:  # the briefs whose page changed are printed again, in place
        urls = {page_url(path) + "index.html" for path in changed}
        briefs = [brief for brief in pdf.briefs_to_print(site) if brief.page in urls]
        with report.stage("pdf"):
            report.details["pdf"] = f"{count(pdf.write_pdfs(options.site_dir, briefs), 'PDF')} of briefs"
    # MkDocs writes pages, it never deletes one: the HTML of a page that is gone (a deleted,
    # re-dated or renamed article) goes here, as a whole build would not have it.
    remove_pages(
        options.site_dir, [page_url(path) for path in changed if not (options.docs_dir / path).exists()]
    )


def mark_in_progress(site_dir: Path) -> None:
    """Say in the site's marker that it is being changed in place: it names no manifest until the
    change is complete, so no build takes it for up to date, nor stages from it, meanwhile."""
    if site_manifest_of(site_dir) != "":
        mark_as_site(site_dir, "")


def _pages_and_feeds(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    config_path: Path,
    out: Path,
    indexing: search.IndexJob | None,
) -> None:
    """Run MkDocs into `out` (its pages rendered by one process per core), then write the feeds
    and the sitemap while the `indexing` beside it takes both cores."""
    with report.stage("mkdocs"):
        epoch = mkdocs.source_date_epoch(site.project)
        workers = mkdocs.page_workers()
        ok, problems = mkdocs.run_mkdocs(config_path, out, epoch, options.root, workers=workers)
        diagnostics.extend(problems)
        rendering = count(workers, "process", "processes")
        report.details["mkdocs"] = f"{report.pages:,} pages to HTML, {rendering} rendering"
    if not ok:
        raise BuildError("MkDocs could not build the site; the previous site is unchanged")
    if indexing is not None:
        indexing.mkdocs_done()
    with report.stage("feeds"):
        report.details["feeds"] = f"{feeds.write_feeds(site, out):,} feeds"
        sitemap.write_sitemap(site, out)
