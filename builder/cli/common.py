"""What every command shares: `--project`, printing diagnostics, and our errors as exit statuses."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError

P = ParamSpec("P")
R = TypeVar("R")

project_option = click.option(
    "--project",
    "project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    show_default="the current directory",
    help="The project folder (holds site_config.yml and content/).",
)
"""`--project DIR` (default: the current directory), which every command takes."""


def reporting_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a BriefdeskError as one `error: ...` line and exit with its status, never a traceback.

    The one place where our errors become exit statuses: every command is wrapped in it, so a
    command behaves the same invoked on its own (as the tests do) as under the main group.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except BriefdeskError as exc:
            click.echo(f"error: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None

    return wrapper


def print_diagnostics(diagnostics: Diagnostics, output_format: str, *, err: bool) -> None:
    if output_format == "json":
        click.echo(diagnostics.to_json())
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=err)


def shown(path: Path, root: Path) -> str:
    """A path as the user would type it: relative to the project when inside it."""
    try:
        return path.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class WarningCount(logging.Handler):
    """Count the warnings Briefdesk logs (about the cache, the previous site, Pagefind), so the
    summary's count includes them beside the content's diagnostics."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting_warnings() -> Iterator[WarningCount]:
    """Count what `builder`'s loggers warn about while the block runs."""
    counter = WarningCount()
    logger = logging.getLogger("builder")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
