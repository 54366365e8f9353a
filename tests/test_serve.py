"""`briefdesk serve`: serves the built site, rebuilds on change, keeps the last good site on errors."""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.pipeline.cache import CACHE_FILE
from tests.buildprocs import serving
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
    with serving(root) as (url, lines):
        yield root, url, lines


def test_serve_rebuilds_on_change_and_keeps_last_good_site(served: tuple[Path, str, list[str]]) -> None:
    root, url, lines = served
    status, home = _get(url)
    assert status == 200 and "/__briefdesk__/version" in home
    assert _get(url + "__briefdesk__/version") == (200, "0")

    cache_before = _cache_text(root)
    index_before = _get(url + "pagefind/pagefind-entry.json")[1]
    article = root / ARTICLE
    article.write_text(article.read_text().replace("They also discussed Myanmar.", "Burma's junta was discussed too."))
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


def _request(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    """One bounded request, with the Host header as given (None: the URL's own)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(1_000_000)
    finally:
        connection.close()


def test_serve_answers_only_loopback_names_inside_the_site(
    served: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    root, url, lines = served
    port = urllib.parse.urlsplit(url).port
    secret = tmp_path / "secret.txt"
    secret.write_text("the desk's secret\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets/index.html").write_text("<p>the desk's secret</p>\n")
    os.symlink(secret, root / "site/leak.html")
    os.symlink(secret, root / "site/leak.txt")
    os.symlink(tmp_path / "secrets", root / "site/leaked")
    os.symlink(root / "site/index.html", root / "site/inside.html")  # inside the site: served
    for path in ("/leak.html", "/leak.txt", "/leaked/", "/leaked/index.html"):
        status, body = _request(url, path)
        assert status == 404 and b"secret" not in body, (path, status)
    assert _request(url, "/inside.html")[0] == 200
    # DNS rebinding: a page of evil.example, its name now pointing at 127.0.0.1, sends its own Host.
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example"):
        status, body = _request(url, "/", host)
        assert status == 403 and body == b"this preview answers only to 127.0.0.1 and localhost\n", host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST", "127.0.0.1"):
        assert _request(url, "/", host)[0] == 200, host
    # An overlong path: 414 at once, and nothing in the console.
    status, _ = _request(url, "/" + "a" * 8000)
    assert status == 414
    status, _ = _request(url, "/" + "a/" * 1000 + "b" * 250)
    assert status in (404, 414)
    assert _request(url, "/" + "x" * 300 + ".html")[0] == 404  # one name over the file system's limit
    time.sleep(0.5)
    assert not any("Traceback" in line or "Errno" in line for line in lines), lines


def test_serve_says_the_port_is_taken_before_building(make_project: ProjectFactory) -> None:
    root = make_project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "builder", "serve", "--project", str(root), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert not (root / "site").exists() and not (root / "build").exists()  # nothing was built
    assert time.monotonic() - started < 30
