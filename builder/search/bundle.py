"""Make Pagefind's bundle byte-identical from one build to the next, and write it.

Pagefind 1.5.2 collects filter values in a hash map with a per-process random seed and writes them
(and the list of filters in its metadata file) in that map's order, so two builds of the same input
name their filter files differently. Everything else it writes is already stable. This module
rewrites the filter files with their values sorted, under the content hashes Pagefind itself would
give them, then the metadata file that lists them and the entry file that names it. Sorting by
value is what later Pagefind releases do themselves, so the files stay readable by the same
`pagefind.js`, and the facets list values in a stable order. It works on the files in memory, as
`PagefindIndex.get_files` returns them, and then writes the bundle itself.

The files are gzip'd: a `pagefind_dcd` signature followed by CBOR (only unsigned and negative
integers, text, byte strings, arrays and maps occur), read and written with cbor2.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import cbor2

from builder.errors import BuildError
from builder.parallel import in_threads

SIGNATURE = b"pagefind_dcd"
"""What every Pagefind data file starts with once decompressed."""
ENTRY = "pagefind-entry.json"
"""The file that names each language's metadata file."""

CborValue = int | str | bytes | bool | None | list["CborValue"] | dict["CborValue", "CborValue"]

_META_FILTERS = 3
"""Position of the filter list in the metadata record (version, pages, chunks, filters, sorts, meta)."""


def normalise(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files (bundle-relative path -> bytes) with the filter files in a stable order."""
    out = dict(files)
    try:
        entry = json.loads(out[ENTRY])
        for language, info in entry["languages"].items():
            info["hash"] = _normalise_language(out, language, info["hash"])
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise BuildError(f"search: the index Pagefind wrote is not as expected ({error!r})") from error
    # Pagefind writes this file as compact JSON with non-ASCII characters kept as they are.
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def write_bundle(files: Mapping[str, bytes], bundle: Path) -> None:
    """Write the files under `bundle` (ten thousand at 10,000 articles, in a few threads)."""
    for folder in sorted({(bundle / relative).parent for relative in files}):
        folder.mkdir(parents=True, exist_ok=True)
    in_threads(lambda relative: (bundle / relative).write_bytes(files[relative]), sorted(files))


def _normalise_language(files: dict[str, bytes], language: str, meta_hash: str) -> str:
    """Sort one language's filter files; return its new metadata hash."""
    meta_name = f"pagefind.{meta_hash}.pf_meta"
    meta = decode(unpack(files.pop(meta_name)))
    listed = meta[_META_FILTERS] if isinstance(meta, list) and len(meta) > _META_FILTERS else None
    if not isinstance(meta, list) or not isinstance(listed, list):
        raise ValueError(f"{meta_name} is not a Pagefind metadata record")
    filters: list[CborValue] = []
    taken: set[str] = set()
    for item in listed:
        if not isinstance(item, list) or not isinstance(item[0], str) or not isinstance(item[1], str):
            raise ValueError(f"{meta_name} lists a filter it cannot name")
        name, old_hash = item[0], item[1]
        body = encode(_sorted_filter(decode(unpack(files.pop(f"filter/{old_hash}.pf_filter")))))
        new_hash = _short_hash(language, body, 7, taken)
        taken.add(new_hash)
        files[f"filter/{new_hash}.pf_filter"] = pack(body)
        filters.append([name, new_hash])
    filters.sort(key=_text_key)
    meta[_META_FILTERS] = filters
    body = encode(meta)
    new_meta_hash = f"{language}_{pagefind_hash(body)[: len(language) + 8]}"
    files[f"pagefind.{new_meta_hash}.pf_meta"] = pack(body)
    return new_meta_hash


def _sorted_filter(index: CborValue) -> CborValue:
    """A filter file's record (name, [(value, pages), ...]) with its values sorted."""
    if not isinstance(index, list) or len(index) != 2 or not isinstance(index[1], list):
        raise ValueError("a filter file is not a Pagefind filter record")
    return [index[0], sorted(index[1], key=_text_key)]


def _text_key(item: CborValue) -> bytes:
    """Sort key of a (name, ...) pair: its name's UTF-8 bytes, the order of Rust's `String`."""
    if not isinstance(item, list) or not isinstance(item[0], str):
        raise ValueError("expected a record that starts with a name")
    return item[0].encode("utf-8")


def _short_hash(language: str, body: bytes, length: int, taken: set[str]) -> str:
    """Pagefind's file name for `body`: language, then the shortest unused hash prefix."""
    full = f"{language}_{pagefind_hash(body)}"
    size = len(language) + 1 + length
    while full[:size] in taken and size < len(full):
        size += 1
    return full[:size]


def pagefind_hash(body: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte in hex *without* zero padding (as it does)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(body).digest())


def unpack(raw: bytes) -> bytes:
    """The CBOR (or JSON, for fragments) body of a Pagefind data file."""
    data = gzip.decompress(raw)
    if not data.startswith(SIGNATURE):
        raise ValueError("a Pagefind data file does not start with Pagefind's signature")
    return data[len(SIGNATURE) :]


def pack(body: bytes, level: int = 9) -> bytes:
    """A Pagefind data file for `body`, gzip'd without a timestamp so it depends on `body` only."""
    return gzip.compress(SIGNATURE + body, compresslevel=level, mtime=0)


def decode(data: bytes) -> CborValue:
    """Decode the one CBOR item that fills `data`."""
    value: CborValue = cbor2.loads(data)
    return value


def encode(value: CborValue) -> bytes:
    """Encode `value` with definite lengths and the shortest integer forms, as Pagefind's minicbor
    does (cbor2's own defaults), so a file Pagefind wrote comes back byte for byte."""
    return cbor2.dumps(value)
