"""A content-hash cache of parsed, routed and rendered articles, kept in build/.cache/.

Every entry is keyed by the SHA-256 of the article's bytes, and each later product by a key that
names everything it depends on:

* the parsed article and its diagnostics: the file's bytes;
* its routes: the bytes plus the routing signature (every topic's aliases and excludes, every
  actor's aliases, the routing settings).

Rendered pages (articles, briefs, actors, timeline, home) are kept by docs path under the key
`builder.pipeline.keys` gives them: everything their template could read.

The whole cache is also tied to a fingerprint of Briefdesk's own code, so upgrading or editing
Briefdesk starts from scratch: a cache may be slow to fill, but it can never serve stale output.

The file is plain data: gzip'd lines of JSON (`builder.pipeline.plaindata`), each entry behind the
SHA-256 of its own text. Reading it runs no code, so a cache that travels (restored by a CI's
cache action, copied with the project) is safe to read and needs no key; an entry whose hash
does not match, a truncated file or one in another format is ignored with a warning and the build
goes on as if it were not there.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from builder.diagnostics import Diagnostic
from builder.model import Article, Passage
from builder.pipeline import plaindata
from builder.pipeline.keys import CACHE_FORMAT, code_fingerprint
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
    line: str = ""
    """SHA-256 of the entry's line in the cache file, while it is unchanged since; "" otherwise."""


@dataclass(slots=True)
class BuildCache:
    """The cache of one project's articles, by project-relative path."""

    path: Path
    entries: dict[str, _Entry] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Rendered pages: docs path -> (key of everything its template could read, Markdown)."""
    changed: bool = False
    _page_lines: dict[str, str] = field(default_factory=dict)
    """Docs path -> SHA-256 of the page's line in the cache file, while it is unchanged since."""

    @classmethod
    def open(cls, build_dir: Path) -> BuildCache:
        """Load the cache from build/.cache/, or start empty if it is missing, old or damaged."""
        cache = cls(build_dir / CACHE_FILE)
        try:
            lines = _verified_lines(cache.path)
            first = next(lines, None)
            if first is None or first[1] != ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()]:
                log.info("cache made by other code; starting afresh")
                return cache
            for line_hash, line in lines:
                if not cache._take(line, line_hash):
                    log.warning("%s: an entry of an unknown shape; ignoring it", cache.path)
        except FileNotFoundError:
            return cache
        except _Unreadable as exc:
            log.warning("%s: %s; building without it", cache.path, exc)
            return cls(cache.path)  # entries read before the damage are dropped with the rest
        return cache

    def _take(self, line: object, line_hash: str) -> bool:
        """Keep one entry read from the file, if it has the shape `save` writes."""
        match line:
            case ["article", str(path), str(digest), [Article() | None as article, list(found)], str(key), _]:
                routes = line[5]
                if isinstance(routes, ArticleRoutes | None) and all(isinstance(d, Diagnostic) for d in found):
                    article = _shared_passages(article) if article is not None else None
                    self.entries[path] = _Entry(digest, article, tuple(found), key, routes, line_hash)
                    return True
            case ["page", str(path), str(key), str(text)]:
                self.pages[path] = (key, text)
                self._page_lines[path] = line_hash
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
            entry.routes_key, entry.routes, entry.line = key, routes, ""
            self.changed = True

    def page(self, path: str, key: str) -> str | None:
        """The page at docs `path` as rendered under `key`, if it was."""
        found = self.pages.get(path)
        return found[1] if found is not None and found[0] == key else None

    def put_page(self, path: str, key: str, page: str) -> None:
        if self.pages.get(path) != (key, page):
            self.pages[path] = (key, page)
            self._page_lines.pop(path, None)
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
            self._page_lines.pop(path, None)
            self.changed = True

    def save(self) -> None:
        """Write the cache atomically (a killed build leaves the old cache or the new one).

        Entries unchanged since they were read are copied from the old file as they are, by their
        lines' hashes, and only the rest encoded: at 10,000 articles the cache is hundreds of MB
        of text, and an edit changes a few entries of it.
        """
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        unchanged = {entry.line for entry in self.entries.values() if entry.line}
        unchanged.update(self._page_lines.values())
        with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=1) as stream:
            _write_line(stream, ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()])
            copied = _copy_lines(self.path, unchanged, stream) if unchanged else set()
            for path, entry in self.entries.items():
                if entry.line not in copied:
                    value = [entry.article, list(entry.diagnostics)]
                    row = ["article", path, entry.digest, value, entry.routes_key, entry.routes]
                    entry.line = _write_line(stream, row)
            for path, (key, text) in self.pages.items():
                if self._page_lines.get(path) not in copied:
                    self._page_lines[path] = _write_line(stream, ["page", path, key, text])
        os.replace(temporary, self.path)
        self.changed = False


def _shared_passages(article: Article) -> Article:
    """The article with its blocks holding the very passages of `passages`, as the parser makes it
    (JSON has no shared objects: read back, each passage would be held twice)."""
    by_number = {passage.number: passage for passage in article.passages}
    blocks = tuple(by_number.get(b.number, b) if isinstance(b, Passage) else b for b in article.blocks)
    return dataclasses.replace(article, blocks=blocks)


class _Unreadable(Exception):
    """The cache file as a whole cannot be read (not gzip, truncated)."""


def _write_line(stream: TextIO, value: object) -> str:
    """Write `value` as one line behind its hash; return the hash."""
    text = plaindata.dumps(value)
    line_hash = hashlib.sha256(text.encode()).hexdigest()
    stream.write(f"{line_hash} {text}\n")
    return line_hash


def _copy_lines(path: Path, wanted: set[str], stream: TextIO) -> set[str]:
    """Copy the lines of the old file whose hash is `wanted` (and whose text still has that hash);
    return the hashes copied. A file that cannot be read copies nothing: the entries are encoded."""
    copied: set[str] = set()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as old:
            for line in old:
                line_hash, _, text = line.rstrip("\n").partition(" ")
                fresh = line_hash in wanted and line_hash not in copied
                if fresh and hashlib.sha256(text.encode()).hexdigest() == line_hash:
                    stream.write(line if line.endswith("\n") else line + "\n")
                    copied.add(line_hash)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):
        pass  # what was not copied is written from memory
    return copied


def _verified_lines(path: Path) -> Iterator[tuple[str, object]]:
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
                    yield digest, plaindata.loads(text)
                except plaindata.NotPlainData as exc:
                    log.warning("%s: entry %d is not cache data (%s); ignoring it", path, number, exc)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _Unreadable(f"the cache file cannot be read ({exc})") from None
