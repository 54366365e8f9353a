"""Property-based: after any sequence of edits, a cached build equals a build with no cache.

Each example starts a small project, builds it with the cache, then applies random edits one by
one (every front-matter key of articles, topics and actors, their bodies, the settings, and
project templates for each kind of page that read topics, actors and the whole site), building
after each. The cached output must equal, byte for byte, what `--no-cache` writes from a copy of
the same files: `build/docs/` always, `site/` in the HTML variant, and the site `serve` updates
in place in the serve variant.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError
from builder.pipeline.options import BuildOptions
from builder.pipeline.pipeline import build
from builder.serve.livebuild import LiveBuilder
from tests.conftest import run
from tests.sitecheck import tree_hashes

pytestmark = pytest.mark.slow

TOPICS = ("afghanistan", "myanmar", "syria")
ACTORS = ("china", "russia")
WORDS = ("Afghanistan", "Kabul", "Myanmar", "Burma", "Syria", "Damascus", "China", "Beijing",
         "Russia", "Moscow", "the ministers", "talks", "ceasefire", "aid")  # fmt: skip
ARTICLES = ("a", "b", "c", "d")

Files = dict[str, Any]
"""Project-relative path -> front matter and body (a dict), settings (a dict) or template text."""


def _initial() -> Files:
    files: Files = {
        "site_config.yml": {"site_name": "Desk"},
        "content/topics/afghanistan.md": (
            {"title": "Afghanistan", "aliases": ["Afghanistan", "Kabul"]},
            "Peace talks.\n",
        ),
        "content/topics/myanmar.md": (
            {"title": "Myanmar", "aliases": ["Myanmar", "Burma"], "region": "Asia"},
            "Coup.\n",
        ),
        "content/topics/syria.md": (
            {"title": "Syria", "aliases": ["Syria", "Damascus"], "summary": "War."},
            "",
        ),
        "content/actors/china.md": ({"name": "China", "aliases": ["China", "Beijing"], "kind": "state"}, ""),
        "content/actors/russia.md": ({"name": "Russia", "aliases": ["Russia", "Moscow"]}, "A state.\n"),
    }
    files["content/articles/a.md"] = (
        {
            "title": "Talks",
            "date": "2021-03-22",
            "source": "CGTN",
            "topics": ["afghanistan"],
            "actors": ["china"],
        },
        "China discussed Afghanistan.\n\nThey also discussed Myanmar.\n",
    )
    files["content/articles/b.md"] = (
        {"title": "Coup", "date": "2021-02-01", "source": "BBC", "actors": ["russia"]},
        "Russia spoke on Burma and Syria.\n",
    )
    return files


def _write(root: Path, files: Files) -> None:
    for folder in ("content", "templates"):
        shutil.rmtree(root / folder, ignore_errors=True)
    (root / "site_config.yml").unlink(missing_ok=True)
    for name, value in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        elif isinstance(value, dict):
            path.write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
        else:
            meta, body = value
            path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}", encoding="utf-8")


# --- edits ----------------------------------------------------------------------------------------

_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
_paragraphs = st.lists(_text.map(lambda t: t + "."), min_size=1, max_size=4).map(
    lambda ps: "\n\n".join(ps) + "\n"
)
_dates = st.dates(
    min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2022, 12, 31)
)

ARTICLE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": _text,
    "date": _dates.map(str),
    "source": st.sampled_from(["CGTN", "BBC", "Xinhua"]),
    "url": st.sampled_from(["https://example.org/1", "https://example.org/2"]),
    "topics": st.lists(st.sampled_from(TOPICS), unique=True, max_size=2),
    "actors": st.lists(st.sampled_from(ACTORS), unique=True, max_size=2),
    "summary": _text,
    "tags": st.lists(st.sampled_from(["diplomacy", "war"]), unique=True, max_size=2),
    "slug": st.sampled_from(["guilin", "kabul-talks", "damascus"]),
    "draft": st.booleans(),
    "extra": st.fixed_dictionaries({"desk": _text}),
}
TOPIC_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": _text,
    "aliases": st.lists(st.sampled_from(WORDS), unique=True, min_size=1, max_size=3),
    "exclude": st.lists(
        st.sampled_from(["Kabul airport", "Moscow format", "Burma Road"]), unique=True, max_size=2
    ),
    "related": st.lists(st.sampled_from(TOPICS), unique=True, max_size=2),
    "region": st.sampled_from(["Asia", "Middle East"]),
    "summary": _text,
}
ACTOR_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "name": _text,
    "aliases": st.lists(st.sampled_from(WORDS), unique=True, max_size=3),
    "kind": st.sampled_from(["state", "organisation", "person", "group"]),
}
SETTINGS: dict[str, st.SearchStrategy[Any]] = {
    "site_name": _text,
    "routing": st.fixed_dictionaries({"auto": st.booleans()}),
    "briefs": st.fixed_dictionaries(
        {
            "max_developments": st.integers(1, 3),
            "passages_per_development": st.integers(1, 2),
            "max_positions": st.integers(0, 2),
            "latest_articles": st.integers(1, 3),
        }
    ),
}
# Project templates for each kind of page, reading fields of topics, actors, articles and the site.
# Article pages keep their passages' anchors: the built-in briefs link to them, and MkDocs checks.
_PASSAGES = (
    '{% for p in article.passages %}\n<div id="p-{{ p.number }}" markdown>\n\n{{ p.markdown|block }}\n\n</div>\n'
    "{% endfor %}"
)
TEMPLATES: dict[str, tuple[str, ...]] = {
    "article.md.jinja": (
        "# {{ article.title }}\n\n{% for t in entry.topics %}- {{ t.title }}: {{ t.summary or '' }} "
        "({{ t.region or '' }})\n{% endfor %}{% for a in entry.actors %}- {{ a.name }}, {{ a.kind }}\n{% endfor %}"
        "{{ article.extra }}\n" + _PASSAGES,
        "# {{ article.title }} ({{ article.source }})\n\n{{ config.site_name }}\n" + _PASSAGES,
    ),
    "brief.md.jinja": (
        "# {{ topic.title }}\n\n{{ topic.summary or '' }} {{ topic.aliases|join(', ') }}\n"
        "{% for r in brief.related %}- {{ r.topic.title }} {{ r.topic.region or '' }}\n{% endfor %}",
        "# {{ topic.title }}\n\n{{ site.articles|length }} articles on the site; "
        "{% for a in site.project.actors.values() %}{{ a.name }} {% endfor %}\n",
    ),
    "actor.md.jinja": (
        "# {{ actor.name }} ({{ actor.kind }})\n\n{{ actor.description }}\n"
        "{% for a in entry.articles %}- {{ a.title }}: {{ a.summary or '' }}\n{% endfor %}",
    ),
    "actors.md.jinja": (
        "# Actors\n\n{% for e in site.actors %}- {{ e.actor.name }} {{ e.actor.aliases|join('/') }}\n{% endfor %}",
    ),
    "home.md.jinja": (
        "# {{ config.site_name }}\n\n{% for b in site.briefs %}- {{ b.topic.title }}: {{ b.topic.summary or '' }}\n"
        "{% endfor %}",
    ),
    "timeline.md.jinja": (
        "# Timeline\n\n{% for e in site.articles %}- {{ e.article.title }} {{ e.article.passages[-1].text }} "
        "{{ e.article.tags|join(',') }}\n{% endfor %}",
    ),
}


def _front_matter_edit(prefix: str, ids: tuple[str, ...], values: dict[str, st.SearchStrategy[Any]]) -> Any:
    @st.composite
    def edit(draw: st.DrawFn) -> Callable[[Files], None]:
        name = f"{prefix}/{draw(st.sampled_from(ids))}.md"
        key = draw(st.sampled_from(sorted(values)))
        value = draw(values[key] | st.none())  # None: remove the key

        def apply(files: Files) -> None:
            if name in files:
                meta = dict(files[name][0])
                if value is None:
                    meta.pop(key, None)
                else:
                    meta[key] = value
                if prefix == "content/topics" and "title" not in meta:
                    meta["title"] = "Untitled"
                if prefix == "content/actors" and "name" not in meta:
                    meta["name"] = "Unnamed"
                if prefix == "content/articles":
                    meta = {"title": "Untitled", "date": "2021-01-01", "source": "X", **meta}
                files[name] = (meta, files[name][1])

        apply.__name__ = f"set {name} {key}={value!r}"
        return apply

    return edit()


def _body_edit(prefix: str, ids: tuple[str, ...]) -> Any:
    @st.composite
    def edit(draw: st.DrawFn) -> Callable[[Files], None]:
        name = f"{prefix}/{draw(st.sampled_from(ids))}.md"
        body = draw(_paragraphs)

        def apply(files: Files) -> None:
            if name in files:
                files[name] = (files[name][0], body)

        apply.__name__ = f"body of {name}: {body!r}"
        return apply

    return edit()


@st.composite
def _article_added_or_removed(draw: st.DrawFn) -> Callable[[Files], None]:
    name = f"content/articles/{draw(st.sampled_from(ARTICLES))}.md"
    meta = {"title": draw(_text), "date": str(draw(_dates)), "source": "CGTN"}
    body = draw(_paragraphs)

    def apply(files: Files) -> None:
        if name in files:
            del files[name]
        else:
            files[name] = (meta, body)

    apply.__name__ = f"add or remove {name}"
    return apply


@st.composite
def _settings_edit(draw: st.DrawFn) -> Callable[[Files], None]:
    key = draw(st.sampled_from(sorted(SETTINGS)))
    value = draw(SETTINGS[key] | st.none())

    def apply(files: Files) -> None:
        config = dict(files["site_config.yml"])
        if value is None and key != "site_name":
            config.pop(key, None)
        elif value is not None:
            config[key] = value
        files["site_config.yml"] = config

    apply.__name__ = f"settings {key}={value!r}"
    return apply


@st.composite
def _template_edit(draw: st.DrawFn) -> Callable[[Files], None]:
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    text = draw(st.sampled_from((*TEMPLATES[name], None)))  # None: remove the project's template

    def apply(files: Files) -> None:
        if text is None:
            files.pop(f"templates/{name}", None)
        else:
            files[f"templates/{name}"] = text

    apply.__name__ = f"template {name}: {'removed' if text is None else text[:30]!r}"
    return apply


EDITS = st.one_of(
    _front_matter_edit("content/articles", ARTICLES[:2], ARTICLE_VALUES),
    _body_edit("content/articles", ARTICLES[:2]),
    _article_added_or_removed(),
    _front_matter_edit("content/topics", TOPICS, TOPIC_VALUES),
    _body_edit("content/topics", TOPICS),
    _front_matter_edit("content/actors", ACTORS, ACTOR_VALUES),
    _body_edit("content/actors", ACTORS),
    _settings_edit(),
    _template_edit(),
)


# --- the properties ---------------------------------------------------------------------------


def _outputs(root: Path, *flags: str, html: bool) -> tuple[int, dict[str, str]]:
    """The build's exit status and what it wrote (docs, and the site if `html`)."""
    result = run("build", "--project", root, *flags, *(() if html else ("--markdown-only",)))
    written = {f"docs/{k}": v for k, v in tree_hashes(root / "build" / "docs").items()}
    if html and (root / "site").is_dir():
        written |= {f"site/{k}": v for k, v in tree_hashes(root / "site").items()}
    return result.exit_code, written


def _compare_with_fresh(root: Path, files: Files, cached: tuple[int, dict[str, str]], html: bool) -> None:
    fresh_root = root.parent / "fresh"
    shutil.rmtree(fresh_root, ignore_errors=True)
    fresh_root.mkdir()
    _write(fresh_root, files)
    fresh = _outputs(fresh_root, "--no-cache", html=html)
    assert cached[0] == fresh[0]
    if cached[0] == 0:
        differing = sorted(k for k in {*cached[1], *fresh[1]} if cached[1].get(k) != fresh[1].get(k))
        assert differing == []


# The project templates an example starts with: for each kind of page, one of ours or the built-in.
STARTING_TEMPLATES = st.fixed_dictionaries(
    {f"templates/{name}": st.sampled_from((*texts, None)) for name, texts in TEMPLATES.items()}
).map(lambda chosen: {name: text for name, text in chosen.items() if text is not None})


def _check_sequence(start: Files, edits: list[Callable[[Files], None]], html: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "desk"
        root.mkdir()
        files = {**_initial(), **start}
        _write(root, files)
        _compare_with_fresh(root, files, _outputs(root, html=html), html)
        for edit in edits:
            edit(files)
            _write(root, files)
            _compare_with_fresh(root, files, _outputs(root, html=html), html)


def _settings(examples: int) -> settings:
    # Bounded: every example builds real sites, and the suite has a time budget in CI.
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_settings(60)
@given(STARTING_TEMPLATES, st.lists(EDITS, min_size=1, max_size=6))
def test_cached_markdown_equals_a_build_without_cache(
    start: Files, edits: list[Callable[[Files], None]]
) -> None:
    _check_sequence(start, edits, html=False)


@_settings(8)
@given(STARTING_TEMPLATES, st.lists(EDITS, min_size=1, max_size=3))
def test_cached_site_equals_a_build_without_cache(start: Files, edits: list[Callable[[Files], None]]) -> None:
    _check_sequence(start, edits, html=True)


def _rebuilt(builder: LiveBuilder) -> bool:
    """Whether serve's update succeeded, its catch-up (feeds, search) included."""
    diagnostics = Diagnostics()
    try:
        builder.rebuild(diagnostics)
    except BriefdeskError:  # bad content or a failed MkDocs run: serve keeps the last good site
        return False
    thread = builder.start_catching_up()
    if thread is not None:
        thread.join()
    return True


@_settings(3)
@given(STARTING_TEMPLATES, st.lists(EDITS, min_size=1, max_size=3))
def test_serve_updates_equal_a_build_without_cache(
    start: Files, edits: list[Callable[[Files], None]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "desk"
        root.mkdir()
        files = {**_initial(), **start}
        _write(root, files)
        builder = LiveBuilder(BuildOptions(root=root))
        try:
            _rebuilt(builder)
            for edit in edits:
                edit(files)
                _write(root, files)
                if not _rebuilt(builder):
                    continue
                fresh_root = root.parent / "fresh"
                shutil.rmtree(fresh_root, ignore_errors=True)
                fresh_root.mkdir()
                _write(fresh_root, files)
                try:
                    build(BuildOptions(root=fresh_root, cache=False), Diagnostics())
                except BriefdeskError:
                    continue  # a whole build is strict about what serve only warns of
                served = tree_hashes(root / "site")
                whole = tree_hashes(fresh_root / "site")
                assert sorted(k for k in {*served, *whole} if served.get(k) != whole.get(k)) == []
        finally:
            builder.close()
