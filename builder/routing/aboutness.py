"""Decide whether a routed passage is about a topic or only mentions it in passing.

A passage that names a topic goes into its brief (routing), but only a passage *about* the topic
makes the article a development: "inspections under New START were suspended because of the
COVID-19 pandemic" is about New START. The decision uses only what the text gives, and needs
positive evidence: by default a mention is a passing one. A topic is a subject of a passage when

* it is named at the opening of a sentence, before anything else is said (the grammatical
  subject, or a frame such as "On Myanmar," or "Turning to Afghanistan,"), or anywhere in the
  first sentence of the article's lead;
* it is what a stance is taken on: named a few words after "call for", "urges", "condemn",
  "reiterate", "reject" and their like ("we call for the lifting of the embargo on Cuba"; verbs
  that are also nouns, "support" or "welcome", are left out: "economic support that the United
  States froze" takes no stance on the United States);
* or it is named in two sentences of the passage;

and in each case the mention is not one that a passing cue introduces ("because of the
pandemic", "since the pandemic began", "citing the risk of COVID-19", "in its recovery from the
pandemic", "such as Syria"). A topic named only in a list of topics is never a subject.

An article is about a topic when its `topics` list it (the editor's word), when its headline
names it, when one of its passages is about it, or when it names the topic in MANY_PASSAGES of
its passages (outside lists). What this gets wrong is measured in bench/aboutness.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from builder.routing.matching import Mention

OPENING_WORDS = 4
"""Words a sentence may say before naming its subject ("On the issue of Afghanistan, ...")."""
NEAR = 90
"""Characters before a mention searched for a passing cue or a stance verb (five words and the cue)."""
MANY_PASSAGES = 3
"""Passages naming a topic (outside lists) that make an article about it, whatever each says."""

# A cue at the end of the words before a mention makes the mention a circumstance of something
# else. Up to five words may stand between the cue and the mention ("citing the risk of
# spreading COVID-19", "since the outbreak of the COVID-19 pandemic").
_PASSING = re.compile(
    r"\b(?:because\s+of|due\s+to|owing\s+to|thanks\s+to|on\s+account\s+of|amid|amidst|despite|since"
    r"|during|citing|cited|blamed\s+on|in\s+the\s+(?:wake|shadow|face|midst|context)\s+of|recovery\s+from"
    r"|recovering\s+from|recover\s+from|affected\s+by|hit\s+by|hampered\s+by|like|such\s+as|including"
    r"|as\s+well\s+as|as\s+in|along\s+with|together\s+with|compared\s+with|unlike|as\s+with)"
    r"(?:\s+[\w'’-]+){0,5}\s+$",
    re.IGNORECASE,
)
# A stance taken on the topic makes it a subject however deep in the sentence it stands: "We call
# for the lifting of the embargo on Cuba", "Japan urged Iran to ...", "we condemn the attacks in
# Syria". Up to five words may stand between the verb and the mention.
_STANCE = re.compile(
    r"\b(?:call(?:s|ed)?\s+for|urge[sd]|urging|reiterate[sd]?|condemn(?:s|ed)?|reject(?:s|ed)"
    r"|denounce[sd]?|deplore[sd]?|reaffirm(?:s|ed)?)"
    r"(?:\s+[\w'’-]+){0,5}\s+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’.-]+")
# What a sentence may open with before naming its subject: a frame ("On", "Turning to", "As for",
# "On the issue of") or a determiner and a modifier ("The ongoing", "Its new"). A name in between
# ("On Russia's talks with Iran") is allowed by capitals, after the first word.
# A subject whose head names what of the topic: "The implementation of the Paris Agreement",
# "The conflict in Syria", "The situation on the Korean Peninsula".
_HEAD_OF = re.compile(
    r"^\s*(?:(?:the|a|an|its|their|our)\s+)?[\w-]+\s+(?:of|in|on|over|for)\s+(?:the\s+)?$", re.IGNORECASE
)
_FRAME = frozenset(
    "on in regarding concerning as for to turning with the a an this that these those its their our "
    "his her new latest ongoing current recent global entire whole issue question subject matter "
    "situation of crisis".split()
)


def passage_subjects(
    text: str, spans: list[tuple[int, int]], mentions: Sequence[Mention], listed: Iterable[str], lead: bool
) -> tuple[set[str], set[str]]:
    """The topics `text` (one passage, with its topic `mentions`) is about, and those it names
    only in passing (every mention introduced by a passing cue).

    `spans`: its sentences (`builder.routing.sentences`); `listed`: the topics it names only in
    lists; `lead`: whether it is the article's first passage.
    """
    skip = set(listed)
    named: dict[str, list[int]] = {}  # topic -> sentences naming it outside a passing cue
    subjects: set[str] = set()
    cued: set[str] = set()
    for mention in mentions:
        index = _sentence_of(spans, mention.start)
        start = spans[index][0] if spans else 0
        before = text[start : mention.start]
        near = before[-NEAR:]  # the cues' reach: a few words before the mention
        if _PASSING.search(near):
            cued.update(mention.owners - skip)
            continue
        opening = (_opens(before) and not _names_earlier(mentions, start, mention)) or bool(
            _STANCE.search(near)
        )
        for topic in mention.owners - skip:
            named.setdefault(topic, []).append(index)
            if opening or (lead and index == 0):
                subjects.add(topic)
    for topic, sentences in named.items():
        if len(set(sentences)) >= 2:
            subjects.add(topic)
    return subjects, cued - set(named)


def article_subjects(
    listed_topics: Iterable[str],
    headline: Iterable[str],
    passage_subjects: Iterable[Iterable[str]],
    named_in: Iterable[Iterable[str]],
) -> set[str]:
    """The topics an article is about.

    `listed_topics`: its front matter's `topics`; `headline`: the topics its title names;
    `passage_subjects`: each routed passage's subjects; `named_in`: each routed passage's topics
    named outside lists.
    """
    about = set(listed_topics) | set(headline)
    counts: dict[str, int] = {}
    for subjects in passage_subjects:
        about.update(subjects)
    for topics in named_in:
        for topic in topics:
            counts[topic] = counts.get(topic, 0) + 1
    about.update(topic for topic, count in counts.items() if count >= MANY_PASSAGES)
    return about


def _opens(before: str) -> bool:
    """Whether the words `before` a mention in its sentence leave it in the subject's place."""
    if len(before) > NEAR:
        return False
    if _HEAD_OF.match(before):
        return True
    words = _WORD.findall(before)
    if len(words) > OPENING_WORDS:
        return False
    return all(w.lower() in _FRAME or (i > 0 and w[:1].isupper()) for i, w in enumerate(words))


def _names_earlier(mentions: Sequence[Mention], start: int, mention: Mention) -> bool:
    """Whether another topic is named between the sentence's start and `mention`: the first
    topic named is the subject ("Russia's talks with Iran": Russia, not Iran)."""
    return any(start <= other.start < mention.start and other.owners != mention.owners for other in mentions)


def _sentence_of(spans: list[tuple[int, int]], offset: int) -> int:
    for index, (_, end) in enumerate(spans):
        if offset < end:
            return index
    return max(len(spans) - 1, 0)
