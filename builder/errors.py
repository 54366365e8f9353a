"""The small exception hierarchy: each kind of failure carries its exit status."""

from __future__ import annotations


class BriefdeskError(Exception):
    """A failure the user can act on: print the message, no traceback."""

    exit_code = 1


class ContentError(BriefdeskError):
    """The content (articles, topics, actors, config) has errors; exit 1."""

    exit_code = 1


class UsageError(BriefdeskError):
    """The command line asked for something impossible; exit 2."""

    exit_code = 2


class BuildError(BriefdeskError):
    """A later stage (MkDocs, search indexing) failed; the last good site is kept."""

    exit_code = 1


class DependencyError(BriefdeskError):
    """A package Briefdesk needs is missing or broken in this environment; exit 1."""

    exit_code = 1


class BuildBusy(BriefdeskError):
    """Another build holds the project or the output folder, and the caller would not wait; exit 2."""

    exit_code = 2
