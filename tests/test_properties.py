"""Property-based: whatever bytes or YAML an article holds, check and build never crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BASE_FILES, run, write_files

ARTICLE = "content/articles/2021/fuzz.md"

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.dates().map(str), st.sampled_from(["NO", "yes", "~", "2021-02-30", "javascript:alert(1)", "[x", "{{ 7*7 }}"]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=10), inner, max_size=4), max_leaves=12)
_keys = st.sampled_from(["title", "date", "source", "url", "topics", "actors", "summary", "tags", "slug",
                         "draft", "extra", "topcis"]) | st.text(max_size=12)
_front_matter = st.dictionaries(_keys, _values, max_size=8).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True, default_flow_style=None))
_bodies = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.sampled_from([
    "> " * 50 + "deep", "- a\n  - b\n    - c\n", "| a |\n|---|\n| b |", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "```\nunclosed", "---\n---\n---", "{{ 7*7 }} {% if x %}",
])
_documents = st.one_of(
    st.tuples(_front_matter, _bodies).map(lambda fb: f"---\n{fb[0]}---\n{fb[1]}".encode()),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8", "surrogatepass")),
    _front_matter.map(lambda fm: f"---\n{fm}".encode()),  # never closed
)


def _run_both(document: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_files(Path(folder), {**BASE_FILES, ARTICLE: document})
        for args in (["check", "--project", str(root)], ["build", "--markdown-only", "--project", str(root)]):
            result = run(*args)  # an exception escaping here fails the property
            assert result.exit_code in (0, 1), (args, result.output)
            assert "Traceback" not in result.output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_check_and_markdown_build_never_crash(document: bytes) -> None:
    _run_both(document)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_front_matter)
def test_any_yaml_front_matter_is_valid_or_reported_on_a_line(front: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_files(Path(folder), {**BASE_FILES, ARTICLE: f"---\n{front}---\nBody.\n".encode()})
        result = run("check", "--project", str(root))
        for line in result.stdout.splitlines():
            path, number, rest = line.split(":", 2)
            assert path.startswith("content/") and int(number) >= 1 and rest.split(":")[0].strip() in (
                "error", "warning")


@given(st.lists(st.integers(min_value=0, max_value=6), max_size=30))
def test_article_headings_start_under_the_title_and_never_skip_a_level(levels: list[int]) -> None:
    from builder.briefs.assembly import page_heading_levels
    from builder.model import Heading

    placed = page_heading_levels([Heading(level, "x") for level in levels])
    headings = [(source, page) for source, page in zip(levels, placed, strict=True) if source]
    assert all(page == 0 for source, page in zip(levels, placed, strict=True) if not source)  # rules
    previous = 1  # the page's h1: the article's title
    for index, (source, page) in enumerate(headings):
        assert 2 <= page <= min(previous + 1, 6)
        if index and source > headings[index - 1][0]:  # deeper in the source: deeper on the page
            assert page == min(previous + 1, 6)
        if index and source == headings[index - 1][0]:  # siblings stay siblings
            assert page == previous
        previous = page
