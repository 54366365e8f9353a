"""Diagnostics as data: collected through the pipeline, formatted only by the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from difflib import get_close_matches
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in one place."""

    path: str
    """Project-relative POSIX path of the file the problem is in."""
    line: int
    """1-based line of the offending key or text (1 when the whole file is at fault)."""
    severity: Severity
    """`error` fails the run; `warning` fails it only under `--strict`."""
    code: str
    """A stable identifier such as `unknown-key`, for tooling and tests."""
    message: str
    """What was expected, what was found and, where possible, a suggestion."""

    def format(self) -> str:
        """Render as the one-line `path:line: severity: message` form."""
        return _one_line(f"{self.path}:{self.line}: {self.severity}: {self.message}")


def _one_line(text: str) -> str:
    """Show control characters (a key may hold any) as escapes, so a diagnostic stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


class Diagnostics:
    """The run's collection of diagnostics, in the order found; output is sorted."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def error(self, path: str, line: int, code: str, message: str) -> None:
        self._items.append(Diagnostic(path, max(line, 1), "error", code, message))

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        self._items.append(Diagnostic(path, max(line, 1), "warning", code, message))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Diagnostic]:
        """Every diagnostic once, ordered by file, line, then message."""
        return sorted(set(self._items), key=lambda d: (d.path, d.line, d.severity, d.message))

    @property
    def errors(self) -> int:
        return sum(1 for d in set(self._items) if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in set(self._items) if d.severity == "warning")

    def failed(self, *, strict: bool) -> bool:
        """Tell whether the run must fail: any error, or any warning under `--strict`."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def to_json(self) -> str:
        return json.dumps([asdict(d) for d in self.sorted()], ensure_ascii=False, indent=2)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ` Did you mean 'x'?` for the closest candidate, or an empty string."""
    matches = get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" Did you mean '{matches[0]}'?" if matches else ""


def describe(value: object) -> str:
    """Describe a YAML value for an editor, never as a Python repr of a type."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return "a value of an unsupported kind"
