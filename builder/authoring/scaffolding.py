"""`briefdesk new`: scaffold an article, topic or actor file that `briefdesk check` accepts as is.

Files are composed in code rather than from Jinja templates: a title such as `NO` or
`Iran: what next` must be quoted for YAML, and `builder.content.yamlwriter` decides that per value,
which a template could only do through the same function. Each file is validated by the
project's loader before it is written, and an existing file is never replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.authoring import draft
from builder.authoring.suggest import load_vocabulary
from builder.content import schema
from builder.content.loading import read_config
from builder.content.yamlwriter import FrontMatterValue
from builder.diagnostics import Diagnostic
from builder.errors import UsageError
from builder.routing.matching import normalise

_KEEP_HINT = "edit it, or choose another name"


@dataclass(frozen=True, slots=True)
class Scaffold:
    """A file written by `new`, and what the editor should know about it."""

    path: str
    """Project-relative path."""
    notes: tuple[str, ...] = ()
    """Warnings `briefdesk check` would also give, and next steps."""


def new_article(
    root: Path,
    title: str,
    *,
    source: str | None,
    date: str | None,
    url: str | None,
    draft_flag: bool,
    today: dt.date,
) -> Scaffold:
    """Write an article with its front matter and an empty body."""
    _require_project(root)
    if source is None:
        # No placeholder: a made-up source passes `check` and would be published as is.
        raise UsageError("--source is required: name the publisher, e.g. --source Reuters")
    given = {"title": title, "source": source, "date": date or today.isoformat()}
    if url is not None:
        given["url"] = url
    draft.check_flags(
        schema.ArticleMeta,
        given,
        {"title": "the title", "source": "--source", "date": "--date", "url": "--url"},
    )
    day = dt.date.fromisoformat(given["date"].strip())
    fields: dict[str, FrontMatterValue] = {
        "title": " ".join(title.split()),
        "date": day,
        "source": source.strip(),
        "url": url.strip() if url else None,
        "topics": [],
        "actors": [],
        "draft": True if draft_flag else None,
    }
    path = draft.article_path(day, title, url)
    text = draft.compose(fields, "")
    draft.validated(text, path, "article")
    draft.write_new(root, path, text, hint=_KEEP_HINT)
    return Scaffold(path, ("next: write the text below the front matter, one paragraph per passage",))


def new_topic(
    root: Path, topic_id: str, *, title: str, aliases: Sequence[str], region: str | None, summary: str | None
) -> Scaffold:
    """Write a topic whose aliases start with its title."""
    _check_id(topic_id, "topic")
    all_aliases = list(dict.fromkeys([" ".join(title.split()), *(" ".join(a.split()) for a in aliases)]))
    given: dict[str, object] = {"title": title, "aliases": all_aliases}
    given.update({k: v for k, v in (("region", region), ("summary", summary)) if v is not None})
    draft.check_flags(
        schema.TopicMeta,
        given,
        {"title": "--title", "aliases": "--alias", "region": "--region", "summary": "--summary"},
    )
    fields: dict[str, FrontMatterValue] = {
        "title": " ".join(title.split()),
        "aliases": all_aliases,
        "region": region.strip() if region else None,
        "summary": " ".join(summary.split()) if summary else None,
    }
    path = f"content/topics/{topic_id}.md"
    text = draft.compose(fields, "")
    draft.validated(text, path, "topic")
    notes = _shared_alias_notes(root, topic_id, all_aliases)
    draft.write_new(root, path, text, hint=_KEEP_HINT)
    return Scaffold(path, (*notes, "next: write the topic's overview below the front matter"))


def new_actor(root: Path, actor_id: str, *, name: str, aliases: Sequence[str], kind: str | None) -> Scaffold:
    """Write an actor whose aliases start with its name."""
    _require_project(root)
    _check_id(actor_id, "actor")
    all_aliases = list(dict.fromkeys([" ".join(name.split()), *(" ".join(a.split()) for a in aliases)]))
    given: dict[str, object] = {"name": name, "aliases": all_aliases}
    if kind is not None:
        given["kind"] = kind
    draft.check_flags(schema.ActorMeta, given, {"name": "--name", "aliases": "--alias", "kind": "--kind"})
    fields: dict[str, FrontMatterValue] = {
        "name": " ".join(name.split()),
        "aliases": all_aliases,
        "kind": kind,
    }
    path = f"content/actors/{actor_id}.md"
    text = draft.compose(fields, "")
    draft.validated(text, path, "actor")
    draft.write_new(root, path, text, hint=_KEEP_HINT)
    return Scaffold(path)


def _require_project(root: Path) -> None:
    found = read_config(root)
    if isinstance(found, Diagnostic):
        raise UsageError(f"{root} is not a Briefdesk project: {found.message}")


def _check_id(value: str, what: str) -> None:
    if value == "index":
        # The topics' and actors' index pages are called index: `check` refuses the name.
        raise UsageError(f"'index' cannot be {'an' if what == 'actor' else 'a'} {what} id: choose another")
    if len(value) > schema.MAX_ID_LENGTH:
        raise UsageError(
            f"the {what} id is {len(value)} characters long; the limit is {schema.MAX_ID_LENGTH}"
        )
    if not schema.ID_PATTERN.fullmatch(value):
        suggestion = schema.slugify(value) or f"my-{what}"
        raise UsageError(
            f"'{value}' is not a valid {what} id: use lower-case letters, digits and single hyphens, "
            f"e.g. '{suggestion}'"
        )


def _shared_alias_notes(root: Path, topic_id: str, aliases: Sequence[str]) -> tuple[str, ...]:
    """Warn, as `check` will, when another topic already claims one of the new aliases."""
    owners: dict[str, list[str]] = {}
    for topic in load_vocabulary(root).topics.values():
        for alias in topic.aliases:
            owners.setdefault(normalise(alias), []).append(topic.id)
    notes = []
    for alias in aliases:
        others = [t for t in owners.get(normalise(alias), []) if t != topic_id]
        if others:
            notes.append(
                f"warning: alias '{alias}' is also an alias of {', '.join(sorted(others))}; "
                "a mention counts for both (briefdesk check --strict fails on this)"
            )
    return tuple(notes)
