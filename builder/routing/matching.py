"""Find phrase mentions in plain text: case-insensitive, on word boundaries, longest phrase first.

All phrases of all owners (topics or actors) go into one regular expression built as a trie, so a
10,000-alias topic costs one pass over the text, and at any position the longest phrase wins
across owners: "South Sudan" is South Sudan's, never Sudan's. Exclude phrases take part in that
contest too, and mask their span.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_APOSTROPHES = ("’", "‘", "ʼ")
# An English plural or possessive ending may follow a phrase: Afghans, Myanmar's, Afghans'.
_ENDING = r"(?:'s|s'|es|s|')?"


def fold(text: str) -> str:
    """Lower-case `text` and straighten its apostrophes (str.replace is far faster than translate)."""
    text = text.lower()
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    return text


def normalise(phrase: str) -> str:
    """The lookup key of a phrase or of matched text: lower case, one space, straight apostrophes."""
    return " ".join(fold(phrase).split())


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names one or more owners."""

    start: int
    end: int
    owners: frozenset[str]


class PhraseMatcher:
    """Match many owners' phrases in one pass over a text."""

    def __init__(
        self,
        phrases: Mapping[str, Iterable[str]],
        excludes: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        masks: set[str] = set()
        for owner, owned in phrases.items():
            for phrase in owned:
                key = normalise(phrase)
                if key:
                    owners[key].add(owner)
        for owned in (excludes or {}).values():
            for phrase in owned:
                key = normalise(phrase)
                if key:
                    masks.add(key)
        self._owners = {key: frozenset(found) for key, found in owners.items()}
        keys = sorted(set(owners) | masks)
        source = rf"(?<!\w)(?P<core>{_trie_pattern(keys)}){_ENDING}(?!\w)" if keys else None
        # Matching folded text without IGNORECASE is twice as fast; the case-insensitive pattern
        # is only compiled for the rare text whose length changes when lower-cased.
        self._pattern = re.compile(source) if source else None
        self._source = source
        self._caseless: re.Pattern[str] | None = None

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in `text`, left to right; masked spans name no owner and are dropped."""
        if self._pattern is None:
            return []
        found: list[Mention] = []
        folded = fold(text)
        pattern = self._pattern
        if len(folded) != len(text):  # e.g. 'İ' lower-cases to two characters
            if self._caseless is None:
                self._caseless = re.compile(self._source or "", re.IGNORECASE)
            pattern = self._caseless
            folded = text
            for apostrophe in _APOSTROPHES:
                folded = folded.replace(apostrophe, "'")
        for match in pattern.finditer(folded):
            owners = self._owners.get(normalise(match["core"]))
            if owners:
                found.append(Mention(match.start(), match.end(), owners))
        return found

    def owners_in(self, text: str) -> set[str]:
        """The owners mentioned anywhere in `text`."""
        return {owner for mention in self.mentions(text) for owner in mention.owners}


def _trie_pattern(keys: list[str]) -> str:
    """A regex matching exactly `keys`, factored as a trie, longer continuations tried first."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends_here = "" in node
    branches = []
    for char in sorted(c for c in node if c):
        child = node[char]
        # Walk single-child chains iteratively: long phrases must not nest one group per letter.
        prefix = [_char_pattern(char)]
        while len(child) == 1 and "" not in child:
            ((next_char, child),) = child.items()
            prefix.append(_char_pattern(next_char))
        branches.append("".join(prefix) + _node_pattern(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # Greedy optional: the longer phrase is tried before stopping here.
        return f"(?:{body})?"
    return body


def _char_pattern(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "'":
        return "'"
    return re.escape(char)


def phrase_pattern(phrases: list[str]) -> str:
    """A regex source matching exactly `phrases` (lower case; a space matches any run of spaces),
    factored as a trie: one pass over a text whatever the number of phrases."""
    return _trie_pattern(sorted(phrases))
