"""Find who says what: the speaker of each sentence of an article, by rules over its text.

A sentence is a **statement** when it reports what someone said, and its **speaker** is the
source of that report. The rules, in the order they are tried on each sentence:

1. `speaker:` front matter: every sentence of the article is that actor's.
2. A verb of saying (VERBS_OF_SAYING: "said", "told", "urged", "called for", "warned", "accused",
   "announced", "denied", "was quoted as saying", …). Its source is
   - after it when inverted behind a quote or comma (`“…,” said Lavrov`, `, says the ministry`);
   - otherwise the subject just before it, skipping auxiliaries and adverbs ("has also said",
     "said on Monday" needs nothing skipped), an appositive between commas ("Lavrov, the foreign
     minister, said") and a coordinated list ("Russia, China and Pakistan called on …": each of
     them). The actor named after the verb, as object or addressee ("urged the Taliban to",
     "called on Iran", "told Reuters"), is never the source.
3. "according to X": X, unless a verb of saying in the same sentence has a source of its own
   ("According to the ministry, Baradar said …" is Baradar's statement, reported by the ministry).
4. A sentence inside a direct quotation whose speaker is given before or after it (`X said: “A.
   B.”`) is X's; a sentence that is only a quotation, right after a statement of the same
   passage, continues that statement's speaker.

The source (a noun phrase) resolves to a speaker thus: the head of the phrase when it is an
actor's name or alias ("Russian Foreign Minister Sergei Lavrov" is Lavrov); someone speaking for
an actor ("a Taliban spokesman", "China's foreign ministry", "the Kremlin") is that actor; a
pronoun ("he", "she", "they") or a description ("the minister", "the spokeswoman") continues the
article's last named speaker; a person's name that is no actor's is a named speaker of its own
(`import` lists those), and a different first name before an actor's surname ("Veronica Cruz"
is not Ted Cruz) is such a person, not the actor. A source that resolves to nobody (an unnamed
"officials said") gives no statement: no line beats a wrong line.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from builder.model import Actor
from builder.routing.matching import Mention, PhraseMatcher
from builder.routing.memo import Memo
from builder.routing.phrases import (
    ADD,
    ADDED_WHAT,
    DESCRIPTION,
    FOR_ACTOR,
    INVERTIBLE,
    LEADING,
    LOOK_BACK,
    MAX_SOURCE_WORDS,
    NAME,
    NAMED_APPOSITIVE,
    NOT_INVERTED,
    NOT_NAMES,
    OPENING,
    PARTICIPLE,
    PRONOUNS,
    SPOKESPERSON,
    TITLES,
    clause,
    find_cues,
    is_according,
    is_list,
    is_person_name,
    quotations,
    starts_with_quote,
    subject_of,
)
from builder.routing.referents import LastSpeaker, Referent
from builder.routing.sentences import sentence_spans


@dataclass(frozen=True, slots=True)
class Statement:
    """One sentence of a passage and the actor who speaks it."""

    actor: str
    """The speaker's actor id."""
    start: int
    """Offsets of the sentence in the passage's plain text."""
    end: int
    explicit: bool = True
    """The sentence names its speaker ("Lavrov said"), not a pronoun or description ("he said")."""

    def __reduce__(self) -> tuple[type[Statement], tuple[str, int, int, bool]]:
        # Pickled as its fields, from the route workers: a slots dataclass's own way (a state
        # made through dataclasses.fields for each object) took most of the routes' transfer.
        return (Statement, (self.actor, self.start, self.end, self.explicit))


class Spoken(NamedTuple):
    """One sentence with its speaker, actor or not (what `import` counts).

    A named tuple, made in a few tenths of a microsecond: an archive has hundreds of thousands.
    """

    passage: int
    """Index of the passage in the texts given to `Attributor.attribute`."""
    start: int
    end: int
    actors: tuple[str, ...]
    """The speakers' actor ids; empty when the speaker is no actor."""
    name: str
    """The speaker as named ("Mullah Abdul Ghani Baradar"); empty for an actor without its name."""
    explicit: bool = True
    """The sentence names its speaker, rather than continuing one by pronoun or quotation."""


Lessons = tuple[list[tuple[str, Any]], list[tuple[tuple[str, bool], "str | None"]]]
"""What one process's memos learned, for another (`Attributor.lessons`)."""
_ONE_WORD_NAME = re.compile(r"[A-Z][\w'’-]+")
_UNSEEN: Any = object()
_CONTINUES = ("continues", "")
"""A pronoun or description: the speaker is the article's last named one."""
_SURNAME = "surname"
MAX_REMEMBERED = 100_000
"""Entries of each memo (subjects by the text before their verb: a few tens of megabytes at most)."""


class Attributor:
    """Find the statements of an article's passages, with one compiled matcher for actor names."""

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self._actors = actors
        self._matcher = PhraseMatcher({a.id: {a.name, *a.aliases} for a in actors.values()})
        self._known: Memo[str, Any] = Memo(MAX_REMEMBERED)  # what each source phrase is (`_identify`)
        self._subjects: Memo[tuple[str, bool], str | None] = Memo(MAX_REMEMBERED)  # `subject_of`
        self._single_words = frozenset(
            alias.casefold() for a in actors.values() for alias in (a.name, *a.aliases) if " " not in alias
        )
        # An actor's one-word aliases that are surnames: a different first name before one of
        # them names someone else ("Karen Flynn" for Michael Flynn).
        self._surnames: dict[str, set[str]] = {}
        for actor in actors.values():
            words = actor.name.split()
            if actor.kind == "person" and len(words) > 1:
                # The family name comes last in most names, first in some ("Wang Yi", "Kim Jong Un").
                for word in {words[0], words[-1]}:
                    self._surnames.setdefault(word.casefold(), set()).add(actor.id)
        self._given: dict[str, frozenset[str]] = {
            a.id: frozenset(w.casefold() for alias in (a.name, *a.aliases) for w in alias.split()[:-1])
            for a in actors.values()
            if a.kind == "person"
        }

    def lessons(self) -> Lessons:
        """What this process has worked out since it was forked or last asked (the subject rules'
        and `_identify`'s results), for `learn` in the process that forks the next route workers."""
        return self._known.lessons(), self._subjects.lessons()

    def learn(self, lessons: Lessons) -> None:
        """Take in what a worker process worked out (`lessons`)."""
        self._known.learn(lessons[0])
        self._subjects.learn(lessons[1])

    def named(self, text: str) -> tuple[str, ...]:
        """Every actor `text` names, sorted by id."""
        return tuple(sorted(self._matcher.owners_in(text)))

    def statements(
        self,
        texts: Sequence[str],
        speaker: str | None = None,
        named: Sequence[Iterable[str]] | None = None,
        spans: Sequence[list[tuple[int, int]]] | None = None,
        wanted: Sequence[bool] | None = None,
    ) -> tuple[tuple[Statement, ...], ...]:
        """The actors' statements in each passage of one article (`speaker`: its front matter;
        `named` and `spans`: what `named` and `sentence_spans` give for each passage, when the
        caller has them already; `wanted`: the passages whose statements are asked for, the
        others getting none)."""
        if speaker is not None:
            return tuple(
                tuple(Statement(speaker, s, e, False) for s, e in _spans(text, spans[i] if spans else None))
                if wanted is None or wanted[i]
                else ()
                for i, text in enumerate(texts)
            )
        found: list[list[Statement]] = [[] for _ in texts]
        for spoken in self.attribute(texts, named, spans, wanted):
            found[spoken.passage].extend(
                Statement(a, spoken.start, spoken.end, spoken.explicit) for a in spoken.actors
            )
        return tuple(tuple(f) for f in found)

    def attribute(
        self,
        texts: Sequence[str],
        names: Sequence[Iterable[str]] | None = None,
        sentences: Sequence[list[tuple[int, int]]] | None = None,
        wanted: Sequence[bool] | None = None,
    ) -> list[Spoken]:
        """Every sentence of the article's passages that has a speaker, in order.

        `wanted`: which passages' statements are asked for (all when None). The others are read
        only as far as a pronoun in a wanted one needs their last named speaker, so the answer
        for the wanted ones is the same as when every passage is read.
        """
        spoken: list[Spoken] = []
        last = LastSpeaker(self._person_opening, self._read_for_speaker)
        mentioned: frozenset[str] = frozenset()  # person actors the article has named so far
        for index, text in enumerate(texts):
            if self._surnames:
                owners = names[index] if names is not None else self._matcher.owners_in(text)
                mentioned |= {a for a in owners if a in self._given}
            spans = _spans(text, sentences[index] if sentences is not None else None)
            if wanted is not None and not wanted[index]:
                last.defer(text, spans, mentioned)
            else:
                self._passage(index, text, spans, mentioned, last, spoken)
        return spoken

    def _read_for_speaker(
        self, text: str, spans: list[tuple[int, int]], mentioned: frozenset[str], last: LastSpeaker
    ) -> None:
        """Read a passage only for what it tells `last` (its statements are not asked for)."""
        self._passage(-1, text, spans, mentioned, last, None)

    def _passage(
        self,
        index: int,
        text: str,
        spans: list[tuple[int, int]],
        mentioned: frozenset[str],
        last: LastSpeaker,
        spoken: list[Spoken] | None,
    ) -> None:
        """Add the statements of passage `index` (sentences at `spans`) to `spoken`, and tell
        `last` who opens and who speaks in its sentences."""
        span_starts = [s for s, _ in spans]
        # One scan of the passage finds every cue; a sentence without a verb of saying or
        # "according to" is never looked at again (most sentences of most passages).
        cues = find_cues(text)
        if not cues:
            last.read(text, span_starts, mentioned)
            return  # a quotation alone gives no statement: its speaker is said nowhere here
        attributed: dict[int, tuple[tuple[str, ...], str]] = {}
        explicit: set[int] = set()  # sentences that name their speaker
        read = 0  # the sentences before this one have been handed to `last`
        stop = 0
        for cue_number, cue in enumerate(cues):
            if cue_number < stop:
                continue  # looked at with the sentence it stands in
            number = bisect_right(span_starts, cue.start()) - 1
            if number < 0 or cue.start() >= spans[number][1]:
                continue  # between sentences
            start, end = spans[number]
            last.read(text, span_starts[read : number + 1], mentioned)
            read = number + 1
            stop = cue_number + 1
            while stop < len(cues) and cues[stop].start() < end:
                stop += 1
            result = self._sentence(text[start:end], start, cues[cue_number:stop], last, mentioned)
            if result is not None:
                who, named = result
                if named:
                    last.named(who)
                    explicit.add(number)
                attributed[number] = who
        last.read(text, span_starts[read:], mentioned)
        if spoken is None:
            return
        # Rule 4: a quotation's sentences share its speaker; a bare quote continues the last.
        span_ends = [e for _, e in spans]
        for q_start, q_end in quotations(text):
            inside = range(bisect_right(span_ends, q_start), bisect_left(span_starts, q_end))
            quoter = next((attributed[n] for n in inside if n in attributed), None)
            if quoter is None and inside and inside[0] > 0 and starts_with_quote(text, spans[inside[0]][0]):
                quoter = attributed.get(inside[0] - 1)
            if quoter is not None:
                for n in inside:
                    attributed.setdefault(n, quoter)
        for number, (start, end) in enumerate(spans):
            if number in attributed:
                actors, name = attributed[number]
                spoken.append(Spoken(index, start, end, actors, name, number in explicit))

    def _person_opening(self, text: str, start: int, mentioned: frozenset[str]) -> Referent | None:
        """The person who opens the sentence at `start`, whom a later pronoun continues, or None.

        "Raynard Jackson, a consultant, … “…,” he said": the "he" is Jackson, not the speaker
        quoted before him.
        """
        named = NAMED_APPOSITIVE.match(text, start)
        if named:  # "Iran's new president, Ebrahim Raisi, …": the person, not the state
            people = [m for m in self._matcher.mentions(named["name"]) if m.owners & self._given.keys()]
            if people:
                return tuple(sorted(people[0].owners & self._given.keys())), ""
        opening = OPENING.match(text, start)
        if opening is None:
            return None
        phrase = opening.group()
        if " " not in phrase and phrase.casefold() not in self._single_words:
            return None  # "The", "Meanwhile": no one
        who = self._resolve(phrase, None, mentioned)
        return who[0] if who is not None and who[1] else None

    def _sentence(
        self,
        sentence: str,
        offset: int,
        cues: Sequence[re.Match[str]],
        last: LastSpeaker,
        mentioned: frozenset[str],
    ) -> tuple[Referent, bool] | None:
        """The speaker of one sentence (at `offset` in its passage, with the passage's `cues`
        inside it) and whether it was named there, or None."""
        according = False
        for cue in cues:
            if is_according(cue):
                according = True
                continue
            for source in self._verb_sources(sentence, cue.start() - offset, cue.end() - offset):
                who = self._resolve(source, last, mentioned)
                if who is not None:
                    return who
        if according:  # rule 3: tried only when no verb of saying has a source
            for cue in cues:
                if is_according(cue):
                    phrase = clause(sentence[cue.end() - offset :], forward=True)
                    found = self._resolve(phrase, last, mentioned)
                    if found is not None:
                        return found
        return None

    def _verb_sources(self, sentence: str, start: int, end: int) -> Iterator[str]:
        """The noun phrases that may be the source of the verb of saying at `start`…`end` of
        `sentence`, likeliest first; the subject is looked for only when asked for (an inverted
        source, "…, Lavrov said", usually settles it)."""
        before = sentence[max(0, start - LOOK_BACK) : start]
        verb = sentence[start:end].split()[0].casefold()
        inverted = False
        if verb in INVERTIBLE and before.rstrip()[-1:] in (",", "”", '"'):
            rest = sentence[end:]
            after = clause(rest, forward=True)
            ends = rest[len(after) : len(after) + 1] in ("", ",", ".", ";")
            short = len(after.split()) <= MAX_SOURCE_WORDS // 2
            if after.strip() and ends and short and not NOT_INVERTED.match(after):
                inverted = True
                yield after
        if verb in ADD and not inverted and not ADDED_WHAT.match(sentence, end):
            return  # "we have added a million jobs": adding, not saying
        # Pure in its arguments, and the same openings recur ("A spokesman for the ministry said",
        # "he told reporters"): the subject rules, most of attribution's work, run once for each.
        # The verb counts only as "quoted" or not: "the ministry said" and "the ministry warned"
        # share their subject.
        key = (before, verb == "quoted")
        subject = self._subjects.get(key, _UNSEEN)
        if subject is _UNSEEN:
            subject = self._subjects.remember(key, subject_of(*key))
        if subject:
            yield subject

    def _resolve(
        self, phrase: str, last: LastSpeaker | None, mentioned: frozenset[str] = frozenset()
    ) -> tuple[Referent, bool] | None:
        """Who the noun phrase `phrase` is: (actor ids, name) and whether it names them."""
        found = self._known.get(phrase, _UNSEEN)
        if found is _UNSEEN:
            found = self._known.remember(phrase, self._identify(phrase))
        if found is None:
            return None
        if found == _CONTINUES:
            referent = last.now() if last is not None else None
            return (referent, False) if referent is not None else None
        if found[0] == _SURNAME:
            # A surname alone: the actor's when the article has named that person ("Wang said"
            # after "Foreign Minister Wang Yi"), else someone else ("Baradar said").
            name = found[1]
            known = tuple(sorted(a for a in self._surnames.get(name.casefold(), ()) if a in mentioned))
            return (known, "" if known else name), True
        return (found[0], found[1]), True

    def _identify(self, phrase: str) -> tuple[tuple[str, ...], str] | tuple[str, str] | None:
        """What `phrase` is, whatever the article: actors and name, _CONTINUES, a surname, or None.

        Pure in the phrase, so `_resolve` keeps what it found: the same subjects ("he", "Trump",
        "the minister") recur in every article.
        """
        phrase = LEADING.sub("", phrase.strip(" ,.")).strip()
        if not phrase:
            return None
        mentions = [
            m
            for m in self._matcher.mentions(phrase)
            if self._is_actor(phrase, m) and not PARTICIPLE.search(phrase[: m.start])
        ]
        names = [m for m in NAME.finditer(phrase) if is_person_name(m.group())]
        head = names[-1] if names else None
        if not mentions and (phrase.casefold() in PRONOUNS or DESCRIPTION.match(phrase)):
            return _CONTINUES
        if mentions:
            listed = is_list(phrase)
            if listed:
                return tuple(dict.fromkeys(o for m in mentions for o in sorted(m.owners))), ""
            final = mentions[-1]
            after_actor = phrase[final.end :]
            if head is not None and head.start() >= final.end and not SPOKESPERSON.search(after_actor):
                return (), head.group()  # "Trump adviser Jane Doe": the adviser speaks
            for mention in mentions:
                if mention.end >= len(phrase.rstrip(" '’s")) or FOR_ACTOR.search(phrase):
                    return tuple(sorted(mention.owners)), ""
            return tuple(sorted(final.owners)), ""
        if head is not None and head.end() >= len(phrase) - 3:
            return (), head.group()
        if _ONE_WORD_NAME.fullmatch(phrase) and phrase.casefold() not in NOT_NAMES:
            return _SURNAME, phrase
        return None

    def _is_actor(self, phrase: str, mention: Mention) -> bool:
        """False when a different first name stands before an actor's surname ("Karen Flynn")."""
        words = phrase[: mention.start].split()
        if not words or len(phrase[mention.start : mention.end].split()) > 1:
            return True  # a full name ("António Guterres") is the actor whatever title precedes it
        before = words[-1]
        if not before[:1].isupper() or before.casefold() in TITLES or before.endswith(("'s", "’s")):
            return True
        given = set().union(*(self._given.get(o, frozenset()) for o in mention.owners))
        people = [o for o in mention.owners if o in self._given]
        return not people or before.casefold() in given


def _spans(text: str, known: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    found = sentence_spans(text) if known is None else known
    return found or ([(0, len(text))] if text.strip() else [])


def named_speakers(spoken: Iterable[Spoken]) -> dict[str, int]:
    """Speakers who are no actor, by name, with how many sentences they speak."""
    counts: dict[str, int] = {}
    for item in spoken:
        if not item.actors and item.name:
            counts[item.name] = counts.get(item.name, 0) + 1
    return counts
