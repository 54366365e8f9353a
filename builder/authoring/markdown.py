"""Write imported text as Markdown that means exactly the text: one block per paragraph, escaped.

Text from the web is not Markdown: a paragraph that opens with "1." or "#", or holds `<b>` or
`*`, would turn into a list, a heading, HTML or emphasis. Every block written here is escaped so
that it renders as the words the page showed, and each passage of the draft is one block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# trafilatura's XML body is an lxml tree; lxml ships no type hints.
_Element = Any

_INLINE = re.compile(r"([\\`*\[\]])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:(#{1,6}|>|[-+*]|=+|-+|~{3,})(?=\s|$)|(\d{1,9})([.)])(?=\s|$))")


def escape(text: str) -> str:
    """Escape `text` (one line) so that CommonMark renders it as the same characters."""
    text = " ".join(text.split())
    escaped = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    match = _LINE_START.match(escaped)
    if match is None:
        return escaped
    if match.group(2) is not None:  # "1. " or "1) " would open an ordered list
        return f"{match.group(2)}\\{match.group(3)}{escaped[match.end() :]}"
    return "\\" + escaped


def paragraphs(blocks: Iterable[str]) -> str:
    """Write plain-text paragraphs as Markdown: escaped, blank lines between."""
    return "\n\n".join(escape(block) for block in blocks if block.strip()) + "\n"


_CONTAINERS = frozenset({"div", "section", "article", "main", "body"})
"""HTML wrappers that trafilatura's fallback extractors leave around the paragraphs they keep."""


def from_extraction(body: _Element) -> list[str]:
    """Convert trafilatura's XML body into Markdown blocks: paragraphs, headings, lists, quotes, tables.

    Headings keep the web page's levels (`#` for an h1): `outline` places them under the title.
    """
    blocks: list[str] = []
    for element in body:
        if element.tag in _CONTAINERS:
            blocks.extend(from_extraction(element))
            continue
        block = _block(element)
        if block:
            blocks.append(block)
    return blocks


_HEADING = re.compile(r"^(#{1,6}) ")


def outline(blocks: list[str]) -> list[str]:
    """Re-level the heading blocks so that they sit under the article's title without a gap.

    The headline is the article's title (its page's h1), so the body's outermost headings are
    written `##` and each deeper one a single level below the heading it sits under, however
    many levels the web page skipped (an h2 followed by an h4 becomes `##`, `###`). Only
    headings start with `#`: `escape` writes a paragraph's leading `#` as `\\#`.
    """
    leveled: list[str] = []
    open_levels: list[int] = []  # the web page's levels of the headings the next one sits under
    for block in blocks:
        match = _HEADING.match(block)
        if match is None:
            leveled.append(block)
            continue
        level = len(match[1])
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        open_levels.append(level)
        leveled.append("#" * min(1 + len(open_levels), 6) + block[len(match[1]) :])
    return leveled


def _text(element: _Element) -> str:
    # `lb` is a line break inside a paragraph; a space keeps the paragraph one passage.
    return " ".join("".join(str(part) for part in element.itertext()).split())


def _block(element: _Element) -> str:
    tag = element.tag
    if tag == "head":
        rend = str(element.get("rend", "h2"))
        level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        text = _text(element)
        return f"{'#' * level} {escape(text)}" if text else ""
    if tag == "list":
        ordered = element.get("rend") == "ol"
        items = [_text(item) for item in element if item.tag == "item"]
        return "\n".join(
            f"{f'{number}.' if ordered else '-'} {escape(item)}"
            for number, item in enumerate((i for i in items if i), start=1)
        )
    if tag == "quote":
        text = _text(element)
        return f"> {escape(text)}" if text else ""
    if tag == "table":
        return _table(element)
    if tag == "graphic":
        return ""
    return escape(_text(element))


def _table(table: _Element) -> str:
    rows = [[_text(cell) for cell in row if cell.tag == "cell"] for row in table.iter("row")]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = [escape(cell).replace("|", "\\|") if cell else " " for cell in row] + [" "] * (
            width - len(row)
        )
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)
