"""The command line: a thin click layer that parses flags, runs a command and prints diagnostics."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from builder import __version__
from builder.cli.options import project_option
from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError

log = logging.getLogger(__name__)

_project_option = project_option


def _print_diagnostics(diagnostics: Diagnostics, output_format: str, *, err: bool) -> None:
    if output_format == "json":
        click.echo(diagnostics.to_json())
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=err)


def _shown(path: Path, root: Path) -> str:
    """A path as the user would type it: relative to the project when inside it."""
    try:
        return path.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class _Group(click.Group):
    """Turn our own errors into a one-line message and their exit status, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefdeskError as exc:
            click.echo(f"error: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefdesk")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """Briefdesk: curated articles in, one issue brief per topic and a searchable site out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@cli.command()
@_project_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="json prints a list of {path, line, severity, code, message}.",
)
def check(project: Path, strict: bool, output_format: str) -> None:
    """Validate the whole project and report every problem at once."""
    from builder.content.project import load_project

    started = time.perf_counter()
    diagnostics = Diagnostics()
    loaded = load_project(project.resolve(), diagnostics)
    elapsed = time.perf_counter() - started
    _print_diagnostics(diagnostics, output_format, err=False)
    if output_format == "text":
        counted = (
            f"{_plural(len(loaded.articles), 'article')}, {_plural(len(loaded.topics), 'topic')}, "
            f"{_plural(len(loaded.actors), 'actor')}"
            if loaded
            else "the project"
        )
        click.echo(
            f"checked {counted} in {elapsed:.2f} s: "
            f"{_plural(diagnostics.errors, 'error')}, {_plural(diagnostics.warnings, 'warning')}",
            err=True,
        )
    if diagnostics.failed(strict=strict):
        if strict and not diagnostics.errors and output_format == "text":
            click.echo("failing because of warnings (--strict)", err=True)
        sys.exit(1)


@cli.command()
@_project_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the HTML site (default: <project>/site).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--markdown-only", is_flag=True, help="Stop after writing build/docs/.")
@click.option("--no-cache", is_flag=True, help="Ignore build/.cache/ and parse everything afresh.")
@click.pass_context
def build(
    ctx: click.Context, project: Path, out: Path | None, strict: bool, markdown_only: bool, no_cache: bool
) -> None:
    """Write the Markdown pages, then the HTML site."""
    from builder.build.pipeline import BuildOptions
    from builder.build.pipeline import build as run_build
    from builder.console import StageDisplay
    from builder.errors import BuildError, ContentError

    diagnostics = Diagnostics()
    options = BuildOptions(
        root=project.resolve(),
        out=out.resolve() if out else None,
        strict=strict,
        markdown_only=markdown_only,
        cache=not no_cache,
    )
    verbose = bool(ctx.parent and ctx.parent.params.get("verbose"))
    try:
        with StageDisplay(verbose=verbose) as display:
            report = run_build(options, diagnostics, display)
    except (ContentError, BuildError):
        _print_diagnostics(diagnostics, "text", err=True)
        raise
    _print_diagnostics(diagnostics, "text", err=True)
    where = options.docs_dir if markdown_only else options.site_dir
    if report.up_to_date:
        click.echo(
            f"nothing changed since the last build: {_shown(where, options.root)} is up to date", err=True
        )
        return
    click.echo(
        f"built {_plural(report.pages, 'page')} ({_plural(report.briefs, 'brief')}, "
        f"{_plural(report.articles, 'article')}) in {report.seconds:.2f} s with "
        f"{_plural(diagnostics.warnings, 'warning')}: {_shown(where, options.root)}",
        err=True,
    )


@cli.command()
@_project_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
def serve(project: Path, port: int) -> None:
    """Build, serve on 127.0.0.1, and rebuild when content, templates or config change."""
    import threading

    from builder.build.pipeline import BuildOptions
    from builder.errors import ContentError
    from builder.serve import server as serving
    from builder.serve.livebuild import LiveBuilder

    options = BuildOptions(root=project.resolve())
    builder = LiveBuilder(options, announce=lambda text: click.echo(text, err=True))

    def rebuild() -> bool:
        diagnostics = Diagnostics()
        try:
            report = builder.rebuild(diagnostics)
        except BriefdeskError as exc:
            _print_diagnostics(diagnostics, "text", err=True)
            click.echo(f"error: {exc}; still serving the last good site", err=True)
            return False
        _print_diagnostics(diagnostics, "text", err=True)
        if report.up_to_date:
            click.echo("nothing changed since the last build: site/ is up to date", err=True)
        else:
            click.echo(f"built {_plural(report.pages, 'page')} in {report.seconds:.2f} s", err=True)
        return True

    def after_reload() -> None:
        """Feeds, the saved cache and the search index catch up in the background."""
        builder.start_catching_up()

    if not rebuild() and not (options.site_dir / "index.html").is_file():
        raise ContentError("nothing to serve yet: fix the errors above and run briefdesk serve again")
    counter = serving.BuildCounter()
    try:
        server = serving.make_server(options.site_dir, port, counter)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    stop = threading.Event()
    watcher = threading.Thread(
        target=serving.watch_and_rebuild,
        args=(
            options.root,
            rebuild,
            counter,
            stop,
            lambda text: click.echo(text, err=True),
            after_reload,
            builder.preview,
            lambda: builder.shows_more_than_preview,
        ),
        daemon=True,
    )
    watcher.start()
    click.echo(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        stop.set()
        builder.close()
        server.server_close()


def _register_editor_commands() -> None:
    from builder.cli.authoring import import_command, new

    cli.add_command(import_command)
    cli.add_command(new)


_register_editor_commands()


def main() -> None:
    """Entry point of the `briefdesk` console script."""
    cli(prog_name="briefdesk")
