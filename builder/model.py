"""The typed domain model: what the pipeline's pure stages pass between them.

Content objects compare by identity (`eq=False`): two articles are the same when they are the
same loaded file, and comparing every field of a 20,000-word article would be wasted work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, eq=False)
class Passage:
    """One top-level block of an article body that is not a heading or a rule."""

    number: int
    """1-based position among the article's passages; the article page anchors it `#p-N`."""
    markdown: str
    """The block's Markdown source, verbatim."""
    text: str
    """The block rendered to plain text (link text kept, URLs and markup dropped), one line."""
    line: int
    """File line where the block starts."""
    kind: str
    """`paragraph`, `list`, `blockquote`, `table`, `code` or `html`."""
    depth: int = 0
    """How deeply lists and blockquotes nest inside it (0 for a plain paragraph)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of the article body, kept for the article page but never a passage."""

    level: int
    """1-6 for headings, 0 for a rule."""
    markdown: str
    """The heading's inline Markdown, without its # marks or underline."""


@dataclass(frozen=True, slots=True, eq=False)
class Article:
    """A curated article: front matter plus its body cut into passages."""

    path: str
    """Project-relative POSIX path of the source file."""
    slug: str
    title: str
    date: dt.date
    source: str
    url: str | None
    topics: tuple[str, ...]
    """Topic ids the editor asserted (front matter `topics`)."""
    actors: tuple[str, ...]
    """Actor ids whose positions the article reports."""
    summary: str | None
    tags: tuple[str, ...]
    draft: bool
    extra: Mapping[str, Any]
    passages: tuple[Passage, ...]
    blocks: tuple[Passage | Heading, ...]
    """Every block of the body in order: passages, headings and rules (rules as empty Headings)."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    """File line of each front-matter key, for diagnostics raised after validation."""
    digest: str = ""
    """SHA-256 of the file's bytes, which the article is made from (with Briefdesk's code): what
    page keys stand on for the whole article (`builder.pipeline.keys`). Empty for an article made
    without a file."""
    speaker: str | None = None
    """The actor whose own words the whole text is (a speech, a communiqué: front matter `speaker`)."""

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def page(self) -> str:
        """Path of the article page under docs/."""
        return f"articles/{self.date.year:04d}/{self.slug}.md"


TREND_STATUSES = ("deteriorated", "improved", "unchanged", "risk", "opportunity")
"""The desk's assessments of a period, as CrisisWatch gives them: an arrow each (see `editions`)."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The desk's assessment of a topic for one period (front matter `trend`)."""

    date: dt.date
    status: str
    """One of TREND_STATUSES."""
    note: str
    """One line of rationale."""


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """A scheduled event the desk watches: a mandate renewal, an election, a deadline, a summit."""

    date: dt.date
    event: str
    url: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Topic:
    """A subject that gets its own brief."""

    id: str
    path: str
    title: str
    aliases: tuple[str, ...]
    """Phrases that count as a mention (default: the title)."""
    exclude: tuple[str, ...]
    """Phrases whose span never counts as a mention of this topic."""
    related: tuple[str, ...]
    region: str | None
    summary: str | None
    overview: str
    """The topic file's Markdown body, shown at the top of the brief."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    bottom_line: str | None = None
    """The desk's key judgement in one to three sentences, shown first in the brief."""
    reviewed: dt.date | None = None
    """When the desk last confirmed the bottom line (set whenever `bottom_line` is)."""
    trend: tuple[TrendPoint, ...] = ()
    """The desk's assessments, oldest first."""
    watch: tuple[WatchEvent, ...] = ()
    """Scheduled events, soonest first."""

    @property
    def page(self) -> str:
        return f"topics/{self.id}.md"


@dataclass(frozen=True, slots=True, eq=False)
class Actor:
    """A state, organisation, person or group whose positions articles report."""

    id: str
    path: str
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    description: str
    key_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def page(self) -> str:
        return f"actors/{self.id}.md"


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """How passages find their briefs."""

    auto: bool = True
    """Route by mention; when false, a brief only takes articles that list its topic."""
    also_discussed_min_topics: int = 4
    """A sentence naming this many topics is a list, not news: it goes to "Also discussed"."""


@dataclass(frozen=True, slots=True)
class BriefSettings:
    """How much a brief and the home page show."""

    max_developments: int = 10
    """The newest articles Latest developments quotes; the timeline and yearly archive keep the rest."""
    passages_per_development: int = 3
    """Passages quoted per development; the others are linked."""
    max_positions: int = 12
    """Actors under Positions, most cited first, one line each."""
    latest_articles: int = 10
    """Articles listed on the home page."""
    max_words: int = 4_000
    """Words a brief holds at most: quotes are cut at a sentence, and fewer passages quoted, to fit."""
    stale_after_days: int = 30
    """`check` warns when a topic's newest development is this many days past its `reviewed` date."""


SOURCE_KINDS = (
    "wire",
    "newspaper",
    "broadcaster",
    "public broadcaster",
    "state media",
    "government",
    "international organisation",
    "think tank",
    "NGO",
)
"""What a source can be (site_config.yml's `sources`): a news agency (wire), a private newspaper
or broadcaster, a publicly funded but independent broadcaster, media a state controls, a
government body, an international organisation, a research institute, a non-governmental
organisation. A short fixed list, so that kinds group and filter alike on every desk."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the desk says about one source (publisher) in site_config.yml's `sources`."""

    kind: str
    """One of SOURCE_KINDS."""
    country: str | None = None

    @property
    def label(self) -> str:
        """"state media, China": the words shown beside the source's name."""
        return ", ".join(part for part in (self.kind, self.country) if part)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """site_config.yml, validated."""

    site_name: str
    site_url: str | None = None
    site_description: str | None = None
    site_author: str | None = None
    language: str = "en"
    repo_url: str | None = None
    repo_name: str | None = None
    copyright: str | None = None
    routing: RoutingSettings = field(default_factory=RoutingSettings)
    briefs: BriefSettings = field(default_factory=BriefSettings)
    pdf: bool = False
    """Write each brief's PDF in every build and under `serve`, as `build --pdf` does."""
    desk_summaries: bool = False
    """Every article is the desk's own summary of the report it cites, unless it says otherwise
    (`extra: {desk_summary: false}`): shown as the desk's words, never as the publisher's."""
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)
    """The desk's sources registry, by source name as articles write it (empty: none kept)."""
    theme: Mapping[str, Any] = field(default_factory=dict)
    """Passed through to Material's theme options (palette, features, font, ...)."""
    editions: str = "weekly"
    """`weekly`, `monthly` or `off`: the period of an edition (what changed since it began)."""

    def desk_summary(self, article: Article) -> bool:
        """Whether `article`'s text is the desk's own summary of its report, not the publisher's
        words: its `extra: {desk_summary: ...}` when it says, else `desk_summaries`."""
        own = article.extra.get(DESK_SUMMARY)
        return own if isinstance(own, bool) else self.desk_summaries


DESK_SUMMARY = "desk_summary"
"""The `extra` key that marks one article as the desk's summary (false: the publisher's own text)."""


@dataclass(frozen=True, slots=True)
class Project:
    """Everything a build reads, validated: config plus content, each sorted by id or path."""

    root: str = field(metadata={"content": False})
    """The project folder on this machine. Not content: the same project built from another
    folder gives the same site, so page keys and the site's manifest leave it out."""
    config: SiteConfig
    articles: tuple[Article, ...]
    """Every article, drafts included, in path order."""
    topics: Mapping[str, Topic]
    actors: Mapping[str, Actor]

    @property
    def published(self) -> tuple[Article, ...]:
        """Articles that appear on the site: everything but drafts."""
        return tuple(a for a in self.articles if not a.draft)
