"""pmkg's typed answers: one pydantic model per question, with enums for its closed vocabularies.

``model_dump(mode="json")`` of an answer is exactly what ``pmkg … --format json`` prints (pinned byte for
byte by ``tests/queries/test_golden_outputs.py``), and the same models are the HTTP API's response schemas.
The services (:mod:`queries.services`) return them; the CLI and the API only render them.

Must never import click, rich, fastapi or a store adapter, nor do any work at import.

=============  ===========================================================
question       answer
=============  ===========================================================
match          :class:`MatchAnswer`
annotate       :class:`AnnotateAnswer` (rows, results, samples, files)
pgx            :class:`PgxAnswer` (:class:`PgxSamplesAnswer` for several samples)
search         :class:`SearchAnswer`
ancestors      :class:`AncestorsAnswer`
status         :class:`StatusAnswer`
entity lookup  :class:`EntityAnswer`
=============  ===========================================================

The questions the services take are :class:`MatchQuery`, :class:`AnnotateQuery`, :class:`PgxQuery`,
:class:`SearchQuery` and :class:`EntityQuery` (:mod:`queries.models.requests`).
"""

from queries.models.annotate import AnnotateAnswer, AnnotatedRow, AnnotateResult, FileReport, SampleSummary
from queries.models.base import Answer
from queries.models.common import BuildStamp, SourceRelease, SourceStamp
from queries.models.entity import (
    EntityAnswer,
    EntityKind,
    EntityRef,
    EvidenceCounts,
    NeighbourGroup,
    SourceLink,
    SourceRecord,
)
from queries.models.enums import (
    AssemblyHow,
    CautionAction,
    DiseaseMatch,
    InputStatus,
    PgxAction,
    PgxStatus,
    Significance,
    Standing,
    Tier,
    VariantMatch,
)
from queries.models.match import (
    AssemblyUse,
    DiseaseInput,
    EvidenceDisease,
    EvidenceItem,
    MatchAnswer,
    MatchInputs,
    PgxCaution,
    TherapyEntry,
    UnknownSignificanceEntry,
    VariantInput,
    VariantRef,
)
from queries.models.pgx import (
    Locus,
    PgxAnswer,
    PgxBuildStamp,
    PgxGene,
    PgxInput,
    PgxRecommendation,
    PgxSamplesAnswer,
)
from queries.models.requests import AnnotateQuery, EntityQuery, MatchQuery, PgxQuery, Query, SearchQuery
from queries.models.search import AncestorRow, AncestorsAnswer, SearchAnswer, SearchHit
from queries.models.status import StatusAnswer

__all__ = [
    "AncestorRow",
    "AncestorsAnswer",
    "AnnotateAnswer",
    "AnnotateQuery",
    "AnnotateResult",
    "AnnotatedRow",
    "Answer",
    "AssemblyHow",
    "AssemblyUse",
    "BuildStamp",
    "CautionAction",
    "DiseaseInput",
    "DiseaseMatch",
    "EntityAnswer",
    "EntityKind",
    "EntityQuery",
    "EntityRef",
    "EvidenceCounts",
    "EvidenceDisease",
    "EvidenceItem",
    "FileReport",
    "InputStatus",
    "Locus",
    "MatchAnswer",
    "MatchInputs",
    "MatchQuery",
    "NeighbourGroup",
    "PgxAction",
    "PgxAnswer",
    "PgxBuildStamp",
    "PgxCaution",
    "PgxGene",
    "PgxInput",
    "PgxQuery",
    "PgxRecommendation",
    "PgxSamplesAnswer",
    "PgxStatus",
    "Query",
    "SampleSummary",
    "SearchAnswer",
    "SearchHit",
    "SearchQuery",
    "Significance",
    "SourceLink",
    "SourceRecord",
    "SourceRelease",
    "SourceStamp",
    "Standing",
    "StatusAnswer",
    "TherapyEntry",
    "Tier",
    "UnknownSignificanceEntry",
    "VariantInput",
    "VariantMatch",
    "VariantRef",
]
