"""Browser-test helpers: serve a built site on 127.0.0.1 (optionally under a sub-path) and drive
Debian's Chromium with Playwright's sync API."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import posixpath
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.conftest import skip_unless_ci

CHROMIUM = os.environ.get("BRIEFDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve `directory` under `prefix` (e.g. "/briefs/"); anything outside the prefix is 404."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        route = unquote(urlsplit(path).path)
        if not route.startswith(self.prefix):
            return os.path.join(self.directory, "\0-outside-the-prefix")
        relative = posixpath.normpath(route[len(self.prefix) :]).lstrip("/")
        if relative in (".", ""):
            relative = ""
        full = os.path.join(self.directory, *relative.split("/"))
        return full + ("/" if route.endswith("/") and relative else "")

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` at http://127.0.0.1:PORT<prefix> in a thread; yield that base URL."""
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def require_chromium() -> str:
    """The Chromium binary, or skip the test with the reason (fail under CI=true)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_unless_ci(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        skip_unless_ci("playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
