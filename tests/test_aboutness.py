"""Aboutness: a passage that names a topic is about it, or mentions it in passing (PRODUCT.md § Routing)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from builder.model import RoutingSettings
from builder.routing.router import Router
from tests.briefcheck import section
from tests.conftest import copy_demo, run
from tests.test_routing import ACTORS, TOPICS, article, topic

COVID = {**TOPICS, "covid-19": topic("covid-19", "COVID-19", "pandemic", "vaccine")}


ROUTER = Router(COVID, ACTORS, RoutingSettings())


def about(body: str, topics: tuple[str, ...] = ()) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(the topics the article is about, each routed passage's subjects)."""
    routes = ROUTER.route(article(body, topics=topics))
    return routes.about, [r.about for r in routes.passages]


@pytest.mark.parametrize(
    "sentence",
    [
        "Inspections under the treaty have been suspended since early last year because of the pandemic.",
        "The president called off the parade, citing the risk of spreading COVID-19 among the crowds.",
        "In his oath, the Secretary-General spoke of a choice, in the recovery from the pandemic, between two futures.",
        "It was the first trip abroad the minister had made since the pandemic began.",
        "Economic support for the pandemic response, which donors froze in March, stays frozen.",
    ],
)
def test_a_circumstance_is_a_passing_mention(sentence: str) -> None:
    topics, passages = about(f"The arms treaty was extended on Wednesday for five years.\n\n{sentence}\n")
    assert "covid-19" not in topics
    assert passages == [()]


@pytest.mark.parametrize(
    "body",
    [
        "The pandemic has killed more than two million people, the health agency said on Friday.\n",
        "On the pandemic, the two leaders agreed to share doses. They set up a working group.\n",
        "The spread of the pandemic slowed in March, the ministers were told.\n",
        "In a joint statement the ministers called for an end to the pandemic travel bans.\n",
        "Ministers met in Geneva. They discussed the pandemic at length. Vaccine supply must double, they agreed.\n",
    ],
)
def test_a_subject_is_about_the_topic(body: str) -> None:
    topics, passages = about("Ministers met on Friday in Geneva for talks.\n\n" + body)
    assert "covid-19" in topics
    assert passages == [("covid-19",)]


def test_the_lead_sentence_and_the_headline_make_an_article_about_a_topic() -> None:
    lead, _ = about("Ministers discussed the pandemic response at length in Geneva on Friday.\n")
    assert lead == ("covid-19",)
    body = "Talks went on late into the night.\n\nOne delegate said the pandemic had slowed preparations.\n"
    assert about(body)[0] == ()
    headline = ROUTER.route(dataclasses.replace(article(body), title="Pandemic talks in Geneva"))
    assert headline.about == ("covid-19",)


def test_a_list_is_never_a_subject_but_the_topics_key_always_is() -> None:
    body = "The ministers also discussed Myanmar, Afghanistan, the pandemic and UN reform.\n"
    topics, passages = about("The summit ended on Friday.\n\n" + body)
    assert topics == () and passages == [()]
    listed, _ = about("The summit ended on Friday.\n\n" + body, topics=("myanmar",))
    assert listed == ("myanmar",)


def test_a_topic_named_in_many_passages_is_a_subject() -> None:
    body = "\n\n".join(
        f"Delegates from the region, {who}, said the pandemic had changed their plans."
        for who in ("first", "then", "later")
    )
    assert about("The meeting opened on Monday.\n\n" + body + "\n")[0] == ("covid-19",)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("about") / "demo")
    result = run("build", "--project", root, "--markdown-only")
    assert result.exit_code == 0, result.output
    return root / "build" / "docs"


def test_covid_brief_holds_no_passing_mention(demo: Path) -> None:
    text = (demo / "topics/covid-19.md").read_text(encoding="utf-8")
    latest = section(text, "Latest developments")
    developments, _, mentioned = latest.partition("**Also mentioned in**")
    timeline = section(text, "Timeline")
    for slug in (
        "new-start-extended-five-years",
        "south-sudan-tenth-independence-anniversary",
        "guterres-reappointed-second-term",
        "north-korea-party-congress-weapons-plan",
    ):
        assert slug not in developments, slug
        assert slug not in timeline, slug
        assert re.search(
            rf"^- \d+ \w+ 2021 · \[[^\]]+\]\(\.\./articles/2021/{slug}\.md#p-\d+\) · ", mentioned, re.M
        ), slug
    assert "who-omicron-variant-of-concern.md" in developments
    archive = (demo / "topics/covid-19/2021.md").read_text(encoding="utf-8")
    lines = archive.splitlines()
    at = next(i for i, line in enumerate(lines) if "new-start-extended-five-years.md" in line)
    assert lines[at].endswith(" · mentioned in passing")
    assert lines[at + 1].startswith("    - ¶&nbsp;2 [")  # its passage on the topic, still linked


@pytest.mark.parametrize("brief", ["afghanistan", "myanmar", "iran-nuclear"])
def test_one_article_feeds_many_briefs_as_a_development(demo: Path, brief: str) -> None:
    text = (demo / f"topics/{brief}.md").read_text(encoding="utf-8")
    developments = section(text, "Latest developments").partition("**Also mentioned in**")[0]
    assert "(../articles/2021/guilin-wang-yi-lavrov-talks.md#p-" in developments


def test_held_out_demo_meets_the_targets() -> None:
    """The demo with its editors' `topics` removed: aboutness alone keeps each brief's
    developments on its topic (the editors' topics as truth) and every tagged article reachable."""
    from bench.aboutness import held_out
    from tests.conftest import REPO

    result = held_out(REPO)
    briefs = result["briefs"]
    assert isinstance(briefs, dict) and len(briefs) >= 10
    shares = [right for right, _, _ in briefs.values()]
    assert sum(shares) / len(shares) >= 0.9, briefs
    assert min(shares) >= 0.7, briefs
    assert isinstance(result["reachable"], float) and result["reachable"] >= 0.95
