"""`briefdesk serve`: build, serve the last good site on 127.0.0.1, rebuild on change, reload browsers.

The server always reads from the site folder, which builds replace atomically, so a reader never
sees a half-written site, and a broken edit leaves the last good one in place. Pages get a small
script that polls a version counter and reloads when a rebuild has succeeded.

It is a preview for the person at this machine, so it answers only that person: requests must
name it by a loopback name (`Host: 127.0.0.1`, `localhost`, `[::1]`, or the host it listens on),
so a web page elsewhere cannot read it through DNS rebinding; it never follows a symlink out of
the site folder; and an overlong path gets 414, never a traceback.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

VERSION_PATH = "/__briefdesk__/version"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
"""The names the preview answers to, besides the host it listens on."""
MAX_PATH = 2048
"""Longest request path served (longer: 414); the site's own paths stay far below it."""
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
    hosts: frozenset[str]

    def do_GET(self) -> None:
        if self._refused():
            return
        route = urlsplit(self.path).path
        if route == VERSION_PATH:
            self._send(200, "text/plain", str(self.counter.value).encode())
            return
        target = Path(self.translate_path(self.path))
        try:
            if target.is_dir() and route.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and self._inside(target):
                self._send(200, "text/html; charset=utf-8", _with_reload(target.read_bytes()))
                return
            if not target.exists() or not self._inside(target):
                self._not_found()
                return
        except OSError:  # a name too long for the file system, and the like: nothing is there
            self._not_found()
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if self._refused():
            return
        try:
            inside = self._inside(Path(self.translate_path(self.path)))
        except OSError:
            inside = False
        if not inside:
            self.send_error(404)
            return
        super().do_HEAD()

    def _refused(self) -> bool:
        """Answer the requests the preview does not serve; tell whether this was one."""
        if len(self.path) > MAX_PATH:
            self.send_error(414, f"the path is longer than {MAX_PATH} characters")
            return True
        host = _host_name(self.headers.get("Host"))
        if host is not None and host not in self.hosts:
            # A page on another site that rebound its name to 127.0.0.1 sends its own name here.
            refusal = b"this preview answers only to 127.0.0.1 and localhost\n"
            self._send(403, "text/plain; charset=utf-8", refusal)
            return True
        return False

    def _inside(self, target: Path) -> bool:
        """Tell whether `target`, symlinks followed, is inside the site folder."""
        site = os.path.realpath(self.directory)
        return os.path.commonpath([site, os.path.realpath(target)]) == site

    def _not_found(self) -> None:
        missing = Path(self.directory) / "404.html"
        if missing.is_file() and self._inside(missing):
            self._send(404, "text/html; charset=utf-8", _with_reload(missing.read_bytes()))
        else:
            self.send_error(404)

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


def _host_name(header: str | None) -> str | None:
    """The host name of a `Host` header (`localhost:8000`, `[::1]:8000`), lower case; None without one."""
    if header is None:
        return None  # HTTP/1.0 clients may send none; browsers always do
    name = header.strip().lower()
    if name.startswith("["):
        return name[1 : name.find("]")] if "]" in name else name
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name


def make_server(
    site_dir: Path, port: int, counter: BuildCounter, host: str = "127.0.0.1"
) -> http.server.ThreadingHTTPServer:
    """An HTTP server on `host` (127.0.0.1) serving `site_dir` with the reload hook, answering
    only requests that name it by a loopback name or `host`."""
    hosts = LOOPBACK_NAMES | {host.lower()}
    handler = type("Handler", (_Handler,), {"counter": counter, "hosts": hosts})
    return http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site_dir)))
