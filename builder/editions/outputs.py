"""The files each build writes for the editions besides their pages: the feed and the e-mail
bodies, each with the values it is made from (which key it, so only a changed one is written)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from builder.briefs.assembly import Site
from builder.editions.email import email_html, email_path
from builder.editions.feed import FEED, MAX_ENTRIES, editions_feed


def edition_outputs(site: Site) -> Iterator[tuple[str, tuple[object, ...], Callable[[], bytes]]]:
    """(site path, the values it is made from, how to make it) for the feed and every e-mail body."""
    config, editions = site.project.config, site.desk.editions
    if not editions:
        return
    yield FEED, (config, editions[:MAX_ENTRIES]), partial(editions_feed, config, editions)
    for edition in editions:
        yield email_path(edition), (config, edition), partial(email_html, config, edition)
