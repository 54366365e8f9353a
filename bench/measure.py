"""What the harness runs in a fresh subprocess, one measurement each; the last stdout line is JSON.

    python -m bench.measure build DIR [--markdown-only]   a full Briefdesk build, in-process
    python -m bench.measure floor DIR                     the floor: read, front matter, Markdown
    python -m bench.measure exec -- CMD ...               any command, for its peak memory

A fresh process per measurement keeps imports, caches and the allocator's state of one run out of
the next. Each reports its peak resident memory from getrusage: its own (`maxrss_self`) and the
largest of the processes it waited for (`maxrss_children`: the MkDocs subprocess, the worker pool).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _maxrss() -> dict[str, int]:
    """Peak RSS in bytes (Linux reports ru_maxrss in KiB)."""
    return {
        "maxrss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "maxrss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def measure_build(root: Path, markdown_only: bool) -> dict[str, Any]:
    """Run Briefdesk's pipeline the way the CLI does and return its BuildReport as data."""
    started = time.perf_counter()
    # Imported here so the import time counts in `seconds`, as it does for `briefdesk build`.
    import builder
    from builder.diagnostics import Diagnostics
    from builder.errors import BriefdeskError
    from builder.pipeline.options import BuildOptions
    from builder.pipeline.pipeline import build

    diagnostics = Diagnostics()
    imported = time.perf_counter()
    error = None
    stages: dict[str, float] = {}
    counts: dict[str, int | None] = {}
    try:
        report = build(BuildOptions(root=root.resolve(), markdown_only=markdown_only), diagnostics)
        stages = dict(report.stages)
        counts = {"articles": report.articles, "briefs": report.briefs, "pages": report.pages}
        counts |= {"html_rendered": report.html_rendered, "files_kept": report.files_kept}
    except BriefdeskError as exc:
        error = str(exc)
    finished = time.perf_counter()
    return {
        "ok": error is None,
        "error": error,
        "stages": stages,
        **counts,
        "builder": str(Path(builder.__file__).parent),
        "import_seconds": imported - started,
        "seconds": finished - started,
        "errors": diagnostics.errors,
        "warnings": diagnostics.warnings,
        "first_diagnostics": [d.format() for d in list(diagnostics)[:5]],
        **_maxrss(),
    }


def measure_floor(root: Path) -> dict[str, Any]:
    """Read every article, parse its front matter with python-frontmatter, convert it with `markdown`.

    The least any generator must do with the same input in one process; one Markdown converter is
    reused (`reset()`), as a careful generator would, so the floor is not inflated by setup costs.
    """
    started = time.perf_counter()
    import frontmatter
    import markdown

    converter = markdown.Markdown()
    paths = sorted((root / "content" / "articles").rglob("*.md"))
    characters = 0
    for path in paths:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        characters += len(converter.reset().convert(post.content))
    return {
        "ok": True,
        "articles": len(paths),
        "html_characters": characters,
        "seconds": time.perf_counter() - started,
        **_maxrss(),
    }


def measure_exec(command: Sequence[str]) -> dict[str, Any]:
    """Run `command` with its output captured; report its wall time, status and peak memory."""
    started = time.perf_counter()
    result = subprocess.run(list(command), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    tail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
    return {
        "ok": result.returncode == 0,
        "returncode": result.returncode,
        "tail": tail,
        "seconds": seconds,
        **_maxrss(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, run one measurement and print it as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build")
    build.add_argument("root", type=Path)
    build.add_argument("--markdown-only", action="store_true")
    floor = commands.add_parser("floor")
    floor.add_argument("root", type=Path)
    run = commands.add_parser("exec")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "build":
        result = measure_build(args.root, args.markdown_only)
    elif args.command == "floor":
        result = measure_floor(args.root)
    else:
        result = measure_exec(args.argv[1:] if args.argv[:1] == ["--"] else args.argv)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
