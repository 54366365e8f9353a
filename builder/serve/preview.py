"""The edited article's own page, made from that one file, for `serve` to show before anything else.

An article page shows the article, the topics it is routed to and the actors it lists; nothing
else on the site. So after an edit to articles that keep their page, `serve` can render those
pages from the edited files and the project it already holds, in milliseconds, and show them
while the briefs, timeline and actor pages that quote the articles are rebuilt the usual way.

Anything that could change more than those pages (a new, deleted, renamed or re-dated article, a
draft, an error, a topic or a template) is left to the full update: the preview declines, and
the caller rebuilds as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from builder.briefs.assembly import ArticlePage, article_page
from builder.briefs.rendering import environment, render_article
from builder.content.loading import SourceFile
from builder.content.project import load_one
from builder.model import Article, Project
from builder.routing.router import Router

ARTICLES = "content/articles/"


class ArticlePreview:
    """Renders edited articles' pages against the project of the last full update."""

    def __init__(self, project: Project, others: Mapping[str, tuple[Article, ...]] | None = None) -> None:
        """`others`: by article path, the other reports of its event as the last full update grouped
        them (an edit that regroups them shows on the page when the full update follows)."""
        self.project = project
        self.others = others or {}
        self._by_path = {article.path: article for article in project.articles}
        self._router: Router | None = None  # compiled on the first preview, then kept

    def pages(self, changed: Sequence[str]) -> list[tuple[str, str]] | None:
        """(docs path, Markdown) of each edited article's page, or None if the edit needs more.

        `changed` holds project-relative POSIX paths.
        """
        if not changed or not all(path.startswith(ARTICLES) and path.endswith(".md") for path in changed):
            return None
        root = Path(self.project.root)
        edited: list[Article] = []
        for path in changed:
            before = self._by_path.get(path)
            if before is None or before.draft:
                return None  # a new article or a draft: other pages list it, or will
            loaded, problems = load_one(root, SourceFile("article", path, Path(path).stem))
            if not isinstance(loaded, Article) or any(p.severity == "error" for p in problems):
                return None  # the full update reports it and keeps the last good site
            if loaded.draft or loaded.page != before.page or not self._known_ids(loaded):
                return None
            edited.append(loaded)
        if self._router is None:
            project = self.project
            self._router = Router(project.topics, project.actors, project.config.routing)
        env = environment(root)
        return [
            (article.page, render_article(env, self.project.config, self._page_of(article)))
            for article in edited
        ]

    def _known_ids(self, article: Article) -> bool:
        return all(t in self.project.topics for t in article.topics) and all(
            a in self.project.actors for a in article.actors
        )

    def _page_of(self, article: Article) -> ArticlePage:
        assert self._router is not None
        others = self.others.get(article.path, ())
        return article_page(article, self._router.route(article), self.project, (article, *others))
