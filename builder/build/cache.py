"""A content-hash cache of parsed, routed and rendered articles, kept in build/.cache/.

Every entry is keyed by the SHA-256 of the article's bytes, and each later product by a key that
names everything it depends on:

* the parsed article and its diagnostics: the file's bytes;
* its routes: the bytes plus the routing signature (every topic's aliases and excludes, every
  actor's aliases, the routing settings).

Rendered pages (articles, briefs, actors, timeline, home) are kept by docs path under the key
`builder.build.keys` gives them: everything their template could read.

The whole cache is also tied to a fingerprint of Briefdesk's own code, so upgrading or editing
Briefdesk starts from scratch: a cache may be slow to fill, but it can never serve stale output.

The file is plain data: gzip'd lines of JSON (`builder.build.plaindata`), each entry behind the
SHA-256 of its own text. Reading it runs no code, so a cache that travels (restored by a CI's
cache action, copied with the project) is safe to read and needs no key; an entry whose hash
does not match, a truncated file or one in another format is ignored with a warning and the build
goes on as if it were not there.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.build import plaindata
from builder.build.keys import CACHE_FORMAT, code_fingerprint
from builder.diagnostics import Diagnostic
from builder.model import Article
from builder.routing.router import ArticleRoutes

log = logging.getLogger(__name__)

CACHE_FILE = ".cache/cache.jsonl.gz"


@dataclass(slots=True)
class _Entry:
    digest: str
    article: Article | None
    diagnostics: tuple[Diagnostic, ...]
    routes_key: str = ""
    routes: ArticleRoutes | None = None


@dataclass(slots=True)
class BuildCache:
    """The cache of one project's articles, by project-relative path."""

    path: Path
    entries: dict[str, _Entry] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Rendered pages: docs path -> (key of everything its template could read, Markdown)."""
    changed: bool = False

    @classmethod
    def open(cls, build_dir: Path) -> BuildCache:
        """Load the cache from build/.cache/, or start empty if it is missing, old or damaged."""
        cache = cls(build_dir / CACHE_FILE)
        try:
            lines = list(_verified_lines(cache.path))
        except FileNotFoundError:
            return cache
        except _Unreadable as exc:
            log.warning("%s: %s; building without it", cache.path, exc)
            return cache
        if not lines or lines[0] != ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()]:
            log.info("cache made by other code; starting afresh")
            return cache
        for line in lines[1:]:
            if not cache._take(line):
                log.warning("%s: an entry of an unknown shape; ignoring it", cache.path)
        return cache

    def _take(self, line: object) -> bool:
        """Keep one entry read from the file, if it has the shape `save` writes."""
        match line:
            case ["article", str(path), str(digest), [Article() | None as article, list(found)], str(key), _]:
                routes = line[5]
                if isinstance(routes, ArticleRoutes | None) and all(isinstance(d, Diagnostic) for d in found):
                    self.entries[path] = _Entry(digest, article, tuple(found), key, routes)
                    return True
            case ["page", str(path), str(key), str(text)]:
                self.pages[path] = (key, text)
                return True
        return False

    def article(self, path: str, digest: str) -> tuple[Article | None, tuple[Diagnostic, ...]] | None:
        entry = self.entries.get(path)
        if entry is not None and entry.digest == digest:
            return entry.article, entry.diagnostics
        return None

    def put_article(
        self, path: str, digest: str, article: Article | None, diagnostics: tuple[Diagnostic, ...]
    ) -> None:
        self.entries[path] = _Entry(digest, article, diagnostics)
        self.changed = True

    def routes(self, path: str, key: str) -> ArticleRoutes | None:
        entry = self.entries.get(path)
        return entry.routes if entry is not None and entry.routes_key == key else None

    def put_routes(self, path: str, key: str, routes: ArticleRoutes) -> None:
        entry = self.entries.get(path)
        if entry is not None:
            entry.routes_key, entry.routes = key, routes
            self.changed = True

    def page(self, path: str, key: str) -> str | None:
        """The page at docs `path` as rendered under `key`, if it was."""
        found = self.pages.get(path)
        return found[1] if found is not None and found[0] == key else None

    def put_page(self, path: str, key: str, page: str) -> None:
        if self.pages.get(path) != (key, page):
            self.pages[path] = (key, page)
            self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget articles that no longer exist."""
        for path in [p for p in self.entries if p not in paths]:
            del self.entries[path]
            self.changed = True

    def keep_pages(self, paths: set[str]) -> None:
        """Forget pages the site no longer has."""
        for path in [p for p in self.pages if p not in paths]:
            del self.pages[path]
            self.changed = True

    def digest(self, path: str) -> str | None:
        entry = self.entries.get(path)
        return entry.digest if entry is not None else None

    def save(self) -> None:
        """Write the cache atomically (a killed build leaves the old cache or the new one)."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        # Written line by line: at 10,000 articles the whole cache is hundreds of MB of text.
        with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=1) as stream:
            _write_line(stream, ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()])
            for path, entry in self.entries.items():
                value = [entry.article, list(entry.diagnostics)]
                _write_line(stream, ["article", path, entry.digest, value, entry.routes_key, entry.routes])
            for path, (key, text) in self.pages.items():
                _write_line(stream, ["page", path, key, text])
        os.replace(temporary, self.path)
        self.changed = False


class _Unreadable(Exception):
    """The cache file as a whole cannot be read (not gzip, truncated)."""


def _write_line(stream: object, value: object) -> None:
    text = plaindata.dumps(value)
    stream.write(f"{hashlib.sha256(text.encode()).hexdigest()} {text}\n")  # type: ignore[attr-defined]


def _verified_lines(path: Path) -> Iterator[object]:
    """The values of the file's lines whose text matches its hash; a line that does not is skipped
    with a warning (the entry is rebuilt), and a file that cannot be read raises _Unreadable."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                digest, _, text = line.rstrip("\n").partition(" ")
                if hashlib.sha256(text.encode()).hexdigest() != digest:
                    log.warning("%s: entry %d does not match its hash; ignoring it", path, number)
                    continue
                try:
                    yield plaindata.loads(text)
                except plaindata.NotPlainData as exc:
                    log.warning("%s: entry %d is not cache data (%s); ignoring it", path, number, exc)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _Unreadable(f"the cache file cannot be read ({exc})") from None
