"""Process-level probes for the harness: run a measured subprocess, sample its memory, size folders."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]


@dataclass(slots=True)
class Run:
    """One measured subprocess: what it reported (its last stdout line, as JSON) and what we saw."""

    ok: bool
    wall: float
    """Seconds from start to exit, seen from outside (includes interpreter start-up)."""
    data: dict[str, Any] = field(default_factory=dict)
    tree_rss: int = 0
    """Largest sum of RSS over the process and its descendants, sampled (shared pages count twice)."""
    tree_pss: int = 0
    """Largest sum of PSS (shared pages split between sharers), sampled: the tree's real footprint."""
    peaks: dict[str, int] = field(default_factory=dict)
    """Largest sampled RSS per kind of process in the tree ("python -m mkdocs", "pagefind", ...)."""
    note: str = ""

    @property
    def seconds(self) -> float:
        """The run's own timing when it reported one (it starts before imports), else the wall time."""
        value = self.data.get("seconds")
        return float(value) if isinstance(value, int | float) else self.wall

    @property
    def peak_process_rss(self) -> int:
        """The largest peak RSS of any single process in the run (exact, from getrusage)."""
        return max(int(self.data.get("maxrss_self", 0)), int(self.data.get("maxrss_children", 0)))


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes, from the cheap smaps_rollup (0 if unavailable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler:
    """Sample the memory of a process tree every `interval` seconds in a background thread.

    getrusage gives each process's own peak, but a build is several processes alive at once (the
    builder holding the site while MkDocs renders it, forked workers), so the tree's sum is sampled.
    """

    # Half a second: a build's memory peaks last seconds, and faster sampling (reading smaps_rollup
    # of a multi-GiB Pagefind process) cost a quarter of a core, time taken from the measured build.
    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.rss = 0
        self.pss = 0
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            rss = pss = 0
            for process in processes:
                try:
                    own = process.memory_info().rss
                    label = _label(process)
                except psutil.Error:
                    continue
                rss += own
                pss += _pss(process.pid)
                self.peaks[label] = max(self.peaks.get(label, 0), own)
            self.rss = max(self.rss, rss)
            self.pss = max(self.pss, pss)
            self._stop.wait(self.interval)


def _label(process: psutil.Process) -> str:
    """A short name for what a process runs, so memory can be attributed: "python -m mkdocs"."""
    command = [str(part) for part in process.cmdline()]
    if not command:
        return str(process.name())
    program = os.path.basename(command[0])
    if program.startswith("python") and "-m" in command[:-1]:
        return f"python -m {command[command.index('-m') + 1]}"
    return program


def _last_json(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                break
            return value if isinstance(value, dict) else {}
    return {}


def run_measured(
    command: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    watch: Callable[[], bool] | None = None,
) -> tuple[Run, float | None]:
    """Run `command` to completion, sampling its memory; kill its process group after `timeout`.

    `watch`, polled every 50 ms while the command runs, returns True once something it waits for
    has happened (an updated page on disk, say); the second value is when, in seconds from start.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a timeout can end all it started
    )
    seen: list[float] = []
    done = threading.Event()

    def poll() -> None:
        while watch is not None and not done.is_set():
            if watch():
                seen.append(time.perf_counter() - started)
                return
            done.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    note = ""
    with TreeSampler(process.pid) as sampler:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            note = f"killed after {timeout:.0f} s"
    wall = time.perf_counter() - started
    done.set()
    poller.join()
    data = _last_json(stdout)
    ok = process.returncode == 0 and data.get("ok", True) is not False
    if not ok and not note:
        tail = " ".join((stderr.strip() or stdout.strip()).splitlines()[-3:])
        note = str(data.get("error") or data.get("tail") or tail or f"exit status {process.returncode}")
    run = Run(ok, wall, data, sampler.rss, sampler.pss, dict(sampler.peaks), note)
    return run, (seen[0] if seen else None)


@dataclass(frozen=True, slots=True)
class FolderSize:
    """Bytes and files under a folder."""

    bytes: int = 0
    files: int = 0


def folder_size(path: Path) -> FolderSize | None:
    """The size of everything under `path`, or None when it does not exist."""
    if not path.is_dir():
        return None
    total = files = 0
    for folder, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
            files += 1
    return FolderSize(total, files)
