"""The command line (click only): parse flags, run a stage, print diagnostics.

`briefdesk check|build` (cli/build.py), `serve` (cli/serve.py), `import|new` (cli/authoring.py);
cli/common.py holds `--project`, the printing of diagnostics and the one place where our errors
become exit statuses.
"""

from __future__ import annotations

import logging
import sys

import click

from builder import __version__
from builder.cli.authoring import import_command, new
from builder.cli.build import build, check
from builder.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefdesk")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """Briefdesk: curated articles in, one issue brief per topic and a searchable site out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


for command in (check, build, serve, import_command, new):
    cli.add_command(command)


def main() -> None:
    """Entry point of the `briefdesk` console script."""
    cli(prog_name="briefdesk")
