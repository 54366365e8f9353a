"""The 44 front-matter edge cases from other projects' test suites: each is valid or cleanly refused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ProjectFactory, run, shared

DIAGNOSTIC = re.compile(r"^content/articles/case\.md:\d+: (error|warning): \S.*$")


def _cases() -> list[str]:
    folder = Path(__file__).resolve().parents[2] / "shared/corpus/frontmatter-cases"
    if not (folder / "cases.json").exists():
        return ["(absent)"]
    return [case["file"] for case in json.loads((folder / "cases.json").read_text())]


# Cases whose diagnostic we pin (the rest must simply be valid or cleanly refused).
EXPECTED_LINE = {
    "pyyaml__construct-python-object.data.wrapped.md": "error: YAML tag '!!python/object:test_constructor.AnObject' is not allowed",
    "jekyll__source___encodings__Unicode16LECRLFandBOM.md": "error: file is UTF-16",
    "gray-matter__fixtures__empty.md": "error: empty file",
    "gray-matter__fixtures__hasnt-matter.md": "error: no front matter",
    "python-frontmatter__toml__hello-toml.md": "error: TOML front matter (+++) is not supported",
    "gray-matter__fixtures__delims-semi-colons.md": "error: front matter between ;;; lines is not supported",
    "gray-matter__fixtures__lang-coffee-bad.md": "error: front matter opened with '--- coffee': a language after the dashes is not supported",
    "gray-matter__fixtures__all.yaml": "error: front matter opened on line 1 is never closed: add a line of three dashes (---) after line",
    "jekyll__source___dates__time_with_timezone.md": "error: 'date': expected a calendar date YYYY-MM-DD, found a date and time",
}


@pytest.mark.parametrize("name", _cases())
def test_case_is_valid_or_cleanly_refused(make_project: ProjectFactory, name: str) -> None:
    folder = shared("corpus", "frontmatter-cases")
    root = make_project({"content/articles/2021/talks.md": None})
    target = root / "content/articles/case.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / name, target)
    result = run("check", "--project", root)  # an exception here fails the test: no tracebacks
    lines = result.stdout.splitlines()
    assert result.exit_code in (0, 1), result.output
    assert all(DIAGNOSTIC.match(line) for line in lines), lines
    assert (result.exit_code == 1) == any(": error: " in line for line in lines)
    if name in EXPECTED_LINE:
        assert any(line.split(": ", 1)[1].startswith(EXPECTED_LINE[name]) for line in lines), lines


def test_timezone_dates_are_refused_with_the_local_day(make_project: ProjectFactory) -> None:
    folder = shared("corpus", "frontmatter-cases")
    root = make_project()
    text = (folder / "jekyll__source___posts__2010-01-09-timezone-override.markdown").read_text()
    (root / "content/articles/tz.md").write_text(text.replace("---\n", "---\ntitle: T\nsource: S\n", 1))
    lines = run("check", "--project", root).stdout.splitlines()
    assert any("found a date and time" in line and "e.g. 2010-01-10" in line for line in lines), lines
