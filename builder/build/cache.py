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

The file is a pickle, and unpickling runs code, so it is signed with a key kept outside the project
(in the user's cache folder): a cache file that arrives with the content, say committed to a
content repository and built in CI, fails the check and is ignored.
"""

from __future__ import annotations

import hmac
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from builder.build.keys import code_fingerprint
from builder.diagnostics import Diagnostic
from builder.model import Article
from builder.routing.router import ArticleRoutes

log = logging.getLogger(__name__)

CACHE_FILE = ".cache/articles.pickle"


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
        """Load the cache from build/.cache/, or start empty if it is missing, old, foreign or damaged."""
        path = build_dir / CACHE_FILE
        key = _signing_key()
        try:
            blob = path.read_bytes()
        except OSError:
            return cls(path)
        signature, payload = blob[:32], memoryview(blob)[32:]  # a view: the payload is not copied
        if key is None or not hmac.compare_digest(signature, hmac.digest(key, payload, "sha256")):
            log.info("cache not signed by this machine's key; ignoring it")
            return cls(path)
        try:
            fingerprint, entries, pages = pickle.loads(payload)
        except Exception as exc:  # a damaged file is only a cold cache
            log.info("cache unreadable (%s); starting afresh", exc)
            return cls(path)
        if fingerprint == code_fingerprint() and isinstance(entries, dict) and isinstance(pages, dict):
            return cls(path, entries, pages)
        log.info("cache made by other code; starting afresh")
        return cls(path)

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
        key = _signing_key()
        if not self.changed or key is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        # Pickled straight into the file through the signature's hash: at 10,000 articles the
        # payload is hundreds of MB, which a pickle.dumps (and signature + payload) held twice.
        with temporary.open("wb") as stream:
            stream.write(bytes(32))  # the signature's place, filled in once the payload is written
            signer = _SigningWriter(stream, hmac.new(key, digestmod="sha256"))
            pickle.dump(
                (code_fingerprint(), self.entries, self.pages), signer, protocol=pickle.HIGHEST_PROTOCOL
            )
            stream.seek(0)
            stream.write(signer.mac.digest())
        os.replace(temporary, self.path)
        self.changed = False


class _SigningWriter:
    """A file for pickle.dump that feeds what it writes to a MAC on the way."""

    def __init__(self, stream: BinaryIO, mac: hmac.HMAC) -> None:
        self.stream = stream
        self.mac = mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.stream.write(data)


def _signing_key() -> bytes | None:
    """This user's secret for signing caches, created on first use; None if it cannot be kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "briefdesk" / "cache-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:  # another build created it first
        return path.read_bytes()
    except OSError:
        return None
