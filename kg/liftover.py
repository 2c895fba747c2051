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
once per process, on first use (about 0.1 s and 0.6 s; see ``bench/liftover.py``); nothing is
read at import.  This module never touches the network and knows nothing of variants.
"""

from __future__ import annotations

import bisect
import gzip
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import SchemaError

ASSEMBLIES = ("GRCh37", "GRCh38")
_CHAIN_FILES = {("GRCh37", "GRCh38"): "hg19ToHg38.over.chain.gz", ("GRCh38", "GRCh37"): "hg38ToHg19.over.chain.gz"}
_MT_LENGTH = 16569  # the rCRS
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


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
        self.source, self.target = source, target
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
        self._starts: dict[str, list[int]] = {}
        self._reach: dict[str, list[int]] = {}  # the furthest end of any block up to this one
        self._blocks: dict[str, list[tuple[int, int, str, int, str]]] = {}
        for chrom, found in blocks.items():
            found.sort()
            reach, furthest = [], 0
            for block in found:
                furthest = max(furthest, block[1])
                reach.append(furthest)
            self._starts[chrom] = [b[0] for b in found]
            self._reach[chrom] = reach
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


def _read(source: str, target: str) -> ChainMap:
    name = _CHAIN_FILES.get((source, target))
    if name is None:
        raise SchemaError(f"no chain file lifts {source} to {target}; expected one of {', '.join(ASSEMBLIES)}")
    path = resources.files("kg") / "reference" / name
    with resources.as_file(path) as real, gzip.open(Path(real), "rt", encoding="ascii") as handle:
        return ChainMap(source, target, handle.read().splitlines())


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
