"""What a c. change no source names does to the protein, read through the codons the graph knows.

``BRAF c.1799_1800delinsAA`` is in no source, yet it is BRAF V600E written at the DNA level (GTG→GAA,
about 1 % of V600E in melanoma); ``EGFR c.2235_2249del`` is the commonest EGFR exon 19 deletion.
pmkg bundles no reference sequence, but the graph knows much of what is needed: the residue at a codon
(every stored variant and codon class names one: BRAF V600E says codon 600 is Val) and some reference
bases (CIViC's ``NM_004333.4:c.1799T>A`` says c.1799 is T).  :func:`read_codons` works out

- the protein change exactly, when the change stays inside one codon and every codon the known
  residue and bases allow gives the same new residue (``c.1799_1800delinsAA``: codon 600 is GTN, the
  change makes GAA whatever N is: Glu, so V600E); an in-frame deletion of whole codons whose
  first and last residues are known (``c.2236_2250del`` is E746_A750del);
- otherwise the codons an in-frame change touches (``c.2235_2249del``: codons 745-750), which is
  all an exon or region class asks (EGFR exon 19 deletion: an in-frame deletion within 729-761),
  or the codon a single-codon change hits when the new residue is unsure but always a different one
  (``KRAS c.34_35delinsTT``: G12F or G12L, a change of codon 12 either way).

It claims nothing it cannot derive: a residue two sources number differently, a given reference base
that no codon of the known residue has, or a frameshift (the consequence path reads those) gives None.
Neither the input nor the answer is logged or kept (patient data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from kg.variants import CodingEdit, ProteinChange, parse_coding_edit, parse_protein_change
from queries.graph_view import GraphView
from queries.reference_bases import known_coding_base

_ORDER = "TCAG"
_RESIDUES = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODONS: dict[str, str] = {
    "".join(bases): _RESIDUES[index] for index, bases in enumerate(product(_ORDER, repeat=3))
}  # the standard genetic code: codon → one-letter residue (``*`` for a stop)


@dataclass(frozen=True, slots=True)
class CodonReading:
    """A c. change read as a protein change: ``exact``, or the extent of the codons it touches."""

    change: ProteinChange
    exact: bool
    how: str  # said to the user: "codon 600 GTN>GAA", "V600K/N (codon 600 GTN>AAN)", "an in-frame deletion of …"


def read_codons(
    view: GraphView,
    gene_id: str,
    symbol: str,
    transcripts: Sequence[str],
    coding: str,
    *,
    transcript_given: bool,
) -> CodonReading | None:
    """What ``coding`` (a c. change of ``symbol`` on ``transcripts``) does to the protein, or None if unsure."""
    edit = parse_coding_edit(coding)
    if edit is None:
        return None
    residues = view.reference_residues(gene_id).by_position

    def residue(codon: int) -> str | None:
        named = residues.get(codon, {})
        return next(iter(named)) if len(named) == 1 else None

    first, last = _codon(edit.start), _codon(edit.end)
    change = edit.length_change
    if change == 0 and first == last:
        return _within_codon(view, edit, first, residue(first), symbol, transcripts, transcript_given)
    if change is None or change % 3:
        return None  # a frameshift, or an insertion given by its size only: read by its consequence
    if edit.kind == "ins":  # between c.N and c.N+1: inside codon ``first`` or between it and the next
        first, last = (first, first) if edit.start % 3 else (first, first + 1)
    return _span(edit, first, last, residue(first), residue(last))


def _codon(position: int) -> int:
    return (position - 1) // 3 + 1


def _within_codon(
    view: GraphView,
    edit: CodingEdit,
    codon: int,
    ref: str | None,
    symbol: str,
    transcripts: Sequence[str],
    transcript_given: bool,
) -> CodonReading | None:
    """A substitution or an equal-length delins inside one codon, read through the codons ``ref`` allows."""
    if ref is None or ref == "*":
        return None
    base = 3 * (codon - 1) + 1  # c. position of the codon's first base
    new = dict(zip(range(edit.start, edit.end + 1), edit.inserted, strict=True))
    given = dict(zip(range(edit.start, edit.end + 1), edit.deleted, strict=False))
    candidates = [c for c, r in CODONS.items() if r == ref and all(c[p - base] == b for p, b in given.items())]
    if not candidates:
        return None  # the given reference bases fit no codon of the known residue: not ours to read
    outcomes = {_mutated(c, base, new) for c in candidates}
    if len({CODONS[c] for c in outcomes}) > 1:  # ask the records for the unchanged bases that matter
        known = {
            p: b
            for p in range(base, base + 3)
            if p not in new
            and (b := known_coding_base(view, symbol, transcripts, p, transcript_given=transcript_given)) is not None
        }
        candidates = [c for c in candidates if all(c[p - base] == b for p, b in known.items())] or candidates
        outcomes = {_mutated(c, base, new) for c in candidates}
    residues_made = {CODONS[c] for c in outcomes}
    shown = f"codon {codon} {_pattern(candidates)}>{_pattern(sorted(outcomes))}"
    if len(residues_made) == 1:
        (alt,) = residues_made
        return CodonReading(parse_protein_change(f"{ref}{codon}{'=' if alt == ref else alt}"), True, shown)
    if ref in residues_made or "*" in residues_made:
        return None  # maybe silent, maybe a stop: nothing to say about its class
    alts = "/".join(sorted(residues_made))
    unsure = ProteinChange(f"{ref}{codon}{alts}", ref, codon, codon, "delins", alt="X")
    return CodonReading(unsure, False, f"{ref}{codon}{alts} ({shown})")


def _mutated(codon: str, base: int, new: dict[int, str]) -> str:
    return "".join(new.get(base + i, b) for i, b in enumerate(codon))


def _pattern(codons: Sequence[str]) -> str:
    """Codons as one pattern, N where they differ (GTA, GTC, GTG, GTT → GTN)."""
    return "".join(column[0] if len(set(column)) == 1 else "N" for column in zip(*codons, strict=True))


_SPAN_KINDS = {"del": "deletion", "dup": "duplication", "ins": "insertion", "delins": "delins"}


def _span(edit: CodingEdit, first: int, last: int, ref_first: str | None, ref_last: str | None) -> CodonReading:
    """An in-frame change over codons ``first``..``last``: exact for a deletion of whole known codons."""
    kind = _SPAN_KINDS[edit.kind]
    where = f"codons {first}-{last}" if first != last else f"codon {first}"
    whole_codons = edit.start % 3 == 1 and edit.end % 3 == 0
    if kind == "deletion" and whole_codons and ref_first and ref_last and "*" not in (ref_first, ref_last):
        text = f"{ref_first}{first}del" if first == last else f"{ref_first}{first}_{ref_last}{last}del"
        return CodonReading(parse_protein_change(text), True, where)
    residues_changed = (edit.length_change or 0) // 3  # in-frame: a multiple of three bases
    alt = {"delins": "X" * max(residues_changed + last - first + 1, 0), "insertion": "X" * residues_changed}
    span = ProteinChange(
        f"{where} in-frame {kind}", ref_first or "X", first, last, kind, alt=alt.get(kind, ""), end_ref=ref_last or ""
    )
    return CodonReading(span, False, f"an in-frame {kind} of {where}")
