"""Explain a YAML mistake in an editor's words, on the line where the mistake starts.

PyYAML reports where its parser gave up, in its own terms: an unclosed quote on line 2 is "found
unexpected end of stream" on the last line, a colon inside a title is "mapping values are not
allowed in this context". Once PyYAML has refused a front matter, these checks read its lines
the way an editor wrote them and name the usual slips first (an unclosed quote or bracket, a colon
in an unquoted value, a tab, a list item without its dash, prose where the closing `---` belongs),
each with what to write instead. Only when none fits is PyYAML's own reason shown, at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import yaml

_KEY = re.compile(
    r"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?(?P<key>[^\s#:'\"\[\]{},&*!|>%@`-][^:#]*?):(?:[ ]+(?P<value>.*))?$"
)
"""A `key: value` line (or `- key: value`): the key cannot start with YAML punctuation."""
_ITEM = re.compile(r"^(?P<indent>[ ]*)-(?:[ ]|$)")


@dataclass(frozen=True, slots=True)
class Hint:
    """Where a YAML mistake starts (a 0-based index into the lines) and what to do about it."""

    index: int
    message: str


def explain(text: str, exc: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    """Return the file line and the message for PyYAML's refusal `exc` of `text`."""
    lines = text.split("\n")
    for check in _CHECKS:
        hint = check(lines)
        if hint is not None:
            return hint.index + first_line, hint.message
    mark = exc.problem_mark or exc.context_mark
    return (mark.line if mark else 0) + first_line, f"malformed YAML: {_reason(exc)}"


def _reason(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.problem, exc.context) if p]
    return "; ".join(parts) if parts else "could not parse"


def _content(line: str) -> str:
    """The line without a trailing comment (a `#` after a blank, outside quotes is close enough)."""
    return re.sub(r"[ \t]+#.*$", "", line) if "#" in line else line


def _tab(lines: Sequence[str]) -> Hint | None:
    for index, line in enumerate(lines):
        leading = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in leading and line.strip():
            return Hint(
                index,
                "this line is indented with a tab; YAML allows only spaces for indentation: "
                "replace the tab with spaces",
            )
    return None


def _unclosed_quote(lines: Sequence[str]) -> Hint | None:
    for index, line in enumerate(lines):
        value = _value(line)
        if not value or value[0] not in "\"'":
            continue
        quote = value[0]
        rest = value[1:]
        closing = r'(?<!\\)"' if quote == '"' else "'"
        closed = re.search(closing, rest if quote == '"' else rest.replace("''", ""))
        if closed is None:
            name = "double" if quote == '"' else "single"
            return Hint(
                index,
                f"the {name} quote that opens this value is never closed: end the value with {quote} "
                f"on this line (a {quote} inside it is written "
                + (r'\")' if quote == '"' else "'')"),
            )
    return None


def _unclosed_bracket(lines: Sequence[str]) -> Hint | None:
    for index, line in enumerate(lines):
        value = _content(_value(line) or "").rstrip()
        for opening, closing, what in (("[", "]", "list"), ("{", "}", "mapping")):
            if value.startswith(opening) and value.count(opening) > value.count(closing):
                return Hint(
                    index,
                    f"the {what} opened with '{opening}' on this line is never closed: end it with "
                    f"'{closing}' on the same line",
                )
    return None


def _colon_in_value(lines: Sequence[str]) -> Hint | None:
    for index, line in enumerate(lines):
        match = _KEY.match(line)
        value = match.group("value") if match else None
        if not value or value[0] in "\"'[{|>&*!":
            continue
        value = _content(value).rstrip()
        if ": " in value or value.endswith(":"):
            assert match is not None
            prefix = line[: match.start("value")]
            return Hint(
                index,
                f"a value that contains ': ' must be quoted: {prefix.strip()} {_quoted(value)}",
            )
    return None


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _missing_dash(lines: Sequence[str]) -> Hint | None:
    """A plain line among the items of a block list, at their indentation, with no '- ' before it."""
    item_indent: int | None = None
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if item is not None:
            item_indent = indent
            continue
        if item_indent is not None and indent == item_indent and _KEY.match(line) is None:
            word = _content(line).strip()
            return Hint(
                index,
                f"this line is among the items of a list but has no dash: write it as "
                f"'{' ' * indent}- {word}'",
            )
        if indent <= (item_indent if item_indent is not None else -1):
            item_indent = None
    return None


def _prose(lines: Sequence[str]) -> Hint | None:
    """An unindented line that is no `key: value`: the body, most likely, under a missing `---`."""
    for index, line in enumerate(lines):
        if not line.strip() or line.startswith((" ", "#", "-", "\t")) or _KEY.match(line):
            continue
        if index > 0 and not lines[index - 1].strip():
            return Hint(
                index,
                "this line is not 'key: value': if the front matter ends above it, the closing "
                "line of three dashes (---) is missing; add it before this line",
            )
        return Hint(
            index,
            "this line is not 'key: value': write the key, a colon and a space before the value, "
            "or join it to the value above",
        )
    return None


def _over_indented(lines: Sequence[str]) -> Hint | None:
    """A key indented under a key that already has a value (only an empty key takes a nested one)."""
    above: tuple[int, bool] | None = None  # indentation of the key above, and whether it has a value
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY.match(line)
        if match is None or match.group("dash"):
            above = None
            continue
        indent = len(match.group("indent"))
        value = (match.group("value") or "").strip()
        if above is not None and indent > above[0] and above[1]:
            return Hint(
                index,
                "this key is indented under a key that already has a value: indent it "
                "like the keys above it",
            )
        above = (indent, bool(value) and value[0] not in "|>")
    return None


def _value(line: str) -> str | None:
    match = _KEY.match(line)
    return match.group("value") if match else None


_CHECKS: tuple[Callable[[Sequence[str]], Hint | None], ...] = (
    _tab,
    _unclosed_quote,
    _unclosed_bracket,
    _colon_in_value,
    _missing_dash,
    _over_indented,
    _prose,
)
"""In order of how surely each identifies the slip: a tab or an open quote is certain."""
