"""What a user claims about a gene's protein, checked against what the graph knows.

A typed or file protein change carries claims: the reference residue at a position (the
``A`` of ``BRAF A600E``), that the position exists, the version of a transcript, that two
genes are fused.  Where the graph can check a claim it does, and an impossible one is
refused with the reason (``BRAF position 600 is V, not A``); where nothing in the graph can
check it, the answer says so instead of staying silent.  What the graph knows:

- **reference residues**: every protein change a source names for the gene (CIViC, ClinVar,
  MOAlmanac … variants, and codon classes) states the residue at its position; sources that
  number on different isoforms may disagree, and then any residue one of them gives is accepted;
- **the protein's extent**: no residue before 1, and none beyond a third of the gene's span on
  GRCh38 (MANE's coordinates): a coding sequence cannot be longer than its gene.  The graph
  holds no protein length, so a position inside that bound is checked only by its residue;
- **transcript versions**: MANE names each gene's current RefSeq and Ensembl transcripts
  with their versions; a version beyond the current one does not exist in this gene model;
- **fusions**: a fusion joins two genes; one gene "fused" to itself is refused unless a source
  names it as a variant.

The graph holds no exon counts, so an exon number is never checked and the answer says so.
This module reads the graph through :class:`~queries.graph_view.GraphView` only, and never
logs what it checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.records import Node
from kg.variants import ProteinChange
from queries.graph_view import GraphView

# Gene properties that hold MANE transcripts (``mane_select_*`` one accession, ``mane_plus_*`` a list).
_MANE_KEYS = ("mane_select_refseq", "mane_select_ensembl", "mane_plus_clinical_refseq", "mane_plus_clinical_ensembl",
              "mane_select_refseq_protein", "mane_select_ensembl_protein")  # fmt: skip
_MAX_VERSION = 30  # transcript versions tried below a given one (RefSeq's most revised are in the 20s)


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """``problem``: why the claim is impossible (empty if it is not); ``unchecked``: what could not be checked."""

    problem: str = ""
    unchecked: tuple[str, ...] = ()

    def note(self) -> str:
        """The unchecked claims, as a sentence to append to an answer's message."""
        return "not checked: " + "; ".join(self.unchecked) if self.unchecked else ""


def gene_span(gene: Node) -> int | None:
    """The gene's length in bp on GRCh38 (MANE's coordinates), if the graph has them."""
    start, end = gene.props.get("start"), gene.props.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        return None
    return end - start + 1


def check_protein_change(view: GraphView, gene: Node, symbol: str, change: ProteinChange) -> ClaimCheck:
    """Check the residues and positions ``change`` names against the gene's known residues and extent."""
    claims = [(change.start, change.ref)]
    if change.end != change.start:
        claims.append((change.end, change.end_ref))
    for position, _ in claims:
        if position < 1:
            return ClaimCheck(f"{symbol} has no position {position}: protein positions start at 1")
    span = gene_span(gene)
    beyond = max(change.start, change.end)  # the furthest position claimed
    if span is not None and beyond > span // 3:  # a coding sequence is no longer than its gene
        return ClaimCheck(
            f"{symbol} has no position {beyond}: its gene spans {span:,} bp on GRCh38 (MANE), "
            f"room for at most {span // 3:,} residues"
        )
    known = view.reference_residues(gene.id)
    unchecked: list[str] = []
    if beyond > known.last_position:  # no source names a residue this far along: the length is unknown
        bound = f" (its gene's span allows at most {span // 3:,})" if span is not None else ""
        unchecked.append(f"that {symbol} has a position {beyond}: this graph holds no protein lengths{bound}")
    for position, residue in claims:
        if not residue:  # a range whose end residue is not written (V769_770insASV)
            continue
        stated = known.by_position.get(position)
        if stated is None:
            unchecked.append(f"the residue at {symbol} position {position}: no source in this graph names one")
            continue
        if residue not in stated:
            return ClaimCheck(_mismatch(symbol, position, residue, stated))
    return ClaimCheck(unchecked=tuple(unchecked))


def _mismatch(symbol: str, position: int, residue: str, stated: Mapping[str, tuple[str, ...]]) -> str:
    residues = " or ".join(sorted(stated))
    names = "; ".join(
        ", ".join(found[:3]) + (f" ({r})" if len(stated) > 1 else "") for r, found in sorted(stated.items())
    )
    return f"{symbol} position {position} is {residues}, not {residue} (so this graph's {names} say)"


def transcript_candidates(given: str | None, gene: Node | None) -> list[str]:
    """Accessions to look a c. change up on: the given one, then other versions of it and of the MANE ones."""
    accessions: list[str] = []
    if given:
        accessions.append(given)
    if gene is not None:
        for key in ("mane_select_refseq", "mane_plus_clinical_refseq", "mane_select_ensembl"):
            value = gene.props.get(key)
            accessions.extend(str(v) for v in (value if isinstance(value, list) else [value]) if v)
    out: dict[str, None] = {}
    for accession in accessions:
        base, _, version = accession.partition(".")
        out[accession] = None
        newest = int(version) if version.isdigit() and len(version) < 4 else 0
        # Sources cite older versions (CIViC: NM_004333.4).
        for number in range(min(max(newest, 3), _MAX_VERSION) + 1, 0, -1):
            out[f"{base}.{number}"] = None
    return list(out)


def transcript_versions(gene: Node) -> dict[str, tuple[int, str]]:
    """The current version of each MANE transcript of the gene, by accession without version."""
    found: dict[str, tuple[int, str]] = {}
    for key in _MANE_KEYS:
        value = gene.props.get(key)
        for accession in value if isinstance(value, list) else [value]:
            base, _, version = str(accession or "").partition(".")
            if base and version.isdigit():
                found[base] = (int(version), str(accession))
    return found


def check_transcript(gene: Node, symbol: str, accession: str) -> ClaimCheck:
    """A transcript version beyond the one MANE names for the gene does not exist in this graph's gene model."""
    base, _, version = accession.partition(".")
    current = transcript_versions(gene).get(base)
    if current is None:
        return ClaimCheck(unchecked=(f"the version of {accession}: it is not a MANE transcript of {symbol}",))
    if version.isdigit() and int(version) > current[0]:
        return ClaimCheck(
            f"{accession} does not exist: the newest version of {base} in this graph's gene model "
            f"(MANE) is {current[1]}, {symbol}'s"
        )
    return ClaimCheck()


def check_fusion(five: str, three: str, known: bool) -> ClaimCheck:
    """A gene fused to itself is refused unless a source names that variant."""
    if five != three or known:
        return ClaimCheck()
    return ClaimCheck(
        f"{five}::{three} joins {five} to itself: a fusion needs two genes (an intragenic rearrangement "
        f"is written as its own variant, e.g. an exon deletion or duplication)"
    )


def exon_unchecked(symbol: str, exon: int) -> ClaimCheck:
    """Exon numbers: the graph holds no exon counts, so the answer says exon ``exon`` was not checked."""
    if exon < 1:
        return ClaimCheck(f"{symbol} has no exon {exon}: exons are numbered from 1")
    return ClaimCheck(unchecked=(f"that {symbol} has an exon {exon}: this graph holds no exon counts",))
