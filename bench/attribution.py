"""Attribution benchmark: do the briefs' Positions quote each actor's own statements?

    python -m bench.attribution [--corpus DIR] [--workdir DIR] [--results FILE] [--json FILE]

Turns a corpus of news articles with hand-annotated attributions (PolNeAR's brat standoff files,
`../shared/corpus/attribution-train/`, see its README) into a Briefdesk project: one article per
text (headline, date and publisher from `metadata.tsv`, each paragraph a passage), the 30 actors
and 18 topics of ACTORS and TOPICS below (the 2015-16 US campaign). It builds the project
(`briefdesk build --markdown-only`, in a subprocess) and scores every line under Positions:

- **right** when the line's sentence lies in an annotated statement (it holds the statement's cue,
  or at least half of it lies in the statement's content) whose annotated source is that actor.
  A source span resolves to an actor when it names one (an alias, not after a different first
  name: "Eric Trump" is not Donald Trump); a pronoun or description source ("he", "the
  candidate") takes the nearest earlier source span that names someone, as the corpus README
  advises. This resolution is the benchmark's own, independent of the builder's rules.
- **recall**: of the (topic, actor) pairs with at least one annotated statement by the actor in a
  passage routed to the topic as a development, the share whose brief has a right line for the
  actor.

`--results bench/RESULTS.md` writes the figures there as a section of its own (SECTION), which
`bench.run` keeps when it rewrites the file. Not a test: it reads ../shared, which a developer's
machine may not have.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SECTION = "## Attribution: who said what (bench/attribution.py)"
"""The heading of this benchmark's section of bench/RESULTS.md."""
HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "attribution-train"

ACTORS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # id: (kind, name, more aliases)
    "donald-trump": ("person", "Donald Trump", ("Trump", "Donald J. Trump", "Mr. Trump")),
    "hillary-clinton": (
        "person",
        "Hillary Clinton",
        ("Clinton", "Hillary", "Hillary Rodham Clinton", "Mrs. Clinton"),
    ),
    "bill-clinton": ("person", "Bill Clinton", ("Mr. Clinton", "President Clinton")),
    "bernie-sanders": ("person", "Bernie Sanders", ("Sanders", "Mr. Sanders")),
    "ted-cruz": ("person", "Ted Cruz", ("Cruz", "Mr. Cruz")),
    "marco-rubio": ("person", "Marco Rubio", ("Rubio", "Mr. Rubio")),
    "barack-obama": ("person", "Barack Obama", ("Obama", "Mr. Obama", "President Obama")),
    "ben-carson": ("person", "Ben Carson", ("Carson", "Dr. Carson")),
    "john-kasich": ("person", "John Kasich", ("Kasich", "Mr. Kasich")),
    "jeb-bush": ("person", "Jeb Bush", ("Jeb", "Mr. Bush")),
    "chris-christie": ("person", "Chris Christie", ("Christie", "Mr. Christie")),
    "carly-fiorina": ("person", "Carly Fiorina", ("Fiorina", "Mrs. Fiorina", "Ms. Fiorina")),
    "lindsey-graham": ("person", "Lindsey Graham", ("Graham", "Mr. Graham")),
    "paul-ryan": ("person", "Paul Ryan", ("Ryan", "Mr. Ryan")),
    "mike-pence": ("person", "Mike Pence", ("Pence", "Mr. Pence")),
    "tim-kaine": ("person", "Tim Kaine", ("Kaine", "Mr. Kaine")),
    "joe-biden": ("person", "Joe Biden", ("Biden", "Mr. Biden")),
    "harry-reid": ("person", "Harry Reid", ("Reid", "Mr. Reid")),
    "rand-paul": ("person", "Rand Paul", ("Mr. Paul",)),
    "mike-huckabee": ("person", "Mike Huckabee", ("Huckabee", "Mr. Huckabee")),
    "martin-omalley": ("person", "Martin O'Malley", ("O'Malley", "O’Malley", "Martin O’Malley")),
    "mitch-mcconnell": ("person", "Mitch McConnell", ("McConnell", "Mr. McConnell")),
    "reince-priebus": ("person", "Reince Priebus", ("Priebus", "Mr. Priebus")),
    "corey-lewandowski": ("person", "Corey Lewandowski", ("Lewandowski", "Mr. Lewandowski")),
    "paul-manafort": ("person", "Paul Manafort", ("Manafort", "Mr. Manafort")),
    "elizabeth-warren": ("person", "Elizabeth Warren", ("Warren", "Ms. Warren")),
    "scott-walker": ("person", "Scott Walker", ("Walker", "Mr. Walker")),
    "rick-santorum": ("person", "Rick Santorum", ("Santorum", "Mr. Santorum")),
    "eric-trump": ("person", "Eric Trump", ()),
    "james-comey": ("person", "James Comey", ("Comey", "Mr. Comey")),
}
"""The campaign's most quoted people (by annotated source), as a desk would file them."""

TOPICS: dict[str, tuple[str, ...]] = {
    "immigration": ("Immigration", "immigrants", "immigrant", "border wall", "deportation", "undocumented"),
    "iowa": ("Iowa", "Iowa caucuses"),
    "new-hampshire": ("New Hampshire",),
    "south-carolina": ("South Carolina",),
    "florida": ("Florida",),
    "nevada": ("Nevada",),
    "supreme-court": ("Supreme Court",),
    "emails": ("email server", "private email", "emails", "private server"),
    "health-care": ("health care", "Obamacare", "Affordable Care Act", "health insurance"),
    "islamic-state": ("Islamic State", "ISIS", "ISIL"),
    "iran": ("Iran",),
    "taxes": ("taxes", "tax plan", "tax cuts", "tax returns"),
    "guns": ("gun control", "guns", "Second Amendment", "gun violence"),
    "trade": ("trade deal", "trade deals", "Trans-Pacific Partnership", "NAFTA", "trade"),
    "wall-street": ("Wall Street",),
    "muslims": ("Muslims", "Muslim"),
    "abortion": ("abortion", "Planned Parenthood"),
    "economy": ("economy", "jobs", "wages"),
}
"""Campaign issues and early states, each a brief; the first alias is the title."""

_PRONOUN = re.compile(
    r"^(?:he|she|they|it|i|we|you|his|her|their|its|him|them|who|which|that|this|the\s.*|a\s.*|an\s.*"
    r"|mr\.|mrs\.|ms\.|[a-z].*)$",
    re.IGNORECASE,
)
_TITLES = {
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "sen.",
    "gov.",
    "president",
    "senator",
    "governor",
    "secretary",
    "former",
    "candidate",
    "rep.",
    "speaker",
    "vice",
    "state",
    "the",
    "republican",
    "democratic",
    "democrat",
    "presidential",
    "nominee",
    "gop",
    "u.s.",
    "hopeful",
    "rival",
    "frontrunner",
}


def _alias_pattern() -> list[tuple[re.Pattern[str], str]]:
    pairs = []
    for actor_id, (_, name, aliases) in ACTORS.items():
        for alias in (name, *aliases):
            pairs.append((alias, actor_id))
    pairs.sort(key=lambda p: -len(p[0]))
    return [(re.compile(r"(?<![\w'’])" + re.escape(a) + r"(?![\w])"), i) for a, i in pairs]


_ALIASES = _alias_pattern()


def actors_named(text: str) -> list[str]:
    """The actors `text` names (longest alias first; not after a different first name)."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, actor_id in _ALIASES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            before = text[: match.start()].split()
            alias = match.group()
            if (
                " " not in alias
                and before
                and before[-1][:1].isupper()
                and before[-1].casefold() not in _TITLES
                and not before[-1].endswith(("'s", "’s"))
            ):
                continue  # "Eric Trump", "Bill Clinton" as a surname match: someone else
            found.append((match.start(), actor_id))
    return [a for _, a in sorted(found)]


@dataclass(frozen=True)
class Annotated:
    """One annotated attribution, its source resolved."""

    actor: str | None
    cue: tuple[int, int]
    content: tuple[int, int] | None


def read_annotations(path: Path) -> list[Annotated]:
    spans: dict[str, tuple[str, int, int, str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 3:
            kind, *offsets = parts[1].split(" ")
            numbers = [int(n) for o in " ".join(offsets).split(";") for n in o.split()]
            spans[parts[0]] = (kind, min(numbers), max(numbers), parts[2] if len(parts) > 2 else "")
        elif parts[0].startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    # Sources in text order: a pronoun or description takes the nearest earlier named one.
    sources = sorted({spans[e["Source"]] for e in events if e.get("Source") in spans}, key=lambda s: s[1])
    resolved: dict[tuple[str, int, int, str], str | None] = {}
    last: str | None = None
    for source in sources:
        named = actors_named(source[3])
        if named:
            last = named[-1]
            resolved[source] = last
        elif _PRONOUN.match(source[3].strip()):
            resolved[source] = last
        else:
            last = None  # a name that is no actor's: someone else speaks now
            resolved[source] = None
    found = []
    for event in events:
        source = spans.get(event.get("Source", ""))
        cue = spans.get(event.get("Cue", ""))
        content = spans.get(event.get("Content", ""))
        if cue is None:
            continue
        found.append(
            Annotated(
                resolved.get(source) if source else None,
                (cue[1], cue[2]),
                (content[1], content[2]) if content else None,
            )
        )
    return found


def _markdown(paragraph: str) -> str:
    """A paragraph of plain text as Markdown that renders back to the same text."""
    text = re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(paragraph.split()))
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([-+=>])", r"\\\1", text))


def make_project(corpus: Path, out: Path) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Write the project; return slug -> (annotation file, paragraph offsets in the text)."""
    for folder in ("content/articles", "content/topics", "content/actors"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    (out / "site_config.yml").write_text(
        "site_name: Attribution benchmark\nsite_url: https://bench.example.org/\n", encoding="utf-8"
    )
    for actor_id, (kind, name, aliases) in ACTORS.items():
        listed = "".join(f"  - {json.dumps(a, ensure_ascii=False)}\n" for a in (name, *aliases))
        (out / "content/actors" / f"{actor_id}.md").write_text(
            f"---\nname: {json.dumps(name)}\nkind: {kind}\naliases:\n{listed}---\n", encoding="utf-8"
        )
    for topic_id, aliases in TOPICS.items():
        listed = "".join(f"  - {json.dumps(a)}\n" for a in aliases)
        (out / "content/topics" / f"{topic_id}.md").write_text(
            f"---\ntitle: {json.dumps(aliases[0].capitalize() if aliases[0].islower() else aliases[0])}\n"
            f"aliases:\n{listed}---\n",
            encoding="utf-8",
        )
    index: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    with (corpus / "metadata.tsv").open(encoding="utf-8") as rows:
        meta = {row["filename"]: row for row in csv.DictReader(rows, delimiter="\t")}
    annotations = {
        p.name.rsplit("_", 1)[0]: p for p in sorted((corpus / "attributions").glob("*.ann"), reverse=True)
    }
    for text_path in sorted((corpus / "text").glob("*.txt")):
        name = text_path.stem
        if name not in annotations or name not in meta:
            continue
        text = text_path.read_text(encoding="utf-8")
        headline_end = text.find("\n")
        offsets = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.start() > headline_end]
        offsets = [(s, e) for s, e in offsets if text[s:e].strip()]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
        row = meta[name]
        named = sorted(set(actors_named(text)))
        front = {
            "title": text[:headline_end].strip().rstrip(".") or name,
            "date": row["publication_date"],
            "source": row["publisher"],
            "slug": slug,
        }
        lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
        if named:
            lines.append("actors: [" + ", ".join(named) + "]")
        body = "\n\n".join(_markdown(text[s:e]) for s, e in offsets)
        (out / "content/articles" / f"{slug}.md").write_text(
            "---\n" + "\n".join(lines) + "\n---\n" + body + "\n", encoding="utf-8"
        )
        index[slug] = (str(annotations[name]), offsets)
        index[slug + "#text"] = (str(text_path), [])
    return index


_LINE = re.compile(
    r"^- \*\*\[[^\]]+\]\(\.\./actors/(?P<actor>[a-z0-9-]+)\.md\)\*\*.*?“(?P<sentence>.+?)” "
    r".*?\]\(\.\./articles/\d{4}/(?P<slug>[a-z0-9-]+)\.md#p-(?P<number>\d+)\)"
)


@dataclass(frozen=True)
class Line:
    topic: str
    actor: str
    slug: str
    passage: int
    sentence: str


def position_lines(docs: Path) -> list[Line]:
    lines = []
    for page in sorted((docs / "topics").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        start = text.find("\n## Positions\n")
        end = text.find("\n## ", start + 1)
        for raw in text[start:end].splitlines():
            match = _LINE.match(raw)
            if raw.startswith("- ") and match is None:
                lines.append(Line(page.stem, "?", "", 0, raw))
            elif match:
                sentence = re.sub(r"\\(.)", r"\1", match["sentence"]).removesuffix(" …")
                sentence = re.sub(r" \[\d{1,2} [A-Z][a-z]+ \d{4}\]", "", sentence)  # "on Monday [1 May 2016]"
                lines.append(Line(page.stem, match["actor"], match["slug"], int(match["number"]), sentence))
    return lines


def _locate(text: str, paragraph: tuple[int, int], sentence: str) -> tuple[int, int] | None:
    """Where `sentence` (whitespace-normalised, maybe cut) lies in the paragraph of `text`."""
    start, end = paragraph
    words = sentence.split()
    pattern = r"\s+".join(re.escape(w) for w in words[:12])
    found = re.search(pattern, text[start:end])
    if not found:
        return None
    begin = start + found.start()
    tail = r"\s+".join(re.escape(w) for w in words[-6:])
    last = re.search(tail, text[begin:end])
    return begin, (begin + last.end()) if last else end


def is_right(span: tuple[int, int], actor: str, annotated: Sequence[Annotated]) -> bool:
    for item in annotated:
        if item.actor != actor:
            continue
        if span[0] <= item.cue[0] and item.cue[1] <= span[1]:
            return True
        if item.content:
            inside = max(0, min(span[1], item.content[1]) - max(span[0], item.content[0]))
            if inside * 2 >= span[1] - span[0]:
                return True
    return False


def developments(project: Path) -> dict[str, dict[str, set[int]]]:
    """Topic -> slug -> passage numbers routed to it as developments (the builder's own routing)."""
    sys.path.insert(0, str(HERE.parent))
    from builder.content.project import load_project
    from builder.diagnostics import Diagnostics
    from builder.pipeline.pipeline import route_articles

    loaded = load_project(project, Diagnostics())
    assert loaded is not None
    routed: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for slug, routes in route_articles(loaded, jobs=1).items():
        for passage in routes.passages:
            for topic in passage.developments:
                routed[topic][slug].add(passage.number)
    return routed


def score(project: Path, index: dict[str, tuple[str, list[tuple[int, int]]]]) -> dict[str, object]:
    lines = position_lines(project / "build" / "docs")
    annotated = {
        slug: read_annotations(Path(path)) for slug, (path, offs) in index.items() if "#" not in slug
    }
    texts = {
        slug.removesuffix("#text"): Path(p).read_text(encoding="utf-8")
        for slug, (p, _) in index.items()
        if slug.endswith("#text")
    }
    right = wrong_speaker = nobody = unlocated = 0
    right_pairs: set[tuple[str, str]] = set()
    examples: list[str] = []
    for line in lines:
        if line.slug not in index:
            unlocated += 1
            continue
        offsets = index[line.slug][1]
        span = (
            _locate(texts[line.slug], offsets[line.passage - 1], line.sentence)
            if line.passage <= len(offsets)
            else None
        )
        if span is None:
            unlocated += 1
            continue
        if is_right(span, line.actor, annotated[line.slug]):
            right += 1
            right_pairs.add((line.topic, line.actor))
        elif any(
            (span[0] <= a.cue[0] < span[1])
            or (a.content and a.content[0] < span[1] and span[0] < a.content[1])
            for a in annotated[line.slug]
        ):
            wrong_speaker += 1
            examples.append(f"{line.topic} / {line.actor}: {line.sentence[:140]}")
        else:
            nobody += 1
            examples.append(f"{line.topic} / {line.actor} (nobody's statement): {line.sentence[:140]}")
    routed = developments(project)
    pairs: set[tuple[str, str]] = set()
    for topic, slugs in routed.items():
        for slug, numbers in slugs.items():
            offsets = index[slug][1]
            for item in annotated[slug]:
                if item.actor is None:
                    continue
                for number in numbers:
                    start, end = offsets[number - 1]
                    if start <= item.cue[0] < end:
                        pairs.add((topic, item.actor))
    total = len(lines)
    return {
        "lines": total,
        "right": right,
        "wrong_speaker": wrong_speaker,
        "nobody": nobody,
        "unlocated": unlocated,
        "precision": right / total if total else 0.0,
        "pairs": len(pairs),
        "pairs_right": len(right_pairs & pairs),
        "recall": len(right_pairs & pairs) / len(pairs) if pairs else 0.0,
        "wrong_examples": examples,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--results", type=Path, help="write the figures as a section of this Markdown file")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-wrong", type=int, default=0, help="print this many wrong lines")
    options = parser.parse_args(argv)
    work = options.workdir or Path(tempfile.mkdtemp(prefix="bench-attribution-"))
    project = work / "project"
    index = make_project(options.corpus, project)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "--project", str(project), "--markdown-only"],
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=HERE.parent,
    )
    built = time.perf_counter() - began
    result = score(project, index)
    result["build_seconds"] = built
    result["articles"] = sum(1 for k in index if "#" not in k)
    summary = (
        f"{result['articles']} articles, {len(ACTORS)} actors, {len(TOPICS)} topics: "
        f"{result['right']} of {result['lines']} position lines right "
        f"({100 * float(result['precision']):.1f} %); "
        f"{result['wrong_speaker']} quote someone else's statement, {result['nobody']} nobody's, "
        f"{result['unlocated']} not found in the text; recall {result['pairs_right']} of {result['pairs']} "
        f"(topic, actor) pairs ({100 * float(result['recall']):.1f} %)"
    )
    print(summary)
    for example in list(result["wrong_examples"])[: options.show_wrong]:  # type: ignore[call-overload]
        print("  ✗", example)
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if options.results:
        write_section(options.results, options.corpus, result)


def write_section(path: Path, corpus: Path, result: dict[str, object]) -> None:
    """Replace (or add) this benchmark's section of `path` with a row for `corpus`, keeping the
    rows of other corpora (the training set's and the held-out set's sit side by side)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    before, _, section = old.partition(SECTION)
    rows = [row for row in section.splitlines() if row.startswith("| ") and not row.startswith("| corpus")]
    rows = [r for r in rows if not r.startswith(f"| {corpus.name} |")]
    rows.append(
        f"| {corpus.name} | {result['articles']} | {result['lines']} | {result['right']} | "
        f"{100 * float(result['precision']):.1f} % | {result['wrong_speaker']} | {result['nobody']} | "
        f"{result['unlocated']} | {result['pairs_right']} of {result['pairs']} "
        f"({100 * float(result['recall']):.1f} %) |"
    )
    table = "\n".join(
        [
            "| corpus | articles | position lines | right | right % (≥ 85 %) | someone else's | nobody's "
            "| not found | recall: (topic, actor) pairs with a right line |",
            "|---|---|---|---|---|---|---|---|---|",
            *sorted(rows),
        ]
    )
    text = f"{before.rstrip()}\n\n{SECTION}\n\n{INTRODUCTION}\n\n{table}\n\n{NOTES}\n"
    path.write_text(text.lstrip("\n"), encoding="utf-8")


INTRODUCTION = (
    f"A project of the corpus's articles, {len(ACTORS)} actors and {len(TOPICS)} topics "
    "(bench/attribution.py), built with `--markdown-only`; every line under Positions is scored "
    "against the hand annotations: right when its sentence lies in an annotated statement (holds its "
    "cue, or lies half in its content) whose source resolves to that actor."
)
NOTES = (
    "Before attribution (positions as sentences that name the actor, commit 1ba3ecc), the same "
    "benchmark on attribution-train gave 109 of 209 lines right (52.2 %): 72 quoted someone else's "
    "statement, 22 nobody's, 6 were headline-only lines with no sentence; recall 109 of 241 (45.2 %).\n\n"
    "Cost (2026-12-02, machine busy with other sessions, so ratios of runs minutes apart): `build "
    "--markdown-only --no-cache` of 1,000 generated articles (`python -m bench.corpus 1000`) took 4.3 s "
    "of CPU against 3.1 s before attribution (route stage 1.8 s against 0.6 s), about 1.35 ×; the "
    "generated corpus has a verb of saying in most sentences. The target (≤ 1.15 × at 10,000) is not "
    "met; at 10,000 articles the machine was too busy to time the whole build reliably."
)


if __name__ == "__main__":
    main()
