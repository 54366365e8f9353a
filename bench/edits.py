"""Edit one article and time how soon the site shows it: after `briefdesk build`, or under `serve`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _python(*args: str | Path) -> list[str]:
    return [sys.executable, *(str(arg) for arg in args)]


def pick_article(project: Path) -> tuple[Path, Path] | None:
    """A published article near the middle of the archive: its source file and its HTML page."""
    pages = sorted((project / "site" / "articles").glob("*/*/index.html"))
    for page in pages[len(pages) // 2 :] + pages[: len(pages) // 2]:
        slug = page.parent.name
        sources = sorted((project / "content" / "articles").rglob(f"{slug}.md"))
        if sources:
            return sources[0], page
    return None


def edit_article(source: Path, token: str) -> None:
    """Append a passage carrying `token`, as an editor adding a correction would."""
    text = source.read_text(encoding="utf-8").rstrip("\n")
    source.write_text(f"{text}\n\nDesk note {token}: the figures were revised after publication.\n", "utf-8")


def add_article(project: Path, token: str) -> Path:
    """Write a new article on the first topic, dated in the archive's newest year."""
    topic = sorted((project / "content" / "topics").glob("*.md"))[0]
    years = sorted(p.name for p in (project / "content" / "articles").iterdir() if p.is_dir())
    year = years[-1] if years else "2024"
    title = re.search(r"^title: (.+)$", topic.read_text(encoding="utf-8"), re.MULTILINE)
    name = title[1].strip("\"'") if title else topic.stem
    path = project / "content" / "articles" / year / f"desk-note-{token}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: Desk note {token} on {name}\ndate: {year}-12-31\nsource: Bench Wire\n"
        f"url: https://example.org/{token}\ntopics:\n  - {topic.stem}\n---\n\n"
        f"Officials discussed {name} again, the desk was told ({token}).\n",
        encoding="utf-8",
    )
    return path


def add_alias(project: Path, token: str) -> Path:
    """Give the first topic one more alias (a name no article uses yet: every article is routed
    again, as after any alias edit, and few pages change)."""
    topic = sorted((project / "content" / "topics").glob("*.md"))[0]
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("aliases:\n", f"aliases:\n  - Desk alias {token}\n", 1), encoding="utf-8")
    return topic


def watch_for(path: Path, token: str) -> Callable[[], bool]:
    """A check that `path` exists and contains `token` (for run_measured's `watch`)."""

    def check() -> bool:
        try:
            return token in path.read_text(encoding="utf-8")
        except OSError:
            return False

    return check


SERVE_SETTLE = 2.0
"""Seconds to wait after `serve` says it is serving before editing, so its file watcher is set up."""
SERVE_LIMIT = 300.0
"""Seconds to wait for the served page: far past the 3 s target, short of a stuck run."""


@dataclass(slots=True)
class ServeEdit:
    """Seconds from saving an edit under `briefdesk serve` to what a reader sees (None: not seen)."""

    page: float | None = None
    """To the first response of the edited article's page that shows the edit."""
    settled: float | None = None
    """To serve's report that the whole update (briefs, timeline, actor pages) is done."""
    note: str = ""
    """Why a time is missing (the server's own error line when it reports one)."""


def measure_serve(project: Path, timeout: float, code: Path) -> ServeEdit:
    """Start `briefdesk serve`, edit one article, and time until the served page shows the edit,
    then until serve has updated every page (it reloads the edited page first, the rest after)."""
    picked = pick_article(project)
    if picked is None:
        return ServeEdit(note="no article page to edit")
    source, page = picked
    url_path = page.parent.relative_to(project / "site").as_posix()
    server = subprocess.Popen(
        _python("-m", "builder", "serve", "--project", project, "--port", "0"),
        cwd=code,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    port: list[int] = []
    ready = threading.Event()

    def read_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:  # keep draining, or a chatty server would block on a full pipe
            lines.append(line.strip())
            match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if match and not port:
                port.append(int(match[1]))
                ready.set()
        ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        if not ready.wait(timeout) or not port:
            return ServeEdit(note="briefdesk serve did not start: " + " ".join(lines[-3:]))
        time.sleep(SERVE_SETTLE)
        seen = len(lines)
        token = f"serve-edit-{os.getpid()}"
        edit_article(source, token)
        started = time.perf_counter()
        url = f"http://127.0.0.1:{port[0]}/{url_path}/"
        result = ServeEdit()
        while time.perf_counter() - started < min(timeout, SERVE_LIMIT):
            if result.page is None:
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        if token in response.read().decode("utf-8", "replace"):
                            result.page = time.perf_counter() - started
                except (urllib.error.URLError, OSError):
                    pass
            if any(line.startswith("built ") for line in lines[seen:]):  # the rebuild's summary
                result.settled = time.perf_counter() - started
            if result.page is not None and result.settled is not None:
                return result
            errors = [line for line in lines[seen:] if line.startswith("error")]
            if errors:
                result.note = f"the rebuild failed: {' '.join(lines[seen:])[:300]}"
                return result
            time.sleep(0.05)
        result.note = f"the update was not served within {min(timeout, SERVE_LIMIT):.0f} s"
        return result
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
