"""Command-line options shared by every command."""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "--project",
    "project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    show_default="the current directory",
    help="The project folder (holds site_config.yml and content/).",
)
"""`--project DIR` (default: the current directory), which every command takes."""
