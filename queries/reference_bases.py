"""The reference base the build knows at a coding position, to say so when an input contradicts it.

``BRAF c.1799G>A`` names no stored variant, but the build does know c.1799 of NM_004333.4: CIViC
records BRAF V600E as ``NM_004333.4:c.1799T>A``.  :func:`contradicted_coding_reference` looks the
same position up with each other reference base (on the transcript given, or on the gene's
MANE transcripts when none is) and, when a stored variant's HGVS has a different reference
there, says ``BRAF c.1799: the reference base is T (not G); known from CIViC variant 12 (BRAF
V600E: NM_004333.4:c.1799T>A)``.  Genomic inputs get the same check in
:func:`queries.positions.locate` (the coordinates stored with each variant).

It reads the graph through :class:`~queries.graph_view.GraphView` only, claims no base that no
stored record gives (no record at the position: None, and the caller keeps its "not in this
graph"), and never logs or keeps what it is given (patient data).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.records import Node
from kg.schema import Label
from queries.graph_view import GraphView

_BASES = "ACGT"
_SUBSTITUTION = re.compile(r"c\.(?P<pos>[-*]?\d+(?:[+-]\d+)?)(?P<ref>[ACGT])>(?P<alt>[ACGT])")


def contradicted_coding_reference(
    view: GraphView, symbol: str | None, transcripts: Sequence[str], coding: str, *, transcript_given: bool
) -> str | None:
    """Why ``coding`` (a c. substitution) cannot be right: the reference base stored records give at its position.

    ``transcripts`` are the accessions the input was looked up on (the given one first); with
    ``transcript_given`` only that accession's versions are asked, else also the gene-named form.
    None when the change is not a single-base substitution or no record knows the position.
    """
    match = _SUBSTITUTION.fullmatch(coding)
    if match is None:
        return None
    position, ref = match.group("pos"), match.group("ref")
    known = _records_at(view, symbol, transcripts, position, transcript_given=transcript_given, besides=ref)
    if not known:
        return None
    shown = f"{symbol or transcripts[0]} c.{position}"
    if len(known) == 1:
        ((base, records),) = known.items()
        return f"{shown}: the reference base is {base} (not {ref}); known from {'; '.join(sorted(set(records)))}"
    bases = "; ".join(f"{base} from {', '.join(sorted(set(records)))}" for base, records in sorted(known.items()))
    return f"{shown}: the reference base is not {ref}; the records of this position give {bases}"


def known_coding_base(
    view: GraphView, symbol: str | None, transcripts: Sequence[str], position: int, *, transcript_given: bool
) -> str | None:
    """The reference base stored records give at coding ``position`` (None: none, or records that disagree)."""
    known = _records_at(view, symbol, transcripts, str(position), transcript_given=transcript_given)
    return next(iter(known)) if len(known) == 1 else None


def _records_at(
    view: GraphView,
    symbol: str | None,
    transcripts: Sequence[str],
    position: str,
    *,
    transcript_given: bool,
    besides: str = "",
) -> dict[str, list[str]]:
    """Reference base → the records whose c. substitution at ``position`` starts from it (bases but ``besides``)."""
    if transcript_given and transcripts:
        accession = transcripts[0].split(".")[0]
        transcripts = [t for t in transcripts if t.split(".")[0] == accession]
    known: dict[str, list[str]] = {}  # reference base -> "on X (record: hgvs)"
    for other in (b for b in _BASES if b != besides):
        forms = [f"c.{position}{other}>{alt}" for alt in _BASES if alt != other]
        keys = [f"{tx}:{form}" for tx in transcripts for form in forms]
        if symbol and not transcript_given:
            keys += [f"{symbol} {form}" for form in forms]
        found = view.find_any(keys, (Label.VARIANT,))
        found = [n for n in found if not symbol or not n.props.get("gene") or n.props.get("gene") == symbol]
        for node in found:
            known.setdefault(other, []).append(_record(node, {k.lower() for k in keys}))
    return known


def _record(node: Node, keys: set[str]) -> str:
    """Where the build knows the base from: the source's record and the HGVS it gives."""
    hgvs = [str(h) for h in _listed(node.props.get("hgvs")) if str(h).lower() in keys]
    if civic := _listed(node.props.get("civic_variant_ids")):
        source = f"CIViC variant {civic[0]}"
    elif clinvar := _listed(node.props.get("clinvar_variation_id")) or _listed(node.props.get("clinvar_ids")):
        source = f"ClinVar {clinvar[0]}"
    else:
        source = "stored"
    return f"{source} ({node.name}: {hgvs[0]})" if hgvs else f"{source} ({node.name})"


def _listed(value: object) -> list[object]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]
