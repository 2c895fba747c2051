"""Tables of text keys → small values, laid out so that a process opening them reads nothing it does not ask for.

A kept file that every process loads whole costs every process its size: the match tables of the starter graph
(~12,000 nodes, ~30,000 keys) took ~10 ms to unmarshal, most of a first answer's budget.  Here each table is a
*section* of flat arrays, as the embedded graph file lays out its id index (:mod:`kg.stores.embedded.graph`):
the CRC-32 of every key, sorted; the CRC-32 of every entry; where each entry starts; then the entries, each
``marshal.dumps((key, value))``.  Opening a section checks its arrays against the CRC-32 the file's header gives
(a few hundred KB at most) and casts them, without copying; a lookup is one binary search, one CRC-32 of the entry
and one ``marshal.loads`` of it, and the key stored in the entry must be the key asked (two keys may share a hash).

Values are what ``marshal`` writes (str, int, tuples, lists, dicts, None, bool, float): never code objects, never
pickle.  Arrays are in the machine's byte order (the file is a cache beside a build on this machine; the caller
stamps it with :data:`LAYOUT`).  An entry whose bytes are not those written raises :class:`DamagedSection`; this
module never logs and never reads a file itself (the caller maps it).
"""

from __future__ import annotations

import itertools
import marshal
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

LAYOUT = f"hashed-sections-1-{sys.byteorder}"
_ALIGN = 8


class DamagedSection(ValueError):
    """A section's arrays or one of its entries are not the bytes they were written as."""


def _hash(key: str) -> int:
    return zlib.crc32(key.encode())


def pack_sections(tables: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, list[int]], bytes]:
    """Each of ``tables`` as a section: where each starts, how many entries it has and the CRC-32 of its arrays
    (``name → [at, count, crc]``, for the file's header), and the bytes of every section one after the other."""
    out = bytearray()
    layout: dict[str, list[int]] = {}
    for name, table in tables.items():
        entries = sorted((_hash(key), key) for key in table)
        blobs = [marshal.dumps((key, table[key])) for _, key in entries]
        arrays = (
            array("I", (h for h, _ in entries)).tobytes()
            + array("I", (zlib.crc32(b) for b in blobs)).tobytes()
            + array("Q", itertools.accumulate(map(len, blobs), initial=0)).tobytes()
        )
        layout[name] = [len(out), len(entries), zlib.crc32(arrays)]
        out += arrays
        out += b"".join(blobs)
        out += bytes(-len(out) % _ALIGN)  # the next section's arrays start aligned
    return layout, bytes(out)


class Section:
    """One packed table, read in place from ``data`` (the bytes :func:`pack_sections` wrote, or a map of them)."""

    def __init__(self, data: memoryview, at: int, count: int, crc: int) -> None:
        if at < 0 or count < 0 or at % _ALIGN:
            raise DamagedSection("a section is not where a section can start")
        arrays = data[at : at + 16 * count + 8]
        if len(arrays) != 16 * count + 8 or zlib.crc32(arrays) != crc:
            raise DamagedSection("a section's index is not the one it was written with")
        self._count = count
        self._hashes = arrays[: 4 * count].cast("I")
        self._crcs = arrays[4 * count : 8 * count].cast("I")
        self._offsets = arrays[8 * count :].cast("Q")
        start = at + 16 * count + 8
        self._entries = data[start : start + self._offsets[count]]
        if len(self._entries) != self._offsets[count]:
            raise DamagedSection("a section ends before its last entry")

    def get(self, key: str) -> Any:
        """The value kept for ``key``, or None when the section has none."""
        code = _hash(key)
        index = bisect_left(self._hashes, code)
        while index < self._count and self._hashes[index] == code:
            raw = self._entries[self._offsets[index] : self._offsets[index + 1]]
            if zlib.crc32(raw) != self._crcs[index]:
                raise DamagedSection("an entry is not the one it was written with")
            try:
                stored, value = marshal.loads(raw)
            except (ValueError, TypeError, EOFError) as exc:
                raise DamagedSection(f"an entry cannot be read ({exc})") from None
            if stored == key:
                return value
            index += 1
        return None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None
