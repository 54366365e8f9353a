"""Which drafts `import` wrote, and with what text: `import --force` replaces only those, unchanged.

`--force` is for importing a page again (another date, a better source) over the draft the last
import made. An editor's work must never be lost to it: a file that is no longer a draft, or that
anyone changed since it was imported, is refused with the reason. What import wrote is recorded
as the SHA-256 of each draft's text, by project-relative path, in build/.cache/imported.json
(beside the build's cache; without that record, as in a fresh clone, --force refuses).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from builder.content.sourcefiles import SourceProblem, split_front_matter
from builder.content.yamlsafe import YamlProblem, load_yaml
from builder.errors import ContentError

RECORD = "build/.cache/imported.json"
_RULE = (
    "--force only replaces a draft that is unchanged since it was imported; pass --title to import "
    "it under another name, or delete the file first"
)


def check_replaceable(root: Path, relative: str) -> None:
    """Raise ContentError unless the file at `relative`, if any, is a draft exactly as import wrote it."""
    path = root / relative
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ContentError(f"cannot read {relative}: {exc.strerror}") from None
    if not _is_draft(data):
        raise ContentError(f"{relative} already exists and is no longer a draft; nothing written ({_RULE})")
    if _recorded(root).get(relative) != hashlib.sha256(data).hexdigest():
        raise ContentError(
            f"{relative} already exists and was changed since it was imported (or not imported here); "
            f"nothing written ({_RULE})"
        )


def remember(root: Path, relative: str, text: str) -> None:
    """Record the text import wrote at `relative`, so that `--force` may replace it while unchanged."""
    record = _recorded(root)
    record[relative] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    path = root / RECORD
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record, sort_keys=True, indent=0), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # the draft is written; without the record, --force will refuse rather than guess


def _recorded(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _is_draft(data: bytes) -> bool:
    try:
        split = split_front_matter(data.decode("utf-8"))
        meta = load_yaml(split.meta_text, first_line=split.meta_first_line).value
    except (UnicodeDecodeError, SourceProblem, YamlProblem):
        return False
    return isinstance(meta, dict) and meta.get("draft") is True
