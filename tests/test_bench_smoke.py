"""The benchmark's corpus generator: deterministic, and a valid Briefdesk project (not the benchmark)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench import corpus, realproxy
from tests.conftest import REPO, run, shared


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def test_generator_is_deterministic_and_prefix_stable(tmp_path: Path) -> None:
    corpus.generate(20, tmp_path / "a")
    corpus.generate(20, tmp_path / "b")
    corpus.generate(25, tmp_path / "c")
    first, second, larger = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert first == second
    assert len([name for name in first if name.startswith("content/articles/")]) == 20
    # The smaller corpus is a prefix of the larger one, so sizes measure the same articles.
    assert {name: larger[name] for name in first} == first


def test_generated_project_checks_clean(tmp_path: Path) -> None:
    corpus.generate(20, tmp_path)
    result = run("check", "--project", tmp_path)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stderr


def test_real_size_proxy_shifts_years_and_keeps_bodies(tmp_path: Path) -> None:
    source = shared("corpus", "ungdc-2015-2018")
    count = realproxy.replicate(source, tmp_path / "proxy", 3)
    originals = sorted((source / "content" / "articles").rglob("*.md"))
    assert count == 3 * len(originals)
    articles = tmp_path / "proxy" / "content" / "articles"
    written = sorted(articles.rglob("*.md"))
    assert len(written) == count  # no copy overwrote another: every slug is unique
    # Years 2015-2018 moved back by 4 and 8: 2007-2018, each year a folder of its own.
    assert sorted(p.name for p in articles.iterdir()) == [str(y) for y in range(2007, 2019)]
    original = originals[0]
    year = int(original.parent.name)
    moved = realproxy.shifted_path(original.relative_to(source / "content" / "articles"), 8)
    copy = (articles / moved).read_text(encoding="utf-8")
    text = original.read_text(encoding="utf-8")
    assert copy.split("\n---", 2)[-1] == text.split("\n---", 2)[-1]  # the body byte for byte
    assert f"date: {year - 8}-" in copy and f"({year - 8})" in copy
    assert realproxy.ordinal(year - 8 - 1945) in copy
    result = run("check", "--project", tmp_path / "proxy")
    assert result.exit_code == 0, result.output


def test_ordinals() -> None:
    assert [realproxy.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 73, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "73rd", "101st", "111th",
    ]  # fmt: skip


def test_attribution_cost_builds_with_and_without_attribution(tmp_path: Path) -> None:
    corpus.generate(20, tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "-m", "bench.attribution_cost", str(tmp_path / "project"), "--runs", "1"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == ["CPU", "wall"]
    assert all(re.fullmatch(r"\w+: [\d.]+ s with attribution, [\d.]+ s without: [\d.]+ ×", x) for x in lines[:2])


def _positions(brief: Path) -> str:
    """The brief's Positions section."""
    return brief.read_text().partition("\n## Positions\n")[2].partition("\n## ")[0]


def test_attribution_switched_off_leaves_no_statements(tmp_path: Path) -> None:
    # The benchmark's baseline must really lack attribution: no Positions line quotes anyone.
    corpus.generate(20, tmp_path / "project")
    subprocess.run(
        [sys.executable, "-m", "bench.attribution_cost", "--without", "build", "--markdown-only",
         "--project", str(tmp_path / "project")],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    briefs = list((tmp_path / "project" / "build" / "docs" / "topics").glob("*.md"))
    assert briefs
    assert not any("“" in _positions(brief) for brief in briefs)
    result = run("build", "--markdown-only", "--no-cache", "--project", tmp_path / "project")
    assert result.exit_code == 0, result.output
    assert any("“" in _positions(brief) for brief in briefs), "with attribution, a brief quotes a position"


def test_search_queries_are_the_generators_on_a_generated_corpus_and_the_projects_own_elsewhere(
    tmp_path: Path,
) -> None:
    from bench.search_size import pick_queries

    corpus.generate(20, tmp_path / "generated")
    assert pick_queries(tmp_path / "generated") == pick_queries()
    assert pick_queries()["two words"] == "grain exports"
    source = shared("corpus", "ungdc-2015-2018")
    queries = pick_queries(source)
    bodies = [p.read_text(encoding="utf-8") for p in sorted((source / "content" / "articles").rglob("*.md"))]
    two, six = queries["two words"], queries["six words"]
    # Words the speeches do use side by side, though not every one of them (as "United Nations").
    with_two = sum(two in body for body in bodies[:300])
    assert 0 < with_two <= 150 and "United Nations" not in two
    assert len(six.split()) == 6 and six in bodies[0] and queries["six, quoted"] == f'"{six}"'
