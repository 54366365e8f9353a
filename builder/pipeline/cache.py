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

The file is plain data: gzip'd lines of JSON (`builder.pipeline.plaindata`), each behind the
HMAC-SHA256 of its text under the cache key (`builder.cachekey`: a CI secret, or a key
kept for this user on this machine, never in the cache). Reading it runs no code; a cache made
with another key (restored from elsewhere) is made afresh, and one that does not check out (an
altered or unknown entry, a truncated file, another format) or exceeds the bounds below is given
up with one warning, the build going on as if it were not there. What it gives back is checked
once more on the way out: cached passages must come out of the sanitiser unchanged, and a cached
page must hold nothing script-capable (`builder.markdown.pagecheck`), or it is made afresh.
"""

from __future__ import annotations

import dataclasses
import gzip
import logging
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.cachekey import ENVIRONMENT, CacheKey, cache_key
from builder.diagnostics import Diagnostic
from builder.markdown.pagecheck import page_is_safe, passages_are_clean
from builder.model import Article, Passage, Project
from builder.pipeline import plaindata
from builder.pipeline.keys import CACHE_FORMAT, code_fingerprint
from builder.routing.router import ArticleRoutes

log = logging.getLogger(__name__)

CACHE_FILE = ".cache/cache.jsonl.gz"
MAX_FILE_BYTES = 2 * 1024**3
"""Largest cache file read (gzip'd): 10,000 articles make about a tenth of it."""
MAX_ENTRY_BYTES = 64 * 1024**2
"""Largest entry: an article of 4 MiB (the content limit) with its passages and routes fits many times."""
MAX_ENTRIES = 2_000_000
"""Most lines read: one per article and one per page, for archives far past 100,000 articles."""
MAX_RATIO = 100
"""Most the text may outgrow the file (JSON at gzip level 1 inflates about 5 to 10 times)."""
_TEMPORARY = re.compile(r"\.(\d+)\.tmp$")


@dataclass(slots=True)
class _Entry:
    digest: str
    article: Article | None
    diagnostics: tuple[Diagnostic, ...]
    routes_key: str = ""
    routes: ArticleRoutes | None = None
    line: str = ""
    """Signature of the entry's line in the cache file, while it is unchanged since; "" otherwise."""


@dataclass(slots=True)
class BuildCache:
    """The cache of one project's articles, by project-relative path."""

    path: Path
    key: CacheKey = field(default_factory=cache_key)
    entries: dict[str, _Entry] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Rendered pages: docs path -> (key of everything its template could read, Markdown)."""
    changed: bool = False
    _page_lines: dict[str, str] = field(default_factory=dict)
    """Docs path -> signature of the page's line in the cache file, while it is unchanged since."""
    _refused: dict[str, str] = field(default_factory=dict)
    """Docs or article path -> cached text that failed the check on the way out (see `page`)."""

    @classmethod
    def open(cls, build_dir: Path) -> BuildCache:
        """Load the cache from build/.cache/, or start empty if it is missing, foreign, old or damaged."""
        cache = cls(build_dir / CACHE_FILE)
        remove_leftovers(cache.path)
        try:
            lines = _signed_lines(cache.path)
            first = next(lines, None)
            if first is None:
                return cache
            if not cache.key.checks(first[2], first[1]):
                # Expected where a cache travels without its key (a CI job without the secret):
                # said once, since it explains a slower build, and nothing of it is used.
                hint = (
                    f"{ENVIRONMENT} differs from the one it was made with"
                    if cache.key.origin == ENVIRONMENT
                    else f"set {ENVIRONMENT} to reuse a cache made elsewhere"
                )
                what = "made with another cache key (or altered); starting afresh"
                log.warning("%s: %s (%s)", cache.path, what, hint)
                return cache
            if _value(first[2]) != ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()]:
                log.info("cache made by other code; starting afresh")
                return cache
            for number, signature, text in lines:
                if not cache.key.checks(text, signature):
                    raise _Unreadable(
                        f"entry {number} does not check out (it was altered after it was written)"
                    )
                value = _value(text)
                if value is None:
                    raise _Unreadable(f"entry {number} is not cache data")
                if not cache._take(value, signature):
                    raise _Unreadable(f"entry {number} has a shape the cache never writes")
        except FileNotFoundError:
            return cache
        except _Unreadable as exc:
            log.warning("%s: %s; building without the cache", cache.path, exc)
            return cls(cache.path, cache.key)  # entries read before the damage are dropped with the rest
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
        """The parsed article and its diagnostics, if the cache has them for these bytes.

        Its passages are checked again on the way out: each must come out of the sanitiser
        unchanged, as every block the parser keeps does; an entry with one that does not is
        dropped and the file parsed afresh (warned about in `put_article` when it differs).
        """
        entry = self.entries.get(path)
        if entry is None or entry.digest != digest:
            return None
        if entry.article is not None and not passages_are_clean(entry.article.blocks, entry.article.url):
            self._refused[path] = "\0".join(block.markdown for block in entry.article.blocks)
            return None
        return entry.article, entry.diagnostics

    def put_article(
        self, path: str, digest: str, article: Article | None, diagnostics: tuple[Diagnostic, ...]
    ) -> None:
        refused = self._refused.pop(path, None)
        fresh = "\0".join(block.markdown for block in (article.blocks if article else ()))
        if refused is not None and refused != fresh:
            log.warning("%s: the cached %s held text its file does not; parsed afresh", self.path, path)
        self.entries[path] = _Entry(digest, article, diagnostics)
        self.changed = True

    def routes(self, path: str, key: str, project: Project | None = None) -> ArticleRoutes | None:
        """The article's routes under routing `key`, if kept; given the `project`, only routes that
        name its own passages, topics and actors (anything else was not made by the router)."""
        entry = self.entries.get(path)
        if entry is None or entry.routes_key != key or entry.routes is None:
            return None
        if project is not None and not _routes_fit(entry.routes, entry.article, project):
            what = "name what the project does not have; routing it afresh"
            log.warning("%s: the cached routes of %s %s", self.path, path, what)
            entry.routes_key, entry.routes, entry.line = "", None, ""
            self.changed = True
            return None
        return entry.routes

    def put_routes(self, path: str, key: str, routes: ArticleRoutes) -> None:
        entry = self.entries.get(path)
        if entry is not None:
            entry.routes_key, entry.routes, entry.line = key, routes, ""
            self.changed = True

    def page(self, path: str, key: str) -> str | None:
        """The page at docs `path` as rendered under `key`, if it was and it checks out.

        A page whose text holds anything script-capable (`page_is_safe`) is rendered afresh; a
        project template may write such HTML itself, so the warning waits for the fresh page
        (`put_page`): only a cached text unlike it was forged.
        """
        found = self.pages.get(path)
        if found is None or found[0] != key:
            return None
        if not page_is_safe(found[1]):
            self._refused[path] = found[1]
            return None
        return found[1]

    def put_page(self, path: str, key: str, page: str) -> None:
        refused = self._refused.pop(path, None)
        if refused is not None and refused != page:
            what = "held what Briefdesk never writes there; rendered afresh"
            log.warning("%s: the cached page %s %s", self.path, path, what)
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
        lines' signatures, and only the rest encoded: at 10,000 articles the cache is hundreds of
        MB of text, and an edit changes a few entries of it.
        """
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        unchanged = {entry.line for entry in self.entries.values() if entry.line}
        unchanged.update(self._page_lines.values())
        try:
            with gzip.open(temporary, "wb", compresslevel=1) as stream:
                self._write_line(stream, ["briefdesk-cache", CACHE_FORMAT, code_fingerprint()])
                copied = self._copy_lines(unchanged, stream) if unchanged else set()
                for path, entry in self.entries.items():
                    if entry.line not in copied:
                        value = [entry.article, list(entry.diagnostics)]
                        row = ["article", path, entry.digest, value, entry.routes_key, entry.routes]
                        entry.line = self._write_line(stream, row)
                for path, (key, text) in self.pages.items():
                    if self._page_lines.get(path) not in copied:
                        self._page_lines[path] = self._write_line(stream, ["page", path, key, text])
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        self.changed = False

    def _write_line(self, stream: gzip.GzipFile, value: object) -> str:
        """Write `value` as one line behind its signature; return the signature."""
        text = plaindata.dumps(value).encode("utf-8")
        signature = self.key.sign(text)
        stream.write(signature.encode("ascii") + b" " + text + b"\n")
        return signature

    def _copy_lines(self, wanted: set[str], stream: gzip.GzipFile) -> set[str]:
        """Copy the lines of the old file whose signature is `wanted` (and still checks out); return
        the signatures copied. What cannot be read is not copied: those entries are encoded."""
        copied: set[str] = set()
        try:
            for _, signature, text in _signed_lines(self.path):
                if signature in wanted and signature not in copied and self.key.checks(text, signature):
                    stream.write(signature.encode("ascii") + b" " + text + b"\n")
                    copied.add(signature)
        except (OSError, _Unreadable):
            pass  # what was not copied is written from memory
        return copied


def _routes_fit(routes: ArticleRoutes, article: Article | None, project: Project) -> bool:
    """Tell whether `routes` name only the article's passages and the project's topics and actors."""
    if article is None or routes.slug != article.slug:
        return False
    numbers = {passage.number for passage in article.passages}
    topics = set(routes.fallback)
    for route in routes.passages:
        if route.number not in numbers or not set(route.actors) <= project.actors.keys():
            return False
        topics.update(route.mentioned, route.developments, route.listed)
    return topics <= project.topics.keys()


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files of saves that were killed (their process is gone)."""
    try:
        names = [p for p in path.parent.iterdir() if p.name.startswith(path.name + ".")]
    except OSError:
        return
    for leftover in names:
        found = _TEMPORARY.search(leftover.name)
        if found is not None and not _alive(int(found[1])):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a pid: leave it
    return True


def _shared_passages(article: Article) -> Article:
    """The article with its blocks holding the very passages of `passages`, as the parser makes it
    (JSON has no shared objects: read back, each passage would be held twice, and a passage's
    text, most often its very Markdown, twice again)."""
    passages = tuple(
        dataclasses.replace(p, text=p.markdown) if p.text == p.markdown and p.text is not p.markdown else p
        for p in article.passages
    )
    by_number = {passage.number: passage for passage in passages}
    blocks = tuple(by_number.get(b.number, b) if isinstance(b, Passage) else b for b in article.blocks)
    return dataclasses.replace(article, passages=passages, blocks=blocks)


class _Unreadable(Exception):
    """The cache file as a whole cannot be used (not gzip, truncated, altered, over a bound)."""


def _value(text: bytes) -> object:
    """The value of one line's text, or None when it is not cache data."""
    try:
        return plaindata.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, plaindata.NotPlainData):
        return None


def _signed_lines(path: Path) -> Iterator[tuple[int, str, bytes]]:
    """The file's lines as (number, signature, text), read within the bounds above; a file that
    cannot be read or exceeds a bound raises _Unreadable, so a hostile file costs little."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024**2
        raise _Unreadable(f"the file is {size / 1024**2:,.0f} MiB, over the {limit:,} MiB limit")
    allowed = max(MAX_ENTRY_BYTES, size * MAX_RATIO)
    total = 0
    try:
        with gzip.open(path, "rb") as stream:
            number = 0
            while line := stream.readline(MAX_ENTRY_BYTES + 1):
                number += 1
                total += len(line)
                if len(line) > MAX_ENTRY_BYTES:
                    raise _Unreadable(f"entry {number} is over the {MAX_ENTRY_BYTES // 1024**2} MiB limit")
                if total > allowed:
                    raise _Unreadable(f"it inflates to more than {MAX_RATIO} times its size")
                if number > MAX_ENTRIES:
                    raise _Unreadable(f"it has more than {MAX_ENTRIES:,} entries")
                signature, _, text = line.rstrip(b"\n").partition(b" ")
                yield number, signature.decode("ascii", "replace"), text
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _Unreadable(f"the cache file cannot be read ({exc})") from None
