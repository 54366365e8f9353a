"""The demo site in headless Chromium: reading path, citation highlight, accessibility, screenshots."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, serve
from tests.conftest import REPO, run

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site_config.yml", root / "site_config.yml")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as instance:
        yield instance


def test_reader_follows_a_citation_to_the_highlighted_passage(site_url: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url)
    page.get_by_role("link", name="Myanmar", exact=True).first.click()
    page.wait_for_url("**/topics/myanmar/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Myanmar"
    citation = page.get_by_role("link", name="Passage 1 in context").first
    href = citation.get_attribute("href")
    assert href and "#p-1" in href
    citation.click()
    page.wait_for_url("**/articles/2021/**#p-1")
    target = page.locator("#p-1")
    target.wait_for()
    # The highlight fades in (a 0.3 s CSS transition), so the colour read at the instant of arrival
    # can still be the transparent start: wait for it to show, as a reader's eye would.
    try:
        page.wait_for_function(
            "() => !['rgba(0, 0, 0, 0)', 'transparent'].includes("
            "getComputedStyle(document.getElementById('p-1')).backgroundColor)", timeout=5000)
    except Exception as error:  # Playwright's TimeoutError; the message says what the reader misses
        raise AssertionError("the cited passage is not highlighted") from error
    assert page.evaluate("() => { const r = document.getElementById('p-1').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < window.innerHeight; }"), "cited passage not in view"
    outside = [url for url in requests if not url.startswith(site_url)]
    assert outside == [], f"the site made requests to other hosts: {outside[:5]}"
    page.close()


PAGES = {
    "home": "",
    "brief": "topics/myanmar/",
    "archive": "topics/myanmar/2021/",
    "article": "articles/2021/guilin-wang-yi-lavrov-talks/",
    "edition": "editions/2021-w51/",
}
LOADED = {**PAGES, "actor": "actors/china/"}


@pytest.mark.parametrize("name", sorted(LOADED))
def test_a_page_load_makes_no_failed_request_and_logs_no_error(site_url: str, browser: object, name: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    failed: list[str] = []
    errors: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} ({response.status})"))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + LOADED[name], wait_until="networkidle")
    # Material fetches sitemap.xml for instant navigation once the page has loaded: let it finish.
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    assert (failed, errors) == ([], []), name
    # Instant navigation to another page (Material's own fetch) fails nothing either.
    page.get_by_role("link", name="Timeline", exact=True).first.click()
    page.wait_for_url("**/timeline/")
    page.wait_for_load_state("networkidle")
    assert (failed, errors) == ([], []), name
    page.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(site_url: str, browser: object, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)  # type: ignore[attr-defined]
        page.goto(site_url + PAGES[name])
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        page.close()
        assert serious == [], f"{name} ({scheme}): " + "; ".join(serious)


def test_screenshots_at_desktop_and_phone_widths(site_url: str, browser: object, tmp_path: Path) -> None:
    folder = Path(os.environ.get("BRIEFDESK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
            page.goto(site_url + path + ("#p-6" if name == "article" else ""))
            shot = folder / f"{name}-{size}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} scrolls sideways at {size} width ({overflow}px)"
            page.close()


@pytest.mark.parametrize("name", ["brief", "archive", "edition"])
def test_brief_and_archive_have_no_accessibility_violations_at_all(site_url: str, browser: object, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)  # type: ignore[attr-defined]
        page.goto(site_url + PAGES[name])
        violations = Axe().run(page).response["violations"]
        page.close()
        found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in violations]
        assert found == [], f"{name} ({scheme}): " + "; ".join(found)


def test_coverage_chart_renders_in_light_and_dark_with_its_text_alternative(site_url: str, browser: object) -> None:
    fills = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.goto(site_url + PAGES["brief"])
        chart = page.get_by_role("img", name="Coverage")
        chart.wait_for()
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40, box
        description = chart.evaluate("e => e.querySelector('desc').textContent")
        assert description.startswith("Articles per month, February 2021 to December 2021: 7 articles"), description
        bar = page.locator(".bd-chart__bar").first
        assert bar.evaluate("e => e.getBBox().height") > 0
        fill = bar.evaluate("e => getComputedStyle(e).fill")
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert fill not in (background, "none", "rgb(0, 0, 0)"), (scheme, fill)
        fills[scheme] = fill
        # The numbers, for screen readers: a table named by its caption, hidden from the eye only.
        table = page.get_by_role("table", name="Articles per month")
        assert table.count() == 1 and "March 2021" in table.inner_text()
        assert page.locator(".bd-chart .bd-sr-only").evaluate("e => e.getBoundingClientRect().width") <= 1
        # The home page draws one sparkline per brief with articles, each with a name.
        page.goto(site_url)
        sparklines = page.locator("svg.bd-sparkline[role=img]")
        assert sparklines.count() == 13
        assert sparklines.first.get_attribute("aria-label").startswith("Articles per month")  # type: ignore[union-attr]
        page.close()
    assert fills["light"] != fills["dark"], fills


def test_home_page_briefs_read_as_cards_on_a_phone(site_url: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(site_url)
    row = page.locator(".bd-briefs tr").nth(1)
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.locator(".bd-briefs thead").first.evaluate("e => e.getBoundingClientRect().height") <= 1
    link = row.get_by_role("link").first
    assert link.bounding_box()["width"] < 390  # type: ignore[index]
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(site_url)
    assert page.locator(".bd-briefs tr").nth(1).evaluate("e => getComputedStyle(e).display") == "table-row"
    page.close()


def test_printing_a_brief_hides_navigation_and_shows_source_urls(site_url: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + PAGES["brief"])
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".briefdesk-feeds"):
        assert not page.locator(chrome).first.is_visible(), chrome
    sources = page.locator("h2#sources + ol")
    original = sources.get_by_role("link", name=re.compile(r"^Original report at ")).first
    href = original.get_attribute("href")
    assert href and href.startswith("https://")
    assert f"<{href}>" in sources.inner_text()  # the URL is printed next to its link
    page.emulate_media(media="screen")
    assert f"<{href}>" not in sources.inner_text()  # and only printed
    page.emulate_media(media="print")
    assert page.locator("blockquote").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    page.close()



def _margin_numbers(page: Any) -> list[tuple[str, list[float]]]:
    """The passage numbers as Chromium laid them out (generated text is not in the DOM): each
    "¶ N" with the box of its number, in document coordinates."""
    cdp = page.context.new_cdp_session(page)
    snapshot = cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    strings, layout = snapshot["strings"], snapshot["documents"][0]["layout"]
    texts = [strings[index] if index >= 0 else "" for index in layout["text"]]
    return [
        (texts[i] + texts[i + 1], layout["bounds"][i + 1])
        for i in range(len(texts) - 1)
        if texts[i] == "¶\u00a0" and texts[i + 1].isdigit()
    ]


_PASSAGES = """() => [...document.querySelectorAll('.md-typeset .passage')].map(p => {
  const box = p.getBoundingClientRect();
  const range = document.createRange(); range.selectNodeContents(p.firstElementChild);
  const text = range.getBoundingClientRect();
  return {id: p.id, top: box.top + scrollY, bottom: box.bottom + scrollY, text: text.left};
})"""


@pytest.mark.parametrize("medium", ["desktop", "phone", "print"])
def test_article_passages_show_their_numbers_in_the_margin(
    site_url: str, browser: object, medium: str, tmp_path: Path
) -> None:
    width, height = SIZES["phone"] if medium == "phone" else SIZES["desktop"]
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(site_url + PAGES["article"])
    if medium == "print":
        page.emulate_media(media="print")
    passages = page.evaluate(_PASSAGES)
    numbers = _margin_numbers(page)
    assert [p["id"] for p in passages] == [f"p-{i}" for i in range(1, 8)]
    # Each passage shows the number of its anchor, the one briefs cite ("¶ 5" links to #p-5),
    # at its first line and left of its text: in the margin, or in the gutter on a phone.
    assert [label for label, _ in numbers] == [f"¶\u00a0{i}" for i in range(1, 8)]
    for passage, (label, (x, y, w, _)) in zip(passages, numbers, strict=True):
        assert passage["top"] - 1 <= y < passage["top"] + 40, (label, y, passage)
        assert x >= 0 and x + w <= passage["text"], (label, x + w, passage["text"])
    folder = Path(os.environ.get("BRIEFDESK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("#p-4").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"article-numbers-{medium}.png"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the article scrolls sideways ({overflow}px)"
    page.close()


_VISIBLE_NAMES = """name => [...document.querySelectorAll('body *')].filter(e => {
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() === name);
  if (!own) return false;
  const box = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  const onScreen = box.right > 0 && box.left < innerWidth;  // not in the closed drawer
  return box.width > 0 && box.height > 0 && onScreen && style.visibility === 'visible' && e.checkVisibility();
}).map(e => e.tagName.toLowerCase())"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_home_page_names_the_site_once(site_url: str, browser: object, width: int) -> None:
    name = next(
        line.split(":", 1)[1].strip() for line in (REPO / "site_config.yml").read_text().splitlines()
        if line.startswith("site_name:")
    )
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(site_url)
    assert page.evaluate(_VISIBLE_NAMES, name) == ["h1"]
    # Other pages keep the name in the header, where it links home.
    page.goto(site_url + PAGES["brief"])
    assert page.locator(".md-header__title").evaluate("e => getComputedStyle(e).visibility") == "visible"
    page.close()
