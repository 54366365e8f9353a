"""The lexicon and phrase rules of attribution: verbs of saying, and how to find a subject.

Pure data and pure functions over strings, used by `builder.routing.attribution`, which states
the rules they serve.
"""

from __future__ import annotations

import re

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
CUE = re.compile(rf"(?<![\w'’-])(?:{VERBS})(?![\w'’-])|according\s+to|[“\"]")
ADD = frozenset({"adds", "added"})
ADDED_WHAT = re.compile(r"\s*(?:that\b|[,.:;“\"]|$)")
ACCORDING = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
OPEN, CLOSE = '“"', '”"'
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


BOUNDARY = re.compile(
    r"[;:(“”\"—–]|,|\s(?:that|who|which|whom|whose|but|while|because|as|when|after|before|if"
    r"|although|though|since|where|and\s+then|so|what|whether|than|until|unless)\s",
    re.IGNORECASE,
)
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
MODAL = re.compile(r"\b(?:to|would|will|could|can|may|might|must|should|not)\s*$")
TIME = re.compile(r",\s*(?:on|in|at|last|this)\s[^,]{1,40},?$")
PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|get|got)(?:\s+(?:\w+ly|once|also|later|again|then|never"
    r"|not|still|already|even|just|first|reportedly))*\s*$",
    re.IGNORECASE,
)
LOOK_BACK = 200
"""Characters before a verb searched for its subject (a subject and an appositive fit well within)."""
MAX_SOURCE_WORDS = 10
"""A subject longer than this is a clause, not someone speaking."""
NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|these|those|this|his|her|their|its|our|my|your|of|in|for|with|such|new|many)\s*$",
    re.IGNORECASE,
)
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


def subject_before(before: str) -> str | None:
    """The noun phrase ending `before` (the text before a verb): its last clause, lists kept."""
    if not before:
        return None
    # An appositive between commas: "Lavrov, the foreign minister, said".
    appositive = re.search(r",\s*(?:the|a|an|who|which|[a-z][\w'’-]*\s+of)\b[^,]{0,60},\s*$", before)
    if appositive:
        before = before[: appositive.start()]
    before = before.rstrip(" ,")
    cuts = list(BOUNDARY.finditer(before))
    if not cuts:
        return before.strip()
    chunk_start = cuts[-1].end()
    chunk = before[chunk_start:]
    if re.search(r"\band\b", chunk, re.IGNORECASE):  # a list: "Russia, the United States, China and …"
        for cut in reversed(cuts):
            piece = before[: cut.start()].rsplit(",", 1)[-1] if cut.group() == "," else ""
            if cut.group() != "," or not re.match(r"\s*(?:the\s+)?[A-Z]", piece) or len(piece.split()) > 4:
                break
            chunk_start = cut.start() - len(piece)
        chunk = before[chunk_start:]
    return chunk.strip() or None


def is_list(phrase: str) -> bool:
    return bool(re.search(r"(?:,|\band\b)", phrase)) and not re.search(r"\b(?:of|for)\b", phrase)


def is_person_name(name: str) -> bool:
    if INSTITUTION.search(name) or name.split()[0].casefold() in FUNCTION_WORDS:
        return False
    words = [w for w in name.split() if w.casefold() not in TITLES]
    return len(words) >= 2 and all(w[:1].isupper() or w in {"al", "bin", "de", "van", "von"} for w in words)


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations (“…” or "…") of the text."""
    found: list[tuple[int, int]] = []
    for match in re.finditer(r"“[^”]{2,}”|\"[^\"]{2,}\"", text):
        found.append((match.start(), match.end()))
    return found


def starts_with_quote(text: str, start: int) -> bool:
    return text[start : start + 1] in OPEN
