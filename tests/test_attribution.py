"""Who says what: one test per rule of builder/routing/attribution.py, on sentences of our own."""

from __future__ import annotations

import pytest

from builder.model import Actor
from builder.routing.attribution import Attributor, named_speakers


def actor(id: str, kind: str, *aliases: str) -> Actor:
    return Actor(
        id=id, path=f"content/actors/{id}.md", name=aliases[0], aliases=aliases, kind=kind, description=""
    )


ACTORS = {
    a.id: a
    for a in [
        actor("russia", "state", "Russia", "Russian", "Moscow", "Kremlin"),
        actor("china", "state", "China", "Chinese", "Beijing"),
        actor("pakistan", "state", "Pakistan"),
        actor("united-states", "state", "United States", "Washington"),
        actor("taliban", "group", "Taliban"),
        actor("iran", "state", "Iran"),
        actor("lavrov", "person", "Sergei Lavrov", "Lavrov"),
        actor("wang-yi", "person", "Wang Yi"),
        actor("ted-cruz", "person", "Ted Cruz", "Cruz"),
        actor("junta", "group", "Myanmar military", "junta"),
    ]
}
ATTRIBUTOR = Attributor(ACTORS)


def speakers(*passages: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(sentence, actor ids, name) of every sentence with a speaker."""
    return [
        (passages[s.passage][s.start : s.end], s.actors, s.name) for s in ATTRIBUTOR.attribute(list(passages))
    ]


def actors_of(*passages: str) -> list[tuple[str, ...]]:
    return [actors for _, actors, _ in speakers(*passages)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Lavrov said the talks in Doha had stalled.", [("lavrov",)]),
        ("Lavrov has also said the talks had stalled.", [("lavrov",)]),
        ("Lavrov told reporters on Friday that the talks had stalled.", [("lavrov",)]),
        ("Pakistan warned that the border would stay closed.", [("pakistan",)]),
        ("Iran called for the sanctions to be lifted first.", [("iran",)]),
        ("Beijing denied that it had supplied the drones.", [("china",)]),
    ],
)
def test_the_subject_of_a_verb_of_saying_speaks(sentence: str, expected: list[tuple[str, ...]]) -> None:
    assert actors_of(sentence) == expected


def test_inverted_and_passive_forms() -> None:
    assert actors_of("“The door is open,” said Lavrov.") == [("lavrov",)]
    assert actors_of("The door is open, said Lavrov, before leaving for Minsk.") == [("lavrov",)]
    assert actors_of("“The door is open,” Lavrov said.") == [("lavrov",)]
    assert actors_of("Lavrov was quoted as saying the door was open.") == [("lavrov",)]


def test_an_appositive_between_commas_is_skipped() -> None:
    assert actors_of("Lavrov, the veteran foreign minister, told the meeting the door was open.") == [
        ("lavrov",)
    ]
    assert actors_of("Ted Cruz, appearing on a morning show, said the bill would fail.") == [("ted-cruz",)]


def test_according_to() -> None:
    assert actors_of("The convoy was turned back at the border, according to Pakistan.") == [("pakistan",)]


def test_according_to_gives_way_to_the_speaker_it_reports() -> None:
    """The ministry reports what a visitor said: the statement is the visitor's, not China's."""
    found = speakers("According to the Chinese Foreign Ministry, Akhundzada said the Taliban wanted trade.")
    assert [(actors, name) for _, actors, name in found] == [((), "Akhundzada")]


def test_a_direct_quotation_takes_the_speaker_given_before_or_after_it() -> None:
    before = "Lavrov said: “We are ready to talk. We will wait for an answer.”"
    assert [(s, a) for s, a, _ in speakers(before)] == [
        ("Lavrov said: “We are ready to talk.", ("lavrov",)),
        ("We will wait for an answer.”", ("lavrov",)),
    ]
    after = "“We are ready to talk. We will wait for an answer,” Lavrov said."
    assert actors_of(after) == [("lavrov",), ("lavrov",)]


def test_a_bare_quotation_continues_the_statement_before_it() -> None:
    text = "Lavrov said the offer stood. “Nobody should doubt it.”"
    assert actors_of(text) == [("lavrov",), ("lavrov",)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A Taliban spokesman said the fighters had been told to hold their positions.", ("taliban",)),
        ("China's foreign ministry urged restraint on all sides.", ("china",)),
        ("The Kremlin said the call had been constructive.", ("russia",)),
        ("Kremlin spokesman Pavel Orlov said the call had been constructive.", ("russia",)),
        ("Russian Foreign Minister Sergei Lavrov said the call had been constructive.", ("lavrov",)),
    ],
)
def test_someone_speaking_for_an_actor_speaks_as_the_actor(sentence: str, expected: tuple[str, ...]) -> None:
    assert actors_of(sentence) == [expected]


def test_a_pronoun_or_description_continues_the_last_named_speaker() -> None:
    text = (
        "Lavrov said the offer stood.",
        "He added that the deadline had passed. The minister also said he would travel to Doha.",
    )
    assert actors_of(*text) == [("lavrov",), ("lavrov",), ("lavrov",)]


def test_a_pronoun_after_another_person_is_that_person() -> None:
    text = "Lavrov said the offer stood. Jane Roe, a lawyer in Geneva, disagreed. “It is dead,” she said."
    assert speakers(text)[-1][1:] == ((), "Jane Roe")


def test_a_surname_alone_is_the_actor_the_article_named() -> None:
    text = (
        "Chinese Foreign Minister Wang Yi met the delegation in Tianjin.",
        "Wang said the visit was useful.",
    )
    assert actors_of(*text) == [("wang-yi",)]
    assert speakers("Wang said the visit was useful.")[0][1:] == ((), "Wang")


@pytest.mark.parametrize(
    "sentence",
    [
        "The United States urged the Taliban to reopen girls' schools.",
        "Russia called on Iran to return to the talks.",
        "Lavrov told the Taliban that recognition would take time.",
    ],
)
def test_the_object_or_addressee_is_not_the_speaker(sentence: str) -> None:
    found = actors_of(sentence)
    assert len(found) == 1
    assert not {"taliban", "iran"} & set(found[0])


def test_a_list_of_subjects_speaks_together() -> None:
    text = "Russia, the United States, China and Pakistan on Thursday called on the Taliban to form a government."
    assert actors_of(text) == [("russia", "united-states", "china", "pakistan")]


def test_a_different_first_name_before_a_shared_surname_is_someone_else() -> None:
    assert speakers("Veronica Cruz said the bill would fail.") == [
        ("Veronica Cruz said the bill would fail.", (), "Veronica Cruz")
    ]
    assert actors_of("Sen. Ted Cruz said the bill would fail.") == [("ted-cruz",)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow has hosted consultations on Afghanistan in various formats since 2017.",
        "Iran was urged to return to the talks.",
        "Lavrov was once asked which of his counterparts he trusted most.",
        "Officials said the talks would resume.",
        "The junta's claims were rejected by the monitors.",
        "China leads the United States in these states, the survey found.",
        "Russia would respond to any new sanctions.",
        "In five years Pakistan has added a million jobs.",
    ],
)
def test_a_sentence_that_only_names_an_actor_is_nobody_s_statement(sentence: str) -> None:
    assert actors_of(sentence) == []


def test_speaker_front_matter_makes_every_sentence_the_actor_s() -> None:
    found = ATTRIBUTOR.statements(["We stand ready. The talks must resume.", "Thank you."], "iran")
    assert [[(s.actor, s.start, s.end) for s in passage] for passage in found] == [
        [("iran", 0, 15), ("iran", 16, 38)],
        [("iran", 0, 10)],
    ]


def test_named_speakers_that_are_no_actors_are_counted() -> None:
    spoken = ATTRIBUTOR.attribute(
        ["Mullah Abdul Ghani Baradar said the group wanted peace. He added that trade would follow."]
    )
    assert named_speakers(spoken) == {"Mullah Abdul Ghani Baradar": 2}


def test_a_person_named_in_apposition_is_the_one_a_pronoun_continues() -> None:
    attributor = Attributor({**ACTORS, "raisi": actor("raisi", "person", "Ebrahim Raisi", "Raisi")})
    text = "Iran's new president, Ebrahim Raisi, spoke by video. He said the sanctions had to go."
    found = attributor.attribute([text])
    assert [(s.actors, s.explicit) for s in found] == [(("raisi",), False)]


def test_both_ministers_continue_the_speakers_named_before() -> None:
    text = "Russia and China said the talks were useful. Both foreign ministers said trade would grow."
    assert actors_of(text) == [("russia", "china"), ("russia", "china")]


def test_passages_not_asked_for_still_name_the_speaker_a_later_pronoun_continues() -> None:
    passages = [
        "The talks in Doha resumed on Monday.",
        "Lavrov said the Taliban had agreed to a new round.",
        "Wang Yi arrived in Islamabad on Tuesday.",  # opens with a person: "he" is now Wang Yi
        "“We will host the next meeting,” he said.",
        "Pakistan warned that the border would stay closed.",
        "“It stays shut until the spring,” the ministry added.",
    ]
    everything = ATTRIBUTOR.statements(passages)
    # Only the fourth and the sixth passage's statements are asked for: the second, third and
    # fifth are read only for whom the pronouns there continue.
    wanted = [False, False, False, True, False, True]
    asked = ATTRIBUTOR.statements(passages, wanted=wanted)
    assert [[s.actor for s in found] for found in asked] == [[], [], [], ["wang-yi"], [], ["pakistan"]]
    assert [found for found, want in zip(everything, wanted, strict=True) if want] == [
        found for found, want in zip(asked, wanted, strict=True) if want
    ]
    assert [s.actor for s in everything[1]] == ["lavrov"]  # read in full when asked for


def test_what_one_attributor_worked_out_another_takes_in_and_need_not_work_out_again() -> None:
    # A build's route workers hand their memos back (`lessons`) to the process that forks the
    # next wave of workers (`learn`).
    passages = [
        "Lavrov, the foreign minister, said the talks in Doha had stalled.",
        "“We will host the next round,” he said. Pakistan warned that the border would stay shut.",
    ]
    worker = Attributor(ACTORS)
    answer = worker.attribute(passages)
    lessons = worker.lessons()
    assert lessons[0] and lessons[1]  # the source phrases and the subjects it worked out
    assert worker.lessons() == ([], [])  # each handed on once

    parent = Attributor(ACTORS)
    parent.learn(lessons)
    assert parent.lessons() == ([], [])  # what it learned is no lesson of its own
    assert parent.attribute(passages) == answer
    assert parent.lessons() == ([], [])  # nothing was worked out again
