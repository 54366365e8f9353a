"""Check text taken from the cache before it is published: nothing in it may be able to run.

A cached page is the Markdown a template wrote: content the sanitiser already made safe, inside
the templates' own HTML (passage `<div>`s, the coverage chart's SVG). So the check is the
sanitiser's allow-list widened by exactly that vocabulary: every raw tag and attribute must be one
of them, every URL one of the sanitiser's schemes, and no Markdown link may carry another scheme.
A cached passage must come out of the sanitiser unchanged, as every passage the parser keeps does.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Iterable

from builder.markdown import sanitise
from builder.model import Heading, Passage

_OPENS_TAG = re.compile(r"<[A-Za-z/]")
_PLAIN_DESTINATION = re.compile(
    r"\]\((?:[./#?]|https?://|mailto:|[A-Za-z0-9_-]*[/#?]|[A-Za-z0-9_.-]*\))", re.IGNORECASE
)
"""A link destination that cannot carry a scheme: a path (a `/`, `#` or `?` before any colon, or
no colon at all), a fragment, an http(s) or mailto URL."""
_SIMPLE_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:=\"[^\"<]*\")?)*)\s*/?>"
)
"""A tag as the templates and the sanitiser write them (double-quoted values, no `<` inside):
read this way, its attributes are exactly the ones a browser sees."""
_OPENING = re.compile(r"<(?=[A-Za-z/])")
_TOKEN = re.compile(r"<[A-Za-z/][^<>]*>")
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
    return not (("](" in markdown or "]:" in markdown) and _has_unsafe_link(markdown))


def _has_unsafe_link(text: str) -> bool:
    # The templates' links are relative paths or http(s) URLs: counted at C speed, the common
    # case needs none of the sanitiser's decoding of each destination.
    if "]:" not in text and text.count("](") == len(_PLAIN_DESTINATION.findall(text)):
        return False
    return bool(sanitise.unsafe_link_schemes(text))


def passages_are_clean(blocks: Iterable[Passage | Heading], base_url: str | None) -> bool:
    """Tell whether every block is its own sanitised form, as the parser keeps every block of an
    article clipped from `base_url` (relative links resolved against it)."""
    return all(
        sanitise.sanitise_markdown(block.markdown, resolve_relative=True, base_url=base_url).markdown
        == block.markdown
        for block in blocks
    )


def _tags_are_allowed(text: str) -> bool:
    """Every `<` that could open a tag opens an allowed tag, a comment or an autolink, or stands in
    code (which Python-Markdown shows as text). Every `<` is looked at, inside attribute values
    too: no quoted value can hide a tag from the check."""
    # The common case at C speed: every `<` that opens a tag is closed before the next `<`, and
    # each distinct tag (the templates repeat theirs) is a simple one, allowed.
    found = _TOKEN.findall(text)
    if len(found) == len(_OPENING.findall(text)) and all(_simple_and_allowed(token) for token in set(found)):
        return True
    return _every_tag_allowed(text)


@functools.lru_cache(maxsize=4096)
def _simple_and_allowed(token: str) -> bool:
    tag = _SIMPLE_TAG.fullmatch(token)
    return tag is not None and _allowed(tag[0], tag[2], tag[3])


def _every_tag_allowed(text: str) -> bool:
    """`_tags_are_allowed`, one `<` at a time."""
    refused: list[int] = []
    found = text.find("<")
    while found != -1:
        # Comments and declarations are inert, and a `<` before anything else is text.
        opens = _OPENS_TAG.match(text, found) and not text.startswith(("<!", "<?"), found)
        if opens and not _AUTOLINK.match(text, found):
            tag = sanitise.TAG_PATTERN.match(text, found)
            if tag is None or not _allowed(tag[0], tag[2], tag[3]):
                refused.append(found)
        found = text.find("<", found + 1)
    if not refused:
        return True
    code = sanitise.code_regions(text)  # only now: finding them costs more than the scan
    starts = [region[0] for region in code]
    for offset in refused:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0 or offset >= code[index][1]:
            return False
    return True


def _allowed(whole: str, name: str, attributes: str) -> bool:
    """Tell whether a tag (`whole`, its `name` and `attributes` text) is one a page may hold."""
    if name.lower() not in PAGE_TAGS:
        return False
    for attribute in sanitise.ATTRIBUTE_PATTERN.finditer(attributes):
        name, raw = attribute[1].lower(), attribute[2]
        if name not in PAGE_ATTRIBUTES:
            return False
        value = html.unescape(raw[1:-1] if raw and len(raw) >= 2 and raw[0] in "\"'" else raw or "")
        if name in sanitise.URL_ATTRIBUTES and not sanitise.is_safe_url(value):
            return False
    return True
