"""Render every page's Markdown, over the machine's cores, reusing what the cache holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from builder.briefs.assembly import Site
from builder.briefs.rendering import PageSpec, article_spec, environment, render, site_page_specs
from builder.parallel import WAVE_ITEMS, map_files
from builder.pipeline.cache import BuildCache
from builder.pipeline.keys import PageKeys


def render_markdown(
    site: Site,
    root: Path,
    jobs: int | None = None,
    cache: BuildCache | None = None,
    site_inputs: str | None = None,
) -> tuple[list[tuple[str, str]], PageKeys]:
    """Every page's Markdown, and the keys it was rendered under (which key other outputs too).

    With a cache, a page whose key is unchanged is taken from it. Keys come from
    `builder.pipeline.keys` (everything the page's template could read); `site_inputs` (see
    `keys.site_inputs`) keys the site as a whole. Each worker works out the keys of its pages and
    renders those the cache does not hold: a brief's key walks its excerpts, as costly as
    rendering it.
    """
    env = environment(root)
    config = site.project.config
    site_specs = site_page_specs(site)
    article_specs = [article_spec(config, entry) for entry in site.articles]
    specs = [*site_specs, *article_specs]
    page_keys = PageKeys(env, site.project.articles, site, site_inputs)
    work = _PageWork(env, page_keys if cache is not None else None, cache.pages if cache is not None else {})
    spread = _spread(site_specs, article_specs)
    keys: dict[str, str] = {}
    texts: dict[str, str] = {}
    for spec, (key, text) in zip(spread, map_files(_page, work, spread, jobs, wave=WAVE_ITEMS), strict=True):
        if text is None and cache is not None:
            text = cache.page(spec.path, key)  # None if it fails the check on the way out
        keys[spec.path] = key
        texts[spec.path] = text if text is not None else render(env, spec)
    pages = [(spec.path, texts[spec.path]) for spec in specs]
    if cache is not None:
        for path, text in pages:
            cache.put_page(path, keys[path], text)
        cache.keep_pages(set(keys))
    return pages, page_keys


@dataclass(frozen=True, slots=True)
class _PageWork:
    """What a worker needs for a page: the environment, the keys (None without a cache) and the
    cached pages (docs path -> key, Markdown), inherited from this process."""

    env: Environment
    keys: PageKeys | None
    cached: Mapping[str, tuple[str, str]]


def _page(work: _PageWork, spec: PageSpec) -> tuple[str, str | None]:
    """The page's key ("" without a cache) and its Markdown, None when the cache holds it under
    that key."""
    if work.keys is None:
        return "", render(work.env, spec)
    key = work.keys.key(spec.template, spec.context)
    cached = work.cached.get(spec.path)
    if cached is not None and cached[0] == key:
        return key, None
    return key, render(work.env, spec)


def _spread(costly: list[PageSpec], cheap: list[PageSpec]) -> list[PageSpec]:
    """The `costly` pages (the site's own) spaced evenly among the `cheap` ones (the articles'), so
    that each worker's part gets its share of them.

    A brief quotes hundreds of articles, and the site's own pages cost tens of article pages each:
    in their order, all first, they would fall into one worker's first part, and the other workers
    would wait for it.
    """
    if not costly or not cheap:
        return [*costly, *cheap]
    spread: list[PageSpec] = []
    gap = len(cheap) / len(costly)
    taken = 0
    for index, spec in enumerate(costly):
        until = round((index + 1) * gap)
        spread.extend(cheap[taken:until])
        spread.append(spec)
        taken = until
    spread.extend(cheap[taken:])
    return spread
