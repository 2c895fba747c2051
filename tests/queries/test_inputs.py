"""Patient-file readers on the real example files: what a user gets from each, and what they are told.

Fixtures are cut from the real files by ``scripts/data/inputs.py`` (see tests/data/inputs/README.md).
"""

from __future__ import annotations

import doctest
import gzip
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import queries.inputs
import queries.inputs.clinical
import queries.inputs.cna
import queries.inputs.fusions
import queries.inputs.maf
import queries.inputs.tabular
import queries.inputs.vcf
from kg.errors import SourceFileError
from queries.inputs import LineProblem, open_patient_file, read_clinical
from queries.inputs.fusions import split_fusion
from queries.inputs.maf import clean_protein_change
from queries.inputs.tabular import parse_position
from queries.patient import Alteration

DATA = Path(__file__).resolve().parents[1] / "data" / "inputs"
ONCOKB = DATA / "oncokb"


def read(path: Path, role: str = "variants", **options: object) -> tuple[list[Alteration], list[LineProblem], object]:
    reader = open_patient_file(path, role=role, **options)  # type: ignore[arg-type]
    items = list(reader)
    alterations = [i for i in items if isinstance(i, Alteration)]
    problems = [i for i in items if isinstance(i, LineProblem)]
    return alterations, problems, reader.report


@pytest.mark.parametrize(
    "module",
    [queries.inputs, queries.inputs.tabular, queries.inputs.maf, queries.inputs.vcf, queries.inputs.cna,
     queries.inputs.fusions, queries.inputs.clinical],
)  # fmt: skip
def test_docstring_examples_hold(module: object) -> None:
    assert doctest.testmod(module, raise_on_error=False).failed == 0  # type: ignore[arg-type]


# -- MAF -----------------------------------------------------------------------------------------
def test_oncokb_example_maf() -> None:
    alterations, problems, report = read(ONCOKB / "example_maf.txt")
    assert problems == []
    assert len(alterations) == 17
    assert report.assembly == "GRCh37"
    assert report.assembly_source == "NCBI_Build column"
    assert list(report.samples) == [  # type: ignore[attr-defined]
        "TCGA-A6-2672-01A-01W-0833-10", "TCGA-05-4417-01", "TCGA-02-0033-01", "TCGA-06-0155-01",
    ]  # fmt: skip
    kras = alterations[8]
    assert kras == Alteration(
        "KRAS p.G12C", gene="KRAS", protein_change="p.G12C", assembly="GRCh37", chromosome="12",
        position=25398285, ref="C", alt="A", consequence="Missense_Mutation", sample="TCGA-05-4417-01",
        origin=f"{ONCOKB / 'example_maf.txt'}:10",
    )  # fmt: skip
    splice = next(a for a in alterations if a.gene == "NF1")
    assert splice.protein_change is None
    assert splice.consequence == "Splice_Site"
    assert splice.position == 29586049
    tert = next(a for a in alterations if a.gene == "TERT")
    assert tert.text == "TERT 5-1295228-G-A"
    assert tert.consequence == "5'Flank"
    assert alterations[-1].text == "EGFR T790M"


def test_oncokb_grch38_maf_says_its_assembly() -> None:
    alterations, _, report = read(ONCOKB / "example_maf_grch38.txt")
    assert report.assembly == "GRCh38"  # type: ignore[attr-defined]
    pik3ca = next(a for a in alterations if a.gene == "PIK3CA")
    assert (pik3ca.assembly, pik3ca.position) == ("GRCh38", 179218294)


def test_tcga_laml_maf_keeps_every_row_and_cleans_wustl_spellings() -> None:
    alterations, problems, report = read(DATA / "vcf2maf" / "tcga_laml.slice.maf")
    assert problems == []
    assert len(alterations) == report.rows == 204
    assert report.assembly == "GRCh37"  # type: ignore[attr-defined]
    by_text = {a.text: a for a in alterations}
    assert by_text["RUNX1 S167_G168del"].consequence == "In_Frame_Del"
    idh1 = next(a for a in alterations if a.gene == "IDH1")
    assert (idh1.text, idh1.sample, idh1.origin) == (
        "IDH1 p.R132H",
        "TCGA-AB-2802-03B-01W-0728-08",
        f"{DATA / 'vcf2maf' / 'tcga_laml.slice.maf'}:6",
    )
    itd = [a for a in alterations if a.gene == "FLT3" and a.consequence == "In_Frame_Ins"]
    assert len(itd) == 39
    assert all(a.protein_change is None and a.position and a.alt for a in itd)
    silent = next(a for a in alterations if a.consequence == "Silent")
    assert silent.protein_change is not None
    assert silent.protein_change.endswith("=")
    splice = [a for a in alterations if a.consequence == "Splice_Site"]
    assert splice
    assert all(a.protein_change is None for a in splice)


def test_moalmanac_germline_maf_and_its_documented_allele1_layout(tmp_path: Path) -> None:
    alterations, problems, _ = read(DATA / "moalmanac" / "example_patient.capture.germline.maf")
    assert problems == []
    assert len(alterations) == 10
    brca2 = alterations[-2]
    assert (brca2.protein_change, brca2.ref, brca2.alt, brca2.position) == ("p.S1982fs", "T", "-", 32914438)
    # MOAlmanac's description-of-inputs.md example puts the alternate allele in Tumor_Seq_Allele1.
    documented = tmp_path / "germline.maf"
    documented.write_text(
        "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_position\tEnd_position\tReference_Allele\tTumor_Seq_Allele1\t"
        "Tumor_Seq_Allele2\tVariant_Classification\tTumor_Sample_Barcode\tProtein_Change\n"
        "BRAF\t37\t7\t140453136\t140453136\tA\tT\tA\tMissense_Mutation\tProfileA-Tumor\tp.V600E\n"
    )
    (braf,), _, _ = read(documented)
    assert (braf.ref, braf.alt, braf.assembly, braf.sample) == ("A", "T", "GRCh37", "ProfileA-Tumor")


def test_civicannotator_maf_without_alternate_allele() -> None:
    alterations, problems, _ = read(DATA / "civicannotator" / "example_maf.tsv")
    assert problems == []
    first = alterations[0]
    assert (first.protein_change, first.alt, first.exon, first.transcript) == (
        "p.L747Qfs*16",
        None,
        19,
        "ENST00000275493.2",
    )


def test_minimal_genomic_maf_needs_a_declared_assembly(tmp_path: Path) -> None:
    maf = tmp_path / "minimal.maf"
    maf.write_text(
        "Chromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\tTumor_Sample_Barcode\n"
        "7\t140453136\tA\tT\tS1\n"
    )
    alterations, _, report = read(maf)
    assert alterations[0].assembly is None
    assert "declare it" in report.assembly_source
    alterations, _, report = read(maf, assembly="hg19")
    assert alterations[0].assembly == "GRCh37"
    assert report.assembly_source == "declared (--assembly)"


def test_maf_header_without_what_is_needed_fails_clearly(tmp_path: Path) -> None:
    maf = tmp_path / "bad.maf"
    maf.write_text("Hugo_Symbol\tTumor_Sample_Barcode\tt_depth\nBRAF\tS1\t40\n")
    with pytest.raises(SourceFileError, match="is not a VCF, a MAF, or a gene/alteration table"):
        open_patient_file(maf)
    with pytest.raises(SourceFileError, match="needs Hugo_Symbol with a protein column"):
        queries.inputs.MafFile(maf).check()


def test_malformed_maf_lines_are_reported_with_line_and_field_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = (ONCOKB / "example_maf.txt").read_text().splitlines()
    lines[3] = lines[3].replace("178936082\t178936082", "17893608x\t178936082")  # PIK3CA, line 4
    lines[5] = lines[5] + "\tan extra field"  # EGFR, line 6
    lines[7] = lines[7].replace("TCGA-02-0033-01", "")  # FGFR2, line 8
    bad = tmp_path / "bad.maf"
    bad.write_text("\n".join(lines) + "\n")
    alterations, problems, report = read(bad)
    assert len(alterations) == 14
    assert report.problems == 3
    assert [str(p) for p in problems] == [
        f"{bad}:4 (field 'Start_Position'): '17893608x' is not a genomic position (expected a whole number ≥ 1)",
        f"{bad}:6: has 14 tab-separated fields; the header has 13",
        f"{bad}:8 (field 'Tumor_Sample_Barcode'): has no sample barcode",
    ]


def test_maf_rows_with_an_unknown_build_are_reported(tmp_path: Path) -> None:
    lines = (ONCOKB / "example_maf.txt").read_text().splitlines()
    lines[2] = lines[2].replace("GRCh37", "NCBI36", 1)
    bad = tmp_path / "old.maf"
    bad.write_text("\n".join(lines) + "\n")
    _, problems, _ = read(bad)
    assert [(p.line, p.field) for p in problems] == [(3, "NCBI_Build")]
    assert "lift it over" in problems[0].problem


def test_gene_alteration_tables() -> None:
    alterations, problems, _ = read(ONCOKB / "example_atypical_alterations.txt")
    assert problems == []
    assert len(alterations) == 12
    assert alterations[0] == Alteration(
        "MSI-H", sample="TCGA-A6-2672-01", origin=f"{ONCOKB / 'example_atypical_alterations.txt'}:2"
    )
    assert [(a.gene, a.text) for a in alterations[4:6]] == [("EGFR", "EGFR vIII"), ("EGFR", "EGFR vV")]
    mixed, problems, _ = read(DATA / "civicannotator" / "example_alt.tsv")
    assert problems == []
    assert len(mixed) == 19
    assert (mixed[0].gene, mixed[0].copy_number, mixed[0].sample) == ("CDK4", "amplification", "C-Patient")
    assert (mixed[5].gene, mixed[5].fusion_partner, mixed[5].sample) == ("EML4", "ALK", "A-Patient")
    met = mixed[7]
    assert (met.gene, met.protein_change, met.position, met.coding_change) == (
        "MET",
        "p.Asp1028Asn",
        116412043,
        "c.3082G>A",
    )


# -- VCF -----------------------------------------------------------------------------------------
def test_tumour_normal_vcf_one_alteration_per_sample_carrying_each_allele() -> None:
    alterations, problems, report = read(DATA / "vcf2maf" / "test.vcf")
    assert problems == []
    assert report.rows == 20
    assert len(alterations) == 24
    assert report.assembly is None  # type: ignore[attr-defined]
    at = [(a.sample, a.alt) for a in alterations if a.position == 112174757]
    # 0/2|0/0, 1/2|1/1, 0/1|0/2, 0/2|0/1 over ALTs G,GGA / G,GCA / G,GGA / G,GGA
    assert at == [
        ("TUMOR", "GGA"), ("TUMOR", "G"), ("NORMAL", "G"), ("TUMOR", "GCA"), ("TUMOR", "G"), ("NORMAL", "GGA"),
        ("NORMAL", "G"), ("TUMOR", "GGA"),
    ]  # fmt: skip
    assert report.skipped == {"genotype without this ALT allele": 24}  # type: ignore[attr-defined]


def test_vcf_assembly_from_contig_lengths_and_declared_conflict() -> None:
    alterations, _, report = read(DATA / "vcf2maf" / "test_b38.vcf")
    assert report.assembly == "GRCh38"  # type: ignore[attr-defined]
    assert report.assembly_source == "##contig length of 21 (46709983)"  # type: ignore[attr-defined]
    assert {a.assembly for a in alterations} == {"GRCh38"}
    with pytest.raises(SourceFileError, match=r"says GRCh38 \(##contig length of 21 \(46709983\)\) but --assembly"):
        list(open_patient_file(DATA / "vcf2maf" / "test_b38.vcf", assembly="GRCh37"))


def test_vep_csq_gives_gene_protein_and_transcript() -> None:
    alterations, problems, report = read(DATA / "vcf2maf" / "TCGA-B5-A0JV-01.ucec.csq.vcf", assembly="GRCh37")
    assert problems == []
    assert report.layout == "VCF (VEP CSQ)"
    assert report.assembly_source == "declared (--assembly)"  # type: ignore[attr-defined]
    assert len(alterations) == 294
    assert {a.sample for a in alterations} == {"TCGA-B5-A0JV-01A-11D-A10B-09"}
    pik3ca = next(a for a in alterations if a.gene == "PIK3CA")
    assert (pik3ca.protein_change, pik3ca.coding_change, pik3ca.transcript, pik3ca.exon, pik3ca.consequence) == (
        "p.Glu542Lys",
        "c.1624G>A",
        "ENST00000263967",
        10,
        "missense_variant",
    )
    assert (pik3ca.chromosome, pik3ca.position, pik3ca.ref, pik3ca.alt, pik3ca.assembly) == (
        "3",
        178936082,
        "G",
        "A",
        "GRCh37",
    )
    deletion = next(a for a in alterations if a.gene == "CPLX1")  # VEP writes the deleted allele as "-"
    assert (deletion.protein_change, deletion.consequence) == ("p.Glu36del", "inframe_deletion")


def test_snpeff_ann_in_a_gzip_file() -> None:
    alterations, problems, report = read(DATA / "vcf2maf" / "test_b38.ann.vcf.gz")
    assert problems == []
    assert report.layout == "VCF (SnpEff ANN)"
    assert report.assembly == "GRCh38"
    runx1 = alterations[0]
    assert (runx1.gene, runx1.protein_change, runx1.coding_change, runx1.exon, runx1.position) == (
        "RUNX1",
        "p.Leu429Arg",
        "c.1286T>G",
        9,
        34792292,
    )


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "calls.txt"
    disguised.write_bytes(gzip.compress((DATA / "vcf2maf" / "test_b38.vcf").read_bytes()))
    alterations, _, _ = read(disguised)
    assert len(alterations) == 25


def test_multisample_pharmcat_vcf() -> None:
    alterations, _, report = read(DATA / "pharmcat" / "multisample.slice.vcf")
    assert list(report.samples) == ["Sample_1", "Sample_2"]  # type: ignore[attr-defined]
    assert report.assembly == "GRCh38"
    assert report.assembly_source == "##contig assembly"
    carriers = {(a.sample, a.rsid) for a in alterations}
    assert ("Sample_2", "rs4244285") in carriers  # CYP2C19*2
    assert all(a.chromosome and not a.chromosome.startswith("chr") for a in alterations)


def test_sites_only_clinvar_vcf() -> None:
    alterations, _, report = read(DATA / "clinvar_GRCh38_slice.vcf.gz")
    assert report.assembly_source == "##reference"
    assert len(alterations) == 10
    first = alterations[0]
    assert (first.sample, first.gene, first.consequence, first.assembly) == (
        "clinvar_GRCh38_slice",
        "OR4F5",
        "intron_variant",
        "GRCh38",
    )
    assert any(a.rsid == "rs368250686" for a in alterations)


def test_malformed_vcf_records_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    lines = (DATA / "vcf2maf" / "test.vcf").read_text().splitlines()
    lines[5] = lines[5].replace("11290178", "11290x78")  # line 6
    lines[6] = lines[6].replace("\tTG\t", "\tTQ\t")  # line 7
    lines[7] = "\t".join(lines[7].split("\t")[:10])  # line 8: the NORMAL column is missing
    lines[8] = lines[8].replace("\tPASS\t", "\tlowqual\t").replace("\t.\t.\t", "\t.\tlowqual\t", 1)  # line 9
    bad = tmp_path / "bad.vcf"
    bad.write_text("\n".join(lines) + "\n")
    alterations, problems, report = read(bad)
    assert [(p.line, p.field) for p in problems] == [(6, "POS"), (7, "REF"), (8, None)]
    assert str(problems[2]) == f"{bad}:8: has 10 tab-separated fields; the header says 11"
    assert report.skipped["FILTER is not PASS"] == 1  # type: ignore[attr-defined]
    assert len(alterations) == 24 - 4


def test_a_file_that_is_not_a_vcf_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_text("##fileformat=VCFv4.2\nCHROM\tPOS\n1\t2\n")
    with pytest.raises(SourceFileError, match=r"bad.vcf:2: expected the #CHROM header line"):
        list(open_patient_file(bad))


# -- copy number ---------------------------------------------------------------------------------
def test_gistic_matrix() -> None:
    alterations, problems, report = read(ONCOKB / "example_cna.txt", role="cna")
    assert problems == []
    assert [(a.sample, a.gene, a.copy_number) for a in alterations] == [
        ("TCGA-05-4417-01", "MET", "amplification"), ("TCGA-02-0033-01", "MET", "amplification"),
        ("TCGA-05-4417-01", "ERBB2", "amplification"), ("TCGA-05-4417-01", "CDK4", "deletion"),
        ("TCGA-02-0033-01", "CDK4", "amplification"), ("TCGA-02-0033-01", "CDK4", "amplification"),
    ]  # fmt: skip
    assert report.skipped == {"shallow gain (+1) not assessed": 1, "shallow loss (-1) not assessed": 1}  # type: ignore[attr-defined]
    shallow, _, _ = read(ONCOKB / "example_cna.txt", role="cna", include_shallow=True)
    assert len(shallow) == 8
    assert {"gain", "loss"} <= {a.copy_number for a in shallow}


def test_gistic_cell_that_is_not_a_call(tmp_path: Path) -> None:
    bad = tmp_path / "cna.txt"
    bad.write_text((ONCOKB / "example_cna.txt").read_text().replace("ERBB2\t0\t0\t2\t1", "ERBB2\t0\t0\t2.7\t1"))
    alterations, problems, _ = read(bad, role="cna")
    assert [str(p) for p in problems] == [
        f"{bad}:3 (field 'TCGA-05-4417-01'): '2.7' is not a discrete copy-number call (-2, -1, 0, 1 or 2)"
    ]
    assert len(alterations) == 5


def test_individual_cna_with_crlf_numbers_and_words() -> None:
    alterations, problems, report = read(ONCOKB / "example_individual_cna.txt", role="cna")
    assert problems == []
    assert len(alterations) == 10
    assert [a.copy_number for a in alterations[-4:]] == ["amplification", "deletion", "loss", "gain"]
    assert report.skipped == {"shallow gain (+1) not assessed": 1, "shallow loss (-1) not assessed": 1}  # type: ignore[attr-defined]


def test_moalmanac_called_cna_has_no_sample_column() -> None:
    path = DATA / "moalmanac" / "example_patient.capture.somatic.called.cna.txt"
    alterations, problems, report = read(path, role="cna", default_sample="example_tumor_profile")
    assert problems == []
    assert [(a.gene, a.copy_number) for a in alterations] == [
        ("TP53", "deletion"), ("CDKN2A", "deletion"), ("BRAF", "amplification"), ("CDK4", "amplification"),
        ("FGFR2", "deletion"),
    ]  # fmt: skip
    assert {a.sample for a in alterations} == {"example_tumor_profile"}
    assert report.skipped == {"no copy-number change (Wild type)": 1}  # type: ignore[attr-defined]


def test_cbioportal_long_discrete_cna_and_civicannotator_cna() -> None:
    alterations, _, report = read(DATA / "cbioportal" / "data_cna_discrete.slice.txt", role="cna")
    assert len(report.samples) == 2
    assert all(a.copy_number in ("amplification", "deletion") for a in alterations)
    civic, _, _ = read(DATA / "civicannotator" / "example_cna.tsv", role="cna")
    assert len(civic) == 138
    assert civic[0].text == "CDKN2A deletion"


def test_a_maf_given_as_copy_number_is_refused() -> None:
    with pytest.raises(SourceFileError, match="is not a copy-number file"):
        open_patient_file(ONCOKB / "example_maf.txt", role="cna")


# -- fusions -------------------------------------------------------------------------------------
def test_oncokb_fusions_and_structural_variants() -> None:
    fusions, problems, _ = read(ONCOKB / "example_fusions.txt", role="fusions")
    assert problems == []
    assert [a.text for a in fusions] == [
        "MLL2 intragenic rearrangement", "ALK::EML4", "EGFR intragenic rearrangement", "TMPRSS2::ERG",
        "TMPRSS2::ERG", "ERBB2 intragenic rearrangement", "ETV6::RUNX1",
    ]  # fmt: skip
    svs, _, report = read(ONCOKB / "example_sv.txt", role="fusions")
    assert report.layout == "structural variants"  # type: ignore[attr-defined]
    assert [a.text for a in svs][:3] == ["MLL2 intragenic deletion", "ALK::EML4", "EGFR intragenic deletion"]


def test_star_fusion_keeps_read_support() -> None:
    path = DATA / "moalmanac" / "example_patient.rna.star.fusions.txt"
    fusions, problems, report = read(path, role="fusions")
    assert problems == []
    assert len(fusions) == 178
    assert report.layout == "fusions (STAR-Fusion)"
    first = fusions[0]
    assert (first.gene, first.fusion_partner) == ("EML4", "ALK")
    assert first.text == "EML4::ALK (STAR-Fusion: 10 junction reads, 0 spanning fragments)"
    assert first.sample == "example_patient.rna.star.fusions"


def test_civicannotator_fusions() -> None:
    fusions, _, _ = read(DATA / "civicannotator" / "example_fus.tsv", role="fusions")
    assert len(fusions) == 23
    assert (fusions[0].gene, fusions[0].fusion_partner) == ("ESR1", "CCDC170")


def test_an_ambiguous_fusion_name_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "fusions.txt"
    path.write_text("Tumor_Sample_Barcode\tFusion\nS1\tHLA-A-ROS1\nS1\tNKX2-1-ALK fusion\n")
    fusions, problems, _ = read(path, role="fusions")
    assert [a.text for a in fusions] == ["NKX2-1::ALK"]
    assert str(problems[0]) == f"{path}:2: cannot tell the two genes of 'HLA-A-ROS1' apart: write it GENE1::GENE2"


# -- clinical ------------------------------------------------------------------------------------
def test_clinical_table_and_barcode_lookup() -> None:
    table = read_clinical(ONCOKB / "example_clinical.txt")
    assert table.column == "ONCOTREE_CODE"
    assert len(table.diseases) == 9
    assert table.problems == []
    assert table.disease_for("TCGA-05-4417-01") == "LUAD"
    assert table.disease_for("TCGA-A6-2672-01A-01W-0833-10") == "MEL"  # exact beats the prefix's COAD
    assert table.disease_for("TCGA-05-4417-01A-11D-1234-08") == "LUAD"  # an aliquot of the sample
    assert table.disease_for("TCGA-05-4417-011") is None


def test_civicannotator_input_as_clinical_table() -> None:
    table = read_clinical(DATA / "civicannotator" / "example_maf.tsv")
    assert table.column == "Civic_Disease"
    assert table.diseases["A-Tumor"].split("|")[3] == "Lung Adenocarcinoma"


def test_clinical_table_without_tumour_type_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "clinical.txt"
    bad.write_text("#Sample Identifier\tSubtype\nSAMPLE_ID\tSUBTYPE\nS1\tbasal-like\n")
    with pytest.raises(SourceFileError, match=r"clinical.txt:2: a clinical table needs a sample column"):
        read_clinical(bad)


# -- field parsing (property-based) --------------------------------------------------------------
GENES = st.from_regex(r"[A-Z][A-Z0-9]{1,7}", fullmatch=True)
SAMPLES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True)
BASES = st.text("ACGT", min_size=1, max_size=6)
RESIDUES = st.sampled_from(sorted(set(string.ascii_uppercase) - set("BJOUXZ")))


@st.composite
def protein_changes(draw: st.DrawFn) -> str:
    ref, alt, position = draw(RESIDUES), draw(RESIDUES), draw(st.integers(1, 4000))
    return draw(st.sampled_from([f"p.{ref}{position}{alt}", f"{ref}{position}{alt}", f"p.{ref}{position}*",
                                 f"p.{ref}{position}fs", f"p.{ref}{position}_{alt}{position + 3}del"]))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(GENES, protein_changes(), st.sampled_from(["1", "7", "X", "chr12"]), st.integers(1, 10**9),
                  BASES, BASES, SAMPLES),
        min_size=1, max_size=8,
    ),
)  # fmt: skip
def test_maf_rows_read_back_as_written(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    path = tmp_path_factory.mktemp("maf") / "cohort.maf"
    header = "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\t" \
             "Tumor_Sample_Barcode\tHGVSp_Short\n"  # fmt: skip
    body = "".join(f"{g}\tGRCh38\t{c}\t{p}\t{r}\t{a}\t{s}\t{pc}\n" for g, pc, c, p, r, a, s in rows)
    path.write_text(header + body)
    alterations, problems, _ = read(path)
    assert problems == []
    for alteration, (gene, change, chrom, position, ref, alt, sample) in zip(alterations, rows, strict=True):
        assert (alteration.gene, alteration.protein_change, alteration.sample) == (gene, change, sample)
        assert (alteration.chromosome, alteration.position) == (chrom.removeprefix("chr"), position)
        assert alteration.ref == ref
        assert alteration.alt == (alt if alt != ref else None)
        assert alteration.assembly == "GRCh38"


@settings(max_examples=60, deadline=None)
@given(
    alts=st.lists(BASES.map(lambda b: "T" + b), min_size=1, max_size=3, unique=True),
    genotypes=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from("/|")), min_size=1, max_size=4),
)
def test_vcf_genotypes_decide_who_carries_each_allele(
    tmp_path_factory: pytest.TempPathFactory, alts: list[str], genotypes: list[tuple[int, int, str]]
) -> None:
    path = tmp_path_factory.mktemp("vcf") / "calls.vcf"
    names = [f"S{i}" for i in range(len(genotypes))]
    calls = [f"{min(a, len(alts))}{sep}{min(b, len(alts))}" for a, b, sep in genotypes]
    path.write_text(
        "##fileformat=VCFv4.2\n##reference=GRCh37\n"
        + "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *names]) + "\n"
        + "\t".join(["7", "140453136", ".", "A", ",".join(alts), ".", "PASS", ".", "GT", *calls]) + "\n"
    )  # fmt: skip
    alterations, problems, _ = read(path)
    assert problems == []
    expected = [
        (name, alt) for number, alt in enumerate(alts, start=1)
        for name, call in zip(names, calls, strict=True) if str(number) in call.replace("|", "/").split("/")
    ]  # fmt: skip
    assert [(a.sample, a.alt) for a in alterations] == expected
    assert all(a.assembly == "GRCh37" for a in alterations)


@settings(max_examples=60, deadline=None)
@given(calls=st.lists(st.lists(st.sampled_from([-2, -1, 0, 1, 2]), min_size=2, max_size=2), min_size=1, max_size=6))
def test_gistic_calls_become_events(tmp_path_factory: pytest.TempPathFactory, calls: list[list[int]]) -> None:
    path = tmp_path_factory.mktemp("cna") / "cna.txt"
    path.write_text("Hugo_Symbol\tA\tB\n" + "".join(f"G{i}\t{a}\t{b}\n" for i, (a, b) in enumerate(calls)))
    deep, _, _ = read(path, role="cna")
    every, _, _ = read(path, role="cna", include_shallow=True)
    cells = [c for row in calls for c in row]
    assert len(deep) == sum(abs(c) == 2 for c in cells)
    assert len(every) == sum(c != 0 for c in cells)


@given(five=GENES, three=GENES)
def test_fusion_names_split_in_every_spelling(five: str, three: str) -> None:
    for name in (f"{five}-{three}", f"{five}--{three}", f"{five}::{three}", f"{five}-{three} fusion"):
        assert split_fusion(name) == (five, three)
    assert split_fusion(f"{five}-1::{three}") == (f"{five}-1", three)


@given(change=protein_changes())
def test_clean_protein_changes_are_left_alone(change: str) -> None:
    assert clean_protein_change(change) == change
    assert clean_protein_change(f"ENSP00000288602.6:{change}") == change


@given(position=st.integers(1, 3 * 10**9))
def test_positions_read_as_integers_or_spreadsheet_floats(position: int) -> None:
    assert parse_position(str(position)) == parse_position(f"{position}.0") == position
