"""Merge the word chunks of several Pagefind bundles into the chunks one run writes, on every core.

Each shard's words come sorted, in chunks; the merged words are cut into new chunks once a chunk
holds `CHUNK_SIZE` locations, meta locations and postings (Pagefind's `chunk_index(word_map,
20000)`). Merging a word's postings (decoding the shards' chunks, renumbering, encoding) is nearly
all of the work and depends on that word alone, so the word range is split into `RANGES_PER_WORKER`
parts per core, each merged in a forked process into (word, size, CBOR bytes); only the cutting into
chunks, which depends on every word before, is done here, in order, by joining those bytes. A
chunk's body is the CBOR of `[[word, ...]]`: an array head, then its words' bytes as they come, so
the result is byte for byte what a single process writes (tests/test_search.py compares them).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import struct
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from builder.parallel import cpu_count, map_forked
from builder.search.bundle import decode, encode, pack, pagefind_hash, unpack

CHUNK_SIZE = 20_000
"""Pagefind's word-chunk size, in locations plus postings (`chunk_index(word_map, 20000)`)."""
CHUNK_COMPRESSION = 6
"""gzip level of the word chunks: 9 would save 1.5% of their bytes for five times the time."""
HASH_DIGITS = 7
"""Hex digits of a content-hash file name before collisions lengthen it."""
PARALLEL_CHUNKS = 64
"""Below this many word chunks in all the shards (about 1,300 articles), forking costs more than
the merge it would share out."""
RANGES_PER_WORKER = 4
"""Parts of the word range per worker: the parts are balanced by the shards' chunk counts, which
only roughly measure the work, so a worker that is done early takes the next part."""

Remap = dict[int, int] | None
"""How a shard's meta-field markers become the merged ones (None: they stay)."""
Bounds = tuple[str | None, str | None]
"""A range of words [low, high) (None: open-ended)."""
Encoded = tuple[str, int, bytes]
"""A merged word: the word, its size (locations and postings), its CBOR."""


@dataclass(frozen=True, slots=True)
class Words:
    """What the word merge reads: each shard's bundle files, the chunk list of its metadata
    ([first word, last word, chunk hash], the words possibly cut to prefixes), where its pages
    start in the merged numbering, and how its meta fields are renumbered."""

    files: Sequence[Mapping[str, bytes]]
    chunks: Sequence[Sequence[Sequence[str]]]
    offsets: Sequence[int]
    remaps: Sequence[Remap]


def merge_words(language: str, words: Words, out: dict[str, bytes], jobs: int | None = None) -> list[Any]:
    """Write the merged word chunks into `out`; return the metadata's chunk list.

    `jobs`: processes to merge in (by default one per core for a large index, else one).
    """
    if jobs is None:
        jobs = cpu_count() if sum(map(len, words.chunks)) >= PARALLEL_CHUNKS else 1
    parts = _ranges(words.chunks, jobs * RANGES_PER_WORKER) if jobs > 1 else [(None, None)]
    listed: list[Any] = []  # [first word, last word, file name] of each chunk
    taken: set[str] = set()
    packed: list[tuple[str, Future[bytes]]] = []
    # gzip releases the GIL: the chunks are compressed on the side while the next ones are cut.
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="pack") as packer:

        def write(chunk: list[Encoded]) -> None:
            body = _array_head(1) + _array_head(len(chunk)) + b"".join(map(itemgetter(2), chunk))
            listed.append([chunk[0][0], chunk[-1][0], short_name(language, body, taken)])
            packed.append((f"index/{listed[-1][2]}.pf_index", packer.submit(pack, body, CHUNK_COMPRESSION)))

        chunk: list[Encoded] = []
        size = 0
        for merged in map_forked(_merged_range, words, parts, jobs):
            for word in merged:
                chunk.append(word)
                size += word[1]
                if size >= CHUNK_SIZE:
                    write(chunk)
                    chunk, size = [], 0
        if chunk:
            write(chunk)
        for path, future in packed:
            out[path] = future.result()
    for before, after in itertools.pairwise(listed):
        to, after[0] = _prefixes(before[1], after[0])
        # Pagefind keeps a chunk's last word whole where its prefix would sort before the
        # chunk's first (`by` after `bru`, not `b`).
        before[1] = to if to >= before[0] else before[1]
    return listed


def short_name(language: str, body: bytes, taken: set[str]) -> str:
    """Pagefind's name for a chunk or filter file: its content hash, cut to HASH_DIGITS and
    lengthened two digits at a time while it collides with an earlier file's."""
    full = f"{language}_{pagefind_hash(body)}"
    name = full[: len(language) + 1 + HASH_DIGITS]
    while name in taken and len(name) < len(full):
        name = full[: len(name) + 2]
    taken.add(name)
    return name


def _array_head(length: int) -> bytes:
    """The head of a CBOR array of `length` items, in the shortest form (as cbor2 and minicbor
    write it)."""
    if length < 24:
        return bytes([0x80 + length])
    if length < 1 << 8:
        return b"\x98" + struct.pack(">B", length)
    if length < 1 << 16:
        return b"\x99" + struct.pack(">H", length)
    if length < 1 << 32:
        return b"\x9a" + struct.pack(">I", length)
    return b"\x9b" + struct.pack(">Q", length)


def _ranges(chunks: Sequence[Sequence[Sequence[str]]], parts: int) -> list[Bounds]:
    """Cut the word range into about `parts` ranges [low, high) holding similar numbers of the
    shards' chunks (None: open-ended)."""
    firsts = sorted(listed[0] for shard in chunks for listed in shard[1:])
    step = len(firsts) / parts
    bounds = sorted({firsts[int(step * part)] for part in range(1, parts) if int(step * part) < len(firsts)})
    edges: list[str | None] = [None, *bounds, None]
    return list(itertools.pairwise(edges))


def _merged_range(words: Words, bounds: Bounds) -> list[Encoded]:
    """The merged words in [low, high), encoded (run in a worker)."""
    streams = [
        _shard_words(number, files, chunks, bounds)
        for number, (files, chunks) in enumerate(zip(words.files, words.chunks, strict=True))
    ]
    merged: list[Encoded] = []
    # heapq.merge keeps equal words in shard order, so each word's postings stay in page order.
    for _, parts in itertools.groupby(heapq.merge(*streams, key=itemgetter(0)), key=itemgetter(0)):
        word = _merge_word([(number, entry) for _, number, entry in parts], words.offsets, words.remaps)
        postings = word[1]
        size = len(postings) + sum(map(len, map(itemgetter(1), postings)))
        size += sum(map(len, map(itemgetter(2), postings)))
        merged.append((word[0], size, encode(word)))
    return merged


def _shard_words(
    number: int, files: Mapping[str, bytes], chunks: Sequence[Sequence[str]], bounds: Bounds
) -> Iterator[tuple[str, int, list[Any]]]:
    """Shard `number`'s words in [low, high), in order, each as (word, number, entry), one chunk
    decoded at a time."""
    low, high = bounds
    start = 0
    if low is not None:
        # A chunk's listed first word is a prefix of its real one, so the bisection can land one
        # chunk late (a prefix is always past the chunk before's last word): start one earlier.
        start = max(0, bisect.bisect_right([listed[0] for listed in chunks], low) - 2)
    for _, _, chunk_hash in chunks[start:]:
        chunk: Any = decode(unpack(files[f"index/{chunk_hash}.pf_index"]))
        if not isinstance(chunk, list) or len(chunk) != 1 or not isinstance(chunk[0], list):
            raise ValueError(f"index/{chunk_hash}.pf_index is not a Pagefind word chunk")
        for entry in chunk[0]:
            word = entry[0]
            if high is not None and word >= high:
                return
            if low is None or word >= low:
                yield word, number, entry


def _merge_word(
    parts: list[tuple[int, list[Any]]], offsets: Sequence[int], remaps: Sequence[Remap]
) -> list[Any]:
    """One word's entry (word, postings, variants) from its entries in several shards."""
    postings: list[Any] = []
    last = 0
    variants: dict[str, tuple[list[Any], int]] = {}
    for number, (_, own, own_variants) in parts:
        last = _append_postings(postings, own, offsets[number], last, remaps[number])
        for variant, variant_postings in own_variants:
            merged, variant_last = variants.get(variant, ([], 0))
            variant_last = _append_postings(
                merged, variant_postings, offsets[number], variant_last, remaps[number]
            )
            variants[variant] = (merged, variant_last)
    return [parts[0][1][0], postings, [[variant, merged] for variant, (merged, _) in variants.items()]]


def _append_postings(out: list[Any], postings: list[Any], offset: int, last: int, remap: Remap) -> int:
    """Append one shard's postings of a word after those of earlier shards; return the last page.

    Only the first posting's page changes (the others are differences from the one before), so
    the postings are taken over as they are, in place: the merge touches each posting once in C.
    """
    if not postings:
        return last
    first: int = postings[0][0] + offset
    postings[0][0] = first - last
    if remap is not None:
        for posting in postings:
            posting[2] = [remap.get(location, location) for location in posting[2]]
    out.extend(postings)
    final: int = first + sum(map(itemgetter(0), itertools.islice(postings, 1, None)))
    return final


def _prefixes(before: str, after: str) -> tuple[str, str]:
    """The shortest prefixes that tell two neighbouring chunks' boundary words apart."""
    common = len(list(itertools.takewhile(lambda pair: pair[0] == pair[1], zip(after, before, strict=False))))
    return before[: common + 1], after[: common + 1]
