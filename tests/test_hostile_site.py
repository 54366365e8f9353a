"""Every XSS payload of the shared corpus, in every place content reaches a page, builds into a site
in which nothing is live: scanned file by file, then loaded in Chromium with alert hooks armed."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser import chromium, serve
from tests.conftest import run, shared, write_files
from tests.xss_scan import find_live_script

pytestmark = pytest.mark.slow
TOPICS_PER_FILE = 20


def _payloads() -> list[str]:
    lines: list[str] = []
    for name in ("xss.txt", "xss-markdown.txt"):
        text = shared("corpus", "xss", name).read_text(encoding="utf-8", errors="replace")
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    payloads = _payloads()
    files: dict[str, str | bytes | None] = {"site_config.yml": "site_name: Hostile desk\nsite_url: https://x.example/\n"}
    for start in range(0, len(payloads), TOPICS_PER_FILE):
        chunk = payloads[start: start + TOPICS_PER_FILE]
        meta = {"title": f"Topic {start}", "aliases": [f"Topic {start}"], "summary": chunk[0]}
        files[f"content/topics/t{start}.md"] = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + \
            "\n\n".join(chunk) + "\n"
    files["content/actors/actor.md"] = "---\n" + yaml.safe_dump({"name": payloads[0], "aliases": ["Actor"]}) + "---\n"
    for index, payload in enumerate(payloads):
        meta = {
            "title": payload, "date": "2021-03-22", "source": payload, "summary": payload,
            "tags": [payload], "topics": [f"t{index - index % TOPICS_PER_FILE}"], "actors": ["actor"],
            "url": "https://x.example/a",
        }
        body = f"Topic {index - index % TOPICS_PER_FILE} and Actor said:\n\n{payload}\n\n- {payload}\n\n> {payload}\n"
        files[f"content/articles/2021/a{index}.md"] = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    root = write_files(tmp_path_factory.mktemp("hostile") / "project", files)
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output[-3000:]
    assert "warning: removed" in result.stderr  # the sanitiser reported what it took out
    return root


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_nothing_live_in_any_html_xml_or_json_file(hostile: Path) -> None:
    findings: list[str] = []
    scanned = 0
    for path in sorted((hostile / "site").rglob("*")):
        # Pagefind's fragments (.pf_fragment) are search data, not pages: their titles, excerpts and
        # filter values hold the hostile text as text, and the search UI renders them as text,
        # which the browser test below checks by searching for the payloads.
        if path.suffix not in (".html", ".xml", ".json") or not path.is_file():
            continue
        scanned += 1
        findings += [f"{path.relative_to(hostile)}: {f}" for f in find_live_script(_text_of(path))]
    assert scanned > 300
    assert findings == []


@pytest.fixture(scope="module")
def served(hostile: Path) -> Iterator[str]:
    with serve(hostile / "site") as url:
        yield url


@pytest.mark.browser
def test_no_script_runs_in_chromium(hostile: Path, served: str) -> None:
    hook = """
      window.__fired = [];
      for (const name of ['alert', 'confirm', 'prompt', 'print']) {
        window[name] = (...args) => { window.__fired.push(name + ':' + String(args[0])); };
      }
    """
    pages = ["", "timeline/", "actors/actor/"]
    pages += [f"topics/{p.stem}/" for p in sorted((hostile / "content/topics").glob("*.md"))]
    pages += [f"articles/2021/{p.stem}/" for p in sorted((hostile / "content/articles/2021").glob("*.md"))]
    fired: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        context.add_init_script(hook)
        page = context.new_page()
        page.on("dialog", lambda dialog: (fired.append(f"dialog {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(served + path, wait_until="load")
            page.mouse.move(200, 200)  # hover-triggered handlers, had any survived
            fired += [f"{path}: {call}" for call in page.evaluate("window.__fired")]
        # The search dialog shows hostile titles, excerpts and facet values: search for them.
        for term in ("alert", "script", "javascript", "onerror", "XSS"):
            page.goto(served + f"?q={term}", wait_until="load")
            page.wait_for_selector(".bd-result .bd-result__link", timeout=30_000)
            page.click(".bd-search__toggle")  # the facets, with their values, load on demand
            page.wait_for_selector(".bd-facet", timeout=30_000)
            page.wait_for_timeout(500)
            fired += [f"search {term}: {call}" for call in page.evaluate("window.__fired")]
            if term == "script":  # hostile titles are shown as text, tags and all
                titles = page.eval_on_selector_all(".bd-result__link", "e => e.map(x => x.textContent)")
                assert any("<" in title for title in titles), titles
    assert fired == []
