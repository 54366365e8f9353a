"""What attribution costs a build: `build --markdown-only --no-cache` with it and without it.

    python -m bench.attribution_cost PROJECT [--runs N]

Builds a copy of PROJECT in turn with attribution (the real build) and without it (every passage
speaks for no one: `Attributor.statements` gives nothing, so Positions and the actor pages'
statements are empty and cost nothing downstream either), `--runs` times each, alternating so a
drift in the machine's speed touches both alike. Prints the median CPU seconds (the children's
user + system time, from the operating system) and wall seconds of each, and their ratios pair by
pair. Sentence splitting and the actor matcher run in both: routing needs them anyway.

Not a test: a benchmark, run by hand (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = ["build", "--markdown-only", "--no-cache"]


def _without_attribution(argv: Sequence[str]) -> None:
    """Run the command line `argv` with attribution switched off, in this process."""
    from builder.cli import main
    from builder.routing import attribution

    def statements(self: object, texts: Sequence[str], *_: object, **__: object) -> tuple[tuple[()], ...]:
        return tuple(() for _ in texts)

    attribution.Attributor.statements = statements  # type: ignore[assignment,method-assign]
    sys.argv = ["briefdesk", *argv]
    main()


def _timed(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `command`, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--without"]:
        _without_attribution(args[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(args)
    with tempfile.TemporaryDirectory(prefix="attribution-cost-") as scratch:
        on, off = Path(scratch) / "on", Path(scratch) / "off"
        for copy in (on, off):
            shutil.copytree(options.project, copy, ignore=shutil.ignore_patterns("build", "site"))
        python = sys.executable
        with_it = [python, "-m", "builder", *BUILD, "--project", str(on)]
        without = [python, "-m", "bench.attribution_cost", "--without", *BUILD, "--project", str(off)]
        _timed(with_it), _timed(without)  # warm the file cache: not counted
        pairs = [(_timed(with_it), _timed(without)) for _ in range(options.runs)]
    for index, label in ((0, "CPU"), (1, "wall")):
        a = statistics.median(p[0][index] for p in pairs)
        b = statistics.median(p[1][index] for p in pairs)
        ratio = statistics.median(p[0][index] / p[1][index] for p in pairs)
        print(f"{label}: {a:.2f} s with attribution, {b:.2f} s without: {ratio:.3f} ×")
    print(f"({options.runs} runs each, alternating; nproc {os.cpu_count()}; median of pairwise ratios)")


if __name__ == "__main__":
    main()
