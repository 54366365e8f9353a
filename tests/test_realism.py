"""Properties that must hold on real text: the 779 UN General Debate speeches and their 28 topics."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.briefcheck import check_site
from tests.conftest import run, shared

pytestmark = pytest.mark.slow

_MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}
_HEADER = re.compile(r"^\*\*(\d{1,2}) (\w+) (\d{4})\*\* · ")
_PASSAGE_LINK = re.compile(
    r' ?<span class="bd-permalink">\[<span aria-hidden="true">¶&nbsp;\d+</span>'
    r'<span class="bd-sr-only">Passage (\d+) in context</span>\]\(\.\./(articles/\d{4}/[a-z0-9-]+\.md)#p-(\d+)\)</span>$'
)
_SOURCE_REF = re.compile(r"\[Source (\d+)\]\(#source-(\d+)\)")


@pytest.fixture(scope="module")
def ungdc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = shared("corpus", "ungdc-2015-2018")
    root = tmp_path_factory.mktemp("ungdc") / "project"
    shutil.copytree(corpus, root)
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    return root


def _aliases(root: Path, topic: str) -> list[str]:
    text = (root / "content/topics" / f"{topic}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    return list(meta.get("aliases") or [meta["title"]])


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def _plain(quote: str) -> str:
    quote = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", quote)  # link text counts, URLs do not
    return " ".join(re.sub(r"[*_`>|#]", " ", quote).replace("’", "'").split()).lower()


def test_briefs_hold_on_real_text(ungdc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = ungdc / "build/docs"
    counts: Counter[str] = Counter()
    articles: dict[str, str] = {}
    for brief in sorted((docs / "topics").glob("*.md")):
        text = brief.read_text(encoding="utf-8")
        header_line = re.search(r"^([\d,]+) articles? · ", text, re.M)
        articles[brief.stem] = header_line[1] if header_line else "0"
        aliases = [a.lower().replace("’", "'") for a in _aliases(ungdc, brief.stem)]
        patterns = [
            re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, a.split())) + r"(?:'s|s'|es|s|')?(?!\w)")
            for a in aliases
        ]
        developments = _section(text, "Latest developments")
        sources = _section(text, "Sources")
        source_ids = set(re.findall(r'<span id="source-(\d+)"></span>', sources))
        seen: set[tuple[str, str]] = set()
        dates: list[dt.date] = []
        quote: list[str] = []
        for line in developments.splitlines():
            header = _HEADER.match(line)
            if header:
                dates.append(dt.date(int(header[3]), _MONTHS[header[2]], int(header[1])))
                for number, anchor in _SOURCE_REF.findall(line):
                    assert number == anchor and number in source_ids, (brief.name, line)
            elif line.startswith(">") and (link := _PASSAGE_LINK.search(line)) is not None:
                quote.append(line[1 : link.start()].strip())  # the permalink ends the quote
                number, page, anchor = link.groups()
                assert number == anchor
                passage = "\n".join(quote)
                quote = []
                assert any(p.search(_plain(passage)) for p in patterns), (brief.name, page, number)
                assert (page, number) not in seen, f"{brief.name} quotes {page}#p-{number} twice"
                seen.add((page, number))
                article = (docs / page).read_text(encoding="utf-8")
                assert f'<div class="passage" id="p-{number}" markdown>' in article, (page, number)
                counts[brief.stem] += 1
            elif line.startswith(">"):
                quote.append(line[1:].strip())
        assert dates == sorted(dates, reverse=True), f"{brief.name} is not newest first"
        for number, anchor in _SOURCE_REF.findall(text):
            assert number == anchor and number in source_ids, (brief.name, number)
    with capsys.disabled():
        print(
            "\narticles per topic (quoted passages checked):",
            ", ".join(f"{t} {articles[t]} ({n})" for t, n in sorted(counts.items())),
        )
    assert len(counts) >= 20


def test_briefs_are_bounded_digests(ungdc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two years of speeches make briefs of at most 4,000 words, each passage quoted once, and every
    article feeding a topic is linked from its brief or yearly archive."""
    words = check_site(ungdc / "build/docs")
    assert len(words) >= 20
    with capsys.disabled():
        print(f"\nbrief words: max {max(words.values())}, median {sorted(words.values())[len(words) // 2]}")
