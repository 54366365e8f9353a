"""`briefdesk serve`: build, serve the last good site on 127.0.0.1, rebuild on change, reload browsers.

The server always reads from the site folder, which builds replace atomically, so a reader never
sees a half-written site, and a broken edit leaves the last good one in place. Pages get a small
script that polls a version counter and reloads when a rebuild has succeeded.
"""

from __future__ import annotations

import functools
import http.server
import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

VERSION_PATH = "/__briefdesk__/version"
_RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = null;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); return; }
      setTimeout(poll, 300);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>
""" % VERSION_PATH.encode()


class BuildCounter:
    """How many successful builds there have been; browsers reload when it changes."""

    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self._value += 1

    @property
    def value(self) -> int:
        with self._lock:
            return self._value


class _Handler(http.server.SimpleHTTPRequestHandler):
    counter: BuildCounter

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route == VERSION_PATH:
            self._send(200, "text/plain", str(self.counter.value).encode())
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir() and route.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self._send(200, "text/html; charset=utf-8", _with_reload(target.read_bytes()))
            return
        missing = Path(self.directory) / "404.html"
        if not target.exists() and missing.is_file():
            self._send(404, "text/html; charset=utf-8", _with_reload(missing.read_bytes()))
            return
        super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


def _with_reload(page: bytes) -> bytes:
    marker = page.rfind(b"</body>")
    return page[:marker] + _RELOAD_SCRIPT + page[marker:] if marker >= 0 else page + _RELOAD_SCRIPT


def make_server(site_dir: Path, port: int, counter: BuildCounter) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 serving `site_dir` with the reload hook."""
    handler = type("Handler", (_Handler,), {"counter": counter})
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(site_dir))
    )
