"""Render every page's data to Markdown through the Jinja2 templates.

Templates are looked up first in the project's `templates/` folder, then in the built-in defaults.
Every `{{ value }}` is escaped as Markdown text unless it is `Markup` (sanitised Markdown the
pipeline vouches for), so a template cannot forget to escape a title. Content is only ever data:
nothing from an article is compiled as a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, meta, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from builder import markup
from builder.assembly import ArticlePage, Site
from builder.model import SiteConfig

DEFAULT_TEMPLATES = (
    Path(__file__).with_name("default_templates")
    if Path(__file__).with_name("default_templates").is_dir()
    else Path(__file__).resolve().parents[1] / "templates"
)
"""The built-in templates: packaged inside the wheel, or the checkout's templates/ folder."""


def environment(project_root: Path) -> Environment:
    """A Jinja environment that prefers the project's templates over the built-in ones."""
    folders = [project_root / "templates", DEFAULT_TEMPLATES]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders if f.is_dir()]),
        undefined=StrictUndefined,
        # Every printed value is Markdown-escaped unless it is Markup; autoescape makes macro output
        # Markup, so a macro's result is not escaped a second time.
        finalize=markup.escape,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        text=markup.escape,
        attr=markup.plain,
        url=markup.url,
        blockquote=markup.blockquote,
        indent_block=markup.indent,
        long_date=long_date,
        month=lambda d: Markup(f"{d:%B} {d.year}"),
        count=count,
        block=lambda md: Markup(md),
        yaml=markup.yaml_text,
    )
    env.globals.update(link=link, hashes=lambda n: Markup("#" * max(1, min(int(n), 6))))
    return env


def long_date(value: dt.date | None) -> str:
    """22 March 2021 (English month names, independent of the machine's locale)."""
    if value is None:
        return "no date"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def count(number: int, word: str, plural: str | None = None) -> str:
    """'1 article', '3 articles'."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"


@pass_context
def link(context: Context, target: str, anchor: str = "") -> Markup:
    """Relative link from the page being rendered to `target` (a docs/ path), with an anchor."""
    return Markup(relative_link(context["page_path"], target) + (f"#{anchor}" if anchor else ""))


def relative_link(page: str, target: str) -> str:
    """`target` relative to the folder of `page` (both docs/-relative POSIX paths, no `..`).

    Written out instead of posixpath.relpath, which resolves absolute paths and costs ten times
    as much: briefs hold tens of thousands of links at scale.
    """
    here = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    if target.startswith(here):
        return target[len(here):]
    here_parts = here.rstrip("/").split("/")
    target_parts = target.split("/")
    common = 0
    while common < min(len(here_parts), len(target_parts) - 1) and here_parts[common] == target_parts[common]:
        common += 1
    return "../" * (len(here_parts) - common) + "/".join(target_parts[common:])


def render_site_pages(
    site: Site, env: Environment, reuse: Callable[[str], str | None] = lambda path: None
) -> Iterator[tuple[str, str]]:
    """Yield (docs-relative path, Markdown) for every page except article pages, in a stable order.

    `reuse(path)` may return a brief's, an actor's or the timeline page as it was rendered before,
    when nothing it shows has changed (the caller knows, see `builder.pipeline.site_page_keys`).
    """
    common: dict[str, Any] = {"config": site.project.config, "site": site}

    def page(path: str, template: str, **data: Any) -> tuple[str, str]:
        return path, env.get_template(template).render(page_path=path, **common, **data)

    def reused_or(path: str, template: str, **data: Any) -> tuple[str, str]:
        text = reuse(path)
        return (path, text) if text is not None else page(path, template, **data)

    yield page("index.md", "home.md.jinja")
    yield reused_or("timeline.md", "timeline.md.jinja")
    yield page("actors/index.md", "actors.md.jinja")
    for brief in site.briefs:
        yield reused_or(brief.topic.page, "brief.md.jinja", brief=brief, topic=brief.topic)
    for actor_page in site.actors:
        yield reused_or(actor_page.actor.page, "actor.md.jinja", entry=actor_page, actor=actor_page.actor)


def is_built_in(env: Environment, name: str) -> bool:
    """Whether template `name` is Briefdesk's own, not one the project's templates/ overrides."""
    _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return filename is not None and Path(filename).parent.resolve() == DEFAULT_TEMPLATES.resolve()


def sees_only_its_own_page(env: Environment, name: str) -> bool:
    """Whether template `name` (and every template it imports or includes) leaves `site` alone.

    Briefs and actor pages are reused by what they show; a project template that reads the
    whole site could show anything, so its pages are always rendered afresh.
    """
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        tree = env.parse(source)
        if "site" in meta.find_undeclared_variables(tree):
            return False
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:  # a template chosen at run time: it could be anything
                return False
            waiting.append(referenced)
    return True


def render_article(env: Environment, config: SiteConfig, entry: ArticlePage) -> str:
    """An article page's Markdown.

    Its template sees only the settings and the article's own page data (not the whole site), so
    the page depends on nothing else and can be cached by the article's content.
    """
    return env.get_template("article.md.jinja").render(
        page_path=entry.article.page, config=config, entry=entry, article=entry.article
    )


def template_fingerprint(env: Environment) -> str:
    """SHA-256 over every template the environment can load, in lookup order."""
    digest = hashlib.sha256()
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    return digest.hexdigest()
