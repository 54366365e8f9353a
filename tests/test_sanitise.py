"""Sanitising content: hostile payloads where pages put them, exact rewrites, and properties."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder.markdown.sanitise
from builder.briefs import markup
from builder.markdown import extensions
from builder.markdown.sanitise import (
    Removal,
    SanitisedMarkdown,
    describe_removals,
    is_safe_url,
    sanitise_html,
    sanitise_markdown,
)
from tests.conftest import REPO, run, shared
from tests.xss_scan import find_live_script

CORPUS = ("xss.txt", "xss-markdown.txt")


def render(source: str) -> str:
    return markdown.markdown(source, extensions=list(extensions.NAMES))


def placements(block: str) -> dict[str, str]:
    """The HTML a sanitised block becomes in each place the templates put one."""
    return {
        "article page": render(f'<div class="passage" id="p-3" markdown>\n\n{block}\n\n</div>'),
        "brief quote": render(f"Intro.\n\n{markup.blockquote(block)}\n\n[Passage 3 in context](../a/#p-3)"),
        "topic overview": render(f"# Topic\n\n{block}\n\n## Latest developments"),
    }


def payloads(name: str) -> list[tuple[int, str]]:
    """(line number, payload) for every non-blank line of a corpus file; skips when absent."""
    text = shared("corpus", "xss", name).read_text(encoding="utf-8")
    return [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]


# --- the shared corpus ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS)
def test_no_payload_survives_as_a_passage(name: str) -> None:
    live = []
    for number, payload in payloads(name):
        result = sanitise_markdown(payload)
        pages = placements(result.markdown)
        # Feeds render the passage as it is and clean the HTML afterwards.
        pages["feed"] = sanitise_html(markdown.markdown(payload, extensions=["tables"]))
        for where, page in pages.items():
            live += [f"{name}:{number} in {where}: {found}" for found in find_live_script(page)]
    assert live == []


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS)
def test_every_payload_is_proven_without_falling_back_to_text(name: str) -> None:
    # The text fallback is a safety net; the rewriter alone handles the whole corpus.
    fallbacks = [
        number
        for number, payload in payloads(name)
        if "shown as text" in " ".join(sanitise_markdown(payload).removed)
    ]
    assert fallbacks == []


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS)
def test_whatever_was_live_is_reported(name: str) -> None:
    silent = []
    for number, payload in payloads(name):
        was_live = any(find_live_script(page) for page in placements(payload).values())
        if was_live and not sanitise_markdown(payload).removed:
            silent.append(number)
    assert silent == []


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS)
def test_escaped_front_matter_never_becomes_markup(name: str) -> None:
    # How the templates print titles, sources, summaries, tags and names.
    contexts = [
        "# {}",
        "[{}](../articles/2021/a/)",
        "**22 March 2021** · {} · [Original report at {}](https://example.org/)",
        "*{}*",
        "**Tags:** {}, {}",
        "- [{}](a/) · {}",
        "| Topic | Latest |\n|---|---|\n| {} | {} |",
        '!!! note "{}"\n    {}',
    ]
    problems = []
    for number, payload in payloads(name):
        text = markup.escape(payload)
        for context in contexts:
            page = render(context.replace("{}", text))
            problems += [f"{number} in {context!r}: {found}" for found in find_live_script(page)]
            if page.count("<a ") != context.count("]("):
                problems.append(f"{number} in {context!r}: the text made a link")
            if page.count("<") > render(context.replace("{}", "plain")).count("<"):
                problems.append(f"{number} in {context!r}: the text made an element")
    assert problems == []


def test_escaped_title_is_not_a_link() -> None:
    page = render(f"[{markup.escape('x](javascript:alert(1))')}](../a/)")
    assert page == '<p><a href="../a/">x](javascript:alert(1))</a></p>'


# --- exact rewrites ---------------------------------------------------------------------------

CLEAN = [
    "The Taliban entered Kabul on 15 August 2021.",
    "Wang Yi met [Sergei Lavrov](https://en.wikipedia.org/wiki/Sergei_Lavrov) in Guilin (China).",
    'See the [report][1] and the ![map](maps/kabul.png "Kabul").\n\n[1]: https://example.org/r?a=1&b=2',
    "- one\n- two: *both* agreed\n\n> a quote: 3 < 4",
    "| Country | Votes |\n|---|---:|\n| Iran | 12 |",
    "Use `<script>` tags, and indent:\n\n    <iframe src=x>",
    '<b>Bold</b>, <em>em</em>, H<sub>2</sub>O, <a href="https://example.org/">link</a>.<br />',
    "Mail <press@example.org> or see <https://example.org/a_b>.",
]


@pytest.mark.parametrize("source", CLEAN)
def test_clean_markdown_comes_back_unchanged(source: str) -> None:
    assert sanitise_markdown(source) == SanitisedMarkdown(source)


def test_markdown_without_html_is_never_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rendering(text: str) -> list[str]:
        raise AssertionError("the fast path rendered a clean block")

    monkeypatch.setattr(builder.markdown.sanitise, "_renderings", no_rendering)
    for source in CLEAN[:5]:
        assert sanitise_markdown(source).markdown == source


REWRITES = [
    ("Before <script>alert(1)</script> after.", "Before  after.", ["<script> element"]),
    ("<SCRIPT SRC=//e.org/x.js></SCRIPT>", "", ["<script> element"]),
    (
        '<img src="https://e.org/a.png" onerror="alert(1)" alt=Map>',
        '<img src="https://e.org/a.png" alt="Map">',
        ["onerror attribute"],
    ),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>", ["javascript: URL in href"]),
    ('<p style="width: expression(alert(1))">x</p>', "<p>x</p>", ["style attribute"]),
    ("[a](javascript:alert(1))", "[a](#)", ["javascript: link"]),
    ("![a](data:text/html;base64,PHNjcmlwdD4=)", "![a](#)", ["data: link"]),
    ("[a](j a v a s c r i p t:alert(1))", "[a](#)", ["javascript: link"]),
    ("[a](&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61)", "[a](#)", ["javascript: link"]),
    ('[a](VBScript:msgbox(1) "t")', "[a](#)", ["vbscript: link"]),
    ("[a](javascript:confirm(1)", "[a](#javascript:confirm(1)", ["javascript: link"]),
    ("[x][r]\n\n[r]:\n  javascript:alert(1)", "[x][r]\n\n[r]:\n  #", ["javascript: link"]),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)>", ["javascript: link"]),
    ("a<!-- <img src=x onerror=alert(1)> -->b", "ab", ["HTML comment"]),
    ("<iframe src=https://e.org>fallback</iframe>x", "x", ["<iframe> element"]),
    (
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        "<a>x</a>",
        ["<svg> element", "xlink:href attribute"],
    ),
    ("<<script></script>b onclick=alert(1)>", "&lt;b onclick=alert(1)>", ["<script> element"]),
    ("text</div></div><div>more", "textmore", ["stray </div> tag", "stray </div> tag", "unclosed <div> tag"]),
    ("<b>bold, never closed", "bold, never closed", ["unclosed <b> tag"]),
    ("<td>cell</td>", "cell", ["<td> outside a table"]),
    ('<b title="[x](onmouseover=alert(1))">y</b>', '<b title="&#91;x&#93;(onmouseover=alert(1))">y</b>', []),
    ("<IMG SRC=\"javascript:alert('XSS')\"", "&lt;IMG SRC=\"javascript:alert('XSS')\"", []),
    # Python-Markdown deletes \x02 and \x03 before parsing: they must not hide a link.
    ("[a]\x02(javascript:x)\x03", "[a](#)", ["javascript: link"]),
    # Link syntax in code is rewritten too: a code span in a raw HTML block would not be code.
    ("`[a](javascript:x)`", "`[a](#)`", ["javascript: link"]),
]


@pytest.mark.parametrize(("source", "expected", "removed"), REWRITES)
def test_exact_rewrite(source: str, expected: str, removed: list[str]) -> None:
    result = sanitise_markdown(source)
    assert (result.markdown, list(result.removed)) == (expected, removed)


def test_removals_carry_the_line_where_they_were_found() -> None:
    result = sanitise_markdown("First line\nsecond <script>x</script>\n\nthird <i onclick=y>z</i>")
    assert result.removals == (Removal("<script> element", 2), Removal("onclick attribute", 4))


def test_describe_removals_groups_by_file_line() -> None:
    removals = [
        Removal("onerror attribute", 1),
        Removal("<script> element", 3),
        Removal("onerror attribute", 1),
    ]
    assert describe_removals(removals, first_line=10) == [
        (10, "2 × onerror attribute"),
        (12, "<script> element"),
    ]


def test_html_that_cannot_be_proven_safe_is_shown_as_text() -> None:
    # Inside a raw HTML block Python-Markdown shows no code span: the `<script>` would be live.
    source = "<div>\n`<script>alert(1)</script>`\n</div>"
    result = sanitise_markdown(source)
    assert result.removed[-1] == "HTML that could not be proven safe (the block is shown as text)"
    assert result.markdown == "&lt;div&gt;\n&#96;&lt;script&gt;alert(1)&lt;/script&gt;&#96;\n&lt;/div&gt;"
    assert (
        render(result.markdown)
        == "<p>&lt;div&gt;\n&#96;&lt;script&gt;alert(1)&lt;/script&gt;&#96;\n&lt;/div&gt;</p>"
    )


def test_sanitise_html_keeps_text_markup_and_drops_script() -> None:
    dirty = '<p onclick="x"><b>Bold</b> <a href="javascript:alert(1)">a</a><script>s()</script><img src=x onerror=y></p>'
    assert sanitise_html(dirty) == '<p><b>Bold</b> <a>a</a><img src="x"></p>'


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/", True),
        ("../articles/2021/a/#p-3", True),
        ("mailto:press@example.org", True),
        ("java\tscript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        (" DATA:text/html,x", False),
        ("tel:+123", False),
    ],
)
def test_url_policy(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


@pytest.mark.parametrize(
    "hostile",
    [
        "<a " * 20000,
        "<!--" * 20000,
        "<script>" * 20000,
        "[a](javascript:" * 20000,
        "<b>" * 10000 + "</i>" * 10000,
    ],
)
def test_hostile_repetition_costs_linear_time(hostile: str) -> None:
    result = sanitise_markdown(hostile)  # each took minutes before the searches were remembered
    assert "<script" not in result.markdown and "](javascript:" not in result.markdown


# --- properties -------------------------------------------------------------------------------

FRAGMENTS = [
    "<", ">", "</", "<!--", "-->", "<b>", "</b>", "<div>", "</div>", "<a href=", "<img src=x ",
    "onerror=alert(1)", "<script>", "</script>", "<style>", "<svg>", "javascript:", "&#x6A;", "&#58;",
    "data:", "](", "]:", "[a]", "(", ")", "`", "```", "\\", "\"", "'", "=", "\n", "\n\n", "    ", "> ",
    "- ", "1. ", "| a |", "!!! note", "x", "word ", "https://e.org/", "#", "&amp;", "\t", "\x00", "é",
]  # fmt: skip
markdownish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
clean_inline = st.one_of(
    words,
    st.builds(lambda w: f"*{w}*", words),
    st.builds(lambda w, u: f"[{w}](https://example.org/{u})", words, words),
    st.sampled_from([",", ".", ":", ";", " - ", " (and) ", " 3 < 4 ", " & "]),
)
clean_markdown = st.lists(st.lists(clean_inline, min_size=1, max_size=12).map(" ".join), max_size=5).map(
    "\n\n".join
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text_never_raises_and_is_idempotent(text: str) -> None:
    once = sanitise_markdown(text).markdown
    assert sanitise_markdown(once).markdown == once


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_markdownish_text_is_idempotent_and_never_live(text: str) -> None:
    once = sanitise_markdown(text).markdown
    assert sanitise_markdown(once).markdown == once
    for where, page in placements(once).items():
        assert find_live_script(page) == [], where


@settings(deadline=None)
@given(clean_markdown)
def test_clean_markdown_is_unchanged(text: str) -> None:
    assert sanitise_markdown(text) == SanitisedMarkdown(text)


@settings(deadline=None)
@given(markdownish)
def test_sanitised_feed_html_is_never_live(text: str) -> None:
    assert find_live_script(sanitise_html(markdown.markdown(text))) == []


# --- the scanner ------------------------------------------------------------------------------

LIVE = [
    "<script>alert(1)</script>",
    '<script src="https://e.org/assets/javascripts/x.js"></script>',
    "<img src=x onerror=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" data:text/html,x">x</a>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<div style="width: expr/**/ession(alert(1))">',
    '<div style="background:url(&quot;\\6a avascript:alert(1)&quot;)">',
    '<meta http-equiv="refresh" content="0;url=https://e.org/">',
    '<iframe src="https://e.org/"></iframe>',
    '<form action="https://e.org/"><input></form>',
    '<base href="https://e.org/">',
    '<object data="x.swf"></object>',
    '<iframe srcdoc="&lt;b&gt;">',
    '<a title="x"onclick=alert(1)>y</a>',
    "<svg/onload=alert(1)>",
]
NOT_LIVE = [
    "<p>JavaScript: the good parts, onclick=alert(1)</p>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<a href="https://e.org/?q=javascript:x" title="data: URLs">x</a>',
    '<img src="data-file.png" alt="onerror">',
    "<!-- <script>alert(1)</script> -->",
    '<a title="x" "onclick=alert(1)>y</a>',  # the attribute is named `"onclick`
    '<script id="__config" type="application/json">{"base": "."}</script>',
    '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>',
    '<form class="md-search__form" name="search"><input></form>',
]


@pytest.mark.parametrize("page", LIVE)
def test_scanner_finds_live_script(page: str) -> None:
    assert find_live_script(page) != []


@pytest.mark.parametrize("page", NOT_LIVE)
def test_scanner_ignores_what_cannot_run(page: str) -> None:
    assert find_live_script(page) == []


def test_scanner_reads_feeds_and_json() -> None:
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>&lt;script&gt; as text</title><entry>"
        '<content type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
        '<link href="javascript:alert(1)"/></entry></feed>'
    )
    assert find_live_script(feed) == [
        "<content> HTML: <img> event handler onerror=alert(1)",
        "<link> href=javascript:alert(1)",
    ]
    assert find_live_script('{"pages": [{"url": "javascript:x", "excerpt": "<b onclick=y>z</b>"}]}') == [
        "$.pages[0].url: javascript:x",
        "$.pages[0].excerpt: <b> event handler onclick=y",
    ]
    assert find_live_script('{"title": "JavaScript: <em>the</em> good parts"}') == []


@pytest.mark.slow
def test_scanner_accepts_a_real_site_and_catches_injections(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "site_config.yml", project / "site_config.yml")
    assert run("build", "--project", project).exit_code == 0
    files = sorted(p for p in (project / "site").rglob("*") if p.suffix in (".html", ".xml", ".json"))
    assert len(files) > 10
    assert {str(p): find_live_script(p.read_text(encoding="utf-8")) for p in files} == {
        str(p): [] for p in files
    }
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    for injected in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<script src="//e.org/x.js"></script>',
    ):
        assert find_live_script(page.replace("</article>", injected + "</article>", 1)) != [], injected
