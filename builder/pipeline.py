"""The build, as a recipe: each stage is called here, in order, and none calls the next."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from builder import feeds
from builder import site as mkdocs
from builder.assembly import Site, assemble
from builder.diagnostics import Diagnostics
from builder.errors import BuildError, ContentError
from builder.model import Article, Project
from builder.parallel import map_files
from builder.project import load_project
from builder.rendering import environment, render_pages
from builder.routing import ArticleRoutes, Router
from builder.writing import (
    check_output_folder,
    mark_as_site,
    recover,
    staging_dir,
    swap_in,
    write_pages,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and where."""

    root: Path
    """The project folder."""
    out: Path | None = None
    """The HTML site folder (default: <root>/site)."""
    strict: bool = False
    markdown_only: bool = False
    jobs: int | None = None

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def site_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "site"


class StageWatcher(Protocol):
    """Told when each stage starts and ends (the CLI draws a progress display from it)."""

    def started(self, stage: str) -> None: ...

    def finished(self, stage: str, seconds: float, detail: str) -> None: ...


@dataclass(slots=True)
class BuildReport:
    """What a build did, for the console summary and the benchmarks."""

    articles: int = 0
    briefs: int = 0
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    """Wall time per stage, in seconds, in the order run."""
    details: dict[str, str] = field(default_factory=dict)
    """What each stage handled, e.g. "1,004 files", for the progress display."""
    watcher: StageWatcher | None = None

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage (and tell the watcher); set `details[name]` inside to describe its work."""
        started = time.perf_counter()
        if self.watcher:
            self.watcher.started(name)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.stages[name] = self.stages.get(name, 0.0) + elapsed
            if self.watcher:
                self.watcher.finished(name, elapsed, self.details.get(name, ""))


def build(
    options: BuildOptions, diagnostics: Diagnostics, watcher: StageWatcher | None = None
) -> BuildReport:
    """Build the Markdown pages and (unless markdown-only) the HTML site; raise on failure."""
    report = BuildReport(watcher=watcher)
    root = options.root
    if not options.markdown_only:
        check_output_folder(options.site_dir, root)  # before any work: a refusal should be instant
    with report.stage("load"):
        project = load_project(root, diagnostics, jobs=options.jobs)
        if project is not None:
            report.details["load"] = (
                f"{len(project.articles):,} articles, {len(project.topics):,} topics, "
                f"{len(project.actors):,} actors"
            )
    _stop_if_failed(diagnostics, options.strict, "content")
    assert project is not None  # load_project returns None only with an error reported
    with report.stage("route"):
        routes = route_articles(project, options.jobs)
        report.details["route"] = f"{sum(len(r.passages) for r in routes.values()):,} passages routed"
    with report.stage("assemble"):
        site = assemble(project, routes)
        report.details["assemble"] = f"{len(site.briefs):,} briefs"
    with report.stage("render"):
        report.pages = write_markdown(site, root, options.docs_dir)
        report.details["render"] = f"{report.pages:,} Markdown pages"
    report.articles = len(site.articles)
    report.briefs = len(site.briefs)
    _stop_if_failed(diagnostics, options.strict, "content")
    if not options.markdown_only:
        build_html(site, options, diagnostics, report)
    return report


def build_html(site: Site, options: BuildOptions, diagnostics: Diagnostics, report: BuildReport) -> None:
    """Build the HTML site in a staging folder and swap it in only if every stage succeeded."""
    target = options.site_dir
    recover(target)
    staged = staging_dir(target)
    try:
        with report.stage("mkdocs"):
            config_path = mkdocs.prepare(site, options.build_dir, target)
            ok, problems = mkdocs.run_mkdocs(
                config_path, staged, mkdocs.source_date_epoch(site), options.root
            )
            diagnostics.extend(problems)
        if not ok:
            raise BuildError("MkDocs could not build the site; the previous site is unchanged")
        with report.stage("feeds"):
            report.details["feeds"] = f"{feeds.write_feeds(site, staged):,} feeds"
        mark_as_site(staged)
        swap_in(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def route_articles(project: Project, jobs: int | None = None) -> dict[str, ArticleRoutes]:
    """Route every published article; drafts are never routed, so they appear nowhere."""
    router = Router(project.topics, project.actors, project.config.routing)
    published = project.published
    routed = map_files(_route_one, router, published, jobs)
    return {route.slug: route for route in routed}


def _route_one(router: Router, article: Article) -> ArticleRoutes:
    return router.route(article)


def write_markdown(site: Site, root: Path, docs_dir: Path) -> int:
    """Render every page and swap the new docs/ tree in whole."""
    recover(docs_dir)
    staged = staging_dir(docs_dir)
    try:
        count = write_pages(staged, render_pages(site, environment(root)))
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
