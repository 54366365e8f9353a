"""One build at a time: a second build waits (or, with --no-wait, stops), a killed build's lock
and folders never block or break the next, and the clean-up spares what a live build owns.

Each race is made deterministic with the checkpoint hook: the first build is held at a chosen
stage, the second is started there, and the test asserts the order of what happened.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import TEMP_PREFIX
from builder.pipeline.pipeline import build
from tests.buildprocs import Proc, clean_outputs_of, outputs_of, reached, release
from tests.conftest import copy_demo

pytestmark = pytest.mark.slow

ARTICLE = "content/articles/2021/anchorage-us-china-talks.md"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = copy_demo(tmp_path / "desk")
    diagnostics = Diagnostics()
    build(BuildOptions(root=root), diagnostics)
    assert not diagnostics.errors
    return root


def _edit(root: Path, words: str) -> None:
    with (root / ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write(f"\n{words}\n")


def _staging_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(TEMP_PREFIX))


def test_a_second_build_waits_for_the_first_and_the_site_stays_whole(desk: Path, tmp_path: Path) -> None:
    # The case: an edit, a build, a second build while the first one's MkDocs writes.
    _edit(desk, "Both delegations agreed to meet again on Afghanistan.")
    holds = tmp_path / "holds"
    holds.mkdir()
    first = Proc("build", "--project", desk, hold=("mkdocs", holds))
    first.wait_until(reached(holds, "mkdocs"), "reached MkDocs")
    staging = _staging_folders(desk)
    assert len(staging) == 1 and f"-{first.pid}-" in staging[0]  # named after its build

    second = Proc("build", "--project", desk)
    second.wait_until(lambda: second.said("waiting for the build started by"), "said it waits")
    assert second.lines[0] == f"waiting for the build started by PID {first.pid}…\n"
    assert _staging_folders(desk) == staging  # the second build cleared nothing of the first's
    assert second.process.poll() is None  # still waiting

    release(holds, "mkdocs")
    assert first.finish() == 0, first.text
    assert second.finish() == 0, second.text
    assert first.lines[-1].startswith("built 125 pages")
    assert second.lines[-1] == "nothing changed since the last build: site/ is up to date\n"
    assert (desk / "site/index.html").is_file()
    assert outputs_of(desk) == clean_outputs_of(desk, tmp_path)


def test_no_wait_stops_at_once_with_status_2(desk: Path, tmp_path: Path) -> None:
    _edit(desk, "Both delegations agreed to meet again on Afghanistan.")
    holds = tmp_path / "holds"
    holds.mkdir()
    first = Proc("build", "--project", desk, hold=("render", holds))
    first.wait_until(reached(holds, "render"), "reached rendering")
    second = Proc("build", "--project", desk, "--no-wait")
    assert second.finish() == 2
    assert second.text == (
        f"error: the project {desk} is being built by PID {first.pid}; not waiting (--no-wait)\n"
    )
    release(holds, "render")
    assert first.finish() == 0, first.text


def test_another_project_building_into_the_same_folder_waits_too(desk: Path, tmp_path: Path) -> None:
    other = copy_demo(tmp_path / "other")
    out = tmp_path / "public"
    holds = tmp_path / "holds"
    holds.mkdir()
    first = Proc("build", "--project", desk, "--out", out, hold=("mkdocs", holds))
    first.wait_until(reached(holds, "mkdocs"), "reached MkDocs")
    second = Proc("build", "--project", other, "--out", out, "--no-wait")
    assert second.finish() == 2
    assert second.text == f"error: {out} is being built by PID {first.pid}; not waiting (--no-wait)\n"
    release(holds, "mkdocs")
    assert first.finish() == 0, first.text


def test_a_killed_build_leaves_no_lock_and_nothing_the_next_build_trusts(desk: Path, tmp_path: Path) -> None:
    _edit(desk, "Both delegations agreed to meet again on Afghanistan.")
    holds = tmp_path / "holds"
    holds.mkdir()
    before = outputs_of(desk)
    killed = Proc("build", "--project", desk, hold=("mkdocs", holds))
    killed.wait_until(reached(holds, "mkdocs"), "reached MkDocs")
    killed.kill()  # its lock files and staging folder stay behind, naming a PID that is gone
    assert _staging_folders(desk) != []
    assert {k: v for k, v in outputs_of(desk).items() if k.startswith("site/")} == {
        k: v for k, v in before.items() if k.startswith("site/")
    }

    after = Proc("build", "--project", desk, "--no-wait")  # a stale lock must not make it wait
    assert after.finish() == 0, after.text
    assert not after.said("waiting")
    assert _staging_folders(desk) == []
    assert outputs_of(desk) == clean_outputs_of(desk, tmp_path)


def test_the_clean_up_spares_the_folders_of_a_live_process(desk: Path, tmp_path: Path) -> None:
    """A build that does not take our lock (another version, say) still keeps its staging folder."""
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        mine = desk / f"{TEMP_PREFIX}site-{alive.pid}-0a1b2c3d"
        stale = desk / f"{TEMP_PREFIX}site-{gone.pid}-0a1b2c3d"
        for folder in (mine, stale):
            (folder / "half").mkdir(parents=True)
        _edit(desk, "Both delegations agreed to meet again on Afghanistan.")
        diagnostics = Diagnostics()
        build(BuildOptions(root=desk), diagnostics)
        assert mine.is_dir() and not stale.exists()
    finally:
        alive.kill()
        alive.wait()


def test_the_waiting_line_names_the_build_and_the_site_is_then_built(desk: Path, tmp_path: Path) -> None:
    """In-process: the waiting build says so once through its caller, and builds after the first,
    which read the edit made while it held the lock: the second finds it built."""
    holds = tmp_path / "holds"
    holds.mkdir()
    first = Proc("build", "--project", desk, hold=("locked", holds))
    first.wait_until(reached(holds, "locked"), "took the lock")
    _edit(desk, "A second, later edit about Afghanistan.")
    said: list[str] = []
    done: list[bool] = []
    thread = threading.Thread(
        target=lambda: done.append(build(BuildOptions(root=desk), Diagnostics(), say=said.append).up_to_date)
    )
    thread.start()
    first.wait_until(lambda: bool(said), "the second build said it waits")
    assert said == [f"waiting for the build started by PID {first.pid}…"]
    assert not done
    release(holds, "locked")
    assert first.finish() == 0
    thread.join()
    assert done == [True]
    assert "A second, later edit" in (desk / "site/articles/2021/anchorage-us-china-talks/index.html").read_text()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_site_and_docs_get_the_mode_the_umask_gives_a_new_folder(
    desk: Path, tmp_path: Path, umask: int
) -> None:
    expected = 0o777 & ~umask
    fresh = copy_demo(tmp_path / "fresh")
    assert Proc("build", "--project", fresh, umask=umask).finish() == 0
    _edit(desk, "Both delegations agreed to meet again on Afghanistan.")  # staged from the previous site
    assert Proc("build", "--project", desk, umask=umask).finish() == 0
    for root in (fresh, desk):
        for folder in (root / "site", root / "build/docs"):
            assert oct(os.stat(folder).st_mode & 0o777) == oct(expected), folder


def test_lock_files_go_away_with_the_build(desk: Path) -> None:
    _edit(desk, "Both delegations agreed to meet again on Afghanistan.")
    build(BuildOptions(root=desk), Diagnostics())
    left = [p.name for p in (*desk.iterdir(), *(desk / "build").iterdir()) if re.search(r"lock", p.name)]
    assert left == []
