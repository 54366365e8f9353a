"""What a build shows on the terminal: a live stage display on a TTY, plain lines in CI."""

from __future__ import annotations

import os
import sys
from types import TracebackType

from rich.console import Console
from rich.status import Status


def interactive() -> bool:
    """A person is watching: stderr is a terminal and this is not a CI job."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class StageDisplay:
    """Show the running stage with a spinner on a terminal; print one line per finished stage
    (its seconds and what it handled), on a terminal and in a CI log alike, so a long build in CI
    shows where it is."""

    def __init__(self) -> None:
        self.console = Console(stderr=True, highlight=False)
        self.live = interactive()
        self._status: Status | None = None

    def __enter__(self) -> StageDisplay:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def started(self, stage: str) -> None:
        if self.live:
            self._stop()
            self._status = self.console.status(f"[bold]{stage}[/bold] …", spinner="dots")
            self._status.start()

    def finished(self, stage: str, seconds: float, detail: str) -> None:
        self._stop()
        suffix = f": {detail}" if detail else ""
        self.console.print(f"  {stage:<9} {seconds:6.2f} s{suffix}", markup=False, soft_wrap=True)

    def _stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
