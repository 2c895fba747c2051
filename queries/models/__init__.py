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

The questions the services take are :class:`MatchQuery` and :class:`AnnotateQuery` (plain dataclasses,
:mod:`queries.models.questions`: those commands import no pydantic), :class:`PgxQuery`, :class:`SearchQuery` and
:class:`EntityQuery` (:mod:`queries.models.requests`).

Each model module is imported when one of its names is first asked for (``from queries.models import
MatchAnswer`` imports the match models only): building pydantic classes costs 2-8 ms a module, and a
command needs the models of its own question only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from queries.models.annotate import AnnotateAnswer, AnnotatedRow, AnnotateResult, FileReport, SampleSummary
    from queries.models.base import Answer
    from queries.models.common import BuildStamp, SourceRelease, SourceStamp
    from queries.models.entity import (
        EntityAnswer,
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
        EntityKind,
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
    from queries.models.questions import AnnotateQuery, MatchQuery
    from queries.models.requests import EntityQuery, PgxQuery, Query, SearchQuery
    from queries.models.search import AncestorRow, AncestorsAnswer, SearchAnswer, SearchHit
    from queries.models.status import StatusAnswer

# Where each name lives (the import above, for type checkers, says the same).
_MODULE_OF = {
    "AncestorRow": "queries.models.search",
    "AncestorsAnswer": "queries.models.search",
    "AnnotateAnswer": "queries.models.annotate",
    "AnnotateQuery": "queries.models.questions",
    "AnnotateResult": "queries.models.annotate",
    "AnnotatedRow": "queries.models.annotate",
    "Answer": "queries.models.base",
    "AssemblyHow": "queries.models.enums",
    "AssemblyUse": "queries.models.match",
    "BuildStamp": "queries.models.common",
    "CautionAction": "queries.models.enums",
    "DiseaseInput": "queries.models.match",
    "DiseaseMatch": "queries.models.enums",
    "EntityAnswer": "queries.models.entity",
    "EntityKind": "queries.models.enums",
    "EntityQuery": "queries.models.requests",
    "EntityRef": "queries.models.entity",
    "EvidenceCounts": "queries.models.entity",
    "EvidenceDisease": "queries.models.match",
    "EvidenceItem": "queries.models.match",
    "FileReport": "queries.models.annotate",
    "InputStatus": "queries.models.enums",
    "Locus": "queries.models.pgx",
    "MatchAnswer": "queries.models.match",
    "MatchInputs": "queries.models.match",
    "MatchQuery": "queries.models.questions",
    "NeighbourGroup": "queries.models.entity",
    "PgxAction": "queries.models.enums",
    "PgxAnswer": "queries.models.pgx",
    "PgxBuildStamp": "queries.models.pgx",
    "PgxCaution": "queries.models.match",
    "PgxGene": "queries.models.pgx",
    "PgxInput": "queries.models.pgx",
    "PgxQuery": "queries.models.requests",
    "PgxRecommendation": "queries.models.pgx",
    "PgxSamplesAnswer": "queries.models.pgx",
    "PgxStatus": "queries.models.enums",
    "Query": "queries.models.requests",
    "SampleSummary": "queries.models.annotate",
    "SearchAnswer": "queries.models.search",
    "SearchHit": "queries.models.search",
    "SearchQuery": "queries.models.requests",
    "Significance": "queries.models.enums",
    "SourceLink": "queries.models.entity",
    "SourceRecord": "queries.models.entity",
    "SourceRelease": "queries.models.common",
    "SourceStamp": "queries.models.common",
    "Standing": "queries.models.enums",
    "StatusAnswer": "queries.models.status",
    "TherapyEntry": "queries.models.match",
    "Tier": "queries.models.enums",
    "UnknownSignificanceEntry": "queries.models.match",
    "VariantInput": "queries.models.match",
    "VariantMatch": "queries.models.enums",
    "VariantRef": "queries.models.match",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
