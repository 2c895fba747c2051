"""The match service: a patient's alterations (and diagnosis) → :class:`queries.models.MatchAnswer`.

The matching itself (normalise, expand, collect, rank, warn, explain) is :mod:`queries.matching`; this module
turns a typed question into a call of it and its result into the answer.  :func:`match_json` gives the answer as
JSON data, as the HTTP API sends it (``MatchResult.as_json``, which the typed answer validates and dumps back
unchanged: tests/queries/test_models.py), without importing pydantic: ``pmkg match --format json`` prints it,
and pydantic and the answer's models were ~0.1 s of that whole process (issue 8).  Never logs the patient's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.stores.port import Store
from queries.matching import MatchResult, match_therapies
from queries.models.questions import MatchQuery
from queries.normalized import UNRECOGNIZED, NormalizedVariant
from queries.patient import Alteration

if TYPE_CHECKING:
    from queries.models import MatchAnswer


def match(store: Store, query: MatchQuery, *, outside_calls: Path | None = None) -> MatchAnswer:
    """Ranked therapies for ``query`` (and the calls of PharmCAT's outside-call file ``outside_calls``)."""
    from queries.models import MatchAnswer

    return MatchAnswer.model_validate(match_json(store, query, outside_calls=outside_calls))


def match_json(store: Store, query: MatchQuery, *, outside_calls: Path | None = None) -> dict[str, Any]:
    """:func:`match`'s answer as JSON data (``MatchAnswer``'s ``model_dump(mode="json")``), made without pydantic.

    Each unusable line of ``outside_calls`` comes back as an ``unrecognized`` input, after the others; a file
    that cannot be read at all raises :class:`kg.errors.SourceFileError`.
    """
    calls = list(query.pgx_calls)
    problems: list[dict[str, Any]] = []
    if outside_calls is not None:
        from queries.pgx import outside_call_inputs

        texts, bad_lines = outside_call_inputs(outside_calls)
        calls += texts
        problems = [NormalizedVariant(p.input, UNRECOGNIZED, p.reason or "").as_json() for p in bad_lines]
    result = match_therapies(store, list(query.variants), query.disease, assembly=query.assembly, pgx_calls=calls)
    answer = result.as_json()
    answer["inputs"]["variants"] += problems
    return answer


def match_alterations(
    store: Store,
    alterations: Sequence[str | Alteration],
    disease: str | None,
    *,
    assembly: str | None = None,
    pgx_calls: Sequence[str] = (),
) -> MatchAnswer:
    """Ranked therapies for alterations read from files (:class:`queries.patient.Alteration`) or typed."""
    result = match_therapies(store, list(alterations), disease, assembly=assembly, pgx_calls=list(pgx_calls))
    return match_answer(result)


def match_answer(result: MatchResult) -> MatchAnswer:
    """The typed answer of a match result."""
    from queries.models import MatchAnswer

    return MatchAnswer.model_validate(result.as_json())
