"""What a build is asked to do, and where: the options every stage of a build reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


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
    cache: bool = True
    """Reuse parsed, routed and rendered articles from build/.cache/ where their inputs are unchanged."""
    incremental: bool = False
    """Update build/docs/ and the site in place, page by page (for `serve`; not atomic)."""
    pdf: bool = False
    """Also write each brief as a PDF, `pdf/<topic-id>.pdf` in the site (needs the `pdf` extra)."""
    wait: bool = True
    """Wait for another build of the project or the output folder to finish (False: stop at once)."""
    as_of: dt.date | None = None
    """The day the site speaks from (`--as-of`): the current edition, what is new, what is coming.
    Default: the newest published article's date."""

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def outputs(self) -> tuple[str, ...]:
        """The optional outputs asked for ("pdf"), which the site's manifest and links depend on."""
        return ("pdf",) if self.pdf else ()

    @property
    def asked(self) -> tuple[str, ...]:
        """Everything the build was asked besides the project: the outputs and the as-of date,
        which the build's input digest must change with."""
        return (*self.outputs, *((f"as-of {self.as_of.isoformat()}",) if self.as_of else ()))

    @property
    def site_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "site"
