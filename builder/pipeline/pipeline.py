"""The build, as a recipe: each stage is called here, in order, and none calls the next."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from builder.briefs.assembly import Site, assemble
from builder.briefs.events import Wording, wording_of
from builder.briefs.rendering import count
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.editions import review
from builder.errors import ContentError
from builder.model import Article, Project
from builder.parallel import WAVE_ITEMS, frozen_heap, map_files, run_through, settle
from builder.pdf import documents as pdf
from builder.pipeline import disk, html, increment, locking, sitestate
from builder.pipeline.cache import BuildCache
from builder.pipeline.checkpoints import checkpoint
from builder.pipeline.disk import save_cache
from builder.pipeline.filestamps import stamp_texts
from builder.pipeline.keys import (
    PageKeys,
    inputs_digest,
    output_keys,
    pdf_keys,
    routing_key,
    site_inputs,
    site_manifest,
)
from builder.pipeline.memory import give_back
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import (
    DocsRecord,
    check_output_folder,
    read_docs_record,
    recover,
    site_manifest_of,
    staging_dir,
    swap_in,
    update_pages,
    write_docs_record,
    write_pages,
)
from builder.pipeline.pages import render_markdown
from builder.pipeline.report import BuildReport, PageRenderer, StageWatcher
from builder.pipeline.sitestate import page_digests
from builder.routing.router import ArticleRoutes, Router

log = logging.getLogger(__name__)


def build(
    options: BuildOptions,
    diagnostics: Diagnostics,
    watcher: StageWatcher | None = None,
    cache: BuildCache | None = None,
    renderer: PageRenderer | None = None,
    say: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the Markdown pages and (unless markdown-only) the HTML site; raise on failure.

    The whole build holds the project's and the output folder's locks (`builder.pipeline.locking`):
    a second build waits for it, saying so once through `say`, or with `options.wait` false stops.
    `cache` is one kept in memory by the caller (serve); by default the build opens the project's.
    An incremental build leaves saving it to the caller, after browsers have reloaded, and renders
    the changed pages with `renderer` where it can.
    """
    if not options.markdown_only:
        check_output_folder(options.site_dir, options.root)  # before any work: a refusal should be instant
    if options.pdf:
        pdf.require()  # a missing extra is said before any work, not after MkDocs
    site_dir = None if options.markdown_only else options.site_dir
    with locking.holding(locking.lock_paths(options.build_dir, site_dir), wait=options.wait, say=say):
        checkpoint("locked")
        with frozen_heap():
            return _recipe(options, diagnostics, BuildReport(watcher=watcher), cache, renderer)


def _recipe(
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    cache: BuildCache | None,
    renderer: PageRenderer | None,
) -> BuildReport:
    """Load, check what is already built, route, assemble, render, write the Markdown, make the site.

    The ways out: nothing changed (`_unchanged`, then `_up_to_date`), Markdown only, the site
    already holds these pages (`_site_holds`), serve's update in place (`_update_in_place`), or a
    staged site swapped in (`html.build_html`).
    """
    if cache is None and options.cache:
        cache = BuildCache.open(options.build_dir)
    project = _load(options, diagnostics, report, cache)
    settle()  # the project lives to the end of the build
    if project.config.pdf and not options.pdf and not options.markdown_only:
        options = dataclasses.replace(options, pdf=True)  # `pdf: true` in site_config.yml
        pdf.require("pdf: true in site_config.yml")
    docs = read_docs_record(options.build_dir) if options.cache else DocsRecord()
    previous = _previous_site(options)
    keep = cache is not None and not options.incremental
    inputs = inputs_digest(project, options.root, options.asked) if keep else None
    if inputs is not None and _unchanged(inputs, options, docs, previous):
        report.manifest = docs.manifest
        return _up_to_date(report)
    site = _route_and_assemble(project, options, report, cache, diagnostics)
    settle()  # and so do the routes and the site
    # What routing and grouping held for a while is free now: handed back before the render's
    # workers are forked, it is not counted in the build's footprint for the rest of it.
    give_back()
    # Staged from the previous site, a build after an edit spends most of its time indexing for
    # search, which needs only the site's data: it starts now, beside rendering and MkDocs.
    stageable = previous if not options.incremental else None
    ahead = html.search_ahead(site, options, stageable.state if stageable else None)
    try:
        pages, page_keys, site_key = _render(site, options, report, cache)
        manifest = site_manifest(pages, project.config, site_key, options.outputs)
        digests = page_digests(pages)
        _write_docs(pages, digests, manifest, inputs, options, report, docs)
        if cache is not None and not options.incremental:
            save_cache(cache, options.build_dir)
        _stop_if_failed(diagnostics, options.strict, "content")
        if options.markdown_only:
            return report
        # MkDocs' settings and assets (under build/docs/) come first, as in a whole build, even
        # where the site needs nothing: the Markdown may just have been written afresh.
        with disk.room_for(options.build_dir, 1_000_000):
            config_path, settings_changed = html.prepare_mkdocs(site, options)
        if _site_holds(previous, manifest):
            return _up_to_date(report)  # same pages, settings and code: the site would come out identical
        outputs = output_keys(site, page_keys, site_key)
        if options.pdf:
            outputs.update(pdf_keys(site, digests))
        state = html.record_state(config_path, digests, outputs, manifest)
        if options.incremental and site_manifest_of(options.site_dir) is not None and not settings_changed:
            # MkDocs' dirty mode renders changed pages only: new settings need them all (below).
            return _update_in_place(site, options, diagnostics, report, state, config_path, renderer)
        change = increment.plan(stageable, state, pages)
        # The pages are on disk now and MkDocs reads them from there: let go of their text (and of
        # the cache and routes, which hold it too) and of the pages' keys (a digest of every object
        # a template reached: 230 MiB for 10,906 long speeches) before MkDocs and Pagefind need the
        # memory, and hand it back to the system. A cache the caller keeps (serve) stays theirs.
        del pages, page_keys
        cache = None
        give_back()
        html.build_html(site, options, diagnostics, report, config_path, state, change, ahead)
        return report
    finally:
        if ahead is not None:
            ahead.cancel()  # stops Pagefind if the build ended before it wrote the index


def _load(
    options: BuildOptions, diagnostics: Diagnostics, report: BuildReport, cache: BuildCache | None
) -> Project:
    with report.stage("load"):
        project = load_project(options.root, diagnostics, jobs=options.jobs, cache=cache)
        if project is not None:
            report.drafts = len(project.articles) - len(project.published)
            drafts = f" ({count(report.drafts, 'draft')}, not published)" if report.drafts else ""
            report.details["load"] = ", ".join(
                count(len(items), word) + (drafts if word == "article" else "")
                for items, word in (
                    (project.articles, "article"),
                    (project.topics, "topic"),
                    (project.actors, "actor"),
                )
            )
    _stop_if_failed(diagnostics, options.strict, "content")
    assert project is not None  # load_project returns None only with an error reported
    report.project = project
    return project


def _previous_site(options: BuildOptions) -> sitestate.PreviousSite | None:
    """The record of the site in the output folder, checked against its files; None without the
    cache (--no-cache makes everything afresh) or when no record describes that site."""
    if not options.cache or options.markdown_only:
        return None
    return sitestate.previous_site(options.build_dir, options.site_dir, site_manifest_of(options.site_dir))


def _unchanged(
    inputs: str, options: BuildOptions, docs: DocsRecord, previous: sitestate.PreviousSite | None
) -> bool:
    """The last build read exactly these inputs, and its output is still there as it left it: each
    page of build/docs/ and (unless markdown-only) each file of the site, checked against the
    digests recorded when they were written."""
    if docs.inputs != inputs or not docs.holds(options.docs_dir):
        return False
    return options.markdown_only or _site_holds(previous, docs.manifest)


def _site_holds(previous: sitestate.PreviousSite | None, manifest: str | None) -> bool:
    """The output folder holds the whole site of `manifest`, every file as its build left it."""
    return previous is not None and previous.state.marker == manifest and not previous.damaged


def _up_to_date(report: BuildReport) -> BuildReport:
    report.up_to_date = True  # same content, templates, settings and code as the last build
    return report


def _route_and_assemble(
    project: Project,
    options: BuildOptions,
    report: BuildReport,
    cache: BuildCache | None,
    diagnostics: Diagnostics,
) -> Site:
    with report.stage("route"):
        # What grouping compares of each text is read here while the workers route (this process
        # would only wait for them), not in the assembly, which runs in this process alone.
        wordings: dict[str, Wording] = {}

        def read_wordings() -> Iterator[None]:
            for article in project.published:  # one step per article, between the routing waves
                wordings[article.slug] = wording_of(article)
                yield None

        routes = route_articles(project, options.jobs, cache, meanwhile=read_wordings)
        report.details["route"] = f"{sum(len(r.passages) for r in routes.values()):,} passages routed"
    # The routes and wordings live to the end of the build too: left to the collector, every full
    # collection the assembly's new objects set off would walk them all again (2 s at 10,000 articles).
    settle()
    with report.stage("assemble"):
        site = assemble(project, routes, options.as_of, wordings)
        diagnostics.extend(review.stale_bottom_lines(project, review.newest_in_briefs(site.briefs)))
        report.site = site
        report.details["assemble"] = f"{len(site.briefs):,} briefs"
    return site  # the site holds what it needs of the routes


def _render(
    site: Site, options: BuildOptions, report: BuildReport, cache: BuildCache | None
) -> tuple[list[tuple[str, str]], PageKeys, str]:
    with report.stage("render"):
        inputs = site_inputs(site.project, options.as_of)
        pages, page_keys = render_markdown(site, options.root, options.jobs, cache, inputs)
        site_key = page_keys.fingerprint(site)
        report.details["render"] = f"{len(pages):,} Markdown pages"
    report.articles = len(site.articles)
    report.briefs = len(site.briefs)
    report.pages = len(pages)
    return pages, page_keys, site_key


def _write_docs(
    pages: list[tuple[str, str]],
    digests: dict[str, str],
    manifest: str,
    inputs: str | None,
    options: BuildOptions,
    report: BuildReport,
    docs: DocsRecord,
) -> None:
    """Write build/docs/: in place page by page (serve), not at all when it holds these very pages
    (checked file by file), else as a new tree swapped in whole."""
    report.manifest = manifest
    with report.stage("write"):
        if options.incremental and options.docs_dir.is_dir():
            in_place = "the served site keeps its pages; the next change tries again"
            needed = sum(len(text.encode("utf-8")) for _, text in pages)  # at most: every page rewritten
            with disk.room_for(options.docs_dir, needed, outcome=in_place):
                report.pages_changed = update_pages(options.docs_dir, pages)
            report.details["write"] = f"{len(report.pages_changed):,} pages changed"
            record = DocsRecord(None, manifest)  # pages changed in place: the next build rewrites them
        elif docs.holds(options.docs_dir, manifest):
            report.details["write"] = "Markdown pages unchanged"
            record = DocsRecord(inputs, manifest, docs.files)
        else:
            written = write_markdown(pages, options.docs_dir, fresh=not options.cache)
            unchanged = len(pages) - written
            report.details["write"] = f"{written:,} Markdown pages written, {unchanged:,} unchanged"
            record = DocsRecord(inputs, manifest, stamp_texts(options.docs_dir, digests))
        with disk.room_for(options.build_dir / ".cache", len(pages) * 200):
            write_docs_record(options.build_dir, record)


def _update_in_place(
    site: Site,
    options: BuildOptions,
    diagnostics: Diagnostics,
    report: BuildReport,
    state: sitestate.SiteState,
    config_path: Path,
    renderer: PageRenderer | None,
) -> BuildReport:
    """Serve's way out: update the served site page by page; its record waits for the catch-up."""
    sitestate.forget(options.build_dir)  # the site changes in place: the record would not fit
    html.update_html(site, options, diagnostics, report, config_path, renderer)
    report.pending = state
    return report


def route_articles(
    project: Project,
    jobs: int | None = None,
    cache: BuildCache | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, ArticleRoutes]:
    """Route every published article; drafts are never routed, so they appear nowhere.

    `meanwhile` is called in this process while worker processes route (or first, when none do).
    """
    key = routing_key(project)
    routes: dict[str, ArticleRoutes] = {}
    missing: list[Article] = []
    for article in project.published:
        cached = cache.routes(article.path, key, project) if cache else None
        if cached is not None:
            routes[article.slug] = cached
        else:
            missing.append(article)
    if missing:  # compiling the matchers is only worth it when something needs routing
        router = Router(project.topics, project.actors, project.config.routing)
        routed_all = map_files(_route_one, router, missing, jobs, meanwhile=meanwhile, wave=WAVE_ITEMS)
        for article, routed in zip(missing, routed_all, strict=True):
            routes[article.slug] = routed
            if cache:
                cache.put_routes(article.path, key, routed)
    elif meanwhile is not None:
        run_through(meanwhile)
    return {a.slug: routes[a.slug] for a in project.published}


def _route_one(router: Router, article: Article) -> ArticleRoutes:
    return router.route(article)


def write_markdown(pages: list[tuple[str, str]], docs_dir: Path, *, fresh: bool = False) -> int:
    """Write the pages into a new docs/ tree and swap it in whole; return how many were written
    (the others, unchanged, are linked from the old tree unless `fresh`)."""
    recover(docs_dir)
    needed = sum(len(text.encode("utf-8")) for _, text in pages)
    with disk.room_for(docs_dir, needed):
        staged = staging_dir(docs_dir)
    try:
        previous = docs_dir if docs_dir.is_dir() and not fresh else None
        with disk.room_for(docs_dir, needed, cleanup=staged):
            count = write_pages(staged, pages, previous=previous)
        swap_in(staged, docs_dir)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return count


def _stop_if_failed(diagnostics: Diagnostics, strict: bool, what: str) -> None:
    if diagnostics.failed(strict=strict):
        reason = (
            f"{diagnostics.errors} error{'s' if diagnostics.errors != 1 else ''}"
            if diagnostics.errors
            else f"{diagnostics.warnings} warning{'s' if diagnostics.warnings != 1 else ''} (--strict)"
        )
        raise ContentError(f"build stopped: {reason} in the {what}; the previous site is unchanged")
