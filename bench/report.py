"""Turn the harness's measurements into Markdown tables, with the machine they ran on."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import subprocess
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from bench.probes import FolderSize, Run
from bench.results import CorpusResult

GIB = 1024**3
MIB = 1024**2
MARKDOWN_STAGES = ("load", "validate", "route", "assemble", "render")
"""Stages before MkDocs; any other stage the builder reports before `mkdocs` also counts."""

TARGET_FLOOR = 1.3
"""Everything before MkDocs ÷ the floor, at 10,000 generated articles (issue 29)."""
TARGET_PLAIN = 1.0
"""The whole build ÷ a plain single-process MkDocs build of the same pages (issue 29)."""
TARGET_MEMORY = 1.5 * GIB
TARGET_PAGE = 3.0
TARGET_TEXT_EDIT = 30.0
"""Seconds for `briefdesk build` after an article-text edit at 10,000 articles (issue 19)."""
TARGET_NEW_ARTICLE = 45.0
"""Seconds for `briefdesk build` after a new article at 10,000 articles (issue 19)."""
TARGET_GROWTH = 1.1
"""Allowed time growth per growth in articles: x10 articles may take x11 time."""


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) * 1024 / GIB:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def source_fingerprint(repo: Path) -> str:
    """A short hash of builder/ and templates/, to tell which code a run measured.

    Other people change the builder while a long run goes on; a different fingerprint at the end
    says the sizes were not all measured with the same code.
    """
    digest = hashlib.sha256()
    for folder in ("builder", "templates"):
        for path in sorted((repo / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine(hugo_binary: Path | None) -> dict[str, str]:
    """What the numbers depend on: cores, CPU, memory, software versions, and the load when started."""
    hugo_version = "not installed"
    if hugo_binary is not None:
        result = subprocess.run([str(hugo_binary), "version"], capture_output=True, text=True, check=False)
        hugo_version = (
            result.stdout.split()[1] if result.returncode == 0 and result.stdout else "does not run"
        )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "nproc": str(cores),
        "CPU": _cpu_model(),
        "RAM": _memory(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "versions": ", ".join(
            f"{name} {_version(name)}" for name in ("briefdesk", "mkdocs", "mkdocs-material", "markdown")
        )
        + f", Hugo {hugo_version}",
        "load average at start": load_average(),
    }


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


def _run_s(run: Run | None) -> str:
    if run is None:
        return "–"
    return _s(run.seconds) if run.ok else f"failed ({run.note[:60]})"


def _bytes(size: int) -> str:
    return f"{size / GIB:.2f} GiB" if size >= GIB else f"{size / MIB:.0f} MiB"


def _folder(size: FolderSize | None) -> str:
    return "–" if size is None else f"{_bytes(size.bytes)} ({size.files:,} files)"


def _ratio(value: float | None, limit: float | None = None, *, below: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:.2f}"
    if limit is None:
        return text
    met = value < limit if below else value <= limit
    return f"{text} ✓" if met else f"**{text} ✗**"


def stages(result: CorpusResult) -> dict[str, float]:
    """Wall seconds per builder stage, in the order run."""
    if result.build is None:
        return {}
    raw = result.build.data.get("stages") or {}
    return {str(name): float(value) for name, value in raw.items()}


def before_mkdocs(result: CorpusResult) -> float | None:
    """Seconds of every stage the builder ran before MkDocs: the part the floor is compared with."""
    timed = stages(result)
    if not timed:
        return None
    total = 0.0
    for name, seconds in timed.items():
        if name == "mkdocs":
            break
        total += seconds
    return total


def peak_memory(run: Run | None) -> int | None:
    """The build's footprint: the sampled sum over its processes (PSS, else RSS), at least any one's peak."""
    if run is None:
        return None
    return max(run.tree_pss or run.tree_rss, run.peak_process_rss)


def _div(numerator: float | None, run: Run | None) -> float | None:
    if numerator is None or run is None or not run.ok or run.seconds <= 0:
        return None
    return numerator / run.seconds


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _stage_names(results: Sequence[CorpusResult]) -> list[str]:
    names: list[str] = []
    for result in results:
        names += [name for name in stages(result) if name not in names]
    return names


def timings_table(results: Sequence[CorpusResult]) -> list[str]:
    names = _stage_names(results)
    header = ["corpus", "articles", "pages", *names, "before MkDocs", "whole build"]
    header += ["floor (a)", "plain MkDocs (b)", "Hugo (c)"]
    rows = []
    for r in results:
        timed = stages(r)
        data = r.build.data if r.build else {}
        published = data.get("articles")
        articles = (
            f"{published:,} of {r.article_files:,}" if isinstance(published, int) else f"{r.article_files:,}"
        )
        pages = f"{data['pages']:,}" if isinstance(data.get("pages"), int) else "–"
        row = [r.name, articles, pages, *(_s(timed.get(name)) for name in names)]
        row += [_s(before_mkdocs(r)), _run_s(r.build), _run_s(r.floor), _run_s(r.plain), _run_s(r.hugo)]
        rows.append(row)
    return _table(header, rows)


def targets_table(results: Sequence[CorpusResult]) -> list[str]:
    header = [
        "corpus",
        f"before MkDocs ÷ floor (≤ {TARGET_FLOOR})",
        f"whole ÷ plain MkDocs (≤ {TARGET_PLAIN})",
        "whole ÷ Hugo (reference)",
        "peak memory (< 1.5 GiB)",
        "edit → page on disk (≤ 3 s)",
        "edit → page in serve (≤ 3 s)",
    ]
    rows = []
    for r in results:
        whole = r.build.seconds if r.build and r.build.ok else None
        memory = peak_memory(r.build)
        rows.append(
            [
                r.name,
                _ratio(_div(before_mkdocs(r), r.floor), TARGET_FLOOR),
                _ratio(_div(whole, r.plain), TARGET_PLAIN),
                _ratio(_div(whole, r.hugo)),
                "–" if memory is None else (_bytes(memory) + (" ✓" if memory < TARGET_MEMORY else " ✗")),
                "–" if r.edit_page is None else _ratio(r.edit_page, TARGET_PAGE),
                "not measured" if r.serve_page is None else _ratio(r.serve_page, TARGET_PAGE),
            ]
        )
    return _table(header, rows)


def rebuilds_table(results: Sequence[CorpusResult]) -> list[str]:
    header = [
        "corpus",
        "full build",
        "no-change build",
        "after one edit: `briefdesk build`",
        "edit → page on disk",
        "edit → page in serve",
        "edit → every page in serve",
    ]
    rows = [
        [
            r.name,
            _run_s(r.build),
            _run_s(r.rebuild),
            _run_s(r.edit),
            _s(r.edit_page),
            _s(r.serve_page),
            _s(r.serve_settled),
        ]
        for r in results
    ]
    return _table(header, rows)


def edit_builds_table(results: Sequence[CorpusResult]) -> list[str]:
    """`briefdesk build` after one edit, next to the clean build and Hugo's whole build."""
    header = [
        "corpus",
        "clean build",
        "text edit → build (≤ 30 s at 10,000)",
        "new article → build (≤ 45 s at 10,000)",
        "alias edit → build",
        "text edit ÷ clean build",
        "text edit ÷ Hugo",
        "Hugo (whole site)",
        "pages rendered again (text, new, alias)",
    ]
    rows = []
    for r in results:
        at_scale = r.size is not None and r.size >= 10_000
        text = r.edit.seconds if r.edit and r.edit.ok else None
        new = r.new_article.seconds if r.new_article and r.new_article.ok else None
        rendered = ", ".join(_rendered(run) for run in (r.edit, r.new_article, r.alias_edit))
        rows.append(
            [
                r.name,
                _run_s(r.build),
                _ratio(text, TARGET_TEXT_EDIT) if at_scale else _s(text),
                _ratio(new, TARGET_NEW_ARTICLE) if at_scale else _s(new),
                _run_s(r.alias_edit),
                _ratio(_div(text, r.build)),
                _ratio(_div(text, r.hugo)),
                _run_s(r.hugo),
                rendered,
            ]
        )
    return _table(header, rows)


def _rendered(run: Run | None) -> str:
    """Pages the build rendered again ("all" for a whole build), from its own report."""
    if run is None or not run.ok:
        return "–"
    value = run.data.get("html_rendered")
    return "all" if value is None else f"{value:,}"


def memory_table(results: Sequence[CorpusResult]) -> list[str]:
    header = ["corpus", "largest process", "build tree (PSS)", "build tree (RSS)", "by process (sampled RSS)"]
    header += ["build/docs", "site"]
    header += ["site/pagefind", "plain MkDocs site", "Hugo public"]
    rows = []
    for r in results:
        run = r.build
        row = [r.name]
        if run is None:
            row += ["–", "–", "–", "–"]
        else:
            ranked = sorted(run.peaks.items(), key=lambda item: -item[1])[:3]
            by_process = ", ".join(f"{label}: {_bytes(peak)}" for label, peak in ranked) or "–"
            row += [_bytes(run.peak_process_rss), _bytes(run.tree_pss), _bytes(run.tree_rss), by_process]
        row += [
            _folder(r.sizes.get(key)) for key in ("docs", "site", "pagefind", "plain site", "hugo public")
        ]
        rows.append(row)
    return _table(header, rows)


def scaling_table(results: Sequence[CorpusResult]) -> list[str]:
    """time(largest N) / time(smallest N) per stage and whole, against TARGET_GROWTH x the growth in N."""
    sized = sorted(
        (r for r in results if r.size is not None and r.build and r.build.ok), key=lambda r: r.size or 0
    )
    if len(sized) < 2:
        return ["(needs at least two generated sizes)"]
    small, large = sized[0], sized[-1]
    assert small.size and large.size
    limit = TARGET_GROWTH * large.size / small.size
    header = [
        "stage",
        *(f"N = {r.name}" for r in sized),
        f"ratio {large.name} / {small.name} (≤ {limit:.1f})",
    ]
    series: dict[str, list[float | None]] = {
        name: [stages(r).get(name) for r in sized] for name in _stage_names(sized)
    }
    series["before MkDocs"] = [before_mkdocs(r) for r in sized]
    series["whole build"] = [r.build.seconds if r.build else None for r in sized]
    for label, attribute in (("floor (a)", "floor"), ("plain MkDocs (b)", "plain"), ("Hugo (c)", "hugo")):
        runs: list[Run | None] = [getattr(r, attribute) for r in sized]
        series[label] = [run.seconds if run and run.ok else None for run in runs]
    rows = []
    for name, values in series.items():
        first, last = values[0], values[-1]
        ratio = last / first if first and last is not None and first > 0 else None
        # Only Briefdesk's own numbers carry the target; the baselines are shown for comparison.
        own = name not in ("floor (a)", "plain MkDocs (b)", "Hugo (c)")
        rows.append([name, *(_s(value) for value in values), _ratio(ratio, limit if own else None)])
    return _table(header, rows)


def render(results: Sequence[CorpusResult], machine_info: dict[str, str]) -> str:
    """The whole results page."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench.run`; see bench/README.md for the columns.",
        "",
    ]
    lines += [f"- **{key}**: {value}" for key, value in machine_info.items()]
    lines += ["", "## Time per stage (seconds)", "", *timings_table(results)]
    lines += ["", "## Targets", "", *targets_table(results)]
    lines += ["", "## Scaling", "", *scaling_table(results)]
    lines += ["", "## Rebuilds (seconds)", "", *rebuilds_table(results)]
    lines += ["", "## One edit → `briefdesk build` (seconds)", "", *edit_builds_table(results)]
    lines += ["", "## Memory and output", "", *memory_table(results)]
    notes = [f"- {r.name}: {note}" for r in results for note in r.notes]
    codes = {r.code for r in results}
    if len(codes) > 1:
        notes += [
            f"- {r.name}: measured builder/templates {r.code or 'of the working tree, as they changed'}"
            for r in results
        ]
    for r in results:
        runs = (("build", r.build), ("rebuild", r.rebuild), ("edit rebuild", r.edit))
        runs += (("new-article rebuild", r.new_article), ("alias rebuild", r.alias_edit))
        for label, run in runs:
            if run is not None and isinstance(run.data.get("warnings"), int) and run.data["warnings"]:
                notes.append(f"- {r.name}: {label} reported {run.data['warnings']} warning(s)")
    if notes:
        lines += ["", "## Notes", "", *notes]
    return "\n".join(lines) + "\n"
