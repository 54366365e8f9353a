"""Where a build may write: never over the project, its content, or a folder that is not a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ProjectFactory, run


@pytest.mark.parametrize("out", [".", "content", "content/articles", "templates", "build", "/", ".."])
def test_out_refuses_to_replace_what_is_not_ours(make_project: ProjectFactory, out: str) -> None:
    root = make_project()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    target = root / out if not out.startswith("/") else Path(out)
    result = run("build", "--project", root, "--out", target)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: --out ")
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_out_refuses_a_foreign_non_empty_folder(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run("build", "--project", root, "--out", precious)
    assert result.exit_code == 2
    assert "was not written by Briefdesk" in result.stderr
    assert (precious / "thesis.txt").read_text() == "years of work"


@pytest.mark.slow
def test_out_replaces_its_own_site(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    out = tmp_path / "public"
    assert run("build", "--project", root, "--out", out).exit_code == 0
    assert (out / "index.html").is_file() and (out / ".briefdesk-site").is_file()
    assert run("build", "--project", root, "--out", out).exit_code == 0
    assert not (root / "site").exists()
