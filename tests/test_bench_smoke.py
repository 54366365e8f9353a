"""The benchmark's corpus generator: deterministic, and a valid Briefdesk project (not the benchmark)."""

from __future__ import annotations

from pathlib import Path

from bench import corpus, realproxy
from tests.conftest import run, shared


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
