"""Routing rules from the contract, each on a small example, without touching the disk."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from builder.markdown.passages import split_passages
from builder.model import Actor, Article, RoutingSettings, Topic
from builder.routing.router import Router


def topic(id: str, *aliases: str, exclude: tuple[str, ...] = ()) -> Topic:
    return Topic(
        id=id,
        path=f"content/topics/{id}.md",
        title=aliases[0] if aliases else id,
        aliases=aliases or (id,),
        exclude=exclude,
        related=(),
        region=None,
        summary=None,
        overview="",
    )


def actor(id: str, *aliases: str) -> Actor:
    return Actor(
        id=id, path=f"content/actors/{id}.md", name=aliases[0], aliases=aliases, kind=None, description=""
    )


def article(
    body: str, *, topics: tuple[str, ...] = (), actors: tuple[str, ...] = (), summary: str | None = None
) -> Article:
    passages, blocks = split_passages(body)
    return Article(
        path="content/articles/a.md",
        slug="a",
        title="A",
        date=dt.date(2021, 3, 22),
        source="S",
        url=None,
        topics=topics,
        actors=actors,
        summary=summary,
        tags=(),
        draft=False,
        extra={},
        passages=passages,
        blocks=blocks,
    )


TOPICS = {
    t.id: t
    for t in [
        topic("afghanistan", "Afghanistan", "Afghan", "Moscow process"),
        topic("myanmar", "Myanmar", "Burma"),
        topic("sudan", "Sudan"),
        topic("south-sudan", "South Sudan"),
        topic("guinea", "Guinea"),
        topic("guinea-bissau", "Guinea-Bissau"),
        topic("niger", "Niger", exclude=("Niger Delta",)),
        topic("nigeria", "Nigeria", "Niger Delta"),
        topic("un-reform", "UN reform"),
        topic("climate-change", "climate change"),
        topic("syria", "Syria"),
        topic("iran-nuclear", "Iranian nuclear issue", "JCPOA"),
    ]
}
ACTORS = {
    a.id: a for a in [actor("china", "China", "Chinese", "Wang Yi"), actor("russia", "Russia", "Lavrov")]
}


def mentioned(body: str, **settings: object) -> list[tuple[str, ...]]:
    router = Router(TOPICS, ACTORS, RoutingSettings(**settings))  # type: ignore[arg-type]
    return [r.mentioned for r in router.route(article(body)).passages]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks on Afghanistan.", ("afghanistan",)),
        ("talks on AFGHANISTAN.", ("afghanistan",)),
        ("Afghans want peace.", ("afghanistan",)),
        ("Afghanistan's future.", ("afghanistan",)),
        ("Myanmar’s generals.", ("myanmar",)),
        ("The Afghans' plight.", ("afghanistan",)),
        ("Afghan-led talks.", ("afghanistan",)),
        ("the Moscow\nprocess continued", ("afghanistan",)),
        ("Burmese food is not Burma.", ("myanmar",)),
        ("Sudanese refugees", ()),
        ("South Sudan marked ten years.", ("south-sudan",)),
        ("South Sudan and Sudan talked.", ("south-sudan", "sudan")),
        ("Guinea-Bissau voted.", ("guinea-bissau",)),
        ("Guinea voted.", ("guinea",)),
        ("Oil in the Niger Delta.", ("nigeria",)),
        ("Niger and Nigeria.", ("niger", "nigeria")),
        ("[Myanmar](https://example.org/afghanistan) link text counts, URLs do not", ("myanmar",)),
        ("<span title='Syria'>markup</span> does not count", ()),
        ("`JCPOA` in code counts as text", ("iran-nuclear",)),
        ("Afghanistanis is not a word boundary match", ()),
    ],
)
def test_mentions(text: str, expected: tuple[str, ...]) -> None:
    assert mentioned(text) == ([expected] if expected else [])


def test_passages_are_top_level_blocks_numbered_from_one() -> None:
    body = "# Heading about Syria\n\nFirst on Syria.\n\n---\n\n- list on Myanmar\n- more\n\n> quote on Sudan\n\n| a | b |\n|---|---|\n| Afghanistan | 1 |\n"
    router = Router(TOPICS, ACTORS, RoutingSettings())
    routes = router.route(article(body))
    assert [(r.number, r.mentioned) for r in routes.passages] == [
        (1, ("syria",)),
        (2, ("myanmar",)),
        (3, ("sudan",)),
        (4, ("afghanistan",)),
    ]


def test_a_plain_paragraph_holds_one_string_as_its_markdown_and_its_text() -> None:
    passages, _ = split_passages("Talks on Syria went on.\n\nTalks on *Syria* ended.\n")
    assert [(p.markdown, p.text) for p in passages] == [
        ("Talks on Syria went on.", "Talks on Syria went on."),
        ("Talks on *Syria* ended.", "Talks on Syria ended."),
    ]
    assert passages[0].text is passages[0].markdown  # one copy of a long archive's words, not two


def test_list_sentence_goes_to_also_discussed() -> None:
    body = (
        "The two sides coordinated positions on UN reform, climate change, Syria and Sudan. "
        "Tomorrow they discuss Afghanistan.\n"
    )
    router = Router(TOPICS, ACTORS, RoutingSettings())
    (route,) = router.route(article(body)).passages
    assert route.listed == ("climate-change", "sudan", "syria", "un-reform")
    assert route.developments == ("afghanistan",)


def test_topic_named_in_list_and_in_its_own_sentence_is_a_development() -> None:
    body = "They discussed UN reform, climate change, Syria and Sudan. On Syria, they agreed to more aid.\n"
    (route,) = Router(TOPICS, ACTORS, RoutingSettings()).route(article(body)).passages
    assert route.developments == ("syria",)
    assert route.listed == ("climate-change", "sudan", "un-reform")


def test_also_discussed_threshold_is_a_setting() -> None:
    body = "They discussed UN reform, climate change, Syria and Sudan.\n"
    (route,) = (
        Router(TOPICS, ACTORS, RoutingSettings(also_discussed_min_topics=5)).route(article(body)).passages
    )
    assert route.listed == ()
    assert route.developments == ("climate-change", "sudan", "syria", "un-reform")


def test_fallback_when_listed_topic_is_never_mentioned() -> None:
    routes = Router(TOPICS, ACTORS, RoutingSettings()).route(
        article("Nothing relevant.\n", topics=("syria",))
    )
    assert routes.fallback == ("syria",)
    assert routes.topics == ("syria",)


def test_auto_false_restricts_to_listed_topics() -> None:
    body = "Afghanistan and Myanmar.\n\nOnly Syria here.\n"
    routes = Router(TOPICS, ACTORS, RoutingSettings(auto=False)).route(article(body, topics=("myanmar",)))
    assert [(r.number, r.mentioned) for r in routes.passages] == [(1, ("myanmar",))]
    assert routes.topics == ("myanmar",)


def test_positions_name_the_speaking_actor_or_continue_the_previous() -> None:
    body = (
        "The two sides discussed Syria.\n\nWang Yi spoke on Sudan.\n\nHe also raised Myanmar.\n\n"
        "Lavrov and China raised Afghanistan.\n"
    )
    routes = Router(TOPICS, ACTORS, RoutingSettings()).route(article(body, actors=("china", "russia")))
    assert [r.actors for r in routes.passages] == [
        ("china", "russia"),
        ("china",),
        ("china",),
        ("china", "russia"),
    ]


def test_ten_thousand_aliases_match_in_one_pass() -> None:
    many = topic("big", *[f"place number {i}" for i in range(10_000)])
    router = Router({"big": many, **TOPICS}, ACTORS, RoutingSettings())
    routes = router.route(article("Visits to place number 9999 and Syria.\n"))
    assert routes.passages[0].mentioned == ("big", "syria")


@pytest.mark.parametrize(("text", "why"), [
    (unicodedata.normalize("NFD", "Talks on Côte d’Ivoire resumed."), "the text in NFD, the alias in NFC"),
    ("Talks on Côte\u200b d’Ivoire resumed.", "a zero-width space"),
    ("Talks on Cô\u00adte d’Ivoire resumed.", "a soft hyphen"),
    ("Talks on Côte d’Ivo\u2060ire resumed.", "a word joiner"),
])
def test_an_alias_matches_whatever_invisible_form_the_text_takes(text: str, why: str) -> None:
    router = Router({"ivory": topic("ivory", unicodedata.normalize("NFC", "Côte d’Ivoire"))}, {}, RoutingSettings())
    routes = router.route(article(text))
    assert [r.mentioned for r in routes.passages] == [("ivory",)], why
    mention = router.topics.mentions(text)[0]
    assert text[mention.start: mention.end].startswith("C") and text[mention.end:] == " resumed."


def test_an_alias_typed_in_nfd_matches_nfc_text() -> None:
    router = Router({"ivory": topic("ivory", unicodedata.normalize("NFD", "Côte d’Ivoire"))}, {}, RoutingSettings())
    assert router.route(article("Talks on Côte d’Ivoire resumed.")).passages[0].mentioned == ("ivory",)


def test_hundreds_of_prefix_nested_aliases_build_without_recursion() -> None:
    aliases = tuple(" ".join(["x"] * n) for n in range(1, 601))
    router = Router({"x": topic("x", *aliases), "y": topic("y", "x x x x y")}, {}, RoutingSettings())
    text = "Said: " + " ".join(["x"] * 700) + ". Then x x x x y, and x."
    spans = [(m.start, m.end, m.owners) for m in router.topics.mentions(text)]
    longest = 6 + len(" ".join(["x"] * 600))
    assert spans[0] == (6, longest, frozenset({"x"}))  # the longest alias, as one pattern would find it
    assert spans[1] == (longest + 1, longest + 1 + len(" ".join(["x"] * 100)), frozenset({"x"}))
    y = text.index("x x x x y")
    assert spans[-2:] == [(y, y + 9, frozenset({"y"})), (len(text) - 2, len(text) - 1, frozenset({"x"}))]
