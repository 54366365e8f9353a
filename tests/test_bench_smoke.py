"""The benchmark's corpus generator: deterministic, and a valid Briefdesk project (not the benchmark)."""

from __future__ import annotations

from pathlib import Path

from bench import corpus
from tests.conftest import run


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
