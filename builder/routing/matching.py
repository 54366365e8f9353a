"""Find phrase mentions in plain text: case-insensitive, on word boundaries, longest phrase first.

All phrases of all owners (topics or actors) go into one regular expression built as a trie, so a
10,000-alias topic costs one pass over the text, and at any position the longest phrase wins
across owners: "South Sudan" is South Sudan's, never Sudan's. Exclude phrases take part in that
contest too, and mask their span.

A trie nests one group per phrase that is a prefix of a longer one (`x`, `x x`, `x x x`, …), and
Python's regex compiler recurses on nesting: past MAX_NESTING levels the deeper phrases go into a
further pattern, and the patterns' matches are merged leftmost-longest, as one pattern would
find them. Nothing here recurses.

Text and phrases are compared in Unicode NFC, ignoring the invisible characters an editor cannot
see (zero-width space, soft hyphen, word joiner); the offsets of a mention are those of the text
as it was, so what is quoted never changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_NESTING = 100
"""Groups nested in one pattern; Python's regex compiler recurses once per level (300 pass, 500 fail)."""
_APOSTROPHES = ("’", "‘", "ʼ")
IGNORED = ("\u200b", "\u00ad", "\u2060")
"""Zero-width space, soft hyphen, word joiner: invisible, so they never break a match."""
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
    """The lookup key of a phrase or of matched text: NFC, no invisible characters, lower case,
    one space, straight apostrophes."""
    return " ".join(fold(matchable(phrase)[0]).split())


def matchable(text: str) -> tuple[str, list[int] | None]:
    """`text` in NFC without IGNORED characters, and where each of its characters came from in
    `text` (None when it is `text` itself); `len(text)` closes the list, for end offsets."""
    if text.isascii() or (unicodedata.is_normalized("NFC", text) and not any(c in text for c in IGNORED)):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    start, length = 0, len(text)
    while start < length:
        end = start + 1
        while end < length and unicodedata.combining(text[end]):
            end += 1  # a character and its combining marks compose together
        for char in unicodedata.normalize("NFC", text[start:end]):
            if char not in IGNORED:
                out.append(char)
                origin.append(start)
        start = end
    origin.append(length)
    return "".join(out), origin


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
        # Matching folded text without IGNORECASE is twice as fast; the case-insensitive patterns
        # are only compiled for the rare text whose length changes when lower-cased.
        bodies = _trie_patterns(sorted(set(owners) | masks))
        self._sources = [rf"(?<!\w)(?P<core>{body}){_ENDING}(?!\w)" for body in bodies]
        self._patterns = [re.compile(source) for source in self._sources]
        self._caseless: list[re.Pattern[str]] | None = None

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in `text`, left to right; masked spans name no owner and are dropped."""
        if not self._patterns:
            return []
        found: list[Mention] = []
        plain, origin = matchable(text)
        folded = fold(plain)
        patterns = self._patterns
        if len(folded) != len(plain):  # e.g. 'İ' lower-cases to two characters
            if self._caseless is None:
                self._caseless = [re.compile(source, re.IGNORECASE) for source in self._sources]
            patterns = self._caseless
            folded = plain
            for apostrophe in _APOSTROPHES:
                folded = folded.replace(apostrophe, "'")
        for match in _leftmost_longest(patterns, folded):
            owners = self._owners.get(normalise(match["core"]))
            if owners:
                start, end = match.span()
                if origin is not None:
                    start, end = origin[start], origin[end]
                found.append(Mention(start, end, owners))
        return found

    def owners_in(self, text: str) -> set[str]:
        """The owners mentioned anywhere in `text`."""
        return {owner for mention in self.mentions(text) for owner in mention.owners}


def _leftmost_longest(patterns: list[re.Pattern[str]], text: str) -> Iterable[re.Match[str]]:
    """The matches one pattern of all `patterns`' alternatives would find: left to right, the
    longest at each start, none overlapping."""
    if len(patterns) == 1:
        yield from patterns[0].finditer(text)
        return
    heads = [pattern.search(text) for pattern in patterns]
    while True:
        found = [head for head in heads if head is not None]
        if not found:
            return
        best = min(found, key=lambda m: (m.start(), -m.end()))
        yield best
        position = best.end()
        # A head starting at or after `position` is still the first match from there.
        heads = [
            head if head is None or head.start() >= position else pattern.search(text, position)
            for pattern, head in zip(patterns, heads, strict=True)
        ]


def _trie_patterns(keys: list[str]) -> list[str]:
    """Regexes that together match exactly `keys`, each factored as a trie with longer
    continuations tried first, none nesting groups deeper than MAX_NESTING."""
    patterns: list[str] = []
    while keys:
        pattern, keys = _bounded_trie_pattern(keys)
        if pattern:
            patterns.append(pattern)
    return patterns


_END = ""
"""The trie's mark that a key ends at a node (its value: the key)."""


def _bounded_trie_pattern(keys: list[str]) -> tuple[str, list[str]]:
    """A trie regex of `keys` as deep as MAX_NESTING allows, and the keys left for another."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[_END] = key
    # Visit each branching or ending node once, parents before children (no recursion): a branch
    # is the run of single-child characters from a node to the next such node.
    order: list[tuple[int, dict[str, Any], list[tuple[str, dict[str, Any]]]]] = []
    pending: list[tuple[dict[str, Any], int]] = [(trie, 0)]
    deferred: list[str] = []
    while pending:
        node, depth = pending.pop()
        branches = []
        nested = depth + (_END in node) + (sum(1 for c in node if c) > 1)
        for char in sorted(c for c in node if c):
            child, prefix = node[char], [_char_pattern(char)]
            while len(child) == 1 and _END not in child:  # single-child chains nest no group
                ((next_char, child),) = child.items()
                prefix.append(_char_pattern(next_char))
            if nested >= MAX_NESTING:
                deferred.extend(_keys_under(child))
                continue
            branches.append(("".join(prefix), child))
            pending.append((child, nested))
        order.append((id(node), node, branches))
    patterns: dict[int, str | None] = {}
    for key, node, branches in reversed(order):  # children before their parents
        parts = [prefix + body for prefix, child in branches if (body := patterns[id(child)]) is not None]
        if not parts:
            patterns[key] = "" if _END in node else None
            continue
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        patterns[key] = f"(?:{body})?" if _END in node else body  # greedy: the longer phrase first
    return patterns[id(trie)] or "", deferred


def _keys_under(node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    pending = [node]
    while pending:
        current = pending.pop()
        for char, child in current.items():
            if char == _END:
                found.append(child)
            else:
                pending.append(child)
    return found


def _char_pattern(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "'":
        return "'"
    return re.escape(char)


def phrase_pattern(phrases: list[str]) -> str:
    """A regex source matching exactly `phrases` (lower case; a space matches any run of spaces),
    factored as a trie: one pass over a text whatever the number of phrases."""
    # Past MAX_NESTING the trie comes in several parts; the verb and title lists this serves stay
    # in one, and an alternation of parts still matches every phrase.
    return "|".join(f"(?:{part})" for part in _trie_patterns(sorted(phrases)))
