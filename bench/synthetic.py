"""A synthetic graph shaped like the real one, for benchmarks.

At scale 1.0: 40k genes, 1M variants (each in a gene), 20k diseases in an is-a DAG about
10 levels deep, 10k drugs each its own therapy, 1M evidence items each about a variant, in
a disease and (for most) with a therapy: about 2.1M nodes and 3.9M relationships.
Deterministic for a given seed, so every store gets the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from kg.stores.port import SourceInfo

PROV = (Provenance("synthetic", "1", "CC0-1.0", "synthetic"),)
AMINO = "ACDEFGHIKLMNPQRSTVWY"


@dataclass(frozen=True)
class Shape:
    genes: int
    variants: int
    diseases: int
    drugs: int
    evidence: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        return cls(
            genes=max(10, int(40_000 * scale)),
            variants=max(10, int(1_000_000 * scale)),
            diseases=max(30, int(20_000 * scale)),
            drugs=max(10, int(10_000 * scale)),
            evidence=max(10, int(1_000_000 * scale)),
        )

    @property
    def nodes(self) -> int:
        return self.genes + self.variants + self.diseases + 2 * self.drugs + self.evidence


def disease_id(i: int) -> str:
    return f"DOID:{i + 1}"


def variant_id(i: int) -> str:
    return f"PMKG:variant/G{i % 40_000}:V{i}"


class SyntheticSource:
    """A RecordSource of the synthetic graph."""

    skipped_rows = 0

    def __init__(self, shape: Shape, seed: int = 7) -> None:
        self.shape = shape
        self.seed = seed

    @property
    def info(self) -> SourceInfo:
        return SourceInfo("synthetic", "1", "CC0-1.0", checksum=f"synthetic:{self.shape}:{self.seed}")

    def disease_parents(self, rng: random.Random) -> list[list[int]]:
        """Parents per disease: level-ordered DAG of ~10 levels, 1-2 parents from the level above."""
        n = self.shape.diseases
        bounds = [0]
        for k in range(1, 11):
            bounds.append(max(bounds[-1] + 1, int(n * (2**k - 1) / (2**10 - 1))))
        bounds[-1] = n
        parents: list[list[int]] = [[] for _ in range(n)]
        for level in range(1, len(bounds) - 1):
            above = range(bounds[level - 1], bounds[level])
            for child in range(bounds[level], bounds[level + 1]):
                count = 1 if rng.random() < 0.8 else 2
                parents[child] = sorted(set(rng.choice(above) for _ in range(count)))
        return parents

    def records(self) -> Iterator[Record]:
        shape, rng = self.shape, random.Random(self.seed)
        for g in range(shape.genes):
            yield Node(f"HGNC:{g + 1}", Label.GENE, f"G{g}", (f"ALIAS{g}",), {"symbol": f"G{g}"}, PROV)
        parents = self.disease_parents(rng)
        for d in range(shape.diseases):
            yield Node(disease_id(d), Label.DISEASE, f"disease {d}", (f"D{d} synonym",), {}, PROV)
        for d, ups in enumerate(parents):
            for up in ups:
                yield Edge(disease_id(d), RelType.SUBCLASS_OF, disease_id(up), provenance=PROV)
        for t in range(shape.drugs):
            yield Node(f"CHEMBL.COMPOUND:CHEMBL{t + 1}", Label.DRUG, f"drug {t}", (), {}, PROV)
            yield Node(f"PMKG:therapy/drug{t}", Label.THERAPY, f"drug {t}", (), {}, PROV)
            yield Edge(
                f"PMKG:therapy/drug{t}", RelType.HAS_COMPONENT, f"CHEMBL.COMPOUND:CHEMBL{t + 1}", provenance=PROV
            )
        for v in range(shape.variants):
            gene = v % shape.genes
            change = f"{AMINO[v % 20]}{v % 1000 + 1}{AMINO[(v // 20) % 20]}"
            yield Node(
                variant_id(v),
                Label.VARIANT,
                f"G{gene} {change}",
                (f"rs{v}",),
                {"protein_change": change, "position": v % 1000 + 1},
                PROV,
            )
            yield Edge(variant_id(v), RelType.IN_GENE, f"HGNC:{gene + 1}", provenance=PROV)
        for e in range(shape.evidence):
            eid = f"CIVIC.EID:{e + 1}"
            yield Node(
                eid,
                Label.EVIDENCE,
                f"EID{e + 1}",
                (),
                {
                    "evidence_type": "predictive",
                    "level": "ABCDE"[e % 5],
                    "tier": e % 5 + 1,
                    "significance": "sensitivity",
                },
                PROV,
            )
            yield Edge(eid, RelType.ABOUT, variant_id(rng.randrange(shape.variants)), provenance=PROV)
            yield Edge(eid, RelType.IN_DISEASE, disease_id(rng.randrange(shape.diseases)), provenance=PROV)
            if e % 4:
                yield Edge(eid, RelType.WITH_THERAPY, f"PMKG:therapy/drug{rng.randrange(shape.drugs)}", provenance=PROV)
