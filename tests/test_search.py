"""Search index: records from the content model, the Pagefind bundle, determinism and failures."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from bench import corpus
from builder.briefs.assembly import Site, assemble
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.pipeline.pipeline import route_articles
from builder.search.bundle import SIGNATURE, decode, encode, normalise, pack, pagefind_hash, unpack
from builder.search.index import (
    BUNDLE,
    YIELD_TO_MKDOCS,
    Cancelled,
    IndexJob,
    Lanes,
    _yield_cpu,
    bundle_files,
    index_site,
)
from builder.search.records import FILTERS, SearchRecord, record_html, search_records
from builder.search.words import _array_head
from builder.urls import page_url
from tests.conftest import REPO, ProjectFactory, copy_demo, run
from tests.sitecheck import tree_hashes

DRAFT = {
    "content/articles/2021/secret.md": """\
        ---
        title: Unpublished draft
        date: 2021-05-01
        source: CGTN
        topics: [afghanistan]
        draft: true
        ---
        The zanzibarian quokka phrase appears only in this draft about Afghanistan.
        """,
}


def assembled(root: Path) -> Site:
    diagnostics = Diagnostics()
    project = load_project(root, diagnostics)
    assert project is not None, diagnostics
    return assemble(project, route_articles(project))


def by_url(records: Iterable[SearchRecord]) -> dict[str, SearchRecord]:
    return {record.url: record for record in records}


# --- Records: pure, no Pagefind -----------------------------------------------------------------


def test_source_kind_is_a_filter_only_when_the_registry_exists(make_project: ProjectFactory) -> None:
    plain = by_url(search_records(assembled(make_project())))
    assert "source_kind" not in plain["/articles/2021/talks/"].filters
    config = "site_name: Test desk\nsources:\n  CGTN: {kind: state media, country: China}\n"
    described = by_url(search_records(assembled(make_project({"site_config.yml": config}))))
    assert described["/articles/2021/talks/"].filters["source_kind"] == ("state media",)
    assert "source_kind" not in described["/topics/afghanistan/"].filters


def test_every_brief_and_article_page_is_one_record(make_project: ProjectFactory) -> None:
    records = by_url(search_records(assembled(make_project())))
    assert sorted(records) == [
        "/articles/2021/talks/",
        "/topics/afghanistan/",
        "/topics/afghanistan/2021/",
        "/topics/myanmar/",
        "/topics/myanmar/2021/",
    ]
    archive = records["/topics/myanmar/2021/"]  # a yearly archive: found by its title, filtered by year
    assert (archive.title, archive.meta) == ("Myanmar: 2021", {"kind": "archive", "date": "2021-03-22"})
    assert archive.filters == {"topic": ("Myanmar",), "year": ("2021",)}
    brief = records["/topics/myanmar/"]  # counted under each year it has articles of
    assert brief.filters == {"topic": ("Myanmar",), "year": ("2021",)}
    article = records["/articles/2021/talks/"]
    assert article.title == "Talks in Guilin"
    assert article.meta == {"kind": "article", "date": "2021-03-22", "source": "CGTN"}
    assert article.sorts == {}
    assert [(p.number, p.text) for p in article.passages] == [
        (1, "The two sides discussed Afghanistan."),
        (2, "They also discussed Myanmar."),
    ]
    brief = records["/topics/afghanistan/"]
    assert brief.title == "Afghanistan"
    assert brief.meta == {"kind": "brief", "date": "2021-03-22"}
    assert brief.filters == {"topic": ("Afghanistan",), "year": ("2021",)}
    assert brief.passages == ()
    assert "The Afghan peace process." in brief.lead  # the overview


def test_passages_are_headed_by_their_anchor_in_the_html_pagefind_reads(make_project: ProjectFactory) -> None:
    records = by_url(search_records(assembled(make_project())))
    html = record_html(records["/articles/2021/talks/"], "en")
    # A heading with an id before each passage is what makes Pagefind a sub-result `…/#p-N`.
    assert '<h2 id="p-1">¶ 1</h2><p>The two sides discussed Afghanistan.</p>' in html
    assert '<h2 id="p-2">¶ 2</h2><p>They also discussed Myanmar.</p>' in html
    assert '<meta data-pagefind-filter="topic[content]" content="Myanmar">' in html
    assert '<meta data-pagefind-meta="date[content]" content="2021-03-22">' in html
    assert "data-pagefind-sort" not in html  # no client of ours sorts: see builder.search.records
    brief = record_html(records["/topics/afghanistan/"], "en")
    assert '<h1 data-pagefind-meta="title" data-pagefind-weight="10">Afghanistan</h1>' in brief


def test_record_html_escapes_what_the_content_says(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/articles/2021/talks.md": """\
                ---
                title: "<script>alert(1)</script> & co"
                date: 2021-03-22
                source: 'Say "cheese"'
                topics: [afghanistan]
                ---
                Afghanistan <b>bold</b> & "quoted".
                """
        }
    )
    html = record_html(by_url(search_records(assembled(root)))["/articles/2021/talks/"], "en")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert 'content="Say &quot;cheese&quot;"' in html


def test_filters_have_the_contract_names_and_values(make_project: ProjectFactory) -> None:
    records = by_url(search_records(assembled(make_project())))
    assert records["/articles/2021/talks/"].filters == {
        "topic": ("Afghanistan", "Myanmar"),
        "actor": ("China",),
        "source": ("CGTN",),
        "year": ("2021",),
    }
    for record in records.values():
        assert set(record.filters) <= set(FILTERS)
        assert all(len(year) == 4 and year.isdigit() for year in record.filters.get("year", ()))


def test_a_topic_found_only_by_routing_files_the_article_under_it(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/articles/2021/talks.md": """\
                ---
                title: Talks in Guilin
                date: 2021-03-22
                source: CGTN
                topics: [afghanistan]
                ---
                The two sides discussed Myanmar.
                """
        }
    )
    article = by_url(search_records(assembled(root)))["/articles/2021/talks/"]
    assert set(article.filters["topic"]) == {"Myanmar", "Afghanistan"}


def test_drafts_are_never_records(make_project: ProjectFactory) -> None:
    records = list(search_records(assembled(make_project(DRAFT))))
    assert records
    assert not [r for r in records if "secret" in r.url or any("quokka" in p.text for p in r.passages)]


def test_a_brief_without_articles_has_no_date(make_project: ProjectFactory) -> None:
    root = make_project({"content/articles/2021/talks.md": None})
    brief = by_url(search_records(assembled(root)))["/topics/myanmar/"]
    assert "date" not in brief.meta
    assert 'data-pagefind-meta="date' not in record_html(brief, "en")


@pytest.mark.slow
def test_indexing_works_inside_a_running_event_loop(make_project: ProjectFactory, tmp_path: Path) -> None:
    site = assembled(make_project())

    async def inside_a_loop() -> int:
        return index_site(site, tmp_path)  # as under Playwright's sync API or in a notebook

    assert asyncio.run(inside_a_loop()) == 5  # two briefs, their 2021 archives, one article
    assert (tmp_path / BUNDLE / "pagefind-entry.json").is_file()


def test_background_index_matches_the_direct_one(make_project: ProjectFactory, tmp_path: Path) -> None:
    site = assembled(make_project())
    index_site(site, tmp_path / "direct")
    records, seconds = IndexJob(site).write(tmp_path / "background")
    assert records == 5 and seconds > 0
    assert tree_hashes(tmp_path / "background") == tree_hashes(tmp_path / "direct")


def pagefind_children() -> list[int]:
    """Pagefind processes started by this test process (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
        except OSError:
            continue  # the process ended while we looked
        name, fields = rest.rsplit(") ", 1)
        if "pagefind" in name and int(fields.split()[1]) == os.getpid():
            found.append(int(pid))
    return found


def test_cancelled_index_stops_pagefind_and_writes_nothing(make_project: ProjectFactory, tmp_path: Path) -> None:
    # A build whose MkDocs fails cancels the index it started beside it.
    root = make_project()
    for number in range(300):  # enough records that indexing is still running when it is cancelled
        (root / f"content/articles/2021/extra-{number}.md").write_text(
            f"---\ntitle: Extra {number}\ndate: 2021-03-01\nsource: CGTN\n---\n"
            + "\n\n".join(f"Paragraph {p} about Afghanistan." for p in range(20))
        )
    job = IndexJob(assembled(root))
    job.cancel()
    assert pagefind_children() == []
    with pytest.raises(Cancelled):
        job.write(tmp_path)
    assert not (tmp_path / BUNDLE).exists()


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="CPU priorities per thread are Linux's")
def test_indexing_beside_mkdocs_yields_the_cpu_to_it() -> None:
    # Only the indexing thread (and the Pagefind it starts) is lowered, never the build's own.
    seen: list[int] = []

    def indexing_thread() -> None:
        _yield_cpu(YIELD_TO_MKDOCS)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, 0)
    worker = threading.Thread(target=indexing_thread)
    worker.start()
    worker.join()
    assert seen == [min(before + YIELD_TO_MKDOCS, 19)]
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


# --- Shards: Pagefind run once per SHARD_RECORDS records, the bundles merged ---------------------


def unpacked(files: dict[str, bytes]) -> dict[str, bytes]:
    """A bundle's files with the data files' gzip taken off (compression is not content)."""
    data = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
    return {path: unpack(body) if path.endswith(data) else body for path, body in files.items()}


def with_date_sort(records: Iterable[SearchRecord]) -> list[SearchRecord]:
    """The records with a Pagefind `date` sort (ours have none), to merge sorts too."""
    return [replace(record, sorts={"date": record.meta["date"]}) if "date" in record.meta else record
            for record in records]


@pytest.mark.slow
def test_shards_merge_into_the_bundle_of_one_pagefind_run() -> None:
    # The demo: 78 records with diacritic variants (Brasília), topics, actors and dates in every
    # shard. Same files, same names (content hashes), same bytes once decompressed.
    site = assembled(REPO)
    records = with_date_sort(search_records(site))
    language = site.project.config.language
    whole = unpacked(bundle_files(records, language, shard_records=None))  # one Pagefind run
    for size in (7, 40):
        assert unpacked(bundle_files(records, language, shard_records=size)) == whole, size


@pytest.mark.slow
def test_shards_indexed_two_at_a_time_come_back_in_order() -> None:
    # Once MkDocs has exited the build runs one Pagefind per core: shards that finish out of
    # order still merge into the bundle of one run, and the kept shards are the same ones.
    records = with_date_sort(search_records(assembled(REPO)))
    whole = unpacked(bundle_files(records, "en", shard_records=None))
    lanes = Lanes()
    lanes.widen(2)  # before the indexing starts, as when MkDocs was quick: three at a time
    assert unpacked(bundle_files(records, "en", shard_records=5, lanes=lanes)) == whole


def test_shards_whose_pages_have_different_meta_fields_merge_too(make_project: ProjectFactory) -> None:
    records = with_date_sort(search_records(assembled(make_project())))
    # The first shard holds the two briefs (no `source`), the others the archives and the article:
    # the meta-field numbers in their word postings differ and are renumbered.
    assert [record.meta.get("kind") for record in records[:2]] == ["brief", "brief"]
    assert all("source" not in record.meta for record in records[:2]) and "source" in records[-1].meta
    whole = unpacked(bundle_files(records, "en", shard_records=None))
    assert unpacked(bundle_files(records, "en", shard_records=2)) == whole


@pytest.mark.slow
def test_word_chunks_merged_in_several_processes_are_the_bytes_of_one(tmp_path: Path) -> None:
    # 300 generated articles in shards of 100: each shard's words span several chunks, so the
    # word range is cut inside chunks, at prefixes, where a word could be lost or merged twice.
    corpus.generate(300, tmp_path)
    records = list(search_records(assembled(tmp_path)))
    alone = bundle_files(records, "en", shard_records=100, jobs=1)
    chunks = [path for path in alone if path.startswith("index/")]
    assert len(chunks) >= 12, chunks
    assert bundle_files(records, "en", shard_records=100, jobs=2) == alone  # gzip'd bytes too


def test_array_heads_are_cbor2s_shortest_forms() -> None:
    for length in (0, 1, 23, 24, 255, 256, 65_535, 65_536):
        whole = encode([0] * length)
        assert _array_head(length) == whole[: len(whole) - length], length


# --- The bundle codec ----------------------------------------------------------------------------


def test_cbor_round_trip_and_shortest_forms() -> None:
    value = [0, 23, 24, 255, 256, 65536, 2**32, -1, -25, "Myanmar’s", b"\x00", [], {"a": [True, None]}]
    assert decode(encode(value)) == value
    assert encode([1, "a", -1, 1000]) == bytes.fromhex("840161612019" + "03e8")


def test_normalise_sorts_filter_values_and_renames_the_files_that_change() -> None:
    unsorted = encode(["topic", [["Myanmar", [1]], ["Afghanistan", [0, 2]]]])
    meta = encode(["1.5.2", [["en_1234567", 9]], [], [["year", "en_b"], ["topic", "en_a"]], [], ["title"]])
    files = {
        "pagefind-entry.json": b'{"version":"1.5.2","languages":{"en":{"hash":"en_old","wasm":"en","page_count":1}}}',
        "pagefind.en_old.pf_meta": pack(meta),
        "filter/en_a.pf_filter": pack(unsorted),
        "filter/en_b.pf_filter": pack(encode(["year", [["2021", [0, 1, 2]]]])),
        "fragment/en_1234567.pf_fragment": b"kept as it is",
    }
    year_body = unpack(files["filter/en_b.pf_filter"])
    out = normalise(files)
    entry = json.loads(out["pagefind-entry.json"])
    new_meta = decode(unpack(out[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"]))
    assert isinstance(new_meta, list)
    sorted_body = encode(["topic", [["Afghanistan", [0, 2]], ["Myanmar", [1]]]])
    topic_file = f"en_{pagefind_hash(sorted_body)[:7]}"
    assert new_meta[3] == [["topic", topic_file], ["year", f"en_{pagefind_hash(year_body)[:7]}"]]
    assert unpack(out[f"filter/{topic_file}.pf_filter"]) == sorted_body
    assert entry["languages"]["en"]["hash"] == f"en_{pagefind_hash(encode(new_meta))[:10]}"
    assert "pagefind.en_old.pf_meta" not in out and "filter/en_a.pf_filter" not in out
    assert out["fragment/en_1234567.pf_fragment"] == b"kept as it is"
    assert normalise(out) == out  # already stable


def test_pagefind_hash_drops_leading_zeros_of_each_byte_as_pagefind_does() -> None:
    # SHA-1 of b"" is da39a3ee5e6b4b0d3255bfef95601890afd80709: its bytes 0d, 07 and 09 lose their 0.
    assert hashlib.sha1(b"").hexdigest() == "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


# --- A real build of the demo site ---------------------------------------------------------------



def filter_values(bundle: Path) -> dict[str, list[str]]:
    """Every filter's values as written in `bundle`, in file order."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for info in entry["languages"].values():
        meta = decode(unpack((bundle / f"pagefind.{info['hash']}.pf_meta").read_bytes()))
        assert isinstance(meta, list) and isinstance(meta[3], list)
        for name, file_hash in meta[3]:  # type: ignore[misc]
            record = decode(unpack((bundle / "filter" / f"{file_hash}.pf_filter").read_bytes()))
            assert isinstance(record, list) and record[0] == name and isinstance(record[1], list)
            found[str(name)] = [str(value[0]) for value in record[1]]  # type: ignore[index]
    return found


def fragments(bundle: Path) -> list[dict[str, object]]:
    """Every indexed record as Pagefind stored it (gzip'd JSON after Pagefind's signature)."""
    found = []
    for path in sorted((bundle / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE)
        found.append(json.loads(raw[len(SIGNATURE) :]))
    return found


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo project built twice, in two folders."""
    roots = []
    for name in ("first", "second"):
        root = copy_demo(tmp_path_factory.mktemp(name) / "project")
        result = run("build", "--project", root)
        assert result.exit_code == 0, result.output
        roots.append(root)
    return roots[0], roots[1]


@pytest.mark.slow
def test_the_index_and_the_ui_files_are_in_the_site(demo_builds: tuple[Path, Path]) -> None:
    bundle = demo_builds[0] / "site" / "pagefind"
    for name in ("pagefind.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").iterdir()) and list((bundle / "fragment").iterdir())
    assert (demo_builds[0] / "site" / "assets" / "briefdesk" / "briefdesk-search.js").is_file()
    page = (demo_builds[0] / "site" / "topics" / "afghanistan" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/briefdesk/briefdesk-search.js"></script>' in page
    assert 'class="bd-search__trigger"' in page and "<noscript>" in page
    assert "pagefind-component-ui" not in page  # our own dialog, over Pagefind's JS API
    assert "https://" not in page.split("data-bd-search")[1].split("</noscript>")[0]


@pytest.mark.slow
def test_one_record_per_page_with_passage_anchors(demo_builds: tuple[Path, Path]) -> None:
    root = demo_builds[0]
    site = root / "site"
    stored = fragments(site / "pagefind")
    urls = [str(fragment["url"]) for fragment in stored]
    model = assembled(root)
    assert sorted(urls) == sorted(
        ["/" + page_url(brief.topic.page) for brief in model.briefs]
        + ["/" + page_url(year.page) for year in model.archives]
        + ["/" + page_url(page.article.page) for page in model.articles]
    )
    for fragment in stored:  # every record's page exists, and every passage anchor on it
        page = (site / str(fragment["url"]).lstrip("/") / "index.html").read_text(encoding="utf-8")
        anchors = fragment["anchors"]
        assert isinstance(anchors, list)
        for anchor in anchors:
            assert re.fullmatch(r"p-\d+", anchor["id"]) and anchor["element"] == "h2", anchor
            assert f'id="{anchor["id"]}"' in page, (fragment["url"], anchor)
        if str(fragment["url"]).startswith("/articles/"):
            assert anchors, fragment["url"]


@pytest.mark.slow
def test_filters_are_exactly_the_contract(demo_builds: tuple[Path, Path]) -> None:
    root = demo_builds[0]
    site = assembled(root)
    values = filter_values(root / "site" / "pagefind")
    assert sorted(values) == ["actor", "source", "source_kind", "topic", "year"]  # the demo keeps a registry
    assert set(values["source_kind"]) == {site.project.config.sources[p.article.source].kind for p in site.articles}
    assert set(values["topic"]) == {brief.topic.title for brief in site.briefs}
    assert set(values["actor"]) <= {actor.name for actor in site.project.actors.values()}
    assert set(values["source"]) == {page.article.source for page in site.articles}
    assert values["year"] == sorted({f"{page.article.date.year:04d}" for page in site.articles})
    for name, listed in values.items():  # stable order: sorted by UTF-8 bytes, as Rust sorts
        assert listed == sorted(listed, key=lambda v: v.encode("utf-8")), name


@pytest.mark.slow
def test_drafts_are_not_in_the_index(demo_builds: tuple[Path, Path]) -> None:
    root = demo_builds[0]
    diagnostics = Diagnostics()
    project = load_project(root, diagnostics)
    assert project is not None
    drafts = [article for article in project.articles if article.draft]
    assert drafts, "the demo has a draft to test with"
    stored = json.dumps(fragments(root / "site" / "pagefind"), ensure_ascii=False)
    for draft in drafts:
        assert f"/{draft.slug}/" not in stored
        assert draft.title not in stored


@pytest.mark.slow
def test_two_builds_give_a_byte_identical_index(demo_builds: tuple[Path, Path]) -> None:
    first, second = (root / "site" / "pagefind" for root in demo_builds)
    assert tree_hashes(first) == tree_hashes(second)


@pytest.mark.slow
def test_a_pagefind_failure_keeps_the_previous_site(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_project()
    assert run("build", "--project", root).exit_code == 0
    before = tree_hashes(root / "site")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: out of cheese' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    article = root / "content/articles/2021/talks.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert "search: Pagefind could not build the index: the Pagefind binary exited: pagefind: out of cheese" in (
        result.output
    )
    assert tree_hashes(root / "site") == before


@pytest.mark.slow
def test_a_missing_pagefind_binary_is_a_clear_error(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_project()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert "search: " in result.output and "Pagefind" in result.output
    assert not (root / "site").exists()
