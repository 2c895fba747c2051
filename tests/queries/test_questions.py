"""The match and annotate questions (plain dataclasses, no pydantic) refuse what their services cannot answer with
the words pydantic gave: which value, and why."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from queries.models import AnnotateQuery, MatchQuery


def test_a_match_question_needs_a_variant_and_an_assembly_pmkg_knows() -> None:
    with pytest.raises(InputError) as refused:
        MatchQuery(variants=[], assembly="hg19")
    assert str(refused.value) == (
        "variants: list should have at least 1 item after validation, not 0; "
        "assembly: input should be 'GRCh37' or 'GRCh38'"
    )
    assert MatchQuery(variants=["BRAF V600E"], assembly="GRCh37").pgx_calls == []


def test_fusion_support_thresholds_cannot_be_negative() -> None:
    with pytest.raises(InputError) as refused:
        AnnotateQuery(min_spanning_fragments=-1, min_junction_reads=-2)
    assert str(refused.value) == (
        "min_spanning_fragments: input should be greater than or equal to 0; "
        "min_junction_reads: input should be greater than or equal to 0"
    )
    assert AnnotateQuery(min_spanning_fragments=0).min_spanning_fragments == 0
