"""Write output folders so that readers only ever see a complete old or a complete new one.

A new tree is written into a hidden temporary sibling folder and swapped in by renaming. On Linux
the swap is a single atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, with the old tree
restored on the next run if a crash fell between them. Each temporary folder's name carries the
PID of the build that made it: the next build removes those whose build is no longer running,
never one a live build still writes into. A new tree gets the mode the umask gives any new folder
(readable by a web server running as another user under the usual umask), not a private one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import UsageError
from builder.parallel import in_threads
from builder.pipeline.filestamps import Stamp, mismatches

log = logging.getLogger(__name__)

MARKER = ".briefdesk-site"
"""File at the root of every site we write: only a folder holding it may be replaced."""
TEMP_PREFIX = ".briefdesk-tmp-"
OLD_PREFIX = ".briefdesk-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(target: Path) -> Path:
    """A fresh, empty temporary folder beside `target` (same file system, so rename works), named
    after this process, with the mode the umask gives a new folder (it becomes `target`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        folder = target.parent / f"{TEMP_PREFIX}{target.name}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir(mode=0o777)  # tempfile.mkdtemp would make it 0700 whatever the umask
        except FileExistsError:
            continue
        return folder


def write_pages(folder: Path, pages: Iterable[tuple[str, str]], previous: Path | None = None) -> int:
    """Write (relative path, text) pairs under `folder`; return how many were written.

    A page that `previous` (the tree being replaced) already holds with the same text is
    hard-linked from there instead: at 10,000 pages an edit changes a handful, and linking the
    rest is several times quicker than writing them. Nothing writes through such a link: the old
    tree is deleted once the new one is swapped in.
    """
    pages = list(pages)
    for parent in sorted({(folder / relative).parent for relative, _ in pages}):
        parent.mkdir(parents=True, exist_ok=True)

    def write(page: tuple[str, str]) -> bool:
        relative, text = page
        path = folder / relative
        if previous is not None and _link_if_same(previous / relative, path, text):
            return False
        path.write_text(text, encoding="utf-8", newline="\n")
        return True

    return sum(in_threads(write, pages))


def _link_if_same(old: Path, new: Path, text: str) -> bool:
    """Hard-link `old` as `new` if it holds exactly `text`; whether it did."""
    try:
        if old.read_text(encoding="utf-8") != text:
            return False
        os.link(old, new)
    except (OSError, UnicodeDecodeError):
        return False
    return True


def check_output_folder(target: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not our output."""
    target, root = target.resolve(), root.resolve()
    protected = [root / "content", root / "templates", root / "build", root / "site_config.yml"]
    if target == root or root.is_relative_to(target):
        raise UsageError(f"--out {target} would replace the project folder itself (or a folder above it)")
    for folder in protected:
        if target == folder or target.is_relative_to(folder):
            raise UsageError(
                f"--out {target} is inside {folder.relative_to(root)}, which Briefdesk never writes"
            )
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(
            f"{target} exists, is not empty and was not written by Briefdesk (no {MARKER} file in it); "
            "refusing to replace it: choose an empty or new folder"
        )


def mark_as_site(folder: Path, manifest: str) -> None:
    """Leave the marker that lets a later build replace this folder, with what it was built from."""
    (folder / MARKER).write_text(f"Written by briefdesk build, which replaces it whole.\n{manifest}\n")


def site_manifest_of(folder: Path) -> str | None:
    """The manifest a Briefdesk site was built from, or None if `folder` is not one."""
    try:
        lines = (folder / MARKER).read_text().splitlines()
    except OSError:
        return None
    return lines[1] if len(lines) > 1 else ""


DOCS_RECORD = ".cache/docs-record.json"
"""What build/docs/ was last written from, and each page as it was written (under build/)."""


@dataclass(frozen=True, slots=True)
class DocsRecord:
    """What the last build that wrote build/docs/ wrote there."""

    inputs: str | None = None
    """The digest of everything that build read (None: not known, as after `serve`'s updates)."""
    manifest: str | None = None
    """The manifest of the pages it wrote (see `builder.pipeline.keys.site_manifest`)."""
    files: dict[str, Stamp] = field(default_factory=dict)
    """Each page as written (docs path -> stamp); empty where pages were updated in place."""

    def holds(self, docs_dir: Path, manifest: str | None = None) -> bool:
        """Whether build/docs/ still holds exactly these pages (of `manifest`, if given): none
        missing, changed or added since."""
        if not self.files or (manifest is not None and manifest != self.manifest):
            return False
        return not mismatches(docs_dir, self.files, added=".md")


def read_docs_record(build_dir: Path) -> DocsRecord:
    """The record of the last build that wrote build/docs/ (an empty one if there is none)."""
    try:
        data = json.loads((build_dir / DOCS_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DocsRecord()
    match data:
        case {"inputs": str() | None as inputs, "manifest": str() | None as manifest, "files": dict(files)}:
            stamps = {name: Stamp.from_list(value) for name, value in files.items()}
            if all(isinstance(name, str) and stamp is not None for name, stamp in stamps.items()):
                return DocsRecord(inputs, manifest, {name: s for name, s in stamps.items() if s})
    return DocsRecord()


def write_docs_record(build_dir: Path, record: DocsRecord) -> None:
    """Write the record atomically."""
    path = build_dir / DOCS_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    files = {name: stamp.as_list() for name, stamp in record.files.items()}
    text = json.dumps({"inputs": record.inputs, "manifest": record.manifest, "files": files}, sort_keys=True)
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def update_pages(folder: Path, pages: Iterable[tuple[str, str]]) -> list[str]:
    """Write only the pages whose text changed and delete pages that are gone; return both.

    Unchanged files keep their modification time, which is what lets MkDocs rebuild only the
    pages that changed. The paths returned are relative to `folder`, written ones first.
    """
    changed: list[str] = []
    wanted: set[Path] = set()
    for relative, text in pages:
        wanted.add(folder / relative)
        if update_page(folder, relative, text):
            changed.append(relative)
    for stale in sorted(folder.rglob("*.md")):
        if stale not in wanted:
            stale.unlink()
            changed.append(stale.relative_to(folder).as_posix())
    return changed


def remove_pages(site: Path, urls: Iterable[str]) -> None:
    """Delete the HTML of pages at site-relative directory `urls` (`articles/2021/x/`), and the
    folders that leaves empty, up to the site itself."""
    for url in urls:
        page = site / url / "index.html"
        page.unlink(missing_ok=True)
        folder = page.parent
        while folder != site and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def update_page(folder: Path, relative: str, text: str) -> bool:
    """Write one page under `folder` unless it already holds `text`; return whether it was written."""
    path = folder / relative
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def swap_in(staged: Path, target: Path) -> None:
    """Replace `target` with the fully written `staged` folder, atomically where the OS allows."""
    if target.exists() and _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the previous tree
        return
    if not target.exists():
        os.rename(staged, target)
        return
    old = target.with_name(f"{OLD_PREFIX}{target.name}-{os.getpid()}")
    os.rename(target, old)
    os.rename(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not hasattr(os, "sched_getaffinity"):  # not Linux
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result != 0:
        log.debug("renameat2 failed (errno %s); falling back to two renames", ctypes.get_errno())
        return False
    return True


def recover(target: Path) -> None:
    """Undo what a killed build left beside `target`: restore a stranded old tree, drop temp folders.

    Only what no running build owns: a folder named after a live process other than this one is
    left alone (it belongs to a build that does not hold our lock: another version, another host).
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for entry in sorted(parent.iterdir()):
        if _owned_by_another_live_process(entry.name, target.name):
            continue
        if entry.name.startswith(f"{OLD_PREFIX}{target.name}-"):
            if not target.exists():
                os.rename(entry, target)
                log.info("restored %s from an interrupted build", target)
            else:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(f"{TEMP_PREFIX}{target.name}-"):
            shutil.rmtree(entry, ignore_errors=True)


def _owned_by_another_live_process(name: str, target: str) -> bool:
    """Whether a temporary or old folder's name carries the PID of a running process not ours."""
    for prefix in (f"{TEMP_PREFIX}{target}-", f"{OLD_PREFIX}{target}-"):
        if name.startswith(prefix):
            pid = name[len(prefix) :].split("-", 1)[0]
            return pid.isdigit() and int(pid) != os.getpid() and process_alive(int(pid))
    return False


def process_alive(pid: int) -> bool:
    """Whether a process with this PID is running (a zombie, dead but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): kill's answer stands
    return state not in ("Z", "X")
