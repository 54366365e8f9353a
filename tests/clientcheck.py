"""What independent clients make of a built site: feedparser on the feeds, html5lib on the pages,
the sitemaps.org rules on sitemap.xml. Each check returns its problems, to assert `== []`."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import html5lib
import yaml
from lxml import etree

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def content_dates(project: Path) -> dict[str, dt.date]:
    """Published article slug -> date, read from the articles' own front matter."""
    dates = {}
    for path in (project / "content/articles").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if not meta.get("draft"):
            dates[str(meta.get("slug") or path.stem)] = meta["date"]
    return dates


def _slug(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _day(parsed: time.struct_time) -> dt.date:
    return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)


def feeds_of(site: Path) -> list[Path]:
    """The article feeds (one entry per article); the editions' feed has one per edition."""
    return [site / "feed.xml", *sorted(p for p in (site / "feeds").glob("*.xml") if p.name != "editions.xml")]


def feed_problems(site: Path, dates: dict[str, dt.date]) -> list[str]:
    """feedparser's complaints, repeated titles or ids, and dates other than the content's own."""
    newest = max(dates.values())
    problems = []
    for path in feeds_of(site):
        name = path.relative_to(site).as_posix()
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            problems.append(f"{name}: feedparser: {feed.bozo_exception}")
        for what, values in (("title", [e.title for e in feed.entries]), ("id", [e.id for e in feed.entries])):
            repeated = [value for value, n in Counter(values).items() if n > 1]
            if repeated:
                problems.append(f"{name}: {len(repeated)} repeated entry {what}s, e.g. {repeated[0]!r}")
        entry_days = []
        for entry in feed.entries:
            own = dates[_slug(entry.link)]
            for field in ("published_parsed", "updated_parsed"):
                if _day(entry[field]) != own:
                    problems.append(f"{name}: {entry.id} {field} {_day(entry[field])}, the article is of {own}")
            entry_days.append(_day(entry.updated_parsed))
        updated = _day(feed.feed.updated_parsed)
        expected = max(entry_days, default=newest)  # an empty feed: the site's newest content
        if updated != expected:
            problems.append(f"{name}: feed updated {updated}, expected {expected}")
    return problems


def feed_ids(site: Path) -> dict[str, set[str]]:
    """Each feed's entry ids, by article slug: `{feed/slug: {ids}}`."""
    ids: dict[str, set[str]] = {}
    for path in feeds_of(site):
        for entry in feedparser.parse(path.read_bytes()).entries:
            ids.setdefault(f"{path.name}/{_slug(entry.link)}", set()).add(entry.id)
    return ids


def sitemap_problems(site: Path, site_url: str, dates: dict[str, dt.date]) -> list[str]:
    """sitemap.xml must list every page exactly once, each article dated by its own date."""
    root = etree.parse(str(site / "sitemap.xml")).getroot()
    problems = []
    if root.tag != f"{SITEMAP}urlset":
        return [f"sitemap root is {root.tag}"]
    listed = Counter()
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc") or ""
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        if not loc.startswith(site_url):
            problems.append(f"{loc}: not under {site_url}")
            continue
        page = loc[len(site_url) :]
        listed[page] += 1
        if not (site / page / "index.html").is_file():
            problems.append(f"{loc}: no such page")
        if lastmod is not None and dt.date.fromisoformat(lastmod) > max(dates.values()):
            problems.append(f"{loc}: lastmod {lastmod} is after every article")
        if page.startswith("articles/"):
            own = dates[_slug(loc)]
            if lastmod != own.isoformat():
                problems.append(f"{loc}: lastmod {lastmod}, the article is of {own}")
    pages = {
        p.parent.relative_to(site).as_posix() + "/" if p.parent != site else ""
        for p in site.rglob("index.html")
        if "pagefind" not in p.parts and "assets" not in p.parts
    }
    problems += [f"{page}: listed {n} times" for page, n in listed.items() if n > 1]
    problems += [f"{page or '(home)'}: missing from the sitemap" for page in sorted(pages - set(listed))]
    return problems


def page_problems(site: Path) -> list[str]:
    """Pages (as html5lib parses them) that skip a heading level or share a <title>."""
    problems = []
    titles: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        if "pagefind" in path.parts or "assets" in path.parts:
            continue
        name = path.relative_to(site).as_posix()
        document = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        title = document.find(".//title")
        titles.setdefault(" ".join("".join(title.itertext()).split()) if title is not None else "", []).append(name)
        level = 0
        for element in document.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                if int(tag[1]) > level + 1:
                    text = " ".join("".join(element.itertext()).split())[:60]
                    problems.append(f"{name}: <{tag}> {text!r} follows h{level}")
                level = int(tag[1])
    problems += [f"{len(pages)} pages share the title {title!r}: {pages[:3]}" for title, pages in titles.items() if len(pages) > 1]
    return problems
