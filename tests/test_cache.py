"""The build cache never serves stale output: after any edit, a cached build equals a fresh one."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.briefs.rendering import relative_link
from builder.cachekey import cache_key
from builder.model import Passage
from builder.pipeline import plaindata
from builder.pipeline.cache import CACHE_FILE, BuildCache
from builder.pipeline.keys import CACHE_FORMAT, code_fingerprint
from tests.conftest import ProjectFactory, run
from tests.sitecheck import tree_hashes

ARTICLE = "content/articles/2021/talks.md"


def _docs(root: Path, *flags: str) -> dict[str, str]:
    result = run("build", "--markdown-only", "--project", root, *flags)
    assert result.exit_code == 0, result.output
    return tree_hashes(root / "build" / "docs")


def _fresh(root: Path, tmp_path: Path) -> dict[str, str]:
    """The same project built with no cache at all, in a copy."""
    copy = tmp_path / "fresh"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
    return _docs(copy, "--no-cache")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


EDITS: dict[str, Callable[[Path], None]] = {
    "article text": lambda root: _edit(root / ARTICLE, "They also discussed Myanmar.", "They also discussed Kabul."),
    "article front matter": lambda root: _edit(root / ARTICLE, "title: Talks in Guilin", "title: Guilin talks"),
    "article source": lambda root: _edit(root / ARTICLE, "source: CGTN", "source: Xinhua"),
    "article date": lambda root: _edit(root / ARTICLE, "date: 2021-03-22", "date: 2021-02-22"),
    "topic aliases": lambda root: _edit(root / "content/topics/myanmar.md", "[Myanmar, Burma]", "[Burma]"),
    "topic title": lambda root: _edit(root / "content/topics/afghanistan.md", "title: Afghanistan",
                                      "title: Afghanistan and the region"),
    "actor aliases": lambda root: _edit(root / "content/actors/china.md", "[China, Beijing, Chinese]",
                                        "[Beijing, two sides]"),
    # Attribution reads an actor's kind: a person's surname alone ("Lavrov said") is that person.
    "actor kind": lambda root: _edit(root / "content/actors/lavrov.md", "kind: person", "kind: organisation"),
    "template": lambda root: (root / "templates").mkdir() or (root / "templates/article.md.jinja").write_text(
        "# {{ article.title }} (custom)\n"),
    "site config": lambda root: (root / "site_config.yml").write_text(
        "site_name: Test desk\nrouting:\n  auto: false\n"),
    "new article": lambda root: (root / "content/articles/2021/new.md").write_text(
        "---\ntitle: New\ndate: 2021-04-01\nsource: X\n---\nMore on Afghanistan.\n"),
    "deleted article": lambda root: (root / ARTICLE).unlink(),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_cached_build_after_an_edit_equals_a_fresh_build(
    make_project: ProjectFactory, tmp_path: Path, edit: str
) -> None:
    root = make_project({
        "content/actors/russia.md": "---\nname: Russia\n---\n",
        "content/actors/lavrov.md": "---\nname: Sergei Lavrov\nkind: person\n---\n",
        "content/articles/2021/other.md": "---\ntitle: Other\ndate: 2021-03-01\nsource: X\n"
        "topics: [myanmar]\nactors: [russia, china]\n---\nRussia spoke on Afghanistan.\n\n"
        "China spoke on Myanmar.\n\nSergei Lavrov arrived late. Lavrov said Afghanistan needed peace.\n",
    })
    before = _docs(root)
    assert (root / "build" / CACHE_FILE).is_file()
    EDITS[edit](root)
    after = _docs(root)
    assert after != before, "the edit should change the output"
    assert after == _fresh(root, tmp_path)


def test_unchanged_rebuild_reuses_the_cache(make_project: ProjectFactory) -> None:
    root = make_project()
    first = _docs(root)
    stamp = (root / "build" / CACHE_FILE).stat().st_mtime_ns
    assert _docs(root) == first
    assert (root / "build" / CACHE_FILE).stat().st_mtime_ns == stamp, "nothing changed: nothing to save"


def test_a_pickle_in_place_of_the_cache_is_never_run(
    make_project: ProjectFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project()
    cache = root / "build" / CACHE_FILE
    cache.parent.mkdir(parents=True)
    # A pickle that would run code if anything unpickled it: the cache is plain data, never unpickled.
    marker = tmp_path / "ran"
    cache.write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    assert _docs(root) == _fresh(root, tmp_path)
    assert not marker.exists()
    assert "the cache file cannot be read" in caplog.text


def _cache_lines(root: Path) -> list[str]:
    with gzip.open(root / "build" / CACHE_FILE, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines(keepends=True)


def _write_cache_lines(root: Path, lines: list[str]) -> None:
    with gzip.open(root / "build" / CACHE_FILE, "wt", encoding="utf-8") as stream:
        stream.write("".join(lines))


def _altered(root: Path) -> str:
    lines = _cache_lines(root)
    index = next(i for i, line in enumerate(lines) if '"article"' in line and "talks.md" in line)
    lines[index] = lines[index].replace("They also discussed Myanmar.", "They also discussed Mars.")
    _write_cache_lines(root, lines)
    return "entry 2 does not check out (it was altered after it was written); building without the cache"


def _rehashed_with_a_foreign_kind(root: Path) -> str:
    # A well-formed line, signed with this machine's key, that names a type the cache never holds.
    text = '["article","content/articles/2021/talks.md","x",[{"$":"Popen","v":["touch x"]},[]],"",null]'
    _write_cache_lines(root, [*_cache_lines(root), f"{cache_key().sign(text.encode())} {text}\n"])
    return "is not cache data"


def _truncated(root: Path) -> str:
    data = (root / "build" / CACHE_FILE).read_bytes()
    (root / "build" / CACHE_FILE).write_bytes(data[: len(data) // 2])
    return "the cache file cannot be read"


def _wrong_format(root: Path) -> str:
    (root / "build" / CACHE_FILE).write_bytes(b"\x89PNG\r\n\x1a\n not a cache")
    return "the cache file cannot be read"


@pytest.mark.parametrize("damage", [_altered, _rehashed_with_a_foreign_kind, _truncated, _wrong_format])
def test_a_damaged_cache_is_ignored_with_a_warning(
    make_project: ProjectFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[Path], str]
) -> None:
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    _edit(root / ARTICLE, "Talks in Guilin", "Talks in Guilin, again")  # so the site is rebuilt
    said = damage(root)
    assert run("build", "--project", root).exit_code == 0
    assert said in caplog.text
    copy = tmp_path / "fresh"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
    assert run("build", "--no-cache", "--project", copy).exit_code == 0
    assert tree_hashes(root / "build" / "docs") == tree_hashes(copy / "build" / "docs")
    assert tree_hashes(root / "site") == tree_hashes(copy / "site")
    assert "Mars" not in (root / "build/docs/articles/2021/talks.md").read_text()


def test_a_cache_restored_into_another_folder_is_used(make_project: ProjectFactory, tmp_path: Path) -> None:
    # As a CI cache action restores it: the same content checked out elsewhere, build/ brought back.
    root = make_project()
    _docs(root)
    _mark_cached(root, "topics/myanmar.md")
    elsewhere = tmp_path / "ci-runner" / "checkout"
    shutil.copytree(root, elsewhere, ignore=shutil.ignore_patterns("site", "docs"))
    (elsewhere / "content/articles/2021/other.md").write_text(
        "---\ntitle: Other\ndate: 2020-01-01\nsource: X\n---\nNothing of note.\n"
    )
    _docs(elsewhere)
    assert (elsewhere / "build/docs/topics/myanmar.md").read_text() == "reused topics/myanmar.md\n"


@pytest.mark.parametrize(("page", "target"), [
    ("index.md", "topics/a.md"), ("topics/a.md", "topics/b.md"), ("topics/a.md", "articles/2021/x.md"),
    ("articles/2021/x.md", "topics/a.md"), ("articles/2021/x.md", "articles/2020/y.md"),
    ("actors/china.md", "index.md"), ("articles/2021/x.md", "articles/2021/y.md"),
])
def test_relative_links_match_posixpath(page: str, target: str) -> None:
    import posixpath

    assert relative_link(page, target) == posixpath.relpath(target, posixpath.dirname(page) or ".")


def test_a_brief_template_that_reads_the_whole_site_is_always_rendered(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    # Briefs are reused by the articles that touch their topic; this one shows every article.
    root = make_project({
        "templates/brief.md.jinja": "# {{ topic.title }}\n\n{{ site.articles|length }} articles on the site.\n",
    })
    _docs(root)
    (root / "content/articles/2021/new.md").write_text(
        "---\ntitle: New\ndate: 2021-04-01\nsource: X\n---\nNothing of note.\n"
    )
    after = _docs(root)
    assert "2 articles on the site" in (root / "build/docs/topics/myanmar.md").read_text()
    assert after == _fresh(root, tmp_path)


def test_an_edit_renders_only_the_briefs_and_actor_pages_it_touches(make_project: ProjectFactory) -> None:
    root = make_project({
        "content/actors/russia.md": "---\nname: Russia\n---\n",
        "content/topics/syria.md": "---\ntitle: Syria\naliases: [Syria]\n---\n",
        "content/articles/2021/syria.md": "---\ntitle: Syria talks\ndate: 2021-03-01\nsource: X\n"
        "actors: [russia]\n---\nRussia spoke on Syria.\n",
    })
    _docs(root)
    cache = BuildCache.open(root / "build")
    assert set(cache.pages) == {
        "index.md", "timeline.md", "actors/index.md",
        "topics/afghanistan.md", "topics/myanmar.md", "topics/syria.md", "actors/china.md", "actors/russia.md",
        "topics/afghanistan/2021.md", "topics/myanmar/2021.md", "topics/syria/2021.md",
        "articles/2021/talks.md", "articles/2021/syria.md",
        "editions/index.md", "editions/2021-w09.md", "editions/2021-w12.md",
    }
    # The edited article names Afghanistan, Myanmar and China: Syria and Russia are not touched.
    untouched = ("topics/syria.md", "topics/syria/2021.md", "actors/russia.md", "articles/2021/syria.md")
    kept = {path: cache.pages[path][0] for path in untouched}
    for path, key in kept.items():  # mark the cached pages, to see them come back
        cache.put_page(path, key, f"reused {path}\n")
    cache.save()
    # Myanmar becomes the passage's subject, so its brief quotes the passage from now on.
    _edit(root / ARTICLE, "They also discussed Myanmar.", "Burma was discussed too.")
    _docs(root)
    for path in kept:
        assert (root / "build/docs" / path).read_text() == f"reused {path}\n"
    assert "Burma was discussed too." in (root / "build/docs/topics/myanmar.md").read_text()


def _mark_cached(root: Path, path: str) -> None:
    """Replace a cached page's text under its current key: if it comes back, the page was reused."""
    cache = BuildCache.open(root / "build")
    cache.put_page(path, cache.pages[path][0], f"reused {path}\n")
    cache.save()


def test_a_project_timeline_template_that_reads_the_site_follows_every_edit(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    # It reads `site`, so it may show anything of each article (here its last passage).
    root = make_project({
        "templates/timeline.md.jinja": "# Timeline\n\n{% for entry in site.articles %}"
        "- {{ entry.article.passages[-1].text }}\n{% endfor %}\n",
    })
    _docs(root)
    _mark_cached(root, "timeline.md")
    _edit(root / ARTICLE, "They also discussed Myanmar.", "They also discussed Kabul.")
    assert _docs(root) == _fresh(root, tmp_path)
    assert "discussed Kabul" in (root / "build/docs/timeline.md").read_text()


def test_a_project_article_template_showing_a_topic_summary_follows_the_topic(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    # The regression: article pages were keyed on their topics' ids and titles only.
    root = make_project({
        "content/topics/afghanistan.md": "---\ntitle: Afghanistan\naliases: [Afghanistan]\n"
        "summary: Talks stalled.\n---\nOverview.\n",
        "templates/article.md.jinja": "# {{ article.title }}\n\n{% for topic in entry.topics %}"
        "- {{ topic.title }}: {{ topic.summary }}\n{% endfor %}\n",
    })
    _docs(root)
    assert "Afghanistan: Talks stalled." in (root / "build/docs/articles/2021/talks.md").read_text()
    _mark_cached(root, "articles/2021/talks.md")
    _edit(root / "content/topics/afghanistan.md", "Talks stalled.", "Talks resumed.")
    assert _docs(root) == _fresh(root, tmp_path)
    assert "Afghanistan: Talks resumed." in (root / "build/docs/articles/2021/talks.md").read_text()


def test_an_unchanged_page_is_reused(make_project: ProjectFactory) -> None:
    # The other half of the bargain: a key that changed on every build would never serve stale
    # pages, and would never serve any.
    root = make_project()
    _docs(root)
    for path in ("articles/2021/talks.md", "topics/myanmar.md", "timeline.md"):
        _mark_cached(root, path)
    (root / "content/articles/2021/other.md").write_text(
        "---\ntitle: Other\ndate: 2020-01-01\nsource: X\n---\nNothing of note.\n"
    )
    _docs(root)
    assert (root / "build/docs/articles/2021/talks.md").read_text() == "reused articles/2021/talks.md\n"
    assert (root / "build/docs/topics/myanmar.md").read_text() == "reused topics/myanmar.md\n"
    assert (root / "build/docs/timeline.md").read_text() != "reused timeline.md\n"  # it lists the new one


def test_an_overview_a_template_leaves_off_the_page_still_reaches_the_search_index(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    # The brief's pages come out the same, but the search index shows the overview: the site
    # must not be taken for up to date (it was, when its manifest covered the pages alone).
    root = make_project({"templates/brief.md.jinja": "# {{ topic.title }}\n"})
    assert run("build", "--project", root).exit_code == 0
    _edit(root / "content/topics/afghanistan.md", "The Afghan peace process.", "Talks in Doha resumed.")
    assert run("build", "--project", root).exit_code == 0
    copy = tmp_path / "fresh"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
    assert run("build", "--no-cache", "--project", copy).exit_code == 0
    assert tree_hashes(root / "site" / "pagefind") == tree_hashes(copy / "site" / "pagefind")


def test_every_article_of_the_demo_survives_the_cache_unchanged(caplog: pytest.LogCaptureFixture) -> None:
    from builder.content.project import load_project
    from builder.diagnostics import Diagnostics
    from builder.pipeline import plaindata
    from tests.conftest import REPO

    project = load_project(REPO, Diagnostics())
    assert project is not None and project.articles
    for article in project.articles:
        assert repr(plaindata.loads(plaindata.dumps(article))) == repr(article)


def test_a_rebuild_takes_every_article_from_the_cache(
    make_project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project()
    _docs(root)
    cache = BuildCache.open(root / "build")
    assert set(cache.entries) == {ARTICLE} and cache.entries[ARTICLE].article is not None
    assert cache.entries[ARTICLE].routes is not None
    assert "cache" not in caplog.text


def test_a_cached_passage_holds_its_text_once_where_it_reads_as_its_markdown(
    make_project: ProjectFactory,
) -> None:
    # JSON has no shared strings: read back naively, a plain paragraph's text and Markdown would
    # be two copies of the same words (most of a long archive's memory).
    root = make_project()
    with (root / ARTICLE).open("a", encoding="utf-8") as stream:
        stream.write("\nThey met *again* on Afghanistan.\n")
    _docs(root)
    cached = BuildCache.open(root / "build").entries[ARTICLE].article
    assert cached is not None
    assert [(p.text, p.text is p.markdown) for p in cached.passages] == [
        ("The two sides discussed Afghanistan.", True),
        ("They also discussed Myanmar.", True),
        ("They met again on Afghanistan.", False),
    ]
    assert [b for b in cached.blocks if isinstance(b, Passage)] == list(cached.passages)  # the same objects


def _bomb(root: Path) -> bytes:
    """100 MiB of one line that gzip squeezes into about 100 KB."""
    return gzip.compress(b"0" * (100 * 1024**2), compresslevel=1)


def _bad_lines(root: Path) -> bytes:
    """200,000 lines, none of them signed: one warning, not 200,000."""
    return gzip.compress(b"".join(b"%064x {}\n" % number for number in range(200_000)))


def _inflating(root: Path) -> bytes:
    """Signed lines (with this machine's key), repeated until they inflate far past what JSON does."""
    header = plaindata.dumps(["briefdesk-cache", CACHE_FORMAT, code_fingerprint()]).encode()
    page = b'["page","index.md","k","' + b"x" * 200 + b'"]'
    lines = [cache_key().sign(text).encode() + b" " + text + b"\n" for text in (header, page)]
    return gzip.compress(lines[0] + lines[1] * 400_000, compresslevel=9)


@pytest.mark.parametrize(("damage", "said"), [
    (_bomb, "entry 1 is over the 64 MiB limit; building without the cache"),
    (_bad_lines, "made with another cache key"),
    (_inflating, "it inflates to more than 100 times its size; building without the cache"),
])
def test_a_hostile_cache_file_costs_one_line_and_little_time(
    make_project: ProjectFactory, caplog: pytest.LogCaptureFixture, damage: Callable[[Path], bytes], said: str
) -> None:
    root = make_project()
    (root / "build" / CACHE_FILE).parent.mkdir(parents=True)
    (root / "build" / CACHE_FILE).write_bytes(damage(root))
    caplog.set_level("INFO", logger="builder.pipeline.cache")
    result = run("build", "--markdown-only", "--project", root)
    assert result.exit_code == 0, result.output
    cache_lines = [r for r in caplog.records if r.name == "builder.pipeline.cache"]
    assert len(cache_lines) == 1 and said in cache_lines[0].getMessage(), caplog.text
    warned = sum(r.levelname == "WARNING" for r in cache_lines)
    assert f"with {warned} warning{'' if warned == 1 else 's'}: build/docs/" in result.stderr


def test_a_cache_over_the_entry_limit_after_a_good_header_is_given_up(
    make_project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project()
    _docs(root)
    lines = _cache_lines(root)
    text = '["page","index.md","k","' + "x" * (65 * 1024**2) + '"]'
    _write_cache_lines(root, [lines[0], f"{cache_key().sign(text.encode())} {text}\n", *lines[1:]])
    _edit(root / ARTICLE, "Talks in Guilin", "Talks in Guilin, again")
    result = run("build", "--markdown-only", "--project", root)
    assert result.exit_code == 0, result.output
    assert "entry 2 is over the 64 MiB limit; building without the cache" in caplog.text
    assert "with 1 warning: build/docs/" in result.stderr


def test_temporary_files_of_a_killed_save_are_removed(make_project: ProjectFactory) -> None:
    root = make_project()
    _docs(root)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = root / "build" / f"{CACHE_FILE}.{int(dead.stdout)}.tmp"
    leftover.write_bytes(b"half a cache")
    live = root / "build" / f"{CACHE_FILE}.{os.getppid()}.tmp"  # a live process's save is left alone
    live.write_bytes(b"being written")
    _edit(root / ARTICLE, "Talks in Guilin", "Talks in Guilin, again")
    _docs(root)
    assert not leftover.exists()
    assert live.exists()


def test_a_digest_of_parts_streamed_is_the_digest_of_them_held() -> None:
    from builder.pipeline.keys import digest_of, digest_of_all

    parts = ["index.md\0# Home", b"\x00bytes", "", "output\0feed.xml"]
    assert digest_of_all(iter(parts)) == digest_of(*parts)
    assert digest_of_all(iter(parts)) != digest_of(*parts[:-1], parts[-1] + "x")
    assert digest_of_all(["ab", "c"]) != digest_of_all(["a", "bc"])  # parts stay apart
