"""Load and validate a whole project: config, topics, actors and articles."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostic, Diagnostics
from builder.loading import SourceFile, discover, read_config, read_document
from builder.model import Actor, Article, Project, Topic
from builder.parallel import map_files
from builder.validation import cross_check, validate_config, validate_document


def load_project(root: Path, diagnostics: Diagnostics, *, jobs: int | None = None) -> Project | None:
    """Read and validate everything under `root`; every problem goes into `diagnostics`.

    Returns the project even when some files failed (so `check` can report on the rest), and
    None only when site_config.yml itself is unusable.
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
    topics: dict[str, Topic] = {}
    actors: dict[str, Actor] = {}
    article_sources: list[SourceFile] = []
    for source in sources:
        if source.kind == "article":
            article_sources.append(source)
            continue
        loaded, found = load_one(root, source)
        diagnostics.extend(found)
        if isinstance(loaded, Topic):
            topics[loaded.id] = loaded
        elif isinstance(loaded, Actor):
            actors[loaded.id] = loaded
    articles: list[Article] = []
    for loaded, found in map_files(load_one, root, article_sources, jobs):
        diagnostics.extend(found)
        if isinstance(loaded, Article):
            articles.append(loaded)
    topic_ids = {s.stem for s in sources if s.kind == "topic"}
    actor_ids = {s.stem for s in sources if s.kind == "actor"}
    diagnostics.extend(cross_check(articles, topics, topic_ids, actor_ids))
    if config is None:
        return None
    return Project(
        root=str(root),
        config=config,
        articles=tuple(articles),
        topics=dict(sorted(topics.items())),
        actors=dict(sorted(actors.items())),
    )


def load_one(root: Path, source: SourceFile) -> tuple[Article | Topic | Actor | None, list[Diagnostic]]:
    """Read and validate one content file."""
    raw = read_document(root, source)
    if isinstance(raw, Diagnostic):
        return None, [raw]
    return validate_document(raw)
