"""Clean a clipped plain-text page: keep the headline and the article, drop what the browser dragged along.

A clipping is whatever an editor selected and copied from a news site. Above the article it
carries a breadcrumb ("Home China <headline>"), a reading time, a byline and a date line; inside
it, photo captions with their credits ("... June 14, 2021. /Xinhua"), share prompts and "Advertisement"
labels; after it, "Load More" buttons, comment forms, "Check Also" and "Related Articles" teasers.
Lines are judged one by one; at the first end-of-article widget everything after it goes too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from builder.authoring.dates import dates_in, is_date_line

_SEPARATORS = re.compile(r"\s[›»>/|·]\s|\s[›»>/|·]$|^[›»>/|·]\s")
_READ_TIME = re.compile(
    r"^(?:read(?:ing)?\s+time\s*:?\s*(?:\d+|one|two|three|four|five|ten)\s*-?\s*min(?:ute)?s?\.?"
    r"|(?:\d+|one|two|three|four|five|ten)\s*-?\s*min(?:ute)?s?\.?\s+(?:read|reading|to read))\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[\w.'’ -]+(?:,\s*[\w.'’ -]+)?$", re.IGNORECASE)
# Captions end with the agency's credit: "... June 14, 2021. /Xinhua", "REUTERS/Jane Roe",
# "(AP Photo/John Doe)", "[Photo/Xinhua]", or start with a label: "Photo: ...", "File photo ...".
# The first two are matched case-sensitively: credits are capitalised, "and / or the rail" is not.
_CREDIT_ENDS = (
    re.compile(r"\s/\s?[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,2}\.?$"),
    re.compile(r"\b(?:REUTERS|Reuters|AFP|AP|EPA|XINHUA|Xinhua|GETTY IMAGES|Getty Images)\s?/\s?[\w .'’-]+$"),
    re.compile(
        r"[(\[](?:(?:ap\s+)?photo\b[^)\]]*|reuters|ap|afp|epa|xinhua|getty images|file(?: photo)?"
        r"|(?:reuters|afp|xinhua|epa)\s?/[^)\]]*)[)\]]\.?$",
        re.IGNORECASE,
    ),
)
_CAPTION_START = re.compile(
    r"^(?:photo|photograph|image|picture|pictured|file photo|photo credit|photo source|credit|image source"
    r"|image caption)\s*(?:by\b|:)|^(?:©|\(c\)\s|copyright\s©)",
    re.IGNORECASE,
)
# "(R)", "(2nd L)": where a person stands in the photo.
_POSITION = re.compile(r"\((?:\d(?:st|nd|rd|th)\s)?[LRC](?:\s?\d)?\)")
_SHARE_TARGETS = frozenset(
    "share shares sharing facebook twitter x whatsapp email e-mail print linkedin telegram reddit "
    "pinterest tweet messenger tumblr pocket flipboard weibo wechat sms mail".split()
)
_SHARE_WORDS = _SHARE_TARGETS | frozenset(
    "this article story page on via copy link the to with friends your opens in new window click follow "
    "us google".split()
)
_SHARE_START = re.compile(r"^(?:click to share|share this|share on|follow us on|share:)", re.IGNORECASE)
_SIGN_UP = re.compile(r"\b(?:sign(?:ing)?[ -]up|subscribe|subscribing)\b", re.IGNORECASE)
# An invitation, not a report: it opens with the verb, or says "here" or "our newsletter".
_INVITATION = re.compile(
    r"^(?:sign(?:ing)?[ -]up|subscribe|get (?:the|our)|never miss|don'?t miss)\b"
    r"|\b(?:sign[ -]up|subscribe) here\b|\bour (?:[\w-]+ )?(?:newsletter|briefing)s?\b",
    re.IGNORECASE,
)
_ADVERT = re.compile(r"^(?:advertisement|advertising|sponsored|skip advertisement|ad)$", re.IGNORECASE)
_FORM_LINES = re.compile(
    r"^(?:your email address will not be published|required fields are marked|cancel reply"
    r"|save my name, email|post comment|submit comment|name\s*\*|email\s*\*|website$|comment\s*\*)",
    re.IGNORECASE,
)
# Widgets that follow the article: everything from the first of them on is dropped.
_END_MARKERS = (
    ("'Load More' buttons", re.compile(r"^load more\b", re.IGNORECASE)),
    (
        "comment form",
        re.compile(
            r"^(?:leave a (?:reply|comment)|post a comment|add a comment|comments?|\d+ comments?"
            r"|your email address will not be published\b.*)$",
            re.IGNORECASE,
        ),
    ),
    ("'Check Also' teaser", re.compile(r"^check also$", re.IGNORECASE)),
    (
        "related-article teasers",
        re.compile(
            r"^(?:related (?:articles|posts|stories|news|content)|you may also like|you might also like"
            r"|more stories|more from [^.!?]{1,40}|read next|recommended(?: for you)?|most popular"
            r"|trending now)$",
            re.IGNORECASE,
        ),
    ),
    ("tag list", re.compile(r"^(?:tags|filed under|topics)\s*:", re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class Clipping:
    """A clipped page taken apart."""

    title: str | None
    """The headline: the first line that reads like one, or None."""
    paragraphs: tuple[str, ...]
    """The article's paragraphs, each one line of text."""
    captions: tuple[str, ...]
    """Photo captions removed from the text (they often carry the date)."""
    date_lines: tuple[str, ...]
    """Lines above the article that only gave a date ("Published: 22 March 2021")."""
    removed: tuple[str, ...] = field(default=())
    """What kinds of debris were dropped, in the order first met."""


def clean(text: str) -> Clipping:
    """Take a clipped text apart into headline, article paragraphs and what was dropped."""
    blocks = _blocks(text)
    removed: list[str] = []
    captions: list[str] = []
    date_lines: list[str] = []

    def note(kind: str) -> None:
        if kind not in removed:
            removed.append(kind)

    title, blocks = _headline(blocks, note)
    kept: list[str] = []
    for index, block in enumerate(blocks):
        ending = _end_marker(block)
        if ending is not None and kept:
            for later in blocks[index:]:
                later_ending = _end_marker(later)
                if later_ending is not None:
                    note(later_ending)
            break
        kind = _debris(block, title, at_top=not kept)
        if kind is None:
            kept.append(block)
            continue
        note(kind)
        if kind == "photo caption":
            captions.append(block)
        elif kind == "date line":
            date_lines.append(block)
    return Clipping(title, tuple(kept), tuple(captions), tuple(date_lines), tuple(removed))


def _blocks(text: str) -> list[str]:
    """Split into one-line paragraphs: on blank lines, or one a line when the clip is not hard-wrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    if any(not line for line in lines[:-1]) and _has_multiline_paragraphs(lines):
        chunks = re.split(r"\n\s*\n", "\n".join(lines))
        return [" ".join(chunk.split()) for chunk in chunks if chunk.strip()]
    return [line for line in lines if line]


def _has_multiline_paragraphs(lines: list[str]) -> bool:
    # Hard-wrapped text (a paragraph over several lines) joins on blank lines; a browser copy,
    # one paragraph a line with or without blanks between, keeps each line apart.
    runs = 0
    for previous, line in itertools.pairwise(lines):
        if previous and line and not previous.endswith((".", "!", "?", ":", "”", '"')):
            runs += 1
    return runs > max(2, len(lines) // 10)


def _at(blocks: list[str], index: int) -> str:
    return blocks[index] if index < len(blocks) else ""


def _headline(blocks: list[str], note: Callable[[str], None]) -> tuple[str | None, list[str]]:
    """Find the headline among the first lines and return it with the blocks after it."""
    rest = list(blocks)
    if rest and _is_breadcrumb(rest[0], _at(rest, 1)):
        note("breadcrumb")
        rest.pop(0)
    for index, block in enumerate(rest[:6]):
        if is_date_line(block) or _BYLINE.match(block) or furniture(block):
            continue
        if _title_like(block):
            return block, rest[:index] + rest[index + 1 :]
        break
    return None, rest


def _is_breadcrumb(line: str, following: str) -> bool:
    words = line.split()
    folded = line.casefold()
    if folded.startswith("you are here"):
        return True
    if not words or words[0].casefold() not in ("home", "homepage", "start"):
        return False
    if _SEPARATORS.search(line):
        return True
    # "Home News World": a trail of section names, each capitalised (unlike "Home sales slump").
    if len(words) <= 4 and all(word[:1].isupper() for word in words):
        return True
    # "Home China China, Russia discuss ...": the trail ends with the headline that follows.
    return bool(following) and line.endswith(following)


def _title_like(block: str) -> bool:
    words = block.split()
    # Headlines are short and, unlike a lead paragraph, do not end in a full stop.
    return 2 <= len(words) <= 30 and not block.endswith((".", ",", ";", ":"))


def _end_marker(block: str) -> str | None:
    if len(block.split()) > 12:
        return None
    for kind, pattern in _END_MARKERS:
        if pattern.match(block):
            return kind
    return None


def _debris(block: str, title: str | None, *, at_top: bool) -> str | None:
    """Name the kind of debris `block` is, or return None when it belongs to the article."""
    words = block.split()
    if title is not None and " ".join(block.casefold().split()) == " ".join(title.casefold().split()):
        return "repeated headline"
    if at_top and is_date_line(block):
        return "date line"
    if at_top and len(words) <= 8 and _BYLINE.match(block):
        return "byline"
    return furniture(block)


def furniture(block: str) -> str | None:
    """Name the kind of page furniture a paragraph is, wherever it stands; None for article text.

    Also applied to the paragraphs trafilatura extracts from HTML, which keeps captions and
    newsletter prompts that sit inside the article's container.
    """
    words = block.split()
    if len(words) <= 8 and _READ_TIME.match(block):
        return "reading time"
    if _is_caption(block):
        return "photo caption"
    if len(words) <= 12 and (_SHARE_START.match(block) or _only_share_words(words)):
        return "share prompt"
    if _ADVERT.match(block):
        return "advertisement label"
    if _FORM_LINES.match(block):
        return "comment form"
    if len(words) <= 45 and _SIGN_UP.search(block) and _INVITATION.search(block):
        return "newsletter prompt"
    return None


def _is_caption(block: str) -> bool:
    if len(block.split()) > 80:
        return False
    if _CAPTION_START.match(block) or any(credit.search(block) for credit in _CREDIT_ENDS):
        return True
    # "The minister (R) meets ... in Oslo, June 14, 2021.": who stands where, then the date
    # the photo was taken, last. A sentence naming "Senator Roe (R)" has its date elsewhere.
    if not _POSITION.search(block):
        return False
    mentions = dates_in(block)
    return bool(mentions) and block[mentions[-1].start + len(mentions[-1].text) :].strip(" .") == ""


def _only_share_words(words: list[str]) -> bool:
    bare = [w.strip(".,:;!()[]|·•").lower() for w in words]
    bare = [w for w in bare if w]
    return bool(bare) and all(w in _SHARE_WORDS for w in bare) and any(w in _SHARE_TARGETS for w in bare)
