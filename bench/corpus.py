"""Generate a deterministic benchmark project of N articles: `python -m bench.corpus N OUTDIR`.

Every article is drawn from its own random stream, seeded by its index, so the same N always gives
byte-identical files and the corpus of N articles is a prefix of the corpus of any larger N (article
#17 is the same file at N = 1,000 and N = 10,000). That keeps per-size measurements comparable.

Each article has 6-14 passages of 40-120 words, mostly paragraphs with now and then a list, a
blockquote, a heading or a link, as curated news reads. Its topics are of three kinds, so routing
does all of its work:

* primary topics, listed in `topics` and named in some passages (routed by mention);
* at most one listed-only topic, in `topics` but never named (the brief falls back to the summary);
* incidental topics, named in a passage but not listed (found only by automatic routing).

Dates span five years (2019-2023); about 3% of articles are drafts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import vocabulary as vocab

SEED = "briefdesk-bench-v1"
"""Changing this (or the vocabulary) changes every generated file: bump it deliberately."""
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = (dt.date(2023, 12, 31) - FIRST_DAY).days + 1
DRAFT_SHARE = 0.03
TOPICS_BY_ID = {topic.id: topic for topic in vocab.TOPICS}


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One article of the corpus: where it goes and its full text."""

    path: str
    """Project-relative POSIX path."""
    text: str


def _q(value: str) -> str:
    """A YAML double-quoted scalar: JSON strings are valid YAML and never read as dates or booleans."""
    return json.dumps(value, ensure_ascii=False)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(words: str) -> str:
    return words[0].upper() + words[1:] + "."


class _Writer:
    """Prose for one article, from its own random stream."""

    def __init__(self, rng: random.Random, actors: Sequence[vocab.ActorSpec]) -> None:
        self.rng = rng
        self.actors = actors

    def mention(self, topic: vocab.TopicSpec) -> str:
        """A noun phrase naming the topic, sometimes possessive, as reporters write it."""
        alias = self.rng.choice(topic.aliases)
        if alias in vocab.DEMONYMS:
            return f"{alias} {self.rng.choice(vocab.GROUPS)}"
        if alias[0].isupper() and self.rng.random() < 0.3:
            return f"{alias}'s {self.rng.choice(vocab.SITUATION_NOUNS)}"
        return f"the {self.rng.choice(vocab.SITUATION_NOUNS)} around {alias}"

    def speaker(self) -> str:
        if self.actors and self.rng.random() < 0.6:
            actor = self.rng.choice(self.actors)
            if actor.kind == "person":
                return self.rng.choice(actor.aliases)
            return f"{self.rng.choice(vocab.OFFICIALS)} of {self.rng.choice(actor.aliases)}"
        return self.rng.choice(vocab.OFFICIALS)

    def sentence(self, topic: vocab.TopicSpec | None) -> str:
        rng = self.rng
        subject = self.mention(topic) if topic else rng.choice(vocab.SUBJECTS)
        kind = rng.randrange(4)
        if kind == 0:
            said = rng.choice(vocab.SAY_VERBS)
            text = f"{self.speaker()} {said} that {subject} {rng.choice(vocab.PREDICATES)}"
        elif kind == 1:
            text = f"{rng.choice(vocab.CONNECTORS)}, {rng.choice(vocab.OBSERVATIONS)}"
            if topic:
                text += f", with {subject} at the centre of the discussion"
        elif kind == 2:
            text = f"{subject} {rng.choice(vocab.PREDICATES)}, {self.speaker()} {rng.choice(vocab.SAY_VERBS)}"
        else:
            text = f"{rng.choice(vocab.OBSERVATIONS)}, and {subject} {rng.choice(vocab.PREDICATES)}"
        return _sentence(text)

    def paragraph(self, topics: Sequence[vocab.TopicSpec]) -> str:
        """40-120 words; each named topic appears in one of its sentences."""
        target = self.rng.randint(40, 120)
        pending = list(topics)
        sentences: list[str] = []
        words = 0
        while words < target or pending:
            topic = pending.pop() if pending and self.rng.random() < 0.5 else None
            sentence = self.sentence(topic)
            if self.rng.random() < 0.05:
                # A link: its text counts for routing, its URL does not.
                sentence = (
                    sentence[:-1]
                    + f" ([statement](https://example.org/statements/{self.rng.randrange(10**6)}))."
                )
            sentences.append(sentence)
            words += len(sentence.split())
        return " ".join(sentences)

    def passage(self, topics: Sequence[vocab.TopicSpec]) -> str:
        roll = self.rng.random()
        if roll < 0.06:
            items = [self.sentence(topic) for topic in topics] or []
            while len(items) < 3:
                items.append(self.sentence(None))
            return "\n".join(f"- {item}" for item in items)
        if roll < 0.10:
            quote = self.paragraph(topics)
            return f"> {quote}\n>\n> — {self.speaker()}"
        return self.paragraph(topics)


def generate_article(index: int) -> GeneratedArticle:
    """Article number `index` (from 0): a pure function of the index and SEED."""
    rng = random.Random(f"{SEED}:article:{index}")
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    topic_count = rng.choices((1, 2, 3, 4), weights=(3, 5, 3, 1))[0]
    chosen = rng.sample(vocab.TOPICS, topic_count + 3)
    primary = chosen[:topic_count]
    listed_only = chosen[topic_count] if rng.random() < 0.35 else None
    incidental = chosen[topic_count + 1 : topic_count + 1 + rng.choice((0, 0, 1, 2))]
    actors = rng.sample(vocab.ACTORS, rng.randint(1, 4))
    writer = _Writer(rng, actors)

    passages: list[str] = []
    for number in range(rng.randint(6, 14)):
        if number > 2 and rng.random() < 0.08:
            passages.append(f"## {rng.choice(('Background', 'Reactions', 'What comes next', 'Context'))}")
        named = [topic for topic in primary if number == 0 or rng.random() < 0.35]
        named += [topic for topic in incidental if rng.random() < 0.15]
        passages.append(writer.passage(named))

    lead = primary[0]
    who = actors[0].name
    if rng.random() < 0.5:
        title = f"{who} and partners {rng.choice(vocab.TITLE_VERBS)} {lead.title}"
    else:
        title = f"{lead.title}: {rng.choice(vocab.TITLE_NOUNS)}"
    summary = _sentence(
        f"{who} {rng.choice(vocab.SAY_VERBS)} that {writer.mention(lead)} {rng.choice(vocab.PREDICATES)}"
    )
    listed = [topic.id for topic in primary] + ([listed_only.id] if listed_only else [])
    slug = f"{_slugify(title)[:60].rstrip('-')}-{index:05d}"

    lines = [
        "---",
        f"title: {_q(title)}",
        f"date: {day.isoformat()}",
        f"source: {_q(rng.choice(vocab.SOURCES))}",
        f"url: https://news.example.org/{day.year}/{slug}",
        f"topics: [{', '.join(listed)}]",
        f"actors: [{', '.join(actor.id for actor in actors)}]",
        f"summary: {_q(summary)}",
    ]
    if rng.random() < 0.4:
        lines.append(f"tags: [{', '.join(_q(tag) for tag in rng.sample(vocab.TAGS, rng.randint(1, 3)))}]")
    if rng.random() < DRAFT_SHARE:
        lines.append("draft: true")
    lines.append("---")
    text = "\n".join(lines) + "\n" + "\n\n".join(passages) + "\n"
    return GeneratedArticle(f"content/articles/{day.year}/{day.month:02d}/{slug}.md", text)


def topic_file(topic: vocab.TopicSpec) -> str:
    """content/topics/<id>.md: front matter and a short editors' overview."""
    lines = ["---", f"title: {_q(topic.title)}", "aliases:"]
    lines += [f"  - {_q(alias)}" for alias in topic.aliases]
    if topic.exclude:
        lines.append("exclude:")
        lines += [f"  - {_q(phrase)}" for phrase in topic.exclude]
    if topic.id in vocab.RELATED:
        lines.append(f"related: [{', '.join(vocab.RELATED[topic.id])}]")
    lines += [
        f"region: {_q(topic.region)}",
        f"summary: {_q(f'Developments on {topic.title}, passage by passage.')}",
        "---",
        f"This brief follows {topic.title}: the state of negotiations, the positions of the parties "
        "and the humanitarian and security picture, as reported by the desk's sources.",
        "",
        "What to watch: the next round of talks, the mandates up for renewal and the funding gap.",
    ]
    return "\n".join(lines) + "\n"


def actor_file(actor: vocab.ActorSpec) -> str:
    """content/actors/<id>.md."""
    lines = ["---", f"name: {_q(actor.name)}", f"kind: {actor.kind}", "aliases:"]
    lines += [f"  - {_q(alias)}" for alias in actor.aliases]
    lines += ["---", f"{actor.name}, as followed by the desk.", ""]
    return "\n".join(lines)


SITE_CONFIG = """\
# Generated by bench/corpus.py: a synthetic desk for benchmarks.
site_name: Briefdesk benchmark desk
site_url: https://bench.example.org/
site_description: A synthetic archive of curated articles for measuring build time.
"""


def generate(count: int, out: Path) -> int:
    """Write a project of `count` articles under `out` (created if missing); return files written."""
    files: dict[str, str] = {"site_config.yml": SITE_CONFIG}
    for topic in vocab.TOPICS:
        files[f"content/topics/{topic.id}.md"] = topic_file(topic)
    for actor in vocab.ACTORS:
        files[f"content/actors/{actor.id}.md"] = actor_file(actor)
    for index in range(count):
        article = generate_article(index)
        files[article.path] = article.text
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return len(files)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("outdir", type=Path, help="project folder to write (created if missing)")
    args = parser.parse_args(argv)
    written = generate(args.count, args.outdir)
    print(f"wrote {written:,} files ({args.count:,} articles) under {args.outdir}")


if __name__ == "__main__":
    main()
