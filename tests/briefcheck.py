"""What every built brief must hold, read from the Markdown pages (shared by the demo and UN tests).

A brief is bounded (at most MAX_WORDS words of reading text), quotes no passage twice under Latest
developments (by its permalink and by text), quotes a sentence in every Positions line (and says
so when the sentence stands in a passage quoted above), and together with its yearly archive links
every article whose page says it feeds the topic.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

MAX_WORDS = 4_000

_PERMALINK = re.compile(
    r'<span class="bd-permalink">\[<span aria-hidden="true">¶&nbsp;(\d+)</span>'
    r'<span class="bd-sr-only">Passage (\d+) in context</span>\]\(([^)#]+)#p-(\d+)\)</span>'
)
_LINK_TARGET = re.compile(r"\]\(([^)\s]+?\.md)(?:#[^)]*)?\)")
_TOPIC_LINE = re.compile(r"^\*\*Topics:\*\* (.*)$", re.M)
_POSITION_QUOTE = re.compile(r"“(.+?)”")


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def reading_words(markdown: str) -> int:
    """Words a reader sees: no front matter, tags, link destinations, screen-reader-only text or
    print-only source URLs (a URL is not reading)."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r'<span class="bd-(?:sr-only|print-url)">[^<]*</span>', "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"\w[\w'’.-]*", text))


def _resolve(page: str, target: str) -> str:
    """A relative link target from docs/`page`, as a docs-relative path."""
    parts = page.split("/")[:-1]
    for part in target.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def quoted_passages(page: str, text: str) -> list[tuple[str, int]]:
    """(article page, passage number) of every passage quoted under Latest developments."""
    quoted = []
    for heading in ("Latest developments",):
        for match in _PERMALINK.finditer(section(text, heading)):
            assert match[1] == match[2] == match[4], match.group()
            quoted.append((_resolve(page, match[3]), int(match[1])))
    return quoted


def check_brief(docs: Path, topic: str) -> int:
    """Assert the brief's bounds; return its reading words."""
    page = f"topics/{topic}.md"
    text = (docs / page).read_text(encoding="utf-8")
    words = reading_words(text)
    assert words <= MAX_WORDS, f"{page}: {words} words"
    repeated = [p for p, n in Counter(quoted_passages(page, text)).items() if n > 1]
    assert not repeated, f"{page} quotes {repeated} twice"
    quotes = [
        " ".join(line[1:].split())
        for line in section(text, "Latest developments").splitlines()
        if line.startswith(">")
    ]
    quotes = [_PERMALINK.sub("", q).strip() for q in quotes if q]
    blocks = [q for q, n in Counter(quotes).items() if n > 1 and len(q) > 40]
    assert not blocks, f"{page} repeats {blocks[:1]}"
    for line in section(text, "Positions").splitlines():
        if not line.startswith("- "):
            continue
        sentence = _POSITION_QUOTE.search(line)
        assert sentence, f"{page}: a position line quotes nothing: {line[:80]}"
        plain = sentence[1].removesuffix(" …")
        if any(plain in quote for quote in quotes):
            assert "in a passage quoted above" in line, f"{page} quotes '{plain[:60]}' twice, unsaid"
    return words


def reachable(docs: Path, topic: str) -> set[str]:
    """Article pages linked from the brief and its yearly archive pages."""
    linked: set[str] = set()
    pages = [f"topics/{topic}.md"] + [
        p.relative_to(docs).as_posix() for p in (docs / "topics" / topic).glob("*.md")
    ]
    for page in pages:
        text = (docs / page).read_text(encoding="utf-8")
        linked.update(_resolve(page, t) for t in _LINK_TARGET.findall(text) if "articles/" in t)
    return linked


def feeding_articles(docs: Path) -> dict[str, set[str]]:
    """Topic id → article pages whose Topics line names it (what the article page says it feeds)."""
    feeds: dict[str, set[str]] = {}
    for path in (docs / "articles").rglob("*.md"):
        page = path.relative_to(docs).as_posix()
        line = _TOPIC_LINE.search(path.read_text(encoding="utf-8"))
        for target in _LINK_TARGET.findall(line[1]) if line else ():
            topic = _resolve(page, target).removeprefix("topics/").removesuffix(".md")
            feeds.setdefault(topic, set()).add(page)
    return feeds


def check_site(docs: Path) -> dict[str, int]:
    """Check every brief of a built docs/ folder; return reading words per topic."""
    words = {}
    feeds = feeding_articles(docs)
    for brief in sorted((docs / "topics").glob("*.md")):
        words[brief.stem] = check_brief(docs, brief.stem)
        missing = feeds.get(brief.stem, set()) - reachable(docs, brief.stem)
        assert not missing, f"{brief.name}: {len(missing)} articles unreachable, e.g. {sorted(missing)[:3]}"
    return words
