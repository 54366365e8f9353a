"""An incremental `briefdesk build`: staged from the previous site, byte-identical to a clean build.

Each case starts from the demo project built once, applies one kind of edit, builds again (the
build stages the site from the previous one and renders only what changed), and compares every
file of `site/` and `build/docs/` with a `--no-cache` build of the same files in another folder.
The cases also check that the build really was incremental where it should be, so a regression
to whole builds cannot pass unseen.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.errors import BuildError
from builder.pipeline import sitestate
from builder.pipeline.options import BuildOptions
from builder.pipeline.output import TEMP_PREFIX
from builder.pipeline.pipeline import build
from builder.pipeline.report import BuildReport
from tests.buildprocs import clean_outputs_of, outputs_of
from tests.conftest import copy_demo, run
from tests.sitecheck import tree_hashes

pytestmark = pytest.mark.slow

ARTICLE = "content/articles/2021/anchorage-us-china-talks.md"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built once with the cache (what every case starts from)."""
    root = copy_demo(tmp_path_factory.mktemp("base") / "desk", templates=True)
    _build(root)
    return root


def _build(root: Path, *, cache: bool = True) -> BuildReport:
    return build(BuildOptions(root=root, cache=cache), Diagnostics())


def _copy(project: Path, to: Path) -> Path:
    shutil.copytree(project, to, symlinks=True)
    return to


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _append_text(root: Path) -> None:
    with (root / ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write("\nBoth delegations said working groups on Afghanistan would meet within a month.\n")


def _retitle(root: Path) -> None:
    _replace(
        root / ARTICLE,
        "title: U.S. and Chinese diplomats clash",
        "title: American and Chinese diplomats clash",
    )


def _redate(root: Path) -> None:
    _replace(root / ARTICLE, "date: 2021-03-19", "date: 2021-03-20")


def _new_article(root: Path) -> None:
    (root / "content/articles/2021/kabul-aid-pledge.md").write_text(
        "---\ntitle: Donors pledge aid for Kabul hospitals\ndate: 2021-04-02\nsource: Example Wire\n"
        "url: https://example.org/kabul-aid\ntopics:\n  - afghanistan\n---\n\n"
        "Donors meeting online pledged money for hospitals in Kabul, the Afghan health ministry said.\n",
        encoding="utf-8",
    )


def _delete_article(root: Path) -> None:
    (root / ARTICLE).unlink()


def _toggle_draft(root: Path) -> None:
    _replace(root / ARTICLE, "source: Reuters\n", "source: Reuters\ndraft: true\n")


def _topic_alias(root: Path) -> None:
    _replace(root / "content/topics/afghanistan.md", "  - Herat\n", "  - Herat\n  - Mazar-i-Sharif\n")


def _actor_name(root: Path) -> None:
    path = root / "content/actors/wang-yi.md"
    name = re.search(r"^name: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert name is not None
    _replace(path, f"name: {name[1]}", "name: Wang Yi (foreign minister)")


def _brief_template(root: Path) -> None:
    with (root / "templates/brief.md.jinja").open("a", encoding="utf-8") as stream:
        stream.write("\n*Prepared by the desk.*\n")


def _article_template(root: Path) -> None:
    with (root / "templates/article.md.jinja").open("a", encoding="utf-8") as stream:
        stream.write("\n*Filed by the desk.*\n")


def _site_name(root: Path) -> None:
    _replace(root / "site_config.yml", "site_name: Briefdesk — 2021", "site_name: Briefdesk — the 2021")


def _max_developments(root: Path) -> None:
    _replace(root / "site_config.yml", "max_developments: 10", "max_developments: 5")


INCREMENTAL, WHOLE, EITHER = "incremental", "whole", "either"
EDITS: dict[str, tuple[Callable[[Path], None], str]] = {
    "article text": (_append_text, INCREMENTAL),
    "article title": (_retitle, INCREMENTAL),
    "article date": (_redate, INCREMENTAL),
    "new article": (_new_article, INCREMENTAL),
    "deleted article": (_delete_article, INCREMENTAL),
    "draft toggled": (_toggle_draft, INCREMENTAL),
    "topic aliases": (_topic_alias, EITHER),  # routing may move passages on many pages
    "actor name": (_actor_name, EITHER),  # every page that names the actor changes
    "brief template": (_brief_template, INCREMENTAL),
    "article template": (_article_template, WHOLE),  # most pages change: one MkDocs run is quicker
    "site name": (_site_name, WHOLE),  # in every page's header: the frame changed
    "brief settings": (_max_developments, INCREMENTAL),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_build_after_an_edit_equals_a_clean_build(built_demo: Path, tmp_path: Path, kind: str) -> None:
    edit, expected = EDITS[kind]
    root = _copy(built_demo, tmp_path / "desk")
    edit(root)
    report = _build(root)
    assert not report.up_to_date
    if expected == INCREMENTAL:
        assert report.html_rendered is not None and report.files_kept > 0
        assert report.html_rendered < report.pages / 2
    elif expected == WHOLE:
        assert report.html_rendered is None
    built = outputs_of(root)
    clean = clean_outputs_of(root, tmp_path)
    assert sorted(k for k in {*built, *clean} if built.get(k) != clean.get(k)) == []
    # and the next edit starts from this site: a second edit is incremental again
    _append_text(root) if kind != "deleted article" else _new_article(root)
    again = _build(root)
    if expected != WHOLE or kind == "article template":
        assert again.html_rendered is not None
    assert outputs_of(root) == clean_outputs_of(root, tmp_path / "second")


def _link_from_a_brief(root: Path, anchor: str, topic: str = "myanmar") -> None:
    """A project's brief template that links one brief (of a topic the article is not routed
    to, so the brief does not change with it) to a passage of the article."""
    with (root / "templates/brief.md.jinja").open("a", encoding="utf-8") as stream:
        stream.write(
            f'\n{{% if topic.id == "{topic}" %}}See also [the Anchorage talks]'
            f"(../articles/2021/anchorage-us-china-talks.md#{anchor}).{{% endif %}}\n"
        )


def test_a_failed_incremental_build_leaves_the_previous_site_as_it_was(
    built_demo: Path, tmp_path: Path
) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    before = tree_hashes(root / "site")
    _link_from_a_brief(root, "no-such-passage")  # MkDocs warns, and the (strict) build fails
    with pytest.raises(BuildError):
        _build(root)
    assert tree_hashes(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_link_to_an_anchor_that_an_edit_removed_fails_as_in_a_clean_build(
    built_demo: Path, tmp_path: Path
) -> None:
    """A brief that does not cite an edited article but links to one of its passages is checked again."""
    root = _copy(built_demo, tmp_path / "desk")
    _link_from_a_brief(root, "p-3")
    assert _build(root).html_rendered is not None
    before = tree_hashes(root / "site")
    brief = root / "build/docs/topics/myanmar.md"
    assert "anchorage-us-china-talks.md#p-3" in brief.read_text(encoding="utf-8")
    brief_before = brief.read_bytes()
    head, _, _ = (root / ARTICLE).read_text(encoding="utf-8").partition("\n---\n")
    (root / ARTICLE).write_text(f"{head}\n---\n\nOnly one paragraph is left.\n", encoding="utf-8")
    with pytest.raises(BuildError):
        _build(root)
    assert brief.read_bytes() == brief_before  # the brief itself did not change
    assert tree_hashes(root / "site") == before
    fresh = _copy(root, tmp_path / "fresh")
    shutil.rmtree(fresh / "site")
    with pytest.raises(BuildError):
        _build(fresh, cache=False)


def test_a_page_deleted_by_hand_is_made_again(built_demo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    (root / "site/timeline/index.html").unlink()
    _append_text(root)
    with caplog.at_level(logging.WARNING):
        report = _build(root)
    assert report.html_rendered is not None  # the edit and the missing page, nothing else
    expected = f"{root / 'site'}: 1 file is not as the last build left it (timeline/index.html); making it again"
    assert expected in caplog.text
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


ALTERED = "actors/xi-jinping/index.html"
"""A page the edits of these tests never change."""


def _alter_by_hand(root: Path) -> None:
    with (root / "site" / ALTERED).open("a", encoding="utf-8") as stream:
        stream.write("<script>alert('added by hand')</script>\n")


def test_an_incremental_build_after_an_unrelated_edit_never_keeps_a_page_changed_by_hand(
    built_demo: Path, tmp_path: Path
) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    _alter_by_hand(root)
    _append_text(root)
    report = _build(root)
    assert report.html_rendered is not None and report.files_kept > 0
    assert "added by hand" not in (root / "site" / ALTERED).read_text(encoding="utf-8")
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_nothing_changed_is_never_said_of_a_site_changed_by_hand(built_demo: Path, tmp_path: Path) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    (root / "site/index.html").unlink()
    _alter_by_hand(root)
    (root / "site/added-by-hand.html").write_text("<p>not ours</p>\n", encoding="utf-8")
    report = _build(root)  # the content is as it was: only the damage is made again
    assert not report.up_to_date
    assert report.html_rendered == 2
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)
    assert _build(root).up_to_date  # now it is


def test_a_site_with_new_times_but_the_same_files_is_up_to_date(built_demo: Path, tmp_path: Path) -> None:
    """A site restored by a CI cache gets new times: the files' contents say it is the same site."""
    root = _copy(built_demo, tmp_path / "desk")
    for path in (root / "site").rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert _build(root).up_to_date


def test_no_cache_never_says_nothing_changed(built_demo: Path, tmp_path: Path) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    (root / "site/index.html").unlink()
    _alter_by_hand(root)
    first = run("build", "--project", root, "--no-cache")
    assert first.exit_code == 0, first.stderr
    assert "nothing changed" not in first.stderr and first.stderr.splitlines()[-1].startswith("built 125 pages")
    again = run("build", "--project", root, "--no-cache")
    assert "nothing changed" not in again.stderr
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_a_site_without_its_build_folder_is_built_whole(built_demo: Path, tmp_path: Path) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    _alter_by_hand(root)
    shutil.rmtree(root / "build")
    report = _build(root)
    assert not report.up_to_date and report.html_rendered is None
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_markdown_pages_changed_by_hand_are_written_again(built_demo: Path, tmp_path: Path) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    docs = root / "build/docs"
    (docs / "timeline.md").unlink()
    with (docs / "index.md").open("a", encoding="utf-8") as stream:
        stream.write("\nAdded by hand.\n")
    (docs / "extra.md").write_text("# Not ours\n", encoding="utf-8")
    assert not build(BuildOptions(root=root, markdown_only=True), Diagnostics()).up_to_date
    assert not (docs / "extra.md").exists() and "Added by hand" not in (docs / "index.md").read_text()
    _build(root)

    def pages(outputs: dict[str, str]) -> dict[str, str]:  # MkDocs' assets are copied by MkDocs builds
        return {path: digest for path, digest in outputs.items() if not path.startswith("docs/assets/")}

    assert pages(outputs_of(root)) == pages(clean_outputs_of(root, tmp_path))


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"format": 2', '"format": 99'),
        lambda text: text.replace('"files": {', '"files": {"../../outside": [1, 1, "' + "0" * 64 + '"], '),
        lambda text: "not json at all",
    ],
    ids=["truncated", "other format", "path outside the site", "not json"],
)
def test_a_damaged_record_of_the_site_means_a_whole_build(
    built_demo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[str], str]
) -> None:
    root = _copy(built_demo, tmp_path / "desk")
    record = root / "build" / sitestate.STATE_FILE
    record.write_text(damage(record.read_text(encoding="utf-8")), encoding="utf-8")
    _append_text(root)
    with caplog.at_level(logging.WARNING):
        report = _build(root)
    assert report.html_rendered is None
    assert str(record) in caplog.text
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_another_site_in_the_output_folder_is_built_whole(built_demo: Path, tmp_path: Path) -> None:
    """The record names the site it describes: a site put there since is not staged from."""
    root = _copy(built_demo, tmp_path / "desk")
    other = _copy(built_demo, tmp_path / "other")
    _append_text(other)
    _build(other)
    shutil.rmtree(root / "site")
    shutil.copytree(other / "site", root / "site")
    _new_article(root)
    report = _build(root)
    assert report.html_rendered is None
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_nothing_is_written_through_the_links_into_the_previous_site(built_demo: Path, tmp_path: Path) -> None:
    """The staged site shares the previous one's files: a write into one of them would change
    the site being served while the build runs. A second set of links taken beforehand sees it."""
    root = _copy(built_demo, tmp_path / "desk")
    before = tree_hashes(root / "site")
    watch = tmp_path / "watch"
    for path in (root / "site").rglob("*"):
        if path.is_file():
            target = watch / path.relative_to(root / "site")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    _new_article(root)
    report = _build(root)
    assert report.html_rendered is not None and report.files_kept > 0
    assert tree_hashes(watch) == before
    shared = [p for p in (root / "site").rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    assert len(shared) == report.files_kept  # the kept files are links, not copies


def test_a_file_system_without_hard_links_gets_copies(
    built_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "hard links are not supported here")

    root = _copy(built_demo, tmp_path / "desk")
    _append_text(root)
    monkeypatch.setattr(os, "link", no_links)
    report = _build(root)
    assert report.html_rendered is not None and report.files_kept > 0
    assert all(p.stat().st_nlink == 1 for p in (root / "site").rglob("*") if p.is_file())
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_a_build_after_serve_updated_the_site_in_place_is_whole(built_demo: Path, tmp_path: Path) -> None:
    """serve changes the site file by file: the record of what it was built from no longer fits."""
    root = _copy(built_demo, tmp_path / "desk")
    _append_text(root)
    build(BuildOptions(root=root, incremental=True), Diagnostics())
    assert not (root / "build" / sitestate.STATE_FILE).exists()
    _new_article(root)
    assert _build(root).html_rendered is None
    assert outputs_of(root) == clean_outputs_of(root, tmp_path)


def test_a_new_briefdesk_or_theme_version_builds_the_whole_site(
    built_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our theme overrides and Material's templates are on every page, whatever its Markdown."""
    from builder.pipeline import html
    from builder.site import mkdocs

    root = _copy(built_demo, tmp_path / "desk")
    _append_text(root)
    monkeypatch.setattr(html, "code_fingerprint", lambda: "the next Briefdesk")
    assert _build(root).html_rendered is None
    _new_article(root)
    real_version = mkdocs.importlib.metadata.version
    monkeypatch.setattr(
        mkdocs.importlib.metadata,
        "version",
        lambda name: "99.0" if name == "mkdocs-material" else real_version(name),
    )
    assert _build(root).html_rendered is None
    monkeypatch.undo()  # back to the installed versions: the whole site once more, then by page
    _retitle(root)
    assert _build(root).html_rendered is None
    _redate(root)
    assert _build(root).html_rendered is not None
