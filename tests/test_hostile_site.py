"""Every XSS payload of the shared corpus, in every place content reaches a page, builds into a site
in which nothing is live: scanned file by file, then loaded in Chromium with alert hooks armed."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from builder.cachekey import cache_key
from builder.pipeline import plaindata
from builder.pipeline.cache import CACHE_FILE
from builder.routing.router import PassageRoute
from builder.search.bundle import pack, unpack
from tests.browser import chromium, serve
from tests.conftest import run, shared, write_files
from tests.sitecheck import tree_hashes
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


# --- a forged cache -------------------------------------------------------------------------
# Whoever can write build/ (a CI cache restored from another branch, a copied checkout) forges
# every kind of entry with the payloads: article passages, routes, rendered pages, search shards.


def _forge_cache(root: Path, payloads: list[str], sign: Callable[[bytes], str]) -> None:
    """Put the payloads into every entry of the project's cache, each line signed by `sign`."""
    path = root / "build" / CACHE_FILE
    with gzip.open(path, "rb") as stream:
        lines = stream.read().splitlines()
    forged = [lines[0]]  # the header as the build wrote it, still signed with the build's key
    # A page forged with a relative link fails MkDocs' link check (nothing is published): pages get
    # the payloads without links, and links whose schemes could run.
    on_pages = [p for p in payloads if "](" not in p and "]:" not in p]
    on_pages += [f"[a]({scheme}alert(document.domain))" for scheme in ("javascript:", "data:text/html,", "vbscript:")]
    for number, line in enumerate(lines[1:]):
        value = plaindata.loads(line.partition(b" ")[2].decode("utf-8"))
        payload = payloads[number % len(payloads)]
        if value[0] == "article" and value[3][0] is not None:
            article = value[3][0]
            first = dataclasses.replace(article.passages[0], markdown=payload, text=payload)
            passages = (first, *article.passages[1:])
            value[3][0] = dataclasses.replace(article, passages=passages, blocks=passages, summary=payload)
            routes = value[5]
            if routes is not None:  # route the payload passage to a topic named by the payload
                route = PassageRoute(first.number, (payload,), (payload,), (), ())
                value[5] = dataclasses.replace(routes, passages=(route, *routes.passages))
        elif value[0] == "page":
            value[3] += f"\n\n{on_pages[number % len(on_pages)]}\n"
        text = plaindata.dumps(value).encode("utf-8")
        forged.append(sign(text).encode() + b" " + text)
    with gzip.open(path, "wb") as stream:
        stream.write(b"\n".join(forged) + b"\n")
    for shard in sorted((root / "build/.cache/search").glob("*.zip")):
        _forge_shard(shard, payloads, sign)


def _forge_shard(path: Path, payloads: list[str], sign: Callable[[bytes], str]) -> None:
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["briefdesk-shard.json"])
    fragments = [name for name in files if name.endswith(".pf_fragment")]
    for number, name in enumerate(fragments):
        fragment = json.loads(unpack(files[name]))
        payload = payloads[number % len(payloads)]
        fragment.update(url=f"javascript:alert({number})", content=payload, excerpt=payload)
        fragment["meta"] = {**fragment.get("meta", {}), "title": payload, "image": "javascript:alert(1)"}
        files[name] = pack(json.dumps(fragment).encode("utf-8"))
        manifest["files"][name.removeprefix("files/")] = hashlib.sha256(files[name]).hexdigest()
    files["briefdesk-shard.json"] = json.dumps(manifest, sort_keys=True).encode("utf-8")
    files["briefdesk-shard.sig"] = sign(files["briefdesk-shard.json"]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _copy_built(hostile: Path, target: Path) -> Path:
    shutil.copytree(hostile, target, symlinks=True)
    return target


def _live_findings(site: Path) -> list[str]:
    findings: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml", ".json") and path.is_file():
            findings += [f"{path.relative_to(site)}: {f}" for f in find_live_script(_text_of(path))]
    return findings


def test_a_cache_forged_without_the_key_publishes_nothing(
    hostile: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Without the key, the attacker recomputes what anyone can (each line's SHA-256, each shard's
    # file hashes): the build must notice the very first forged entry, give the cache up with one
    # warning, and write the clean site.
    root = _copy_built(hostile, tmp_path / "forged")
    _forge_cache(root, _payloads(), lambda data: hashlib.sha256(data).hexdigest())
    shutil.rmtree(root / "site")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output[-3000:]
    cache = root / "build" / CACHE_FILE
    assert f"{cache}: entry 2 does not check out (it was altered after it was written); building without the cache" \
        in caplog.text
    assert caplog.text.count("does not check out") == 1  # one warning, not one per entry
    assert "made with another cache key; indexing that shard again" not in caplog.text  # info, not a warning
    assert tree_hashes(root / "site") == tree_hashes(hostile / "site")  # exactly the clean build's site
    assert tree_hashes(root / "build/docs") == tree_hashes(hostile / "build/docs")


def test_a_cache_forged_with_the_key_still_publishes_nothing_live(
    hostile: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Even with the key (a leaked CI secret, this machine's own key), what the cache gives back is
    # checked again on the way out: passages must be the sanitiser's, pages may hold only the
    # templates' HTML, routes only the project's ids, shards only the pages asked for.
    root = _copy_built(hostile, tmp_path / "forged")
    payloads = _payloads()
    _forge_cache(root, payloads, cache_key().sign)
    shutil.rmtree(root / "site")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output[-3000:]
    assert "held text its file does not; parsed afresh" in caplog.text
    assert "held what Briefdesk never writes there; rendered afresh" in caplog.text
    assert "its pages are not the records it was kept for; indexing that shard again" in caplog.text
    assert "name what the project does not have; routing it afresh" in caplog.text
    assert _live_findings(root / "site") == []
    # A payload that is only text passes the checks (with the key, an entry may change words):
    # every other forged passage was parsed afresh, so its article page is the clean build's. The
    # fixture's articles are one text under many titles, grouped as one event: a changed word
    # takes an article out of the group and changes every other page's "Other reports" line, so
    # that line is left out of the comparison.
    fresh = _pages_without_other_reports(hostile / "build/docs/articles")
    pages = _pages_without_other_reports(root / "build/docs/articles")
    same = sum(text == fresh[path] for path, text in pages.items())
    assert same > 0.9 * len(fresh), (same, len(fresh))


def _pages_without_other_reports(folder: Path) -> dict[str, str]:
    return {
        page.relative_to(folder).as_posix(): re.sub(
            r"^\*\*Other reports of this event:\*\*.*\n", "", page.read_text(encoding="utf-8"), flags=re.M
        )
        for page in sorted(folder.rglob("*.md"))
    }


def test_a_forged_cache_with_the_previous_site_in_place_publishes_nothing_live(
    hostile: Path, tmp_path: Path
) -> None:
    # The CI case: site/ restored too, and an unrelated article edited, so the site is staged
    # from the previous one and only what changed is rendered again.
    root = _copy_built(hostile, tmp_path / "forged")
    _forge_cache(root, _payloads(), cache_key().sign)
    article = root / "content/articles/2021/a0.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output[-3000:]
    assert _live_findings(root / "site") == []
