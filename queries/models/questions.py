"""The questions of ``pmkg match`` and ``pmkg annotate`` (and of their services) as plain frozen dataclasses.

Why not pydantic models, as the other questions (:mod:`queries.models.requests`): a whole ``pmkg annotate``
process spent ~70 ms of its ~0.5 s importing pydantic and building models only to check options click had
already checked (issue 8: the whole process < 0.5 s).  The same checks are made here, with the words pydantic
used (``field: why``, several joined by ``; ``), raised as :class:`kg.errors.InputError`.  The HTTP API checks
its own request bodies (:mod:`queries.api.schemas`) and answers a bad one with a 422.

Must not import pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import InputError

ASSEMBLIES = ("GRCh37", "GRCh38")
"""The assemblies a typed genomic position can be on."""


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InputError("; ".join(problems))


def _at_least(name: str, value: int | None, least: int) -> list[str]:
    if value is None or value >= least:
        return []
    return [f"{name}: input should be greater than or equal to {least}"]


@dataclass(frozen=True)
class MatchQuery:
    """Therapies for a patient's alterations (and diagnosis).

    ``variants``: alterations in any usual notation ('BRAF V600E', 'NM_004333.4:c.1799T>A', '7-140753336-A-T',
    'EML4::ALK', 'ERBB2 amplification', 'MSI-H', 'CYP2C19 *2/*2' …), at least one.  ``disease``: the diagnosis
    (a name, synonym, DOID, OncoTree code or name, or NCIt id).  ``assembly``: of genomic positions, one of
    :data:`ASSEMBLIES` (default: look both up and say which matched).  ``pgx_calls``: PGx calls made elsewhere
    (PharmCAT outside calls as 'GENE<TAB>diplotype<TAB>phenotype<TAB>activity score' texts), e.g. CYP2D6.
    """

    variants: list[str]
    disease: str | None = None
    assembly: str | None = None
    pgx_calls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problems = []
        if not self.variants:
            problems.append("variants: list should have at least 1 item after validation, not 0")
        if self.assembly is not None and self.assembly not in ASSEMBLIES:
            problems.append(f"assembly: input should be {' or '.join(repr(a) for a in ASSEMBLIES)}")
        _refuse(problems)


@dataclass(frozen=True)
class AnnotateQuery:
    """A cohort's files (given beside, as paths) and how to read them.

    ``disease``: every sample's disease (name, synonym, DOID, OncoTree code …), else the clinical table's.
    ``assembly``: of positions (GRCh37, GRCh38, hg19, hg38), when the files do not say (the readers check it).
    ``min_spanning_fragments`` / ``min_junction_reads``: STAR-Fusion calls with fewer are reported, not matched
    (None: the readers' defaults).
    """

    disease: str | None = None
    assembly: str | None = None
    min_spanning_fragments: int | None = None
    min_junction_reads: int | None = None

    def __post_init__(self) -> None:
        _refuse(
            _at_least("min_spanning_fragments", self.min_spanning_fragments, 0)
            + _at_least("min_junction_reads", self.min_junction_reads, 0)
        )
