"""What a build tells its caller: stages and their timings as they run, and what was done."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from builder.briefs.assembly import Site
from builder.model import Project
from builder.pipeline.checkpoints import checkpoint
from builder.pipeline.sitestate import SiteState


class StageWatcher(Protocol):
    """Told when each stage starts and ends (the CLI draws a progress display from it)."""

    def started(self, stage: str) -> None: ...

    def finished(self, stage: str, seconds: float, detail: str) -> None: ...


class PageRenderer(Protocol):
    """Renders named Markdown pages into the site with a MkDocs kept loaded (serve's)."""

    def __call__(self, config_path: Path, pages: Sequence[str], epoch: int) -> tuple[bool, list[str]] | None:
        """Whether all went well and MkDocs' warnings ("WARNING - ..."); None if it loaded other
        settings or another list of pages than `config_path` and the docs folder now hold."""
        ...


@dataclass(slots=True)
class BuildReport:
    """What a build did, for the console summary and the benchmarks."""

    articles: int = 0
    """Published articles (each has its page)."""
    drafts: int = 0
    """Drafts loaded and checked, but left out of the site."""
    briefs: int = 0
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    """Wall time per stage, in seconds, in the order run."""
    project: Project | None = None
    """The loaded project (for `serve`'s previews), also when the site was up to date."""
    site: Site | None = None
    """The assembled site (for `serve`, which refreshes the search index after reloading)."""
    pages_changed: list[str] | None = None
    """Markdown pages (docs paths) an incremental update wrote or deleted (None for a whole build)."""
    html_rendered: int | None = None
    """Pages whose HTML was rendered again when the site was staged from the previous one (None
    when every page was rendered)."""
    files_kept: int = 0
    """Files taken unchanged from the previous site."""
    up_to_date: bool = False
    """Nothing that the site is made from changed, so the site was left as it was."""
    details: dict[str, str] = field(default_factory=dict)
    """What each stage handled, e.g. "1,004 files", for the progress display."""
    notes: list[str] = field(default_factory=list)
    """What the editor should hear about this build, one line each (PDFs it removed, say)."""
    manifest: str | None = None
    """The manifest of the pages the build wrote (or found up to date) in build/docs/."""
    pending: SiteState | None = None
    """After an update in place (serve's): the record of the site once its feeds and search
    index catch up (`builder.pipeline.html.catch_up` writes it then, and the site's marker)."""
    watcher: StageWatcher | None = None

    began: float = field(default_factory=time.perf_counter)
    ended: float | None = None

    @property
    def seconds(self) -> float:
        """Wall time from the start of the build to the end of its last stage.

        Not the sum of the stages: search runs at the same time as MkDocs.
        """
        return (self.ended or time.perf_counter()) - self.began

    @contextmanager
    def stage(self, name: str) -> Iterator[StageTiming]:
        """Time a stage (and tell the watcher); set `details[name]` inside to describe its work.

        A stage whose work ran elsewhere (in a background thread) sets the timing's `seconds`.
        """
        checkpoint(name)
        started = time.perf_counter()
        timing = StageTiming()
        if self.watcher:
            self.watcher.started(name)
        try:
            yield timing
        finally:
            self.ended = time.perf_counter()
            elapsed = timing.seconds if timing.seconds is not None else self.ended - started
            self.stages[name] = self.stages.get(name, 0.0) + elapsed
            if self.watcher:
                self.watcher.finished(name, elapsed, self.details.get(name, ""))


@dataclass(slots=True)
class StageTiming:
    """What a stage may say about its own duration."""

    seconds: float | None = None
