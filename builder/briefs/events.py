"""Group reports of one event: the same story republished, an updated version, two outlets'
reports of one meeting. One event, one entry (PRODUCT.md § Routing).

Two reports are of one event when either

* their text is the same story (a wire copy, a reprint with its own dateline and cuts, an
  updated version): published within REPRINT_DAYS of each other, with rapidfuzz's
  `token_set_ratio` of their opening words at least SAME_TEXT (a reprint's cuts leave its words a
  subset of the original's, which that ratio scores as equal), and their words in the same order:
  at least SAME_ORDER of the shorter one's pairs of neighbouring content words stand in the other
  too (the ratio ignores order, so formulaic copy, which draws its words from one stock of
  phrases, scores high for stories that share no sentence);
* or they report one meeting: published the same day or the next, naming mostly the same people,
  places and bodies (the Jaccard index of their proper names at least SAME_NAMES), about the same
  topics (those of the one about fewer, at least SAME_TOPICS of them, are the other's too), naming
  a party in common when both list actors, and sharing some wording (SAME_WORDS).

Grouping must never join two different events, so it is conservative: a report joins a group only
when it matches every report already in it (two Security Council meetings on one day share the
Council, its members and often a reporter's wording, but not their topics; a follow-up a week
later shares everything but the date). Only reports within REPRINT_DAYS of each other are ever
compared: the work grows with the archive, not with its square.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from builder.model import Article

REPRINT_DAYS = 3
"""Days between a story and its republished or updated copy."""
MEETING_DAYS = 1
"""Days between two outlets' reports of one meeting: the same day or the next."""
SAME_TEXT = 90.0
"""rapidfuzz token_set_ratio (0-100) of two reports' opening words that makes them one text."""
SAME_NAMES = 0.4
"""Jaccard index of two reports' proper names that, with the rest, makes them one meeting."""
SAME_TOPICS = 0.75
"""Share of the topics of the report about fewer that the other must be about too."""
SAME_WORDS = 0.15
"""Jaccard index of two reports' content words below which they are never one meeting."""
SAME_ORDER = 0.75
"""Share of the shorter report's neighbouring-word pairs that the other must hold to be one text:
a reprint keeps its sentences, an update most of them; two stories in one stock of phrases keep
few (at most 0.73 of them in 10,000 generated articles, which share no sentence)."""
SCREEN_BITS = 4096
HEAD_WORDS = 60
OPENING_CHARACTERS = 3_000
"""Characters of a report's opening passages read for its words (about OPENING_WORDS of them)."""
OPENING_WORDS = 300
"""Content words of a report compared: reports of one event share their openings, and a reprint
cut short keeps its start."""

_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}|\d[\d.,]{3,}")
"""A content word: four characters or more."""
# A capitalised word that does not open a sentence: part of a name, a place, a body. Words, not
# whole names, are compared: "China's Guangxi Zhuang Autonomous Region" and "Guangxi" meet.
# The lookahead first: the lookbehinds are then tried only where a capital stands (2.5 times faster).
_NAME = re.compile(r"(?=[A-Z])(?<![.!?:;\"“]\s)(?<!^)(?<![\w’'-])[A-Z][^\W_]+")
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)
_STOP = frozenset(
    "the and that with from this have will were been they their which said also into about after over "
    "more than other would could there these those what when while where whose being under such only "
    "between against before since during because within without most some many much each both very "
    "upon toward towards its his her who whom them then there here has had was are for not but".split()
)


@dataclass(frozen=True, slots=True)
class Wording:
    """What grouping compares of an article's text: pure in the article, so it can be read while
    the articles are being routed."""

    words: str
    """Its distinct opening content words, lower case, sorted, space-separated (for rapidfuzz:
    `token_set_ratio` compares sets of words, to which order and repeats are nothing, and reads a
    shorter string sooner)."""
    word_set: frozenset[str]
    names: frozenset[str]
    """Proper names it uses, lower case."""
    bits: int
    """`word_set` hashed into SCREEN_BITS bits, to screen pairs cheaply (`_bits`)."""
    head: frozenset[str]
    """Its first HEAD_WORDS content words."""
    pairs: frozenset[int]
    """Its neighbouring content words, each pair by hash: the order of its words."""
    pair_bits: int
    """`pairs` in SCREEN_BITS bits."""


@dataclass(frozen=True, slots=True)
class Report:
    """What grouping compares of one article."""

    article: Article
    about: frozenset[str]
    """Topics the article is about."""
    text: Wording


def wording_of(article: Article) -> Wording:
    """The words, names and word order of `article`'s opening that grouping compares."""
    texts: list[str] = []
    size = 0
    for passage in article.passages:  # enough opening text for OPENING_WORDS content words
        if size >= OPENING_CHARACTERS:
            break
        texts.append(passage.text)
        size += len(passage.text)
    text = "\n".join(texts)
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP][:OPENING_WORDS]
    names = frozenset(map(str.lower, set(_NAME.findall(text)))) - _CALENDAR
    word_set = frozenset(words)
    pairs = frozenset(map(hash, itertools.pairwise(words)))
    return Wording(
        " ".join(sorted(word_set)),
        word_set,
        names,
        _bits(word_set),
        frozenset(words[:HEAD_WORDS]),
        pairs,
        _bits(pairs),
    )


def report_of(article: Article, about: Iterable[str], wording: Wording | None = None) -> Report:
    """The features of `article` grouping compares, with the topics it is `about` (and its
    `wording`, when read already)."""
    return Report(article, frozenset(about), wording or wording_of(article))


def _bits(values: Iterable[Hashable]) -> int:
    """The values (words, pairs) as bits of an integer, by hash: the bits two sets share, counted
    in a few machine words, screen pairs of reports far quicker than intersecting the sets."""
    # Set in a byte array, then made one integer: OR-ing into a 4096-bit integer would make a new
    # one of 512 bytes for every value.
    marks = bytearray(SCREEN_BITS // 8)
    for position in {hash(value) & (SCREEN_BITS - 1) for value in values}:
        marks[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(marks, "little")


def same_text(a: Report, b: Report) -> bool:
    """Whether `a` and `b` are one story republished or updated."""
    return _may_be_same_text(a, b) and fuzz.token_set_ratio(a.text.words, b.text.words) >= SAME_TEXT


def _may_be_same_text(a: Report, b: Report) -> bool:
    """Whether `a` and `b` pass every test of `same_text` but the ratio: the dates, the screens that
    turn away most pairs before anything else is done, and the order of their words."""
    if abs((a.article.date - b.article.date).days) > REPRINT_DAYS or not a.text.words or not b.text.words:
        return False
    # A ratio of SAME_TEXT needs most (over four fifths) of one side's words in the other's. The
    # shared bits count at least the shared words (less the rare hash collisions, which the loose
    # bound of one half absorbs): they turn away nearly every pair before anything else is done.
    if (a.text.bits & b.text.bits).bit_count() < 0.5 * min(len(a.text.word_set), len(b.text.word_set)):
        return False
    # Then the opening words of the shorter one, most of which a copy keeps (its own dateline and
    # cuts change a few, at its start and end).
    short, long = (a, b) if len(a.text.word_set) <= len(b.text.word_set) else (b, a)
    if len(short.text.head & long.text.word_set) < 0.6 * len(short.text.head):
        return False
    return _in_order(a.text, b.text)


def _in_order(a: Wording, b: Wording) -> bool:
    """Whether the shorter of `a` and `b` (in pairs) has its words in the other's order (SAME_ORDER)."""
    short, long = (a, b) if len(a.pairs) <= len(b.pairs) else (b, a)
    # The shared bits undercount the shared pairs only by collisions (a few in a hundred at
    # OPENING_WORDS pairs): the loose bound turns away most pairs before the sets are intersected.
    if (a.pair_bits & b.pair_bits).bit_count() < (SAME_ORDER - 0.15) * len(short.pairs):
        return False
    return len(short.pairs & long.pairs) >= SAME_ORDER * len(short.pairs)


def same_meeting(a: Report, b: Report) -> bool:
    """Whether `a` and `b` are two reports of one meeting (see the module's docstring)."""
    if abs((a.article.date - b.article.date).days) > MEETING_DAYS:
        return False
    if not a.about or not b.about:
        return False
    if len(a.about & b.about) < SAME_TOPICS * min(len(a.about), len(b.about)):
        return False
    actors_a, actors_b = set(a.article.actors), set(b.article.actors)
    if actors_a and actors_b and not actors_a & actors_b:
        return False
    if _jaccard(a.text.names, b.text.names) < SAME_NAMES:
        return False
    return _jaccard(a.text.word_set, b.text.word_set) >= SAME_WORDS


def one_event(a: Report, b: Report) -> bool:
    """Whether `a` and `b` report one event."""
    return same_meeting(a, b) or same_text(a, b)


def group_reports(reports: Sequence[Report]) -> dict[str, tuple[Article, ...]]:
    """Each article of a group of two or more reports, by slug, with its group, earliest first.

    Articles in no group are left out. Reports are compared only with those at most
    REPRINT_DAYS apart (a sliding window over the reports sorted by date); the texts that the
    screens leave are compared with each report in one call of rapidfuzz (`process.extract`,
    which reads the report's words once), as `one_event` would compare them pair by pair.
    """
    ordered = sorted(reports, key=lambda r: (r.article.date, r.article.slug))
    matches: list[tuple[int, int]] = []
    start = 0
    for index, report in enumerate(ordered):
        window = report.article.date - dt.timedelta(days=REPRINT_DAYS)
        while ordered[start].article.date < window:
            start += 1
        hits: set[int] = set()
        texts: list[int] = []
        for earlier in range(start, index):
            if same_meeting(ordered[earlier], report):
                hits.add(earlier)
            elif _may_be_same_text(ordered[earlier], report):
                texts.append(earlier)
        if texts:
            found = process.extract(
                report.text.words,
                [ordered[earlier].text.words for earlier in texts],
                scorer=fuzz.token_set_ratio,
                score_cutoff=SAME_TEXT,
                limit=None,
            )
            hits.update(texts[position] for _, _, position in found)
        matches.extend((earlier, index) for earlier in sorted(hits))
    matched = set(matches)
    group_of = list(range(len(ordered)))
    members: dict[int, list[int]] = {}
    for first, second in matches:
        a, b = group_of[first], group_of[second]
        if a == b:
            continue
        joined = members.get(a, [a]) + members.get(b, [b])
        # Complete linkage: every report of the new group must match every other.
        if all((x, y) in matched for i, x in enumerate(sorted(joined)) for y in sorted(joined)[i + 1 :]):
            for member in joined:
                group_of[member] = a
            members[a] = joined
            members.pop(b, None)
    groups: dict[str, tuple[Article, ...]] = {}
    for indexes in members.values():
        articles = tuple(ordered[i].article for i in sorted(indexes))
        for article in articles:
            groups[article.slug] = articles
    return groups


def events(
    articles: Iterable[Article],
    about: Mapping[str, Iterable[str]],
    wordings: Mapping[str, Wording] | None = None,
) -> dict[str, tuple[Article, ...]]:
    """Group `articles` (with the topics each is `about`, and the `wordings` read already, by
    slug) into events; see group_reports."""
    read = wordings or {}
    return group_reports([report_of(a, about.get(a.slug, ()), read.get(a.slug)) for a in articles])


def one_per_event(
    about: Sequence[Article], groups: Mapping[str, tuple[Article, ...]], weight: Mapping[str, tuple[int, int]]
) -> tuple[list[tuple[Article, tuple[Article, ...]]], set[str]]:
    """The articles about a topic (`about`, newest first), newest first, one per event, and the
    slugs of the reports shown under another one.

    A group of reports shows its earliest report about the topic (the one with the most passages
    about it, then on it, of those of that day), with the group's other reports.
    """
    on_topic = {a.slug for a in about}
    shown: list[tuple[Article, tuple[Article, ...]]] = []
    folded: set[str] = set()
    for article in about:
        group = groups.get(article.slug)
        if group is None:
            shown.append((article, ()))
            continue
        lead = min(
            (a for a in group if a.slug in on_topic),
            key=lambda a: (a.date, *(-n for n in weight.get(a.slug, (0, 0))), a.slug),
        )
        if lead is article:
            others = tuple(a for a in group if a is not article)
            shown.append((article, others))
            folded.update(a.slug for a in others)
    return sorted(shown, key=lambda pair: (-pair[0].date.toordinal(), pair[0].slug)), folded


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0
