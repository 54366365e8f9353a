"""A bounded memo that can hand what it learned to another process."""

from __future__ import annotations

from itertools import islice
from typing import TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class Memo(dict[Key, Value]):
    """Results of a pure function, by its arguments: a dict (its lookups stay C-speed), emptied
    when it reaches `bound` entries so a long archive cannot grow it without end (the entries
    that recur come back).

    `lessons` gives what was remembered since the last call (or since this process was forked
    from one that called `learn`), for `learn` in another process: a build's route workers are
    forked afresh in waves, and each wave starts from what the waves before it worked out.
    """

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound
        self._taught = 0  # entries that the process this one hands on to has already

    def remember(self, key: Key, value: Value) -> Value:
        if len(self) >= self.bound:
            self.clear()
            self._taught = 0
        self[key] = value
        return value

    def lessons(self) -> list[tuple[Key, Value]]:
        learned = list(islice(self.items(), self._taught, None))
        self._taught = len(self)
        return learned

    def learn(self, lessons: list[tuple[Key, Value]]) -> None:
        if len(self) + len(lessons) > self.bound:
            self.clear()
        self.update(lessons)
        self._taught = len(self)
