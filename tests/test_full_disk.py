"""A full disk is one line: which folder, about how much more room it needs, the previous site unchanged.

The project lives on a small tmpfs of its own; the build is held at a chosen point, the disk is
filled to the last byte, and the build goes on into it: the Markdown writer, the cache save and
the feeds each meet a real ENOSPC from the kernel.
"""

from __future__ import annotations

import errno
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from tests.buildprocs import Proc, clean_outputs_of, outputs_of, reached, release
from tests.conftest import BASE_FILES, skip_unless_ci, write_files

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        skip_unless_ci(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    """Write a file until the disk has not a byte left; return it."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as stream:
        for size in (1 << 20, 1 << 12, 1):
            block = b"\0" * size
            while True:
                try:
                    stream.write(block)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    return filler


# Where each writer meets the full disk: the build is held at the point, then the disk filled.
POINTS = {
    "the Markdown writer": ("write", "build/docs"),
    "the cache save": ("save-cache", "build/.cache"),
    "the feeds": ("feeds", "site"),
}


@pytest.mark.parametrize(("point", "folder"), POINTS.values(), ids=POINTS.keys())
def test_a_full_disk_is_one_line_and_the_previous_site_stays(
    small_disk: Path, tmp_path: Path, point: str, folder: str
) -> None:
    root = write_files(small_disk / "desk", BASE_FILES)
    diagnostics = Diagnostics()
    build(BuildOptions(root=root), diagnostics)
    assert not diagnostics.errors
    site_before = {k: v for k, v in outputs_of(root).items() if k.startswith("site/")}
    with (root / "content/articles/2021/talks.md").open("a", encoding="utf-8") as stream:
        stream.write("\nA new paragraph on Afghanistan and Kabul.\n" * 50)

    holds = tmp_path / "holds"
    holds.mkdir()
    full = Proc("build", "--project", root, hold=(point, holds))
    full.wait_until(reached(holds, point), f"reached {point}")
    filler = _fill(small_disk)
    release(holds, point)
    assert full.finish() == 1, full.text
    last = full.lines[-1]
    assert re.fullmatch(
        rf"error: no room left on the device for {re.escape(str(root / folder))}/: it needs about "
        r"[\d,]+\.\d MB more \([\d,]+\.\d MB free\); the previous site is unchanged\n",
        last,
    ), full.text
    assert "Traceback" not in full.text
    assert {k: v for k, v in outputs_of(root).items() if k.startswith("site/")} == site_before
    assert not list(root.glob("build/.cache/*.tmp"))

    filler.unlink()
    again = Proc("build", "--project", root)
    assert again.finish() == 0, again.text
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)
