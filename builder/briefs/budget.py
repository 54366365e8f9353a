"""Keep a brief within `briefs.max_words`: quotes are the part that grows with the archive's prose.

A brief is a digest of fixed size, but counts alone do not bound it: ten developments of three
200-word passages from UN speeches overflow any reading time. So the words left for quotes are
what `briefs.max_words` leaves after everything else the page shows (estimated from the titles,
the overview, the desk's judgement and Coming up, and the counts it lists), shared among the
developments in turn: a development quotes its passages while they fit its share, and a first
passage longer than its share is cut after the last sentence that fits (never before the
sentence naming the topic), its cut marked with an ellipsis. What a development leaves unused
goes to the ones after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, Self, TypeVar

from builder.model import Article, Passage, SiteConfig, Topic
from builder.routing.matching import PhraseMatcher
from builder.routing.sentences import sentence_spans


class Quote(Protocol):
    """What a brief quotes: a passage's Markdown, which may be cut (`builder.briefs.digest.Excerpt`)."""

    @property
    def markdown(self) -> str: ...

    @property
    def passage(self) -> Passage | None: ...

    def with_cut(self, markdown: str) -> Self: ...


Excerpt = TypeVar("Excerpt", bound=Quote)

MARGIN = 0.95
"""Share of `briefs.max_words` planned for: the estimate of the rest of the page is not exact."""
MIN_QUOTE = 25
"""Words a development quotes however tight the budget (its first passage, cut)."""
PER_LINE = 12
"""Words besides its title on a Timeline, Sources or "Also mentioned in" line (date, source, links)."""
PER_DEVELOPMENT = 20
"""Words of a development's header besides its title (date, source, links) or of an event's other report."""
PER_POSITION = 55
"""Words of a Positions line (the actor, the date and the quoted sentence) and of its source's line."""
FIXED = 80
"""The title line, the headings, the archive line."""
SUMMARY_NOTE = 13
"""Words besides the source's name that mark a development as the desk's own summary: its lead
("In the desk's words, summarising a report by …") and "summarised by the desk" in Sources."""

_WORD = re.compile(r"\S+")


def words(text: str) -> int:
    """Words of `text` as a reader counts them (whitespace-separated)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Plan:
    """How much of each part a brief shows to stay within `briefs.max_words`."""

    developments: int
    timeline: int
    positions: int
    quote_words: int
    """Words left for the developments' quotes."""


MIN_TIMELINE = 10
MIN_POSITIONS = 4
MIN_DEVELOPMENTS = 3


def header_words(article: Article, config: SiteConfig) -> int:
    """Words an article shown as a development adds to its header and its line in Sources besides
    its title: its source's kind, in both ("Xinhua (state media, China)"), and the note that the
    text is the desk's summary."""
    info = config.sources.get(article.source)
    kind = 2 * words(info.label) if info is not None else 0
    return kind + (SUMMARY_NOTE + words(article.source) if config.desk_summary(article) else 0)


def judgement_words(topic: Topic) -> int:
    """Words the desk's judgement takes on the brief, at most: the bottom line, the newest
    assessment at the top, every assessment and watch event (under Coming up or in the Timeline)."""
    notes = [t.note for t in topic.trend]
    top = max((words(n) for n in notes), default=0) + PER_LINE if notes else 0
    lines = sum(words(text) + PER_LINE for text in (*notes, *(w.event for w in topic.watch)))
    bottom = words(topic.bottom_line) + PER_LINE if topic.bottom_line else 0
    return top + lines + bottom + (PER_LINE if topic.watch else 0)


def plan(
    max_words: int,
    fixed: int,
    events: Sequence[tuple[str, int, int]],
    mentions: Sequence[str],
    counts: tuple[int, int, int],
    related: int,
) -> Plan:
    """The developments, Timeline lines and Positions a brief shows, and the words left for quotes.

    `fixed`: the words of the parts whose length the plan does not choose (the overview, the
    desk's judgement, the closing line of Positions); `events`: (title, other reports, header
    words beside the title: `header_words`) of each event about the topic, newest first;
    `mentions`: the titles listed under "Also mentioned in"; `counts`: the settings'
    (developments, timeline, positions). Where the rest of the page leaves too few words for
    quotes, the Timeline is shortened first, then Positions, then Latest developments, down to a
    floor each.
    """
    developments, timeline, positions = counts
    while True:
        shown = events[:developments]
        titles = [t for t, _, _ in shown] * 2 + [t for t, _, _ in events[:timeline]] + list(mentions)
        reports = sum(n for _, n, _ in (*shown, *events[:timeline]))
        rest = FIXED + fixed + sum(words(t) + PER_LINE for t in titles) + sum(h for _, _, h in shown)
        rest += (len(shown) + reports) * PER_DEVELOPMENT + positions * PER_POSITION + related * PER_LINE
        left = max(0, int(max_words * MARGIN) - rest)
        if left >= len(shown) * MIN_QUOTE:
            return Plan(developments, timeline, positions, left)
        if timeline > MIN_TIMELINE and len(events) > MIN_TIMELINE:
            timeline = max(MIN_TIMELINE, min(timeline, len(events)) - 5)
        elif positions > MIN_POSITIONS:
            positions = max(MIN_POSITIONS, positions - 2)
        elif developments > MIN_DEVELOPMENTS and len(shown) > MIN_DEVELOPMENTS:
            developments = len(shown) - 1
        else:
            return Plan(developments, timeline, positions, left)


def fit(
    chosen: Sequence[Sequence[Excerpt]], budget: int, limit: int, cap: int, matcher: PhraseMatcher | None
) -> list[tuple[Excerpt, ...]]:
    """For each development's candidate excerpts (`chosen`, in order), what it quotes within `budget`.

    At most `limit` excerpts and `cap` words each (the first excerpt is quoted whole up to its
    share); see the module's docstring. `matcher` finds the topic's names (a cut keeps the first
    sentence naming it).
    """
    fitted: list[tuple[Excerpt, ...]] = []
    left = budget
    for index, excerpts in enumerate(chosen):
        share = max(MIN_QUOTE, left // max(1, len(chosen) - index))
        taken: list[Excerpt] = []
        used = 0
        for excerpt in excerpts[:limit]:
            length = words(excerpt.markdown)
            if taken and used + length > min(share, cap):
                break
            if not taken and length > share:
                excerpt = cut(excerpt, share, matcher)
                length = words(excerpt.markdown)
            taken.append(excerpt)
            used += length
        fitted.append(tuple(taken))
        left -= used
    return fitted


def cut(excerpt: Excerpt, budget: int, matcher: PhraseMatcher | None) -> Excerpt:
    """`excerpt` cut after its last whole sentence within `budget` words, or as it is when it
    cannot be cut cleanly: not a plain paragraph, or no sentence end that leaves its Markdown
    balanced (a link, emphasis or code span open) after the sentence naming the topic."""
    passage = excerpt.passage
    if passage is None or passage.kind != "paragraph":
        return excerpt
    source = passage.markdown
    first = _first_mention(source, matcher)
    best = None
    for _, end in sentence_spans(source)[:-1]:
        if end < first:
            continue
        if words(source[:end]) > budget and best is not None:
            break
        if _balanced(source[:end]):
            best = end
            if words(source[:end]) > budget:
                break
    if best is None:
        return excerpt
    return excerpt.with_cut(source[:best].rstrip() + " …")


def _first_mention(text: str, matcher: PhraseMatcher | None) -> int:
    if matcher is None:
        return 0
    found = matcher.mentions(text)
    return found[0].end if found else len(text)


def _balanced(markdown: str) -> bool:
    """Whether no link, emphasis or code span is left open at the end of `markdown`."""
    if markdown.count("[") != markdown.count("]") or markdown.count("(") != markdown.count(")"):
        return False
    if markdown.count("`") % 2 or markdown.count("**") % 2:
        return False
    return markdown.replace("**", "").count("*") % 2 == 0 and markdown.count("<") == markdown.count(">")
