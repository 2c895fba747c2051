"""Clinical shorthand reaches what it means (queries/respelling.py, the exon shorthand, fused genes' aliases).

Each of these was "unrecognized" or reached the wrong thing, so a tumour board list written the way reports write it
got no therapy: ``FLT3-ITD`` was a fusion of FLT3 with an "unknown gene ITD"; ``BRAF-V600E`` and ``BRAFV600E``
"named a gene but no alteration"; ``KRAS G12C mutation`` was "not a protein change"; ``ALK-positive`` an "unknown
gene positive"; ``EGFR del19`` "no variant or class called 'del19'"; ``BCR-ABL`` ambiguous between ABL1 and MTTP;
``BCR-ABL1 T315I`` unreadable; ``MET ex14`` reached only "MET mutation" (foretinib, tier 2) instead of
MET exon 14 skipping (capmatinib, tier 1).  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from queries.normalize import normalize_text
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def _therapies(store: Store, variants: list[str], disease: str) -> list[tuple[str, str, int]]:
    return [(t.therapy.name, t.significance, t.tier) for t in match_therapies(store, variants, disease).therapies]


@pytest.mark.parametrize(
    ("shorthand", "meant", "disease"),
    [
        ("FLT3-ITD", "FLT3 ITD", "acute myeloid leukemia"),
        ("FLT3/ITD", "FLT3 ITD", "acute myeloid leukemia"),
        ("FLT3-TKD", "FLT3 TKD mutation", "acute myeloid leukemia"),
        ("BRAF-V600E", "BRAF V600E", "melanoma"),
        ("BRAFV600E", "BRAF V600E", "melanoma"),
        ("IDH1R132H", "IDH1 R132H", "glioma"),
        ("EGFRvIII", "EGFR vIII", "glioblastoma"),
        ("KRAS G12C mutation", "KRAS G12C", "non-small cell lung carcinoma"),
        ("BRAF mutation V600E", "BRAF V600E", "melanoma"),
        ("EGFR L858R-positive", "EGFR L858R", "lung adenocarcinoma"),
        ("ALK-positive", "ALK fusion", "non-small cell lung carcinoma"),
        ("ALK+", "ALK fusion", "non-small cell lung carcinoma"),
        ("ROS1-positive", "ROS1 fusion", "non-small cell lung carcinoma"),
        ("ALK-rearranged", "ALK fusion", "non-small cell lung carcinoma"),
        ("HER2+", "ERBB2 amplification", "breast cancer"),
        ("HER2-positive", "ERBB2 amplification", "breast cancer"),
        ("EGFR del19", "EGFR exon 19 deletion", "lung adenocarcinoma"),
        ("EGFR 19del", "EGFR exon 19 deletion", "lung adenocarcinoma"),
        ("BCR-ABL", "BCR::ABL1", "chronic myeloid leukemia"),
        ("MET ex14", "MET exon 14 skipping", "lung adenocarcinoma"),
        ("METex14", "MET exon 14 skipping", "lung adenocarcinoma"),
        ("BRAF V600E.", "BRAF V600E", "melanoma"),
        ('"KRAS G12C",', "KRAS G12C", "non-small cell lung carcinoma"),
        ("(BRAF V600E)", "BRAF V600E", "melanoma"),
        ("EGFR del 19", "EGFR exon 19 deletion", "lung adenocarcinoma"),
        ("ERBB2-amplified", "ERBB2 amplification", "breast cancer"),
        ("HER2 IHC 3+", "ERBB2 amplification", "breast cancer"),
        ("HER2 IHC 2+/FISH+", "ERBB2 amplification", "breast cancer"),
        ("EML4-ALK v3", "EML4::ALK", "non-small cell lung carcinoma"),
        ("BRCA1 germline mutation", "BRCA1 mutation", "ovarian cancer"),
        ("germline BRCA2 mutation", "BRCA2 mutation", "breast cancer"),
        ("BRCA2 pathogenic variant", "BRCA2 mutation", "prostate cancer"),
        ("BRCA1 likely pathogenic variant", "BRCA1 mutation", "ovarian cancer"),
        ("gBRCA2", "BRCA2 mutation", "breast cancer"),
        ("BRCA2 biallelic loss", "BRCA2 loss of function", "prostate cancer"),
        ("BRCA2 deleterious mutation", "BRCA2 mutation", "prostate cancer"),  # read as a class no source names
        ("pathogenic BRCA2 variant", "BRCA2 mutation", "prostate cancer"),
        ("MET exon 14 mutation", "MET exon 14 skipping", "lung adenocarcinoma"),
        ("MET exon 14 splice site mutation", "MET exon 14 skipping", "lung adenocarcinoma"),
        ("EML4(6)-ALK(20)", "EML4::ALK e6-e20", "non-small cell lung carcinoma"),  # a breakpoint CIViC names
        ("EML4(13)::ALK(20)", "EML4::ALK", "non-small cell lung carcinoma"),
        ("KIF5B exon 15 - RET exon 12", "KIF5B::RET", "non-small cell lung carcinoma"),
        ("V600E BRAF", "BRAF V600E", "melanoma"),
        ("BRAF_V600E", "BRAF V600E", "melanoma"),
        ("EGFR_E746_A750del", "EGFR E746_A750del", "lung adenocarcinoma"),
        ("EGFR E746-A750del", "EGFR E746_A750del", "lung adenocarcinoma"),
        ("EGFR L858R (exon 21)", "EGFR L858R", "lung adenocarcinoma"),
        ("KRAS G12C VAF 23%", "KRAS G12C", "non-small cell lung carcinoma"),
        ("BRAF V600E (VAF 35%)", "BRAF V600E", "melanoma"),
        ("MET amplification (GCN 10)", "MET amplification", "lung adenocarcinoma"),
        ("FLT3-ITD high allelic ratio", "FLT3 ITD", "acute myeloid leukemia"),
        ("ALK fusion (EML4-ALK)", "EML4::ALK", "non-small cell lung carcinoma"),
        ("PD-L1 positive", "CD274 expression", "non-small cell lung carcinoma"),
        ("KRAS mt", "KRAS mutation", "colorectal cancer"),
        ("MET-amp", "MET amplification", "lung adenocarcinoma"),
        ("KRAS-mut", "KRAS mutation", "colorectal cancer"),
        ("EGFR-vIII", "EGFR vIII", "glioblastoma"),
        ("AR-V7", "AR v7 expression", "prostate cancer"),
        ("KRAS G12X", "KRAS G12", "colorectal cancer"),
        ("EGFR G719X", "EGFR G719", "lung adenocarcinoma"),
        ("BRCA2 c.5946delT (p.Ser1982fs)", "BRCA2 p.Ser1982fs", "breast cancer"),
    ],
)
def test_shorthand_answers_as_what_it_means(store: Store, shorthand: str, meant: str, disease: str) -> None:
    read, written = normalize_text(store, shorthand), normalize_text(store, meant)
    assert read.ok, read.message
    assert read.input == shorthand
    assert read.variant_id == written.variant_id
    therapies = _therapies(store, [shorthand], disease)
    assert therapies == _therapies(store, [meant], disease)
    assert therapies  # each reaches therapies (it reached none before)


def test_the_answer_says_how_shorthand_was_read(store: Store) -> None:
    assert normalize_text(store, "FLT3-ITD").message.startswith("FLT3-ITD read as FLT3 ITD (a dash")
    positive = normalize_text(store, "ALK-positive").message
    assert "read as ALK fusion" in positive
    assert "rearrangement" in positive
    assert "ABL may also be MTTP" in normalize_text(store, "BCR-ABL").message


def test_what_reads_as_written_is_not_respelled(store: Store) -> None:
    # EML4-ALK is a fusion as written; it is not "EML4 ALK"
    fusion = normalize_text(store, "EML4-ALK")
    assert fusion.variant_name == "EML4::ALK"
    assert "read as" not in fusion.message


def test_a_respelling_that_is_still_wrong_says_what_is_wrong(store: Store) -> None:
    wrong = normalize_text(store, "BRAF-V600Z")
    assert not wrong.ok
    assert "read as BRAF V600Z" in wrong.message
    assert "Z is not an amino acid" in wrong.message
    # a "positive" pmkg cannot tell the kind of (EGFR: mutation? amplification?) is not guessed
    assert not normalize_text(store, "EGFR-positive").ok


@pytest.mark.parametrize(
    "text", ["CDKN2A/B deletion", "EGFR T790M-negative", "ALK negative", "KIF5B", "CDKN2A/B loss", "TP53 and KRAS"]
)
def test_what_shorthand_could_misread_is_not_read(store: Store, text: str) -> None:
    # CDKN2A/B is two deleted genes, not a fusion of CDKN2A with "B"; T790M-negative is the absence of T790M
    read = normalize_text(store, text)
    assert not read.ok
    assert read.variant_name is None


def test_genes_of_one_family_written_as_one_are_asked_for_one_by_one(store: Store) -> None:
    read = normalize_text(store, "CDKN2A/B deletion")
    assert "names 2 genes (CDKN2A, CDKN2B)" in read.message
    assert "give each as its own input: CDKN2A deletion, CDKN2B deletion" in read.message


def test_a_gene_alone_is_not_split_into_a_gene_and_a_change(store: Store) -> None:
    assert "names a gene but no alteration" in normalize_text(store, "KIF5B").message


def test_an_exon_with_several_kinds_of_change_is_not_guessed(store: Store) -> None:
    # EGFR exon 20 holds insertions (amivantamab) and T790M (osimertinib): named bare, it is not read as either
    bare = normalize_text(store, "EGFR exon 20")
    assert bare.variant_name == "EGFR exon 20 mutation"
    assert "EGFR exon 20 insertion" not in {m.name for m in bare.matches}


def test_a_fusion_named_with_a_kinase_mutation_is_both_alterations(store: Store) -> None:
    result = match_therapies(store, ["BCR-ABL1 T315I"], "chronic myeloid leukemia")
    assert [v.variant_name for v in result.variants] == ["BCR::ABL1", "ABL1 T315I"]
    assert all(v.input == "BCR-ABL1 T315I" for v in result.variants)
    together = _therapies(store, ["BCR::ABL1", "ABL1 T315I"], "chronic myeloid leukemia")
    assert _therapies(store, ["BCR-ABL1 T315I"], "chronic myeloid leukemia") == together
    assert together[0][0] == "Ponatinib"  # the T315I-active inhibitor opens the list
    # the alias ABL is placed on the gene fused to BCR, not on BCR
    assert [v.variant_name for v in match_therapies(store, ["BCR-ABL T315I"], None).variants] == [
        "BCR::ABL1",
        "ABL1 T315I",
    ]


@pytest.mark.parametrize(
    ("both", "protein"),
    [
        ("KRAS G12C (c.34G>T)", "KRAS G12C"),
        ("KRAS c.34G>T (p.G12C)", "KRAS G12C"),
        ("BRAF p.V600E (c.1799T>A)", "BRAF V600E"),
        ("BRAF V600E (p.Val600Glu)", "BRAF V600E"),  # one change in two spellings
    ],
)
def test_a_protein_change_given_with_its_c_change_is_checked_against_it(store: Store, both: str, protein: str) -> None:
    read = normalize_text(store, both)
    assert read.ok
    assert read.variant_name == protein
    assert "names the same variant" in read.message


def test_a_protein_change_and_a_c_change_that_disagree_are_refused(store: Store) -> None:
    read = normalize_text(store, "KRAS G12C (c.35G>T)")  # c.35G>T is G12V
    assert not read.ok
    assert "name different variants (KRAS G12C and KRAS G12V)" in read.message


@pytest.mark.parametrize(
    ("listed", "each"),
    [
        ("KRAS G12C, TP53 R273H", ["KRAS G12C", "TP53 R273H"]),
        ("EGFR L858R; EGFR T790M", ["EGFR L858R", "EGFR T790M"]),
        ("BRAF V600E and NRAS Q61R", ["BRAF V600E", "NRAS Q61R"]),
        ("EGFR L858R/T790M", ["EGFR L858R", "EGFR T790M"]),  # a change alone is in the gene named before it
        ("EGFR del19 + T790M + C797S", ["EGFR exon 19 deletion", "EGFR T790M", "EGFR C797S"]),
    ],
)
def test_one_text_listing_several_alterations_is_each_of_them(store: Store, listed: str, each: list[str]) -> None:
    # A list pasted into one field was "KRAS has no variant or class called 'G12C, TP53 R273H'": no therapy.
    result = match_therapies(store, [listed], "non-small cell lung carcinoma")
    assert [v.variant_name for v in result.variants] == each
    assert all(v.input == listed and f"{listed} lists {len(each)} alterations" in v.message for v in result.variants)
    assert _therapies(store, [listed], "non-small cell lung carcinoma") == _therapies(
        store, each, "non-small cell lung carcinoma"
    )


def test_a_listed_alteration_that_cannot_be_read_says_why_beside_the_others(store: Store) -> None:
    result = match_therapies(store, ["BRAF V600E, FOO1 X12Y"], "melanoma")
    read, unread = result.variants
    assert read.variant_name == "BRAF V600E"
    assert not unread.ok
    assert "FOO1 X12Y: unknown gene FOO1" in unread.message
    assert result.therapies


@pytest.mark.parametrize(("text", "alias"), [("MET-amp", "MFAP1 (AMP)"), ("AR-V7", "CD101 (V7)")])
def test_a_word_for_the_alteration_is_not_a_fusion_partner_by_its_alias(store: Store, text: str, alias: str) -> None:
    # MET-amp was a fusion of MET with MFAP1 (alias AMP), AR-V7 of AR with CD101 (alias V7): no therapy, or a wrong one
    read = normalize_text(store, text)
    assert "::" not in str(read.variant_name)
    assert read.facts is None or not read.facts.fusion
    assert f"not a fusion with {alias}" in read.message


def test_a_fusion_named_by_aliases_is_still_a_fusion(store: Store) -> None:
    assert normalize_text(store, "MLL-AF9").variant_name == "KMT2A::MLLT3"


def test_x_is_a_stop_where_the_graph_holds_that_stop(store: Store) -> None:
    # TP53 R213X is the nonsense hotspot R213*; KRAS G12X is any residue at codon 12 (no stop there is known)
    assert normalize_text(store, "TP53 R213X").variant_name == "TP53 R213*"
    assert normalize_text(store, "TP53 R175X").variant_name == "TP53 R175*"  # loss of TP53 matters: a stop
    read = normalize_text(store, "KRAS G12X")
    assert read.variant_name == "KRAS G12"
    assert "X read as any residue at G12" in read.message


def test_a_c_change_that_is_not_translated_is_not_called_a_different_variant(store: Store) -> None:
    read = normalize_text(store, "BRCA2 c.5946delT (p.Ser1982fs)")
    assert read.ok
    assert "is not translated here, so it was not checked" in read.message


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("NTRK fusion", ["NTRK1 fusion", "NTRK2 fusion", "NTRK3 fusion"]),
        ("IDH mutation", ["IDH1 mutation", "IDH2 mutation"]),
    ],
)
def test_a_gene_family_is_asked_for_by_its_genes(store: Store, text: str, members: list[str]) -> None:
    # "NTRK fusion" was "unknown gene NTRK; did you mean NTRK1, NRK, NTSR1 ...": NTRK2 and NTRK3 never offered
    read = normalize_text(store, text)
    assert not read.ok
    assert "names a gene family" in read.message
    assert list(read.suggestions) == members
