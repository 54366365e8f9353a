"""Make content Markdown safe to publish: allow-listed raw HTML and no script-bearing URLs.

Python-Markdown passes raw HTML through untouched and copies any link destination into `href`, so
an article body could carry `<script>`, `onerror=` or `javascript:` into the site. A block is
rewritten in its own Markdown (clean Markdown comes back byte-identical): every raw tag is rebuilt
from the allow-list below or removed, every other `<` that could open a tag becomes `&lt;`, and
link destinations with a scheme other than http, https or mailto become `#`. The result is then
proven safe: rendered the ways pages use it, nh3 (Ammonia) must find nothing to remove from the
HTML. A block that cannot be proven safe is shown as plain text instead.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3

from builder.markdown import extensions

TAGS = frozenset(
    "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp small "
    "span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr".split()
)
"""Elements raw HTML may keep: text semantics and structure, nothing that loads or runs code."""
VOID = frozenset({"br", "col", "hr", "img", "wbr"})
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope", "abbr"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
}
"""Attributes kept per element ("*": on all). No id, name or class: content must not be able to
clobber the theme's DOM lookups or borrow its styles; no style: CSS can carry script in old browsers."""
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a URL may have; a URL without one (relative, `#fragment`) is allowed too."""
# Elements whose content is script, style or raw text: removed together with the element.
_DROP_CONTENT = frozenset("script style textarea title xmp iframe noembed noframes noscript template".split())
_TABLE_PARTS = frozenset("caption col colgroup tbody td tfoot th thead tr".split())
_MAX_TAG = 4096  # a longer "tag" is shown as text: bounds the work per `<` on hostile input

_TAG = re.compile(
    r"""<(/?)([A-Za-z][^\s/>\x00]*)((?>[\s/]*[^\s/>][^\s/=>]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)*+)[\s/]*>"""
)
_ATTRIBUTE = re.compile(r"""([^\s/>][^\s/=>]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_SIMPLE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>")
_COMMENT_END = re.compile(r"--!?>")
# Python-Markdown's own autolinks; any other `<scheme:...>` would reach the browser as a tag.
_AUTOLINK = re.compile(r"<(?:[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"'`]*|[^<> !\"'`]+@[^@<> \"'`]+)>")
# `<javascript:...>` is a tag to Python-Markdown; shown as text, it is reported as the link it mimics.
_SCHEME_LINK = re.compile(r"<(javascript|vbscript|data|livescript|mocha|https?|ftp|mailto):", re.IGNORECASE)
_OPENS_TAG = re.compile(r"<[A-Za-z/!?<]")
# Python-Markdown's code-span pattern (markdown.inlinepatterns.BACKTICK_RE).
_BACKTICK = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))", re.DOTALL)
_CHUNK = re.compile(r"(?m)(?:^[ \t]*\S.*(?:\n|\Z))+")
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]")
_INDENTED = re.compile(r"(?: {4}|\t)")

_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_TAGLIKE = re.compile(r"<[^<>]*>")
_DESTINATION = re.compile(r"\]\(")
_REFERENCE = re.compile(r"\]:(?:\s|>)*(\S+)")
# Destinations that cannot carry another scheme: the common case, decided without decoding.
_ABSOLUTE_DESTINATION = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
_COLON = re.compile(r":|&#0*58;?|&#x0*3a;?|&colon;?", re.IGNORECASE)
_PAREN_TOKENS = re.compile(r"\\.|[()]|\n[ \t]*\n", re.DOTALL)
_NAME = re.compile(r"[a-z][a-z0-9:_.-]{0,23}")
_MAX_DESTINATION = 2048

_ATTRIBUTE_ESCAPES = str.maketrans(
    {c: f"&#{ord(c)};" for c in "[]`\\*_|\n\r\t"} | {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;"}
)
_TEXT_ESCAPES = str.maketrans(
    {c: f"&#{ord(c)};" for c in "[]`\\*_|!{}"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
)
_LINE_START = re.compile(r"^(\d*)([-+#=~.)])")


@dataclass(frozen=True, slots=True)
class Removal:
    """One thing the sanitiser took out of a block."""

    what: str
    """Short description: `<script> element`, `onerror attribute`, `javascript: link`, ..."""
    line: int
    """1-based line of the block where it was found."""


@dataclass(frozen=True, slots=True)
class SanitisedMarkdown:
    """A block of Markdown that is safe to place in a page, and what was removed to make it so."""

    markdown: str
    removals: tuple[Removal, ...] = ()

    @property
    def removed(self) -> tuple[str, ...]:
        """The removals' descriptions, in order."""
        return tuple(removal.what for removal in self.removals)


def sanitise_markdown(
    source: str, *, resolve_relative: bool = False, base_url: str | None = None
) -> SanitisedMarkdown:
    """Return `source` with unsafe raw HTML and URLs removed; clean Markdown comes back unchanged.

    With `resolve_relative`, relative link destinations are also resolved against `base_url`, the
    page the text was clipped from (or become `#` without one): on our pages they would point
    nowhere, and fail MkDocs' link validation.
    """
    # Python-Markdown deletes these placeholder characters before parsing, which could join
    # `]` and `(` into a link after the checks below have looked.
    text = source.replace("\x02", "").replace("\x03", "")
    if "<" not in text and "](" not in text and "]:" not in text:
        return SanitisedMarkdown(text)  # no raw HTML and no link destination: the common case
    removals: list[Removal] = []
    for _ in range(4):  # a removal can expose new syntax (tags glued together): repeat to a fixpoint
        rewritten = _rewrite_links(_rewrite_html(text, removals), removals, resolve_relative, base_url)
        if rewritten == text:
            break
        text = rewritten
    else:
        return _as_text(text, removals)
    # Without a `<` that opens a tag there is no raw HTML, and every destination was just
    # checked: nothing to prove.
    if _OPENS_TAG.search(text) and not all(_is_clean_html(page) for page in _renderings(text)):
        return _as_text(text, removals)
    return SanitisedMarkdown(text, tuple(sorted(removals, key=lambda r: r.line)))


def sanitise_html(fragment: str) -> str:
    """Return an HTML fragment (a feed entry's content) cleaned with the same allow-list."""
    return str(
        nh3.clean(
            fragment,
            tags=set(TAGS),
            clean_content_tags=set(_DROP_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=None,
            strip_comments=True,
        )
    )


def describe_removals(removals: Iterable[Removal], first_line: int = 1) -> list[tuple[int, str]]:
    """Group removals by file line: [(line, "<script> element, 2 × onerror attribute"), ...]."""
    by_line: dict[int, Counter[str]] = {}
    for removal in removals:
        by_line.setdefault(first_line + removal.line - 1, Counter())[removal.what] += 1
    return [
        (line, ", ".join(what if n == 1 else f"{n} × {what}" for what, n in counts.items()))
        for line, counts in sorted(by_line.items())
    ]


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser would see in `url` (entity-decoded, lower case), or None."""
    text = url
    for _ in range(2):  # decode twice: stricter than a browser, never laxer
        text = html.unescape(text)
    match = _SCHEME.match(_INVISIBLE.sub("", text).lower())
    return match[1] if match else None


def is_safe_url(url: str) -> bool:
    """Tell whether a URL is relative or uses one of URL_SCHEMES."""
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


# --- raw HTML -------------------------------------------------------------------------------


def _rewrite_html(text: str, removals: list[Removal]) -> str:
    """Rebuild allow-listed tags, drop the rest, and escape every other `<` that could open a tag."""
    return _HtmlRewriter(text, removals).run() if "<" in text else text


@dataclass(frozen=True, slots=True)
class _Kept:
    """A tag written to the output, remembered so that unbalanced ones can be dropped."""

    piece: int
    """Position in the output pieces."""
    name: str
    is_end: bool
    offset: int


class _HtmlRewriter:
    """One left-to-right pass over a block's `<`s. Every search that fails is remembered, so
    hostile input (thousands of `<!--` or `<script>` never closed) costs linear time."""

    def __init__(self, text: str, removals: list[Removal]) -> None:
        self.text = text
        self.removals = removals
        self.line = _line_numbers(text)
        self.out: list[str] = []
        self.kept: list[_Kept] = []
        self.next_gt = -1  # position of the next `>`, len(text) when there is none
        self.no_end_after: dict[str, int] = {}  # no `-->` or `</name` anywhere after this offset

    def run(self) -> str:
        text = self.text
        code = _code_regions(text)
        starts = [region[0] for region in code]
        pos = 0
        found = text.find("<")
        while found != -1:
            index = bisect.bisect_right(starts, found) - 1
            if index >= 0 and found < code[index][1]:  # Python-Markdown shows code as text
                found = text.find("<", code[index][1])
                continue
            self.out.append(text[pos:found])
            pos = self.construct(found)
            found = text.find("<", pos)
        self.out.append(text[pos:])
        self.balance()
        return "".join(self.out)

    def removed(self, what: str, offset: int) -> None:
        self.removals.append(Removal(what, self.line(offset)))

    def construct(self, at: int) -> int:
        """Rewrite what starts with `<` at `at` into the output; return where the rest starts."""
        text = self.text
        if text.startswith("<!--", at) and (end := self.find_end("-->", at)) != -1:
            self.removed("HTML comment", at)
            return end
        if link := _AUTOLINK.match(text, at):
            self.out.append(link[0])
            return link.end()
        tag = None
        if link := _SCHEME_LINK.match(text, at):
            if link[1].lower() not in URL_SCHEMES:
                self.removed(f"{link[1].lower()}: link", at)
        elif not text.startswith(("<!", "<?"), at) and self.may_close(at):
            tag = _TAG.match(text, at, min(len(text), at + _MAX_TAG))
        if tag is None:
            # Declarations, CDATA, unfinished tags and stray `<`: text, never the start of a tag.
            self.out.append("&lt;" if _OPENS_TAG.match(text, at) else "<")
            return at + 1
        return self.tag(tag, at)

    def may_close(self, at: int) -> bool:
        """Tell whether a `>` follows within _MAX_TAG characters (the next `>` is remembered)."""
        if self.next_gt < at:
            found = self.text.find(">", at)
            self.next_gt = len(self.text) if found == -1 else found
        return self.next_gt - at < _MAX_TAG

    def tag(self, tag: re.Match[str], at: int) -> int:
        closing, name = tag[1] == "/", tag[2].lower()
        if name not in TAGS:
            if closing:
                return tag.end()
            self.removed(f"<{name}> element" if _NAME.fullmatch(name) else "malformed tag", at)
            if name in _DROP_CONTENT and (end := self.find_end(name, tag.end())) != -1:
                return end
            return tag.end()
        if closing:
            if name not in VOID:  # `</br>` and the like: browsers would invent an element
                self.kept.append(_Kept(len(self.out), name, True, at))
                self.out.append(f"</{name}>")
            return tag.end()
        if _SIMPLE_TAG.fullmatch(tag[0]):
            self.out.append(tag[0])  # no attributes: keep the author's spelling
        else:
            rebuilt, dropped = _rebuild_tag(name, tag[3])
            for what in dropped:
                self.removed(what, at)
            self.out.append(rebuilt)
        self.kept.append(_Kept(len(self.out) - 1, name, False, at))
        return tag.end()

    def find_end(self, name: str, start: int) -> int:
        """Return the offset just past the comment end (`-->`) or `</name>` after `start`, or -1."""
        if self.no_end_after.get(name, len(self.text) + 1) <= start:
            return -1
        if name == "-->":
            if self.text.startswith((">", "->"), start + 4):  # `<!-->` and `<!--->` are complete
                return self.text.index(">", start) + 1
            end = _COMMENT_END.search(self.text, start + 4)
        else:
            end = re.compile(rf"</{re.escape(name)}(?=[\s/>]|\Z)", re.IGNORECASE).search(self.text, start)
        if end is None:
            self.no_end_after[name] = start
            return -1
        close = self.text.find(">", end.start())
        return len(self.text) if close == -1 else close + 1

    def balance(self) -> None:
        """Drop start tags never closed and end tags never opened, so a block can neither close
        the page's own elements (the passage `<div>`) nor leave one open over the rest of the page."""
        stack: list[_Kept] = []
        open_names: Counter[str] = Counter()
        ignored: Counter[str] = Counter()  # table parts dropped outside a table: their end tags too
        for tag in self.kept:
            if tag.is_end:
                if open_names[tag.name]:
                    while (entry := stack.pop()).name != tag.name:
                        self.drop(entry, f"unclosed <{entry.name}> tag")
                        open_names[entry.name] -= 1
                    open_names[tag.name] -= 1
                elif ignored[tag.name]:
                    ignored[tag.name] -= 1
                    self.drop(tag, None)
                else:
                    self.drop(tag, f"stray </{tag.name}> tag")
            elif tag.name in _TABLE_PARTS and not open_names["table"]:
                # An HTML parser ignores these outside a table; nh3 would too, failing the proof.
                self.drop(tag, f"<{tag.name}> outside a table")
                ignored[tag.name] += tag.name not in VOID
            elif tag.name not in VOID:
                stack.append(tag)
                open_names[tag.name] += 1
        for entry in stack:
            self.drop(entry, f"unclosed <{entry.name}> tag")

    def drop(self, tag: _Kept, what: str | None) -> None:
        self.out[tag.piece] = ""
        if what is not None:
            self.removed(what, tag.offset)


def _rebuild_tag(name: str, attribute_text: str) -> tuple[str, list[str]]:
    """Serialise a start tag with only its allowed attributes; say which ones were dropped."""
    allowed = ATTRIBUTES.get(name, frozenset()) | ATTRIBUTES["*"]
    parts: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for match in _ATTRIBUTE.finditer(attribute_text):
        key, raw = match[1].lower(), match[2]
        if key in seen:  # browsers keep the first of duplicate attributes
            continue
        seen.add(key)
        if key not in allowed:
            dropped.append(f"{key} attribute" if _NAME.fullmatch(key) else "malformed attribute")
            continue
        if raw is None:
            parts.append(f" {key}")
            continue
        if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
            raw = raw[1:-1]
        value = html.unescape(raw)
        if key in URL_ATTRIBUTES and not is_safe_url(value):
            dropped.append(f"{url_scheme(value)}: URL in {key}")
            continue
        # Escape Markdown syntax too: Python-Markdown looks for links and code inside tags.
        parts.append(f' {key}="{value.translate(_ATTRIBUTE_ESCAPES)}"')
    return f"<{name}{''.join(parts)}>", dropped


def _code_regions(text: str) -> list[tuple[int, int]]:
    """Find the spans Python-Markdown shows as code: indented code blocks and code spans."""
    regions: list[tuple[int, int]] = []
    in_list = False
    for chunk in _CHUNK.finditer(text):
        lines = chunk[0].splitlines()
        if all(_INDENTED.match(line) for line in lines):
            if not in_list:  # after a list, an indented chunk continues the last item
                regions.append(chunk.span())
            continue
        in_list = bool(_LIST_ITEM.match(lines[0]))
        for span in _BACKTICK.finditer(chunk[0]):
            # An HTML block starting a line wins over a code span in Python-Markdown.
            if span[2] and not re.search(r"\n[ ]{0,3}<", span[0]):
                regions.append((chunk.start() + span.start(), chunk.start() + span.end()))
    return regions


# --- link destinations --------------------------------------------------------------------------


def _rewrite_links(
    text: str, removals: list[Removal], resolve_relative: bool = False, base_url: str | None = None
) -> str:
    """Replace link and image destinations whose scheme is not allowed with `#`, and resolve relative
    ones against `base_url` (the page the text was clipped from), or drop them to `#` without one:
    on our pages they would point nowhere."""
    if "](" not in text and "]:" not in text:
        return text
    out: list[str] = []
    pos = 0
    line: Callable[[int], int] | None = None  # built on the first removal: most blocks have none
    for match in _DESTINATION.finditer(text):
        start = match.end()
        if start < pos or _ABSOLUTE_DESTINATION.match(text, start):
            continue
        # A scheme ends in a colon: without one nearby, the destination is relative.
        colon = _COLON.search(text, start, start + _MAX_DESTINATION)
        scheme = None if colon is None else _destination_scheme(text[start : colon.end()])
        if scheme is not None and _allowed(scheme):
            continue
        end = _closing_paren(text, start)
        line = line or _line_numbers(text)
        if scheme is None:
            if end == -1 or not resolve_relative:
                continue  # no closing parenthesis (not a link), or relative links are welcome
            relative = _relative_destination(text[start:end])
            if relative is None:
                continue
            removals.append(Removal(f"{RELATIVE_LINK} '{relative[:60]}'", line(start)))
            out.append(text[pos:start] + _resolved(relative, base_url))
            pos = end
            continue
        removals.append(Removal(f"{scheme}: link", line(start)))
        # Unclosed, Python-Markdown may still take the text as a link: `#` in front makes it a fragment.
        out.append(text[pos:start] + "#")
        pos = end if end != -1 else start
    text = "".join(out) + text[pos:]
    out, pos, line = [], 0, None
    for match in _REFERENCE.finditer(text):
        if _ABSOLUTE_DESTINATION.match(match[1]):
            continue
        scheme = _destination_scheme(match[1][:_MAX_DESTINATION])
        if scheme is not None and _allowed(scheme):
            continue
        line = line or _line_numbers(text)
        if scheme is None:
            if not resolve_relative:
                continue
            relative = _relative_destination(match[1])
            if relative is None:
                continue
            removals.append(Removal(f"{RELATIVE_LINK} '{relative[:60]}'", line(match.start(1))))
            out.append(text[pos : match.start(1)] + _resolved(relative, base_url))
        else:
            removals.append(Removal(f"{scheme}: link", line(match.start(1))))
            out.append(text[pos : match.start(1)] + "#")
        pos = match.end(1)
    return "".join(out) + text[pos:]


RELATIVE_LINK = "relative link"
"""Prefix of the removals that are relative destinations made absolute (or dropped)."""


def _relative_destination(inside: str) -> str | None:
    """The destination written inside `(...)`, without its title and angle brackets."""
    parts = inside.strip().split(None, 1)
    if not parts:
        return None
    destination = parts[0].strip("<>")
    return destination if destination and destination != "#" else None


def _resolved(relative: str, base_url: str | None) -> str:
    """`relative` made absolute against the page it came from, or `#` when that page is unknown."""
    if not base_url:
        return "#"
    absolute = urljoin(base_url, html.unescape(relative))
    return (
        absolute.replace(" ", "%20").replace("(", "%28").replace(")", "%29") if is_safe_url(absolute) else "#"
    )


def _allowed(scheme: str | None) -> bool:
    return scheme is None or scheme in URL_SCHEMES


def _line_numbers(text: str) -> Callable[[int], int]:
    """Map offsets to 1-based line numbers (a binary search over the newlines)."""
    newlines = [match.start() for match in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(newlines, offset) + 1


def _closing_paren(text: str, start: int) -> int:
    """Return the index of the `)` closing the `(` before `start`, or -1. Python-Markdown counts nested
    parentheses; a blank line ends the paragraph."""
    limit = min(len(text), start + _MAX_DESTINATION)
    if text.find(")", start, limit) == -1:
        return -1
    depth = 1
    for token in _PAREN_TOKENS.finditer(text, start, limit):
        if token[0] == "(":
            depth += 1
        elif token[0] == ")":
            depth -= 1
            if depth == 0:
                return token.start()
        elif token[0].startswith("\n"):
            return -1
    return -1


def _destination_scheme(destination: str) -> str | None:
    """Read the scheme of a Markdown destination generously: `<...>`, quotes, tags and
    whitespace inside are ignored, so `<j a v a&#115;cript:...>` counts as javascript."""
    text = destination
    for _ in range(2):
        text = html.unescape(text)
    text = _TAGLIKE.sub("", text.lstrip(" \t\r\n<('\""))
    match = _SCHEME.match(_INVISIBLE.sub("", text).lower().lstrip("<('\""))
    return match[1] if match else None


# --- proof and fallback ---------------------------------------------------------------------


def _renderings(text: str) -> list[str]:
    """Render the block as pages place it: alone, quoted, and inside a `markdown` div."""
    renderer = extensions.renderer()
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))
    pages = []
    for source in (text, quoted, f"<div markdown>\n\n{text}\n\n</div>"):
        renderer.reset()
        pages.append(renderer.convert(source))
    return pages


def _is_clean_html(page: str) -> bool:
    """Check that nh3 finds nothing to remove: every element, attribute and word survives."""
    cleaned = nh3.clean(
        page,
        tags=set(TAGS),
        attributes=_MARKDOWN_ATTRIBUTES,
        attribute_filter=_markdown_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    before, after = _Inventory.of(page), _Inventory.of(cleaned)
    # Elements may be added (an implied <tbody>), never lost; text must survive word for word.
    return not before.others and not (before.tags - after.tags) and before.words == after.words


# What Python-Markdown itself writes: heading ids (toc), admonition and permalink classes, and
# table alignment.
_MARKDOWN_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(ATTRIBUTES.get(tag, ()))
    | ({"id"} if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else set())
    | ({"class"} if tag in ("div", "p", "a", "span") else set())
    | ({"style", "align"} if tag in ("th", "td") else set())
    for tag in TAGS | {"*"}
}
_MARKDOWN_VALUES = {
    "id": re.compile(r"[\w-]*"),
    "class": re.compile(r"[\w -]*"),
    "style": re.compile(r"text-align: (?:left|right|center);"),
}


def _markdown_attribute(tag: str, name: str, value: str) -> str | None:
    pattern = _MARKDOWN_VALUES.get(name)
    return value if pattern is None or pattern.fullmatch(value) else None


class _Inventory(HTMLParser):
    """Count an HTML fragment's elements (with attributes), words, and comments or declarations."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
        self.words: Counter[str] = Counter()
        self.others = 0

    @classmethod
    def of(cls, fragment: str) -> _Inventory:
        parser = cls()
        parser.feed(fragment)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag, tuple(sorted((name, value or "") for name, value in attrs))] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.words.update(data.split())

    def handle_comment(self, data: str) -> None:
        self.others += 1

    def handle_decl(self, decl: str) -> None:
        self.others += 1

    def handle_pi(self, data: str) -> None:
        self.others += 1

    def unknown_decl(self, data: str) -> None:
        self.others += 1


def _as_text(text: str, removals: list[Removal]) -> SanitisedMarkdown:
    """Show the block as literal text: every character that could start Markdown or HTML escaped."""
    lines = []
    for line in text.split("\n"):
        line = line.strip().translate(_TEXT_ESCAPES)
        # List markers, headings and setext underlines only count at the start of a line.
        lines.append(_LINE_START.sub(lambda m: f"{m[1]}&#{ord(m[2])};", line))
    removals.append(Removal("HTML that could not be proven safe (the block is shown as text)", 1))
    return SanitisedMarkdown("\n".join(lines), tuple(sorted(removals, key=lambda r: r.line)))


# --- checks of generated pages (builder.markdown.pagecheck) -----------------------------------

TAG_PATTERN = _TAG
"""A raw tag as the sanitiser reads one: group 1 `/` for an end tag, 2 the name, 3 the attributes."""
ATTRIBUTE_PATTERN = _ATTRIBUTE
"""One attribute inside TAG_PATTERN's group 3: group 1 the name, 2 the raw value."""


def code_regions(text: str) -> list[tuple[int, int]]:
    """The spans of `text` Python-Markdown shows as code (where a `<` is text, not a tag)."""
    return _code_regions(text)


def unsafe_link_schemes(text: str) -> list[str]:
    """The disallowed schemes of `text`'s link and image destinations (`javascript: link`, ...)."""
    removals: list[Removal] = []
    _rewrite_links(text, removals)
    return [removal.what for removal in removals]
