"""Positions by speaker: the brief and the actor pages quote what each actor itself said."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.briefcheck import section
from tests.conftest import REPO, ProjectFactory, run, shared

ACTORS = {
    "content/actors/taliban.md": "---\nname: Taliban\nkind: group\naliases: [Taliban]\n---\n",
    "content/actors/russia.md": "---\nname: Russia\nkind: state\naliases: [Russia, Moscow, Kremlin]\n---\n",
    "content/actors/pakistan.md": "---\nname: Pakistan\nkind: state\naliases: [Pakistan, Islamabad]\n---\n",
}
TALKS = """\
    ---
    title: Talks in Guilin
    date: 2021-03-22
    source: CGTN
    ---
    Pakistan urged the Taliban to join the talks on Afghanistan without delay.

    The Kremlin said the Afghan talks had made progress. It added that a ceasefire was needed.

    Moscow has hosted consultations on Afghanistan since 2017.
    """
EARLIER = """\
    ---
    title: Earlier talks
    date: 2021-03-01
    source: TASS
    ---
    Russia said the Afghan parties should meet again in Moscow.
    """


def positions(root: Path, topic: str = "afghanistan") -> list[str]:
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    text = (root / "build/docs/topics" / f"{topic}.md").read_text(encoding="utf-8")
    lines = [line for line in section(text, "Positions").splitlines() if line and not line.startswith("## ")]
    return [re.sub(r' <span class="bd-permalink">.*?\)</span>', "", line) for line in lines]


def test_each_actor_is_quoted_in_its_own_words(make_project: ProjectFactory) -> None:
    root = make_project(
        {**ACTORS, "content/articles/2021/talks.md": TALKS, "content/articles/2021/earlier.md": EARLIER}
    )
    lines = positions(root)
    assert lines == [
        "- **[Russia](../actors/russia.md)**, 22 March 2021: “The Kremlin said the Afghan talks had made "
        "progress.” · [Source 1](#source-1) · in a passage quoted above · 3 statements on this topic",
        "- **[Pakistan](../actors/pakistan.md)**, 22 March 2021: “Pakistan urged the Taliban to join the talks "
        "on Afghanistan without delay.” · [Source 1](#source-1) · in a passage quoted above",
        "Also named, with no statement on record: [Taliban](../actors/taliban.md).",
    ]


def test_no_statement_no_line(make_project: ProjectFactory) -> None:
    root = make_project({**ACTORS})
    assert positions(root) == [
        "No positions recorded yet: no cited article quotes an actor speaking on this topic."
    ]


def test_actor_page_shows_the_brief_s_sentence_and_latest_statements(make_project: ProjectFactory) -> None:
    root = make_project(
        {**ACTORS, "content/articles/2021/talks.md": TALKS, "content/articles/2021/earlier.md": EARLIER}
    )
    positions(root)
    page = (root / "build/docs/actors/russia.md").read_text(encoding="utf-8")
    assert (
        "| [Afghanistan](../topics/afghanistan.md) | “The Kremlin said the Afghan talks had made progress.” |"
        in page
    )
    statements = [line for line in section(page, "Latest statements").splitlines() if line.startswith("- ")]
    assert [re.sub(r" · \[.*", "", line) for line in statements] == [
        "- **22 March 2021**: “The Kremlin said the Afghan talks had made progress.”",
        "- **22 March 2021**: “It added that a ceasefire was needed.”",
        "- **1 March 2021**: “Russia said the Afghan parties should meet again in Moscow.”",
    ]
    taliban = (root / "build/docs/actors/taliban.md").read_text(encoding="utf-8")
    assert "No positions recorded yet: no article quotes Taliban speaking on a topic." in taliban
    assert "No statements by Taliban on record yet." in taliban


def test_speaker_front_matter_makes_the_whole_text_the_actor_s(make_project: ProjectFactory) -> None:
    speech = shared("corpus", "ungdc-2015-2018")
    source = sorted(speech.rglob("*.md"))
    paths = [p for p in source if "/articles/" in p.as_posix()]
    chosen = next(p for p in paths if "afghanistan" in p.read_text(encoding="utf-8").casefold())
    text = chosen.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    keep = [line for line in front.splitlines()[1:] if line.split(":")[0] in {"title", "date", "source"}]
    root = make_project(
        {
            **ACTORS,
            "content/articles/2021/speech.md": "---\n"
            + "\n".join([*keep, "speaker: pakistan"])
            + "\n---\n"
            + body,
        }
    )
    lines = positions(root)
    assert lines[0].startswith("- **[Pakistan](../actors/pakistan.md)**, ")
    assert "statements on this topic" in lines[0]


def test_speaker_must_be_a_known_actor(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "content/articles/2021/speech.md": "---\ntitle: A speech\ndate: 2021-03-22\nsource: UN\n"
            "speaker: chnia\n---\nWe stand for peace in Afghanistan.\n"
        }
    )
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/articles/2021/speech.md:5: error: unknown actor 'chnia' in 'speaker'. Did you mean 'china'?"
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "site_config.yml", root / "site_config.yml")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    return root / "build/docs"


def _position_lines(docs: Path, topic: str) -> list[str]:
    text = (docs / "topics" / f"{topic}.md").read_text(encoding="utf-8")
    return [line for line in section(text, "Positions").splitlines() if line.startswith("- ")]


def _line_of(lines: list[str], actor: str) -> str:
    return next((line for line in lines if line.startswith(f"- **[{actor}]")), "")


def test_demo_misattributions_are_gone(demo: Path) -> None:
    """The four lines issue 25 quoted: each gave an actor someone else's words, or nobody's."""
    afghanistan = _position_lines(demo, "afghanistan")
    assert "Baradar said" not in _line_of(afghanistan, "China")
    assert "Moscow has hosted consultations" not in _line_of(afghanistan, "Russia")
    assert "extremely disappointed" not in _line_of(_position_lines(demo, "myanmar"), "ASEAN")
    assert "called on the Taliban" not in _line_of(_position_lines(demo, "us-relations"), "Taliban")


def test_demo_position_lines_all_quote_a_sentence(demo: Path) -> None:
    lines = [line for page in (demo / "topics").glob("*.md") for line in _position_lines(demo, page.stem)]
    assert lines
    assert [line for line in lines if "“" not in line or "quoted above (" in line] == []


def test_a_weekday_gets_its_date(make_project: ProjectFactory) -> None:
    """The journalist's convention: "on Wednesday [17 March 2021]", read from the article's date."""
    root = make_project(
        {
            **ACTORS,
            "content/articles/2021/talks.md": "---\ntitle: Talks\ndate: 2021-03-18\nsource: TASS\n---\n"
            "Russia said on Wednesday that the Afghan talks would resume on Thursday.\n",
        }
    )
    assert positions(root)[0].startswith(
        "- **[Russia](../actors/russia.md)**, 18 March 2021: “Russia said on Wednesday \\[17 March 2021\\] "
        "that the Afghan talks would resume on Thursday \\[18 March 2021\\].”"
    )
