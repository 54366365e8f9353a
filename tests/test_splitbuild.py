"""A whole build's pages rendered by forked workers (builder.site.splitbuild): the same site, byte
for byte, and the same diagnostics, as one `mkdocs build --strict` process writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.site import mkdocs, warmdocs
from builder.site.loading import load_site
from builder.site.splitbuild import shares
from tests.conftest import copy_demo, run, write_files
from tests.sitecheck import tree_hashes

pytestmark = pytest.mark.slow
EPOCH = 1_700_000_000
_LEVEL = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")


def _plain(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """One `mkdocs build --strict` process, as builds ran before the split."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def _split(config: Path, out: Path, workers: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "builder.site.splitbuild", str(config), str(out), str(workers)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def _problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    """MkDocs' warnings and errors, in the order printed (the colour codes of a terminal removed)."""
    lines = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr + result.stdout).splitlines()
    return [" ".join(match[2].split()) for line in lines if (match := _LEVEL.match(line.strip()))]


def _same_site_every_way(config: Path, tmp_path: Path) -> int:
    """Build `config` with one plain MkDocs process and with 1, 2 and 3 workers; assert every file is
    byte-identical; return how many files there are."""
    plain = _plain(config, tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    expected = tree_hashes(tmp_path / "plain")
    for workers in (1, 2, 3):
        split = _split(config, tmp_path / f"split-{workers}", workers)
        assert split.returncode == 0, split.stderr
        built = tree_hashes(tmp_path / f"split-{workers}")
        assert sorted(k for k in {*expected, *built} if expected.get(k) != built.get(k)) == []
    return len(expected)


def _docs_order(config: Path) -> list[str]:
    """The pages of `config` in the order MkDocs builds them (shares number them so)."""
    site = load_site(str(config), str(config.parent / "unused-site"), strict=False, clean=False)
    return [file.src_uri for file in site.doc_files]


def test_the_demo_rendered_by_workers_is_byte_identical_to_one_mkdocs_build(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "desk")
    assert run("build", "--project", root).exit_code == 0
    config = root / "build/mkdocs.yml"
    assert _same_site_every_way(config, tmp_path) > 150  # pages, the theme's assets, 404.html
    # and the build itself renders with workers: its MkDocs part is that same site
    ok, problems = mkdocs.run_mkdocs(config, tmp_path / "again", EPOCH, root, workers=2)
    assert (ok, problems) == (True, [])
    assert tree_hashes(tmp_path / "again") == tree_hashes(tmp_path / "plain")


MADE = {
    "mkdocs.yml": """\
        site_name: Made desk
        docs_dir: docs
        strict: true
        theme: {name: material, features: [navigation.footer, navigation.indexes, navigation.sections]}
        plugins: []
        markdown_extensions: [attr_list, footnotes, {toc: {permalink: true}}, admonition]
        not_in_nav: /loose/
        draft_docs: drafts/
        validation: {links: {anchors: warn}}
        nav:
          - index.md
          - Section:
            - section/index.md
            - Given title: section/given.md
            - section/heading.md
          - section/meta-title.md
        """,
    "docs/index.md": "---\nicon: material/home\n---\n# Welcome *home*\n\nSee [the heading](section/heading.md#a-part).\n",
    "docs/section/index.md": "# The section\n\nIts index.\n",
    "docs/section/given.md": "---\nsubtitle: A subtitle\n---\n# Another heading\n\nText.[^1]\n\n[^1]: A note.\n",
    "docs/section/heading.md": "# A title from the `heading` {#top}\n\n## A part\n\nBody.\n",
    "docs/section/meta-title.md": "---\ntitle: From the metadata\n---\n\nNo heading here.\n",
    "docs/loose/one.md": "# Loose one\n\nLinks to [a part](../section/heading.md#a-part) and [two](two.md#b).\n",
    "docs/loose/two.md": "# Loose two\n\n## B\n\n<a id='raw-anchor'></a>[back](one.md)\n",
    "docs/drafts/wip.md": "# Not built\n",
    "docs/assets/extra.css": "body { color: black; }\n",
    "docs/plain.html": "<p>A page of HTML copied as it is.</p>\n",
}


def test_a_made_project_with_every_kind_of_page_is_byte_identical(tmp_path: Path) -> None:
    """Pages in and out of the navigation, titles from the nav, a heading and metadata, a nav icon
    and subtitle, footnotes, raw HTML anchors, a draft, static files."""
    project = write_files(tmp_path / "made", MADE)
    assert _same_site_every_way(project / "mkdocs.yml", tmp_path) > 10
    assert "<title>From the metadata - Made desk</title>" in (
        tmp_path / "split-2/section/meta-title/index.html"
    ).read_text(encoding="utf-8")
    assert not (tmp_path / "split-2/drafts").exists()


def test_shares_balance_markdown_size_deterministically() -> None:
    assert shares([10, 50, 20, 20, 5], 2) == [[1, 4], [0, 2, 3]]
    assert shares([10, 50, 20, 20, 5], 3) == [[1], [0, 2], [3, 4]]
    assert shares([3, 3], 4) == [[0], [1]]  # no empty share


BROKEN = {
    # the target of the bad anchor is the largest page and the page linking to it the next: with
    # two workers they are rendered by different ones
    "docs/section/heading.md": "# A title\n\n## A part\n\n" + "Long text.\n\n" * 2000,
    "docs/loose/one.md": (
        "# Loose one\n\n" + "Text.\n\n" * 1000 + "A [gone part](../section/heading.md#no-such-part),"
        " a [missing page](missing.md) and [a part](../section/heading.md#a-part).\n"
    ),
}


def test_a_missing_anchor_across_workers_fails_with_a_single_builds_messages(tmp_path: Path) -> None:
    project = write_files(tmp_path / "made", {**MADE, **BROKEN})
    config = project / "mkdocs.yml"
    order = _docs_order(config)
    split = shares([len((project / "docs" / uri).read_bytes()) for uri in order], 2)
    owner = {order[number]: share for share, numbers in enumerate(split) for number in numbers}
    assert owner["loose/one.md"] != owner["section/heading.md"]
    plain = _plain(config, tmp_path / "plain")
    expected = [
        "Doc file 'loose/one.md' contains a link 'missing.md', but the target 'loose/missing.md' is not"
        " found among documentation files.",
        "Doc file 'loose/one.md' contains a link '../section/heading.md#no-such-part', but the doc"
        " 'section/heading.md' does not contain an anchor '#no-such-part'.",
    ]
    assert (plain.returncode, _problems(plain)) == (1, expected)
    for workers in (2, 3):
        result = _split(config, tmp_path / f"split-{workers}", workers)
        assert (result.returncode, _problems(result)) == (1, expected)
        assert "Aborted with 2 warnings in strict mode!" in result.stdout
    ok, diagnostics = mkdocs.run_mkdocs(config, tmp_path / "site", EPOCH, tmp_path, workers=2)
    assert not ok
    assert [d.format() for d in diagnostics] == [
        f"made/docs/loose/one.md:{1001 * 2 + 1}: error: {expected[0]}",
        f"made/docs/loose/one.md:{1001 * 2 + 1}: error: {expected[1]}",
    ]
    assert [d.format() for d in diagnostics] == [
        d.format() for d in mkdocs.log_diagnostics(plain.stderr.splitlines(), project, tmp_path)
    ]


def test_a_page_that_cannot_be_read_stops_the_build_as_mkdocs_does(tmp_path: Path) -> None:
    project = write_files(tmp_path / "made", MADE)
    (project / "docs/loose/two.md").write_bytes(b"# Not UTF-8 \xff\xfe\n")
    plain = _plain(project / "mkdocs.yml", tmp_path / "plain")
    split = _split(project / "mkdocs.yml", tmp_path / "split", 2)
    assert plain.returncode == split.returncode == 1
    assert _problems(split) == _problems(plain) != []


def test_a_build_with_a_missing_anchor_across_workers_fails_and_keeps_the_last_good_site(
    tmp_path: Path,
) -> None:
    root = copy_demo(tmp_path / "desk", templates=True)
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    with (root / "templates/brief.md.jinja").open("a", encoding="utf-8") as stream:
        stream.write("\nSee [the talks](../articles/2021/anchorage-us-china-talks.md#no-such-passage).\n")
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert tree_hashes(root / "site") == before
    docs = root / "build/docs"
    briefs = sorted(path.relative_to(docs).as_posix() for path in (docs / "topics").glob("*.md"))
    messages = [
        f"build/docs/{brief}:{_line_of(docs / brief, '#no-such-passage')}: error: Doc file '{brief}' contains"
        " a link '../articles/2021/anchorage-us-china-talks.md#no-such-passage', but the doc"
        " 'articles/2021/anchorage-us-china-talks.md' does not contain an anchor '#no-such-passage'."
        for brief in briefs
    ]
    assert len(messages) > 10 and all(message in result.output for message in messages)
    # the same diagnostics as one MkDocs process over the same pages
    plain = _plain(root / "build/mkdocs.yml", tmp_path / "plain")
    single = sorted(
        d.format() for d in mkdocs.log_diagnostics(plain.stderr.splitlines(), root / "build", root)
    )
    ok, split = mkdocs.run_mkdocs(root / "build/mkdocs.yml", tmp_path / "split", EPOCH, root, workers=2)
    assert not ok and sorted(d.format() for d in split) == single == sorted(messages)
    # and some of those links were checked against a page another worker rendered
    order = _docs_order(root / "build/mkdocs.yml")
    sizes = [len((docs / uri).read_bytes()) for uri in order]
    owner = {order[n]: share for share, numbers in enumerate(shares(sizes, 2)) for n in numbers}
    assert {owner[brief] for brief in briefs} == {0, 1}


def _line_of(page: Path, needle: str) -> int:
    lines = page.read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if needle in text)


def test_many_pages_rendered_again_are_shared_by_workers_and_match_the_whole_build(tmp_path: Path) -> None:
    """An incremental build renders its changed pages in the loaded MkDocs; many of them are split
    between workers (builder.site.warmdocs), with the same pages and messages."""
    root = copy_demo(tmp_path / "desk")
    assert run("build", "--project", root).exit_code == 0
    config, docs = root / "build/mkdocs.yml", root / "build/docs"
    pages = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))
    assert len(pages) >= 2 * warmdocs.SPLIT_FROM and mkdocs.page_workers() > 1
    out = tmp_path / "again"
    out.mkdir()
    ok, problems = mkdocs.render_pages(config, out, pages, EPOCH, root)
    assert (ok, problems) == (True, [])
    whole, again = tree_hashes(root / "site"), tree_hashes(out)
    assert len(again) > len(pages)  # each page's index.html, and 404.html
    assert sorted(name for name, digest in again.items() if whole.get(name) != digest) == []

    for brief in (docs / "topics").glob("*.md"):
        with brief.open("a", encoding="utf-8") as stream:
            stream.write(
                "\nSee [the talks](../articles/2021/anchorage-us-china-talks.md#gone) and [x](nowhere.md).\n"
            )
    ok, problems = mkdocs.render_pages(config, tmp_path / "broken", pages, EPOCH, root)
    plain = _plain(config, tmp_path / "plain")
    single = [d.format() for d in mkdocs.log_diagnostics(plain.stderr.splitlines(), root / "build", root)]
    assert not ok and len(problems) == len(single) > 10
    assert sorted(d.format() for d in problems) == sorted(single)


def test_a_build_run_from_a_folder_holding_another_builder_package_renders_with_ours(tmp_path: Path) -> None:
    """The rendering processes never import a `builder` package of the folder the build runs from."""
    root = copy_demo(tmp_path / "desk")
    elsewhere = write_files(tmp_path / "elsewhere", {"builder/__init__.py": "raise SystemExit('not ours')\n"})
    briefdesk = Path(sys.executable).with_name("briefdesk")
    result = subprocess.run(
        [str(briefdesk), "build", "--project", str(root)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "site/articles/2021/anchorage-us-china-talks/index.html").is_file()
