"""Whom a pronoun continues: the last named speaker of an article, read back only when asked.

`builder.routing.attribution` reads an article's sentences in order. The referent of "he said"
is the person who opened the newest sentence that opens with a person, or the speaker last
named, whichever came later. Most sentences are never followed by a pronoun that needs them,
and most passages' statements are not asked for, so both are kept unread here and looked at,
newest first, only when a pronoun asks (`LastSpeaker.now`): the answer is the same as reading
every sentence in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Referent = tuple[tuple[str, ...], str]
"""Whom a pronoun continues: actor ids (none for a person who is no actor) and the name."""
Opening = Callable[[str, int, frozenset[str]], "Referent | None"]
"""The person opening the sentence of a text at an offset (`mentioned`: the people named so far)."""
Reader = Callable[[str, list[tuple[int, int]], frozenset[str], "LastSpeaker"], None]
"""Read a passage's sentences (at their spans) for who opens and who speaks in them."""


class LastSpeaker:
    """The article's last named speaker, worked out only when a pronoun asks for it."""

    __slots__ = ("_opening", "_reader", "_referent", "_unread")

    def __init__(self, opening: Opening, reader: Reader) -> None:
        self._opening = opening
        self._reader = reader
        self._referent: Referent | None = None
        # Newest last: (text, sentence starts, mentioned) whose openings are unread, or a
        # passage not read at all.
        self._unread: list[tuple[str, Sequence[int], frozenset[str]] | _Deferred] = []

    def read(self, text: str, starts: Sequence[int], mentioned: frozenset[str]) -> None:
        """The sentences of `text` at `starts` come next."""
        if starts:
            self._unread.append((text, starts, mentioned))

    def defer(self, text: str, spans: list[tuple[int, int]], mentioned: frozenset[str]) -> None:
        """A passage comes next whose statements nobody asked for: read it only if a pronoun needs it."""
        self._unread.append(_Deferred(text, spans, mentioned))

    def named(self, who: Referent) -> None:
        """A sentence has just named its speaker: a pronoun after it continues `who`."""
        self._referent = who
        self._unread.clear()

    def now(self) -> Referent | None:
        """Whom a pronoun in the sentence read last continues."""
        unread = self._unread
        for position in range(len(unread) - 1, -1, -1):
            item = unread[position]
            if isinstance(item, _Deferred):
                # What the passage leaves, read from what came before it (itself read only as
                # far as the passage's own pronouns need).
                before = LastSpeaker(self._opening, self._reader)
                before._referent = self._referent
                before._unread = unread[:position]
                self._reader(item.text, item.spans, item.mentioned, before)
                return self._settle(before.now())
            text, starts, mentioned = item
            for start in reversed(starts):
                who = self._opening(text, start, mentioned)
                if who is not None:
                    return self._settle(who)
        return self._settle(self._referent)

    def _settle(self, who: Referent | None) -> Referent | None:
        self._referent = who
        self._unread.clear()
        return who


@dataclass(frozen=True, slots=True)
class _Deferred:
    """A passage not read yet: its text, its sentences' spans, the people named up to it."""

    text: str
    spans: list[tuple[int, int]]
    mentioned: frozenset[str]
