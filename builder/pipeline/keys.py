"""What depends on what, decided in one place: page keys, the build's input digest, the site manifest.

Above all, what a page depends on: everything its template could read.

A page is a template rendered over a context: `page_path`, `config`, the page's own data (an
article's `entry`, a brief's `brief` and `topic`, an actor's `entry` and `actor`) and `site`,
the whole site. A page's key is a digest of

* every template the environment can load (a project template overrides a built-in one by name,
  and any of them may be imported or included),
* and the value of each context variable the template can see, walked field by field through the
  frozen dataclasses of the model and of `assembly`: a template that starts printing a topic's
  `summary`, an actor's `kind` or an article's `extra` is covered the day it does, because the
  whole topic, actor or article is in the key, not the few fields someone listed by hand.

`site` holds every page's data, so it enters a key only when the template (or a template it
imports or includes) names it; such a page is reused only when nothing at all has changed. None
of Briefdesk's filters or globals reads `site` behind the template's back (`link` reads
`page_path`, which is always in the key). The site itself is keyed by what it is made from
(`site_inputs`), not walked: like an article from its bytes, it follows from its inputs and
Briefdesk's code.

Fields marked `metadata={"content": False}` (where the project lies on disk) are left out, so a
project moved or copied elsewhere keeps its keys.

An article is keyed by its path and the digest of its file's bytes: everything `load` makes of
it follows from those and from Briefdesk's code, which the cache is tied to. So a brief citing
thousands of articles is keyed without walking their text again. Every other value is walked once
per process and remembered, so topics and actors shared by thousands of pages cost one walk in
each of the render's workers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import itertools
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path, PurePath
from typing import Any

from jinja2 import Environment, meta

from builder.briefs.assembly import Site
from builder.briefs.rendering import environment
from builder.feeds.atom import feed_inputs
from builder.model import Article, Passage, Project, SiteConfig
from builder.pdf import documents as pdf
from builder.search.index import BUNDLE

CACHE_FORMAT = 4
"""Bumped when the cache's layout changes, so an old cache file is read as a cold one."""


@cache
def code_fingerprint() -> str:
    """SHA-256 over Briefdesk's own source files and the Python version."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version}".encode())
    package = Path(__file__).resolve().parents[1]  # builder/, every stage folder included
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".jinja", ".html", ".css", ".js", ".xml"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: str | bytes) -> str:
    """SHA-256 of several parts, unambiguously separated."""
    return digest_of_all(parts)


def digest_of_all(parts: Iterable[str | bytes]) -> str:
    """`digest_of` the parts as they come, never all held at once (every page of a site, say)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


ONLY_WHEN_NAMED = frozenset({"site"})
"""Context variables that enter a key only when a template names them (see the module's docstring)."""


class PageKeys:
    """Keys of the pages rendered through one Jinja environment in one build."""

    def __init__(
        self,
        env: Environment,
        articles: Iterable[Article] = (),
        site: Site | None = None,
        site_inputs: str | None = None,
    ) -> None:
        """`articles`: the project's, whose passages and headings briefs and pages quote; `site`:
        the site whose briefs' passages carry their statements (who says what); `site_inputs`:
        the digest of everything the site was made from (`site_inputs`), which keys it whole."""
        self._env = env
        self._templates = template_fingerprint(env)
        self._names: dict[str, frozenset[str] | None] = {}
        # id -> (the object, its digest): holding the object keeps its id from being reused.
        self._walked: dict[int, tuple[object, str]] = {}
        # A passage or heading is part of its article, made from the same bytes: keyed by the
        # article's digest and its place, it needs no walk (briefs quote tens of thousands).
        for article in articles:
            if article.digest:
                for index, block in enumerate((*article.passages, *article.blocks)):
                    place = f"passage {block.number}" if isinstance(block, Passage) else f"block {index}"
                    self._walked.setdefault(
                        id(block), (block, digest_of(article.path, article.digest, place))
                    )
        if site is not None:
            self._seed_statements(site)
            if site_inputs is not None:
                # Walked, the whole site is half a million objects at 10,000 articles (5 s); it is
                # made from its inputs by Briefdesk's code alone, as an article is from its bytes.
                self._walked[id(site)] = (site, digest_of("Site", site_inputs))

    def _seed_statements(self, site: Site) -> None:
        """Key each passage's statements by its article and the actors, without a walk.

        Attribution reads nothing but the article's bytes and the actors (their names, aliases
        and kinds), so those key what it found; a large archive's briefs hold hundreds of
        thousands of statements, which a walk would take one by one.
        """
        actors = digest_of(*(repr((a.id, a.name, a.aliases, a.kind)) for a in site.project.actors.values()))
        for brief in site.briefs:
            for excerpt in (*brief.developments, *brief.also_mentioned):
                article, passage = excerpt.article, excerpt.passage
                if article.digest and passage is not None and excerpt.statements:
                    place = f"statements of passage {passage.number}"
                    self._walked.setdefault(
                        id(excerpt.statements),
                        (excerpt.statements, digest_of(article.path, article.digest, place, actors)),
                    )

    def key(self, template: str, context: Mapping[str, object]) -> str:
        """The key of the page `template` renders over `context`."""
        named = self.names(template)
        seen = [
            name for name in sorted(context) if name not in ONLY_WHEN_NAMED or named is None or name in named
        ]
        return digest_of(
            self._templates, template, *(f"{name}\0{self.fingerprint(context[name])}" for name in seen)
        )

    def names(self, template: str) -> frozenset[str] | None:
        """The variables `template` and every template it imports or includes refer to.

        None when a template is chosen at run time (`{% include name_in_a_variable %}`): it could
        be any template, so the page is taken to read everything it is given.
        """
        if template not in self._names:
            self._names[template] = _referenced_names(self._env, template)
        return self._names[template]

    def fingerprint(self, value: object) -> str:
        """A digest of `value` and everything reachable from it."""
        if value is None or isinstance(value, bool | int | float | str):
            return f"{type(value).__name__}:{value!r}" if not isinstance(value, str) else digest_of(value)
        if isinstance(value, dt.date):
            return f"date:{value.isoformat()}"
        walked = self._walked.get(id(value))
        if walked is not None:
            return walked[1]
        digest = self._digest(value)
        self._walked[id(value)] = (value, digest)
        return digest

    def _digest(self, value: object) -> str:
        if isinstance(value, Article) and value.digest:
            return digest_of("Article", value.path, value.digest)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _content_fields(type(value))
            values = [getattr(value, name) for name in names]
            if all(type(item) in _PLAIN for item in values):
                # Only plain values (a Statement's offsets, a date's parts): their repr says all
                # of them in one digest, where a walk would take one per field.
                return digest_of(type(value).__qualname__, repr(list(zip(names, values, strict=True))))
            return digest_of(
                type(value).__qualname__,
                *(f"{name}\0{self.fingerprint(item)}" for name, item in zip(names, values, strict=True)),
            )
        if isinstance(value, enum.Enum):
            return digest_of(type(value).__qualname__, repr(value.value))
        if isinstance(value, PurePath):
            return digest_of("path", value.as_posix())
        if isinstance(value, Mapping):
            items = sorted((self.fingerprint(k), self.fingerprint(v)) for k, v in value.items())
            return digest_of("mapping", *(f"{k}\0{v}" for k, v in items))
        if isinstance(value, tuple | list):
            if all(type(item) in _PLAIN for item in value):
                return digest_of(type(value).__name__, "plain", repr(value))
            return digest_of(type(value).__name__, *(self.fingerprint(item) for item in value))
        if isinstance(value, frozenset | set):
            return digest_of("set", *sorted(self.fingerprint(item) for item in value))
        # A new kind of value in the page data must be taught here, never skipped: a value left
        # out of the key is a page that can go stale.
        raise TypeError(f"no fingerprint for a {type(value).__qualname__} in the page data")


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types whose repr is exact and says the type: a tuple or dataclass of them is digested whole."""


@cache
def _content_fields(kind: type) -> tuple[str, ...]:
    """The names of a dataclass's fields that are content (all but `metadata={"content": False}`)."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("content", True))


def template_fingerprint(env: Environment) -> str:
    """SHA-256 over every template the environment can load, in lookup order."""
    return digest_of(*(f"{name}\0{_source(env, name)}" for name in sorted(env.list_templates())))


def _referenced_names(env: Environment, template: str) -> frozenset[str] | None:
    names: set[str] = set()
    seen: set[str] = set()
    waiting = [template]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        tree = env.parse(_source(env, current))
        names.update(meta.find_undeclared_variables(tree))
        referenced: Iterable[str | None] = meta.find_referenced_templates(tree)
        for name in referenced:
            if name is None:
                return None
            waiting.append(name)
    return frozenset(names)


def _source(env: Environment, name: str) -> str:
    loader: Any = env.loader
    source: str = loader.get_source(env, name)[0]
    return source


# --- keys of the build as a whole -------------------------------------------------------------


def routing_key(project: Project) -> str:
    """Everything routing depends on besides the article itself."""
    return digest_of(
        repr(project.config.routing),
        *(repr((t.id, t.aliases, t.exclude)) for t in project.topics.values()),
        # Attribution reads an actor's name and kind as well as its aliases ("Wang said" is the
        # actor only after its full name; a person's given names tell another person apart).
        *(repr((a.id, a.name, a.aliases, a.kind)) for a in project.actors.values()),
    )


def inputs_digest(project: Project, root: Path, outputs: tuple[str, ...] = ()) -> str | None:
    """A digest of everything a build reads (None if an article's content digest is unknown), and
    of the optional `outputs` it was asked for (`pdf`), which the site's pages link to."""
    content = _content(project)
    if content is None:
        return None
    return digest_of(
        template_fingerprint(environment(root)), *content, *(f"output\0{name}" for name in outputs)
    )


def site_inputs(project: Project, as_of: dt.date | None) -> str | None:
    """A digest of everything the site's data is made from (None if an article's content digest is
    unknown): our code, the settings, topics, actors and articles, and the day it speaks from.
    Not the templates: they make pages of the data, and the search index is made from the data."""
    content = _content(project)
    if content is None:
        return None
    return digest_of(*content, f"as of\0{as_of.isoformat() if as_of else ''}")


def _content(project: Project) -> list[str] | None:
    """Our code, the settings, topics, actors and each article's path and content digest (None if
    one is unknown), as parts of a digest."""
    articles = [(article.path, article.digest) for article in project.articles]
    if not all(digest for _, digest in articles):
        return None
    return [
        code_fingerprint(),
        repr(project.config),
        *(repr(topic) for topic in project.topics.values()),
        *(repr(actor) for actor in project.actors.values()),
        *(f"{path}\0{digest}" for path, digest in articles),
    ]


def site_manifest(
    pages: list[tuple[str, str]], config: SiteConfig, site_key: str, outputs: tuple[str, ...] = ()
) -> str:
    """A digest of everything the HTML site is made from: the pages, the settings, our code, the
    whole site's data (`site_key`), which the feeds and the search index are made from: they
    show what a project template may leave off the pages (a topic's overview, say), and the
    optional `outputs` (`pdf`): a site built with PDFs is not the same as one without."""
    # Streamed: the pages' texts joined to their paths all at once were a second copy of the site
    # (380 MiB at 10,906 long speeches).
    return digest_of_all(
        itertools.chain(
            (code_fingerprint(), repr(config), site_key),
            (f"{path}\0{text}" for path, text in sorted(pages)),
            (f"output\0{name}" for name in outputs),
        )
    )


def pdf_keys(site: Site, pages: Mapping[str, str]) -> dict[str, str]:
    """The key of each brief's PDF (`build --pdf`), by `pdf/<topic-id>.pdf`: the digest of the
    brief's Markdown (`pages`: docs path -> digest), the date the PDF carries and the version of
    WeasyPrint. Everything else it is printed from (the theme, the site's settings, our code and
    stylesheet) is the frame every page shares, which rebuilds the whole site when it changes."""
    code = code_fingerprint()
    return {
        pdf.pdf_path(brief.topic.id): digest_of(
            code, pages[brief.topic.page], printed.updated.isoformat(), pdf.engine_version()
        )
        for brief, printed in zip(site.briefs, pdf.briefs_to_print(site), strict=True)
    }


def output_keys(site: Site, page_keys: PageKeys, site_key: str) -> dict[str, str]:
    """The key of each output besides the pages: a feed by every value it is made from, the
    search index by the whole site's data (`site_key`; any change of content shows in it)."""
    code = code_fingerprint()
    keys = {
        path: digest_of(code, page_keys.fingerprint(values)) for path, values in feed_inputs(site).items()
    }
    keys[BUNDLE] = digest_of(code, site_key)
    return keys
