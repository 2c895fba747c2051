"""Impossible variants were accepted and matched (issue 9, "Validate what the user claims").

``BRAF A600E`` (position 600 is V), ``KRAS A12C``, ``BRAF V0E``, a position beyond the protein,
``EGFR E746_A9999999999del``, a transcript version that does not exist (``NM_004333.99``) and a
gene "fused" to itself (``EML4::EML4``) all came back ``normalized`` with therapies.  Each claim
the graph can check is now checked, on the real starter graph, and refused with the reason; a
claim nothing in the graph can check (an exon number, a residue no source names) is accepted
and the answer says it was not checked.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.stores.port import Store
from kg.variants import AMINO_ACIDS
from queries.graph_view import view_for
from queries.matching import match_therapies
from queries.normalize import NORMALIZED, UNRECOGNIZED, normalize_text
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BRAF A600E", "BRAF position 600 is V, not A"),
        ("BRAF p.Ala600Glu", "BRAF position 600 is V, not A"),
        ("KRAS A12C", "KRAS position 12 is G, not A"),
        ("BRAF A600", "BRAF position 600 is V, not A"),  # a codon written with the wrong residue
        ("BRAF V601E", "BRAF position 601 is K, not V"),
        ("BRAF V0E", "BRAF has no position 0: protein positions start at 1"),
        ("BRAF V99999E", "BRAF has no position 99999: its gene spans 194,265 bp on GRCh38 (MANE), room for at most"),
        ("EGFR E746_A9999999999del", "EGFR has no position 9999999999"),
        ("EGFR E746_K750del", "EGFR position 750 is A, not K"),  # the range's end residue is checked too
        (
            "NM_004333.99:c.1799T>A",
            "NM_004333.99 does not exist: the newest version of NM_004333 in this graph's "
            "gene model (MANE) is NM_004333.6",
        ),
        ("EML4::EML4", "EML4::EML4 joins EML4 to itself: a fusion needs two genes"),
        ("EGFR exon 0 deletion", "EGFR has no exon 0"),
    ],
)
def test_impossible_claim_is_unrecognized_with_the_reason(store: Store, text: str, reason: str) -> None:
    result = normalize_text(store, text)
    assert result.status == UNRECOGNIZED
    assert reason in result.message
    assert result.matches == ()


def test_impossible_variant_gets_no_therapy(store: Store) -> None:
    result = match_therapies(store, ["BRAF A600E"], "melanoma")
    assert result.therapies == []
    assert any("BRAF position 600 is V, not A" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("BRAF V600E", "BRAF V600E"),
        ("BRAF p.Val600Glu", "BRAF V600E"),
        ("KRAS G12C", "KRAS G12C"),
        ("BRAF V600", "BRAF V600"),
        ("BRAF A336V", "BRAF A728V"),  # another isoform's numbering that a source stores as a synonym
        ("NM_004333.4:c.1799T>A", "BRAF V600E"),  # an older version CIViC cites
        ("NM_004333.6:c.1799T>A", "BRAF V600E"),  # MANE's current version
        ("EGFR L747_T751del", "EGFR L747_T751del"),  # no source names it, its residues are right
        ("EML4::ALK", "EML4::ALK"),
    ],
)
def test_true_claims_are_still_accepted(store: Store, text: str, name: str) -> None:
    result = normalize_text(store, text)
    assert (result.status, result.variant_name) == (NORMALIZED, name)


def test_a_claim_nothing_can_check_is_accepted_and_says_so(store: Store) -> None:
    exon = normalize_text(store, "EGFR exon 999 deletion")
    assert exon.status == NORMALIZED
    assert "not checked: that EGFR has an exon 999: this graph holds no exon counts" in exon.message
    residue = normalize_text(store, "BRAF D1000N")
    assert residue.status == NORMALIZED
    assert "the residue at BRAF position 1000: no source in this graph names one" in residue.message
    assert "that BRAF has a position 1000: this graph holds no protein lengths" in residue.message
    checked = normalize_text(store, "EGFR L747_T751del")
    assert "not checked" not in checked.message  # both residues are named by sources: nothing left unchecked


# ------------------------------------------------------------------ property: never accepted silently

_GENES = ("BRAF", "KRAS", "EGFR", "PIK3CA", "TP53", "KIT", "ERBB2", "ALK")


@st.composite
def residue_claims(draw: st.DrawFn) -> tuple[str, int, str, dict[str, tuple[str, ...]] | None]:
    view = view_for(embedded_starter())
    symbol = draw(st.sampled_from(_GENES))
    gene = view.genes(symbol)[0]
    known = view.reference_residues(gene.id).by_position
    if known and draw(st.booleans()):
        position = draw(st.sampled_from(sorted(known)))
    else:
        position = draw(st.integers(min_value=1, max_value=3_000))
    residue = draw(st.sampled_from(sorted(AMINO_ACIDS - {"*", "X", "U", "O"})))
    return symbol, position, residue, known.get(position)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim=residue_claims(), alt=st.sampled_from("ACDEFGHIKLMNPQRSTVWY"))
def test_a_residue_claim_matches_the_reference_or_is_unrecognized_with_a_reason(
    claim: tuple[str, int, str, dict[str, tuple[str, ...]] | None], alt: str
) -> None:
    symbol, position, residue, stated = claim
    text = f"{symbol} {residue}{position}{alt}"
    result = normalize_text(embedded_starter(), text)
    if stated is not None and residue not in stated and f"{text} is a synonym of it in this graph" in result.message:
        # Another isoform's numbering that a source names (EGFR C752Y for C797Y, as BRAF A336V for A728V above).
        assert result.status == NORMALIZED, text
        assert result.in_graph, text
    elif stated is not None and residue not in stated:
        assert result.status == UNRECOGNIZED, text
        assert f"{symbol} position {position} is " in result.message
        assert f", not {residue}" in result.message
    elif stated is None:
        # Nothing names the residue: accepted only if the answer says it was not checked.
        assert result.status == UNRECOGNIZED or "not checked" in result.message or result.in_graph, text
        if result.status == NORMALIZED and not result.in_graph:
            assert f"the residue at {symbol} position {position}" in result.message
    else:
        assert result.status == NORMALIZED, (text, result.message)
