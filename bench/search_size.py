"""Search size benchmark: Pagefind's index against MkDocs' lunr index, on a generated site.

    python -m bench.search_size [--articles 10000] [--workdir DIR [--reuse]] [--no-reindex] [--output FILE]

Generates a project of N articles with `bench.corpus`, builds it with Briefdesk (MkDocs, then the
Pagefind index), builds the same Markdown again with MkDocs and Material's own search plugin (lunr),
indexes the project once more on its own (the search stage's time and peak memory, and a check that
the index comes out byte-identical), then reports:

- the Pagefind index on disk (bytes and files, data and UI assets apart);
- what a browser downloads for a first query: headless Chromium opens the home page, presses "/",
  enters a query and waits for the results and the facet counts; every response from pagefind/
  after the page load is counted, as raw bytes and as served by a host that gzips text (Pagefind's
  data files are gzip'd already and count as they are);
- the same for an index of the briefs and article pages only (no passage records), for comparison;
- lunr's `search/search_index.json`, plain and gzip'd, which Material has every reader download.

Not a test: it takes long (two full MkDocs builds) and needs Chromium. Results go to SEARCH.md.
`--reuse` with `--workdir` skips the generation and the builds a previous run left there.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.corpus import generate, generate_article
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

DEFAULT_OUTPUT = Path(__file__).with_name("SEARCH.md")
TARGET = 300 * 1024
"""The issue's budget for a first query at 10,000 articles, in bytes."""
_COMPRESSED = (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment", ".pagefind")
"""Pagefind's own gzip'd files: a host serves them as they are."""


@dataclass(slots=True)
class Transfer:
    """Bytes one query downloaded, by kind of file."""

    raw: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    served: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    requests: int = 0
    seconds: float = 0.0
    """From entering the query to the first result and the facet counts on screen."""

    def add(self, url: str, body: bytes) -> None:
        kind = _kind(url)
        self.raw[kind] += len(body)
        self.served[kind] += len(body) if url.endswith(_COMPRESSED) else len(gzip.compress(body, 6, mtime=0))
        self.requests += 1


def _kind(url: str) -> str:
    name = url.split("?")[0].rsplit("/pagefind/", 1)[-1]
    for prefix, kind in (("fragment/", "fragments"), ("index/", "word index"), ("filter/", "filters")):
        if name.startswith(prefix):
            return kind
    if name.endswith(".pf_meta"):
        return "metadata"
    if name.endswith(".pagefind"):
        return "wasm"
    return "scripts and entry"


def _dir_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _du(folder: Path) -> int:
    """Bytes on disk (file system blocks), as `du` counts them."""
    out = subprocess.run(["du", "-sb", "--apparent-size", str(folder)], capture_output=True, text=True)
    apparent = int(out.stdout.split()[0]) if out.returncode == 0 else 0
    blocks = subprocess.run(["du", "-sB1", str(folder)], capture_output=True, text=True)
    return int(blocks.stdout.split()[0]) if blocks.returncode == 0 else apparent


def build_briefdesk(project: Path) -> dict[str, Any]:
    """Build with Briefdesk in-process; return the stage times and Pagefind's peak memory."""
    from builder.diagnostics import Diagnostics
    from builder.pipeline import BuildOptions, build

    peak = _PeakChildMemory()
    with peak:
        started = time.perf_counter()
        report = build(BuildOptions(root=project), Diagnostics())
        seconds = time.perf_counter() - started
    return {"stages": dict(report.stages), "seconds": seconds, "articles": report.articles, "peak": peak.peak}


class _PeakChildMemory:
    """Sample the resident memory of child processes named pagefind while a block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _PeakChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        try:
            import psutil  # type: ignore[import-untyped]  # a test dependency, for this sampling only
        except ImportError:
            return
        me = psutil.Process()
        while not self._stop.wait(0.25):
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if "pagefind" in child.name():
                        self.peak = max(self.peak, child.memory_info().rss)


def index_again(project: Path, out: Path) -> dict[str, Any]:
    """Index the built project once more on its own: the search stage's time and peak memory,
    and a check that the index comes out byte-identical at this size."""
    from builder.assembly import assemble
    from builder.diagnostics import Diagnostics
    from builder.pipeline import route_articles
    from builder.project import load_project
    from builder.search import index_site

    loaded = load_project(project, Diagnostics())
    assert loaded is not None
    site = assemble(loaded, route_articles(loaded))
    peak = _PeakChildMemory()
    with peak:
        started = time.perf_counter()
        records = index_site(site, out)
        seconds = time.perf_counter() - started
    built = project / "site" / "pagefind"
    identical = _tree(out / "pagefind") == _tree(built)
    return {"seconds": seconds, "peak": peak.peak, "records": records, "identical": identical}


def _tree(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def build_lunr(project: Path, out: Path) -> float:
    """Build the same Markdown with MkDocs and Material's search plugin; return the seconds taken."""
    config = yaml.safe_load((project / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["strict"] = False
    lunr_config = project / "build" / "mkdocs-lunr.yml"
    lunr_config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(lunr_config), "--site-dir", str(out)],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return time.perf_counter() - started


class _Recorder:
    """Keep responses from pagefind/ (and our search assets): page load first, then the query.

    Bodies are read afterwards: a blocking Playwright call inside its own event callback, while
    the main thread waits in another one, can stall.
    """

    def __init__(self) -> None:
        self.loaded: list[Any] = []
        self.query: list[Any] = []
        self.querying = False

    def record(self, response: Any) -> None:
        if "/pagefind/" in response.url or "briefdesk-search" in response.url:
            (self.query if self.querying else self.loaded).append(response)

    @staticmethod
    def total(responses: Sequence[Any]) -> Transfer:
        transfer = Transfer()
        for response in responses:
            with contextlib.suppress(Exception):  # a response the page dropped has no body
                transfer.add(response.url, response.body())
        return transfer


QUERY_TIMEOUT = 300_000
"""Milliseconds a query may take before it is reported as timed out (with what it downloaded)."""


def measure_queries(site: Path, queries: Sequence[str]) -> tuple[Transfer, dict[str, Transfer]]:
    """Page-load search assets, and what each query downloads from pagefind/ in a fresh browser."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    per_query: dict[str, Transfer] = {}
    page_load = Transfer()
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for number, query in enumerate(queries):
                context = browser.new_context()  # an empty cache for every query
                page = context.new_page()
                recorder = _Recorder()
                page.on("response", recorder.record)
                page.goto(base)
                page.wait_for_selector(".bd-search--ready", timeout=60_000)
                page.wait_for_load_state("networkidle")
                recorder.querying = True
                started = time.perf_counter()
                page.keyboard.press("/")
                page.fill("pagefind-input input", query)
                seconds: float | None = None
                with contextlib.suppress(PlaywrightTimeout):
                    page.wait_for_function(
                        """() => document.querySelector("pagefind-results li.pf-result .pf-result-link")
                            && document.querySelector(".pf-filter-checkbox-count")""",
                        timeout=QUERY_TIMEOUT,
                        polling=500,
                    )
                    seconds = time.perf_counter() - started
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1000)
                page.remove_listener("response", recorder.record)
                transfer = _Recorder.total(recorder.query)
                transfer.seconds = seconds if seconds is not None else float("nan")
                per_query[query] = transfer
                if number == 0:
                    page_load = _Recorder.total(recorder.loaded)
                context.close()
        finally:
            browser.close()
    return page_load, per_query


def pick_queries() -> list[str]:
    """A topic name, a phrase many articles use, and six words of one paragraph of article #17."""
    from builder.passages import split_passages

    body = generate_article(17).text.split("\n---\n", 1)[1]
    passages, _ = split_passages(body)
    paragraph = next(p for p in passages[2:] if p.kind == "paragraph")
    return ["Afghanistan", "grain exports", " ".join(paragraph.text.split()[3:9])]


def _seconds(value: float) -> str:
    return "timed out (300 s)" if value != value else f"{value:.1f} s"  # NaN: timed out


def _kb(value: int) -> str:
    return f"{value / 1024:,.1f} KB"


def pages_only_variant(project: Path) -> tuple[Path, int]:
    """For comparison: an index of the briefs and article pages only, without passage records.

    Not what the product contract asks for (passages are records of their own); measured so that
    the cost of passage records is known. Returns the bundle's folder and its record count.
    """
    from builder.assembly import assemble
    from builder.diagnostics import Diagnostics
    from builder.pipeline import route_articles
    from builder.project import load_project
    from builder.search import bundle_files, search_records
    from builder.searchbundle import write_bundle

    loaded = load_project(project, Diagnostics())
    assert loaded is not None
    records = [r for r in search_records(assemble(loaded, route_articles(loaded))) if "#p-" not in r.url]
    bundle = project / "pagefind-pages-only"
    write_bundle(bundle_files(records, loaded.config.language), bundle)
    return bundle, len(records)


@dataclass(slots=True)
class Variant:
    """One index measured: on disk and in the browser."""

    name: str
    bundle: Path
    records: int
    page_load: Transfer
    queries: dict[str, Transfer]


def _disk_rows(variant: Variant) -> list[str]:
    total, files = _dir_size(variant.bundle)
    meta = sum(p.stat().st_size for p in variant.bundle.glob("*.pf_meta"))
    data = meta + sum(_dir_size(variant.bundle / d)[0] for d in ("fragment", "index", "filter"))
    blocks = _du(variant.bundle) / 2**20
    return [
        f"| {variant.name}: pagefind/ (all) | {_kb(total)} ({blocks:,.1f} MiB in blocks) | {files:,} |",
        f"| {variant.name}: index data (metadata, word index, filters, fragments) | {_kb(data)} | |",
        f"| {variant.name}: metadata file (one entry per record) | {_kb(meta)} | 1 |",
        f"| {variant.name}: filter files | {_kb(_dir_size(variant.bundle / 'filter')[0])} | |",
    ]


def _query_rows(variant: Variant) -> list[str]:
    rows = []
    for query, transfer in variant.queries.items():
        served = sum(transfer.served.values())
        without_facets = served - transfer.served.get("filters", 0)
        rows.append(
            f"| {variant.name} | `{query}` | {_kb(sum(transfer.raw.values()))} | {_kb(served)} | "
            f"{_kb(without_facets)} | {transfer.requests} | {_seconds(transfer.seconds)} | "
            f"{'yes' if served < TARGET else '**no**'} |"
        )
    return rows


def _kind_rows(variant: Variant, kinds: Sequence[str]) -> list[str]:
    return [
        f"| {variant.name} | `{query}` | "
        + " | ".join(_kb(transfer.served.get(kind, 0)) for kind in kinds)
        + " |"
        for query, transfer in variant.queries.items()
    ]


def _reindex_line(again: dict[str, Any]) -> str:
    if not again:
        return "- **search stage on its own**: not measured in this run (see the notes below)"
    return (
        f"- **search stage on its own**: {again['seconds']:.0f} s for {again['records']:,} records; "
        f"Pagefind's peak memory {again['peak'] / 2**30:,.1f} GiB (sampled every 0.25 s); the index came "
        f"out {'byte-identical to' if again['identical'] else '**different from**'} the build's"
    )


def report(
    args: argparse.Namespace,
    build: dict[str, Any],
    again: dict[str, Any],
    variants: Sequence[Variant],
    lunr: Path,
) -> str:
    """SEARCH.md: the measurements as Markdown tables."""
    lunr_raw = lunr.read_bytes()
    lunr_gz = len(gzip.compress(lunr_raw, 9, mtime=0))
    main = variants[0]
    lines = [
        "# Search size: Pagefind (passage records) against MkDocs' lunr",
        "",
        "Written by `python -m bench.search_size`; its docstring gives the method.",
        "",
        f"- **date**: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- **machine**: {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- **corpus**: `bench.corpus`, {args.articles:,} articles generated, "
        f"{build['articles']:,} published, {main.records:,} search records",
        f"- **Briefdesk build** (MkDocs, then Pagefind): {build['seconds']:.0f} s in all",
        _reindex_line(again),
        f"- **lunr build** (MkDocs with Material's search plugin, same Markdown): "
        f"{build['lunr_seconds']:.0f} s",
        "",
        "## On disk",
        "",
        "| what | size | files |",
        "|---|---|---|",
    ]
    for variant in variants:
        lines += _disk_rows(variant)
    lines += [
        f"| lunr: search/search_index.json | {_kb(len(lunr_raw))} | 1 |",
        f"| lunr: search_index.json gzip'd | {_kb(lunr_gz)} | |",
        "",
        "## What a browser downloads",
        "",
        "*Served* is what a host that gzips text sends. *Without facets* leaves out the filter files, "
        "which only the facet counts need. *Time to results*: from entering the query to the first "
        "result and the facet counts on screen, in headless Chromium on this machine. "
        "The page load row is what every page loads for search "
        "(Pagefind's Component UI script and stylesheet, ours), cached after the first page.",
        "",
        "| index | download | raw | served | without facets | requests | time to results | "
        "served under 300 KB? |",
        "|---|---|---|---|---|---|---|---|",
        f"| {main.name} | page load: search assets | {_kb(sum(main.page_load.raw.values()))} | "
        f"{_kb(sum(main.page_load.served.values()))} | | {main.page_load.requests} | | |",
    ]
    for variant in variants:
        lines += _query_rows(variant)
    verdict = "yes" if lunr_gz < TARGET else "**no**"
    lines += [
        f"| lunr | search_index.json, on every reader's first page | {_kb(len(lunr_raw))} | {_kb(lunr_gz)} "
        f"| | 1 | | {verdict} |",
    ]
    kinds = sorted({kind for v in variants for transfer in v.queries.values() for kind in transfer.served})
    lines += [
        "",
        "### First query, served bytes by kind of file",
        "",
        "| index | query | " + " | ".join(kinds) + " |",
        "|---|---|" + "---|" * len(kinds),
    ]
    for variant in variants:
        lines += _kind_rows(variant, kinds)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_size", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate (10,000)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown results file")
    parser.add_argument("--reuse", action="store_true", help="reuse the builds left in --workdir by a run")
    parser.add_argument("--no-reindex", action="store_true", help="skip timing the search stage on its own")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefdesk-search-size-"))
    project = work / "project"
    saved = work / "build.json"
    try:
        if args.reuse and saved.exists():
            build = json.loads(saved.read_text(encoding="utf-8"))
            _log(f"reusing the project, site and lunr site built in {work}")
        else:
            _log(f"generating {args.articles:,} articles in {project}")
            generate(args.articles, project)
            _log("building with Briefdesk (MkDocs, then Pagefind)")
            build = build_briefdesk(project)
            _log(f"built in {build['seconds']:.0f} s; building the same Markdown with MkDocs' lunr search")
            build["lunr_seconds"] = build_lunr(project, work / "lunr-site")
            saved.write_text(json.dumps(build), encoding="utf-8")
        lunr_site = work / "lunr-site"
        cached = work / "reindex.json"
        if args.reuse and cached.exists():
            again = json.loads(cached.read_text(encoding="utf-8"))
        elif args.no_reindex:
            again = {}
        else:
            _log("indexing the project again on its own, for the search stage's time and memory")
            shutil.rmtree(work / "reindex", ignore_errors=True)
            again = index_again(project, work / "reindex")
            shutil.rmtree(work / "reindex", ignore_errors=True)
            cached.write_text(json.dumps(again), encoding="utf-8")
        site = project / "site"
        queries = pick_queries()
        _log(f"measuring first queries in Chromium: {queries}")
        page_load, measured = measure_queries(site, queries)
        bundle = site / "pagefind"
        variants = [Variant("passage records", bundle, page_count(bundle), page_load, measured)]
        _log("indexing briefs and article pages only, for comparison")
        pages_bundle, pages_records = pages_only_variant(project)
        # Swap the comparison index in under the same site and measure it the same way.
        kept = project / "pagefind-passages"
        (site / "pagefind").rename(kept)
        pages_bundle.rename(site / "pagefind")
        try:
            pages_load, pages_measured = measure_queries(site, queries)
        finally:
            (site / "pagefind").rename(pages_bundle)
            kept.rename(site / "pagefind")
        variants.append(Variant("pages only", pages_bundle, pages_records, pages_load, pages_measured))
        text = report(args, build, again, variants, lunr_site / "search" / "search_index.json")
        args.output.write_text(text, encoding="utf-8")
        print(text)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def page_count(bundle: Path) -> int:
    """Records in a bundle, as its entry file counts them."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


if __name__ == "__main__":
    main()
