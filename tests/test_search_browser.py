"""Search in a real browser: the demo site, built once, served on 127.0.0.1, driven in Chromium."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from tests.browser import chromium, serve
from tests.conftest import copy_demo, run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PHRASE = "endorsed the Moscow process alongside the other diplomatic tracks"
"""From one paragraph of the demo's Guilin talks article (the issue's example)."""
TIMEOUT = 60_000  # generous: CI machines are slow and shared; a pass is usually far quicker
"""Milliseconds to wait for search results (two cores, other builds running)."""


def build(root: Path) -> Path:
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built."""
    root = copy_demo(tmp_path_factory.mktemp("search-demo") / "project")
    build(root)
    return root


@pytest.fixture(scope="module")
def base_url(demo: Path) -> Iterator[str]:
    with serve(demo / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def expected_passage(demo: Path, phrase: str) -> str:
    """The site-relative URL (`/articles/…/#p-N`) of the one paragraph that contains `phrase`."""
    diagnostics = Diagnostics()
    project = load_project(demo, diagnostics)
    assert project is not None
    found = [
        f"/articles/{article.date.year:04d}/{article.slug}/#p-{passage.number}"
        for article in project.published
        for passage in article.passages
        if phrase in " ".join(passage.text.split())
    ]
    assert len(found) == 1, f"the demo content should have exactly one paragraph saying {phrase!r}: {found}"
    return found[0]


# --- Helpers that read the dialog -----------------------------------------------------------------

DIALOG_OPEN = "document.querySelector('dialog.bd-search__dialog')?.open === true"


def open_with_slash(page: Any) -> None:
    page.wait_for_selector(".bd-search--ready", timeout=TIMEOUT)
    page.keyboard.press("/")
    page.wait_for_function(DIALOG_OPEN, timeout=TIMEOUT)


def type_search(page: Any, term: str) -> None:
    """Enter `term` at once: typed key by key, results of a shorter prefix could still be showing."""
    page.fill(".bd-search__input", term)
    wait_for_results(page, term)


def wait_for_results(page: Any, term: str) -> None:
    """Wait until the summary reports results for `term` and the first result has loaded.

    Results load one by one into placeholders: until the first has, the first link on the list
    may be the second result's.
    """
    page.wait_for_function(
        """term => {
            const summary = document.querySelector(".bd-search__summary")?.textContent || "";
            const first = document.querySelector(".bd-search__results > li");
            return summary.includes(term) && /\\d+ results?/.test(summary)
                && first?.querySelector(".bd-result__link");
        }""",
        arg=term,
        timeout=TIMEOUT,
    )


def result_count(page: Any) -> int:
    summary = page.inner_text(".bd-search__summary")
    match = re.search(r"(\d+) results?", summary)
    assert match, summary
    return int(match[1])


def result_urls(page: Any) -> list[str]:
    urls: list[str] = page.eval_on_selector_all(
        ".bd-search__results > li .bd-result__link", "links => links.map(a => a.getAttribute('href'))"
    )
    return urls


def first_passages(page: Any) -> list[str]:
    """The passage links shown under the first result, in order."""
    urls: list[str] = page.eval_on_selector(
        ".bd-search__results > li",
        "li => [...li.querySelectorAll('.bd-result__passage:not([hidden]) a')].map(a => a.getAttribute('href'))",
    )
    return urls


def open_facets(page: Any) -> None:
    page.click(".bd-search__toggle")
    page.wait_for_selector(".bd-facet", timeout=TIMEOUT)


def facet_counts(page: Any, filter_name: str) -> dict[str, int]:
    """The value -> count pairs the filter pane shows for one filter."""
    counts: dict[str, int] = page.evaluate(
        """name => Object.fromEntries(
            [...document.querySelectorAll(`.bd-facet[data-filter-name="${name}"] label.bd-facet__value`)]
              .map(label => [label.querySelector("input").value,
                             Number(label.querySelector(".bd-facet__count").textContent)]))""",
        filter_name,
    )
    return counts


def query_facet_counts(page: Any, filter_name: str, results: int) -> dict[str, int]:
    """facet_counts, once they count the query's `results`: the pane shows the counts over every
    page first, until the query's own arrive."""
    page.wait_for_function(
        """([name, n]) => {
            const counts = [...document.querySelectorAll(
                `.bd-facet[data-filter-name="${name}"] .bd-facet__count`)];
            return counts.length > 0 && counts.every(count => Number(count.textContent) <= n);
        }""",
        arg=[filter_name, results],
        timeout=TIMEOUT,
    )
    return facet_counts(page, filter_name)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def dialog_open(page: Any) -> bool:
    return bool(page.evaluate(DIALOG_OPEN))


def wait_for_count(page: Any, count: int) -> None:
    page.wait_for_function(
        "n => /(\\d+) results?/.exec(document.querySelector('.bd-search__summary').textContent)?.[1] == n",
        arg=str(count),
        timeout=TIMEOUT,
    )


# --- The tests -------------------------------------------------------------------------------------


def test_slash_opens_the_dialog_and_focuses_the_search_box(page: Any, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    open_with_slash(page)
    page.wait_for_function("document.activeElement?.matches('.bd-search__input')", timeout=TIMEOUT)


def test_a_phrase_finds_its_article_first_with_the_paragraph_first_under_it(
    page: Any, base_url: str, demo: Path
) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, PHRASE)
    passage = expected_passage(demo, PHRASE)
    assert result_urls(page)[0] == passage.split("#")[0]  # one result per article
    shown = first_passages(page)
    assert shown[0] == passage and all(re.search(r"#p-\d+$", url) for url in shown)
    assert len(shown) <= 3
    excerpt = page.inner_html(".bd-search__results > li .bd-result__passage .bd-result__excerpt")
    assert "<mark>Moscow</mark>" in excerpt  # the match is highlighted
    assert not excerpt.startswith("¶")  # the passage's number is shown once, beside it


def test_a_quoted_phrase_is_exact_and_common_words_are_left_out_of_long_queries(
    page: Any, base_url: str, demo: Path
) -> None:
    page.goto(base_url)
    open_with_slash(page)
    passage = expected_passage(demo, PHRASE)
    type_search(page, f'"{PHRASE}"')  # Pagefind's exact-phrase search: only that paragraph
    assert result_urls(page) == [passage.split("#")[0]] and first_passages(page) == [passage]
    type_search(page, "the Moscow process and the other tracks")
    excerpt = page.inner_html(".bd-search__results > li .bd-result__passage .bd-result__excerpt")
    assert "<mark>Moscow</mark>" in excerpt and "<mark>the</mark>" not in excerpt  # "the" was left out
    type_search(page, "the")  # a short query keeps its common word
    assert result_count(page) > 0


def test_more_passages_wait_behind_a_button(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Taliban")
    button = page.wait_for_selector(".bd-result__more", timeout=TIMEOUT)
    item = button.evaluate_handle("b => b.closest('li.bd-result')")
    hidden = item.evaluate("li => li.querySelectorAll('.bd-result__passage[hidden]').length")
    assert hidden > 0 and button.inner_text() == f"{hidden} more in this article"
    assert item.evaluate("li => li.querySelectorAll('.bd-result__passage:not([hidden])').length") == 3
    button.click()
    assert item.evaluate("li => li.querySelectorAll('.bd-result__passage[hidden]').length") == 0


def test_results_load_a_screenful_at_a_time(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "the")
    assert result_count(page) > 10
    items = ".bd-search__results > li"
    assert page.eval_on_selector_all(items, "items => items.length") == 5  # each is a fetch
    # Scrolled to the end until more come, as a reader keeps scrolling: one scroll made while the
    # first five are still loading (the list not yet taller than the dialog) moves nothing and
    # fires no scroll event (it failed once so in CI).
    page.wait_for_function(
        """items => {
            const layout = document.querySelector('.bd-search__layout');
            layout.scrollTop = layout.scrollHeight;
            return document.querySelectorAll(items).length > 5;
        }""",
        arg=items,
        timeout=TIMEOUT,
    )


def test_a_topic_name_finds_its_brief_first(page: Any, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    open_with_slash(page)
    for topic, brief in (("Afghanistan", "/topics/afghanistan/"), ("Myanmar", "/topics/myanmar/")):
        type_search(page, topic)
        assert result_urls(page)[0] == brief, result_urls(page)[:3]
        assert page.text_content(".bd-search__results > li .bd-result__kind") == "Brief"


def test_enter_opens_the_paragraph_and_back_restores_the_search(page: Any, base_url: str, demo: Path) -> None:
    page.goto(base_url + "timeline/")
    open_with_slash(page)
    type_search(page, PHRASE)
    passage = expected_passage(demo, PHRASE)
    page.keyboard.press("ArrowDown")  # from the search box to the first result's title
    assert page.evaluate("document.activeElement.getAttribute('href')") == passage.split("#")[0]
    page.keyboard.press("ArrowDown")  # to its first passage
    assert page.evaluate("document.activeElement.getAttribute('href')") == passage
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#p-\d+$"), timeout=TIMEOUT)
    target = passage.split("#")[1]
    assert page.evaluate("document.querySelector(':target')?.id") == target
    page.wait_for_function(  # scrolled to: the paragraph is on screen
        """id => { const box = document.getElementById(id).getBoundingClientRect();
                   return box.top >= 0 && box.top < window.innerHeight; }""",
        arg=target,
        timeout=TIMEOUT,
    )
    highlight = page.evaluate(f"getComputedStyle(document.getElementById('{target}')).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent")  # and highlighted
    assert not dialog_open(page)
    page.go_back()
    page.wait_for_function(DIALOG_OPEN, timeout=TIMEOUT)
    assert page.input_value(".bd-search__input") == PHRASE


def test_material_page_shortcuts_do_not_fire_inside_the_dialog(page: Any, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    open_with_slash(page)
    type_search(page, "Taliban")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # back in the search box
    page.keyboard.press("End")
    page.keyboard.press("n")  # Material's "next page"; in the dialog it types into the search box
    page.wait_for_timeout(500)
    assert urlsplit(page.url).path == urlsplit(base_url).path + "timeline/"
    assert page.input_value(".bd-search__input") == "Talibann"


def test_facet_counts_load_only_when_the_filters_open(page: Any, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Taliban")
    page.wait_for_timeout(500)
    assert not [url for url in requested if "/pagefind/filter/" in url]
    assert page.query_selector(".bd-facet") is None
    open_facets(page)
    assert [url for url in requested if "/pagefind/filter/" in url]


def test_a_topic_filter_narrows_the_results_and_shows_counts(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "withdrawal")
    everything = result_count(page)
    open_facets(page)
    topics = query_facet_counts(page, "topic", everything)
    assert topics["Afghanistan"] > 0 and set(topics) > {"Afghanistan"}
    assert sum(topics.values()) >= everything  # a result can sit under several topics
    page.check('.bd-facet[data-filter-name="topic"] input[value="Afghanistan"]')
    wait_for_count(page, topics["Afghanistan"])
    assert result_count(page) == topics["Afghanistan"] < everything
    assert query_of(page.url) == {"q": ["withdrawal"], "topic": ["Afghanistan"]}
    assert set(facet_counts(page, "year")) == {"2021"}


def test_a_search_url_restores_the_query_and_the_filters(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Taliban")
    open_facets(page)
    expected = query_facet_counts(page, "topic", result_count(page))["Afghanistan"]
    page.goto(base_url + "actors/?q=Taliban&topic=Afghanistan")
    wait_for_results(page, "Taliban")
    assert dialog_open(page)
    assert page.input_value(".bd-search__input") == "Taliban"
    wait_for_count(page, expected)
    page.wait_for_selector('.bd-facet[data-filter-name="topic"] input[value="Afghanistan"]', timeout=TIMEOUT)
    assert page.is_checked('.bd-facet[data-filter-name="topic"] input[value="Afghanistan"]')


def test_escape_closes_the_dialog_and_clears_the_url(page: Any, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    open_with_slash(page)
    type_search(page, "Taliban")
    assert query_of(page.url) == {"q": ["Taliban"]}
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelector('dialog.bd-search__dialog')?.open === false", timeout=TIMEOUT)
    # A dialog's `close` event, whose handler clears the address, is dispatched in a task after
    # `open` turns false: wait for that task, then check what it left.
    page.wait_for_function("location.search === ''", timeout=TIMEOUT)
    assert query_of(page.url) == {}


def test_search_makes_no_request_to_another_host(page: Any, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Taliban")
    open_facets(page)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    assert requested and all(url.startswith(origin) for url in requested), requested
    assert any("/pagefind/" in url for url in requested)


def test_without_javascript_the_header_says_so(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url)
        assert page.is_visible(".bd-search__noscript")
        assert "Search needs JavaScript" in page.inner_text(".bd-search__noscript")
        assert not page.is_visible(".bd-search__trigger")  # no button that cannot work
    finally:
        context.close()


def test_a_site_without_its_index_says_search_is_unavailable(browser: Any, demo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(demo / "site", site)
    shutil.rmtree(site / "pagefind")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve(site) as url:
            page.goto(url)
            page.wait_for_selector(".bd-search__noscript", timeout=TIMEOUT)
            assert page.inner_text(".bd-search__noscript") == "Search is unavailable. Browse the timeline"
            assert page.get_attribute(".bd-search__noscript a", "href") == url + "timeline/"
    finally:
        context.close()


def test_the_dialog_follows_the_dark_scheme(browser: Any, base_url: str) -> None:
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url)
        open_with_slash(page)
        colours = page.evaluate(
            """() => [getComputedStyle(document.querySelector('dialog.bd-search__dialog')).backgroundColor,
                      getComputedStyle(document.querySelector('.md-main')).backgroundColor,
                      getComputedStyle(document.body).backgroundColor]"""
        )
        assert colours[0] == colours[2] != "rgb(255, 255, 255)", colours
    finally:
        context.close()


def test_search_works_when_the_site_is_served_from_a_sub_path(
    tmp_path_factory: pytest.TempPathFactory, browser: Any
) -> None:
    root = copy_demo(tmp_path_factory.mktemp("search-sub-path") / "project", site_url="https://x.example/briefs/")
    site = build(root)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve(site, "/briefs/") as base_url:
            page.goto(base_url + "topics/afghanistan/")
            open_with_slash(page)
            type_search(page, PHRASE)
            first = first_passages(page)[0]
            assert first.startswith("/briefs/articles/") and "#p-" in first
            page.click(".bd-result__passage a")
            page.wait_for_url(re.compile(r"/briefs/articles/.*#p-\d+$"), timeout=TIMEOUT)
            assert page.evaluate("document.querySelector(':target')?.id", None).startswith("p-")
    finally:
        context.close()


# --- Pagefind's own JS API, without our UI ---------------------------------------------------------

PAGEFIND_SEARCH = """async ([bundle, term]) => {
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({ baseUrl: "/" });
    const search = await pagefind.search(term);
    const results = await Promise.all(search.results.slice(0, 3).map(result => result.data()));
    return results.map(data => ({
        url: data.url,
        sub: data.sub_results.map(sub => ({
            url: sub.url,
            words: sub.locations.length,
            excerpt: sub.excerpt,
        })),
    }));
}"""


def test_pagefind_js_api_gives_the_paragraph_as_a_sub_result(page: Any, base_url: str, demo: Path) -> None:
    page.goto(base_url)
    passage = expected_passage(demo, PHRASE)
    article = passage.split("#")[0]
    found = page.evaluate(PAGEFIND_SEARCH, [base_url + "pagefind/", PHRASE])
    assert found[0]["url"] == article  # one result per page: the article, first
    subs = found[0]["sub"]
    # Matches in the title or summary stand for the page itself; every other is a passage `#p-N`.
    assert subs and all(re.fullmatch(re.escape(article) + r"(#p-\d+)?", sub["url"]) for sub in subs), subs
    # Pagefind's own UI leaves out the page's own sub-result and shows those with the most words.
    best = max((sub for sub in subs if sub["url"] != article), key=lambda sub: sub["words"])
    assert best["url"] == passage and "<mark>Moscow</mark>" in best["excerpt"]
    exact = page.evaluate(PAGEFIND_SEARCH, [base_url + "pagefind/", f'"{PHRASE}"'])
    assert [result["url"] for result in exact] == [article]
    assert [sub["url"] for sub in exact[0]["sub"]] == [passage]


def test_the_phone_header_shows_an_svg_magnifier_named_search(browser: Any, base_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_selector(".bd-search--ready", timeout=TIMEOUT)
    button = page.get_by_role("button", name="Search", exact=True)
    assert button.is_visible()
    icon = button.locator("svg")
    assert icon.count() == 1 and icon.locator("path").get_attribute("d")
    box = icon.bounding_box()
    assert box is not None and box["width"] >= 20 and box["height"] >= 20  # drawn, not an empty box
    assert button.locator(".bd-search__icon").get_attribute("aria-hidden") == "true"
    # No character left for a font to draw: the label is hidden text, the icon an SVG.
    content = page.evaluate(
        "() => getComputedStyle(document.querySelector('.bd-search__trigger-label'), '::before').content"
    )
    assert content in ("none", "normal")
    label = button.locator(".bd-search__trigger-label").bounding_box()
    assert label is not None and label["width"] <= 1
    folder = Path(os.environ.get("BRIEFDESK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(".md-header").screenshot(path=str(folder / "phone-header.png"))
    button.click()
    page.wait_for_function(DIALOG_OPEN, timeout=TIMEOUT)
    context.close()


def test_results_print_dates_as_the_pages_do(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, PHRASE)
    meta = page.inner_text(".bd-search__results > li .bd-result__meta")
    assert meta == "Xinhua \u00b7 22 March 2021"


def test_a_year_counts_every_result_a_brief_included(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Myanmar")
    everything = result_count(page)
    kinds = page.eval_on_selector_all(".bd-result__kind", "spans => spans.map(s => s.textContent)")
    assert "Brief" in kinds  # the case the count used to miss
    open_facets(page)
    assert query_facet_counts(page, "year", everything) == {"2021": everything}
    page.check('.bd-facet[data-filter-name="year"] input[value="2021"]')
    wait_for_count(page, everything)


def test_the_dialog_shows_keyboard_hints_on_a_desktop_but_not_on_a_phone(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    shown = {}
    for device, options in {
        "desktop": {"viewport": {"width": 1280, "height": 900}},
        "phone": {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True},
    }.items():
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(base_url)
        page.wait_for_selector(".bd-search--ready", timeout=TIMEOUT)
        page.click(".bd-search__trigger")
        page.wait_for_function(DIALOG_OPEN, timeout=TIMEOUT)
        type_search(page, "Taliban")
        shown[device] = page.inner_text(".bd-search__hints")
        folder = Path(os.environ.get("BRIEFDESK_SCREENSHOTS", tmp_path))
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"search-dialog-{device}.png"))
        context.close()
    assert shown == {
        "desktop": "\u2191 \u2193 move \u00b7 Enter open \u00b7 Esc close \u00b7 \"quotes\" for an exact phrase",
        "phone": "\"quotes\" for an exact phrase",
    }


def test_the_kind_of_source_filters_the_results(page: Any, base_url: str) -> None:
    page.goto(base_url)
    open_with_slash(page)
    type_search(page, "Taliban")
    everything = result_count(page)
    open_facets(page)
    kinds = query_facet_counts(page, "source_kind", everything)
    legend = page.inner_text('.bd-facet[data-filter-name="source_kind"] legend')
    assert legend == "Kind of source"
    assert set(kinds) <= {"wire", "public broadcaster", "state media", "government", "broadcaster",
                          "international organisation"} and kinds.get("government", 0) > 0
    page.check('.bd-facet[data-filter-name="source_kind"] input[value="government"]')
    wait_for_count(page, kinds["government"])
    assert query_of(page.url) == {"q": ["Taliban"], "source_kind": ["government"]}
    assert all(meta.startswith(("Ministry of Foreign Affairs of the PRC", "The White House"))
               for meta in page.eval_on_selector_all(".bd-result__meta", "ps => ps.map(p => p.textContent)"))
