"""Read what `briefdesk import` was given: a file or standard input, as bytes, refusing non-pages."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from builder.authoring.charset import bom_encoding
from builder.errors import ContentError, UsageError

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""Largest page we import: saved news pages with inline scripts reach a few MiB."""

_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml|meta)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|h1|title|br)\b[^>]*>", re.I)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}


@dataclass(frozen=True, slots=True)
class Input:
    """The bytes to import and what they are."""

    data: bytes
    name: str
    """The file name as given, or `standard input`."""
    is_html: bool


def read_input(argument: str, stdin: BinaryIO | None = None) -> Input:
    """Read `argument` (a path, or `-` for standard input) and decide whether it is HTML."""
    if argument == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
        suffix = ""
    else:
        path = Path(argument)
        name = argument
        suffix = path.suffix.lower()
        if path.is_dir():
            raise UsageError(f"{name} is a folder; give the saved page's file (or - for standard input)")
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise UsageError(f"no such file: {name}") from None
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise ContentError(f"{name} is larger than {MAX_INPUT_BYTES // 1048576} MiB; is it really one page?")
    if not data.strip():
        raise ContentError(f"{name} is empty: nothing to import")
    _refuse_binary(data, name)
    return Input(data, name, suffix in _HTML_SUFFIXES or looks_like_html(data))


def looks_like_html(data: bytes) -> bool:
    """Tell whether `data` is markup: it opens like an HTML document or holds block tags early on."""
    head = data[:4096]
    encoding = bom_encoding(head)
    if encoding is not None and not encoding.startswith("utf-8"):
        head = head.decode(encoding, errors="replace").lstrip("\ufeff").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def _refuse_binary(data: bytes, name: str) -> None:
    encoding = bom_encoding(data)
    if encoding is not None and encoding.startswith(("utf-16", "utf-32")):
        return  # NUL bytes are how UTF-16 and UTF-32 write ASCII
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise ContentError(
            f"{name} is a binary file (a NUL byte at offset {nul}); import reads a saved web page "
            "(HTML) or plain text"
        )
