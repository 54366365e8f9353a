"""Find the published articles a new draft reports the same event as, before it is written.

The build groups reports of one event (`builder.briefs.events`); import says so first, so the
editor knows the archive already has the story: "this looks like content/articles/2021/….md
(Xinhua, 22 March 2021): the same event; it will be grouped with it". The draft is still written:
the editor decides.
"""

from __future__ import annotations

from pathlib import Path

from builder.briefs.events import REPRINT_DAYS, one_event, report_of
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.model import Article
from builder.pipeline.cache import BuildCache
from builder.routing.router import Router


def same_event(root: Path, draft: Article) -> tuple[Article, ...]:
    """The project's published articles that report the same event as `draft`, earliest first.

    Only articles within REPRINT_DAYS of the draft's date are routed and compared. Problems in the
    project are `briefdesk check`'s to report: this uses what loads.
    """
    project = load_project(root, Diagnostics(), cache=BuildCache.open(root / "build"))
    if project is None:
        return ()
    near = [
        a
        for a in project.published
        if abs((a.date - draft.date).days) <= REPRINT_DAYS and a.path != draft.path
    ]
    if not near:
        return ()
    router = Router(project.topics, project.actors, project.config.routing)
    mine = report_of(draft, router.route(draft).about)
    found = [a for a in near if one_event(mine, report_of(a, router.route(a).about))]
    return tuple(sorted(found, key=lambda a: (a.date, a.path)))
