"""Front-matter and config schemas (pydantic), and their errors turned into editor messages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from builder.diagnostics import describe, did_you_mean
from builder.model import SOURCE_KINDS

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[Tt ]\s*\d{1,2}:\d{2}")


def _calendar_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"expected a date written YYYY-MM-DD, found {describe(value)}")
    text = value.strip()
    match = _DATE.fullmatch(text)
    if match is None:
        timed = _DATETIME.match(text)
        if timed:
            day = dt.date(int(timed[1]), int(timed[2]), int(timed[3]))
            raise ValueError(
                f"expected a calendar date YYYY-MM-DD, found a date and time '{text}'; "
                f"write the day the article appeared, e.g. {day.isoformat()}"
            )
        raise ValueError(f"expected a date written YYYY-MM-DD (e.g. 2021-03-22), found '{text}'")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date ({_why_not_a_date(match)})") from None


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD calendar date, or ValueError saying what is wrong with `text`."""
    return _calendar_date(text)


def _why_not_a_date(match: re.Match[str]) -> str:
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < 1:
        return "year 0 does not exist"
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return f"{dt.date(year, month, 1):%B} {year} has {last} days"


def _http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise ValueError(f"expected an http:// or https:// address, found '{shown}'")
    if any(c.isspace() or c in '<>"' for c in value.strip()):
        raise ValueError("a URL cannot contain spaces, quotes or angle brackets")
    return value.strip()


MAX_ID_LENGTH = 100
"""Longest id or slug: page paths (`articles/2021/<slug>/index.html`) stay far below 255 bytes."""


def _identifier(value: str) -> str:
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"is {len(value)} characters long; the limit is {MAX_ID_LENGTH}")
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens, "
            f"e.g. '{slugify(value) or 'my-id'}'"
        )
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def _source_kind(value: str) -> str:
    if value not in SOURCE_KINDS:
        listed = ", ".join(f"'{kind}'" for kind in SOURCE_KINDS)
        raise ValueError(f"expected one of {listed}, found '{value}'")
    return value


def _none_as_empty(value: Any) -> Any:
    # `topics:` with nothing after it means "none", as in Jekyll's empty categories.
    return [] if value is None else value


def _none_as_empty_mapping(value: Any) -> Any:
    return {} if value is None else value


def slugify(text: str) -> str:
    """Turn a title or file stem into a [a-z0-9-]+ slug."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:80].strip("-")


Text = Annotated[str, AfterValidator(_text)]
CalendarDate = Annotated[dt.date, BeforeValidator(_calendar_date)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Identifier = Annotated[str, AfterValidator(_identifier)]
IdList = Annotated[list[Identifier], BeforeValidator(_none_as_empty)]
TextList = Annotated[list[Text], BeforeValidator(_none_as_empty)]


class _Strict(BaseModel):
    # Strict: YAML's `title: 2013` is a number, and we say so rather than guess.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class ArticleMeta(_Strict):
    title: Text
    date: CalendarDate
    source: Text
    url: HttpUrl | None = None
    topics: IdList = Field(default_factory=list)
    actors: IdList = Field(default_factory=list)
    speaker: Identifier | None = None
    summary: Text | None = None
    tags: TextList = Field(default_factory=list)
    slug: Identifier | None = None
    draft: bool = False
    extra: Annotated[dict[str, Any], BeforeValidator(_none_as_empty_mapping)] = Field(default_factory=dict)


TrendStatus = Literal["deteriorated", "improved", "unchanged", "risk", "opportunity"]


class TrendMeta(_Strict):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    date: CalendarDate
    status: TrendStatus
    note: Text


class WatchMeta(_Strict):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    date: CalendarDate
    event: Text
    url: HttpUrl | None = None


class TopicMeta(_Strict):
    title: Text
    aliases: TextList = Field(default_factory=list)
    exclude: TextList = Field(default_factory=list)
    related: IdList = Field(default_factory=list)
    region: Text | None = None
    summary: Text | None = None
    bottom_line: Text | None = None
    reviewed: CalendarDate | None = None
    trend: Annotated[list[TrendMeta], BeforeValidator(_none_as_empty)] = Field(default_factory=list)
    watch: Annotated[list[WatchMeta], BeforeValidator(_none_as_empty)] = Field(default_factory=list)


class ActorMeta(_Strict):
    name: Text
    aliases: TextList = Field(default_factory=list)
    kind: Literal["state", "organisation", "person", "group"] | None = None


class RoutingMeta(_Strict):
    auto: bool = True
    also_discussed_min_topics: Annotated[int, Field(ge=2, le=100)] = 4


class BriefsMeta(_Strict):
    max_developments: Annotated[int, Field(ge=1, le=1_000)] = 10
    passages_per_development: Annotated[int, Field(ge=1, le=100)] = 3
    max_positions: Annotated[int, Field(ge=0, le=1_000)] = 12
    latest_articles: Annotated[int, Field(ge=0, le=1_000)] = 10
    max_words: Annotated[int, Field(ge=500, le=1_000_000)] = 4_000
    stale_after_days: Annotated[int, Field(ge=1, le=100_000)] = 30


class SourceMeta(_Strict):
    kind: Annotated[str, AfterValidator(_source_kind)]
    country: Text | None = None


class ConfigMeta(_Strict):
    site_name: Text
    site_url: HttpUrl | None = None
    site_description: Text | None = None
    site_author: Text | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    repo_url: HttpUrl | None = None
    repo_name: Text | None = None
    copyright: Text | None = None
    routing: RoutingMeta = Field(default_factory=RoutingMeta)
    briefs: BriefsMeta = Field(default_factory=BriefsMeta)
    pdf: bool = False
    desk_summaries: bool = False
    sources: Annotated[dict[str, SourceMeta], BeforeValidator(_none_as_empty_mapping)] = Field(
        default_factory=dict
    )
    theme: Annotated[dict[str, Any], BeforeValidator(_none_as_empty_mapping)] = Field(default_factory=dict)
    editions: Literal["weekly", "monthly", "off"] = "weekly"


ARTICLE_KEYS = frozenset(ArticleMeta.model_fields)
TOPIC_KEYS = frozenset(TopicMeta.model_fields)
ACTOR_KEYS = frozenset(ActorMeta.model_fields)
CONFIG_KEYS = frozenset(ConfigMeta.model_fields)
NESTED_CONFIG_KEYS = {
    "routing": frozenset(RoutingMeta.model_fields),
    "briefs": frozenset(BriefsMeta.model_fields),
}

RETIRED_CONFIG_KEYS = {
    ("briefs", "positions_per_actor"): (
        "'briefs.positions_per_actor' is gone: Positions now gives one line per actor; "
        "set 'briefs.max_positions' (how many actors, default 12) instead. The key is ignored."
    ),
}
"""Keys earlier versions read, with what replaced them: a warning, not an alias (the meaning changed)."""

_EXPECTED = {
    "string_type": "text",
    "list_type": "a list (e.g. [a, b], or one '- item' per line)",
    "bool_type": "true or false",
    "dict_type": "a mapping of keys to values",
    "int_type": "a whole number",
    "model_type": "a mapping of keys to values",
    "date_type": "a date written YYYY-MM-DD",
}


def explain(error: ValidationError) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, message) for each schema error, in words an editor understands."""
    for item in error.errors():
        location = tuple(item["loc"])
        key = ".".join(str(part) for part in location if isinstance(part, str)) or "front matter"
        value = item.get("input")
        kind = item["type"]
        nested = _nested_item(location)
        if nested is not None:
            yield location, _item_message(nested, kind, item, value)
        elif kind == "missing":
            yield location, f"missing required key '{key}'"
        elif kind in _EXPECTED:
            hint = ""
            if kind == "string_type" and isinstance(value, int | float | bool):
                hint = "; put it in quotes"
            if kind == "list_type" and isinstance(value, str):
                hint = f"; write [{value}]"
            where = f"'{key}'" if not isinstance(location[-1], int) else f"item {location[-1] + 1} of '{key}'"
            yield location, f"{where}: expected {_EXPECTED[kind]}, found {describe(value)}{hint}"
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            yield location, f"'{key}': expected one of {expected}, found {describe(value)}"
        else:
            message = item["msg"].removeprefix("Value error, ")
            if message == "is empty":
                message = "must not be empty"
            where = f"'{key}'" if not isinstance(location[-1], int) else f"item {location[-1] + 1} of '{key}'"
            yield location, f"{where}: {message}"


def _nested_item(location: tuple[str | int, ...]) -> tuple[str, int, str] | None:
    """(list key, 1-based item, field) for an error inside a mapping in a list (`trend`, `watch`)."""
    if len(location) == 3 and isinstance(location[0], str) and isinstance(location[1], int):
        return location[0], location[1] + 1, str(location[2])
    return None


_ITEM_KEYS = {"trend": frozenset(TrendMeta.model_fields), "watch": frozenset(WatchMeta.model_fields)}
_ITEM_FIELDS = {
    "trend": "date, status and note",
    "watch": "date and event (url is optional)",
}


def _item_message(nested: tuple[str, int, str], kind: str, item: Any, value: Any) -> str:
    """A message about one field of one item of `trend` or `watch`, naming the item by number."""
    key, number, name = nested
    where = f"item {number} of '{key}'"
    if kind == "missing":
        return f"{where} has no '{name}': each item needs {_ITEM_FIELDS.get(key, name)}"
    if kind == "extra_forbidden":
        fields = _ITEM_FIELDS.get(key, "its own keys")
        hint = did_you_mean(name, _ITEM_KEYS.get(key, ())) or f" Each item has {fields}."
        return f"{where}: unknown key '{name}'.{hint}"
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{where}: '{name}' must be one of {expected}, found {describe(value)}"
    if kind in _EXPECTED:
        return f"{where}: '{name}': expected {_EXPECTED[kind]}, found {describe(value)}"
    message = item["msg"].removeprefix("Value error, ")
    if message == "is empty":
        message = "must not be empty"
    return f"{where}: '{name}' {message}" if message.startswith("must") else f"{where}: '{name}': {message}"
