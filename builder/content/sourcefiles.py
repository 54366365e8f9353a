"""Read content files as UTF-8 text and split front matter from body, refusing what is unsafe.

Everything here turns a bad file into a `SourceProblem` with a line and a message an editor can
act on; nothing here raises anything else for bad bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest content file we read: ten times the longest real speech in our corpora."""

# python-frontmatter's own boundary (`---` or longer, trailing blanks allowed), anchored to a line.
_OPEN = re.compile(YAMLHandler.FM_BOUNDARY.pattern.replace(r"\s*$", r"[ \t]*$"), re.MULTILINE)
# Jekyll and YAML both allow `...` (document end) to close the block.
_CLOSE = re.compile(r"^(?:-{3,}|\.{3})[ \t]*$", re.MULTILINE)


class SourceProblem(Exception):
    """A file cannot be read as a content document."""

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SplitDocument:
    """A content file cut into its YAML front matter and its Markdown body."""

    meta_text: str
    """The YAML between the delimiters."""
    meta_first_line: int
    """File line of the first YAML line."""
    body: str
    """The Markdown after the closing delimiter."""
    body_first_line: int
    """File line of the first body line."""


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8 text with `\\n` newlines and no byte-order mark."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceProblem(
            1, "encoding", "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceProblem(
            data.count(b"\n", 0, nul) + 1,
            "binary",
            f"binary file (a NUL byte at byte offset {nul}): content files must be UTF-8 text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise SourceProblem(
            data.count(b"\n", 0, exc.start) + 1,
            "encoding",
            f"not valid UTF-8: byte 0x{bad:02X} at byte offset {exc.start} ({exc.reason}); "
            "the file may be Latin-1 or Windows-1252: save it as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(root: Path, path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read `path` (inside `root`) as text, refusing symlinks that leave the project and big files."""
    return decode(read_bytes(root, path, max_bytes=max_bytes))


def read_bytes(root: Path, path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read `path` (inside `root`) as bytes, refusing symlinks that leave the project and big files."""
    try:
        real = path.resolve()
    except RuntimeError:  # Python 3.11 and 3.12 raise it for a symlink loop
        raise SourceProblem(1, "symlink", "symlink loop: it leads back to itself; remove it") from None
    if path.is_symlink() and not real.is_relative_to(root.resolve()):
        raise SourceProblem(
            1, "symlink", f"symlink points outside the project (to {real}); refusing to read it"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceProblem(
                1,
                "too-large",
                f"file is {size / 1048576:.1f} MiB; the limit is {max_bytes // 1048576} MiB "
                "per content file: split it into several articles",
            )
        return path.read_bytes()
    except OSError as exc:
        raise SourceProblem(1, "unreadable", f"cannot read file: {exc.strerror}") from None


def split_front_matter(text: str) -> SplitDocument:
    """Split `---`-delimited YAML front matter from the Markdown body."""
    if not text.strip():
        raise SourceProblem(
            1,
            "empty-file",
            "empty file: start with front matter between --- lines (title, date, source), then the body",
        )
    opening = _OPEN.match(text)
    if opening is None:
        first = text.lstrip("\n").split("\n", 1)[0].strip()
        if first.startswith("+++"):
            hint = "TOML front matter (+++) is not supported; write YAML between --- lines"
        elif re.match(r"^-{3,}[ \t]*\w", first):
            hint = (
                f"front matter opened with '{first[:40]}': a language after the dashes is not "
                "supported; open with a line of three dashes alone and write YAML below it"
            )
        elif first.startswith(";;;"):
            hint = "front matter between ;;; lines is not supported; write YAML between --- lines"
        else:
            hint = (
                "no front matter: the file must start with a line of three dashes (---), "
                "then YAML keys such as title, date and source, then another --- line"
            )
        raise SourceProblem(1, "no-front-matter", hint)
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        last = _last_key_line(text[opening.end() + 1 :]) + 1
        raise SourceProblem(
            last,
            "unclosed-front-matter",
            "front matter opened on line 1 is never closed: add a line of three dashes (---) "
            + (f"after line {last}, its last key" if last > 1 else "after the last key"),
        )
    meta_start = opening.end() + 1
    body_start = min(closing.end() + 1, len(text))
    return SplitDocument(
        meta_text=text[meta_start : closing.start()],
        meta_first_line=text.count("\n", 0, meta_start) + 1,
        body=text[body_start:],
        body_first_line=text.count("\n", 0, body_start) + 1,
    )


_KEY_LINE = re.compile(r"^[^\s#:-][^:]*:(?:[ \t]|$)")


def _last_key_line(meta: str) -> int:
    """Count the lines of `meta` (the text after the opening ---) that still read as front matter.

    The front matter runs while lines are `key: value`, indented continuations, list items or
    comments; the first other line after a blank one is where the body began.
    """
    last = 0
    blank = False
    for number, line in enumerate(meta.split("\n"), start=1):
        if not line.strip():
            blank = True
            continue
        if _KEY_LINE.match(line) or (not blank and line[:1] in (" ", "\t", "-", "#")):
            last = number
            blank = False
            continue
        break
    return last
