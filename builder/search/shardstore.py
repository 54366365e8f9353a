"""Shards of the search index kept between builds, so an edit re-indexes only the shard it touched.

The index is made in shards (see `builder.search.shards`), each from a run of records. A shard's
bundle depends only on its records, the language and Pagefind's version, so it is kept in
build/.cache/search/ under a key of exactly those, and a later build whose shard has the same key
takes it from there instead of running Pagefind. Shards are cut where the records themselves say
(`shard_groups`), not by position, so a new article changes the one shard it falls in rather than
shifting every shard after it.

Each kept shard is a zip file of plain data: the bundle's files, the pages' sort values, and a
manifest with the SHA-256 of each, signed with the cache key (`builder.cachekey`: a
shard made with another key, restored from elsewhere, is indexed again). Reading one runs no
code, and a file that does not check out (truncated, altered, another format) is ignored with a
warning: that shard is indexed again. On the way out a kept shard is checked once more: its pages
must be exactly the records asked for, by URL, so a shard can never add a link to the search.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from builder.cachekey import cache_key
from builder.search.bundle import unpack
from builder.search.records import SearchRecord
from builder.search.shards import Shard

log = logging.getLogger(__name__)

STORE_FORMAT = 2
SHARD_AVERAGE = 600
"""A shard ends after a record whose URL hashes to 0 modulo this: about this many records each."""
_MANIFEST = "briefdesk-shard.json"
_SIGNATURE = "briefdesk-shard.sig"
SHARD_TEXT = 4_000_000
"""Most characters of text in one shard: Pagefind holds about 50 bytes per character of its
shard (670 MiB for 1,000 UN speeches of 13 KB each, 308 MiB for 1,000 generated articles of
6 KB), so a shard of long documents is cut before SHARD_RECORDS; about 200 MiB of Pagefind."""
MAX_SHARD_BYTES = 512 * 1024**2
"""Largest kept shard read (Pagefind's bundle of 1,000 records is a few MB)."""


def shard_groups(
    records: Iterable[SearchRecord], most: int, most_text: int = SHARD_TEXT
) -> Iterator[list[SearchRecord]]:
    """Cut the records into runs of at most `most`, at places the records themselves decide.

    A run ends after a record of another kind than the next (the briefs and yearly archives,
    which change with every new article, apart from the articles), after a record whose URL
    hashes to 0 modulo SHARD_AVERAGE (content-defined, as rsync cuts files: an inserted or
    removed record moves no other cut), or when it holds `most` records or `most_text`
    characters of text (Pagefind's memory, which grows with both).
    """
    group: list[SearchRecord] = []
    text = 0
    for record in records:
        size = record_text(record)
        if group and (
            group[-1].meta.get("kind") != record.meta.get("kind")
            or len(group) >= most
            or text + size > most_text
        ):
            yield group
            group, text = [], 0
        group.append(record)
        text += size
        if _cuts_after(record):
            yield group
            group, text = [], 0
    if group:
        yield group


def record_text(record: SearchRecord) -> int:
    """Characters of text Pagefind is given for `record` (its markup aside)."""
    return (
        len(record.title)
        + sum(map(len, record.lead))
        + sum(len(passage.text) for passage in record.passages)
    )


def _cuts_after(record: SearchRecord) -> bool:
    digest = hashlib.sha256(record.url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % SHARD_AVERAGE == 0


def shard_key(records: Sequence[SearchRecord], htmls: Sequence[str], language: str) -> str:
    """What a shard's bundle is made from: its records as Pagefind is given them (`htmls`, each
    record's document), the language, and Pagefind's version."""
    digest = hashlib.sha256(f"{STORE_FORMAT}\0{language}\0{_pagefind_version()}".encode())
    for record, html in zip(records, htmls, strict=True):
        sorts = json.dumps(dict(record.sorts), sort_keys=True)
        for part in (record.url, html, sorts):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class ShardStore:
    """The kept shards of one project (build/.cache/search/)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.key = cache_key()

    def get(self, key: str, urls: Sequence[str] | None = None) -> Shard | None:
        """The shard kept under `key`, if it is there, checks out, and (given `urls`) holds exactly
        the pages of those URLs."""
        path = self._path(key)
        self.used.add(key)
        if not path.is_file():
            return None
        try:
            if path.stat().st_size > MAX_SHARD_BYTES:
                raise ValueError(f"over the {MAX_SHARD_BYTES // 1024**2} MiB limit")
            with zipfile.ZipFile(path) as archive:
                text = archive.read(_MANIFEST)
                if not self.key.checks(text, archive.read(_SIGNATURE).decode("ascii", "replace")):
                    log.info("%s: made with another cache key; indexing that shard again", path)
                    return None
                manifest = json.loads(text)
                if manifest.get("format") != STORE_FORMAT or manifest.get("key") != key:
                    raise ValueError("not a shard of this kind")
                files = {}
                for name, expected in dict(manifest["files"]).items():
                    data = archive.read(f"files/{name}")
                    if hashlib.sha256(data).hexdigest() != expected:
                        raise ValueError(f"{name} does not match its hash")
                    files[str(name)] = data
                sorts = [{str(k): str(v) for k, v in dict(page).items()} for page in manifest["sorts"]]
            if urls is not None and sorted(_page_urls(files)) != sorted(urls):
                raise ValueError("its pages are not the records it was kept for")
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            log.warning("%s: %s; indexing that shard again", path, exc)
            return None
        return Shard(files=files, sorts=sorts)

    def put(self, key: str, shard: Shard) -> None:
        """Keep `shard` under `key` (written whole, then renamed into place)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        manifest = {
            "format": STORE_FORMAT,
            "key": key,
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(shard.files.items())},
            "sorts": [dict(page) for page in shard.sorts],
        }
        text = json.dumps(manifest, sort_keys=True).encode("utf-8")
        # Stored, not deflated: the bundle's files are gzip'd already.
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(_MANIFEST, text)
            archive.writestr(_SIGNATURE, self.key.sign(text))
            for name, data in sorted(shard.files.items()):
                archive.writestr(f"files/{name}", data)
        os.replace(temporary, path)
        self.used.add(key)

    def keep_only_used(self) -> None:
        """Drop the kept shards this build did not ask for (the archive moved on)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if (path.suffix == ".zip" and path.stem not in self.used) or path.suffix == ".tmp":
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.zip"


def _page_urls(files: dict[str, bytes]) -> list[str]:
    """The URL of every page (fragment) of a shard's bundle."""
    urls = []
    for name, data in files.items():
        if name.startswith("fragment/") and name.endswith(".pf_fragment"):
            urls.append(str(json.loads(unpack(data))["url"]))
    return urls
