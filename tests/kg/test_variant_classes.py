"""Variant-class rules (and the kg.variants names they build on), on real CIViC classes and variants."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import SchemaError
from kg.records import Edge, Node, Provenance
from kg.schema import Label, RelType, validate_edge_fields, validate_node_fields
from kg.variant_classes import (
    EXON_TABLE,
    ClassRule,
    Region,
    VariantFacts,
    classify,
    hierarchy,
    membership_records,
    parse_class_name,
    subsumes,
)
from kg.variants import (
    copy_number_id,
    evaluate_profile,
    fusion_id,
    normalize_protein_change,
    parse_protein_change,
    profile_components,
    profile_id,
    variant_id,
)

PROV = (Provenance("test", "1", "CC0-1.0", "x"),)

# Classes exactly as CIViC 01-Aug-2021 names them (gene, variant name, variant types).
V600 = parse_class_name("BRAF", "V600", ("protein_altering_variant",))
EXON19 = parse_class_name("EGFR", "EXON 19 DELETION", ("inframe_deletion",))
KRAS_EXON2 = parse_class_name("KRAS", "EXON 2 MUTATION", ("missense_variant",))
KRAS_G12 = parse_class_name("KRAS", "G12", ("protein_altering_variant",))
KRAS_G12_G13 = parse_class_name("KRAS", "G12/G13", ("protein_altering_variant",))
ALK_FUSIONS = parse_class_name("ALK", "ALK FUSIONS", ("transcript_fusion",))
ERBB2_AMP = parse_class_name("ERBB2", "AMPLIFICATION", ("transcript_amplification",))
PIK3CA_MUTATION = parse_class_name("PIK3CA", "MUTATION", ("transcript_variant", "gain_of_function_variant"))
TP53_TRUNCATING = parse_class_name("TP53", "TRUNCATING MUTATION", ("frameshift_truncation",))
BRCA2_LOF = parse_class_name("BRCA2", "LOSS-OF-FUNCTION", ("loss_of_function_variant",))
CATALOG = [
    r
    for r in (V600, EXON19, KRAS_EXON2, KRAS_G12, KRAS_G12_G13, ALK_FUSIONS, ERBB2_AMP, PIK3CA_MUTATION,
              TP53_TRUNCATING, BRCA2_LOF)
    if r is not None
]  # fmt: skip


def class_ids(facts: VariantFacts, implied: bool = False) -> set[str]:
    return {rule.id for rule in classify(facts, CATALOG, implied=implied)}


# ------------------------------------------------------------------ names CIViC writes


@pytest.mark.parametrize(
    ("gene", "text", "class_type", "name"),
    [
        ("BRAF", "V600", "codon", "BRAF V600"),
        ("KRAS", "G12/G13", "codon", "KRAS G12/G13"),
        ("U2AF1", "S34Y/F", "allele_set", "U2AF1 S34F/Y"),
        ("EGFR", "EXON 19 DELETION", "exon", "EGFR exon 19 deletion"),
        ("EGFR", "Ex19 del", "exon", "EGFR exon 19 deletion"),
        ("EGFR", "EXON 20 INSERTION", "exon", "EGFR exon 20 insertion"),
        ("KRAS", "EXON 2 MUTATION", "exon", "KRAS exon 2 mutation"),
        ("MET", "EXON 14 SKIPPING MUTATION", "exon", "MET exon 14 skipping"),
        ("ALK", "ALK FUSIONS", "fusion", "ALK fusion"),
        ("ROS1", "FUSION", "fusion", "ROS1 fusion"),
        ("ERBB2", "AMPLIFICATION", "copy_number", "ERBB2 amplification"),
        ("PTEN", "LOSS", "copy_number", "PTEN loss"),
        ("PIK3CA", "MUTATION", "gene_class", "PIK3CA mutation"),
        ("FGFR2", "FGFR2 mutations", "gene_class", "FGFR2 mutation"),
        ("BRCA2", "LOSS-OF-FUNCTION", "gene_class", "BRCA2 loss of function"),
        ("ATRX", "Loss-of-function", "gene_class", "ATRX loss of function"),
        ("TP53", "TRUNCATING MUTATION", "gene_class", "TP53 truncating mutation"),
        ("CTNNB1", "ACTIVATING MUTATION", "gene_class", "CTNNB1 activating mutation"),
        ("ERBB2", "OVEREXPRESSION", "expression", "ERBB2 overexpression"),
        ("MGMT", "PROMOTER METHYLATION", "epigenetic", "MGMT promoter methylation"),
        ("TP53", "WILD TYPE", "wild_type", "TP53 wild type"),
        ("ERBB2", "KINASE DOMAIN MUTATION", "domain", "ERBB2 kinase domain mutation"),
        ("TP53", "DNA BINDING DOMAIN MUTATION", "domain", "TP53 dna binding domain mutation"),
    ],
)
def test_civic_class_names(gene: str, text: str, class_type: str, name: str) -> None:
    rule = parse_class_name(gene, text)
    assert rule is not None
    assert (rule.class_type, rule.name) == (class_type, name)


@pytest.mark.parametrize("text", ["V600E", "E746_A750del", "EML4-ALK", "T17 DELETION", "F547 SPLICE SITE MUTATION"])
def test_alleles_and_oddities_are_not_classes(text: str) -> None:
    assert parse_class_name("BRAF", text) is None


def test_exon_19_range_comes_from_the_cited_table() -> None:
    assert EXON19 is not None
    assert (EXON19.protein_start, EXON19.protein_end) == (729, 761)
    assert "c.2185_2283del" in EXON19.range_source
    assert all(source for _, _, source in EXON_TABLE.values())


def test_multi_exon_and_exon_loss_deletions_are_not_in_exon_deletions() -> None:
    rule = parse_class_name("VHL", "EXON 1-2 DELETION", ("exon_loss_variant",))
    assert rule is not None
    assert rule.edit == "exon_loss"
    assert not rule.matches(VariantFacts("VHL", protein_change="F76del"), parse_protein_change("F76del"))


# ------------------------------------------------------------------ membership rules


@pytest.mark.parametrize("change", ["V600E", "V600K", "p.Val600Glu", "V600_K601delinsE"])
def test_braf_v600_alleles_are_in_the_codon_class(change: str) -> None:
    assert "PMKG:class/BRAF:V600" in class_ids(VariantFacts("BRAF", protein_change=change))


@pytest.mark.parametrize("change", ["V600fs", "V600=", "K601E", "V600"])
def test_braf_v600_class_excludes_other_codons_truncations_and_silent_changes(change: str) -> None:
    assert "PMKG:class/BRAF:V600" not in class_ids(VariantFacts("BRAF", protein_change=change))


@pytest.mark.parametrize("change", ["E746_A750del", "L747_P753delinsS", "p.Glu746_Ala750del", "L747_T751del"])
def test_egfr_exon_19_deletions(change: str) -> None:
    assert "PMKG:class/EGFR:exon-19-deletion" in class_ids(VariantFacts("EGFR", protein_change=change))


@pytest.mark.parametrize("change", ["L858R", "T790M", "D770_N771insSVD", "E746K", "L747delinsPRK"])
def test_egfr_non_deletions_or_outside_exon_19_are_not_exon_19_deletions(change: str) -> None:
    assert "PMKG:class/EGFR:exon-19-deletion" not in class_ids(VariantFacts("EGFR", protein_change=change))


@pytest.mark.parametrize("change", ["G12C", "G13D", "G12V", "Q22K"])
def test_kras_exon_2(change: str) -> None:
    assert "PMKG:class/KRAS:exon-2-mutation" in class_ids(VariantFacts("KRAS", protein_change=change))


def test_kras_codon_classes() -> None:
    assert class_ids(VariantFacts("KRAS", protein_change="G12C")) >= {"PMKG:class/KRAS:G12", "PMKG:class/KRAS:G12/G13"}
    g13d = class_ids(VariantFacts("KRAS", protein_change="G13D"))
    assert "PMKG:class/KRAS:G12/G13" in g13d
    assert "PMKG:class/KRAS:G12" not in g13d
    assert "PMKG:class/KRAS:exon-2-mutation" not in class_ids(VariantFacts("KRAS", protein_change="Q61H"))


def test_eml4_alk_is_an_alk_fusion_and_alk_point_mutations_are_not() -> None:
    assert "PMKG:class/ALK:fusion" in class_ids(VariantFacts("ALK", fusion=("EML4", "ALK")))
    assert "PMKG:class/ALK:fusion" in class_ids(VariantFacts("ALK", fusion=("ALK", "PTPN3")))  # either partner
    assert "PMKG:class/ALK:fusion" not in class_ids(VariantFacts("ALK", protein_change="F1174L"))


def test_erbb2_amplification() -> None:
    assert class_ids(VariantFacts("ERBB2", copy_number="amplification")) == {"PMKG:class/ERBB2:amplification"}
    assert class_ids(VariantFacts("ERBB2", copy_number="gain")) == set()  # a gain is not an amplification
    assert class_ids(VariantFacts("ERBB2", protein_change="S310F")) == set()


def test_consequence_rules() -> None:
    assert "PMKG:class/TP53:truncating-mutation" in class_ids(VariantFacts("TP53", protein_change="R213*"))
    assert "PMKG:class/TP53:truncating-mutation" in class_ids(VariantFacts("TP53", protein_change="P72fs"))
    assert "PMKG:class/TP53:truncating-mutation" not in class_ids(VariantFacts("TP53", protein_change="R175H"))
    assert "PMKG:class/BRCA2:loss-of-function" in class_ids(VariantFacts("BRCA2", protein_change="K3326*"))
    splice = VariantFacts("BRCA2", consequences=("splice_donor_variant",))
    assert "PMKG:class/BRCA2:loss-of-function" in class_ids(splice)
    assert "PMKG:class/BRCA2:loss-of-function" in class_ids(VariantFacts("BRCA2", copy_number="deletion"))
    assert "PMKG:class/BRCA2:loss-of-function" not in class_ids(VariantFacts("BRCA2", protein_change="D3095E"))


def test_hotspot_missense_is_a_gene_mutation_but_silent_changes_fusions_and_copy_number_are_not() -> None:
    assert "PMKG:class/PIK3CA:mutation" in class_ids(VariantFacts("PIK3CA", protein_change="H1047R"))
    # A missense change of unknown position is not known to be functional (it used to join every
    # "mutation" class and take its tier; issue 7): a variant of unknown significance, not a member.
    assert "PMKG:class/PIK3CA:mutation" not in class_ids(VariantFacts("PIK3CA", consequences=("missense_variant",)))
    assert "PMKG:class/PIK3CA:mutation" not in class_ids(VariantFacts("PIK3CA", protein_change="H1047="))
    assert "PMKG:class/PIK3CA:mutation" not in class_ids(VariantFacts("PIK3CA", copy_number="amplification"))


def test_genomic_position_inside_the_region_civic_gives() -> None:
    npm1 = parse_class_name("NPM1", "EXON 12 MUTATION")
    assert npm1 is not None
    assert not npm1.protein_start  # no cited range: only CIViC's coordinates decide
    npm1 = ClassRule(**{**_fields(npm1), "region": Region("GRCh37", "5", 170837531, 170837569)})
    inside = VariantFacts(
        "NPM1", consequences=("frameshift_elongation",), position=Region("GRCh37", "5", 170837543, 170837544)
    )
    outside = VariantFacts(
        "NPM1", consequences=("missense_variant",), position=Region("GRCh37", "5", 170818000, 170818000)
    )
    other_build = VariantFacts(
        "NPM1", consequences=("frameshift_variant",), position=Region("GRCh38", "5", 170837543, 170837544)
    )
    assert npm1.matches(inside)
    assert not npm1.matches(outside)
    assert not npm1.matches(other_build)


def _fields(rule: ClassRule) -> dict[str, object]:
    return {name: getattr(rule, name) for name in ClassRule.__dataclass_fields__}


def test_implied_classes_let_two_sources_meet_without_a_catalog() -> None:
    names = [rule.name for rule in classify(VariantFacts("EGFR", protein_change="L747_P753delinsS"))]
    assert names == ["EGFR exon 19 mutation", "EGFR exon 19 deletion", "EGFR mutation"]
    assert V600 is not None
    assert next(r.id for r in classify(VariantFacts("BRAF", protein_change="V600E"))) == V600.id
    fusion = {r.id for r in classify(VariantFacts("ALK", fusion=("EML4", "ALK")))}
    assert fusion == {"PMKG:class/EML4:fusion", "PMKG:class/ALK:fusion"}


def test_hierarchy_codon_to_exon_to_gene() -> None:
    mutation = ClassRule("KRAS", "gene_class", "mutation", effect="any")
    pairs = {(n.name, b.name) for n, b in hierarchy([*CATALOG, mutation])}
    assert ("KRAS G12", "KRAS G12/G13") in pairs
    assert ("KRAS G12/G13", "KRAS exon 2 mutation") in pairs
    assert ("KRAS exon 2 mutation", "KRAS mutation") in pairs
    assert ("KRAS G12/G13", "KRAS G12") not in pairs


def test_hierarchy_of_consequence_and_copy_number_classes() -> None:
    frameshift = ClassRule("TP53", "gene_class", "frameshift mutation", effect="frameshift")
    truncating = ClassRule("TP53", "gene_class", "truncating mutation", effect="truncating")
    lof = ClassRule("TP53", "gene_class", "loss of function", effect="loss_of_function")
    assert subsumes(truncating, frameshift)
    assert subsumes(lof, truncating)
    assert not subsumes(frameshift, lof)
    gain = ClassRule("ERBB2", "copy_number", "gain", direction="gain")
    assert ERBB2_AMP is not None
    assert subsumes(gain, ERBB2_AMP)
    assert not subsumes(ERBB2_AMP, gain)
    assert subsumes(ClassRule("ALK", "fusion", "fusion"), ClassRule("ALK", "fusion", "EML4 fusion", partner="EML4"))


def test_membership_records_are_valid_graph_records() -> None:
    records = membership_records(variant_id("KRAS", "G12C"), VariantFacts("KRAS", protein_change="G12C"), PROV, CATALOG)
    labels = {variant_id("KRAS", "G12C"): Label.VARIANT}
    for record in records:
        if isinstance(record, Node):
            validate_node_fields(record.id, record.label, record.name, record.props)
            labels[record.id] = record.label
    edges = [r for r in records if isinstance(r, Edge)]
    for edge in edges:
        validate_edge_fields(edge.start, edge.type, edge.end, labels[edge.start], labels[edge.end], edge.props)
    members = {e.end for e in edges if e.start == variant_id("KRAS", "G12C")}
    assert members >= {"PMKG:class/KRAS:G12", "PMKG:class/KRAS:exon-2-mutation", "PMKG:class/KRAS:mutation"}
    assert all(e.type == RelType.MEMBER_OF for e in edges)


def test_a_stored_class_rebuilds_its_rule() -> None:
    for rule in CATALOG:
        assert ClassRule.from_props(rule.props()) == rule
    with pytest.raises(SchemaError, match="class rule"):
        ClassRule.from_props({"gene": "BRAF"})


# ------------------------------------------------------------------ kg.variants names


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("p.Val600Glu", "V600E", "substitution"),
        ("R248X", "R248*", "nonsense"),
        ("E746_A750DEL", "E746_A750del", "deletion"),
        ("D842_H845DELDIMH", "D842_H845del", "deletion"),
        ("M774DELINSWLV", "M774delinsWLV", "delins"),
        ("V600_K601>E", "V600_K601delinsE", "delins"),
        ("Y772_A775DUP", "Y772_A775dup", "duplication"),
        ("P780INS", "P780ins", "insertion"),
        ("E55RfsTer11", "E55fs", "frameshift"),
        ("K159FS*16", "K159fs", "frameshift"),
        ("R135FSX177", "R135fs", "frameshift"),
        ("*214L", "*214L", "stop_lost"),
        ("P154=", "P154=", "synonymous"),
        ("M1?", "M1?", "unknown"),
    ],
)
def test_protein_changes_in_civic_spellings(text: str, canonical: str, kind: str) -> None:
    change = parse_protein_change(text)
    assert (change.text, change.kind) == (canonical, kind)
    assert normalize_protein_change(canonical) == canonical


@pytest.mark.parametrize("text", ["V600E and V600M", "S34Y/F", "K558NP", "DEL 485-490", "V600Z", "T17 DELETION"])
def test_not_one_protein_change(text: str) -> None:
    with pytest.raises(SchemaError, match=r"protein change|amino acid"):
        parse_protein_change(text)


def test_ids() -> None:
    assert fusion_id("EML4", "ALK", five_prime_exon=6, three_prime_exon=20) == "PMKG:variant/EML4::ALK:e6-e20"
    assert copy_number_id("ERBB2", "AMP") == "PMKG:variant/ERBB2:amplification"
    assert profile_id("PMKG:variant/A:V1E AND PMKG:variant/B:V2E") == profile_id(
        "PMKG:variant/B:V2E AND PMKG:variant/A:V1E"
    )
    assert profile_id("PMKG:variant/A:V1E OR PMKG:variant/B:V2E") != profile_id(
        "PMKG:variant/B:V2E OR PMKG:variant/A:V1E"
    )


_NAMES = st.sampled_from(["A", "B", "C", "D"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_NAMES)
    kind = draw(st.sampled_from(["AND", "OR", "NOT", "()"]))
    if kind == "NOT":
        return f"NOT {draw(expressions(depth - 1))}"
    if kind == "()":
        return f"( {draw(expressions(depth - 1))} )"
    return f"{draw(expressions(depth - 1))} {kind} {draw(expressions(depth - 1))}"


@given(expressions(), st.sets(_NAMES))
def test_profile_evaluation_agrees_with_python(expression: str, present: set[str]) -> None:
    python = " ".join(
        {"AND": "and", "OR": "or", "NOT": "not", "(": "(", ")": ")"}.get(t, str(t in present))
        for t in expression.split()
    )
    assert evaluate_profile(expression, present) == eval(python)  # the tokens are our own
    assert set(profile_components(expression)) <= {"A", "B", "C", "D"}


@pytest.mark.parametrize("bad", ["A AND", "( A OR B", "A B", "AND A", "A )"])
def test_malformed_profiles_are_refused(bad: str) -> None:
    with pytest.raises(SchemaError, match="profile"):
        evaluate_profile(bad, set())


_RESIDUES = st.sampled_from(sorted("ACDEFGHIKLMNPQRSTVWY"))


@given(_RESIDUES, st.integers(1, 3000), _RESIDUES, st.sampled_from(["", "p.", "p.("]))
def test_substitutions_normalise_idempotently(ref: str, pos: int, alt: str, prefix: str) -> None:
    text = f"{prefix}{ref}{pos}{alt}{')' if prefix == 'p.(' else ''}"
    canonical = normalize_protein_change(text)
    # S1436S changes nothing: it is written the synonymous way (it used to be read as a substitution).
    assert canonical == (f"{ref}{pos}{alt}" if ref != alt else f"{ref}{pos}=")
    assert normalize_protein_change(canonical) == canonical


@given(_RESIDUES, st.integers(1, 3000), st.integers(0, 30), st.sampled_from(["del", "DEL", "dup", "DUP"]))
def test_range_edits_normalise_idempotently(ref: str, start: int, span: int, edit: str) -> None:
    text = f"{ref}{start}_{ref}{start + span}{edit}" if span else f"{ref}{start}{edit}"
    canonical = normalize_protein_change(text)
    assert canonical.endswith(edit.lower())
    assert normalize_protein_change(canonical) == canonical
    assert parse_protein_change(canonical).length_change == (span + 1) * (-1 if edit.lower() == "del" else 1)


def test_every_pair_of_catalog_rules_is_consistent() -> None:
    for a, b in itertools.permutations(CATALOG, 2):
        assert not (subsumes(a, b) and subsumes(b, a))
