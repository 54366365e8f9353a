"""A test hook: hold a build at a named point until a test lets it go on.

Races between builds are tested by order of events, not by timing: a test sets
`BRIEFDESK_HOLD_AT=<point>:<folder>` in a build's environment; when the build reaches `<point>`
(a stage's name, such as `render` or `mkdocs`, or `catch-up` in `serve`) it writes its PID to
`<folder>/<point>.reached` and waits until `<folder>/<point>.go` exists. Without the variable
(every real run) a checkpoint does nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

HOLD_AT = "BRIEFDESK_HOLD_AT"
_POLL = 0.01


def checkpoint(point: str, given_up: Callable[[], bool] = lambda: False) -> None:
    """Wait here if a test asked to hold at `point`; return early once `given_up()` is true."""
    setting = os.environ.get(HOLD_AT)
    if not setting:
        return
    name, _, folder = setting.partition(":")
    if name != point or not folder:
        return
    Path(folder, f"{point}.reached").write_text(f"{os.getpid()}\n")
    go = Path(folder, f"{point}.go")
    while not go.exists() and not given_up():
        time.sleep(_POLL)
