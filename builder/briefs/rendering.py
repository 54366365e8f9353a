"""Render every page's data to Markdown through the Jinja2 templates.

Templates are looked up first in the project's `templates/` folder, then in the built-in defaults.
Every `{{ value }}` is escaped as Markdown text unless it is `Markup` (sanitised Markdown the
pipeline vouches for), so a template cannot forget to escape a title. Content is only ever data:
nothing from an article is compiled as a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    pass_context,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from markupsafe import Markup

from builder.briefs import charts, markup
from builder.briefs.assembly import ArticlePage, Site
from builder.briefs.digest import ArchiveYear
from builder.editions.calendar import day_month
from builder.editions.desk import ARROWS
from builder.model import Article, SiteConfig

_PACKAGE = Path(__file__).resolve().parents[1]
DEFAULT_TEMPLATES = (
    _PACKAGE / "default_templates"
    if (_PACKAGE / "default_templates").is_dir()
    else _PACKAGE.parent / "templates"
)
"""The built-in templates: packaged inside the wheel, or the checkout's templates/ folder."""


class ProjectTemplates(FileSystemLoader):
    """The project's `templates/` folder, without what lies outside the project.

    A template whose path (or folder) is a symlink out of the project is not read: it would
    print the linked file into the site. Jinja then takes the built-in template of that name;
    `check` and `build` report the symlink (`builder.content.loading`).
    """

    def __init__(self, folder: Path, project_root: Path) -> None:
        super().__init__(str(folder))
        self._folder = folder
        self._root = project_root.resolve()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self._folder.joinpath(*split_template_path(template))
        try:
            inside = path.resolve(strict=True).is_relative_to(self._root)
        except (OSError, RuntimeError):  # missing, or a symlink loop
            inside = False
        if not inside:
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def environment(project_root: Path) -> Environment:
    """A Jinja environment that prefers the project's templates over the built-in ones."""
    folder = project_root / "templates"
    loaders: list[BaseLoader] = [ProjectTemplates(folder, project_root)] if folder.is_dir() else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(DEFAULT_TEMPLATES))]),
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
        opening_words=opening_words,
        month=lambda d: Markup(f"{d:%B} {d.year}"),
        count=count,
        block=lambda md: Markup(md),
        yaml=markup.yaml_text,
        chart=charts.coverage_chart,
        sparkline=charts.sparkline,
        day_month=day_month,
        arrow=lambda status: ARROWS[status],
    )
    env.globals.update(
        link=link, hashes=lambda n: Markup("#" * max(1, min(int(n), 6))), desk_summary=desk_summary
    )
    return env


def desk_summary(article: Article, config: SiteConfig) -> bool:
    """Whether the article's text is the desk's own summary of its report (`SiteConfig.desk_summary`)."""
    return config.desk_summary(article)


def opening_words(text: str, words: int = 12) -> str:
    """The first `words` words of a passage's text, with an ellipsis when there is more."""
    split = text.split()
    return " ".join(split) if len(split) <= words else " ".join(split[:words]).rstrip(",;:") + "…"


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
        return target[len(here) :]
    here_parts = here.rstrip("/").split("/")
    target_parts = target.split("/")
    common = 0
    while common < min(len(here_parts), len(target_parts) - 1) and here_parts[common] == target_parts[common]:
        common += 1
    return "../" * (len(here_parts) - common) + "/".join(target_parts[common:])


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One Markdown page to render: where it goes, its template and what the template is given."""

    path: str
    """Docs-relative path."""
    template: str
    context: Mapping[str, Any]
    """The template's variables, `page_path` included; `builder.pipeline.keys` keys the page on them."""


def site_page_specs(site: Site) -> list[PageSpec]:
    """Every page except article pages, in a stable order."""
    config = site.project.config

    def spec(path: str, template: str, **data: Any) -> PageSpec:
        return PageSpec(path, template, {"page_path": path, "config": config, "site": site, **data})

    return [
        spec("index.md", "home.md.jinja"),
        spec("timeline.md", "timeline.md.jinja"),
        spec("actors/index.md", "actors.md.jinja"),
        *(
            spec(b.topic.page, "brief.md.jinja", brief=b, topic=b.topic, news=site.desk.news[b.topic.id])
            for b in site.briefs
        ),
        *archive_specs(site, spec),
        *(spec(a.actor.page, "actor.md.jinja", entry=a, actor=a.actor) for a in site.actors),
        *edition_specs(site, spec),
    ]


def edition_specs(site: Site, spec: Callable[..., PageSpec]) -> list[PageSpec]:
    """Each edition's page and their index (none when editions are off or nothing is published).

    An edition's page is given only its own data, so an edit in one edition renders that page
    again and leaves the others alone."""
    desk = site.desk
    if not desk.editions:
        return []
    index = [
        (e.id, e.period.title, e.period.span, e.articles, sum(1 for b in e.briefs if b.developments))
        for e in desk.editions
    ]
    return [
        spec("editions/index.md", "editions.md.jinja", editions=tuple(index), unit=desk.unit),
        *(spec(e.page, "edition.md.jinja", edition=e) for e in desk.editions),
    ]


def archive_specs(site: Site, spec: Callable[..., PageSpec]) -> list[PageSpec]:
    """A topic's yearly archive pages, each told its neighbours (`newer`, `older`: None at the ends)."""
    by_topic: dict[str, list[ArchiveYear]] = {}
    for year in site.archives:
        by_topic.setdefault(year.topic.id, []).append(year)
    specs = []
    for years in by_topic.values():
        years.sort(key=lambda y: -y.year)
        for index, year in enumerate(years):
            newer = years[index - 1] if index > 0 else None
            older = years[index + 1] if index + 1 < len(years) else None
            specs.append(
                spec(year.page, "archive.md.jinja", topic=year.topic, year=year, newer=newer, older=older)
            )
    return specs


def article_spec(config: SiteConfig, entry: ArticlePage) -> PageSpec:
    """An article page. Its template sees only the settings and the article's own page data."""
    page = entry.article.page
    context = {"page_path": page, "config": config, "entry": entry, "article": entry.article}
    return PageSpec(page, "article.md.jinja", context)


def render(env: Environment, spec: PageSpec) -> str:
    """The page's Markdown."""
    return env.get_template(spec.template).render(spec.context)


def render_article(env: Environment, config: SiteConfig, entry: ArticlePage) -> str:
    """An article page's Markdown."""
    return render(env, article_spec(config, entry))
