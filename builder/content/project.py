"""Load and validate a whole project: config, topics, actors and articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from builder.content.crossrefs import cross_check
from builder.content.duplicates import same_bodies
from builder.content.loading import SourceFile, discover, read_config, read_document
from builder.content.portability import portability_problems
from builder.content.sourcefiles import SourceProblem, read_bytes
from builder.content.sourcekinds import undescribed_sources
from builder.content.validation import validate_config, validate_document
from builder.diagnostics import Diagnostic, Diagnostics
from builder.model import Actor, Article, Project, Topic
from builder.parallel import map_files
from builder.pipeline.cache import BuildCache
from builder.pipeline.keys import digest_of


def load_project(
    root: Path, diagnostics: Diagnostics, *, jobs: int | None = None, cache: BuildCache | None = None
) -> Project | None:
    """Read and validate everything under `root`; every problem goes into `diagnostics`.

    Returns the project even when some files failed (so `check` can report on the rest), and
    None only when site_config.yml itself is unusable. With a cache, articles whose bytes have
    not changed are taken from it instead of being parsed again.
    """
    config_doc = read_config(root)
    config = None
    if isinstance(config_doc, Diagnostic):
        diagnostics.add(config_doc)
    else:
        config, problems = validate_config(config_doc)
        diagnostics.extend(problems)
    sources, problems = discover(root)
    diagnostics.extend(problems)
    if not (root / "content").is_dir():
        diagnostics.error(
            "content",
            1,
            "no-content",
            "no content/ folder: articles go in content/articles/, topics in content/topics/",
        )
    topics, actors = load_vocabulary(root, sources, diagnostics)
    article_sources = [source for source in sources if source.kind == "article"]
    articles: list[Article] = []
    for loaded, found in _load_articles(root, article_sources, jobs, cache):
        diagnostics.extend(found)
        if isinstance(loaded, Article):
            articles.append(loaded)
    topic_ids = {s.stem for s in sources if s.kind == "topic"}
    actor_ids = {s.stem for s in sources if s.kind == "actor"}
    diagnostics.extend(cross_check(articles, topics, topic_ids, actor_ids))
    diagnostics.extend(same_bodies(articles))
    diagnostics.extend(portability_problems(articles, topics, actors))
    if config is None:
        return None
    diagnostics.extend(undescribed_sources(articles, config.sources))
    return Project(
        root=str(root),
        config=config,
        articles=tuple(articles),
        topics=dict(sorted(topics.items())),
        actors=dict(sorted(actors.items())),
    )


Loaded = tuple[Article | Topic | Actor | None, Sequence[Diagnostic]]


def load_vocabulary(
    root: Path, sources: Sequence[SourceFile], diagnostics: Diagnostics
) -> tuple[dict[str, Topic], dict[str, Actor]]:
    """The topics and actors among `sources`, by id; their files' problems go into `diagnostics`.

    The one loader of the vocabulary: the build's and `import`'s suggestions alike.
    """
    topics: dict[str, Topic] = {}
    actors: dict[str, Actor] = {}
    for source in sources:
        if source.kind == "article":
            continue
        loaded, found = load_one(root, source)
        diagnostics.extend(found)
        if isinstance(loaded, Topic):
            topics[loaded.id] = loaded
        elif isinstance(loaded, Actor):
            actors[loaded.id] = loaded
    return topics, actors


def load_one(root: Path, source: SourceFile, data: bytes | None = None) -> Loaded:
    """Read (or decode) and validate one content file; an article carries its bytes' digest."""
    if data is None and source.kind == "article":
        try:
            data = read_bytes(root, root / source.path)
        except SourceProblem as problem:
            return None, [Diagnostic(source.path, problem.line, "error", problem.code, problem.message)]
    raw = read_document(root, source, data)
    if isinstance(raw, Diagnostic):
        return None, [raw]
    loaded, found = validate_document(raw)
    if isinstance(loaded, Article) and data is not None:
        loaded = dataclasses.replace(loaded, digest=digest_of(data))
    return loaded, found


def _parse(root: Path, item: tuple[SourceFile, bytes]) -> Loaded:
    source, data = item
    return load_one(root, source, data)


def _load_articles(
    root: Path, sources: Sequence[SourceFile], jobs: int | None, cache: BuildCache | None
) -> list[Loaded]:
    """Load every article, from the cache where its bytes are unchanged, the rest in parallel."""
    if cache is None:
        return map_files(load_one, root, sources, jobs)
    results: list[Loaded | None] = [None] * len(sources)
    misses: list[int] = []
    items: list[tuple[SourceFile, bytes]] = []
    digests: dict[str, str] = {}
    for index, source in enumerate(sources):
        try:
            data = read_bytes(root, root / source.path)
        except SourceProblem as problem:
            results[index] = (
                None,
                [Diagnostic(source.path, problem.line, "error", problem.code, problem.message)],
            )
            continue
        digest = digest_of(data)
        digests[source.path] = digest
        hit = cache.article(source.path, digest)
        if hit is not None:
            results[index] = hit
        else:
            misses.append(index)
            # The bytes travel with the work, so what is parsed is exactly what was hashed.
            items.append((source, data))
    for index, (article, found) in zip(misses, map_files(_parse, root, items, jobs), strict=True):
        path = sources[index].path
        cache.put_article(
            path, digests[path], article if isinstance(article, Article) else None, tuple(found)
        )
        results[index] = (article, found)
    cache.keep_only({s.path for s in sources})
    return [r for r in results if r is not None]
