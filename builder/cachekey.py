"""The secret that authenticates build/.cache/: only caches made with it are trusted.

Whoever can write a project's build/ folder (a CI cache restored from another branch, a copied
checkout) could otherwise put any text into the site, since a cache entry is published as it is.
So every line of the cache, and every kept search shard, carries an HMAC made with a key the
cache itself never holds:

* `BRIEFDESK_CACHE_KEY` from the environment, when it is set (a CI secret: every job that holds
  it can share caches);
* otherwise a random key kept for this user on this machine, made on first use, outside every
  project (`~/.local/state/briefdesk/cache-key`, or under `$XDG_STATE_HOME`), so a cache made on
  another machine, or by another user, is never trusted and is made afresh;
* where that file cannot be kept (a read-only home), a key for this process only: nothing read
  from disk is trusted, and the cache only helps `serve`, which keeps it in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

ENVIRONMENT = "BRIEFDESK_CACHE_KEY"
KEY_FILE = "cache-key"
_PROCESS_KEY = secrets.token_bytes(32)


@dataclass(frozen=True, slots=True)
class CacheKey:
    """The key that signs and checks what build/.cache/ holds."""

    secret: bytes
    origin: str
    """Where it came from, for messages: the environment variable, the key file, or this run."""

    def sign(self, data: bytes) -> str:
        """The HMAC-SHA256 of `data`, as hex."""
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()

    def checks(self, data: bytes, signature: str) -> bool:
        """Tell whether `signature` is this key's for `data` (compared in constant time)."""
        return hmac.compare_digest(self.sign(data), signature)


def cache_key() -> CacheKey:
    """The key of this run: from the environment, else this machine's, else this process's."""
    given = os.environ.get(ENVIRONMENT, "")
    if given.strip():
        secret = hashlib.sha256(b"briefdesk-cache-key\0" + given.strip().encode()).digest()
        return CacheKey(secret, ENVIRONMENT)
    path = key_file()
    try:
        return CacheKey(_read_or_make(path), str(path))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a key"
        log.info("cannot keep a cache key in %s (%s): the cache on disk is not reused", path, reason)
        return CacheKey(_PROCESS_KEY, "this run")


def key_file() -> Path:
    """Where this user's machine key is kept (honours XDG_STATE_HOME)."""
    return Path(platformdirs.user_state_dir("briefdesk")) / KEY_FILE


def _read_or_make(path: Path) -> bytes:
    """Read the key file, making it first (atomically, readable by this user only) if needed."""
    try:
        return _parse(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f"{KEY_FILE}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, path)  # fails if another process made it first: then theirs is the key
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return _parse(path.read_text(encoding="ascii"))


def _parse(text: str) -> bytes:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise OSError(0, "the key file does not hold a key (delete it to make a new one)")
    return secret
