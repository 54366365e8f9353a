"""The lexicon and phrase rules of attribution: verbs of saying, and how to find a subject.

Pure data and pure functions over strings, used by `builder.routing.attribution`, which states
the rules they serve.
"""

from __future__ import annotations

import re
from collections import deque

import ahocorasick

from builder.routing.matching import phrase_pattern

# Base forms that double as nouns ("these states", "his claims") are left out; "say" and a few
# others stay for plural subjects ("they say").
VERBS_OF_SAYING = (
    *"say says said tells told adds added stated announces announced urge urges urged warn warns warned"
    " insist insists insisted argue argues argued pledged vowed accuses accused demanded declared affirmed"
    " reaffirmed reiterated stressed condemned criticised criticized proposed promised denies denied"
    " noted explained wrote tweeted asked replied responded claimed suggested acknowledged admitted"
    " confirmed emphasised emphasized maintained predicted contends contended recalled complained"
    " boasted conceded dismissed believe believes voiced".split(),
    *(f"{verb} {word}" for verb in ("call", "calls", "called") for word in ("for", "on", "upon")),
    *(f"{verb} clear" for verb in ("make", "makes", "made")),
    *(f"{verb} out" for verb in ("point", "points", "pointed")),
    "quoted as saying",
)
"""The lexicon of reporting verbs (lower case: "States" and "Says" are no cues)."""
VERBS = phrase_pattern(list(VERBS_OF_SAYING))
REPORTING_VERBS = re.compile(rf"(?<![\w'’-])(?:{VERBS})(?![\w'’-])")
"""Verbs of saying: the cue of a reported statement."""
INVERTIBLE = frozenset(
    "say says said add adds added ask asks asked write writes wrote explain explains explained note notes"
    " noted continue continues continued reply replies replied".split()
)

OPEN, CLOSE = '“"', '”"'
"""Opening and closing quotation marks."""


def _cue_pattern() -> re.Pattern[str]:
    """Every cue of a statement: a verb of saying or "according to" (either case: it opens
    sentences). A quotation has a speaker only where one of these names it (`quotations`).

    Each alternative opens with a plain letter, the check that no word runs into the cue
    coming just after it: a pattern made so lets the regex engine jump between the characters
    that can open a cue, where one opening with a lookbehind is tried at every character (a
    third faster over a whole archive, which is scanned passage by passage).
    """
    rests: dict[str, list[str]] = {}
    for verb in VERBS_OF_SAYING:
        rests.setdefault(verb[0], []).append(verb[1:])
    starts = r"(?<![\w'’-].)"  # the character before the opening one is no part of a word
    alternatives = [
        rf"{re.escape(first)}{starts}(?:{phrase_pattern(rest)})(?![\w'’-])"
        for first, rest in sorted(rests.items())
    ]
    # The one named group: `match.lastgroup` tells the two kinds of cue apart without a look
    # at the text.
    alternatives.append(rf"(?P<according>[aA]{starts}ccording\s+to\s+)")
    return re.compile("|".join(alternatives))


CUE = _cue_pattern()
"""Every cue of a statement (`is_according` tells which); `find_cues` finds them in a passage."""


def _cue_openings() -> ahocorasick.Automaton:
    """The words a cue can open with, for one pass over a text in C.

    Only the shortest of words that extend one another ("say", not "says"): a cue's opening is
    then found once, with no set to remove the doubles. The words are letters only, so the
    automaton gives the places a cue may start in order, except inside a longer word
    ("recalled" holds "call"), where no cue starts.
    """
    words = {verb.split()[0] for verb in VERBS_OF_SAYING} | {"according", "According"}
    automaton = ahocorasick.Automaton()
    for word in words:
        if not any(other != word and word.startswith(other) for other in words):
            automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


_OPENINGS = _cue_openings()


def find_cues(text: str) -> list[re.Match[str]]:
    """The matches of CUE in `text`, left to right, as `CUE.finditer` gives them.

    Python's regex engine tries CUE's hundred alternatives at every character, the whole cost of
    attribution on long texts (UN speeches). An Aho-Corasick automaton finds, in one pass in C,
    the few places where a cue's first word stands; CUE is tried only there. Every match starts
    at such a place, so none is missed.
    """
    found: list[re.Match[str]] = []
    position = 0
    for end, length in _OPENINGS.iter(text):
        start = end - length + 1
        if start >= position:
            match = CUE.match(text, start)
            if match is not None:
                found.append(match)
                position = match.end()
    return found


def is_according(cue: re.Match[str]) -> bool:
    """Whether a match of CUE is "according to" (else it is a verb of saying)."""
    return cue.lastgroup is not None


ADD = frozenset({"adds", "added"})
ADDED_WHAT = re.compile(r"\s*(?:that\b|[,.:;“\"]|$)")
ACCORDING = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
# Words between a subject and its verb: "has also said", "would later tell", "said on Monday".
SKIPPED_WORDS = frozenset(
    "has have had also later again then previously repeatedly once would will did does do is was were"
    " are been being reportedly publicly recently earlier further separately strongly firmly flatly"
    " openly privately frequently often never not still already even just quickly sharply bluntly"
    " simply immediately now today yesterday all both too first".split()
)
SKIPPED_PHRASE = re.compile(
    r"\s+(?:on\s+(?:\w+day|\d{1,2}\s+\w+|\w+\s+\d{1,2})|last\s+\w+|this\s+(?:week|month|year|morning)"
    r"|in\s+a\s+(?:joint\s+)?(?:statement|speech|interview))$",
    re.IGNORECASE,
)
TAIL = 40
"""Characters at the end of the text before a verb that its auxiliaries and adverbs can take."""


def skip_to_subject(before: str) -> str:
    """`before` without the auxiliaries, adverbs and times between a subject and its verb."""
    text = before.rstrip()
    while text:
        cut = text.rfind(" ")
        if text[cut + 1 :].casefold() in SKIPPED_WORDS:
            text = text[: max(cut, 0)].rstrip()
            continue
        phrase = SKIPPED_PHRASE.search(text, max(0, len(text) - TAIL))
        if phrase is None:
            break
        text = text[: phrase.start()].rstrip()
    return text


_MARKS = ';:(“”"—–,'
_CLAUSE_WORDS = (
    r"\s(?:that|who|which|whom|whose|but|while|because|as|when|after|before|if"
    r"|although|though|since|where|and\s+then|so|what|whether|than|until|unless)\s"
)
BOUNDARY = re.compile(rf"[{_MARKS}]|{_CLAUSE_WORDS}", re.IGNORECASE)
"""Where a clause ends: a mark, or a word that opens another clause."""
_CLAUSE_WORD = re.compile(_CLAUSE_WORDS, re.IGNORECASE)
_MARK = re.compile(f"[{_MARKS}]")


def _last_boundary_end(text: str) -> int | None:
    """Where the last match of BOUNDARY in `text` ends (None without one).

    The last mark is found from the right (a search of the reversed text), and only the text
    after it is searched for a word that opens a clause: such a match holds no mark, so
    BOUNDARY's matches after the mark are the ones a search from there finds. BOUNDARY's scan of
    all of a 200-character stretch before a verb was the largest cost of the subject rules.
    """
    mark = _MARK.search(text[::-1])
    after = len(text) - mark.start() if mark else 0  # just after the last mark
    words = deque(_CLAUSE_WORD.finditer(text, after), maxlen=1)
    if words:
        return words[0].end()
    return after if mark else None


PRONOUNS = frozenset("he she they we it".split())
DESCRIPTION = re.compile(
    r"^(?:(?:both|the\s+two|the\s+three|the\s+four|all\s+three)\s+(?:\w+\s+){0,2}?(?:ministers|sides"
    r"|leaders|presidents|governments|countries|delegations|men|women)"
    r"|(?:the|this|that|a|an|his|her|their)\s+(?:\w+\s+){0,3}?(?:minister|spokesman|spokeswoman"
    r"|spokesperson|president|senator|candidate|governor|official|leader|secretary|diplomat"
    r"|envoy|ambassador|chief|prime\s+minister|general|chancellor|chairman|chairwoman|businessman"
    r"|congressman|congresswoman|lawmaker|mogul|nominee|frontrunner|front-runner|billionaire"
    r"|ministry|government|administration|campaign|group|organisation|organization|agency|office"
    r"|king|queen|prince|envoy|ruler|regime|junta|party|committee|council|team|former"
    r"\s+\w+))$",
    re.IGNORECASE,
)
# Someone who speaks for the actor named beside them ("Kremlin spokesman Dmitry Peskov").
FOR_ACTOR = re.compile(
    r"\b(?:spokes(?:man|woman|person|people)|ministry|ministries|office|government|embassy"
    r"|mission|delegation|administration|campaign|department|council|press\s+secretary|aide|aides"
    r"|representative|statement|officials?|diplomats?|envoy|ambassador|agency|news\s+agency)\b",
    re.IGNORECASE,
)
SPOKESPERSON = re.compile(r"\b(?:spokes(?:man|woman|person)|press\s+secretary)\b", re.IGNORECASE)
PARTICIPLE = re.compile(r"\b[a-z]{3,}(?:ing|ed)\b|\b(?:about|against|with|to|by|from|on|at|over)\s")
NAMED_APPOSITIVE = re.compile(r"[^,.]{1,50},\s*(?P<name>[A-Z][^,.]{1,40}),")
OPENING = re.compile(r"(?:(?:[A-Z][a-z]*\.|[A-Z][\w'’-]*)\s+){0,4}[A-Z][\w'’-]+(?=\s*[,(]|\s+[a-z])")
FUNCTION_WORDS = frozenset(
    "on in at for with after before during from to by as if when while the but and so then this that"
    " these those it its there here meanwhile however under over since until".split()
)
INSTITUTION = re.compile(
    r"['’]s\b|\b(?:Ministry|Office|Department|Council|Committee|Party|Government|House|Commission"
    r"|Union|Nations|Agency|Assembly|Court|Embassy|Mission|Administration|Organi[sz]ation|Association"
    r"|Bank|Fund|Group|Forces|Army|Campaign|Times|Post|News|Press|Journal|Institute|University)\b"
)
NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|al|bin|de|van|von|der|la|ul))*")
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sen sen. gov gov. rep rep. gen gen. president senator governor"
    " secretary secretary-general minister foreign prime vice former state chancellor king queen prince"
    " general leader"
    " supreme chairman mayor speaker ambassador envoy representative candidate republican democrat"
    " democratic presidential nominee businessman congressman congresswoman chief deputy mullah sheikh"
    " ayatollah premier counselor councilor spokesman spokeswoman the a an of for and".split()
)
NOT_NAMES = frozenset(
    "officials analysts experts critics sources reports witnesses residents police observers"
    " diplomats protesters activists voters supporters opponents others many some most few both"
    " it this that these those there here who which what people lawmakers democrats republicans"
    " polls surveys aides advisers".split()
)
NOT_INVERTED = re.compile(r"\s*(?:that|it|to|in|on|of|at)\b", re.IGNORECASE)
# The words the three checks on a subject's last word look for, each list once: the patterns and
# the quick test before them (`may_end_in_tail_word`) are made from these.
_MODAL_WORDS = "to would will could can may might must should not".split()
_BE_WORDS = "was were been being is are be get got".split()
_ADVERBS = "once also later again then never not still already even just first reportedly".split()
_NOUN_WORDS = "the a an these those this his her their its our my your of in for with such new many".split()
MODAL = re.compile(rf"\b(?:{'|'.join(_MODAL_WORDS)})\s*$")
TIME = re.compile(r",\s*(?:on|in|at|last|this)\s[^,]{1,40},?$")
PASSIVE = re.compile(
    rf"\b(?:{'|'.join(_BE_WORDS)})(?:\s+(?:\w+ly|{'|'.join(_ADVERBS)}))*\s*$",
    re.IGNORECASE,
)
_TAIL_WORDS = (*_MODAL_WORDS, *_BE_WORDS, *_ADVERBS, "ly", *_NOUN_WORDS)


def may_end_in_tail_word(before: str) -> bool:
    """False when `before` cannot end the way PASSIVE, MODAL or NOUN_BEFORE need (a word of
    theirs, then only spaces): its last word ends in none of their words.

    A check on one word, where the three patterns are tried at forty positions each: most
    subjects end in a name ("Lavrov said"), and this turns them away at once.
    """
    words = before.rsplit(None, 1)
    return bool(words) and words[-1].casefold().endswith(_TAIL_WORDS)


LOOK_BACK = 200
"""Characters before a verb searched for its subject (a subject and an appositive fit well within)."""
MAX_SOURCE_WORDS = 10
"""A subject longer than this is a clause, not someone speaking."""
NOUN_BEFORE = re.compile(rf"\b(?:{'|'.join(_NOUN_WORDS)})\s*$", re.IGNORECASE)
# Words that open a phrase set off by commas before the verb, not its subject: "Rubio, appearing
# on Fox News, said", "Sullivan, in an attempt to …, wrote".
NOT_SUBJECT = re.compile(
    r"^\s*(?:in|on|at|for|with|after|before|during|from|to|by|despite|amid|like|unlike|as|while"
    r"|[a-z]+ing|[a-z]+ed|[A-Z]-[A-Z][a-z]+\.?|\d[\w ]*)\b"
)
LEADING = re.compile(r"^(?:and|or|but|so|then|now|also|meanwhile|however|instead)\s+", re.IGNORECASE)


def clause(text: str, forward: bool) -> str:
    """The first clause of `text` (forward) or its last one: up to the nearest boundary."""
    if forward:
        stop = BOUNDARY.search(text)
        return text[: stop.start()] if stop else text.rstrip('.!?”" ')
    return text


_APPOSITIVE = re.compile(r",\s*(?:the|a|an|who|which|[a-z][\w'’-]*\s+of)\b[^,]{0,60},\s*$")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\s*(?:the\s+)?[A-Z]")
_LISTED = re.compile(r"(?:,|\band\b)")
_OF_FOR = re.compile(r"\b(?:of|for)\b")
_QUOTATION = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"")


def subject_before(before: str) -> str | None:
    """The noun phrase ending `before` (the text before a verb): its last clause, lists kept."""
    if not before:
        return None
    # An appositive between commas: "Lavrov, the foreign minister, said".
    appositive = _APPOSITIVE.search(before) if before.rstrip().endswith(",") else None
    if appositive:
        before = before[: appositive.start()]
    before = before.rstrip(" ,")
    chunk_start = _last_boundary_end(before)
    if chunk_start is None:
        return before.strip()
    chunk = before[chunk_start:]
    if _AND.search(chunk):  # a list: "Russia, the United States, China and …"
        for cut in reversed(list(BOUNDARY.finditer(before))):
            piece = before[: cut.start()].rsplit(",", 1)[-1] if cut.group() == "," else ""
            if cut.group() != "," or not _CAPITALISED.match(piece) or len(piece.split()) > 4:
                break
            chunk_start = cut.start() - len(piece)
        chunk = before[chunk_start:]
    return chunk.strip() or None


def subject_of(before: str, quoted: bool) -> str | None:
    """The subject of the verb `before` ends at, or None for a passive, a modal or a noun
    (`quoted`: the verb is "quoted", as in "was quoted as saying", the one passive that speaks)."""
    tail = len(before) - TAIL if len(before) > TAIL else 0
    if may_end_in_tail_word(before):
        if not quoted and PASSIVE.search(before, tail):
            return None  # passive: "Iran was urged to …" names the addressee
        if MODAL.search(before, tail):
            return None  # "they would respond", "refused to say": no statement reported
        if NOUN_BEFORE.search(before, tail):
            return None  # "these claims", "his calls for": a noun, not a verb
    stripped = skip_to_subject(before)
    time = TIME.search(stripped, max(0, len(stripped) - 2 * TAIL))
    stripped = stripped[: time.start()] if time else stripped
    subject = subject_before(stripped)
    # Walk back over phrases set off by commas that cannot be the subject.
    while subject is not None and NOT_SUBJECT.match(subject) and "," in stripped.rstrip(" ,"):
        stripped = stripped.rstrip(" ,")
        stripped = stripped[: stripped.rindex(",")]
        subject = subject_before(stripped)
    if subject is not None and len(subject.split()) > MAX_SOURCE_WORDS:
        return None
    return subject


def is_list(phrase: str) -> bool:
    return bool(_LISTED.search(phrase)) and not _OF_FOR.search(phrase)


def is_person_name(name: str) -> bool:
    if INSTITUTION.search(name) or name.split()[0].casefold() in FUNCTION_WORDS:
        return False
    words = [w for w in name.split() if w.casefold() not in TITLES]
    return len(words) >= 2 and all(w[:1].isupper() or w in {"al", "bin", "de", "van", "von"} for w in words)


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations (“…” or "…") of the text."""
    found: list[tuple[int, int]] = []
    for match in _QUOTATION.finditer(text):
        found.append((match.start(), match.end()))
    return found


def starts_with_quote(text: str, start: int) -> bool:
    return text[start : start + 1] in OPEN
