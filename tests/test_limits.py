"""Oversized and pathological content builds in bounded time or fails with a diagnostic naming the limit."""

from __future__ import annotations

import pytest

from tests.conftest import ProjectFactory, run

pytestmark = pytest.mark.slow
HEAD = "---\ntitle: T\ndate: 2021-03-22\nsource: X\n---\n"


def _markdown_build(root: object) -> tuple[int, str]:
    result = run("build", "--markdown-only", "--project", root)
    return result.exit_code, result.stderr


def test_twenty_megabyte_article_is_refused_naming_the_limit(make_project: ProjectFactory) -> None:
    body = ("Afghanistan and Myanmar. " * 40 + "\n\n") * 20_000
    root = make_project({"content/articles/2021/huge.md": HEAD + body})
    code, errors = _markdown_build(root)
    assert code == 1
    assert "content/articles/2021/huge.md:1: error: file is 19.1 MiB; the limit is 4 MiB per content file" in errors


def test_hundred_thousand_line_article_builds(make_project: ProjectFactory) -> None:
    body = "".join(f"Line {i} about Afghanistan.\n" if i % 2 else "\n" for i in range(100_000))
    root = make_project({"content/articles/2021/long.md": HEAD + body})
    code, errors = _markdown_build(root)
    assert code == 0, errors
    page = (root / "build/docs/articles/2021/long.md").read_text()
    assert 'id="p-50000"' in page


@pytest.mark.parametrize("marker", ["> ", "- "])
def test_thousand_deep_nesting_is_refused_naming_the_limit(make_project: ProjectFactory, marker: str) -> None:
    nested = "".join(("  " * i if marker == "- " else marker * i) + marker + "deep\n" for i in range(1000))
    root = make_project({"content/articles/2021/deep.md": HEAD + "Intro on Syria.\n\n" + nested})
    code, errors = _markdown_build(root)
    assert code == 1
    assert "nests lists or blockquotes more than 8 levels deep (the limit)" in errors


def test_ten_thousand_alias_topic_builds(make_project: ProjectFactory) -> None:
    aliases = "\n".join(f"  - Place number {i}" for i in range(10_000))
    root = make_project({
        "content/topics/places.md": f"---\ntitle: Places\naliases:\n{aliases}\n---\n",
        "content/articles/2021/visit.md": HEAD + "A visit to place number 9999.\n",
    })
    code, errors = _markdown_build(root)
    assert code == 0, errors
    assert "visit.md#p-1" in (root / "build/docs/topics/places.md").read_text()


def test_255_byte_file_names(make_project: ProjectFactory) -> None:
    stem = "a" * 252
    root = make_project({
        f"content/articles/2021/{stem}.md": HEAD + "On Myanmar.\n",
        f"content/actors/{'b' * 252}.md": "---\nname: B\n---\n",
    })
    code, errors = _markdown_build(root)
    assert code == 1
    assert f"content/actors/{'b' * 252}.md:1: error: '{'b' * 40}…' is longer than 100 characters" in errors
    root = make_project({f"content/actors/{'b' * 252}.md": None})
    code, errors = _markdown_build(root)
    assert code == 0, errors
    assert (root / f"build/docs/articles/2021/{'a' * 80}.md").is_file()


def test_hundreds_of_prefix_nested_aliases_check_and_build(make_project: ProjectFactory) -> None:
    # `x`, `x x`, `x x x`, …: a trie nests one group per alias, which once crashed the build
    # (RecursionError) after `check` had passed.
    aliases = ", ".join(" ".join(["nest"] * n) for n in range(1, 601))
    root = make_project({
        "content/topics/nest.md": f"---\ntitle: Nest\naliases: [{aliases}]\n---\nNested.\n",
        "content/articles/2021/nest.md": "---\ntitle: Nested\ndate: 2021-04-01\nsource: X\n---\n"
                                         + " ".join(["nest"] * 650) + " and more.\n",
    })
    checked = run("check", "--project", root)
    assert checked.exit_code == 0, checked.output
    built = run("build", "--markdown-only", "--project", root)
    assert built.exit_code == 0, built.output
    assert "Traceback" not in built.output
    assert "[Nested](../articles/2021/nest.md)" in (root / "build/docs/topics/nest.md").read_text()
