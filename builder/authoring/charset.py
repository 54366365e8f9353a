"""Decode the bytes of a saved page or a clipping into text, the way a browser would.

Order of authority: a byte-order mark; then UTF-8, when the bytes are valid UTF-8; then the
charset the page declares (`<meta charset>`, `http-equiv`, an XML declaration); then a
statistical guess (charset_normalizer); then Windows-1252, which decodes any byte sequence.

Browsers trust a declaration over valid UTF-8 (the WHATWG sniffing algorithm); we do not,
because a saved page is often re-encoded as UTF-8 by the tool that saved it while its old
`<meta charset>` stays, and text in a legacy charset is practically never valid UTF-8 by chance
once it holds any non-ASCII character.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from builder.optional import optional_module

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers look for the declaration in the first 1,024 bytes; saved pages often put scripts
# first, so we look further.
_PRESCAN_BYTES = 8192
_DECLARED = (
    re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE),
    re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.IGNORECASE),
)
# The WHATWG encoding standard decodes these labels as Windows-1252, as every browser does.
_AS_WINDOWS_1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and how."""

    text: str
    encoding: str
    """Python codec name actually used."""
    how: str
    """`byte-order mark`, `declared`, `utf-8` or `guessed`."""


def bom_encoding(data: bytes) -> str | None:
    """Return the codec a byte-order mark at the start of `data` names, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def declared_encoding(data: bytes) -> str | None:
    """Return the Python codec for the charset an HTML or XML document declares, if known."""
    head = data[:_PRESCAN_BYTES]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            label = match.group(1).decode("ascii", "replace").strip().lower()
            try:
                name = codecs.lookup(label).name
            except LookupError:
                log.info("unknown declared charset %r, ignored", label)
                continue
            # A page saved as UTF-16 keeps its ASCII-looking declaration only if it has a BOM,
            # which wins before this is asked; a declared UTF-16 here is a lie, as in browsers.
            if name.startswith(("utf-16", "utf-32")):
                return "utf-8"
            return "cp1252" if name in _AS_WINDOWS_1252 else name
    return None


def decode(data: bytes, *, html: bool) -> Decoded:
    """Decode `data`; for HTML, honour a declared charset when the bytes are not UTF-8. Never raises."""
    bom = bom_encoding(data)
    if bom is not None:
        return Decoded(data.decode(bom, errors="replace").lstrip("\ufeff"), bom, "byte-order mark")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data) if html else None
    if declared is not None and declared != "utf-8":
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except UnicodeDecodeError:
            log.info("bytes are not valid %s as declared; guessing", declared)
    guessed = _guess(data)
    if guessed is not None:
        return Decoded(data.decode(guessed, errors="replace"), guessed, "guessed")
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "guessed")


def _guess(data: bytes) -> str | None:
    charset_normalizer = optional_module("charset_normalizer", "guessing a file's character set")
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None
