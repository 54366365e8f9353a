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
from builder.pipeline import increment, sitestate
from builder.pipeline.cache import BuildCache
from builder.pipeline.keys import code_fingerprint, digest_of
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import (
    mark_as_site,
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
            except FileNotFoundError as missing:  # the previous site was changed by hand since
                log.warning("%s: the previous site lacks a file (%s); building it whole", target, missing)
                shutil.rmtree(staged)
                staged = staging_dir(target)
                change = None
                if indexing is None:
                    indexing = search.IndexJob(site, _shard_store(options))
        if change is None:
            _pages_and_feeds(site, options, diagnostics, report, config_path, staged)
        if options.pdf:
            _pdfs(site, report, staged, change)
        if indexing is not None:
            with report.stage("search") as timing:
                records, seconds = indexing.write(staged)
                timing.seconds = seconds  # the indexing's own time, most of it spent beside MkDocs
                report.details["search"] = f"{records:,} search records, built alongside MkDocs"
        mark_as_site(staged, state.marker)
        state.files = increment.site_files(staged)
        dropped = [] if options.pdf else sorted((target / pdf.FOLDER).glob("*.pdf"))
        swap_in(staged, target)
        if dropped:
            report.notes.append(
                f"removed the {count(len(dropped), 'PDF')} of briefs that an earlier build wrote to "
                f"{pdf.FOLDER}/: this build made none (build --pdf, or 'pdf: true' in site_config.yml, "
                "keeps them)"
            )
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        shutil.rmtree(staged, ignore_errors=True)
        raise
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
    site: Site, options: BuildOptions, cache: BuildCache | None, stopper: search.Stopper | None = None
) -> int:
    """After an incremental build: write the feeds and the sitemap, refresh the search index, then
    save the cache.

    `serve` runs this once browsers have reloaded the edited page: none of it changes what the
    reader sees, and at scale it takes far longer than updating the pages. Returns the records;
    raises search.Cancelled if `stopper` stops it. Saving the cache (seconds at 10,000 articles)
    cannot be stopped, so it comes last.
    """
    stopper = stopper or search.Stopper()
    feeds.write_feeds(site, options.site_dir, stopper.check)
    sitemap.write_sitemap(site, options.site_dir)
    records = refresh_search(site, options, stopper)
    if cache is not None:
        cache.save()
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
    manifest: str,
    config_path: Path,
    renderer: PageRenderer | None = None,
) -> None:
    """Update the served site in place: MkDocs rebuilds only the pages whose Markdown changed.

    The feeds and the search index are left to `catch_up`, which `serve` runs once browsers
    have reloaded.

    For `serve` only. Content errors never get here, so the last good site stays up. When the
    settings and the list of pages are those `renderer` loaded, it renders the changed pages
    (a fraction of a second); otherwise MkDocs' "dirty" mode, which loads the whole site (seconds
    at 10,000 articles) and compares each page's modification time with its HTML: that is why
    the docs were updated file by file rather than swapped.
    """
    changed = report.pages_changed or []
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
    mark_as_site(options.site_dir, manifest)


def _pages_and_feeds(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    config_path: Path,
    out: Path,
) -> None:
    """Run MkDocs into `out`, then write the feeds and the sitemap."""
    with report.stage("mkdocs"):
        epoch = mkdocs.source_date_epoch(site.project)
        ok, problems = mkdocs.run_mkdocs(config_path, out, epoch, options.root)
        diagnostics.extend(problems)
        report.details["mkdocs"] = f"{report.pages:,} pages to HTML"
    if not ok:
        raise BuildError("MkDocs could not build the site; the previous site is unchanged")
    with report.stage("feeds"):
        report.details["feeds"] = f"{feeds.write_feeds(site, out):,} feeds"
        sitemap.write_sitemap(site, out)
