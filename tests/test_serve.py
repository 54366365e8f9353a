"""`briefdesk serve`: serves the built site, rebuilds on change, keeps the last good site on errors."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.pipeline.cache import CACHE_FILE
from tests.conftest import ProjectFactory

pytestmark = pytest.mark.slow
ARTICLE = "content/articles/2021/talks.md"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def served(make_project: ProjectFactory) -> Iterator[tuple[Path, str, list[str]]]:
    root = make_project()
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--project", str(root), "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    lines: list[str] = []
    assert process.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        _wait(lambda: any("serving http://127.0.0.1:" in line for line in lines), 120, "the server")
        port = re.search(r"127\.0\.0\.1:(\d+)/", next(x for x in lines if "serving" in x))[1]  # type: ignore[index]
        yield root, f"http://127.0.0.1:{port}/", lines
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=5)
        process.stderr.close()


def test_serve_rebuilds_on_change_and_keeps_last_good_site(served: tuple[Path, str, list[str]]) -> None:
    root, url, lines = served
    status, home = _get(url)
    assert status == 200 and "/__briefdesk__/version" in home
    assert _get(url + "__briefdesk__/version") == (200, "0")

    cache_before = _cache_text(root)
    index_before = _get(url + "pagefind/pagefind-entry.json")[1]
    article = root / ARTICLE
    article.write_text(article.read_text().replace("They also discussed Myanmar.", "They also discussed Burma's junta."))
    # The edited page first (a preview), then the brief that quotes it: browsers reload twice.
    _wait(lambda: _get(url + "__briefdesk__/version")[1] == "2", 90, "a rebuild after an edit")
    assert any(line.startswith("showing the edited page (") for line in lines)
    assert "Burma" in _get(url + "articles/2021/talks/")[1]
    assert "Burma" in _get(url + "topics/myanmar/")[1]
    # Feeds, the cache on disk and the search index catch up after the reload.
    _wait(lambda: any("feeds and search index refreshed" in line for line in lines), 90, "the catch-up")
    assert "Burma" in _get(url + "feeds/myanmar.xml")[1]
    assert _get(url + "pagefind/pagefind-entry.json")[1] != index_before  # a new index, new file names
    assert "Burma" not in cache_before and "Burma" in _cache_text(root)

    (root / "content/articles/2021/broken.md").write_text("---\ntitle: Broken\n---\n")
    _wait(lambda: any("still serving the last good site" in line for line in lines), 90, "the failed rebuild")
    assert any("content/articles/2021/broken.md:1: error: missing required key 'date'" in line for line in lines)
    assert _get(url + "__briefdesk__/version")[1] == "2"
    status, page = _get(url + "articles/2021/talks/")
    assert status == 200 and "Burma" in page
    assert _get(url + "no/such/page/")[0] == 404


def _cache_text(root: Path) -> str:
    with gzip.open(root / "build" / CACHE_FILE, "rt", encoding="utf-8") as stream:
        return stream.read()
