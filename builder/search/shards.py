"""Merge the bundles of several Pagefind runs into the one bundle a single run over all their pages
writes.

Pagefind's service keeps every page it was given and clones them all to build the index (about a
quarter of a MiB per article page: 2.7 GiB at 10,000 articles). The build therefore indexes its
records in shards of `SHARD_RECORDS`, one Pagefind process after the other, so the memory of the
search stage stays that of one shard, and joins the shards' bundles here the way Pagefind 1.5's
`build_indexes` joins pages (`pagefind/src/index/mod.rs`):

- pages are numbered in the order they were added, shard after shard;
- a word's postings are `[page, locations, meta locations]`, the page as the difference from the
  previous posting's page (the first from 0), so only the first posting of each shard's part
  changes; words sorted by their UTF-8 bytes, cut into chunks once a chunk holds 20,000
  locations, meta locations and postings, each chunk named by the shortest distinct prefix of
  its first and last words (a last word kept whole where its prefix would sort before the first);
- a fragment (a page's text) is named by its content hash, cut to 7 hex digits and lengthened by
  one digit while it collides with an earlier page's;
- filter files list absolute page numbers; a sort lists the pages in the stable order of their
  values;
- meta locations name their field by its place in the bundle's list of meta fields.

The result is the bundle one Pagefind run writes (the same files under the same content-hash
names: tests/test_search.py compares them), so search results, ranking and bytes served do not
depend on the sharding.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from builder.search.bundle import ENTRY, decode, encode, pack, pagefind_hash, unpack
from builder.search.words import HASH_DIGITS, Words, merge_words, short_name

SHARD_RECORDS = 1000
"""Most records per Pagefind process: about 300 MiB of Pagefind's memory for articles of 940 words,
whatever the archive's size (longer documents are cut by their text: `shardstore.SHARD_TEXT`)."""

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind run's bundle and what the merge needs to know of its pages."""

    files: Mapping[str, bytes]
    """Bundle-relative path -> bytes, as `PagefindIndex.get_files` returns them."""
    sorts: Sequence[Mapping[str, str]]
    """Each page's sort values by sort name, in the order the pages were added."""


def merge_shards(shards: Sequence[Shard], jobs: int | None = None) -> dict[str, bytes]:
    """The bundle of all `shards`' pages, as one Pagefind run over them in order writes it.

    `jobs`: processes the word chunks are merged in (builder.search.words; by default one per
    core for a large index).

    Raises ValueError if the bundles are not as Pagefind 1.5 writes them.
    """
    if len(shards) == 1:
        return dict(shards[0].files)
    entries = [json.loads(shard.files[ENTRY]) for shard in shards]
    languages = [sorted(entry["languages"]) for entry in entries]
    if len(languages[0]) != 1 or any(names != languages[0] for names in languages):
        raise ValueError(f"shards index one language each, the same one (they have {languages})")
    language = languages[0][0]
    # The scripts, styles and WebAssembly are the same in every shard: the first one's are kept.
    out = {path: data for path, data in shards[0].files.items() if not _is_index_data(path)}
    metas = [
        _read_meta(shard, entry["languages"][language]["hash"])
        for shard, entry in zip(shards, entries, strict=True)
    ]
    meta_hash, pages = _merge_language(language, shards, metas, out, jobs)
    entry = entries[0]
    entry["languages"][language].update(hash=meta_hash, page_count=pages)
    # Pagefind writes this file as compact JSON with non-ASCII characters kept as they are.
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def _load(shard: Shard, path: str) -> Any:
    """A data file of the shard's bundle, decoded (its shape is checked where it is read)."""
    return decode(unpack(shard.files[path]))


def _is_index_data(path: str) -> bool:
    return path == ENTRY or path.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"))


def _read_meta(shard: Shard, meta_hash: str) -> list[Any]:
    meta = _load(shard, f"pagefind.{meta_hash}.pf_meta")
    if not isinstance(meta, list) or len(meta) != 6:
        raise ValueError("a metadata file is not Pagefind 1.5's (version, pages, chunks, filters, ...)")
    if len(meta[1]) != len(shard.sorts):
        raise ValueError(f"a shard holds {len(meta[1])} pages for {len(shard.sorts)} records")
    return meta


def _merge_language(
    language: str,
    shards: Sequence[Shard],
    metas: Sequence[list[Any]],
    out: dict[str, bytes],
    jobs: int | None,
) -> tuple[str, int]:
    """Write the merged fragments, word chunks and filters into `out`; return the metadata
    file's hash and the number of pages."""
    offsets = list(itertools.accumulate((len(meta[1]) for meta in metas), initial=0))
    fields = sorted({field for meta in metas for field in meta[5]})
    remaps = [_field_remap(meta[5], fields) for meta in metas]
    pages = _merge_fragments(language, shards, metas, out)
    words = Words([shard.files for shard in shards], [meta[2] for meta in metas], offsets, remaps)
    chunks = merge_words(language, words, out, jobs)
    filters = _merge_filters(language, shards, metas, offsets, out)
    sorts = _merge_sorts(shards, metas, offsets)
    body = encode([metas[0][0], pages, chunks, filters, sorts, fields])
    meta_hash = f"{language}_{pagefind_hash(body)[: len(language) + 8]}"
    out[f"pagefind.{meta_hash}.pf_meta"] = pack(body)
    return meta_hash, offsets[-1]


def _merge_fragments(
    language: str, shards: Sequence[Shard], metas: Sequence[list[Any]], out: dict[str, bytes]
) -> list[Any]:
    """Every page's fragment under the name one run gives it; the metadata's page list."""
    taken: set[str] = set()
    pages: list[Any] = []
    for shard, meta in zip(shards, metas, strict=True):
        for short, word_count in meta[1]:
            packed = shard.files[f"fragment/{short}.pf_fragment"]
            full = f"{language}_{pagefind_hash(unpack(packed))}"
            name = full[: len(language) + 1 + HASH_DIGITS]
            while name in taken and len(name) < len(full):
                name = full[: len(name) + 1]
            taken.add(name)
            out[f"fragment/{name}.pf_fragment"] = packed
            pages.append([name, word_count])
    return pages


def _field_remap(own: list[str], fields: list[str]) -> dict[int, int] | None:
    """How a shard's meta-field markers (-1 for its first field, ...) become the merged ones."""
    if own == fields:
        return None
    return {-1 - at: -1 - fields.index(field) for at, field in enumerate(own)}


def _merge_filters(
    language: str, shards: Sequence[Shard], metas: Sequence[list[Any]], offsets: Sequence[int],
    out: dict[str, bytes],
) -> list[Any]:
    """Write the merged filter files into `out`; return the metadata's filter list."""
    values: dict[str, dict[str, list[int]]] = {}
    for shard, meta, offset in zip(shards, metas, offsets[:-1], strict=True):
        for name, filter_hash in meta[3]:
            record = _load(shard, f"filter/{filter_hash}.pf_filter")
            if not isinstance(record, list) or len(record) != 2 or not isinstance(record[1], list):
                raise ValueError(f"filter/{filter_hash}.pf_filter is not a Pagefind filter file")
            pages = values.setdefault(name, {})
            for value, value_pages in record[1]:
                pages.setdefault(value, []).extend(page + offset for page in value_pages)
    taken: set[str] = set()
    listed: list[Any] = []
    for name in sorted(values, key=lambda text: text.encode("utf-8")):
        packed: list[Any] = [[value, pages] for value, pages in values[name].items()]
        body = encode([name, packed])
        listed.append([name, short_name(language, body, taken)])
        out[f"filter/{listed[-1][1]}.pf_filter"] = pack(body)
    return listed


def _merge_sorts(shards: Sequence[Shard], metas: Sequence[list[Any]], offsets: Sequence[int]) -> list[Any]:
    """Each sort's pages in the stable order of their values, as one run sorts them."""
    names = sorted({name for meta in metas for name, _ in meta[4]})
    merged: list[Any] = []
    for name in names:
        valued = [
            (value, offset + page)
            for shard, offset in zip(shards, offsets[:-1], strict=True)
            for page, sorts in enumerate(shard.sorts)
            if (value := sorts.get(name)) is not None
        ]
        if all(_NUMBER.fullmatch(value) for value, _ in valued):
            valued.sort(key=lambda item: float(item[0]))
        else:
            valued.sort(key=lambda item: item[0].encode("utf-8"))
        order = [page for _, page in valued]
        for meta, offset, end in zip(metas, offsets, offsets[1:], strict=False):
            own: list[int] = next((pages for sort, pages in meta[4] if sort == name), [])
            if [page - offset for page in order if offset <= page < end] != own:
                raise ValueError(f"a shard's sort {name!r} disagrees with its pages' values")
        merged.append([name, order])
    return merged
