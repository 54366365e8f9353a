"""Render every page's data to Markdown through the Jinja2 templates.

Templates are looked up first in the project's `templates/` folder, then in the built-in defaults.
Every `{{ value }}` is escaped as Markdown text unless it is `Markup` (sanitised Markdown the
pipeline vouches for), so a template cannot forget to escape a title. Content is only ever data:
nothing from an article is compiled as a template.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from builder import markup
from builder.assembly import Site

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
    here = posixpath.dirname(context["page_path"])
    relative = posixpath.relpath(target, here or ".")
    return Markup(relative + (f"#{anchor}" if anchor else ""))


def render_pages(site: Site, env: Environment) -> Iterator[tuple[str, str]]:
    """Yield (docs-relative path, Markdown) for every page of the site, in a stable order."""
    config = site.project.config
    common: dict[str, Any] = {"config": config, "site": site}

    def page(path: str, template: str, **data: Any) -> tuple[str, str]:
        return path, env.get_template(template).render(page_path=path, **common, **data)

    yield page("index.md", "home.md.jinja")
    yield page("timeline.md", "timeline.md.jinja")
    yield page("actors/index.md", "actors.md.jinja")
    for brief in site.briefs:
        yield page(brief.topic.page, "brief.md.jinja", brief=brief, topic=brief.topic)
    for actor_page in site.actors:
        yield page(actor_page.actor.page, "actor.md.jinja", entry=actor_page, actor=actor_page.actor)
    for article_page in site.articles:
        yield page(
            article_page.article.page, "article.md.jinja", entry=article_page, article=article_page.article
        )
