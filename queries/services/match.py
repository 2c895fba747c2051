"""The match service: a patient's alterations (and diagnosis) → :class:`queries.models.MatchAnswer`.

The matching itself (normalise, expand, collect, rank, warn, explain) is :mod:`queries.matching`; this module
turns a typed question into a call of it and its result into the typed answer.  Never logs the patient's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.stores.port import Store
from queries.matching import MatchResult, match_therapies
from queries.models import MatchAnswer, MatchQuery, VariantInput
from queries.models.enums import InputStatus
from queries.patient import Alteration


def match(store: Store, query: MatchQuery, *, outside_calls: Path | None = None) -> MatchAnswer:
    """Ranked therapies for ``query`` (and the calls of PharmCAT's outside-call file ``outside_calls``).

    Each unusable line of ``outside_calls`` comes back as an ``unrecognized`` input; a file that cannot be
    read at all raises :class:`kg.errors.SourceFileError`.
    """
    calls = list(query.pgx_calls)
    problems: list[VariantInput] = []
    if outside_calls is not None:
        from queries.pgx import outside_call_inputs

        texts, bad_lines = outside_call_inputs(outside_calls)
        calls += texts
        problems = [VariantInput(input=p.input, status=InputStatus.UNRECOGNIZED, variant=None, message=p.reason or "")
                    for p in bad_lines]  # fmt: skip
    return match_alterations(store, query.variants, query.disease, assembly=query.assembly, pgx_calls=calls,
                             problems=problems)  # fmt: skip


def match_alterations(
    store: Store,
    alterations: Sequence[str | Alteration],
    disease: str | None,
    *,
    assembly: str | None = None,
    pgx_calls: Sequence[str] = (),
    problems: Sequence[VariantInput] = (),
) -> MatchAnswer:
    """Ranked therapies for alterations read from files (:class:`queries.patient.Alteration`) or typed."""
    result = match_therapies(store, list(alterations), disease, assembly=assembly, pgx_calls=list(pgx_calls))
    return match_answer(result, problems)


def match_answer(result: MatchResult, problems: Sequence[VariantInput] = ()) -> MatchAnswer:
    """The typed answer of a match result; ``problems`` (unusable input lines) join the inputs at the end."""
    answer = MatchAnswer.model_validate(result.as_json())
    answer.inputs.variants.extend(problems)
    return answer
