"""`briefdesk serve`: flags in; the session itself lives in builder.serve.session."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.common import print_diagnostics, project_option, reporting_errors


@click.command()
@project_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@reporting_errors
def serve(project: Path, port: int) -> None:
    """Build, serve on 127.0.0.1, and rebuild when content, templates or config change."""
    from builder.pipeline.options import BuildOptions
    from builder.serve.session import serve_project

    serve_project(
        BuildOptions(root=project.resolve()),
        port,
        say=lambda text: click.echo(text, err=True),
        show=lambda diagnostics: print_diagnostics(diagnostics, "text", err=True),
    )
