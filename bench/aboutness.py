"""Measure how well briefs take articles about their topic: `python -m bench.aboutness`.

Three measurements on real text (see bench/RESULTS.md, "Aboutness"):

1. **Held out, the demo**: every article's `topics` (the editors' word) is removed before
   routing, so aboutness decides from the text alone; the editors' topics are then the truth.
   Per brief: the share of Latest developments (each report of a grouped event counted) that the
   editors filed under the topic, today and as routing without aboutness would have it; and the
   share of (article, topic) pairs the editors made that are still reachable (routed: the
   brief or its yearly archive links the article).
2. **The UN General Debate, 2015-2018** (`../shared/corpus/ungdc-2015-2018`): for each country
   topic, whether the country's own speeches are about it (each is, by any reading), and per
   brief how many routed speeches are only mentions; plus a sample of decisions printed for a
   reader to check (`--sample N`).
3. **The 40 real news pages** (`../shared/corpus/html-pages`): their main text routed with the
   demo's topics, every decision listed for a reader to check.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from builder.briefs.assembly import assemble
from builder.content.project import load_project
from builder.diagnostics import Diagnostics
from builder.markdown.passages import split_passages
from builder.model import Article, Project
from builder.pipeline.pipeline import route_articles
from builder.routing.router import Router

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
COUNTRIES = {
    "afghanistan": "AFG", "cyprus": "CYP", "haiti": "HTI", "iraq": "IRQ", "libya": "LBY",
    "myanmar": "MMR", "somalia": "SOM", "south-sudan": "SSD", "sudan": "SDN", "syria": "SYR",
    "ukraine": "UKR", "venezuela": "VEN", "yemen": "YEM",
}  # fmt: skip
"""The UN corpus's country topics and the ISO code of the country whose speeches are about it."""


def _load(root: Path) -> Project:
    project = load_project(root, Diagnostics())
    assert project is not None, f"{root} does not load"
    return project


def held_out(root: Path) -> dict[str, object]:
    """Measurement 1: the editors' `topics` removed, then taken as the truth."""
    project = _load(root)
    truth = {a.slug: set(a.topics) for a in project.published}
    stripped = dataclasses.replace(
        project, articles=tuple(dataclasses.replace(a, topics=()) for a in project.articles)
    )
    routes = route_articles(stripped)
    site = assemble(stripped, routes)
    per_brief: dict[str, tuple[float, float, int]] = {}
    for brief in site.briefs:
        shown = [d.article for d in brief.latest]
        shown += [o for d in brief.latest for o in brief.other_reports.get(d.article.slug, ())]
        if not shown:
            continue
        before = _without_aboutness(brief.developments, project.config.briefs.max_developments)
        right = sum(brief.topic.id in truth[a.slug] for a in shown) / len(shown)
        right_before = sum(brief.topic.id in truth[a.slug] for a in before) / len(before)
        per_brief[brief.topic.id] = (right, right_before, len(shown))
    pairs = [(slug, t) for slug, topics in truth.items() for t in topics]
    reachable = sum(t in routes[slug].topics for slug, t in pairs) / len(pairs) if pairs else 1.0
    return {"briefs": per_brief, "reachable": reachable, "pairs": len(pairs)}


def _without_aboutness(developments: Sequence[object], limit: int) -> list[Article]:
    """The articles Latest developments took before aboutness: the newest with a routed passage."""
    seen: dict[str, Article] = {}
    for excerpt in developments:
        article = excerpt.article  # type: ignore[attr-defined]
        seen.setdefault(article.slug, article)
    return list(seen.values())[:limit]


def speeches(root: Path, sample: int) -> dict[str, object]:
    """Measurement 2: the UN speeches."""
    project = _load(root)
    router = Router(project.topics, project.actors, project.config.routing)
    own: Counter[str] = Counter()
    own_about: Counter[str] = Counter()
    routed: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    decisions: list[tuple[str, str, bool, int, str]] = []
    for article in project.published:
        route = router.route(article)
        iso = str(article.extra.get("country_iso3", ""))
        for topic in route.topics:
            routed[topic] += 1
            about = topic in route.about
            mentions[topic] += not about
            if COUNTRIES.get(topic) == iso:
                own[topic] += 1
                own_about[topic] += about
            # The passage that decided: the first about the topic, else the first naming it.
            first = next((r for r in route.passages if topic in r.about), None) or next(
                r for r in route.passages if topic in r.mentioned
            )
            decisions.append(
                (topic, article.slug, about, first.number, article.passages[first.number - 1].text)
            )
    rng = random.Random("briefdesk-aboutness")
    picked = rng.sample([d for d in decisions if d[2]], sample) + rng.sample(
        [d for d in decisions if not d[2]], sample
    )
    return {
        "own_speech_recall": {t: (own_about[t], own[t]) for t in sorted(own)},
        "mention_share": {t: (mentions[t], routed[t]) for t in sorted(routed)},
        "sample": picked,
    }


def pages(folder: Path, demo: Path) -> list[tuple[str, str, bool, str]]:
    """Measurement 3: the news pages' main text routed with the demo's topics."""
    import trafilatura

    project = _load(demo)
    router = Router(project.topics, project.actors, project.config.routing)
    found = []
    for entry in json.loads((folder / "_index.json").read_text(encoding="utf-8")):
        html = (folder / f"{entry['id']}.html").read_bytes()
        text = trafilatura.extract(html.decode("utf-8", "replace")) or ""
        passages, blocks = split_passages("\n\n".join(p for p in text.split("\n") if p.strip()))
        article = Article(
            path=entry["id"], slug=entry["id"], title=entry.get("title") or "",
            date=project.published[0].date, source="page", url=None, topics=(), actors=(),
            summary=None, tags=(), draft=False, extra={}, passages=passages, blocks=blocks,
        )  # fmt: skip
        route = router.route(article)
        for topic in route.topics:
            first = next(r for r in route.passages if topic in r.mentioned)
            found.append((entry["id"], topic, topic in route.about, passages[first.number - 1].text[:160]))
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.aboutness", description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=REPO)
    parser.add_argument("--ungdc", type=Path, default=SHARED / "corpus" / "ungdc-2015-2018")
    parser.add_argument("--pages", type=Path, default=SHARED / "corpus" / "html-pages")
    parser.add_argument(
        "--sample", type=int, default=15, help="decisions of each kind printed from the UN speeches"
    )
    args = parser.parse_args(argv)
    result = held_out(args.demo)
    briefs: dict[str, tuple[float, float, int]] = result["briefs"]  # type: ignore[assignment]
    print("## Held out: the demo, its editors' topics removed, then the truth\n")
    print("| brief | developments | about the topic | without aboutness |\n|---|---|---|---|")
    for topic, (right, before, shown) in sorted(briefs.items()):
        print(f"| {topic} | {shown} | {right:.0%} | {before:.0%} |")
    mean = sum(r for r, _, _ in briefs.values()) / len(briefs)
    mean_before = sum(b for _, b, _ in briefs.values()) / len(briefs)
    worst = min(r for r, _, _ in briefs.values())
    worst_before = min(b for _, b, _ in briefs.values())
    print(
        f"| **mean** | | **{mean:.0%}** (worst {worst:.0%}) | {mean_before:.0%} (worst {worst_before:.0%}) |"
    )
    pairs = result["pairs"]
    print(f"\nreachable: {result['reachable']:.1%} of {pairs} (article, topic) pairs the editors made\n")
    if args.ungdc.is_dir():
        un = speeches(args.ungdc, args.sample)
        print("## UN General Debate 2015-2018\n\nown speeches about their country:")
        for topic, (about, total) in un["own_speech_recall"].items():  # type: ignore[attr-defined]
            print(f"  {topic}: {about}/{total}")
        print("routed speeches that only mention the topic:")
        for topic, (only, total) in un["mention_share"].items():  # type: ignore[attr-defined]
            print(f"  {topic}: {only}/{total}")
        print("\nsample of decisions (topic, speech, about?, passage):")
        for topic, slug, about, number, text in un["sample"]:  # type: ignore[attr-defined]
            print(f"- {topic} {slug}#p-{number} {'ABOUT' if about else 'mention'}: {text[:400]}")
    if args.pages.is_dir():
        print("\n## The 40 news pages, routed with the demo's topics\n")
        for page, topic, about, text in pages(args.pages, args.demo):
            print(f"- {page} {topic} {'ABOUT' if about else 'mention'}: {text}")


if __name__ == "__main__":
    main()
