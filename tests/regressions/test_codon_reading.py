"""A c. change no source names is read through the codons the graph knows (queries/codon_reading.py).

``BRAF c.1799_1800delinsAA`` (V600E written at the DNA level) and ``EGFR c.2235_2249del`` (the commonest
exon 19 deletion) used to reach no therapy: the first was "an in-frame indel in no class of BRAF", the
second "an in-frame deletion in no class of EGFR".  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.codon_reading import CODONS
from queries.matching import match_therapies
from queries.normalize import normalize_text
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def _therapies(store: Store, variant: str, disease: str) -> list[tuple[str, str, int]]:
    return [(t.therapy.name, t.significance, t.tier) for t in match_therapies(store, [variant], disease).therapies]


@pytest.mark.parametrize(
    ("coding", "protein", "disease"),
    [
        ("BRAF c.1799_1800delinsAA", "BRAF V600E", "melanoma"),  # GTG>GAA: codon 600's third base does not matter
        ("BRAF c.1799_1800delTGinsAA", "BRAF V600E", "melanoma"),  # the older spelling, naming the deleted bases
        ("KRAS c.35_36delinsTC", "KRAS G12V", "colorectal cancer"),  # GGT>GTC, a whole-codon reading
        ("EGFR c.2236_2250del", "EGFR E746_A750del", "lung adenocarcinoma"),  # five whole codons
        ("BRAF c.1799T>G", "BRAF V600G", "melanoma"),  # a substitution no source names
    ],
)
def test_a_change_read_exactly_is_answered_as_its_protein_change(
    store: Store, coding: str, protein: str, disease: str
) -> None:
    read = match_therapies(store, [coding], disease)
    variant = read.variants[0]
    assert variant.variant_name == protein
    assert "read through codon" in variant.message
    assert _therapies(store, coding, disease) == _therapies(store, protein, disease)
    assert read.therapies


def test_an_exon_19_deletion_off_the_codon_frame_reaches_the_exon_class(store: Store) -> None:
    result = match_therapies(store, ["EGFR c.2235_2249del"], "lung adenocarcinoma")
    variant = result.variants[0]
    assert "in-frame deletion of codons 745-750" in variant.message
    assert "EGFR exon 19 deletion" in {m.name for m in variant.matches}
    tier_1 = {t.therapy.name for t in result.therapies if t.tier == 1}
    assert {"Osimertinib", "Erlotinib", "Gefitinib", "Afatinib"} <= tier_1
    assert variant.variant_name != "EGFR E746_A750del"  # the exact change needs bases the graph does not hold


def test_a_change_whose_new_residue_is_unsure_reaches_only_its_codon(store: Store) -> None:
    variant = normalize_text(store, "KRAS c.34_35delinsTT")  # GGN>TTN: F or L, codon 12's third base unknown
    assert "G12F/L" in variant.message
    assert not variant.in_graph
    reached = {m.name for m in variant.matches}
    assert "KRAS G12" in reached
    assert not reached & {"KRAS G12F", "KRAS G12L"}  # neither allele is claimed


def test_a_synonymous_change_matches_nothing(store: Store) -> None:
    result = match_therapies(store, ["BRAF c.1800G>A"], "melanoma")  # GTG>GTA: still Val
    assert "synonymous" in result.variants[0].message
    assert result.therapies == []


def test_a_reference_base_the_codon_cannot_have_is_refused(store: Store) -> None:
    variant = normalize_text(store, "BRAF c.1799G>A")  # codon 600 is GTN: c.1799 is T
    assert not variant.ok
    assert "the reference base is T (not G)" in variant.message


@pytest.mark.parametrize("codon", sorted(CODONS))
def test_a_whole_codon_replaced_reads_as_the_codon_it_makes(store: Store, codon: str) -> None:
    variant = normalize_text(store, f"BRAF c.1798_1800delins{codon}")
    made = CODONS[codon]
    expected = "BRAF V600=" if made == "V" else f"BRAF V600{made}"
    assert variant.variant_name == expected, variant.message


@pytest.mark.parametrize("transcript", ["NM_001354609.2", "NM_001374258.1"])  # neither is BRAF's MANE Select
def test_a_change_on_another_transcript_is_not_read_in_the_mane_numbering(store: Store, transcript: str) -> None:
    variant = normalize_text(store, f"{transcript}(BRAF):c.1799_1800delinsAA")
    assert variant.variant_name != "BRAF V600E"
    assert "read through" not in variant.message


@pytest.mark.parametrize(
    ("text", "reached"),
    [
        ("NM_004333.4:c.1799_1800delinsAA", "BRAF V600E"),  # a lab report's spelling: the transcript names the gene
        ("ENST00000646891.2:c.1799_1800delinsAA", "BRAF V600E"),
        ("NM_004333.4:c.1799T>G", "BRAF V600G"),  # the right reference, an alternate no source names
        ("NM_005228.5:c.2235_2249del", "EGFR exon 19 deletion"),
        ("NM_000546.6:c.215del", "TP53 truncating mutation"),  # a frameshift, read by its consequence
    ],
)
def test_a_transcript_alone_names_the_gene_whose_codons_read_it(store: Store, text: str, reached: str) -> None:
    variant = normalize_text(store, text)
    assert variant.ok, variant.message
    assert reached in {m.name for m in variant.matches} | {variant.variant_name}


def test_a_transcript_of_no_gene_stays_unrecognized(store: Store) -> None:
    variant = normalize_text(store, "NM_999999.1:c.1799_1800delinsAA")
    assert not variant.ok
    assert "is not in this graph (looked up on NM_999999)" in variant.message


def test_deleted_bases_the_codon_cannot_have_are_not_read(store: Store) -> None:
    variant = normalize_text(store, "BRAF c.1799_1800delGGinsAA")  # codon 600 is GTN: c.1799 is T, not G
    assert variant.variant_name != "BRAF V600E"
    assert "read through" not in variant.message
    assert "BRAF V600" not in {m.name for m in variant.matches}
