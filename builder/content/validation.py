"""Check raw documents against the content model and build the typed domain objects."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ValidationError

from builder.content import judgement, schema
from builder.content.loading import CONFIG_FILE, RawDocument
from builder.content.yamlsafe import YamlDocument
from builder.diagnostics import Diagnostic, describe, did_you_mean
from builder.markdown.passages import split_passages
from builder.markdown.sanitise import RELATIVE_LINK, describe_removals, sanitise_markdown
from builder.model import (
    Actor,
    Article,
    BriefSettings,
    Heading,
    Passage,
    RoutingSettings,
    SiteConfig,
    SourceInfo,
    Topic,
)

MAX_NESTING = 8
"""Deepest nesting of lists and blockquotes in a passage: real articles use two or three, and
Python-Markdown (which renders the site) runs out of stack on a few hundred nested lists."""

PLACEHOLDERS = frozenset({"TODO", "TBD", "FIXME", "XXX", "?"})
"""Sources an editor writes while the publisher is still unknown (`import` writes TODO)."""

_REQUIRED = {
    "article": "title, date and source",
    "topic": "a title",
    "actor": "a name",
}


def _mapping(path: str, meta: YamlDocument, kind: str, problems: list[Diagnostic]) -> dict[str, Any] | None:
    """The front matter as a mapping, or None with a diagnostic explaining what it is instead."""
    value = meta.value
    if isinstance(value, dict):
        return value
    if value is None:
        message = f"front matter is empty: add {_REQUIRED[kind]}"
    elif isinstance(value, list):
        message = "front matter is a list; it must be 'key: value' lines such as 'title: ...'"
    else:
        message = f"front matter is {describe(value)}; it must be 'key: value' lines such as 'title: ...'"
    problems.append(
        Diagnostic(path, 1 if value is None else meta.root_line, "error", "front-matter-type", message)
    )
    return None


def _checked(
    path: str,
    meta: YamlDocument,
    model: type[BaseModel],
    data: dict[str, Any],
    known: frozenset[str],
    problems: list[Diagnostic],
    *,
    prefix: tuple[str, ...] = (),
) -> BaseModel | None:
    """Validate `data` against `model`, adding unknown-key warnings and schema errors."""
    for key, line, first in meta.duplicate_keys:
        problems.append(
            Diagnostic(
                path,
                line,
                "error",
                "duplicate-key",
                f"key '{key}' is written twice (first on line {first}); keep one",
            )
        )
    for key in data:
        if key not in known:
            problems.append(
                Diagnostic(
                    path,
                    meta.line_of(*prefix, key),
                    "warning",
                    "unknown-key",
                    f"unknown key '{'.'.join((*prefix, key))}'; it is ignored.{did_you_mean(key, known)}"
                    + ("" if did_you_mean(key, known) else f" Known keys: {', '.join(sorted(known))}."),
                )
            )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for location, message in schema.explain(error):
            line = meta.line_of(*prefix, *location, default=meta.line_of(*prefix))
            problems.append(Diagnostic(path, line, "error", "invalid-value", message))
        return None


def _key_lines(meta: YamlDocument) -> dict[str, int]:
    return {str(key[0]): line for key, line in meta.lines.items() if len(key) == 1}


def validate_document(raw: RawDocument) -> tuple[Article | Topic | Actor | None, list[Diagnostic]]:
    """Turn one raw document into its domain object, collecting every problem in it."""
    problems: list[Diagnostic] = []
    source = raw.source
    data = _mapping(source.path, raw.meta, source.kind, problems)
    if data is None:
        return None, problems
    if source.kind == "article":
        return _article(raw, data, problems), problems
    if source.kind == "topic":
        return _topic(raw, data, problems), problems
    return _actor(raw, data, problems), problems


def _article(raw: RawDocument, data: dict[str, Any], problems: list[Diagnostic]) -> Article | None:
    path = raw.source.path
    meta = _checked(path, raw.meta, schema.ArticleMeta, data, schema.ARTICLE_KEYS, problems)
    slug = data.get("slug") if isinstance(data.get("slug"), str) else None
    if slug is None:
        slug = schema.slugify(raw.source.stem)
        if not slug:
            problems.append(
                Diagnostic(
                    path,
                    1,
                    "error",
                    "invalid-slug",
                    f"cannot make a slug from the file name '{raw.source.stem}'; "
                    "add 'slug: some-words' to the front matter",
                )
            )
    if not isinstance(meta, schema.ArticleMeta) or not slug:
        return None
    if meta.source.strip().upper() in PLACEHOLDERS:
        problems.append(_placeholder_source(path, raw.meta.line_of("source"), meta.source, draft=meta.draft))
    flag = meta.extra.get("desk_summary")
    if flag is not None and not isinstance(flag, bool):
        problems.append(
            Diagnostic(
                path,
                raw.meta.line_of("extra", "desk_summary"),
                "warning",
                "invalid-value",
                f"'extra.desk_summary': expected true or false, found {describe(flag)}; it is ignored",
            )
        )
    passages, blocks = split_passages(raw.body, raw.body_first_line)
    passages, blocks = _sanitised(path, passages, blocks, meta.url, problems)
    for passage in passages:
        if passage.depth > MAX_NESTING:
            problems.append(
                Diagnostic(
                    path,
                    passage.line,
                    "error",
                    "too-deep",
                    f"passage {passage.number} nests lists or blockquotes more than {MAX_NESTING} levels "
                    f"deep (the limit): flatten it",
                )
            )
            return None
    return Article(
        path=path,
        slug=meta.slug or slug,
        title=meta.title,
        date=meta.date,
        source=meta.source,
        url=meta.url,
        topics=tuple(dict.fromkeys(meta.topics)),
        actors=tuple(dict.fromkeys(meta.actors)),
        speaker=meta.speaker,
        summary=meta.summary,
        tags=tuple(meta.tags),
        draft=meta.draft,
        extra=meta.extra,
        passages=passages,
        blocks=blocks,
        key_lines=_key_lines(raw.meta),
    )


def _placeholder_source(path: str, line: int, source: str, *, draft: bool) -> Diagnostic:
    """Flag a placeholder publisher: an error once published, a warning while still a draft.

    `import` writes 'source: TODO' when it finds no publisher; a published article would then
    print "TODO" as its source in every brief that quotes it, so only a draft may carry it.
    """
    if draft:
        message = f"'source' is still the placeholder '{source}': name the publisher before publishing"
        return Diagnostic(path, line, "warning", "placeholder", message)
    message = (
        f"'source' is the placeholder '{source}' in a published article: name the publisher, "
        "or mark the article 'draft: true' until you can"
    )
    return Diagnostic(path, line, "error", "placeholder", message)


def _sanitised(
    path: str,
    passages: tuple[Passage, ...],
    blocks: tuple[Passage | Heading, ...],
    base_url: str | None,
    problems: list[Diagnostic],
) -> tuple[tuple[Passage, ...], tuple[Passage | Heading, ...]]:
    """Make every passage and heading safe to place in a page, warning about what was changed."""
    cleaned: dict[int, Passage | Heading] = {}
    for index, block in enumerate(blocks):
        result = sanitise_markdown(block.markdown, resolve_relative=True, base_url=base_url)
        if result.markdown == block.markdown:
            continue
        cleaned[index] = dataclasses.replace(block, markdown=result.markdown)
        where = f"passage {block.number}" if isinstance(block, Passage) else "a heading"
        first = block.line if isinstance(block, Passage) else 1
        unsafe = [r for r in result.removals if not r.what.startswith(RELATIVE_LINK)]
        for line, removed in describe_removals(unsafe, first):
            problems.append(
                Diagnostic(path, line, "warning", "unsafe-html", f"removed {removed} from {where}")
            )
        done = "resolved it against the article's url" if base_url else "dropped it: the article has no url"
        for removal in result.removals:
            if removal.what.startswith(RELATIVE_LINK):
                problems.append(
                    Diagnostic(
                        path,
                        first + removal.line - 1,
                        "warning",
                        "relative-link",
                        f"{where} has a {removal.what}, which only worked on the original page; {done}",
                    )
                )
    if not cleaned:
        return passages, blocks
    new_blocks = tuple(cleaned.get(i, block) for i, block in enumerate(blocks))
    return tuple(b for b in new_blocks if isinstance(b, Passage)), new_blocks


def _safe_body(path: str, body: str, first_line: int, what: str, problems: list[Diagnostic]) -> str:
    """A topic overview or actor description, made safe, with a warning for each removal."""
    result = sanitise_markdown(body, resolve_relative=True)
    for line, removed in describe_removals(result.removals, first_line):
        problems.append(
            Diagnostic(path, line, "warning", "unsafe-html", f"removed {removed} from the {what}")
        )
    return result.markdown


def _topic(raw: RawDocument, data: dict[str, Any], problems: list[Diagnostic]) -> Topic | None:
    meta = _checked(raw.source.path, raw.meta, schema.TopicMeta, data, schema.TOPIC_KEYS, problems)
    if not isinstance(meta, schema.TopicMeta):
        return None
    judged = judgement.topic_problems(raw.source.path, raw.source.stem, meta, raw.meta)
    problems.extend(judged)
    if any(problem.severity == "error" for problem in judged):
        return None
    return Topic(
        id=raw.source.stem,
        path=raw.source.path,
        title=meta.title,
        aliases=tuple(dict.fromkeys(meta.aliases or [meta.title])),
        exclude=tuple(dict.fromkeys(meta.exclude)),
        related=tuple(dict.fromkeys(meta.related)),
        region=meta.region,
        summary=meta.summary,
        overview=_safe_body(raw.source.path, raw.body, raw.body_first_line, "overview", problems).strip("\n"),
        key_lines=_key_lines(raw.meta),
        bottom_line=meta.bottom_line,
        reviewed=meta.reviewed if meta.bottom_line is not None else None,
        trend=judgement.trend_of(meta),
        watch=judgement.watch_of(meta),
    )


def _actor(raw: RawDocument, data: dict[str, Any], problems: list[Diagnostic]) -> Actor | None:
    meta = _checked(raw.source.path, raw.meta, schema.ActorMeta, data, schema.ACTOR_KEYS, problems)
    if not isinstance(meta, schema.ActorMeta):
        return None
    return Actor(
        id=raw.source.stem,
        path=raw.source.path,
        name=meta.name,
        aliases=tuple(dict.fromkeys(meta.aliases or [meta.name])),
        kind=meta.kind,
        description=_safe_body(raw.source.path, raw.body, raw.body_first_line, "description", problems).strip(
            "\n"
        ),
        key_lines=_key_lines(raw.meta),
    )


def validate_config(meta: YamlDocument) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Validate site_config.yml into SiteConfig."""
    problems: list[Diagnostic] = []
    data = meta.value
    if not isinstance(data, dict):
        problems.append(
            Diagnostic(
                CONFIG_FILE,
                1,
                "error",
                "config-type",
                f"{CONFIG_FILE} must be 'key: value' lines, found {describe(data)}",
            )
        )
        return None, problems
    checked = _checked(CONFIG_FILE, meta, schema.ConfigMeta, data, schema.CONFIG_KEYS, problems)
    for section, known in schema.NESTED_CONFIG_KEYS.items():
        nested = data.get(section)
        if isinstance(nested, dict):
            for key in nested:
                if key not in known:
                    unknown = f"unknown key '{section}.{key}'; it is ignored.{did_you_mean(key, known)}"
                    retired = schema.RETIRED_CONFIG_KEYS.get((section, key))
                    problems.append(
                        Diagnostic(
                            CONFIG_FILE,
                            meta.line_of(section, key),
                            "warning",
                            "retired-key" if retired else "unknown-key",
                            retired or unknown,
                        )
                    )
    if not isinstance(checked, schema.ConfigMeta):
        return None, problems
    return SiteConfig(
        site_name=checked.site_name,
        site_url=checked.site_url,
        site_description=checked.site_description,
        site_author=checked.site_author,
        language=checked.language,
        repo_url=checked.repo_url,
        repo_name=checked.repo_name,
        copyright=checked.copyright,
        routing=RoutingSettings(**checked.routing.model_dump()),
        briefs=BriefSettings(**checked.briefs.model_dump()),
        pdf=checked.pdf,
        desk_summaries=checked.desk_summaries,
        sources={
            name: SourceInfo(kind=meta.kind, country=meta.country)
            for name, meta in sorted(checked.sources.items())
        },
        theme=checked.theme,
        editions=checked.editions,
    ), problems
