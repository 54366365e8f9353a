"""Write content safely into Markdown: escape text, quote URLs, indent blocks.

Front-matter strings (titles, sources, summaries, names) are text, never Markdown: a title such as
`x](javascript:alert(1))` must not become a link, `{onclick=...}` must not become attributes and
`<script>` must not become HTML. Every value a template prints goes through `escape` unless it is
marked as already-safe Markdown (`Markup`), which only the pipeline does, for sanitised bodies.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from builder.content import yamlwriter

# Characters Python-Markdown treats as syntax anywhere in a line (all in its backslash-escapable
# set: escaping any other character would leave a visible backslash).
_INLINE = re.compile(r"([\\`*_{}\[\]|])")
# Syntax that only counts at the start of a line: list markers, headings, ordered-list numbers.
_LEADING = re.compile(r"^(?:([-+#])|(\d+)([.)]))")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


_WHITESPACE = re.compile(r"\s+")
_NEEDS_WORK = re.compile(r"[\\`*_{}\[\]|&<>\t\n\r\f\v\u00a0\u2028\u2029]|\s\s|^(?:[\-+#]|\d+[.)])")


def escape(value: object) -> Markup:
    """Escape any value as inline Markdown text that renders literally, on one line."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if not _NEEDS_WORK.search(text):
        return Markup(text)  # the common case: plain words
    text = _WHITESPACE.sub(" ", text)  # one line; edge spaces are kept (", " separators)
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    text = re.sub(r"[&<>]", lambda m: _ENTITIES[m.group()], text)
    return Markup(text)


def plain(value: object) -> Markup:
    """Text with only HTML's special characters escaped, for attributes and raw HTML contexts."""
    text = " ".join(str(value).split())
    return Markup(re.sub(r'[&<>"]', lambda m: _ENTITIES[m.group()], text))


_SAFE_URL_CHARS = "/:@!$&'*+,;=?#%~-._"


def url(value: str) -> Markup:
    """An http(s) URL fit for a Markdown link destination, or '#' when it is anything else."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return Markup("#")
    # Parentheses, spaces and angle brackets would end the destination early: percent-encode them.
    return Markup(quote(value.strip(), safe=_SAFE_URL_CHARS))


def blockquote(markdown: str) -> Markup:
    """Prefix every line with '> ' so a block of Markdown becomes a blockquote."""
    return Markup("\n".join(f"> {line}" if line.strip() else ">" for line in markdown.split("\n")))


def indent(markdown: str, spaces: int = 4) -> Markup:
    """Indent every non-empty line, e.g. to nest a block inside a list item or admonition."""
    pad = " " * spaces
    return Markup("\n".join(pad + line if line.strip() else "" for line in markdown.split("\n")))


def yaml_text(value: object) -> Markup:
    """Text as a YAML double-quoted scalar on one line, for a page's front matter."""
    return Markup(yamlwriter.quote(" ".join(str(value).split())))
