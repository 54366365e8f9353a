"""Check text taken from the cache before it is published: nothing in it may be able to run.

A cached page is the Markdown a template wrote: content the sanitiser already made safe, inside
the templates' own HTML (passage `<div>`s, the coverage chart's SVG). So the check is the
sanitiser's allow-list widened by exactly that vocabulary: every raw tag and attribute must be one
of them, every URL one of the sanitiser's schemes, and no Markdown link may carry another scheme.
A cached passage must come out of the sanitiser unchanged, as every passage the parser keeps does.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable

from builder.markdown import sanitise
from builder.model import Heading, Passage

_OPENS_TAG = re.compile(r"<[A-Za-z/]")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>\"'`]*>", re.IGNORECASE)

PAGE_TAGS = sanitise.TAGS | frozenset("svg rect line title desc g text path".split())
"""The raw elements a page may hold: the sanitiser's, and the SVG of the coverage charts."""
PAGE_ATTRIBUTES = frozenset().union(*sanitise.ATTRIBUTES.values()) | frozenset(
    "class id markdown role aria-hidden aria-label aria-labelledby aria-describedby viewbox x y x1 y1 "
    "x2 y2 rx ry preserveaspectratio focusable xmlns".split()
)
"""The attributes a page's raw tags may have: the sanitiser's, and the templates' own."""


def page_is_safe(markdown: str) -> bool:
    """Tell whether a page's Markdown holds only allowed tags, attributes, URLs and link schemes."""
    if "<" in markdown and not _tags_are_allowed(markdown):
        return False
    return not (("](" in markdown or "]:" in markdown) and sanitise.unsafe_link_schemes(markdown))


def passages_are_clean(blocks: Iterable[Passage | Heading], base_url: str | None) -> bool:
    """Tell whether every block is its own sanitised form, as the parser keeps every block of an
    article clipped from `base_url` (relative links resolved against it)."""
    return all(
        sanitise.sanitise_markdown(block.markdown, resolve_relative=True, base_url=base_url).markdown
        == block.markdown
        for block in blocks
    )


def _tags_are_allowed(text: str) -> bool:
    """Every `<` that could open a tag, outside code, opens an allowed tag, a comment or an autolink."""
    code = sanitise.code_regions(text)
    starts = [region[0] for region in code]
    found = text.find("<")
    while found != -1:
        index = bisect.bisect_right(starts, found) - 1
        if index >= 0 and found < code[index][1]:
            found = text.find("<", code[index][1])
            continue
        end = found + 1
        if text.startswith(("<!", "<?"), found) or not _OPENS_TAG.match(text, found):
            pass  # comments and declarations are inert; a `<` before anything else is text
        elif link := _AUTOLINK.match(text, found):
            end = link.end()
        elif (tag := sanitise.TAG_PATTERN.match(text, found)) is not None and _allowed(tag):
            end = tag.end()
        else:
            return False
        found = text.find("<", end)
    return True


def _allowed(tag: re.Match[str]) -> bool:
    if tag[2].lower() not in PAGE_TAGS:
        return False
    for attribute in sanitise.ATTRIBUTE_PATTERN.finditer(tag[3]):
        name, raw = attribute[1].lower(), attribute[2]
        if name not in PAGE_ATTRIBUTES:
            return False
        value = html.unescape(raw[1:-1] if raw and len(raw) >= 2 and raw[0] in "\"'" else raw or "")
        if name in sanitise.URL_ATTRIBUTES and not sanitise.is_safe_url(value):
            return False
    return True
