"""Normalisation as a user meets it: every notation the issue lists, on the real starter graph, in both stores."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from kg.variants import THREE_TO_ONE
from loaders.disease_ontology import DiseaseOntologyLoader
from loaders.ncit import NcitLoader
from queries.normalize import (
    AMBIGUOUS,
    NORMALIZED,
    UNRECOGNIZED,
    NormalizedVariant,
    normalize_text,
    parse_variant,
    resolve_disease,
)
from queries.notation import Unparsed
from queries.patient import Alteration
from tests.queries.matching_stores import STORE_KINDS, store_of_kind

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def reached(result: NormalizedVariant) -> dict[str, str]:
    return {m.id: m.specificity for m in result.matches}


# ------------------------------------------------------------------ every notation, on the starter graph

BRAF_V600E = "PMKG:variant/BRAF:V600E"


@pytest.mark.parametrize(
    "text",
    [
        "BRAF V600E",
        "BRAF p.V600E",
        "BRAF p.Val600Glu",
        "braf v600e",
        "BRAF (p.V600E)",
        "NM_004333.4:c.1799T>A",
        "NM_004333.4(BRAF):c.1799T>A",
        "ENST00000288602.6:c.1799T>A",
        "BRAF c.1799T>A",
        "7-140453136-A-T",
        "chr7:g.140453136A>T",
        "NC_000007.13:g.140453136A>T",
        "rs113488022",
    ],
)
def test_every_spelling_of_braf_v600e_is_one_variant(store: Store, text: str) -> None:
    result = normalize_text(store, text)
    assert result.status == NORMALIZED, result.message
    assert result.variant_id == BRAF_V600E
    assert reached(result) == {
        BRAF_V600E: "exact",
        "PMKG:class/BRAF:V600": "codon",
        "PMKG:class/BRAF:mutation": "gene_class",
        "HGNC:1097": "gene",
    }


def test_genomic_position_says_which_assembly(store: Store) -> None:
    grch37 = normalize_text(store, "7-140453136-A-T")
    assert grch37.assembly == "GRCh37"
    assert "GRCh37, inferred" in grch37.message
    grch38 = normalize_text(store, "11-5227002-T-A")  # a ClinVar VCF variant, positions on GRCh38
    assert (grch38.status, grch38.assembly, grch38.variant_id) == (NORMALIZED, "GRCh38", "CLINVAR:15333")
    declared = normalize_text(store, "7-140453136-A-T", assembly="GRCh37")
    assert "GRCh37, declared" in declared.message
    wrong = normalize_text(store, "7-140453136-A-T", assembly="GRCh38")
    assert wrong.status == UNRECOGNIZED
    assert "on GRCh38" in wrong.message


def test_grch38_braf_v600e_is_lifted_to_the_civic_grch37_coordinate(store: Store) -> None:
    """The starter's CIViC 2021 release gives GRCh37 positions only; the GRCh38 one is lifted (issue 7)."""
    result = normalize_text(store, "7-140753336-A-T")
    assert (result.status, result.variant_name, result.assembly) == (NORMALIZED, "BRAF V600E", "GRCh38")
    assert "GRCh38, inferred; lifted to GRCh37 7:140453136" in result.message


def test_gene_alias_resolves_through_the_graph(store: Store) -> None:
    result = normalize_text(store, "HER2 amplification")
    assert result.variant_id == "PMKG:variant/ERBB2:amplification"
    assert reached(result)["PMKG:class/ERBB2:amplification"] == "exact"
    assert [g.name for g in result.genes] == ["ERBB2"]


@pytest.mark.parametrize(
    ("text", "variant", "expected"),
    [
        (
            "EGFR E746_A750del",
            "PMKG:variant/EGFR:E746_A750del",
            {"PMKG:class/EGFR:exon-19-deletion": "exon", "PMKG:class/EGFR:mutation": "gene_class"},
        ),
        ("EML4::ALK", "PMKG:variant/EML4::ALK", {"PMKG:class/ALK:fusion": "gene_class"}),
        ("EML4-ALK", "PMKG:variant/EML4::ALK", {"PMKG:class/ALK:fusion": "gene_class"}),
        ("EML4--ALK", "PMKG:variant/EML4::ALK", {"PMKG:class/ALK:fusion": "gene_class"}),
        ("ALK fusion", "PMKG:class/ALK:fusion", {"PMKG:class/ALK:fusion": "exact"}),
        ("ERBB2 amplification", "PMKG:variant/ERBB2:amplification", {"PMKG:class/ERBB2:amplification": "exact"}),
        (
            "CDKN2A deletion",
            "PMKG:variant/CDKN2A:deletion",
            {"PMKG:class/CDKN2A:deletion": "exact", "PMKG:class/CDKN2A:loss": "gene_class"},
        ),
        ("CDKN2A loss", "PMKG:variant/CDKN2A:loss", {"PMKG:class/CDKN2A:loss": "exact"}),
        (
            "EGFR exon 19 deletion",
            "PMKG:class/EGFR:exon-19-deletion",
            {"PMKG:class/EGFR:exon-19-deletion": "exact", "PMKG:class/EGFR:mutation": "gene_class"},
        ),
        ("EGFR ex19del", "PMKG:class/EGFR:exon-19-deletion", {"PMKG:class/EGFR:exon-19-deletion": "exact"}),
        ("MET exon 14 skipping", "PMKG:class/MET:exon-14-skipping", {"PMKG:class/MET:exon-14-skipping": "exact"}),
        ("FLT3 ITD", "PMKG:class/FLT3:ITD", {"PMKG:class/FLT3:ITD": "exact"}),
        (
            "KRAS G12C",
            "PMKG:variant/KRAS:G12C",
            {
                "PMKG:class/KRAS:G12": "codon",
                "PMKG:class/KRAS:G12/G13": "codon",
                "PMKG:class/KRAS:exon-2-mutation": "exon",
                "PMKG:class/KRAS:mutation": "gene_class",
            },
        ),
        ("KRAS G12/G13", "PMKG:class/KRAS:G12/G13", {"PMKG:class/KRAS:exon-2-mutation": "exon"}),
        ("BRAF V600", "PMKG:class/BRAF:V600", {"PMKG:class/BRAF:V600": "exact"}),
    ],
)
def test_notations_reach_their_variant_and_classes(
    store: Store, text: str, variant: str, expected: dict[str, str]
) -> None:
    result = normalize_text(store, text)
    assert result.status == NORMALIZED, result.message
    assert result.variant_id == variant
    assert expected.items() <= reached(result).items()


def test_a_variant_no_source_named_reaches_its_classes_by_rule(store: Store) -> None:
    result = normalize_text(store, "EGFR L747_T751del")
    assert result.status == NORMALIZED
    assert not result.in_graph
    assert result.variant_id == "PMKG:variant/EGFR:L747_T751del"
    # An in-frame deletion in the cited exon 19 range is an activating change, so it is an EGFR gain of function too.
    assert reached(result) == {"PMKG:class/EGFR:exon-19-deletion": "exon", "PMKG:class/EGFR:mutation": "gene_class",
                               "PMKG:class/EGFR:gain-of-function": "gene_class", "HGNC:3236": "gene"}  # fmt: skip
    assert all(m.by_rule for m in result.matches if m.id.startswith("PMKG:class/"))
    assert "not in this graph" in result.message


def test_frameshift_reaches_the_gene_level_classes(store: Store) -> None:
    result = normalize_text(store, "BRCA2 p.Ser1982Argfs*22")
    assert result.variant_id == "PMKG:variant/BRCA2:S1982fs"
    assert {"PMKG:class/BRCA2:truncating-mutation", "PMKG:class/BRCA2:loss-of-function"} <= set(reached(result))


def test_a_synonym_numbering_finds_the_stored_variant(store: Store) -> None:
    result = normalize_text(store, "BRAF A336V")  # CIViC's alias of BRAF A728V
    assert result.variant_id == "PMKG:variant/BRAF:A728V"
    assert "synonym" in result.message


def test_biomarkers(store: Store) -> None:
    msi = normalize_text(store, "MSI-high")
    assert (msi.status, msi.variant_id) == (NORMALIZED, "PMKG:variant/MSI-H")
    assert msi.in_graph  # the starter's CIViC names MSI High (a Factor feature since 2024)
    assert msi.message == "MSI-high is MSI-H"
    tmb = normalize_text(store, "TMB 12 mut/Mb")
    assert (tmb.variant_id, tmb.biomarker_value, tmb.in_graph) == ("PMKG:variant/TMB-high", 12.0, True)
    assert normalize_text(store, "TMB 4 mut/Mb").variant_id == "PMKG:variant/TMB-low"


# ------------------------------------------------------------------ unknown and ambiguous, each with a reason


def test_unknown_gene_with_close_symbols(store: Store) -> None:
    result = normalize_text(store, "FOO1 V600E")
    assert result.status == UNRECOGNIZED
    assert result.message == "unknown gene FOO1"
    assert result.suggestions
    assert "BRAF" in normalize_text(store, "BRAFF V600E").suggestions


def test_not_an_amino_acid(store: Store) -> None:
    result = normalize_text(store, "BRAF V600Z")
    assert result.status == UNRECOGNIZED
    assert result.message.startswith("Z is not an amino acid")


def test_rs_id_of_several_variants_is_ambiguous(store: Store) -> None:
    result = normalize_text(store, "rs121913338")
    assert result.status == AMBIGUOUS
    assert set(result.suggestions) == {"BRAF D594A", "BRAF D594G", "BRAF D594V"}


@pytest.mark.parametrize(
    ("text", "status", "words"),
    [
        ("c.5946delT", UNRECOGNIZED, "needs its gene or transcript"),
        # Not in the graph, but a one-base deletion in coding sequence is a frameshift (issue 7).
        ("BRCA2 c.5946delT", NORMALIZED, "read as frameshift_variant: reached its classes by rule: BRCA2 loss"),
        ("BRAF", UNRECOGNIZED, "names a gene but no alteration"),
        ("FLT3 FOO", UNRECOGNIZED, "FLT3 has no variant or class called 'FOO'"),
        ("rs1", UNRECOGNIZED, "not in this graph"),
        ("", UNRECOGNIZED, "empty input"),
        ("%%%", UNRECOGNIZED, "cannot read"),
        ("CYP2C19 *2/*2", UNRECOGNIZED, "pharmacogenomic"),
        ("NC_000099.1:g.1A>T", UNRECOGNIZED, "not a GRCh37 or GRCh38 chromosome accession"),
    ],
)
def test_what_cannot_be_matched_says_why(store: Store, text: str, status: str, words: str) -> None:
    result = normalize_text(store, text)
    assert result.status == status
    assert words in result.message


def test_class_text_suggests_the_genes_classes(store: Store) -> None:
    assert "FLT3 ITD" in normalize_text(store, "FLT3 IDT").suggestions


def test_file_alteration_normalises_from_its_fields(store: Store) -> None:
    """Readers hand over Alterations with MAF consequences; a silent change reaches nothing."""
    from queries.normalize import normalize

    missense = Alteration(
        "BRAF p.V600E (MAF line 7)",
        gene="BRAF",
        protein_change="p.V600E",
        consequence="Missense_Mutation",
        origin="x.maf:7",
    )
    assert normalize(store, missense).variant_id == BRAF_V600E
    silent = normalize(store, Alteration("ABCG1 p.I227I", gene="ABCG1", protein_change="p.I227I", consequence="Silent"))
    assert silent.status == NORMALIZED
    assert set(reached(silent)) == {m.id for m in silent.matches if m.label == "Gene"}


# ------------------------------------------------------------------ diseases


@pytest.mark.parametrize("text", ["LUAD", "Lung Adenocarcinoma", "lung adenocarcinoma", "DOID:3910", "doid:3910"])
def test_disease_by_code_name_or_id(store: Store, text: str) -> None:
    found = resolve_disease(store, text)
    assert found is not None
    assert {"DOID:3910", "ONCOTREE:LUAD"} <= found.same
    assert {"DOID:3908", "ONCOTREE:NSCLC"} <= found.ancestors  # non-small cell lung carcinoma


def test_disease_proximity(store: Store) -> None:
    from queries.graph_view import view_for

    view = view_for(store)
    melanoma = resolve_disease(store, "melanoma")
    assert melanoma is not None
    assert melanoma.id == "DOID:1909"
    assert melanoma.proximity(view, "ONCOTREE:MEL") == "exact"
    assert melanoma.proximity(view, "DOID:8923") == "exact"  # skin melanoma: a subtype (through OncoTree SKCM)
    assert melanoma.proximity(view, "DOID:162") == "ancestor"  # cancer
    assert melanoma.proximity(view, "DOID:3910") == "other"
    assert resolve_disease(store, "not a disease at all") is None


def test_ncit_id_reaches_the_disease_ontology(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    ncit = NcitLoader({"thesaurus": DATA / "ncit" / "Thesaurus.owl"}, version="25.08d")
    run_build(store, [DiseaseOntologyLoader.starter(), ncit])
    for text in ("NCIT:C2926", "ncit:c2926", "C2926"):
        found = resolve_disease(store, text)
        assert found is not None, text
        assert found.id == "NCIT:C2926"
        assert "DOID:3908" in found.same  # non-small cell lung carcinoma in DO, through MAPS_TO


# ------------------------------------------------------------------ the parser, property-based

GENES = st.from_regex(r"[A-Z][A-Z0-9]{1,6}", fullmatch=True).filter(lambda g: not g.startswith(("RS", "TMB", "MSI")))
RESIDUES = st.sampled_from(sorted(a for a in THREE_TO_ONE.values() if a.isalpha() and a not in "UOX"))
ONE_TO_THREE = {v: k for k, v in THREE_TO_ONE.items()}


@given(GENES, RESIDUES, st.integers(1, 5000), RESIDUES)
@settings(max_examples=200, deadline=None)
def test_protein_spellings_agree(gene: str, ref: str, position: int, alt: str) -> None:
    one = f"{ref}{position}{alt}"
    three = f"p.{ONE_TO_THREE[ref]}{position}{ONE_TO_THREE[alt]}"
    for text in (one, f"p.{one}", three, one.lower(), f"({one})"):
        parsed = parse_variant(f"{gene} {text}")
        assert isinstance(parsed, Alteration), text
        # S1436S changes nothing: it is read as synonymous, S1436= (it used to be read as a substitution).
        assert (parsed.gene, parsed.protein_change) == (gene, one if ref != alt else f"{ref}{position}=")


@given(
    st.sampled_from([*map(str, range(1, 23)), "X", "Y"]),
    st.integers(1, 250_000_000),
    st.sampled_from("ACGT"),
    st.sampled_from("ACGT"),
)
@settings(max_examples=100, deadline=None)
def test_genomic_spellings_agree(chrom: str, position: int, ref: str, alt: str) -> None:
    forms = [
        f"{chrom}-{position}-{ref}-{alt}",
        f"chr{chrom}:g.{position}{ref}>{alt}",
        f"chr{chrom}:{position}:{ref}:{alt}",
    ]
    for text in forms:
        parsed = parse_variant(text)
        if ref == alt:
            assert isinstance(parsed, Unparsed)
        else:
            assert isinstance(parsed, Alteration), text
            assert (parsed.chromosome, parsed.position, parsed.ref, parsed.alt) == (chrom, position, ref, alt)


@given(st.text(alphabet=string.printable + "→é*:", max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_is_read_or_rejected_with_a_reason(text: str) -> None:
    parsed = parse_variant(text)
    assert isinstance(parsed, Alteration | Unparsed)
    if isinstance(parsed, Unparsed):
        assert parsed.reason


@given(GENES, GENES)
@settings(max_examples=100, deadline=None)
def test_fusion_spellings_agree(five: str, three: str) -> None:
    for sep in ("::", "--"):
        parsed = parse_variant(f"{five}{sep}{three}")
        assert isinstance(parsed, Alteration)
        assert (parsed.gene, parsed.fusion_partner) == (five, three)
