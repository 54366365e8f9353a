"""`serve` never loses an edit, never leaves a site the next build wrongly trusts, never stops watching.

A build run beside serve, Ctrl-C before the feeds and search index caught up, a crash that is not
one of Briefdesk's own, an edit saved during the first build: each made deterministic with the
checkpoint hook (the other process is held at a chosen point while the test acts).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.options import BuildOptions
from builder.serve.livebuild import LiveBuilder
from tests.buildprocs import Proc, clean_outputs_of, outputs_of, reached, release
from tests.conftest import REPO, ProjectFactory, run

pytestmark = pytest.mark.slow
ARTICLE = "content/articles/2021/talks.md"
PAGE = "site/articles/2021/talks/index.html"


def _edit(root: Path, words: str) -> None:
    with (root / ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write(f"\n{words}\n")


def _page(root: Path) -> str:
    return (root / PAGE).read_text(encoding="utf-8")


def test_serve_with_a_build_beside_it_never_loses_an_edit(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    said: list[str] = []
    builder = LiveBuilder(BuildOptions(root=root), announce=said.append)
    try:
        builder.rebuild(Diagnostics())

        # A build beside serve, killed once it had swapped in the new Markdown but not the site.
        _edit(root, "The first edit names Afghanistan.")
        holds = tmp_path / "holds-1"
        holds.mkdir()
        killed = Proc("build", "--project", root, hold=("mkdocs", holds))
        killed.wait_until(reached(holds, "mkdocs"), "reached MkDocs")
        assert "The first edit" in (root / "build/docs/articles/2021/talks.md").read_text()
        killed.kill()
        builder.rebuild(Diagnostics())  # serve's update for the same edit
        assert "The first edit" in _page(root)
        assert "build/ or the site was changed by another build: building from what it left" in said

        # A build beside serve that is running when serve's update starts: the update waits for it.
        _edit(root, "The second edit names Kabul.")
        holds = tmp_path / "holds-2"
        holds.mkdir()
        beside = Proc("build", "--project", root, hold=("mkdocs", holds))
        beside.wait_until(reached(holds, "mkdocs"), "reached MkDocs")
        update = threading.Thread(target=builder.rebuild, args=(Diagnostics(),))
        update.start()
        beside.wait_until(lambda: f"waiting for the build started by PID {beside.pid}…" in said, "serve waited")
        release(holds, "mkdocs")
        assert beside.finish() == 0, beside.text
        update.join()
        assert "The second edit" in _page(root)

        _edit(root, "The third edit names Myanmar.")  # back to updates in place
        report = builder.rebuild(Diagnostics())
        assert report.pending is not None and "The third edit" in _page(root)
        thread = builder.start_catching_up()
        assert thread is not None
        thread.join()
    finally:
        builder.close()
    after = run("build", "--project", root)
    assert after.stderr.splitlines()[-1] == "nothing changed since the last build: site/ is up to date"
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_stopping_serve_before_the_catch_up_leaves_nothing_the_next_build_trusts(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    builder = LiveBuilder(BuildOptions(root=root))
    try:
        builder.rebuild(Diagnostics())
        _edit(root, "Burma's junta was discussed at length.")
        builder.rebuild(Diagnostics())  # the page is updated; feeds and search wait for the catch-up
        assert "Burma" in _page(root) and "Burma" not in (root / "site/feeds/myanmar.xml").read_text()
    finally:
        builder.close()  # Ctrl-C, before the catch-up
    after = run("build", "--project", root)
    assert after.exit_code == 0, after.stderr
    assert "nothing changed" not in after.stderr
    assert "Burma" in (root / "site/feeds/myanmar.xml").read_text()
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_ctrl_c_during_serves_catch_up_leaves_nothing_the_next_build_trusts(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    holds = tmp_path / "holds"
    holds.mkdir()
    served = Proc("serve", "--project", root, "--port", "0", hold=("catch-up", holds))
    served.wait_until(lambda: served.said("serving http://127.0.0.1:"), "served")
    _edit(root, "Burma's junta was discussed at length.")
    served.wait_until(reached(holds, "catch-up"), "began catching up")
    assert served.said("reloading browsers") and "Burma" in _page(root)
    assert served.interrupt() == 0, served.text
    assert served.lines[-1] == "stopped\n"
    after = run("build", "--project", root)
    assert after.exit_code == 0, after.stderr
    assert "nothing changed" not in after.stderr
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_the_watcher_survives_a_crash_and_builds_the_next_change(make_project: ProjectFactory) -> None:
    template = (REPO / "templates/article.md.jinja").read_text(encoding="utf-8")
    root = make_project({"templates/article.md.jinja": template})
    served = Proc("serve", "--project", root, "--port", "0")
    try:
        served.wait_until(lambda: served.said("serving http://127.0.0.1:"), "served")
        # A crash that is no content error of ours: a project template that divides by zero.
        (root / "templates/article.md.jinja").write_text(template + "{{ 1 // 0 }}\n", encoding="utf-8")
        served.wait_until(lambda: served.said("still serving the last good site"), "said the update failed")
        failed = next(line for line in served.lines if "still serving the last good site" in line)
        assert failed.startswith("error: ") and "ZeroDivisionError" in failed
        assert "Traceback" not in served.text
        (root / "templates/article.md.jinja").write_text(template, encoding="utf-8")
        _edit(root, "A later edit names Kabul.")
        served.wait_until(lambda: "A later edit" in _page(root), "built the next change")
        served.wait_until(lambda: served.lines[-1].startswith("reloading browsers") or served.said(
            "feeds and search index refreshed"), "reloaded browsers")
    finally:
        served.interrupt()


def test_an_edit_saved_during_the_first_build_is_built(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    holds = tmp_path / "holds"
    holds.mkdir()
    served = Proc("serve", "--project", root, "--port", "0", hold=("mkdocs", holds))
    try:
        served.wait_until(reached(holds, "mkdocs"), "began its first build's MkDocs")
        _edit(root, "An edit saved during the first build.")  # its content was loaded already
        release(holds, "mkdocs")
        served.wait_until(lambda: served.said("serving http://127.0.0.1:"), "served")
        served.wait_until(lambda: (root / PAGE).is_file() and "saved during the first build" in _page(root),
                          "built the edit")
        assert served.said("changed: content/articles/2021/talks.md")
    finally:
        served.interrupt()
    shutil.rmtree(root / "site")
