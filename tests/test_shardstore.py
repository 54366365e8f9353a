"""The search index's shards kept between builds: cut where the records decide, checked when read."""

from __future__ import annotations

import logging
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.pipeline.html import SHARDS
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from builder.search.records import SearchPassage, SearchRecord
from builder.search.shardstore import ShardStore, record_text, shard_groups
from tests.conftest import copy_demo
from tests.sitecheck import tree_hashes


def _article(number: int) -> SearchRecord:
    return SearchRecord(
        url=f"/articles/2021/story-{number:05d}/",
        title=f"Story {number}",
        lead=(),
        passages=(SearchPassage(1, f"Text of story {number}."),),
        meta={"kind": "article", "date": "2021-01-01", "source": "Wire"},
        filters={},
    )


def _urls(groups: list[list[SearchRecord]]) -> list[tuple[str, ...]]:
    return [tuple(record.url for record in group) for group in groups]


def test_a_new_record_changes_only_the_shard_it_falls_in() -> None:
    records = [_article(n) for n in range(5000)]
    before = _urls(list(shard_groups(records, 1000)))
    assert len(before) > 3 and all(len(group) <= 1000 for group in before)
    inserted = [*records[:2500], _article(99_999), *records[2500:]]
    after = _urls(list(shard_groups(inserted, 1000)))
    changed = set(after) - set(before)
    # The shard it falls in, and the next when that one was cut at the size limit: a cut by size
    # moves with an insertion until the next cut the records decide.
    assert 1 <= len(changed) <= 2 and any("/articles/2021/story-99999/" in group for group in changed)
    assert len(set(after) & set(before)) >= len(before) - 2


def test_long_records_are_cut_by_their_text_as_well_as_their_number() -> None:
    # Pagefind's memory follows the text it holds: 1,000 long speeches took 670 MiB of it.
    records = [replace(_article(n), passages=(SearchPassage(1, "word " * 2000),)) for n in range(40)]
    assert record_text(records[0]) == len("Story 0") + 10_000
    groups = list(shard_groups(records, 1000, most_text=35_000))
    assert [record for group in groups for record in group] == records
    assert max(len(group) for group in groups) == 3
    assert all(sum(map(record_text, group)) <= 35_000 for group in groups)
    # A record longer than the bound is a shard of its own, never dropped or split.
    assert [len(group) for group in shard_groups(records[:2], 1000, most_text=5_000)] == [1, 1]


def test_briefs_and_archives_are_shards_apart_from_the_articles() -> None:
    brief = replace(_article(1), url="/topics/a/", meta={"kind": "brief"})
    archive = replace(_article(2), url="/topics/a/2021/", meta={"kind": "archive"})
    groups = list(shard_groups([brief, archive, _article(3), _article(4)], 1000))
    assert [[r.meta["kind"] for r in group] for group in groups][:2] == [["brief"], ["archive"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("shards") / "desk", templates=True)
    build(BuildOptions(root=root), Diagnostics())
    return root


def _edit(root: Path) -> None:
    article = root / "content/articles/2021/anchorage-us-china-talks.md"
    with article.open("a", encoding="utf-8") as stream:
        stream.write("\nThe envoys agreed to speak again on Myanmar before the summer.\n")


@pytest.mark.slow
def test_an_edit_indexes_only_its_shards_again_and_the_index_is_a_clean_builds(
    built: Path, tmp_path: Path
) -> None:
    root = Path(shutil.copytree(built, tmp_path / "desk"))
    kept = {path.name: path.stat().st_mtime_ns for path in (root / "build" / SHARDS).iterdir()}
    assert len(kept) >= 3
    _edit(root)
    build(BuildOptions(root=root), Diagnostics())
    after = {path.name: path.stat().st_mtime_ns for path in (root / "build" / SHARDS).iterdir()}
    reused = [name for name in after if kept.get(name) == after[name]]
    assert reused and len(after) - len(reused) <= 2  # the article's shard (and the briefs' at most)
    assert len(set(kept) - set(after)) == len(after) - len(reused)  # each replaced shard is dropped
    fresh = Path(shutil.copytree(root / "content", tmp_path / "fresh" / "content")).parent
    shutil.copytree(root / "templates", fresh / "templates")
    shutil.copy(root / "site_config.yml", fresh)
    build(BuildOptions(root=fresh, cache=False), Diagnostics())
    assert tree_hashes(root / "site" / "pagefind") == tree_hashes(fresh / "site" / "pagefind")


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "altered", "not a zip"])
def test_a_damaged_shard_is_indexed_again_with_a_warning(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    root = Path(shutil.copytree(built, tmp_path / "desk"))
    index_before = tree_hashes(root / "site" / "pagefind")
    shard = sorted((root / "build" / SHARDS).glob("*.zip"))[-1]
    data = shard.read_bytes()
    if damage == "truncated":
        shard.write_bytes(data[: len(data) // 2])
    elif damage == "altered":
        with zipfile.ZipFile(shard) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        victim = next(name for name in members if name.startswith("files/") and name.endswith("pf_fragment"))
        members[victim] = members[victim][:-1] + bytes([members[victim][-1] ^ 1])
        with zipfile.ZipFile(shard, "w") as archive:
            for name, body in members.items():
                archive.writestr(name, body)
    else:
        shard.write_bytes(b"not a zip at all")
    (root / "site").rename(tmp_path / "old-site")  # a whole build, so every shard is asked for
    with caplog.at_level(logging.WARNING):
        build(BuildOptions(root=root), Diagnostics())
    assert str(shard) in caplog.text and "indexing that shard again" in caplog.text
    assert tree_hashes(root / "site" / "pagefind") == index_before
    assert ShardStore(root / "build" / SHARDS).get(shard.stem) is not None  # written again, whole
