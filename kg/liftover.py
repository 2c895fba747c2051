"""GRCh37 ↔ GRCh38 coordinates through UCSC liftOver chain files.

A chain file lists, for each aligned stretch of the two assemblies, gap-free blocks
(``size dt dq`` lines after a ``chain`` header).  :class:`ChainMap` keeps every block of one
chain file as flat, sorted arrays per source chromosome and answers a point or a span with
:meth:`ChainMap.lift`, which says where it lands or why it cannot:

>>> lift = liftover("GRCh38", "GRCh37")
>>> lift.lift("7", 140753336)  # BRAF c.1799 (V600) on GRCh38
Lifted(chromosome='7', position=140453136, strand='+')
>>> liftover("GRCh37", "GRCh38").lift("7", 140453136).position
140753336

Where a position falls between aligned blocks, on a chromosome the chain does not cover,
or in a stretch the chain maps to several places, :meth:`ChainMap.lift` returns an
:class:`Unmappable` with the reason instead.  A block on the ``-`` strand of the target
(a region inverted between the assemblies) gives ``strand='-'``: the caller complements
alleles (:func:`reverse_complement`).

The mitochondrial genome is the same sequence in GRCh37 and GRCh38 (the rCRS, NC_012920.1), so
an ``MT`` position lifts to itself; the chains' ``chrM`` block maps UCSC hg19's older chrM
(NC_001807, two bases longer) and is not used.

The chain files are the UCSC ones (``hg19ToHg38.over.chain.gz``, ``hg38ToHg19.over.chain.gz``,
bundled in ``kg/reference/``; freely usable, see ``loaders/starter/NOTICE.md``).  Each is read
once per process, on first use; nothing is read at import.  Parsing a chain file takes 0.1 s and
0.4-0.6 s (``bench/liftover.py``), so the first process to read one keeps its blocks as flat arrays
in ``PMKG_HOME/cache/liftover/`` (named by the chain file's SHA-256 and the array layout's version,
written atomically, checksummed); later processes load those in a few milliseconds and fall back to
the chain file whenever the arrays are missing, damaged, of another layout or not writable.  The
arrays are plain little-endian integers read with :mod:`array` (layout 1 was numpy's ``.npz``:
loading it imported numpy, 50-150 ms of the first answer of every ``pmkg annotate`` of a VCF or MAF
whose positions needed lifting).  This module never touches the network and knows nothing of variants.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import gzip
import hashlib
import itertools
import json
import os
import struct
import sys
import tempfile
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import SchemaError

ASSEMBLIES = ("GRCh37", "GRCh38")
_CHAIN_FILES = {("GRCh37", "GRCh38"): "hg19ToHg38.over.chain.gz", ("GRCh38", "GRCh37"): "hg38ToHg19.over.chain.gz"}
_MT_LENGTH = 16569  # the rCRS
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")
_ARRAYS_VERSION = 2  # the layout of the kept arrays (ChainMap.arrays): a new layout gets new files
_KEPT_MAGIC = b"PMKGLIFT"
_KEPT_PREFIX = struct.Struct("<8sIII")  # magic, layout version, header length, header CRC-32
# The integer columns of the kept blocks, in file order, with their array typecodes (8-, 4- and 1-byte).
_COLUMNS = (("start", "q"), ("end", "q"), ("query", "i"), ("anchor", "q"), ("plus", "b"))


@dataclass(frozen=True, slots=True)
class Lifted:
    """Where a 1-based position (or the first base of a span) lands on the other assembly."""

    chromosome: str
    position: int
    strand: str  # "+" or "-": "-" when the region is inverted between the assemblies


@dataclass(frozen=True, slots=True)
class Unmappable:
    """Why a position or span has no place on the other assembly."""

    reason: str


def reverse_complement(bases: str) -> str:
    """The other strand's bases, read 5' to 3'.

    >>> reverse_complement("GATTC")
    'GAATC'
    """
    return bases.translate(_COMPLEMENT)[::-1]


def _name(chrom: str) -> str:
    name = chrom.removeprefix("chr")
    return "MT" if name == "M" else name


class ChainMap:
    """Every gap-free block of one chain file, searchable by source position."""

    def __init__(self, source: str, target: str, lines: list[str]) -> None:
        self._empty(source, target)
        self._index(_parse(source, target, lines))

    def _empty(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        self._starts: dict[str, list[int]] = {}
        self._reach: dict[str, list[int]] = {}  # the furthest end of any block up to this one
        self._blocks: dict[str, list[tuple[int, int, str, int, str]]] = {}

    @classmethod
    def from_arrays(cls, source: str, target: str, arrays: Mapping[str, Any]) -> ChainMap:
        """The map :meth:`arrays` wrote (the same blocks in the same order, without parsing the chain file)."""
        made = cls.__new__(cls)
        made._empty(source, target)
        names, queries = [str(n) for n in arrays["chromosomes"]], [str(n) for n in arrays["query_chromosomes"]]
        bounds = arrays["bounds"].tolist()
        columns = {k: arrays[k].tolist() for k in ("start", "end", "query", "anchor", "plus")}
        for number, chrom in enumerate(names):
            first, last = bounds[number], bounds[number + 1]
            starts = columns["start"][first:last]
            made._starts[chrom] = starts
            made._reach[chrom] = list(itertools.accumulate(columns["end"][first:last], max))
            made._blocks[chrom] = list(zip(starts, columns["end"][first:last],
                                           [queries[q] for q in columns["query"][first:last]],
                                           columns["anchor"][first:last],
                                           ["+" if plus else "-" for plus in columns["plus"][first:last]],
                                           strict=True))  # fmt: skip
        return made

    def arrays(self) -> dict[str, Any]:
        """Every block as flat columns (what :meth:`from_arrays` reads)."""
        names = sorted(self._blocks)
        queries = sorted({b[2] for blocks in self._blocks.values() for b in blocks})
        position = {name: i for i, name in enumerate(queries)}
        ordered = [b for name in names for b in self._blocks[name]]
        bounds = [0]
        for name in names:
            bounds.append(bounds[-1] + len(self._blocks[name]))
        return {
            "chromosomes": names,
            "query_chromosomes": queries,
            "bounds": array.array("q", bounds),
            "start": array.array("q", [b[0] for b in ordered]),
            "end": array.array("q", [b[1] for b in ordered]),
            "query": array.array("i", [position[b[2]] for b in ordered]),
            "anchor": array.array("q", [b[3] for b in ordered]),
            "plus": array.array("b", [b[4] == "+" for b in ordered]),
        }

    def _index(self, blocks: dict[str, list[tuple[int, int, str, int, str]]]) -> None:
        for chrom, found in blocks.items():
            found.sort()
            self._starts[chrom] = [b[0] for b in found]
            self._reach[chrom] = list(itertools.accumulate((b[1] for b in found), max))
            self._blocks[chrom] = found

    def _hits(self, chrom: str, offset: int) -> list[tuple[str, int, str]]:
        starts = self._starts.get(chrom)
        if not starts:
            return []
        blocks, reach = self._blocks[chrom], self._reach[chrom]
        hits = []
        index = bisect.bisect_right(starts, offset) - 1
        while index >= 0 and reach[index] > offset:
            start, end, q_chrom, anchor, strand = blocks[index]
            if start <= offset < end:
                shift = offset - start
                hits.append((q_chrom, anchor + shift if strand == "+" else anchor - shift, strand))
            index -= 1
        return hits

    def lift(self, chromosome: str, position: int, length: int = 1) -> Lifted | Unmappable:
        """Where the ``length`` bases from 1-based ``position`` land, as one unbroken stretch.

        A span must land whole, on one chromosome and strand, with its bases still adjacent
        (an indel across a gap of the alignment has no single place on the other assembly).
        """
        chrom = _name(chromosome)
        where = f"{self.source} {chrom}:{position}"
        if chrom == "MT":  # the same sequence (rCRS, NC_012920.1) in GRCh37 and GRCh38: see the module docstring
            if position < 1 or position + length - 1 > _MT_LENGTH:
                return Unmappable(f"{where} is not on the mitochondrial genome ({_MT_LENGTH:,} bases)")
            return Lifted("MT", position, "+")
        if chrom not in self._starts:
            return Unmappable(f"chromosome {chrom} is not in the {self.source}→{self.target} chain file")
        first = self._hits(chrom, position - 1)
        if not first:
            return Unmappable(f"{where} is in no aligned block of {self.target} (deleted or rearranged there)")
        if len({h for h in first}) > 1:
            places = ", ".join(f"{c}:{p + 1}" for c, p, _ in sorted(first))
            return Unmappable(f"{where} maps to several places on {self.target} ({places})")
        q_chrom, q_offset, strand = first[0]
        if length > 1:
            last = self._hits(chrom, position + length - 2)
            expected = q_offset + (length - 1 if strand == "+" else -(length - 1))
            if last != [(q_chrom, expected, strand)]:
                return Unmappable(
                    f"{self.source} {chrom}:{position}-{position + length - 1} crosses a gap or break "
                    f"of the alignment with {self.target}"
                )
            q_offset = min(q_offset, expected)
        return Lifted(q_chrom, q_offset + 1, strand)


def _parse(source: str, target: str, lines: list[str]) -> dict[str, list[tuple[int, int, str, int, str]]]:
    # Per source chromosome, blocks sorted by start (0-based, half-open): start, end,
    # target chromosome, target start on the target's + strand for strand "+", or the
    # target end for strand "-" (so one subtraction finds the position either way).
    blocks: dict[str, list[tuple[int, int, str, int, str]]] = {}
    header: list[str] = []
    t_pos = q_pos = 0
    for line in lines:
        if line.startswith("chain"):
            header = line.split()
            if len(header) < 12:
                raise SchemaError(f"chain file {source}→{target}: malformed chain header {line[:60]!r}")
            t_pos, q_pos = int(header[5]), int(header[10])
            continue
        fields = line.split()
        if not fields or not header:
            continue
        size = int(fields[0])
        t_name, q_name, q_strand, q_size = _name(header[2]), _name(header[7]), header[9], int(header[8])
        if "_" not in t_name and "_" not in q_name:  # alt, random and unplaced contigs are not ours
            anchor = q_pos if q_strand == "+" else q_size - q_pos - 1
            blocks.setdefault(t_name, []).append((t_pos, t_pos + size, q_name, anchor, q_strand))
        if len(fields) >= 3:
            t_pos += size + int(fields[1])
            q_pos += size + int(fields[2])
    return blocks


def _read(source: str, target: str) -> ChainMap:
    name = _CHAIN_FILES.get((source, target))
    if name is None:
        raise SchemaError(f"no chain file lifts {source} to {target}; expected one of {', '.join(ASSEMBLIES)}")
    with resources.as_file(resources.files("kg") / "reference" / name) as real:
        chain = Path(real).read_bytes()
    kept = _kept_arrays_path(name, chain)
    if kept is not None:
        try:
            return ChainMap.from_arrays(source, target, _load_arrays(kept))
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            pass  # none kept yet (or damaged, or another layout): parse the chain file and keep it again
    found = ChainMap(source, target, gzip.decompress(chain).decode("ascii").splitlines())
    if kept is not None:
        _keep_arrays(kept, found)
    return found


def _kept_arrays_path(name: str, chain: bytes) -> Path | None:
    """Where the parsed blocks of the chain file ``name`` (content ``chain``) are kept; None without a home."""
    try:
        from kg.settings import get_settings

        folder = get_settings().cache_dir / "liftover"
    except Exception:  # settings that cannot be read: parse every time  # noqa: BLE001
        return None
    digest = hashlib.sha256(chain).hexdigest()[:16]
    return folder / f"{name.removesuffix('.over.chain.gz')}-{digest}-v{_ARRAYS_VERSION}.blocks"


def _column_bytes(column: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        column = array.array(column.typecode, column)
        column.byteswap()
    return column.tobytes()


def _keep_arrays(path: Path, chain_map: ChainMap) -> None:
    """Write ``chain_map``'s blocks to ``path`` atomically; a folder that cannot be written is left alone.

    Layout: magic, version, header length and CRC-32 (:data:`_KEPT_PREFIX`), a JSON header (chromosome names, block
    bounds, the block count and the payload's CRC-32), then each column of :data:`_COLUMNS`, little-endian.
    """
    arrays = chain_map.arrays()
    payload = b"".join(_column_bytes(arrays[name]) for name, _ in _COLUMNS)
    header = json.dumps({"chromosomes": arrays["chromosomes"], "query_chromosomes": arrays["query_chromosomes"],
                         "bounds": arrays["bounds"].tolist(), "count": len(arrays["start"]),
                         "crc32": zlib.crc32(payload)}).encode()  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".writing-", suffix=".blocks", delete=False) as handle:
            prefix = _KEPT_PREFIX.pack(_KEPT_MAGIC, _ARRAYS_VERSION, len(header), zlib.crc32(header))
            handle.write(prefix + header + payload)
        os.replace(handle.name, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(handle.name).unlink(missing_ok=True)
        return
    chain = path.name.split("-", 1)[0]  # hg19ToHg38: files of another layout or chain release are stale
    for stale in path.parent.glob(f"{chain}-*"):
        if stale != path and not stale.name.startswith("."):
            stale.unlink(missing_ok=True)


def _load_arrays(path: Path) -> dict[str, Any]:
    """The columns :func:`_keep_arrays` wrote to ``path``; ValueError if it is not such a file, whole and intact."""
    data = path.read_bytes()
    if len(data) < _KEPT_PREFIX.size:
        raise ValueError("too short")
    magic, version, header_length, header_crc = _KEPT_PREFIX.unpack_from(data)
    if magic != _KEPT_MAGIC or version != _ARRAYS_VERSION:
        raise ValueError("another layout")
    start = _KEPT_PREFIX.size + header_length
    if zlib.crc32(data[_KEPT_PREFIX.size : start]) != header_crc:
        raise ValueError("header checksum mismatch")
    header = json.loads(data[_KEPT_PREFIX.size : start])
    count, payload = int(header["count"]), memoryview(data)[start:]
    if len(payload) != count * sum(array.array(code).itemsize for _, code in _COLUMNS):
        raise ValueError("truncated")
    if zlib.crc32(payload) != header["crc32"]:
        raise ValueError("checksum mismatch")
    arrays: dict[str, Any] = {key: header[key] for key in ("chromosomes", "query_chromosomes")}
    arrays["bounds"] = array.array("q", header["bounds"])
    for name, code in _COLUMNS:
        column = array.array(code)
        size = count * column.itemsize
        column.frombytes(payload[:size])
        if sys.byteorder == "big":
            column.byteswap()
        arrays[name], payload = column, payload[size:]
    bounds = arrays["bounds"]
    if bounds[0] != 0 or bounds[-1] != count or len(bounds) != len(arrays["chromosomes"]) + 1:
        raise ValueError("bounds do not match the blocks")
    return arrays


_MAPS: dict[tuple[str, str], ChainMap] = {}
_LOCK = threading.Lock()


def liftover(source: str, target: str) -> ChainMap:
    """The chain map from ``source`` to ``target`` assembly, read on first use and kept."""
    key = (source, target)
    found = _MAPS.get(key)
    if found is None:
        with _LOCK:
            found = _MAPS.get(key)
            if found is None:
                found = _MAPS[key] = _read(source, target)
    return found
