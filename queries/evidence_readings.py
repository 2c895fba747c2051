"""How matching reads one evidence item: its role, therapies, diseases, source, tier, rating and what it asks of a
variant, the same for every patient.

A patient's first answer reaches hundreds of evidence items (MOAlmanac's example patient: ~750) but makes hits of
only some (~200): the rest are not predictive, name no therapy, or fall below a patient's TMB.  Matching decides that
from this reading alone, so ``pmkg build`` keeps the reading of every evidence item with the match tables
(:mod:`queries.kept_tables`) and a new process decodes an evidence node only for the hits it makes.  The reading is
worked out here, in one place, from the node and its links, whether at build time or from the store; its kept form
is :meth:`EvidenceReading.kept` and nothing else.  Nothing here reads the graph or logs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass
from typing import Any

from kg.records import Node, PropValue
from queries.ranking_rules import ADVERSE, AGAINST, FOR


class NotKept(LookupError):
    """The build's kept tables cannot say how matching reads an evidence item: read it from its node."""


def hit_role(props: Mapping[str, PropValue]) -> str | None:
    """Whether predictive evidence argues for a therapy, against it, warns of harm, or neither."""
    significance, direction = props.get("significance"), props.get("direction", "supports")
    supports = direction != "does not support"
    if significance == "sensitivity":
        return FOR if supports else AGAINST
    if significance in ("resistance", "reduced sensitivity"):
        return AGAINST if supports else None
    if significance == "adverse response":
        return ADVERSE if supports else None
    return None


@dataclass(slots=True)  # not frozen: a frozen init sets each field through object.__setattr__ (~750 a first answer)
class EvidenceReading:
    """How matching reads one predictive evidence item with a therapy: the same for every patient, kept per build and
    shared by every answer that reaches it (never changed once made)."""

    role: str
    therapies: tuple[str, ...]
    diseases: tuple[str, ...]
    source: str
    tier: int
    rating: int
    asks: str  # "pathogenic" or "oncogenic" when gene-level evidence asks for such a variant, else ""
    tmb: int | float | None  # the least tumour mutational burden it applies to

    def kept(self) -> tuple[Any, ...]:
        """The reading as the match tables keep it (what marshal can write; :meth:`from_kept` reads it back)."""
        return astuple(self)

    @classmethod
    def from_kept(cls, kept: Any) -> EvidenceReading:
        """A reading :meth:`kept` wrote; TypeError or ValueError when ``kept`` is not one."""
        role, therapies, diseases, source, tier, rating, asks, tmb = kept
        return cls(role, tuple(therapies), tuple(diseases), source, tier, rating, asks, tmb)


def read_evidence(
    evidence: Node, links: Callable[[], tuple[tuple[str, ...], tuple[str, ...]]]
) -> EvidenceReading | None:
    """``evidence`` as matching reads it, ``links`` giving its therapies and diseases (asked only of predictive
    evidence with a role); None when it is not predictive evidence about a therapy."""
    props = evidence.props
    if props.get("evidence_type") != "predictive":
        return None
    role = hit_role(props)
    if role is None:
        return None
    therapies, diseases = links()
    if not therapies:
        return None
    asks = "pathogenic" if props.get("requires_pathogenic") else "oncogenic" if props.get("requires_oncogenic") else ""
    tmb = props.get("tmb_minimum_mutations_per_megabase") or props.get("tmb_mutations_per_mb")
    tier, rating = props.get("tier"), props.get("rating")
    return EvidenceReading(
        role,
        therapies,
        diseases,
        evidence.provenance[0].source if evidence.provenance else "unknown",
        int(tier) if isinstance(tier, int | float) else 5,
        int(rating) if isinstance(rating, int | float) else 0,
        asks,
        tmb if isinstance(tmb, int | float) else None,
    )
