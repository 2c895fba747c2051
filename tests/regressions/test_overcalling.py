"""Issue 7, "Do not over-call": variants no source names no longer take a gene-level class's tier.

Each test is an example a tumour board would catch at once, on the real starter graph (and the
real MOAlmanac example inputs for germline rows and STAR-Fusion support).  Before the fix every
non-silent variant joined its gene's "mutation" class: BRCA2 N372H got olaparib at tier 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.stores.port import Store
from queries.annotate import annotate
from queries.inputs import open_patient_file
from queries.matching import MatchResult, match_therapies
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

INPUTS = Path(__file__).resolve().parents[1] / "data" / "inputs"
BRAF_OR_MEK = {"vemurafenib", "dabrafenib", "encorafenib", "trametinib", "cobimetinib", "binimetinib"}


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def drugs_of(result: MatchResult) -> set[str]:
    return {d.name.lower() for t in result.therapies for d in t.drugs}


@pytest.mark.parametrize(
    ("variant", "disease", "context"),
    [
        ("BRCA2 N372H", "ovarian cancer", "Olaparib"),  # benign polymorphism; used to give olaparib tier 1
        ("ALK I1461V", "lung adenocarcinoma", "Crizotinib"),  # population allele frequency 0.997; used to be tier 2
        ("TP53 P72R", "breast cancer", None),  # the common Pro72Arg polymorphism; CIViC names it, not as a mutation
    ],
)
def test_benign_polymorphisms_take_no_tier_from_their_genes_classes(
    store: Store, variant: str, disease: str, context: str | None
) -> None:
    result = match_therapies(store, [variant], disease)
    assert result.variants[0].status == "normalized"
    assert all(t.variant_match not in ("gene_class", "gene") for t in result.therapies), [
        (t.therapy.name, t.tier, t.variant_match) for t in result.therapies
    ]
    if context is not None:
        (entry,) = result.unknown_significance
        assert entry.input == variant
        assert context in entry.gene_therapies
        assert "not at a recurrent cancer hotspot" in entry.reason
        answer = result.as_json()["unknown_significance"]
        assert answer[0]["input"] == variant
        assert "tier" not in answer[0]


def test_msh6_g39e_reaches_no_class_and_no_therapy(store: Store) -> None:
    result = match_therapies(store, ["MSH6 G39E"], "colorectal cancer")
    assert result.therapies == []
    assert "no class of MSH6 it belongs to" in result.variants[0].message


def test_truncating_braf_gets_no_braf_or_mek_inhibitor(store: Store) -> None:
    result = match_therapies(store, ["BRAF R509*"], "melanoma")
    assert not drugs_of(result) & BRAF_OR_MEK
    (entry,) = result.unknown_significance
    assert "truncating" in entry.reason
    assert "Vemurafenib" in entry.gene_therapies


def test_truncating_braf_beside_v600e_leaves_v600e_answer_unchanged(store: Store) -> None:
    alone = match_therapies(store, ["BRAF V600E"], "melanoma")
    both = match_therapies(store, ["BRAF V600E", "BRAF R509*"], "melanoma")
    assert [(t.therapy.id, t.tier) for t in both.therapies] == [(t.therapy.id, t.tier) for t in alone.therapies]
    assert all(1 not in t.input_indexes for t in both.therapies)


def test_hotspot_missense_still_joins_the_activating_class(store: Store) -> None:
    """FLT3 D835Y (a recurrent hotspot) keeps midostaurin through CIViC's gain-of-function FLT3 MUTATION."""
    result = match_therapies(store, ["FLT3 D835Y"], "acute myeloid leukemia")
    midostaurin = next(t for t in result.therapies if t.therapy.name == "Midostaurin")
    assert (midostaurin.tier, midostaurin.variant_match) == (1, "gene_class")


@pytest.mark.parametrize("text", ["BRCA2 S1436S", "BRCA2 p.S1436=", "BRCA2 p.Ser1436Ser", "BRAF V600V"])
def test_synonymous_changes_are_read_as_synonymous(store: Store, text: str) -> None:
    result = match_therapies(store, [text], "breast cancer")
    variant = result.variants[0]
    assert variant.variant_name is not None
    assert variant.variant_name.endswith("=")
    assert "synonymous" in variant.message
    assert result.therapies == []
    assert result.unknown_significance == []


def test_maf_silent_rows_are_skipped_not_matched(tmp_path: Path) -> None:
    maf = tmp_path / "silent.maf"
    source = (INPUTS / "vcf2maf" / "tcga_laml.slice.maf").read_text().splitlines()
    header = next(i for i, line in enumerate(source) if line.startswith("Hugo_Symbol"))
    silent = [line for line in source[header + 1 :] if line.split("\t")[8] == "Silent"]
    maf.write_text("\n".join([source[header], *silent]) + "\n")
    rows, _ = annotate(embedded_starter(), [open_patient_file(maf)])
    assert silent
    assert {r.status for r in rows} == {"skipped"}


_GENES = st.sampled_from(["BRAF", "BRCA2", "KRAS", "EGFR", "TP53", "PIK3CA", "FLT3", "ALK", "KIT", "ERBB2"])
_RESIDUES = st.sampled_from(sorted("ACDEFGHIKLMNPQRSTVWY"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_GENES, _RESIDUES, st.integers(1, 1500), st.sampled_from(["{r}{p}{r}", "p.{r}{p}=", "{r}{p}="]))
def test_a_synonymous_change_never_matches(gene: str, residue: str, position: int, spelling: str) -> None:
    text = f"{gene} " + spelling.format(r=residue, p=position)
    result = match_therapies(embedded_starter(), [text], "cancer")
    assert result.therapies == []
    assert result.unknown_significance == []
    assert [m.label for m in result.variants[0].matches if m.label != "Gene"] == []


def test_germline_rows_match_only_when_known_pathogenic() -> None:
    germline = open_patient_file(INPUTS / "moalmanac" / "example_patient.capture.germline.maf", germline=True)
    rows, _ = annotate(embedded_starter(), [germline], disease="melanoma")
    by_input = {r.input: r for r in rows}
    for text in ("BRCA2 p.N372H", "ALK p.I1461V", "TP53 p.P72R", "BRAF p.R509*"):
        assert by_input[text].status == "unknown_significance", text
        assert by_input[text].sensitive_tier is None
        assert by_input[text].therapies == ()
        assert by_input[text].message.startswith("germline, and not known to be pathogenic")
    brca2 = by_input["BRCA2 p.S1982fs"]  # a null variant of a gene whose loss is actionable (PVS1)
    assert brca2.status == "normalized"
    # Tier 2 in melanoma: its in-disease evidence is olaparib's phase-1 basket trial in any cancer (EID 1371), which
    # CIViC has since re-levelled from A to B (no PARP inhibitor is approved in melanoma; approvals are elsewhere).
    assert brca2.sensitive_tier == 2
    assert any(t.startswith("Olaparib (tier 2") for t in brca2.therapies)
    assert any(t.startswith("Rucaparib (tier 1") for t in brca2.other_disease)


def test_the_same_row_as_a_somatic_call_is_matched_by_the_rules() -> None:
    """Germline status is part of what a row is: a somatic BRCA2 frameshift in the same file shape is matched."""
    somatic = open_patient_file(INPUTS / "moalmanac" / "example_patient.capture.germline.maf")
    rows, _ = annotate(embedded_starter(), [somatic], disease="melanoma")
    statuses = {r.input: r.status for r in rows}
    assert statuses["BRCA2 p.S1982fs"] == "normalized"
    assert statuses["BRAF p.R509*"] == "unknown_significance"  # truncating BRAF: not a BRAF activating mutation


def test_star_fusion_calls_below_the_support_threshold_are_reported_not_matched() -> None:
    path = INPUTS / "moalmanac" / "example_patient.rna.star.fusions.txt"
    rows, _ = annotate(embedded_starter(), [open_patient_file(path, role="fusions")], disease="lung adenocarcinoma")
    eml4_alk = rows[0]
    assert eml4_alk.input.startswith("EML4::ALK (STAR-Fusion: 10 junction reads, 0 spanning fragments)")
    assert (eml4_alk.status, eml4_alk.therapies) == ("not_matched", ())
    assert "0 spanning fragments (at least 5 needed)" in eml4_alk.message
    lowered = open_patient_file(path, role="fusions", min_spanning_fragments=0)
    rows, _ = annotate(embedded_starter(), [lowered], disease="lung adenocarcinoma")
    assert rows[0].status == "normalized"
    assert any(t.startswith("Crizotinib (tier 1") for t in rows[0].therapies)


def test_a_same_gene_fusion_call_is_flagged_and_not_matched(tmp_path: Path) -> None:
    source = (INPUTS / "moalmanac" / "example_patient.rna.star.fusions.txt").read_text().splitlines()
    header, row = source[0], source[1].split("\t")
    row[0], row[2] = "ALK--ALK", "12"  # EML4--ALK's row, as a call inside ALK with enough support
    path = tmp_path / "same_gene.star.fusions.txt"
    path.write_text(header + "\n" + "\t".join(row) + "\n")
    rows, _ = annotate(embedded_starter(), [open_patient_file(path, role="fusions")], disease="lung adenocarcinoma")
    # Reported, never matched: the reader flags it, and normalisation refuses a gene fused to itself.
    assert rows[0].status in ("not_matched", "unrecognized")
    assert rows[0].therapies == ()
    assert "itself" in rows[0].message or "same-gene artefact" in rows[0].message


def test_a_star_fusion_read_through_call_is_flagged_and_matched_only_when_named(tmp_path: Path) -> None:
    """STAR-Fusion's ``annots`` column (FusionAnnotator) names read-throughs of neighbouring genes."""
    source = (INPUTS / "moalmanac" / "example_patient.rna.star.fusions.txt").read_text().splitlines()
    rows = []
    for line in source[1:3]:  # EML4--ALK and PHRF1--PDIA4, with enough support, as a newer STAR-Fusion writes them
        row = line.split("\t")[:8]  # the header's eight columns (rows end with an empty ninth field)
        row[2] = "12"
        rows.append("\t".join(row) + '\t["INTRACHROMOSOMAL[chr2:0.05Mb]","NEIGHBORS[52]"]')
    path = tmp_path / "read_through.star.fusions.txt"
    path.write_text(source[0] + "\tannots\n" + "\n".join(rows) + "\n")
    found, _ = annotate(embedded_starter(), [open_patient_file(path, role="fusions")], disease="lung adenocarcinoma")
    eml4_alk, phrf1_pdia4 = found
    assert phrf1_pdia4.status == "not_matched"
    assert "read-through of adjacent genes" in phrf1_pdia4.message
    assert eml4_alk.status == "normalized"  # a source names EML4::ALK: matched, and the flag is shown
    assert "flagged: read-through of adjacent genes" in eml4_alk.message


def test_a_vcf_germline_call_is_held_unless_known_pathogenic(tmp_path: Path) -> None:
    """The VCF-reserved somatic status SS=1 (germline) marks a call as germline."""
    lines = (INPUTS / "vcf2maf" / "test.vcf").read_text().splitlines()
    records = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    marked = list(lines)
    for i in records:
        fields = marked[i].split("\t")
        fields[7] = "SS=1" if fields[7] in (".", "") else fields[7] + ";SS=1"
        marked[i] = "\t".join(fields)
    path = tmp_path / "germline.vcf"
    path.write_text("\n".join(marked) + "\n")
    alterations = [a for a in open_patient_file(path) if not hasattr(a, "problem")]
    assert alterations
    assert all(getattr(a, "germline", False) for a in alterations)
