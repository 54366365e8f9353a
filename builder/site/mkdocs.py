"""The MkDocs adapter: the only module that knows MkDocs exists.

It writes build/mkdocs.yml from site_config.yml and the assembled site, copies our theme overrides
and stylesheet next to the docs, and runs `mkdocs build --strict` in a subprocess, so MkDocs'
logging and global state stay out of ours. MkDocs' warnings come back as our diagnostics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from builder.briefs.assembly import Site
from builder.diagnostics import Diagnostic
from builder.markdown import extensions
from builder.model import Project
from builder.site.warmdocs import WarmDocs

THEME = Path(__file__).with_name("theme")
STYLESHEET = "assets/briefdesk/briefdesk.css"
SEARCH_STYLESHEET = "assets/briefdesk/briefdesk-search.css"
SEARCH_SCRIPT = "assets/briefdesk/briefdesk-search.js"
DEFAULT_FEATURES = [
    "navigation.instant",
    "navigation.instant.progress",
    "navigation.sections",
    "navigation.indexes",
    "navigation.top",
    "navigation.footer",
    "toc.follow",
    "content.tooltips",
]
DEFAULT_PALETTE = [
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "primary": "indigo",
        "accent": "deep orange",
        "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "primary": "indigo",
        "accent": "orange",
        "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
    },
]
# Our own settings of the theme; site_config.yml's `theme:` may override any of the others.
_FIXED_THEME_KEYS = {"name", "custom_dir"}
# YAML's safe dumper cannot write a Python reference: a placeholder is swapped for the tag after.
_SLUGIFY = "BRIEFDESK-HEADING-ID"
_SLUGIFY_TAG = "!!python/name:builder.site.slugs.heading_id"


def source_date_epoch(project: Project) -> int:
    """Seconds since 1970 at the newest content date, so output never depends on the clock."""
    newest = max((article.date for article in project.published), default=dt.date(2000, 1, 1))
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def mkdocs_config(site: Site, site_dir: str, *, pdf: bool = False) -> dict[str, Any]:
    """The mkdocs.yml settings for this site; `site_dir` is relative to build/. With `pdf`, the
    theme links each brief's PDF (`pdf/<topic-id>.pdf`, which the PDF stage writes)."""
    config = site.project.config
    theme: dict[str, Any] = {
        "name": "material",
        "custom_dir": "overrides",
        "language": config.language,
        "features": DEFAULT_FEATURES,
        "palette": DEFAULT_PALETTE,
        # No Google Fonts: the site must not make requests to other hosts.
        "font": False,
    }
    theme.update({k: v for k, v in config.theme.items() if k not in _FIXED_THEME_KEYS})
    settings: dict[str, Any] = {
        "site_name": config.site_name,
        "docs_dir": "docs",
        "site_dir": site_dir,
        "use_directory_urls": True,
        "strict": True,
        "theme": theme,
        "plugins": [],  # no built-in search: Pagefind indexes the site after the build
        "markdown_extensions": extensions.for_mkdocs(
            {"permalink": True, "permalink_title": "Link to this section", "slugify": _SLUGIFY}
        ),
        "extra_css": [STYLESHEET, SEARCH_STYLESHEET],
        "extra_javascript": [SEARCH_SCRIPT],
        "not_in_nav": (
            "/articles/\n/actors/*.md\n!/actors/index.md\n/topics/*/\n/editions/*.md\n!/editions/index.md\n"
        ),
        "validation": {
            "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "warn"},
            "links": {
                "not_found": "warn",
                "anchors": "warn",
                "absolute_links": "warn",
                "unrecognized_links": "warn",
            },
        },
        "nav": _nav(site),
    }
    if pdf:  # read by overrides/main.html; absent otherwise, so mkdocs.yml is as before
        settings["extra"] = {"briefdesk_pdf": True}
    for key in ("site_url", "site_description", "site_author", "repo_url", "repo_name", "copyright"):
        value = getattr(config, key)
        if value is not None:
            settings[key] = value
    return settings


def _nav(site: Site) -> list[Any]:
    # Material prints navigation titles as HTML, unescaped: titles from content are escaped here.
    briefs: list[Any] = [
        {html.escape(region): [{html.escape(summary.topic.title): summary.topic.page} for summary in topics]}
        for region, topics in site.regions
    ]
    # Actor pages are reached from the actors index and from briefs: listing every actor in the
    # sidebar of every page would bury the briefs (and grow every page with the archive).
    return [
        {"Home": "index.md"},
        {"Briefs": briefs},
        {"Timeline": "timeline.md"},
        {"Actors": "actors/index.md"},
        *([{"Editions": "editions/index.md"}] if site.desk.editions else []),
    ]


def prepare(site: Site, build_dir: Path, site_dir: Path, *, pdf: bool = False) -> Path:
    """Write mkdocs.yml, the theme overrides and our stylesheet; return the config's path.

    `site_dir` is where `mkdocs build` run by hand on build/mkdocs.yml would write; our own runs
    pass a staging folder on the command line instead.
    """
    overrides = build_dir / "overrides"
    if overrides.exists():
        shutil.rmtree(overrides)
    shutil.copytree(THEME / "overrides", overrides)
    for asset in (STYLESHEET, SEARCH_STYLESHEET, SEARCH_SCRIPT):
        target = build_dir / "docs" / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME / "assets" / Path(asset).name, target)
    path = build_dir / "mkdocs.yml"
    relative_site = os.path.relpath(site_dir, build_dir)
    settings = mkdocs_config(site, relative_site, pdf=pdf)
    text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100)
    text = text.replace(_SLUGIFY, _SLUGIFY_TAG)
    path.write_text(
        "# Generated by briefdesk from site_config.yml: edit that file, not this one.\n" + text,
        encoding="utf-8",
    )
    return path


ENGINE = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "jinja2")
"""The packages that turn Markdown into the site's HTML: a new version of any may change every page."""


def frame_fingerprint(config_path: Path) -> str:
    """SHA-256 of what every page's HTML depends on besides its Markdown and Briefdesk's code:
    MkDocs' settings (theme, nav, extensions, site name) and the engine's versions."""
    digest = hashlib.sha256(config_path.read_bytes())
    for name in ENGINE:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"\0{name}={version}".encode())
    return digest.hexdigest()


def render_pages(
    config_path: Path, out: Path, pages: Iterable[str], epoch: int, root: Path
) -> tuple[bool, list[Diagnostic]]:
    """Render only `pages` (docs paths) and the theme's own pages into the site `out`, as
    `mkdocs build --strict` would render them; return whether all went well and the warnings.

    MkDocs loads the whole site (its files and nav) once and then builds just these pages, with
    the links they make checked against every page, as a whole build checks them; many pages are
    shared between one process per core, as in a whole build.
    """
    docs = WarmDocs(config_path, out, fingerprint="")
    try:
        ok, messages = docs.render(list(pages), epoch, templates=True, workers=page_workers())
    finally:
        docs.close()
    diagnostics = list(log_diagnostics(messages, config_path.parent, root))
    return ok and not diagnostics, diagnostics


_LOG_LINE = re.compile(r"^(?P<level>WARNING|ERROR|INFO|DEBUG)\s+-\s+(?P<message>.*)$")
_DOC = re.compile(r"Doc file '(?P<doc>[^']+)'")
_LINK = re.compile(r"contains a link '(?P<link>[^']+)'")


def page_workers() -> int:
    """How many processes render a whole build's pages: one per core this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PAGE_WORKERS))


MAX_PAGE_WORKERS = 8
"""Past this many, the one process that loads the site and checks the anchors is the bottleneck."""


def run_mkdocs(
    config_path: Path,
    out: Path,
    epoch: int,
    root: Path,
    *,
    dirty: bool = False,
    workers: int | None = None,
) -> tuple[bool, list[Diagnostic]]:
    """Build the site with MkDocs into `out`; return whether it succeeded and its warnings as
    diagnostics.

    A whole build runs `builder.site.splitbuild`: `mkdocs build --strict` with the pages rendered
    by `workers` forked processes (default: one per core), byte for byte the same site.
    `dirty` runs `mkdocs build --dirty` instead, which rebuilds only pages whose Markdown is newer
    than their HTML. MkDocs then warns that the folder holds earlier files, which --strict would
    count, so a dirty run is not strict and counts the warnings itself.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    # -P: the folder the build is run from is not searched first, so a `builder` or `mkdocs`
    # folder there cannot stand in for ours.
    if dirty:
        command = [sys.executable, "-P", "-m", "mkdocs", "build", "--dirty", "--no-strict"]
        command += ["--config-file", str(config_path), "--site-dir", str(out)]
    else:
        count = workers if workers is not None else page_workers()
        command = [
            sys.executable,
            "-P",
            "-m",
            "builder.site.splitbuild",
            str(config_path),
            str(out),
            str(count),
        ]
    # No --quiet: it silences the very warnings that --strict counts, and the build would pass.
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    build_dir = config_path.parent
    lines = result.stderr.splitlines() + result.stdout.splitlines()
    diagnostics = list(log_diagnostics(lines, build_dir, root))
    if result.returncode != 0 and not diagnostics:
        tail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
        diagnostics.append(
            Diagnostic(_rel(config_path, root), 1, "error", "mkdocs", f"MkDocs failed: {tail}")
        )
    return result.returncode == 0 and not diagnostics, diagnostics


def log_diagnostics(lines: Iterable[str], build_dir: Path, root: Path) -> Iterable[Diagnostic]:
    """MkDocs' warnings and errors among its log lines, as diagnostics on the pages they concern."""
    for raw in lines:
        match = _LOG_LINE.match(raw.strip())
        if not match or match["level"] not in ("WARNING", "ERROR"):
            continue
        message = " ".join(match["message"].split())
        if message.startswith("Aborted with") or "in strict mode" in message:
            continue
        if "dirty" in message.lower() or "stale files" in message:
            continue  # the expected notices of an incremental (dirty) build
        path, line = _rel(build_dir / "mkdocs.yml", root), 1
        doc = _DOC.search(message)
        if doc:
            page = build_dir / "docs" / doc["doc"]
            path = _rel(page, root)
            link = _LINK.search(message)
            line = _line_of(page, link["link"]) if link else 1
        yield Diagnostic(path, line, "error", "mkdocs", message)


def _line_of(page: Path, needle: str) -> int:
    try:
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if needle in text:
                return number
    except OSError:
        pass
    return 1


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
