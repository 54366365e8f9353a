"""Search size benchmark: what a reader's first query costs, on generated sites of several sizes.

    python -m bench.search_size --project DIR [--project DIR ...] [--output FILE] [--json FILE]
    python -m bench.search_size --resume FILE --queries-only --project DIR   (after a UI change)
    python -m bench.search_size --articles 1000 [--workdir DIR]

Each project is one `bench.run` left built (`--workdir W --keep`: W/<size>/project), or a corpus
generated and built here with `--articles`. For each, with the code of this working tree:

- the search stage alone: the project is indexed again on its own (time, Pagefind's peak memory,
  records), and that index replaces the site's, so the bytes measured are this code's;
- the search script and stylesheet are copied into the site from `builder/theme/assets`;
- the index on disk (bytes and files; metadata and filter files apart);
- each query in a fresh headless Chromium context: the home page is opened, "/" pressed, the query
  entered, and everything fetched from pagefind/ until the first result is on screen and the
  network is idle is counted, as raw bytes and as served by a host that gzips text (Pagefind's
  data files are gzip'd already and count as they are); then the filters are opened and what
  they fetch is counted apart. The first result (and its first passage) is recorded, to check
  that a topic's name finds its brief first and a paragraph's words find that paragraph.

Not a test: it needs Chromium and a built site. Results go to SEARCH.md, beside the figures of the
previous design (one Pagefind record per passage), kept in BEFORE.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import platform
import re
import shutil
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import SITE_CONFIG, generate, generate_article
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

DEFAULT_OUTPUT = Path(__file__).with_name("SEARCH.md")
ASSETS = Path(__file__).resolve().parent.parent / "builder" / "site" / "theme" / "assets"
TARGET = 300 * 1024
"""The budget for a one- or two-word first query at 10,000 articles, in bytes served."""
QUERY_TIMEOUT = 300_000
"""Milliseconds a query may take before it is reported as timed out."""
_COMPRESSED = (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment", ".pagefind")
"""Pagefind's own gzip'd files: a host serves them as they are."""

BEFORE = {
    "design": "one Pagefind record per passage (107,075 records at 10,000 articles), Pagefind's "
    "Component UI loading every filter file before the first result",
    "source": "bench/SEARCH.md and bench/RESULTS.md of commit b0cca3f (2026-11-28)",
    "index_kb": {10_000: 109_457.7},
    "files": {10_000: 107_460},
    "meta_kb": {10_000: 904.2},
    "filters_kb": {10_000: 1_571.2},
    "search_seconds": {1_000: 21.5, 5_000: 164.2, 10_000: 326.0},
    "pagefind_peak_gib": {1_000: 0.92, 5_000: 4.00, 10_000: 7.70},
    # query -> (served KB, requests, seconds to results or None for a time-out), at 10,000 articles
    "queries": {
        "one word": (2_584.0, 17, 11.9),
        "two words": (2_829.5, 18, 5.7),
        "six words": (4_652.9, 17, None),
    },
}


@dataclass(slots=True)
class Transfer:
    """Bytes one step downloaded, by kind of file."""

    raw: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    served: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    requests: int = 0

    def add(self, url: str, body: bytes) -> None:
        kind = _kind(url)
        self.raw[kind] += len(body)
        self.served[kind] += len(body) if url.endswith(_COMPRESSED) else len(gzip.compress(body, 6, mtime=0))
        self.requests += 1

    def as_dict(self) -> dict[str, Any]:
        return {"raw": dict(self.raw), "served": dict(self.served), "requests": self.requests}


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


class _Recorder:
    """Responses from pagefind/ (and our search assets), by the step during which they arrived."""

    def __init__(self) -> None:
        self.steps: dict[str, list[Any]] = defaultdict(list)
        self.step = "page load"

    def record(self, response: Any) -> None:
        if "/pagefind/" in response.url or "briefdesk-search" in response.url:
            self.steps[self.step].append(response)

    def total(self, step: str) -> Transfer:
        transfer = Transfer()
        for response in self.steps[step]:
            with contextlib.suppress(Exception):  # a response the page dropped has no body
                transfer.add(response.url, response.body())
        return transfer


QUERY_SAMPLE = 300
"""Articles of a project (the first by path) read for its two- and six-word queries."""
_STOP = frozenset(
    "about after again also because been before being between both could does during each from "
    "have into more most much must only other over same shall should since some such than that "
    "their them then there these they this those through under very were what when where which "
    "while will with would your".split()
)
_WORD = re.compile(r"[^\W\d_]{4,}")


def pick_queries(project: Path | None = None) -> dict[str, str]:
    """The queries measured on `project`: a topic's name, two words its articles often use
    together, six words of one paragraph, and those six as an exact phrase.

    A generated corpus (or none given) uses the generator's template prose (`grain exports`, six
    words of article #17: most articles have them); any other project, such as the real-size
    proxy, its own: the words its first QUERY_SAMPLE articles most often put side by side (see
    `_common_pair`), and six
    words of its first article's third paragraph, so that every query has results to find.
    """
    if project is None or _generated(project):
        body = generate_article(17).text.split("\n---\n", 1)[1]
        two = "grain exports"
    else:
        paths = sorted((project / "content" / "articles").rglob("*.md"))
        bodies = [_body(path.read_text(encoding="utf-8")) for path in paths[:QUERY_SAMPLE]]
        two = _common_pair(bodies)
        body = bodies[0]
    six = " ".join(_third_paragraph(body).split()[3:9])
    return {
        "one word": "Afghanistan",
        "two words": two,
        "six words": six,
        "six, quoted": f'"{six}"',
    }


def _generated(project: Path) -> bool:
    config = project / "site_config.yml"
    return config.is_file() and config.read_text(encoding="utf-8") == SITE_CONFIG


def _body(text: str) -> str:
    """An article file's text after its front matter."""
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def _third_paragraph(body: str) -> str:
    from builder.markdown.passages import split_passages

    passages, _ = split_passages(body)
    return next(p for p in passages[2:] if p.kind == "paragraph").text


def _common_pair(bodies: Sequence[str]) -> str:
    """The two neighbouring words (of four letters or more, not function words) most often met
    together in `bodies`, as they are first written, among those at most half the bodies use:
    a pair on every page ("United Nations" in every speech) tells no page from another, and is
    not what a reader searches for. Ties go to the first met."""
    counts: Counter[tuple[str, str]] = Counter()
    pages: Counter[tuple[str, str]] = Counter()
    written: dict[tuple[str, str], str] = {}
    for body in bodies:
        words = _WORD.findall(body)
        seen: set[tuple[str, str]] = set()
        for first, second in itertools.pairwise(words):
            pair = (first.lower(), second.lower())
            if pair[0] in _STOP or pair[1] in _STOP or pair[0] == pair[1]:
                continue
            counts[pair] += 1
            seen.add(pair)
            written.setdefault(pair, f"{first} {second}")
        pages.update(seen)
    return next(written[pair] for pair, _ in counts.most_common() if 2 * pages[pair] <= len(bodies))


def measure_queries(site: Path, queries: dict[str, str]) -> dict[str, Any]:
    """Page-load search assets, and what each query (then opening the filters) downloads."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    measured: dict[str, Any] = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, query in queries.items():
                context = browser.new_context()  # an empty cache for every query
                page = context.new_page()
                recorder = _Recorder()
                page.on("response", recorder.record)
                page.goto(base)
                page.wait_for_selector(".bd-search--ready", timeout=60_000)
                page.wait_for_load_state("networkidle")
                recorder.step = "query"
                started = time.perf_counter()
                page.keyboard.press("/")
                page.fill(".bd-search__input", query)
                seconds: float | None = None
                first: dict[str, Any] = {}
                with contextlib.suppress(PlaywrightTimeout):
                    page.wait_for_selector(".bd-search__results > li .bd-result__link", timeout=QUERY_TIMEOUT)
                    seconds = time.perf_counter() - started
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1000)
                    first = page.evaluate(
                        """() => { const li = document.querySelector(".bd-search__results > li");
                            return { url: li.querySelector(".bd-result__link").getAttribute("href"),
                          passage: li.querySelector(".bd-result__passage a")?.getAttribute("href") || null,
                          summary: document.querySelector(".bd-search__summary").textContent }; }"""
                    )
                    recorder.step = "filters"
                    page.click(".bd-search__toggle")
                    page.wait_for_selector(".bd-facet", timeout=QUERY_TIMEOUT)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                page.remove_listener("response", recorder.record)
                measured[label] = {
                    "query": query,
                    "seconds": seconds,
                    "first": first,
                    "query_transfer": recorder.total("query").as_dict(),
                    "filters_transfer": recorder.total("filters").as_dict(),
                }
                if "page load" not in measured:
                    measured["page load"] = recorder.total("page load").as_dict()
                context.close()
        finally:
            browser.close()
    return measured


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
        import psutil  # type: ignore[import-untyped]  # a test dependency, for this sampling only

        me = psutil.Process()
        while not self._stop.wait(0.25):
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if "pagefind" in child.name():
                        self.peak = max(self.peak, child.memory_info().rss)


def reindex(project: Path) -> dict[str, Any]:
    """Index the built project again on its own (the search stage alone) and put that index in
    its site: time, Pagefind's peak memory, records."""
    from builder.briefs.assembly import assemble
    from builder.content.project import load_project
    from builder.diagnostics import Diagnostics
    from builder.pipeline.pipeline import route_articles
    from builder.search.index import index_site

    loaded = load_project(project, Diagnostics())
    assert loaded is not None
    site = assemble(loaded, route_articles(loaded))
    with tempfile.TemporaryDirectory(dir=project) as scratch:
        peak = _PeakChildMemory()
        with peak:
            started = time.perf_counter()
            records = index_site(site, Path(scratch))
            seconds = time.perf_counter() - started
        bundle = project / "site" / "pagefind"
        shutil.rmtree(bundle)
        (Path(scratch) / "pagefind").rename(bundle)
    return {"seconds": seconds, "peak": peak.peak, "records": records, "articles": len(site.articles)}


def refresh_assets(site: Path) -> None:
    """This tree's search script and stylesheet in the site (the index and pages stay as built)."""
    for asset in ASSETS.iterdir():
        shutil.copyfile(asset, site / "assets" / "briefdesk" / asset.name)


def disk(bundle: Path) -> dict[str, int]:
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "meta": sum(p.stat().st_size for p in bundle.glob("*.pf_meta")),
        "filters": sum(p.stat().st_size for p in (bundle / "filter").iterdir()),
        "fragments": sum(p.stat().st_size for p in (bundle / "fragment").iterdir()),
        "index": sum(p.stat().st_size for p in (bundle / "index").iterdir()),
    }


def measure_project(project: Path) -> dict[str, Any]:
    _log(f"{project}: indexing again on its own")
    again = reindex(project)
    refresh_assets(project / "site")
    _log(
        f"{project}: {again['records']:,} records in {again['seconds']:.1f} s; measuring queries in Chromium"
    )
    return {
        "project": str(project),
        "reindex": again,
        "disk": disk(project / "site" / "pagefind"),
        "queries": measure_queries(project / "site", pick_queries(project)),
    }


# --- Report ---------------------------------------------------------------------------------------


def _kb(value: float) -> str:
    return f"{value / 1024:,.1f} KB"


def _served(transfer: dict[str, Any]) -> int:
    return sum(transfer["served"].values())


def report(results: Sequence[dict[str, Any]]) -> str:
    results = sorted(results, key=lambda r: r["reindex"]["articles"])
    # The labels are the same for every project; the queries are each project's own (pick_queries).
    queries = [label for label in results[0]["queries"] if label != "page load"] if results else []
    lines = [
        "# Search size: one Pagefind record per page, passages as sub-results",
        "",
        "Written by `python -m bench.search_size`; its docstring gives the method. *Before* is the",
        f"previous design: {BEFORE['design']} ({BEFORE['source']}).",
        "",
        f"- **date**: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- **machine**: {_cores()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        *(
            f"- **queries at {result['reindex']['articles']:,} articles**: "
            + "; ".join(f"{label}: `{result['queries'][label]['query']}`" for label in queries)
            for result in results
        ),
        "",
        "## First query at each size",
        "",
        "*Served* is what a host that gzips text sends, from pressing `/` to the first result on",
        "screen (results' text included, facet counts not: they load when the filters open).",
        "*Time* is from entering the query to the first result, in headless Chromium on this machine.",
        "",
        "| articles | query | served | requests | time to first result | first result | under 300 KB? "
        "| before (10,000): served, time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        articles = result["reindex"]["articles"]
        for label in queries:
            measured = result["queries"][label]
            transfer = measured["query_transfer"]
            seconds = measured["seconds"]
            time_text = (
                f"{seconds:.1f} s" if seconds is not None else f"timed out ({QUERY_TIMEOUT // 1000} s)"
            )
            first = measured["first"]
            shown = first.get("passage") or first.get("url") or "–"
            within = "✓" if _served(transfer) < TARGET else "**no**"
            before = BEFORE["queries"].get(label)
            before_text = (
                "not measured"
                if before is None
                else f"{before[0]:,.1f} KB, {before[2]:.1f} s"
                if before[2]
                else f"{before[0]:,.1f} KB, timed out"
            )
            lines.append(
                f"| {articles:,} | {label} | {_kb(_served(transfer))} | {transfer['requests']} | {time_text} "
                f"| `{shown}` | {within} | {before_text} |"
            )
    lines += [
        "",
        "## What loads when, by kind of file (served KB)",
        "",
        "| articles | step | metadata | word index | fragments | filters | wasm | scripts and entry "
        "| total |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    kinds = ("metadata", "word index", "fragments", "filters", "wasm", "scripts and entry")
    for result in results:
        articles = result["reindex"]["articles"]
        steps = [("page load", result["queries"]["page load"])]
        for label in queries:
            steps.append((f"query: {label}", result["queries"][label]["query_transfer"]))
        steps.append(
            (
                "opening the filters (after the one-word query)",
                result["queries"]["one word"]["filters_transfer"],
            )
        )
        for name, transfer in steps:
            cells = " | ".join(f"{transfer['served'].get(kind, 0) / 1024:,.1f}" for kind in kinds)
            lines.append(f"| {articles:,} | {name} | {cells} | {_served(transfer) / 1024:,.1f} |")
    lines += [
        "",
        "## Index and search stage",
        "",
        "| articles | records | pagefind/ | files | metadata | filter files | search stage alone "
        "| Pagefind peak | before: pagefind/, search stage, Pagefind peak |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        again, size = result["reindex"], result["disk"]
        n = _nominal(again["articles"])
        before = (
            f"{BEFORE['index_kb'][n]:,.1f} KB" if n in BEFORE["index_kb"] else "–",
            f"{BEFORE['search_seconds'][n]:.1f} s" if n in BEFORE["search_seconds"] else "–",
            f"{BEFORE['pagefind_peak_gib'][n]:.2f} GiB" if n in BEFORE["pagefind_peak_gib"] else "–",
        )
        lines.append(
            f"| {again['articles']:,} | {again['records']:,} | {_kb(size['bytes'])} | {size['files']:,} "
            f"| {_kb(size['meta'])} | {_kb(size['filters'])} | {again['seconds']:.1f} s "
            f"| {again['peak'] / 2**30:.2f} GiB | {', '.join(before)} |"
        )
    return "\n".join(lines) + "\n"


def _nominal(articles: int) -> int:
    """The generated size a published-article count comes from (3% of articles are drafts)."""
    return min((1_000, 5_000, 10_000), key=lambda n: abs(n * 0.97 - articles))


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_size", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--project", type=Path, action="append", default=[], help="a built project (repeatable)"
    )
    parser.add_argument("--articles", type=int, help="generate and build a corpus of this size instead")
    parser.add_argument("--workdir", type=Path, help="where to generate it (default: a temporary folder)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown results file")
    parser.add_argument("--json", type=Path, help="raw results as JSON")
    parser.add_argument(
        "--resume", type=Path, action="append", default=[], help="JSON of earlier runs to report again"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="with --resume: measure the queries again, keep the index"
    )
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for saved in args.resume:
        results.extend(json.loads(saved.read_text(encoding="utf-8")))
    projects = list(args.project)
    if args.articles:
        project = (args.workdir or Path(tempfile.mkdtemp(prefix="briefdesk-search-size-"))) / "project"
        _log(f"generating and building {args.articles:,} articles in {project}")
        generate(args.articles, project)
        from builder.diagnostics import Diagnostics
        from builder.pipeline.options import BuildOptions
        from builder.pipeline.pipeline import build

        build(BuildOptions(root=project), Diagnostics())
        projects.append(project)
    for project in projects:
        earlier = [r for r in results if r["project"] == str(project)]
        if args.queries_only and earlier:  # the index stays as the earlier run left it
            refresh_assets(project / "site")
            earlier[0]["queries"] = measure_queries(project / "site", pick_queries(project))
        else:
            results.append(measure_project(project))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(results)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
