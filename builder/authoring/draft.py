"""Compose a new content file, prove it valid with the project's own loader, and write it safely.

Used by `import` for drafts and by `new` for scaffolds: the text is validated by the same code
`briefdesk check` runs before a byte is written, and a file is created exclusively, so an
existing file is never overwritten unless the editor asked for it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from builder.content import schema
from builder.content.loading import Kind, RawDocument, SourceFile
from builder.content.sourcefiles import split_front_matter
from builder.content.validation import validate_document
from builder.content.yamlsafe import load_yaml
from builder.content.yamlwriter import FrontMatterValue, front_matter
from builder.errors import ContentError, UsageError
from builder.model import Actor, Article, Topic

_SLUG_WORDS = 60
"""Longest title part of a file name, in characters, cut at a hyphen."""


def article_path(date: dt.date, title: str, url: str | None = None) -> str:
    """Name a new article's file: content/articles/<yyyy>/<date>-<slug>.md, project-relative."""
    slug = schema.slugify(title) or _url_slug(url) or "article"
    if len(slug) > _SLUG_WORDS:
        slug = slug[:_SLUG_WORDS].rsplit("-", 1)[0]
    return f"content/articles/{date.year:04d}/{date.isoformat()}-{slug}.md"


def _url_slug(url: str | None) -> str:
    # A title in a script slugify cannot spell (Chinese, Cyrillic) still gets a readable name.
    if not url:
        return ""
    path = urlsplit(url).path.rstrip("/")
    return schema.slugify(path.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def compose(fields: Mapping[str, FrontMatterValue], body: str) -> str:
    """Join front matter and body (after one blank line) into the file's text."""
    body = body.strip("\n")
    return front_matter(fields) + ("\n" + body + "\n" if body else "")


def validated(text: str, path: str, kind: Kind) -> Article | Topic | Actor:
    """Load `text` as the project loader would load the file at `path`; raise if it is not valid.

    Failing here is a bug in the caller (flags are checked before a file is composed), so the
    exception keeps its traceback.
    """
    split = split_front_matter(text)
    raw = RawDocument(
        SourceFile(kind, path, Path(path).stem),
        load_yaml(split.meta_text, first_line=split.meta_first_line),
        split.body,
        split.body_first_line,
    )
    loaded, problems = validate_document(raw)
    # A draft may name its publisher 'TODO': the importer has said so, and `check` will too.
    problems = [p for p in problems if not (p.code == "placeholder" and p.severity == "warning")]
    if loaded is None or problems:
        found = "; ".join(problem.format() for problem in problems)
        raise AssertionError(f"composed an invalid {kind} file: {found}\n{text}")
    return loaded


def check_flags(model: type[BaseModel], given: Mapping[str, object], flags: Mapping[str, str]) -> None:
    """Check command-line values against a front-matter schema; raise one usage error naming the flags.

    `given` maps front-matter keys to the values the editor typed; `flags` maps those keys to
    the flag that set them (`date` -> `--date`). Keys not given are not checked here.
    """
    try:
        model.model_validate(dict(given))
        return
    except ValidationError as error:
        messages = []
        for location, message in schema.explain(error):
            key = str(location[0]) if location else ""
            if key not in given:
                continue
            messages.append(message.replace(f"'{key}'", flags.get(key, key), 1))
    if messages:
        raise UsageError("; ".join(messages))


def write_new(
    root: Path, relative: str, text: str, *, force: bool = False, hint: str = "use --force to replace it"
) -> bool:
    """Write `text` to root/relative; refuse an existing file unless `force`. Return True if replaced."""
    path = root / relative
    existed = path.exists()
    refusal = f"{relative} already exists; nothing written ({hint})"
    if existed and not force:
        raise ContentError(refusal)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if force:
            # Replace atomically: a crash leaves the old file or the new one, never half of one.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".briefdesk-", suffix=".md")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        else:
            # Mode "x" creates or fails in one step: no window in which another writer's file is lost.
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
    except FileExistsError:
        raise ContentError(refusal) from None
    except OSError as exc:
        raise ContentError(f"cannot write {relative}: {exc.strerror}") from None
    return existed
