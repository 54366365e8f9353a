"""Builds and serves in other processes, held at a chosen point: races tested by order of events.

A build started with `hold=(point, folder)` stops when it reaches `point` (see
builder.pipeline.checkpoints) until `release` lets it go on; a test starts a second build there,
and asserts what each printed and left, in the order it happened, never by how long it took.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from tests.conftest import REPO
from tests.sitecheck import tree_hashes

HOLD_AT = "BRIEFDESK_HOLD_AT"
"""The test hook's variable (documented in builder.pipeline.checkpoints)."""

GUARD = 180
"""Seconds after which a wait for an event fails the test instead of hanging it (never reached
on a working build: every wait is for something the code under test must do)."""


class Proc:
    """A `briefdesk` command running in another process, its stderr collected line by line."""

    def __init__(self, *args: str | Path, hold: tuple[str, Path] | None = None, umask: int | None = None) -> None:
        env = {key: value for key, value in os.environ.items() if key != HOLD_AT}
        if hold is not None:
            env[HOLD_AT] = f"{hold[0]}:{hold[1]}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "builder", *(str(a) for a in args)],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=REPO,
            umask=-1 if umask is None else umask,
        )
        assert self.process.stderr is not None
        stream = self.process.stderr
        self._reader = threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait for `condition` while this process runs; fail if it ends first."""
        deadline = time.monotonic() + GUARD
        while not condition():
            if self.process.poll() is not None and not condition():
                self._reader.join(timeout=5)
                if condition():
                    return
                raise AssertionError(f"ended (status {self.process.returncode}) before {what}: {self.text}")
            if time.monotonic() > deadline:
                raise AssertionError(f"never {what}: {self.text}")
            time.sleep(0.02)

    def finish(self) -> int:
        """Wait for the process to end; its exit status."""
        status = self.process.wait(timeout=GUARD)
        self._reader.join(timeout=5)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return status

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.finish()  # reaped: its PID no longer names a process

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.finish()

    @property
    def text(self) -> str:
        return "".join(self.lines)


def reached(folder: Path, point: str) -> Callable[[], bool]:
    return lambda: (folder / f"{point}.reached").exists()


def release(folder: Path, point: str) -> None:
    (folder / f"{point}.go").touch()


def clean_outputs_of(root: Path, where: Path) -> dict[str, str]:
    """The site and Markdown a build without cache or previous output writes from `root`'s sources."""
    fresh = where / "fresh"
    fresh.mkdir(parents=True)
    for name in ("content", "templates"):
        if (root / name).exists():
            shutil.copytree(root / name, fresh / name)
    shutil.copy(root / "site_config.yml", fresh)
    diagnostics = Diagnostics()
    build(BuildOptions(root=fresh, cache=False), diagnostics)
    assert not diagnostics.errors
    return outputs_of(fresh)


def outputs_of(root: Path) -> dict[str, str]:
    site = {f"site/{k}": v for k, v in tree_hashes(root / "site").items()}
    return site | {f"docs/{k}": v for k, v in tree_hashes(root / "build" / "docs").items()}


@contextlib.contextmanager
def serving(root: Path, seconds: float = 120) -> Iterator[tuple[str, list[str]]]:
    """Run `briefdesk serve` on `root` on a free port for the block; yield the site's URL and the
    lines serve prints (a list that grows as it prints)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--project", str(root), "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    lines: list[str] = []
    assert process.stderr is not None
    stderr = process.stderr
    reader = threading.Thread(target=lambda: lines.extend(iter(stderr.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + seconds
        while not any("serving http://127.0.0.1:" in line for line in lines):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for the server: {lines}")
            time.sleep(0.2)
        port = re.search(r"127\.0\.0\.1:(\d+)/", next(x for x in lines if "serving" in x))[1]  # type: ignore[index]
        yield f"http://127.0.0.1:{port}/", lines
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=5)
        stderr.close()
