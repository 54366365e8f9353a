"""Cut an article body into passages: top-level blocks other than headings and rules.

markdown-it-py gives every top-level block with its source line range, so each passage keeps its
Markdown verbatim; its inline tokens give the plain text that routing matches aliases against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.model import Heading, Passage

_PARSER = MarkdownIt("commonmark").enable("table")
_KINDS = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "blockquote",
    "table_open": "table",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
}
_TAG = re.compile(r"<[^>]*>")


def split_passages(
    body: str, first_line: int = 1
) -> tuple[tuple[Passage, ...], tuple[Passage | Heading, ...]]:
    """Return the body's passages, and every block (passages, headings, rules) in order."""
    lines = body.split("\n")
    tokens = _PARSER.parse(body)
    passages: list[Passage] = []
    blocks: list[Passage | Heading] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _block_end(tokens, index)
        if token.level == 0 and token.map is not None:
            start, stop = token.map
            source = "\n".join(lines[start:stop]).strip("\n")
            if token.type == "heading_open":
                blocks.append(Heading(int(token.tag[1]), tokens[index + 1].content))
            elif token.type == "hr":
                blocks.append(Heading(0, source))
            elif token.type in _KINDS:
                text = plain_text(tokens[index : end + 1])
                passage = Passage(
                    number=len(passages) + 1,
                    markdown=source,
                    # A paragraph without markup reads the same in both: one string held, not two
                    # (most of a long archive's text; pickled to the build, it stays one).
                    text=source if text == source else text,
                    line=first_line + start,
                    kind=_KINDS[token.type],
                    depth=_depth(tokens[index : end + 1]),
                )
                passages.append(passage)
                blocks.append(passage)
        index = end + 1
    return tuple(passages), tuple(blocks)


def _block_end(tokens: Sequence[Token], index: int) -> int:
    """Index of the token that closes the top-level block opened at `index`."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open"}


def _depth(tokens: Sequence[Token]) -> int:
    """The deepest nesting of lists and blockquotes among `tokens`."""
    depth = deepest = 0
    for token in tokens:
        if token.type in _CONTAINERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type.replace("_close", "_open") in _CONTAINERS and token.nesting == -1:
            depth -= 1
    return deepest


def plain_text(tokens: Sequence[Token]) -> str:
    """Render block tokens to plain text: one line per inline run, markup and URLs dropped."""
    runs: list[str] = []
    for token in tokens:
        if token.type == "inline":
            runs.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            runs.extend(token.content.split("\n"))
        elif token.type == "html_block":
            runs.append(_TAG.sub(" ", token.content))
    # str.split() without arguments also splits on no-break spaces and line breaks.
    cleaned = (" ".join(run.split()) for run in runs)
    return "\n".join(run for run in cleaned if run)


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)
