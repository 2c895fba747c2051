"""The PGx service: diplotypes, outside calls and/or a VCF → :class:`queries.models.PgxAnswer`.

Interpreting diplotypes and choosing CPIC recommendations is :mod:`queries.pgx`; calling star alleles from a
VCF is :mod:`queries.pgx_calling`.  Never logs a genotype.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.stores.port import Store
from queries.models import PgxAnswer, PgxQuery, PgxSamplesAnswer
from queries.models.enums import PgxStatus


def pgx(
    store: Store, query: PgxQuery, *, vcf: Path | None = None, outside_calls: Path | None = None
) -> PgxAnswer | PgxSamplesAnswer:
    """One answer for the diplotypes given (and a one-sample VCF, or the VCF sample asked for); one per sample
    for a VCF with several samples and no sample asked for."""
    from queries.pgx import InputReport, lookup_diplotypes, outside_call_inputs

    if not query.diplotypes and vcf is None and outside_calls is None:
        raise InputError('give a diplotype ("GENE *A/*B"), an outside-call file or a VCF')
    if query.sample is not None and vcf is None:
        raise InputError("a sample can be chosen only from a VCF")
    diplotypes = list(query.diplotypes)
    problems: list[InputReport] = []
    if outside_calls is not None:
        texts, problems = outside_call_inputs(outside_calls)
        diplotypes += texts
    if vcf is not None:
        from queries.pgx_calling import vcf_reports

        reports = vcf_reports(store, vcf, sample=query.sample, drugs=query.drugs, diplotypes=diplotypes,
                              problems=problems)  # fmt: skip
    else:
        reports = [lookup_diplotypes(store, diplotypes, query.drugs, problems)]
    answers = [PgxAnswer.model_validate(r.as_dict()) for r in reports]
    return answers[0] if len(answers) == 1 else PgxSamplesAnswer(samples=answers)


def unreadable_lines(answer: PgxAnswer | PgxSamplesAnswer, path: Path) -> int:
    """How many lines of the file ``path`` could not be read (each is an ``unreadable`` input of the answer)."""
    answers = answer.samples if isinstance(answer, PgxSamplesAnswer) else [answer]
    prefix = f"{path}:"
    return len({i.input for a in answers for i in a.inputs if i.status == PgxStatus.UNREADABLE
                and i.input.startswith(prefix)})  # fmt: skip
