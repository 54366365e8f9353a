"""Find a web page's headline and the date printed with it, the way a reader sees them.

Metadata titles are often not the headline: `og:title` is rewritten for social media, `<title>`
carries the site's name ("... | The Daily Example"), and the first `<h1>` may be the site's logo.
The headline is the heading shown above the article's first paragraph that agrees with the
page's metadata titles; when an `<h1>` wraps a kicker and a headline ("Diplomacy: Talks
resume in Geneva"), the part marked as the headline is taken. The date a reader sees is the
one printed just under that headline ("Stand: 14.06.2021", "Updated ... June 14, 2021").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from builder.authoring.dates import dates_in, iso_date

# lxml ships no type hints and lxml-stubs is not a dependency: elements are typed loosely.
HtmlElement = Any

_WORD = re.compile(r"\w+")
_INLINE = frozenset("a abbr b bdi cite code em font i mark q s small span strong sub sup time u".split())
_BLOCKS = frozenset("p div li span section article td blockquote font".split())
_SKIP = frozenset(["script", "style", "noscript", "template", "svg", "button", "form"])
_HEADLINE_PART = re.compile(r"headline|title", re.IGNORECASE)
_NOT_HEADLINE_PART = re.compile(r"sub|kicker|over|topline|dach|eyebrow|label|section|rubric", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[|\-–—·:»]\s+(?P<site>[^|\-–—·»]{2,40})$")
_AGREEMENT = 0.6
"""Share of the shorter title's words the two must have in common to name the same story."""
_WINDOW_CHARS = 300
"""How much text after the headline is searched for the date printed with it."""


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline element and its text."""

    text: str
    element: HtmlElement


def clean_text(text: str) -> str:
    """Collapse whitespace (no-break spaces included) into single spaces."""
    return " ".join(text.split())


def metadata_titles(tree: HtmlElement) -> list[str]:
    """List the titles the page declares, best first: JSON-LD headline, og:title, twitter:title, <title>."""
    found = list(_json_ld_headlines(tree))
    for xpath in (
        '//meta[@property="og:title"]/@content',
        '//meta[@name="twitter:title" or @property="twitter:title"]/@content',
        "//title/text()",
    ):
        found.extend(clean_text(str(value)) for value in tree.xpath(xpath))
    return [title for title in dict.fromkeys(found) if title]


def _json_ld_headlines(tree: HtmlElement) -> Iterator[str]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data: Any = json.loads(script.text_content())
        except ValueError:
            continue
        pending = [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, dict):
                if isinstance(item.get("headline"), str):
                    yield clean_text(item["headline"])
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)


def agreement(first: str, second: str) -> float:
    """Measure the share of the shorter text's words the longer one also has (0 for one-word texts)."""
    a = {w.casefold() for w in _WORD.findall(first)}
    b = {w.casefold() for w in _WORD.findall(second)}
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def find_headline(tree: HtmlElement, titles: list[str], body_start: HtmlElement | None) -> Headline | None:
    """Find the heading above the article's first paragraph that agrees with a metadata title.

    An `<h1>` (or an element marked `itemprop="headline"`) wins over an `<h2>`: pages put the
    standfirst or section titles in `<h2>`, and use one only when the headline is not an `<h1>`.
    """
    order = {element: index for index, element in enumerate(tree.iter())}
    limit = order.get(body_start, len(order)) if body_start is not None else len(order)
    best: tuple[bool, int, Headline] | None = None
    for heading in tree.xpath("//h1 | //h2 | //*[@itemprop='headline'][not(self::meta)]"):
        position = order.get(heading, len(order))
        if position > limit:
            continue
        text = _headline_text(heading)
        if not titles or max(agreement(text, title) for title in titles) < _AGREEMENT:
            continue
        rank = (heading.tag == "h1" or heading.get("itemprop") == "headline", position)
        if best is None or rank > best[:2]:
            best = (*rank, Headline(text, heading))
    return best[2] if best else None


def _headline_text(heading: HtmlElement) -> str:
    """Return the heading's text, or only its marked headline part when it also holds a kicker."""
    for part in heading.iterdescendants():
        if not isinstance(part.tag, str):
            continue
        marks = f"{part.get('class', '')} {part.get('itemprop', '')}"
        if _HEADLINE_PART.search(marks) and not _NOT_HEADLINE_PART.search(marks):
            text = clean_text(part.text_content())
            if text:
                return text
    return clean_text(heading.text_content())


def body_start(tree: HtmlElement, first_paragraph: str) -> HtmlElement | None:
    """Find the element whose own text begins the article's first paragraph, if there is one."""
    probe = clean_text(first_paragraph)[:40]
    if len(probe) < 20:
        return None
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS and probe in _own_text(element):
            return element
    return None


def _own_text(element: HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        inline = isinstance(child.tag, str) and child.tag in _INLINE
        parts.append(child.text_content() if inline else " ")
        parts.append(child.tail or "")
    return clean_text("".join(parts))


def date_under(headline: HtmlElement, *, latest: dt.date) -> tuple[dt.date, str] | None:
    """Find the date printed just after the headline: a `<time datetime>` or a written date."""
    inside = set(headline.iter())
    collected: list[str] = []
    size = 0
    started = False
    for element in headline.getroottree().iter():
        if element is headline:
            started = True
            collected.append(headline.tail or "")
            continue
        if not started or element in inside or not isinstance(element.tag, str):
            continue
        if element.tag in _SKIP or any(a.tag in _SKIP for a in element.iterancestors()):
            continue
        if element.tag in ("h1", "h2", "p") and size > 80:
            break  # the next heading or the article itself: past what is printed with the headline
        stamp = element.get("datetime") if element.tag == "time" else None
        value = iso_date(stamp) if stamp else None
        if value is not None and value <= latest:
            # A date written before this <time> is the one printed first.
            return _written_date(collected, latest) or (
                value,
                f"the <time> element under the headline ({stamp})",
            )
        text = clean_text(f"{element.text or ''} {element.tail or ''}")
        collected.append(text)
        size += len(text)
        if size >= _WINDOW_CHARS:
            break
    return _written_date(collected, latest)


def _written_date(texts: list[str], latest: dt.date) -> tuple[dt.date, str] | None:
    window = clean_text(" ".join(texts))[:_WINDOW_CHARS]
    mentions = dates_in(window, latest=latest)
    if mentions:
        return mentions[0].date, f'the date under the headline: "{mentions[0].text}"'
    return None


def strip_site_name(title: str, site_name: str | None, url: str | None) -> str:
    """Drop a trailing " | Site" or " - Site" when it names the site (its name or its host)."""
    match = _SUFFIX.match(title)
    if match is None:
        return title
    site = match["site"].strip()
    squashed = re.sub(r"\W+", "", site.casefold())
    names = {re.sub(r"\W+", "", (site_name or "").casefold())}
    host = urlsplit(url).hostname if url else None
    if host:
        names.update(re.sub(r"\W+", "", label) for label in host.casefold().removeprefix("www.").split("."))
        names.add(re.sub(r"\W+", "", host.casefold().removeprefix("www.")))
    names.discard("")
    if squashed in names or any(squashed and (squashed in n or n in squashed) for n in names if len(n) > 3):
        return match["title"].strip()
    return title
