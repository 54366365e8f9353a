"""The build, as a recipe: each stage is called here, in order, and none calls the next."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from jinja2 import Environment

from builder.briefs.assembly import Site, assemble
from builder.briefs.rendering import PageSpec, article_spec, count, environment, render, site_page_specs
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.editions import review
from builder.errors import ContentError
from builder.model import Article, Project
from builder.parallel import map_files
from builder.pdf import documents as pdf
from builder.pipeline import html, increment, sitestate
from builder.pipeline.cache import BuildCache
from builder.pipeline.keys import PageKeys, inputs_digest, output_keys, pdf_keys, routing_key, site_manifest
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import (
    check_output_folder,
    read_manifest,
    recover,
    site_manifest_of,
    staging_dir,
    swap_in,
    update_pages,
    write_manifest,
    write_pages,
)
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
    inputs = inputs_digest(project, root, options.asked) if keep else None
    if inputs is not None and _unchanged(inputs, options):
        report.up_to_date = True  # same content, templates, settings and code as the last build
        return report
    with report.stage("route"):
        routes = route_articles(project, options.jobs, cache)
        report.details["route"] = f"{sum(len(r.passages) for r in routes.values()):,} passages routed"
    with report.stage("assemble"):
        site = assemble(project, routes, options.as_of)
        diagnostics.extend(review.stale_bottom_lines(project, review.newest_in_briefs(site.briefs)))
        report.site = site
        report.details["assemble"] = f"{len(site.briefs):,} briefs"
    # Staged from the previous site, a build after an edit spends most of its time indexing for
    # search, which needs only the site's data: it starts now, beside rendering and MkDocs.
    del routes  # the site holds what it needs of them
    may_stage_from_previous = cache is not None and not options.incremental and not options.markdown_only
    previous = sitestate.load(options.build_dir) if may_stage_from_previous else None
    ahead = html.search_ahead(site, options, previous)
    try:
        with report.stage("render"):
            pages, page_keys = render_markdown(site, root, options.jobs, cache)
            site_key = page_keys.fingerprint(site)
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
                written = write_markdown(pages, options.docs_dir)
                unchanged = len(pages) - written
                report.details["write"] = f"{written:,} Markdown pages written, {unchanged:,} unchanged"
            else:
                report.details["write"] = "Markdown pages unchanged"
            write_manifest(options.build_dir, manifest, inputs)
            if cache is not None and not options.incremental:
                cache.save()
        _stop_if_failed(diagnostics, options.strict, "content")
        if options.markdown_only:
            return report
        if site_manifest_of(options.site_dir) == manifest:
            report.up_to_date = True  # same pages, settings and code: the site would come out identical
            return report
        config_path, settings_changed = html.prepare_mkdocs(site, options)
        if options.incremental and site_manifest_of(options.site_dir) is not None and not settings_changed:
            # MkDocs' dirty mode renders changed pages only: new settings need them all (below).
            sitestate.forget(options.build_dir)  # the site changes in place: the record would not fit
            html.update_html(site, options, diagnostics, report, manifest, config_path, renderer)
            return report
        digests = page_digests(pages)
        outputs = output_keys(site, page_keys, site_key)
        if options.pdf:
            outputs.update(pdf_keys(site, digests))
        state = html.record_state(config_path, digests, outputs, manifest)
        change = increment.plan(previous, site_manifest_of(options.site_dir), state, pages)
        # The pages are on disk now and MkDocs reads them from there: let go of their text (and of
        # the cache and routes, which hold it too) before MkDocs and Pagefind need the memory. A cache
        # the caller keeps (serve) stays theirs.
        del pages
        cache = None
        html.build_html(site, options, diagnostics, report, config_path, state, change, ahead)
        return report
    finally:
        if ahead is not None:
            ahead.cancel()  # stops Pagefind if the build ended before it wrote the index


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
) -> tuple[list[tuple[str, str]], PageKeys]:
    """Every page's Markdown, and the keys it was rendered under (which key other outputs too).

    With a cache, a page whose key is unchanged is taken from it. Keys come from
    `builder.pipeline.keys` (everything the page's template could read). Site pages are rendered
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
    return pages, page_keys


def _render_one(env: Environment, spec: PageSpec) -> str:
    return render(env, spec)


def _unchanged(inputs: str, options: BuildOptions) -> bool:
    """The last build read exactly these inputs, and its output is still there as it left it."""
    last_inputs, last_pages = read_manifest(options.build_dir)
    if last_inputs != inputs or not options.docs_dir.is_dir():
        return False
    return options.markdown_only or site_manifest_of(options.site_dir) == last_pages


def write_markdown(pages: list[tuple[str, str]], docs_dir: Path) -> int:
    """Write the pages into a new docs/ tree and swap it in whole; return how many were written
    (the others, unchanged, are linked from the old tree)."""
    recover(docs_dir)
    staged = staging_dir(docs_dir)
    try:
        count = write_pages(staged, pages, previous=docs_dir if docs_dir.is_dir() else None)
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
