"""Choose the brief's Positions: who said what on a topic, each actor in a sentence they speak.

The speaker of each sentence comes from `builder.routing.attribution` (each passage's route
carries its statements). An actor's line quotes the newest sentence in which that actor is the
speaker; a sentence that merely names the actor, or addresses it, is never its position. Actors
with the most statements on the topic come first. Actors the topic's passages name but never
quote speaking are listed together, without quotes: a shorter, right section beats a full one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, Protocol, TypeVar

from builder.model import Actor, Article, Passage
from builder.routing.attribution import Statement


class Quoted(Protocol):
    """What a position needs of a passage routed to a topic (`builder.briefs.digest.Excerpt`)."""

    @property
    def article(self) -> Article: ...
    @property
    def passage(self) -> Passage | None: ...
    @property
    def statements(self) -> tuple[Statement, ...]: ...
    @property
    def named(self) -> tuple[str, ...]: ...
    @property
    def anchor(self) -> str: ...


E = TypeVar("E", bound=Quoted)

MAX_WORDS = 50
"""A position line quotes at most this many words of its sentence (UN speeches run long)."""


@dataclass(frozen=True, slots=True)
class Position:
    """One actor's line under Positions: the newest sentence the actor speaks on the topic."""

    actor: Actor
    excerpt: Quoted
    """The passage the sentence stands in."""
    sentence: str
    """Plain text, cut to MAX_WORDS words."""
    source_number: int
    """The article's number in the brief's Sources."""
    statements: int
    """Sentences on this topic that the actor speaks."""
    quoted_above: bool = False
    """The passage is also quoted under Latest developments."""


class Spoken(NamedTuple, Generic[E]):
    """One statement of an actor on a topic, in the passage it stands in.

    A named tuple, not a frozen dataclass: a brief makes one per statement of its developments
    (hundreds of thousands in a large archive), and a tuple is several times cheaper to make.
    """

    excerpt: E
    statement: Statement

    @property
    def sentence(self) -> str:
        text = self.excerpt.passage.text if self.excerpt.passage is not None else ""
        return dated(cut(text[self.statement.start : self.statement.end].strip()), self.excerpt.article.date)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ON_WEEKDAY = re.compile(r"\b(?:on|last)\s+(" + "|".join(_WEEKDAYS) + r")\b(?!\s*\[)")


def dated(sentence: str, published: dt.date) -> str:
    """`sentence` with the date after "on Wednesday": "on Wednesday [22 March 2021]".

    The journalist's convention, so a line read away from its article still says when: the
    weekday is the latest one on or before the article's date (reports speak of the past week).
    """

    def with_date(match: re.Match[str]) -> str:
        back = (published.weekday() - _WEEKDAYS.index(match[1])) % 7
        day = published - dt.timedelta(days=back)
        return f"{match.group()} [{day.day} {day:%B} {day.year}]"

    return _ON_WEEKDAY.sub(with_date, sentence)


def cut(sentence: str) -> str:
    """`sentence` cut to MAX_WORDS words, with an ellipsis when cut."""
    words = sentence.split()
    return " ".join(words) if len(words) <= MAX_WORDS else " ".join(words[:MAX_WORDS]) + " …"


def newest(spoken: Sequence[Spoken[E]]) -> Spoken[E]:
    """The statement to quote of an actor's (newest article first): from the newest article, the
    first that names its speaker ("Raisi said"), so the line reads on its own; else its first."""
    article = spoken[0].excerpt.article
    same = [s for s in spoken if s.excerpt.article is article]
    return next((s for s in same if s.statement.explicit), same[0])


def by_speaker(excerpts: Sequence[E]) -> dict[str, list[Spoken[E]]]:
    """Each actor's statements in `excerpts` (newest article first), in the same order."""
    spoken: dict[str, list[Spoken[E]]] = defaultdict(list)
    for excerpt in excerpts:
        seen: set[tuple[str, int]] = set()
        for statement in excerpt.statements:
            if (statement.actor, statement.start) not in seen:
                seen.add((statement.actor, statement.start))
                spoken[statement.actor].append(Spoken(excerpt, statement))
    return spoken


def positions(
    developments: Sequence[E],
    quoted: set[int],
    actors: Mapping[str, Actor],
    limit: int,
    speakers: Mapping[str, list[Spoken[E]]],
) -> tuple[list[Position], list[Actor]]:
    """The `limit` actors with most statements, each with its newest; and the named but unheard.

    `quoted` holds the ids of the excerpts quoted under Latest developments: a line whose sentence
    stands in one still quotes the sentence, and says so. Source numbers are filled in by the
    caller (0 here). `speakers`: what `by_speaker` gives for `developments` (the brief keeps it).
    """
    spoken = {a: s for a, s in speakers.items() if a in actors}

    def rank(actor_id: str) -> tuple[int, int, str]:
        newest = spoken[actor_id][0].excerpt.article.date
        return (-len(spoken[actor_id]), -newest.toordinal(), actors[actor_id].name.casefold())

    ranked = sorted(spoken, key=rank)[:limit]
    lines = []
    for actor_id in ranked:
        chosen = newest(spoken[actor_id])
        lines.append(
            Position(
                actors[actor_id],
                chosen.excerpt,
                chosen.sentence,
                0,
                len(spoken[actor_id]),
                id(chosen.excerpt) in quoted,
            )
        )
    named = {a for excerpt in developments for a in excerpt.named if a in actors and a not in spoken}
    unheard = sorted((actors[a] for a in named), key=lambda a: a.name.casefold())
    return lines, unheard
