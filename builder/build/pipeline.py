"""The build, as a recipe: each stage is called here, in order, and none calls the next."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

from jinja2 import Environment

from builder.briefs.assembly import Site, assemble
from builder.briefs.rendering import PageSpec, article_spec, count, environment, render, site_page_specs
from builder.build.cache import BuildCache
from builder.build.keys import PageKeys, inputs_digest, routing_key, site_manifest
from builder.build.options import BuildOptions
from builder.build.output import (
    check_output_folder,
    mark_as_site,
    read_manifest,
    recover,
    remove_pages,
    site_manifest_of,
    staging_dir,
    swap_in,
    update_pages,
    write_manifest,
    write_pages,
)
from builder.build.report import BuildReport, PageRenderer, StageWatcher
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.errors import BuildError, ContentError
from builder.feeds import atom as feeds
from builder.feeds import sitemap
from builder.model import Article, Project
from builder.parallel import map_files
from builder.pdf import documents as pdf
from builder.routing.router import ArticleRoutes, Router
from builder.search import index as search
from builder.site import mkdocs
from builder.urls import page_url

log = logging.getLogger(__name__)


def build(
    options: BuildOptions,
    diagnostics: Diagnostics,
    watcher: StageWatcher | None = None,
    cache: BuildCache | None = None,
    renderer: PageRenderer | None = None,
) -> BuildReport:
    """Build the Markdown pages and (unless markdown-only) the HTML site; raise on failure.

    `cache` is one kept in memory by the caller (serve); by default the build opens the project's.
    An incremental build leaves saving it to the caller, after browsers have reloaded, and renders
    the changed pages with `renderer` where it can.
    """
    report = BuildReport(watcher=watcher)
    root = options.root
    if not options.markdown_only:
        check_output_folder(options.site_dir, root)  # before any work: a refusal should be instant
    if options.pdf:
        pdf.require()  # a missing extra is said before any work, not after MkDocs
    if cache is None and options.cache:
        cache = BuildCache.open(options.build_dir)
    with report.stage("load"):
        project = load_project(root, diagnostics, jobs=options.jobs, cache=cache)
        if project is not None:
            report.details["load"] = ", ".join(
                count(len(items), word)
                for items, word in (
                    (project.articles, "article"),
                    (project.topics, "topic"),
                    (project.actors, "actor"),
                )
            )
    _stop_if_failed(diagnostics, options.strict, "content")
    assert project is not None  # load_project returns None only with an error reported
    report.project = project
    keep = cache is not None and not options.incremental
    inputs = inputs_digest(project, root, options.outputs) if keep else None
    if inputs is not None and _unchanged(inputs, options):
        report.up_to_date = True  # same content, templates, settings and code as the last build
        return report
    with report.stage("route"):
        routes = route_articles(project, options.jobs, cache)
        report.details["route"] = f"{sum(len(r.passages) for r in routes.values()):,} passages routed"
    with report.stage("assemble"):
        site = assemble(project, routes)
        report.site = site
        report.details["assemble"] = f"{len(site.briefs):,} briefs"
    with report.stage("render"):
        pages, site_key = render_markdown(site, root, options.jobs, cache)
        report.details["render"] = f"{len(pages):,} Markdown pages"
    report.articles = len(site.articles)
    report.briefs = len(site.briefs)
    report.pages = len(pages)
    manifest = site_manifest(pages, project.config, site_key, options.outputs)
    with report.stage("write"):
        if options.incremental and options.docs_dir.is_dir():
            report.pages_changed = update_pages(options.docs_dir, pages)
            report.details["write"] = f"{len(report.pages_changed):,} pages changed"
        elif read_manifest(options.build_dir)[1] != manifest or not options.docs_dir.is_dir():
            report.details["write"] = f"{write_markdown(pages, options.docs_dir):,} Markdown pages written"
        else:
            report.details["write"] = "Markdown pages unchanged"
        write_manifest(options.build_dir, manifest, inputs)
        if cache is not None and not options.incremental:
            cache.save()
    _stop_if_failed(diagnostics, options.strict, "content")
    if options.markdown_only:
        return report
    # The pages are on disk now and MkDocs reads them from there: let go of their text (and of
    # the cache and routes, which hold it too) before MkDocs and Pagefind need the memory. A cache
    # the caller keeps (serve) stays theirs.
    del pages, routes
    cache = None
    if site_manifest_of(options.site_dir) == manifest:
        report.up_to_date = True  # same pages, settings and code: the site would come out identical
    elif options.incremental and site_manifest_of(options.site_dir) is not None:
        config_path, settings_changed = _prepare_mkdocs(site, options)
        if settings_changed:  # MkDocs' dirty mode renders changed pages only: new settings need all
            build_html(site, options, diagnostics, report, manifest)
        else:
            update_html(site, options, diagnostics, report, manifest, config_path, renderer)
    else:
        build_html(site, options, diagnostics, report, manifest)
    return report


def _prepare_mkdocs(site: Site, options: BuildOptions) -> tuple[Path, bool]:
    """Write MkDocs' settings; return their path and whether they (the theme, the nav, the
    site's name, ...) differ from last time."""
    config = options.build_dir / "mkdocs.yml"
    before = config.read_bytes() if config.is_file() else None
    config_path = mkdocs.prepare(site, options.build_dir, options.site_dir, pdf=options.pdf)
    return config_path, config_path.read_bytes() != before


def build_html(
    site: Site, options: BuildOptions, diagnostics: Diagnostics, report: BuildReport, manifest: str
) -> None:
    """Build the HTML site in a staging folder and swap it in only if every stage succeeded."""
    target = options.site_dir
    recover(target)
    staged = staging_dir(target)
    indexing = search.IndexJob(site)  # alongside MkDocs, on the other core
    try:
        _pages_and_feeds(site, options, diagnostics, report, staged)
        if options.pdf:
            with report.stage("pdf"):  # while the search index is built on the other core
                written = pdf.write_pdfs(staged, briefs_to_print(site))
                report.details["pdf"] = f"{written:,} PDFs of briefs"
        with report.stage("search") as timing:
            records, seconds = indexing.write(staged)
            timing.seconds = seconds  # the indexing's own time, most of it spent beside MkDocs
            report.details["search"] = f"{records:,} search records, built alongside MkDocs"
        mark_as_site(staged, manifest)
        swap_in(staged, target)
    except BaseException:
        indexing.cancel()
        shutil.rmtree(staged, ignore_errors=True)
        raise


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
        records = search.index_site(site, staged, stopper)
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
    # MkDocs writes pages, it never deletes one: the HTML of a page that is gone (a deleted,
    # re-dated or renamed article) goes here, as a whole build would not have it.
    remove_pages(
        options.site_dir, [page_url(path) for path in changed if not (options.docs_dir / path).exists()]
    )
    mark_as_site(options.site_dir, manifest)


def _pages_and_feeds(
    site: Site, options: BuildOptions, diagnostics: Diagnostics, report: BuildReport, out: Path
) -> None:
    """Run MkDocs into `out`, then write the feeds and the sitemap."""
    with report.stage("mkdocs"):
        config_path = mkdocs.prepare(site, options.build_dir, options.site_dir, pdf=options.pdf)
        epoch = mkdocs.source_date_epoch(site.project)
        ok, problems = mkdocs.run_mkdocs(config_path, out, epoch, options.root)
        diagnostics.extend(problems)
        report.details["mkdocs"] = f"{report.pages:,} pages to HTML"
    if not ok:
        raise BuildError("MkDocs could not build the site; the previous site is unchanged")
    with report.stage("feeds"):
        report.details["feeds"] = f"{feeds.write_feeds(site, out):,} feeds"
        sitemap.write_sitemap(site, out)


def briefs_to_print(site: Site) -> list[pdf.BriefPdf]:
    """Every brief, as the PDF stage needs it: its HTML page and the date it was last updated
    (the site's newest content date for a brief with no articles yet)."""
    fallback = dt.datetime.fromtimestamp(mkdocs.source_date_epoch(site.project), dt.UTC).date()
    return [
        pdf.BriefPdf(
            brief.topic.id, page_url(brief.topic.page) + "index.html", brief.last_date or fallback
        )
        for brief in site.briefs
    ]


def route_articles(
    project: Project, jobs: int | None = None, cache: BuildCache | None = None
) -> dict[str, ArticleRoutes]:
    """Route every published article; drafts are never routed, so they appear nowhere."""
    key = routing_key(project)
    routes: dict[str, ArticleRoutes] = {}
    missing: list[Article] = []
    for article in project.published:
        cached = cache.routes(article.path, key) if cache else None
        if cached is not None:
            routes[article.slug] = cached
        else:
            missing.append(article)
    if missing:  # compiling the matchers is only worth it when something needs routing
        router = Router(project.topics, project.actors, project.config.routing)
        for article, routed in zip(missing, map_files(_route_one, router, missing, jobs), strict=True):
            routes[article.slug] = routed
            if cache:
                cache.put_routes(article.path, key, routed)
    return {a.slug: routes[a.slug] for a in project.published}


def _route_one(router: Router, article: Article) -> ArticleRoutes:
    return router.route(article)


def render_markdown(
    site: Site, root: Path, jobs: int | None = None, cache: BuildCache | None = None
) -> tuple[list[tuple[str, str]], str]:
    """Every page's Markdown, and the key of the whole site's data (see `site_manifest`).

    With a cache, a page whose key is unchanged is taken from it. Keys come from
    `builder.build.keys` (everything the page's template could read). Site pages are rendered
    here while workers render the article pages.
    """
    env = environment(root)
    config = site.project.config
    site_specs = site_page_specs(site)
    article_specs = [article_spec(config, entry) for entry in site.articles]
    keys: dict[str, str] = {}
    page_keys = PageKeys(env, site.project.articles)
    if cache is not None:
        keys = {
            spec.path: page_keys.key(spec.template, spec.context) for spec in (*site_specs, *article_specs)
        }

    def cached(spec: PageSpec) -> str | None:
        return cache.page(spec.path, keys[spec.path]) if cache is not None else None

    texts: dict[str, str] = {}
    for spec in (*site_specs, *article_specs):
        text = cached(spec)
        if text is not None:
            texts[spec.path] = text
    missing = [spec for spec in article_specs if spec.path not in texts]

    def site_pages() -> None:
        for spec in site_specs:
            if spec.path not in texts:
                texts[spec.path] = render(env, spec)

    rendered = map_files(_render_one, env, missing, jobs, meanwhile=site_pages)
    for spec, text in zip(missing, rendered, strict=True):
        texts[spec.path] = text
    pages = [(spec.path, texts[spec.path]) for spec in (*site_specs, *article_specs)]
    if cache is not None:
        for path, text in pages:
            cache.put_page(path, keys[path], text)
        cache.keep_pages(set(keys))
    return pages, page_keys.fingerprint(site)


def _render_one(env: Environment, spec: PageSpec) -> str:
    return render(env, spec)


def _unchanged(inputs: str, options: BuildOptions) -> bool:
    """The last build read exactly these inputs, and its output is still there as it left it."""
    last_inputs, last_pages = read_manifest(options.build_dir)
    if last_inputs != inputs or not options.docs_dir.is_dir():
        return False
    return options.markdown_only or site_manifest_of(options.site_dir) == last_pages


def write_markdown(pages: list[tuple[str, str]], docs_dir: Path) -> int:
    """Write the pages into a new docs/ tree and swap it in whole."""
    recover(docs_dir)
    staged = staging_dir(docs_dir)
    try:
        count = write_pages(staged, pages)
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
