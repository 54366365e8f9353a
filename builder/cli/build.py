"""`briefdesk check` and `briefdesk build`: flags in, the stages run, diagnostics and a summary out."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from builder.cli.common import (
    counting_warnings,
    plural,
    print_diagnostics,
    project_option,
    reporting_errors,
    shown,
)
from builder.diagnostics import Diagnostics


@click.command()
@project_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="json prints a list of {path, line, severity, code, message}.",
)
@reporting_errors
def check(project: Path, strict: bool, output_format: str) -> None:
    """Validate the whole project and report every problem at once."""
    from builder.content.project import load_project

    started = time.perf_counter()
    diagnostics = Diagnostics()
    loaded = load_project(project.resolve(), diagnostics)
    if loaded is not None and any(t.reviewed for t in loaded.topics.values()):
        from builder.editions import review
        from builder.pipeline.pipeline import route_articles

        newest = review.newest_in_routes(loaded, route_articles(loaded))
        diagnostics.extend(review.stale_bottom_lines(loaded, newest))
    elapsed = time.perf_counter() - started
    print_diagnostics(diagnostics, output_format, err=False)
    if output_format == "text":
        counted = (
            f"{plural(len(loaded.articles), 'article')}, {plural(len(loaded.topics), 'topic')}, "
            f"{plural(len(loaded.actors), 'actor')}"
            if loaded
            else "the project"
        )
        click.echo(
            f"checked {counted} in {elapsed:.2f} s: "
            f"{plural(diagnostics.errors, 'error')}, {plural(diagnostics.warnings, 'warning')}",
            err=True,
        )
    if diagnostics.failed(strict=strict):
        if strict and not diagnostics.errors and output_format == "text":
            click.echo("failing because of warnings (--strict)", err=True)
        sys.exit(1)


@click.command()
@project_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the HTML site (default: <project>/site).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--markdown-only", is_flag=True, help="Stop after writing build/docs/.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Ignore build/.cache/ and the previous site: parse, render and index everything afresh.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also write each brief as a PDF, site/pdf/<topic-id>.pdf (needs: pip install 'briefdesk[pdf]').",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="If another build of the project or the output folder is running, stop (exit 2) instead of waiting.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    default=None,
    help="The day the site speaks from: its current edition and what is coming up "
    "(default: the newest article's date).",
)
@reporting_errors
def build(
    project: Path,
    out: Path | None,
    strict: bool,
    markdown_only: bool,
    no_cache: bool,
    pdf: bool,
    no_wait: bool,
    as_of: str | None,
) -> None:
    """Write the Markdown pages, then the HTML site."""
    from builder.console import StageDisplay
    from builder.errors import BuildError, ContentError, UsageError
    from builder.pipeline.options import BuildOptions
    from builder.pipeline.pipeline import build as run_build

    if pdf and markdown_only:
        raise UsageError("--pdf prints the HTML site's briefs, which --markdown-only does not build")

    day = _as_of(as_of) if as_of is not None else None
    diagnostics = Diagnostics()
    options = BuildOptions(
        root=project.resolve(),
        out=out.resolve() if out else None,
        strict=strict,
        markdown_only=markdown_only,
        cache=not no_cache,
        pdf=pdf,
        wait=not no_wait,
        as_of=day,
    )
    try:
        with StageDisplay() as display, counting_warnings() as logged:
            report = run_build(options, diagnostics, display, say=lambda text: click.echo(text, err=True))
    except (ContentError, BuildError):
        print_diagnostics(diagnostics, "text", err=True)
        raise
    print_diagnostics(diagnostics, "text", err=True)
    for note in report.notes:
        click.echo(note, err=True)
    where = options.docs_dir if markdown_only else options.site_dir
    if report.up_to_date:
        click.echo(
            f"nothing changed since the last build: {shown(where, options.root)} is up to date", err=True
        )
        return
    reused = (
        f"; {plural(report.html_rendered, 'page')} rendered again, the rest kept from the previous site"
        if report.html_rendered is not None
        else ""
    )
    drafts = f"; {plural(report.drafts, 'draft')} left out" if report.drafts else ""
    click.echo(
        f"built {plural(report.pages, 'page')} ({plural(report.briefs, 'brief')}, "
        f"{plural(report.articles, 'article')}{drafts}{reused}) in {report.seconds:.2f} s with "
        f"{plural(diagnostics.warnings + logged.count, 'warning')}: {shown(where, options.root)}",
        err=True,
    )


def _as_of(text: str) -> dt.date:
    """`--as-of`'s date, or a usage error that says what was wrong with it."""
    from builder.content.schema import parse_date
    from builder.errors import UsageError

    try:
        return parse_date(text)
    except ValueError as problem:
        raise UsageError(f"--as-of: {problem}") from None
