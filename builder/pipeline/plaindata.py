"""The cache's values as plain JSON, read back without running any code.

Only the types listed in `KINDS` are ever built from what is read, by calling their constructor
with the decoded fields; anything else in the data is an error, never an import or a call. So a
cache that came from anywhere (another machine, a CI cache action, a tampered file) is safe to
read: at worst it is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from builder.diagnostics import Diagnostic
from builder.model import Article, Heading, Passage
from builder.routing.attribution import Statement
from builder.routing.router import ArticleRoutes, PassageRoute

KINDS: dict[str, type] = {
    kind.__name__: kind
    for kind in (Article, Passage, Heading, Diagnostic, ArticleRoutes, PassageRoute, Statement)
}
"""The dataclasses a cache entry may hold, by name."""
_FIELDS = {name: len(dataclasses.fields(kind)) for name, kind in KINDS.items()}
"""How many fields each has (asked once: a cache holds hundreds of thousands of them)."""


class NotPlainData(ValueError):
    """What was read is not a value this module wrote."""


def dumps(value: object) -> str:
    """`value` as one line of JSON (tuples, dates, mappings and our dataclasses tagged)."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value `dumps` wrote; NotPlainData for anything else."""
    try:
        return json.loads(text, object_hook=_decode)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise NotPlainData(str(exc)) from None


def _encode(value: object) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value  # Markup and other str kinds: text
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return {"$map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    kind = type(value).__name__
    if dataclasses.is_dataclass(value) and KINDS.get(kind) is type(value):
        return {"$": kind, "v": [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    raise TypeError(f"the cache cannot hold a {type(value).__qualname__}")


def _decode(data: dict[str, Any]) -> Any:
    """Called by json for every object, innermost first: the tags become values again."""
    if len(data) == 1:
        ((tag, inner),) = data.items()
        if tag == "$date" and isinstance(inner, str):
            return dt.date.fromisoformat(inner)
        if tag == "$tuple" and isinstance(inner, list):
            return tuple(inner)
        if tag == "$map" and isinstance(inner, list):
            return {_hashable(k): v for k, v in inner}
    elif len(data) == 2 and isinstance(data.get("v"), list):
        # Fields in declaration order: the cache is tied to the code that wrote it.
        name = data.get("$")
        kind = KINDS.get(name) if isinstance(name, str) else None
        if kind is None or len(data["v"]) != _FIELDS[kind.__name__]:
            raise NotPlainData(f"not a cache entry: {str(name)[:40]!r}")
        return kind(*data["v"])
    raise NotPlainData("not a cache entry: an untagged object")


def _hashable(key: Any) -> Any:
    if isinstance(key, list | dict):
        raise NotPlainData("not a cache entry: a mapping key that is a list or an object")
    return key
