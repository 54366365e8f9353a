"""Split plain text into sentences, well enough to tell a list of topics from a report on one."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (plus closing quotes or brackets) followed by space and a capital,
# a digit or an opening quote; line breaks (list items, table cells) always end one.
# The pattern opens with its end marks, not a lookbehind, so the regex engine skips ahead to
# them (every passage of the archive is split).
_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|E\.U|Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul"
    r"|Aug|Sep|Sept|Oct|Nov|Dec|No|Vol|approx|vs|etc|i\.e|e\.g)|\b[A-Z])\.$"
)


_LONGEST = 8
"""Characters of the longest abbreviation with its period ("approx.")."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _END.finditer(text):
        # The sentence ends after its end mark; a newline is no part of either sentence.
        end = boundary.start() + (boundary.group() != "\n")
        # An abbreviation is at most _LONGEST characters before the mark: look no further back.
        if end > boundary.start() and _ABBREVIATIONS.search(text, max(start, end - _LONGEST), end):
            continue
        if end > start:
            spans.append((start, end))
        start = boundary.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
