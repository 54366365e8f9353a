"""What the site in the output folder was built from, output by output: where the next build starts.

A build that finds the site it wrote last time, unchanged since (its marker holds the manifest
recorded here), stages the new site from it and renders only what differs. For that it needs, per
output, a digest of what made it:

* `frame`: everything every page's HTML depends on besides its own Markdown (MkDocs' settings
  and nav, the theme, the versions of the engine, Briefdesk's code). When it differs, every page
  is built again;
* `pages`: each Markdown page's digest (docs path -> SHA-256 of its text);
* `outputs`: the key of each other output (a feed, the search index), as the build computes it;
* `files`: every file the site held, with its size, time and digest (`filestamps`), so the next
  build takes exactly those from it, and only while they are still what the build left: a page
  deleted or changed by hand since is made again, never kept.

The record is plain JSON in build/.cache/, written only once the site it describes is complete
(after the swap; after `serve`'s catch-up for a site updated in place). It is only a hint: one that
cannot be read, or that belongs to another site than the one in the output folder, means a whole
build, never a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from builder.pipeline.filestamps import Stamp, mismatches

log = logging.getLogger(__name__)

STATE_FILE = ".cache/site-state.json"
_FORMAT = 2


@dataclass(slots=True)
class SiteState:
    """What one built site was made from."""

    marker: str
    """The manifest written into the site's marker file when it was built."""
    frame: str
    pages: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    files: dict[str, Stamp] = field(default_factory=dict)
    """Every file of the built site (site-relative path -> stamp): the next build links exactly these."""


@dataclass(frozen=True, slots=True)
class PreviousSite:
    """The record of the site in the output folder, and what of that site no longer matches it."""

    state: SiteState
    damaged: tuple[str, ...]
    """Site-relative files missing, changed or added since the build that left them."""


def previous_site(build_dir: Path, site_dir: Path, marker: str | None) -> PreviousSite | None:
    """The record of the site whose marker says `marker`, checked file by file against the
    folder; None when no record describes that site."""
    state = load(build_dir)
    if state is None or marker is None or state.marker != marker or not state.files:
        return None
    damaged = mismatches(site_dir, state.files)
    if damaged:
        shown = ", ".join(damaged[:3]) + (", …" if len(damaged) > 3 else "")
        one = len(damaged) == 1
        log.warning(
            "%s: %s not as the last build left it (%s); making %s again",
            site_dir,
            "1 file is" if one else f"{len(damaged):,} files are",
            shown,
            "it" if one else "them",
        )
    return PreviousSite(state, tuple(damaged))


def page_digests(pages: list[tuple[str, str]]) -> dict[str, str]:
    """Docs path -> SHA-256 of the page's Markdown."""
    return {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in pages}


def load(build_dir: Path) -> SiteState | None:
    """The recorded state, or None when there is none or it cannot be read (with a warning)."""
    path = build_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot be read (%s); building the whole site", path, exc)
        return None
    match data:
        case {
            "format": 2,
            "marker": str(marker),
            "frame": str(frame),
            "pages": dict(pages),
            "outputs": dict(outputs),
            "files": dict(files),
        }:
            pairs = (*pages.items(), *outputs.items())
            stamps = {name: Stamp.from_list(value) for name, value in files.items()}
            if all(isinstance(k, str) and isinstance(v, str) for k, v in pairs) and all(
                isinstance(f, str) and _inside(f) and stamps[f] is not None for f in files
            ):
                return SiteState(marker, frame, pages, outputs, {f: s for f, s in stamps.items() if s})
    log.warning("%s: not a record of a Briefdesk site; building the whole site", path)
    return None


def save(build_dir: Path, state: SiteState) -> None:
    """Write the record atomically."""
    path = build_dir / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    record = {
        "format": _FORMAT,
        "marker": state.marker,
        "frame": state.frame,
        "pages": state.pages,
        "outputs": state.outputs,
        "files": {name: stamp.as_list() for name, stamp in state.files.items()},
    }
    temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _inside(relative: str) -> bool:
    """A relative path that stays inside the site (a damaged record must not reach elsewhere)."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and ".." not in parts and "" not in parts


def forget(build_dir: Path) -> None:
    """Drop the record: the site is about to change in ways it does not describe (serve's updates)."""
    (build_dir / STATE_FILE).unlink(missing_ok=True)
