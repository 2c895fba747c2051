"""Usual clinical spellings that pmkg could not read.

- A fusion with its ends marked (``5'BCR-3'ABL1``, ``BCR(5')-ABL1(3')``, ``3'ALK-5'EML4``), as fusion
  callers and lab reports write it, was "cannot read as a variant"; it is the fusion of the 5' gene to the
  3' gene now, in either order, and two 5' ends are refused with the reason.
- A stop-lost extension in HGVS form (``p.*767Lext*?``, ``p.Ter110GlnextTer17``: the new residue before
  ``ext``) was "cannot read the edit"; it reads as an extension (a stop_lost consequence).
- CPIC's phenotype abbreviations (``CYP2C19 PM``, ``DPYD PM``, ``CYP2D6 *1/*3 IM``, ``CYP2C19 UM``) were
  "neither a diplotype nor a phenotype"; they are the phenotypes they abbreviate, as outside calls.
- A phenotype given without a diplotype read ``DPYD : Poor Metabolizer`` in the match inputs.
- Text no reader takes got "cannot read as a variant; write a gene and an alteration" whatever was wrong:
  several variants in one input, an unplaced contig, a base that is not A/C/G/T, n./r./g./m. after a gene,
  ``p.?`` and ``p.(=)`` now each get the reason and what to write instead (:mod:`queries.notation_hints`).
- Full-width text (``ＢＲＡＦ Ｖ６００Ｅ``, as East Asian input methods type it) was "cannot read as a variant"; it is
  read as the ASCII it stands for (Unicode NFKC).
- A typed GRCh38 position declared GRCh37 (``GRCh37:7-140753336-A-T``, the hg19/hg38 mix-up) said only "no
  variant at this position"; it still matches nothing, and now says what the position is on the other assembly.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from kg.variants import parse_protein_change
from queries.matching import match_therapies
from queries.normalize import NORMALIZED, UNRECOGNIZED, normalize_text
from queries.pgx import lookup_diplotypes
from tests.queries.matching_stores import embedded_starter


@pytest.fixture(scope="module")
def store() -> Store:
    return embedded_starter()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("5'BCR-3'ABL1", "BCR::ABL1"),
        ("5' BCR::3' ABL1", "BCR::ABL1"),
        ("5'-BCR/3'-ABL1", "BCR::ABL1"),
        ("BCR(5')-ABL1(3')", "BCR::ABL1"),
        ("3'ABL1-5'BCR", "BCR::ABL1"),  # the 3' end written first: still BCR at the 5' end
        ("5\u2019EML4-3\u2019ALK fusion", "EML4::ALK"),  # typographic apostrophes, as pasted from a report
        ("3'ALK-5'EML4", "EML4::ALK"),
    ],
)
def test_fusion_with_marked_ends_is_the_fusion_of_the_5_prime_gene(store: Store, text: str, name: str) -> None:
    result = normalize_text(store, text)
    assert (result.status, result.variant_name) == (NORMALIZED, name)


def test_fusion_with_marked_ends_gets_the_fusions_therapies(store: Store) -> None:
    marked = match_therapies(store, ["5'BCR-3'ABL1"], "CML")
    plain = match_therapies(store, ["BCR::ABL1"], "CML")
    names = [t.therapy.name for t in marked.therapies]
    assert names == [t.therapy.name for t in plain.therapies]
    assert names[:3] == ["Dasatinib", "Nilotinib", "Imatinib"]


def test_two_5_prime_ends_are_refused_with_the_reason(store: Store) -> None:
    result = normalize_text(store, "5'BCR-5'ABL1")
    assert result.status == UNRECOGNIZED
    assert "both genes of \"5'BCR-5'ABL1\" are marked 5'" in result.message


@pytest.mark.parametrize(
    ("text", "name"),
    [("p.*767Lext*?", "*767Lext*?"), ("p.Ter110GlnextTer17", "*110Qext*17"), ("p.Met1ext-5", "M1ext-5")],
)
def test_hgvs_extension_with_its_new_residue_reads(text: str, name: str) -> None:
    change = parse_protein_change(text)
    assert (change.text, change.kind) == (name, "extension")


def test_stop_lost_extension_is_normalized_not_unreadable(store: Store) -> None:
    result = normalize_text(store, "TP53 p.*394Qext*?")
    assert result.status == NORMALIZED
    assert result.variant_name == "TP53 *394Qext*?"


def test_extension_to_a_letter_that_is_no_amino_acid_is_refused(store: Store) -> None:
    result = normalize_text(store, "TP53 p.*394Zext*?")
    assert result.status == UNRECOGNIZED
    assert "Z is not an amino acid" in result.message


@pytest.mark.parametrize(
    ("text", "gene", "phenotype"),
    [
        ("CYP2C19 PM", "CYP2C19", "Poor Metabolizer"),
        ("CYP2C19 um", "CYP2C19", "Ultrarapid Metabolizer"),
        ("CYP2C19 EM", "CYP2C19", "Normal Metabolizer"),  # the old word for a normal metabolizer
        ("DPYD PM", "DPYD", "Poor Metabolizer"),
        ("TPMT IM", "TPMT", "Intermediate Metabolizer"),
        ("CYP2D6 *1/*3 IM", "CYP2D6", "Intermediate Metabolizer"),
    ],
)
def test_cpic_phenotype_abbreviations_are_the_phenotypes(store: Store, text: str, gene: str, phenotype: str) -> None:
    report = lookup_diplotypes(store, [text]).as_dict()
    assert report["inputs"][0]["status"] == "ok", report["inputs"]
    (result,) = report["genes"]
    assert (result["gene"], result["phenotype"], result["source"]) == (gene, phenotype, "outside call")
    assert report["recommendations"]


def test_an_abbreviation_that_is_no_phenotype_is_still_unrecognized(store: Store) -> None:
    report = lookup_diplotypes(store, ["CYP2C19 XM"]).as_dict()
    assert report["inputs"][0]["status"] == "unrecognized"
    assert report["recommendations"] == []


def test_dpyd_pm_in_a_match_cautions_fluoropyrimidines_and_reads_cleanly(store: Store) -> None:
    answer = match_therapies(store, ["DPYD PM"], "colorectal cancer").as_json()
    (item,) = answer["inputs"]["variants"]
    assert item["message"] == "DPYD: Poor Metabolizer"
    assert {"avoid"} == {c["action"] for c in answer["pgx_cautions"] if c["drug"].lower() == "capecitabine"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BRAF V600E; KRAS G12C", "'BRAF V600E; KRAS G12C' holds 2 inputs separated by ';'"),
        ("BRAF V600E | KRAS G12C | EGFR L858R", "holds 3 inputs separated by '|'"),
        ("chrZ:g.1A>T", "'chrZ' is not a chromosome pmkg reads"),
        ("chrUn_gl000220:g.100A>T", "'chrUn_gl000220' is not a chromosome pmkg reads"),
        ("chr1_KI270706v1_random-100-A-T", "'chr1_KI270706v1_random' is not a chromosome pmkg reads"),
        ("chr7:g.140753336N>T", "N in 'chr7:g.140753336N>T' is not a DNA base"),
        ("7-140753336-A-Q", "Q in '7-140753336-A-Q' is not a DNA base"),
        ("EGFR n.2573T>G", "n. positions (on a non-coding transcript) are not read"),
        ("EGFR r.2573u>g", "r. (RNA) changes are not read"),
        ("BRAF g.140753336A>T", "a g. position is read on its chromosome, not after a gene"),
        ("TP53 m.1A>G", "m. positions are on the mitochondrial genome, not on a nuclear gene"),
        ("BRAF p.?", "says the effect on the protein is unknown: there is nothing to match"),
        ("BRAF p.(=)", "says the protein does not change (synonymous)"),
        ("ERBB2 CN=8", "gives a number of copies (8), not a copy-number call"),
        ("MET copy number 12", "gives a number of copies (12), not a copy-number call"),
        ("ERBB2 12 copies", "write the call your lab made: ERBB2 amplification, ERBB2 gain"),
    ],
)
def test_unreadable_text_gets_the_reason_not_the_general_advice(store: Store, text: str, reason: str) -> None:
    result = normalize_text(store, text)
    assert result.status == UNRECOGNIZED
    assert reason in result.message
    assert "write a gene and an alteration" not in result.message


def test_several_inputs_in_one_are_each_answered_beside_the_others(store: Store) -> None:
    # One field holding a list is each of its alterations (tests/regressions/test_clinical_shorthand.py); a part
    # that does not read keeps its own reason.
    answer = match_therapies(store, ["BRAF V600E; KRAS G12C", "NRAS Q61R; FOO1 X1Y"], "melanoma").as_json()
    rows = [(v["input"], v["status"], (v["variant"] or {}).get("name")) for v in answer["inputs"]["variants"]]
    assert rows == [
        ("BRAF V600E; KRAS G12C", NORMALIZED, "BRAF V600E"),
        ("BRAF V600E; KRAS G12C", NORMALIZED, "KRAS G12C"),
        ("NRAS Q61R; FOO1 X1Y", NORMALIZED, "NRAS Q61R"),
        ("NRAS Q61R; FOO1 X1Y", UNRECOGNIZED, None),
    ]
    assert answer["therapies"]


@pytest.mark.parametrize("text", ["NM_004333.4:c.1799T>A", "7-140453136-A-T", "chr7:g.140453136A>T", "BRAF:V600E"])
def test_readable_notations_are_untouched_by_the_hints(store: Store, text: str) -> None:
    assert normalize_text(store, text).variant_name == "BRAF V600E"


@pytest.mark.parametrize(
    ("text", "other"),
    [("GRCh37:7-140753336-A-T", "GRCh38"), ("hg38:7-140453136-A-T", "GRCh37"), ("hg38:chr7:g.140453136A>T", "GRCh37")],
)
def test_a_position_on_the_other_assembly_is_named_but_not_matched(store: Store, text: str, other: str) -> None:
    result = normalize_text(store, text)
    assert result.status == UNRECOGNIZED
    assert f"on {other} this position is BRAF V600E: if the position is on {other}, declare {other}" in result.message
    assert match_therapies(store, [text], "melanoma").therapies == []


@pytest.mark.parametrize(
    "text", ["\uff22\uff32\uff21\uff26 \uff36\uff16\uff10\uff10\uff25", "\uff22\uff32\uff21\uff26 V600E"]
)
def test_full_width_text_reads_as_ascii(store: Store, text: str) -> None:
    result = normalize_text(store, text)
    assert (result.status, result.variant_name) == (NORMALIZED, "BRAF V600E")
