"""What an importer found in a page, before the editor's flags and the project are applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Found:
    """A value found in the page, and where: shown to the editor so they can judge it."""

    value: str
    where: str
    """E.g. `the headline`, `a photo caption: "March 22, 2021"`."""


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A publication date found in the page, and where."""

    value: dt.date
    where: str


@dataclass(frozen=True, slots=True)
class ImportedPage:
    """A page's article: headline, date, publisher, address and Markdown body."""

    body: str
    """Markdown paragraphs, headline and page furniture removed."""
    title: Found | None
    date: FoundDate | None
    site_name: Found | None
    url: Found | None
    removed: tuple[str, ...] = ()
    """Kinds of clipping debris dropped (for the report), e.g. `breadcrumb`, `photo caption`."""
