"""Find the sentence of a passage that states an actor's position, for the brief's Positions.

A passage reporting several parties says what each holds in its own sentence ("Iran said X. The
United States said Y."): the brief quotes the one that names the actor (its name or an alias),
preferring one with a verb of saying, so the line reads as that actor's position.
"""

from __future__ import annotations

import re
from functools import lru_cache

from builder.model import Actor, Topic
from builder.routing.sentences import sentence_spans

_SAYING = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|announced|announces|called|calls|urged|urges|warned"
    r"|warns|insisted|insists|argued|argues|pledged|pledges|vowed|vows|rejected|rejects|accused"
    r"|accuses|demanded|demands|declared|declares|affirmed|affirms|reaffirmed|reaffirms|reiterated"
    r"|reiterates|stressed|stresses|welcomed|welcomes|condemned|condemns|expressed|expresses|agreed"
    r"|agrees|maintained|maintains|proposed|proposes|committed|commits|sought|seeks|believes|believe"
    r"|supports|supported|opposes|opposed|wants|wanted|promised|promises|denied|denies|added)\b",
    re.IGNORECASE,
)
BEST_SCORE = 5
"""The highest score `statement` gives: the actor named before a verb of saying, and the topic."""
MAX_WORDS = 50
"""A position line quotes at most this many words of its sentence (UN speeches run long)."""


@lru_cache(maxsize=4096)
def _names(owner: Actor | Topic) -> re.Pattern[str]:
    """Any of the actor's or topic's names, as whole words (Actor and Topic hash by identity)."""
    main = owner.name if isinstance(owner, Actor) else owner.title
    names = sorted({main, *owner.aliases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names if n) + r")(?!\w)", re.IGNORECASE)


def statement(actor: Actor, topic: Topic, text: str) -> tuple[int, str]:
    """How well `text` (a passage's plain text) states `actor`'s position on `topic`, and the sentence.

    A sentence scores 3 when it names the actor before a verb of saying ("Xi said ..."), 2 when it
    names the actor and has such a verb, 1 when it only names the actor; 2 more when it names the
    topic. A passage that names neither (it speaks for the actor by continuing an earlier one)
    gives its first sentence with a verb of saying, or its first. The best sentence, first among
    equals, is cut to MAX_WORDS words with an ellipsis.
    """
    sentences = [text[start:end].strip() for start, end in sentence_spans(text)] or [text.strip()]
    names, topic_names = _names(actor), _names(topic)
    best: tuple[int, str] | None = None
    for sentence in sentences:
        named = names.search(sentence)
        said = _SAYING.search(sentence)
        score = (3 if named.start() < said.start() else 2) if named and said else 1 if named else 0
        score += 2 if topic_names.search(sentence) else 0
        if best is None or score > best[0]:
            best = (score, sentence)
    assert best is not None
    if best[0] == 0:
        best = (0, next((s for s in sentences if _SAYING.search(s)), sentences[0]))
    words = best[1].split()
    return best[0], " ".join(words) if len(words) <= MAX_WORDS else " ".join(words[:MAX_WORDS]) + " …"
