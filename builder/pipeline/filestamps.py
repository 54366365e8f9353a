"""What each file of an output folder held when a build left it, and what no longer matches.

A build that calls a folder up to date, or takes files from it, must know the files are the ones
it wrote: someone may have deleted a page, appended a script to one or restored the folder from a
cache. Each file is recorded as its size, modification time and SHA-256. Checking a folder is
cheap where nothing changed (one `stat` per file); only a file whose size or time differs is read
and hashed, so a folder copied or restored with new times (a CI cache) still checks out.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Stamp:
    """One file as a build left it."""

    size: int
    mtime_ns: int
    sha256: str

    def as_list(self) -> list[int | str]:
        return [self.size, self.mtime_ns, self.sha256]

    @classmethod
    def from_list(cls, value: object) -> Stamp | None:
        """The stamp a record holds, or None when the value is not one."""
        match value:
            case [int(size), int(mtime_ns), str(sha256)] if len(sha256) == 64:
                return cls(size, mtime_ns, sha256)
        return None


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stamp_files(
    folder: Path, files: Iterable[str], known: Mapping[str, Stamp] | None = None
) -> dict[str, Stamp]:
    """Stamp `files` (folder-relative paths) as they are now.

    A file whose size and time are those `known` records (a file linked unchanged from the
    previous tree) keeps its digest; every other file is hashed.
    """
    known = known or {}
    stamps: dict[str, Stamp] = {}
    for relative in files:
        path = folder / relative
        status = path.stat()
        before = known.get(relative)
        if before is not None and (before.size, before.mtime_ns) == (status.st_size, status.st_mtime_ns):
            stamps[relative] = before
        else:
            stamps[relative] = Stamp(status.st_size, status.st_mtime_ns, file_digest(path))
    return stamps


def stamp_texts(folder: Path, digests: Mapping[str, str]) -> dict[str, Stamp]:
    """Stamp files just written from texts whose SHA-256 is known (`digests`), without reading them."""
    stamps: dict[str, Stamp] = {}
    for relative, digest in digests.items():
        status = (folder / relative).stat()
        stamps[relative] = Stamp(status.st_size, status.st_mtime_ns, digest)
    return stamps


def files_of(folder: Path) -> list[str]:
    """Every file under `folder`, by its folder-relative POSIX path, sorted."""
    files: list[str] = []
    for parent, _, names in os.walk(folder):
        relative = Path(parent).relative_to(folder).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        files.extend(prefix + name for name in names)
    return sorted(files)


def mismatches(folder: Path, stamps: Mapping[str, Stamp], added: str = "") -> list[str]:
    """Files of `folder` that are not as `stamps` records them: missing, changed, or not recorded
    at all (added since; only names ending in `added` count); sorted. Sizes and times first;
    contents only where those differ."""
    present = files_of(folder) if folder.is_dir() else []
    wrong = sorted(name for name in set(present) - set(stamps) if name.endswith(added))
    for relative, stamp in stamps.items():
        path = folder / relative
        try:
            status = path.stat()
            if (status.st_size, status.st_mtime_ns) == (stamp.size, stamp.mtime_ns):
                continue
            if status.st_size == stamp.size and file_digest(path) == stamp.sha256:
                continue
        except OSError:
            pass  # missing or unreadable: not what the build left
        wrong.append(relative)
    return sorted(wrong)
