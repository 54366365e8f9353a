"""Find anything in a built file that a browser or feed reader could run.

`find_live_script` reads HTML, XML (Atom, RSS, sitemaps) or JSON. HTML is read twice: by lxml's
parser, and by a small HTML5-style tokeniser that sees what lxml would hide or repair (attributes
on a malformed tag, tags inside raw-text elements, `<svg>` tricks). Either reader's findings count.
The theme's own scripts are recognised exactly: external ones by their `src` folder, inline ones
by the text of the templates they come from (Material's and Briefdesk's overrides), Material's
`__config` JSON block by its id and type.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Collection, Iterator
from importlib import resources
from pathlib import Path

import lxml.etree
import lxml.html

DEFAULT_SCRIPT_DIRS = ("assets/javascripts/", "assets/briefdesk/", "pagefind/")
"""Folders (relative to the site root) whose scripts are the theme's own: Material's, Briefdesk's
and Pagefind's."""

# Attributes whose value a browser treats as a URL (SVG animation attributes can set `href`).
URL_ATTRIBUTES = frozenset(
    "href src action formaction xlink:href data codebase background lowsrc dynsrc poster cite "
    "longdesc usemap manifest icon profile ping archive classid code srcset imagesrcset to from "
    "values".split()
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
BAD_ELEMENTS = frozenset("iframe frame frameset object embed applet base form portal".split())
NON_EXECUTING_SCRIPTS = {("__config", "application/json")}
"""(id, type) of inline script blocks that hold data, never code."""

_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_BAD_CSS = ("expression(", "javascript:", "vbscript:", "-moz-binding", "behavior:")
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
_TOKEN_TAG = re.compile(
    r"""<(/?)([A-Za-z][^\s/>\x00]*)((?>[\s/]*[^\s/>][^\s/=>]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)*+)[\s/]*>"""
)
_TOKEN_ATTRIBUTE = re.compile(r"""([^\s/>][^\s/=>]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_ATOM = "{http://www.w3.org/2005/Atom}"
_MARKUP_NAMESPACES = (
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1998/Math/MathML",
)
_HTML_IN_XML = frozenset({"description", "{http://purl.org/rss/1.0/modules/content/}encoded"})
_JSON_URL_KEYS = frozenset({"url", "href", "link", "src", "image", "icon", "action"})


def find_live_script(
    text: str,
    *,
    allowed_script_dirs: Collection[str] = DEFAULT_SCRIPT_DIRS,
    allowed_inline_scripts: Collection[str] | None = None,
) -> list[str]:
    """List what could run in `text` (an HTML, XML or JSON file's content); empty when nothing.

    `allowed_inline_scripts` are the exact bodies of inline scripts to accept (whitespace aside);
    by default, those in Material's templates and Briefdesk's theme overrides, where a `{{ ... }}`
    part matches itself or any URL-like text.
    """
    patterns = (
        _theme_scripts() if allowed_inline_scripts is None else _literal_scripts(allowed_inline_scripts)
    )
    policy = _Policy(tuple(allowed_script_dirs), patterns)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except ValueError:
            pass
        else:
            return _dedupe(_scan_json(data, "$"))
    if stripped.startswith("<?xml") or re.match(r"<(?:feed|rss|urlset|sitemapindex)\b", stripped):
        return _dedupe(_scan_xml(stripped))
    return _dedupe(_scan_html(text, policy))


def is_bad_url(value: str) -> bool:
    """Tell whether a (decoded) URL value would run script or load inline content."""
    return _URL_NOISE.sub("", value).lower().startswith(BAD_SCHEMES)


def bad_css(value: str) -> str | None:
    """Return the script-capable construct in a CSS text (escapes and comments undone), or None."""
    css = _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], value)
    css = re.sub(r"\s+", "", _CSS_COMMENT.sub("", css)).lower()
    if "url(" in css and any(
        f"url({quote}{scheme}" in css for quote in ("", "'", '"') for scheme in BAD_SCHEMES
    ):
        return "url() with a script or data URL"
    return next((needle for needle in _BAD_CSS if needle in css), None)


class _Policy:
    """What counts as the theme's own script."""

    def __init__(self, script_dirs: tuple[str, ...], inline: tuple[re.Pattern[str], ...]) -> None:
        self.script_dirs = script_dirs
        self.inline = inline

    def allows_script(self, attrs: dict[str, str], body: str) -> bool:
        src = attrs.get("src")
        if src is not None:
            return not body.strip() and self._theme_src(src)
        if (attrs.get("id"), attrs.get("type")) in NON_EXECUTING_SCRIPTS:
            return True
        text = " ".join(body.split())
        return any(pattern.fullmatch(text) for pattern in self.inline)

    def _theme_src(self, src: str) -> bool:
        path = src.split("?")[0]
        if ":" in path or path.startswith("//") or "\\" in path:
            return False  # another host or scheme: never the theme's
        return any(
            re.fullmatch(rf"/?(?:[\w.-]+/)*{re.escape(folder)}[\w.-]+\.js", path)
            for folder in self.script_dirs
        )


def check_element(tag: str, attrs: dict[str, str], body: str, policy: _Policy | None) -> Iterator[str]:
    """Yield what is live about one element (lower-case `tag`, decoded `attrs`, raw-text `body`)."""
    where = f"<{tag}>"
    if tag == "script" and (policy is None or not policy.allows_script(attrs, body)):
        yield f"{where} element: {_snippet(attrs.get('src') or body)}"
    if tag in BAD_ELEMENTS and not _is_theme_form(tag, attrs):
        yield f"{where} element"
    if tag == "meta" and attrs.get("http-equiv", "").strip().lower() in ("refresh", "set-cookie"):
        yield f"{where} http-equiv={attrs['http-equiv']}"
    for name, value in attrs.items():
        if name.startswith("on"):
            yield f"{where} event handler {name}={_snippet(value)}"
        elif name == "srcdoc":
            yield f"{where} srcdoc attribute"
        elif name in URL_ATTRIBUTES:
            parts = re.split(r"[,;]", value) if name in ("srcset", "imagesrcset", "values") else [value]
            if any(is_bad_url(part.strip().split(" ")[0] if part.strip() else "") for part in parts):
                yield f"{where} {name}={_snippet(value)}"
        elif name == "style" and (found := bad_css(value)):
            yield f"{where} style with {found}"
    if tag == "style" and (found := bad_css(body)):
        yield f"<style> element with {found}"


# --- HTML -------------------------------------------------------------------------------------


def _scan_html(text: str, policy: _Policy | None) -> Iterator[str]:
    yield from _scan_with_lxml(text, policy)
    yield from _scan_with_tokeniser(text, policy)


def _scan_with_lxml(text: str, policy: _Policy | None) -> Iterator[str]:
    if not text.strip():
        return
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return  # nothing an HTML parser can read; the tokeniser still looks
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        attrs = {str(k).lower(): str(v) for k, v in element.attrib.items()}
        yield from check_element(element.tag.lower(), attrs, element.text or "", policy)


def _scan_with_tokeniser(text: str, policy: _Policy | None) -> Iterator[str]:
    """Tokenise as an HTML5 browser would, but look inside raw-text elements too (stricter)."""
    pos = 0
    raw_text: str | None = None  # inside <script>, <style>, ...: `<!--` starts no comment there
    foreign = 0  # depth of <svg>/<math>: raw-text rules do not apply inside
    while (at := text.find("<", pos)) != -1:
        if raw_text is None and text.startswith("<!--", at):
            end = re.compile(r"-->|--!>").search(text, at + 4)
            pos = len(text) if end is None else end.end()
            continue
        match = _TOKEN_TAG.match(text, at)
        if match is None:
            pos = at + 1
            continue
        pos = match.end()
        closing, tag = match[1] == "/", match[2].lower()
        if closing:
            if tag == raw_text:
                raw_text = None
            elif tag in ("svg", "math") and foreign:
                foreign -= 1
            continue
        attrs: dict[str, str] = {}
        for attribute in _TOKEN_ATTRIBUTE.finditer(match[3]):
            value = attribute[2] or ""
            if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) >= 2:
                value = value[1:-1]
            attrs.setdefault(attribute[1].lower(), html.unescape(value))
        body = ""
        if tag in _RAW_TEXT and not foreign:
            close = re.compile(rf"</{tag}[\s/>]", re.IGNORECASE).search(text, pos)
            body = text[pos : close.start() if close else len(text)]
            if tag == "script" and policy is not None and policy.allows_script(attrs, body):
                pos = close.start() if close else len(text)  # the theme's own code: skip it
            else:
                raw_text = tag
        if tag in ("svg", "math"):
            foreign += 1
        yield from check_element(tag, attrs, body, policy)


# --- XML and JSON ------------------------------------------------------------------------------


def _scan_xml(text: str) -> Iterator[str]:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = lxml.etree.fromstring(text.encode("utf-8"), parser)
    except lxml.etree.XMLSyntaxError as error:
        yield f"unreadable XML ({error}): scanned as HTML instead"
        yield from _scan_html(text, None)
        return
    for node in root.iter():
        if isinstance(node, lxml.etree._ProcessingInstruction):
            if is_bad_url(node.get("href") or ""):
                yield f"<?{node.target}?> with a script URL"
            continue
        if not isinstance(node.tag, str):
            continue
        qname = lxml.etree.QName(node)
        attrs = {lxml.etree.QName(k).localname.lower(): str(v) for k, v in node.attrib.items()}
        if qname.namespace in _MARKUP_NAMESPACES:
            # A browser opening the XML file renders (X)HTML, SVG and MathML elements in it.
            yield from (
                f"XML {found}"
                for found in check_element(qname.localname.lower(), attrs, node.text or "", None)
            )
            continue
        for name in ("href", "src", "url"):
            if is_bad_url(attrs.get(name, "")):
                yield f"<{qname.localname}> {name}={_snippet(attrs[name])}"
        if qname.localname in ("loc", "uri", "icon", "logo") and is_bad_url(node.text or ""):
            yield f"<{qname.localname}> {_snippet(node.text or '')}"
        is_atom_html = qname.namespace == _ATOM[1:-1] and attrs.get("type") == "html"
        if (is_atom_html or node.tag in _HTML_IN_XML) and node.text:
            yield from (f"<{qname.localname}> HTML: {found}" for found in _scan_html(node.text, None))


def _scan_json(data: object, path: str) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and str(key).lower() in _JSON_URL_KEYS and is_bad_url(value):
                yield f"{path}.{key}: {_snippet(value)}"
            yield from _scan_json(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _scan_json(value, f"{path}[{index}]")
    elif isinstance(data, str) and "<" in data:
        yield from (f"{path}: {found}" for found in _scan_html(data, None))


# --- helpers ----------------------------------------------------------------------------------


@functools.cache
def _theme_scripts() -> tuple[re.Pattern[str], ...]:
    """Compile patterns for the inline scripts of the theme's templates (Material's, then ours)."""
    folders = [("material", ("templates", "partials", "javascripts")), ("builder", ("theme", "overrides"))]
    patterns = []
    for package, parts in folders:
        try:
            folder = resources.files(package).joinpath(*parts)
            sources = [path.read_text(encoding="utf-8") for path in Path(str(folder)).rglob("*.html")]
        except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
            continue
        for source in sources:
            for body in re.findall(r"<script\b[^>]*>(.*?)</script>", source, re.DOTALL):
                pieces = re.split(r"(\{\{.*?\}\})", " ".join(body.split()))
                # A `{{ ... }}` is Jinja's (a URL once rendered) or, inside {% raw %}, itself.
                pattern = "".join(
                    rf"(?:{re.escape(piece)}|[\w./:#?=&%-]*)" if index % 2 else re.escape(piece)
                    for index, piece in enumerate(pieces)
                )
                patterns.append(re.compile(pattern))
    return tuple(patterns)


def _literal_scripts(bodies: Collection[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(re.escape(" ".join(body.split()))) for body in bodies)


def _is_theme_form(tag: str, attrs: dict[str, str]) -> bool:
    # Material's search, palette, consent and feedback forms: `md-` classes, handled by its script.
    return tag == "form" and attrs.get("class", "").startswith("md-") and "action" not in attrs


def _snippet(value: str, width: int = 60) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _dedupe(findings: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(findings))
