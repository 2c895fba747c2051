"""Recurrent cancer hotspot residues: the one table the class rules consult for "activating".

A missense change at a residue that is recurrently mutated across cancers (cancerhotspots.org
v2, Chang et al. 2018; ``kg/data/cancer_hotspots.tsv``, rebuilt by
``scripts/data/hotspots.py``) is, by the rules in :mod:`kg.variant_classes`, an activating
change that joins a gene's activating and oncogenic-mutation classes; a missense change
anywhere else is not (it is a variant of unknown significance unless a source names it).

>>> is_hotspot("BRAF", 600, "V"), is_hotspot("BRAF", 509, "R"), is_hotspot("BRAF", 600, "K")
(True, False, False)

The table is read once, lazily, from the package (never at import) and held as a set, so a
lookup is one hash probe.  This module never touches the network and never writes.
"""

from __future__ import annotations

import functools
from importlib import resources

TABLE = "cancer_hotspots.tsv"


@functools.cache
def hotspot_residues() -> frozenset[tuple[str, int, str]]:
    """``(gene symbol, protein position, reference residue)`` of every single-residue hotspot."""
    text = resources.files("kg").joinpath("data", TABLE).read_text(encoding="utf-8")
    residues: set[tuple[str, int, str]] = set()
    for line in text.splitlines():
        if not line or line.startswith(("#", "gene\t")):
            continue
        gene, position, residue, _count = line.split("\t")
        residues.add((gene, int(position), residue))
    return frozenset(residues)


def is_hotspot(gene: str, position: int, reference_residue: str) -> bool:
    """Whether ``gene``'s residue ``reference_residue``/``position`` is a recurrent cancer hotspot.

    The reference residue must agree with the table: a change written on another numbering
    (a different transcript) is not taken for a hotspot it only shares a number with.
    """
    return (gene, position, reference_residue) in hotspot_residues()
