"""CIViC loader on fixtures from the real 01-Aug-2021 release (2021 layout) and derived current-layout files.

See ``tests/data/civic/current/DERIVATION.md`` for how each current-layout row was derived.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.variant_classes import ClassRule, VariantFacts
from kg.variants import evaluate_profile, parse_protein_change
from loaders.civic import CivicLoader
from loaders.civic_layouts import CivicVariant, GeneNames, fallback, read_civic_table, split_drugs
from loaders.genes import GeneResolver

DATA = Path(__file__).parents[1] / "data" / "civic"
OLD, NEW = DATA / "2021", DATA / "current"
OLD_FILES = {
    "evidence": OLD / "ClinicalEvidenceSummaries.tsv",
    "variants": OLD / "VariantSummaries.tsv",
    "assertions": OLD / "AssertionSummaries.tsv",
    "drugs": OLD / "DrugSummaries.tsv",
}
NEW_FILES = {
    "evidence": NEW / "ClinicalEvidenceSummaries.tsv",
    "variants": NEW / "VariantSummaries.tsv",
    "molecular_profiles": NEW / "MolecularProfileSummaries.tsv",
    "assertions": NEW / "AssertionSummaries.tsv",
}


class Graph:
    """The records of one parse, indexed the way the tests ask."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.nodes = {r.id: r for r in records if isinstance(r, Node)}
        self.edges = [r for r in records if isinstance(r, Edge)]

    def out(self, start: str, rel: RelType) -> set[str]:
        return {e.end for e in self.edges if e.start == start and e.type == rel}


def civic(files: dict[str, Path], **kwargs: bool) -> CivicLoader:
    return CivicLoader(files, version="test", genes=GeneResolver.bundled(), **kwargs)


@pytest.fixture(scope="module")
def old() -> Graph:
    return Graph(list(civic(OLD_FILES).parse()))


@pytest.fixture(scope="module")
def new() -> Graph:
    return Graph(list(civic(NEW_FILES).parse()))


# ------------------------------------------------------------------ evidence


def test_eid_3017_dabrafenib_trametinib_in_nsclc(old: Graph) -> None:
    evidence = old.nodes["CIVIC.EID:3017"]
    assert evidence.label == Label.EVIDENCE
    props = evidence.props
    assert (props["evidence_type"], props["significance"], props["direction"]) == (
        "predictive",
        "sensitivity",
        "supports",
    )
    assert (props["level"], props["tier"], props["rating"]) == ("A", 1, 4)
    assert props["citation_id"] == "PMID:27283860"
    assert props["source_significance"] == "Sensitivity/Response"
    assert old.out("CIVIC.EID:3017", RelType.ABOUT) == {"PMKG:variant/BRAF:V600E"}
    assert old.out("CIVIC.EID:3017", RelType.IN_DISEASE) == {"DOID:3908"}
    assert old.nodes["DOID:3908"].name == "Lung Non-small Cell Carcinoma"
    assert old.out("CIVIC.EID:3017", RelType.WITH_THERAPY) == {"PMKG:therapy/dabrafenib+trametinib"}
    therapy = old.nodes["PMKG:therapy/dabrafenib+trametinib"]
    assert (therapy.name, therapy.props["interaction"]) == ("Dabrafenib + Trametinib", "combination")
    # CIViC gives NCIt codes for these two drugs (in its JSON); others get a pmkg id from the name.
    assert old.out(therapy.id, RelType.HAS_COMPONENT) == {"NCIT:C82386", "NCIT:C77908"}
    assert old.nodes["NCIT:C82386"].synonyms == ("CIVIC.TID:22",)
    assert "PMKG:drug/imatinib" in old.nodes


def test_substitutes_are_separate_therapies(old: Graph) -> None:
    assert old.nodes["CIVIC.EID:34"].props["therapy_interaction"] == "substitutes"
    assert old.out("CIVIC.EID:34", RelType.WITH_THERAPY) == {
        "PMKG:therapy/sorafenib", "PMKG:therapy/nilotinib", "PMKG:therapy/imatinib",
    }  # fmt: skip


def test_sequential_therapy_keeps_its_order(old: Graph) -> None:
    (therapy,) = old.out("CIVIC.EID:296", RelType.WITH_THERAPY)
    assert therapy == "PMKG:therapy/sequential:pazopanib>ponatinib"
    assert old.nodes[therapy].name == "Pazopanib then Ponatinib"


def test_drug_lists_without_interaction_type_are_alternatives(old: Graph) -> None:
    # EID 7655 tests imatinib and dasatinib side by side but gives no interaction type.
    assert old.out("CIVIC.EID:7655", RelType.WITH_THERAPY) == {"PMKG:therapy/imatinib", "PMKG:therapy/dasatinib"}
    # EID 1192: one drug whose name holds a comma.
    assert old.out("CIVIC.EID:1192", RelType.WITH_THERAPY) == {"PMKG:therapy/2,4-pyrimidinediamine"}


def test_evidence_without_doid_keeps_the_disease_name(old: Graph) -> None:
    props = old.nodes["CIVIC.EID:1844"].props
    assert props["disease_name"] == "Pericytoma"
    assert "doid" not in props
    assert old.out("CIVIC.EID:1844", RelType.IN_DISEASE) == set()


def test_asco_citation_and_trial_ids(old: Graph, new: Graph) -> None:
    props = old.nodes["CIVIC.EID:7066"].props
    assert props["source_type"] == "asco"
    assert str(props["citation_id"]).startswith("ASCO:")
    assert props["asco_abstract_id"]
    assert props["citation_id"] != f"ASCO:{props['asco_abstract_id']}"
    assert new.nodes["CIVIC.EID:3017"].props["nct_ids"] == ["NCT01336634"]


def test_assertion_with_amp_tier_nccn_and_fda_flags(old: Graph) -> None:
    props = old.nodes["CIVIC.AID:7"].props
    assert props["record_type"] == "assertion"
    assert (props["amp_tier"], props["amp_level"], props["tier"]) == ("I", "A", 1)
    assert (props["nccn_guideline"], props["regulatory_approval"], props["fda_companion_test"]) == (
        "Melanoma",
        True,
        True,
    )
    assert "CIVIC.EID:3758" in props["evidence_ids"]  # type: ignore[operator]
    # No interaction column in AssertionSummaries: the evidence it rests on (EID 3758) says "Combination".
    assert old.out("CIVIC.AID:7", RelType.WITH_THERAPY) == {"PMKG:therapy/dabrafenib+trametinib"}
    germline = old.nodes["CIVIC.AID:4"].props
    assert germline["evidence_type"] == "predisposing"
    assert "PS4" in germline["acmg_codes"]  # type: ignore[operator]


def test_assertion_variant_id_mismatch_uses_the_named_variant(old: Graph) -> None:
    # 01-Aug-2021 AssertionSummaries: AID 2 names ERBB2 AMPLIFICATION but gives CCND1 AMPLIFICATION's id (18).
    assert old.out("CIVIC.AID:2", RelType.ABOUT) == {"PMKG:class/ERBB2:amplification"}


# ------------------------------------------------------------------ variants and classes


def test_braf_v600e_variant_node(old: Graph) -> None:
    node = old.nodes["PMKG:variant/BRAF:V600E"]
    assert node.name == "BRAF V600E"
    assert {"CIVIC.VID:12", "rs113488022", "DBSNP:rs113488022", "CLINVAR:13961", "NM_004333.4:c.1799T>A"} <= set(
        node.synonyms
    )
    props = node.props
    assert (props["grch37_chromosome"], props["grch37_start"], props["grch37_ref"], props["grch37_alt"]) == (
        "7", 140453136, "A", "T",
    )  # fmt: skip
    assert props["representative_transcript"] == "ENST00000288602.6"
    assert props["variant_types"] == ["missense_variant"]
    assert props["so_ids"] == ["SO:0001583"]
    assert old.out(node.id, RelType.HAS_CONSEQUENCE) == {"SO:0001583"}
    assert old.out(node.id, RelType.IN_GENE) == {"HGNC:1097"}


def test_classes_civic_writes_evidence_against(old: Graph) -> None:
    v600 = old.nodes["PMKG:class/BRAF:V600"]
    assert (v600.label, v600.props["class_type"], v600.props["positions"]) == (Label.VARIANT_CLASS, "codon", [600])
    assert "CIVIC.VID:17" in v600.synonyms
    assert "CLINVAR:13961" not in v600.synonyms  # CIViC lists V600E's ClinVar ids on V600: they find the allele
    exon19 = old.nodes["PMKG:class/EGFR:exon-19-deletion"].props
    assert (exon19["class_type"], exon19["protein_start"], exon19["protein_end"]) == ("exon", 729, 761)
    assert (exon19["region_chromosome"], exon19["region_start"], exon19["region_stop"]) == ("7", 55242415, 55242513)
    assert old.nodes["PMKG:class/ALK:fusion"].props["class_type"] == "fusion"
    assert old.nodes["PMKG:class/ERBB2:amplification"].props["direction"] == "amplification"


@pytest.mark.parametrize(
    ("variant", "classes"),
    [
        ("PMKG:variant/BRAF:V600E", {"PMKG:class/BRAF:V600", "PMKG:class/BRAF:mutation"}),
        ("PMKG:variant/BRAF:V600K", {"PMKG:class/BRAF:V600", "PMKG:class/BRAF:mutation"}),
        ("PMKG:variant/EGFR:E746_A750del", {"PMKG:class/EGFR:exon-19-deletion"}),
        ("PMKG:variant/EGFR:L747_P753delinsS", {"PMKG:class/EGFR:exon-19-deletion"}),
        (
            "PMKG:variant/KRAS:G12C",
            {"PMKG:class/KRAS:G12", "PMKG:class/KRAS:G12/G13", "PMKG:class/KRAS:exon-2-mutation"},
        ),
        ("PMKG:variant/KRAS:G13D", {"PMKG:class/KRAS:G12/G13", "PMKG:class/KRAS:exon-2-mutation"}),
        ("PMKG:variant/EML4::ALK", {"PMKG:class/ALK:fusion"}),
        ("PMKG:variant/EML4::ALK:e6-e20", {"PMKG:class/ALK:fusion"}),
        ("PMKG:variant/ERBB2:amplification", {"PMKG:class/ERBB2:amplification"}),
    ],
)
def test_member_of(old: Graph, variant: str, classes: set[str]) -> None:
    assert classes <= old.out(variant, RelType.MEMBER_OF)


def test_l858r_is_not_an_exon_19_deletion(old: Graph) -> None:
    assert "PMKG:class/EGFR:exon-19-deletion" not in old.out("PMKG:variant/EGFR:L858R", RelType.MEMBER_OF)


def test_class_hierarchy(old: Graph) -> None:
    assert "PMKG:class/KRAS:G12/G13" in old.out("PMKG:class/KRAS:G12", RelType.MEMBER_OF)
    assert "PMKG:class/KRAS:exon-2-mutation" in old.out("PMKG:class/KRAS:G12/G13", RelType.MEMBER_OF)
    assert "PMKG:class/BRAF:mutation" in old.out("PMKG:class/BRAF:V600", RelType.MEMBER_OF)


def test_fusion_names(old: Graph) -> None:
    assert old.nodes["PMKG:variant/BCR::ABL1"].props["five_prime_gene"] == "BCR"
    assert old.out("PMKG:variant/BCR::ABL1", RelType.IN_GENE) == {"HGNC:1014", "HGNC:76"}
    t315i = old.nodes["PMKG:variant/ABL1:T315I"]  # "BCR-ABL T315I": the mutation, in its fusion context
    assert t315i.props["fusion_context"] == "BCR::ABL1"
    assert "ABL1 BCR-ABL T315I" in t315i.synonyms
    assert old.nodes["PMKG:variant/EML4::ALK:e6-e20"].props["five_prime_exon"] == 6


def test_civic_variants_that_are_one_alteration_are_one_node(old: Graph) -> None:
    # CIViC curates EWSR1-FLI1 under both genes, and two spellings of one VHL frameshift.
    fusion = old.nodes["PMKG:variant/EWSR1::FLI1"]
    assert set(fusion.props["civic_variant_ids"]) == {197, 706}  # type: ignore[arg-type]
    assert old.out(fusion.id, RelType.IN_GENE) == {"HGNC:3508", "HGNC:3749"}
    frameshift = old.nodes["PMKG:variant/VHL:E55fs"]
    assert set(frameshift.props["civic_variant_ids"]) == {764, 766}  # type: ignore[arg-type]
    assert set(frameshift.props["coding_changes"]) == {"c.163_164delGA", "c.163delG"}  # type: ignore[arg-type]
    assert {"VHL E55RfsTer11 (c.163delG)", "CIVIC.VID:764"} <= set(frameshift.synonyms)
    assert "PMKG:class/VHL:loss-of-function" not in old.nodes or "PMKG:class/VHL:loss-of-function" in old.out(
        frameshift.id, RelType.MEMBER_OF
    )


def test_compound_variant_is_a_molecular_profile(old: Graph) -> None:
    (target,) = old.out("CIVIC.EID:92", RelType.ABOUT)  # "BRAF V600E and AMPLIFICATION"
    profile = old.nodes[target]
    assert profile.label == Label.MOLECULAR_PROFILE
    assert "CIVIC.VID:14" in profile.synonyms
    expression = str(profile.props["expression"])
    assert old.out(target, RelType.HAS_COMPONENT) == {"PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:amplification"}
    assert evaluate_profile(expression, {"PMKG:variant/BRAF:V600E", "PMKG:class/BRAF:amplification"})
    assert not evaluate_profile(expression, {"PMKG:variant/BRAF:V600E"})


# ------------------------------------------------------------------ current layout


def test_current_layout_profiles(new: Graph) -> None:
    v600e = new.nodes["PMKG:variant/BRAF:V600E"]
    assert {"CIVIC.MPID:12", "CIVIC.VID:12"} <= set(v600e.synonyms)  # one-variant profile: evidence points here
    assert v600e.props["civic_profile_ids"] == [12]
    profile = new.nodes["CIVIC.MPID:14"]
    assert profile.name == "BRAF V600E AND BRAF Amplification"
    assert profile.props["expression"] == "PMKG:variant/BRAF:V600E AND PMKG:class/BRAF:amplification"
    assert new.out("CIVIC.EID:92", RelType.ABOUT) == {"CIVIC.MPID:14"}


def test_current_layout_fusion_features(new: Graph) -> None:
    assert new.out("CIVIC.EID:945", RelType.ABOUT) == {"PMKG:class/ALK:fusion"}  # v::ALK Fusion
    assert "PMKG:class/ALK:fusion" in new.out("PMKG:variant/EML4::ALK:e6-e20", RelType.MEMBER_OF)
    assert new.out("CIVIC.EID:213", RelType.ABOUT) == {"PMKG:variant/BCR::ABL1"}


def test_both_layouts_give_the_same_graph_shape(old: Graph, new: Graph) -> None:
    shared = [i for i, n in new.nodes.items() if n.label == Label.EVIDENCE and i in old.nodes]
    assert len(shared) > 30
    for evidence in shared:
        for rel in (RelType.IN_DISEASE, RelType.WITH_THERAPY):
            assert new.out(evidence, rel) == old.out(evidence, rel), (evidence, rel)
        (old_target,), (new_target,) = old.out(evidence, RelType.ABOUT), new.out(evidence, RelType.ABOUT)
        assert old.nodes[old_target].label == new.nodes[new_target].label, evidence
        if old.nodes[old_target].label == Label.MOLECULAR_PROFILE:
            assert old.out(old_target, RelType.HAS_COMPONENT) == new.out(new_target, RelType.HAS_COMPONENT)
        else:
            assert old_target == new_target, evidence
        for key in ("evidence_type", "significance", "level", "tier", "direction", "rating", "doid"):
            assert old.nodes[evidence].props.get(key) == new.nodes[evidence].props.get(key), (evidence, key)


def test_current_layout_needs_the_profile_file() -> None:
    files = {k: v for k, v in NEW_FILES.items() if k != "molecular_profiles"}
    with pytest.raises(SourceFileError, match="MolecularProfileSummaries"):
        list(civic(files).parse())


def test_profile_name_that_does_not_match_its_variants(tmp_path: Path) -> None:
    profiles = tmp_path / "MolecularProfileSummaries.tsv"
    text = (NEW / "MolecularProfileSummaries.tsv").read_text(encoding="utf-8")
    profiles.write_text(text.replace("BRAF V600E AND BRAF Amplification", "BRAF V600E XOR BRAF Amplification"))
    with pytest.raises(SourceFileError, match="cannot read the profile name") as error:
        list(civic({**NEW_FILES, "molecular_profiles": profiles}).parse())
    assert error.value.line is not None
    assert "XOR" in profiles.read_text().splitlines()[error.value.line - 1]


# ------------------------------------------------------------------ provenance, build, starter


@pytest.mark.parametrize(("files", "column"), [(OLD_FILES, "evidence_id"), (NEW_FILES, "evidence_id")])
def test_provenance_leads_back_to_the_source_line(files: dict[str, Path], column: str) -> None:
    graph = Graph(list(civic(files).parse()))
    lines = files["evidence"].read_text(encoding="utf-8").split("\n")
    index = lines[0].split("\t").index(column)
    evidence = [n for n in graph.nodes.values() if n.label == Label.EVIDENCE and n.id.startswith("CIVIC.EID:")]
    assert evidence
    for node in evidence:
        (prov,) = node.provenance
        assert prov.record_id == node.id
        assert prov.line is not None
        assert lines[prov.line - 1].split("\t")[index] == node.id.split(":")[1]
    variant_lines = files["variants"].read_text(encoding="utf-8").split("\n")
    node = graph.nodes["PMKG:variant/BRAF:V600E"]
    first = node.provenance[0]
    assert first.record_id == "CIVIC.VID:12"
    assert variant_lines[first.line - 1].startswith("12\t")  # type: ignore[operator]


def test_build_alone_answers_queries(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [civic(OLD_FILES)])
    assert manifest.counts["Evidence"] > 60
    assert manifest.sources[0].name == "civic"
    assert [n.id for n in store.find("rs113488022")] == ["PMKG:variant/BRAF:V600E"]
    assert [n.id for n in store.find("EGFR EXON 19 DELETION")] == ["PMKG:class/EGFR:exon-19-deletion"]
    assert [n.id for n in store.find("CIVIC.MPID:12")] == []  # 2021 layout has no profile ids
    ancestors = store.ancestors(["PMKG:variant/EGFR:E746_A750del"])
    assert ancestors == {"PMKG:class/EGFR:exon-19-deletion"}  # the fixture has no EGFR MUTATION class
    assert {"PMKG:class/KRAS:G12/G13", "PMKG:class/KRAS:exon-2-mutation"} <= store.ancestors(["PMKG:class/KRAS:G12"])
    found = store.evidence_for(["PMKG:variant/EGFR:E746_A750del", *ancestors])
    assert {"CIVIC.EID:273", "CIVIC.EID:413"} <= {n.id for n in found["PMKG:class/EGFR:exon-19-deletion"]}
    assert {n.id for n in found["PMKG:variant/EGFR:E746_A750del"]} == {"CIVIC.EID:2513", "CIVIC.EID:4198"}
    # A reader of the graph tests a variant no source named against the stored class's own rule.
    stored = store.get_node("PMKG:class/EGFR:exon-19-deletion")
    assert stored is not None
    rule = ClassRule.from_props(stored.props)
    assert rule.matches(VariantFacts("EGFR", "E746_T751del"), parse_protein_change("E746_T751del"))
    store.close()


# ------------------------------------------------------------------ bad input


def _copy(tmp_path: Path, name: str, edit: str | None = None, line: int | None = None) -> dict[str, Path]:
    files = dict(OLD_FILES)
    key = {"ClinicalEvidenceSummaries.tsv": "evidence", "VariantSummaries.tsv": "variants"}[name]
    lines = (OLD / name).read_text(encoding="utf-8").split("\n")
    if line is not None and edit is not None:
        lines[line - 1] = edit
    target = tmp_path / name
    target.write_text("\n".join(lines), encoding="utf-8")
    files[key] = target
    return files


def test_wrong_header_names_file_and_line(tmp_path: Path) -> None:
    header = (OLD / "ClinicalEvidenceSummaries.tsv").read_text().split("\n")[0].replace("evidence_level", "level")
    files = _copy(tmp_path, "ClinicalEvidenceSummaries.tsv", header, 1)
    with pytest.raises(
        SourceFileError, match=r"ClinicalEvidenceSummaries.tsv:1: header lacks column\(s\) \['evidence_level'\]"
    ):
        list(civic(files).parse())


def test_not_a_civic_file(tmp_path: Path) -> None:
    files = _copy(tmp_path, "ClinicalEvidenceSummaries.tsv", "a\tb\tc", 1)
    with pytest.raises(SourceFileError, match="not a CIViC ClinicalEvidenceSummaries header"):
        list(civic(files).parse())


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("evidence_level", "Z", "evidence level 'Z' is not one of A-E"),
     ("evidence_type", "Anecdotal", "evidence type 'Anecdotal'"),
     ("evidence_id", "EID9", "expected a numeric evidence id"),
     ("variant_id", "999999", "variant_id '999999' is not in the VariantSummaries file")],
)  # fmt: skip
def test_malformed_evidence_row_names_line_and_field(tmp_path: Path, column: str, value: str, message: str) -> None:
    lines = (OLD / "ClinicalEvidenceSummaries.tsv").read_text().split("\n")
    header = lines[0].split("\t")
    fields = lines[4].split("\t")
    fields[header.index(column)] = value
    if column == "variant_id":
        fields[header.index("variant")] = "NOT A VARIANT"
    files = _copy(tmp_path, "ClinicalEvidenceSummaries.tsv", "\t".join(fields), 5)
    with pytest.raises(SourceFileError, match=message) as error:
        list(civic(files).parse())
    assert (error.value.line, error.value.field) == (5, column)


def test_truncated_file_names_the_last_line(tmp_path: Path) -> None:
    text = (OLD / "ClinicalEvidenceSummaries.tsv").read_text(encoding="utf-8")
    target = tmp_path / "ClinicalEvidenceSummaries.tsv"
    target.write_text(text[: len(text) - 700], encoding="utf-8")  # cut inside the last row
    with pytest.raises(SourceFileError, match=r"row has \d+ fields; the header has 41") as error:
        list(civic({**OLD_FILES, "evidence": target}).parse())
    assert error.value.line == len(text[: len(text) - 700].split("\n"))


def test_truncated_gzip(tmp_path: Path) -> None:
    packed = gzip.compress((OLD / "ClinicalEvidenceSummaries.tsv").read_bytes())
    target = tmp_path / "ClinicalEvidenceSummaries.tsv.gz"
    target.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(SourceFileError, match="ends early or is corrupt"):
        list(civic({**OLD_FILES, "evidence": target}).parse())


def test_malformed_variant_row(tmp_path: Path) -> None:
    lines = (OLD / "VariantSummaries.tsv").read_text().split("\n")
    fields = lines[3].split("\t")
    fields[8] = "chr7:140453136"  # start
    files = _copy(tmp_path, "VariantSummaries.tsv", "\t".join(fields), 4)
    with pytest.raises(SourceFileError, match="expected a whole number") as error:
        list(civic(files).parse())
    assert (error.value.line, error.value.field) == (4, "start")


def test_skip_bad_rows_counts_them_in_the_build(tmp_path: Path) -> None:
    lines = (OLD / "ClinicalEvidenceSummaries.tsv").read_text().split("\n")
    header = lines[0].split("\t")
    bad_level = lines[4].split("\t")
    bad_level[header.index("evidence_level")] = "Z"
    lines[4] = "\t".join(bad_level)
    lines[6] = lines[6][:200]  # a row cut short
    target = tmp_path / "ClinicalEvidenceSummaries.tsv"
    target.write_text("\n".join(lines), encoding="utf-8")
    loader = civic({**OLD_FILES, "evidence": target}, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [loader])
    assert manifest.sources[0].skipped_rows == 2
    assert {e.line for e in loader.skipped} == {5, 7}


# ------------------------------------------------------------------ small parsers


def test_variant_rows_with_tab_split_assertion_urls_are_read_whole() -> None:
    # 01-Aug-2021 VariantSummaries separates a variant's assertion URLs by tabs (BRAF V600E has five).
    line = next(t for t in (OLD / "VariantSummaries.tsv").read_text().split("\n") if t.startswith("12\t"))
    assert len(line.split("\t")) > 28
    rows = dict(read_civic_table(OLD / "VariantSummaries.tsv", ("variant_id", "assertion_civic_urls")))
    v600e = next(row for row in rows.values() if row["variant_id"] == "12")
    assert v600e["assertion_civic_urls"].count("https://") == 5


def test_drug_names_holding_commas() -> None:
    assert split_drugs("2,4-pyrimidinediamine") == ("2,4-pyrimidinediamine",)
    assert split_drugs("Trametinib,Dabrafenib") == ("Trametinib", "Dabrafenib")
    assert split_drugs("Fluorouracil, 5-FU, Carac,Imatinib") == ("Fluorouracil, 5-FU, Carac", "Imatinib")


_DRUG = st.from_regex(r"[A-Z][a-z]{2,12}(?: [A-Z0-9][a-z0-9-]{1,8})?", fullmatch=True)


@given(st.lists(_DRUG, min_size=1, max_size=5))
def test_comma_joined_drug_names_split_back(names: list[str]) -> None:
    assert split_drugs(",".join(names)) == tuple(names)


def test_names_pmkg_cannot_read_keep_their_civic_id() -> None:
    genes = GeneNames(GeneResolver.bundled())
    splice = fallback(CivicVariant(vid=3049, line=2, gene="ATM", name="c.902-1G>T"), genes)
    assert (splice.node_id, splice.label) == ("CIVIC.VID:3049", Label.VARIANT)
    state = fallback(CivicVariant(vid=1, line=2, gene="RB1", name="PHOSPHORYLATION"), genes)
    assert (state.node_id, state.label) == ("PMKG:class/RB1:PHOSPHORYLATION", Label.VARIANT_CLASS)
    fusion = fallback(CivicVariant(vid=164, line=2, gene="FLI1", name="EWSR1-FLI1 Type 1"), genes)
    assert fusion.facts is not None
    assert fusion.facts.fusion == ("EWSR1", "FLI1")
    factor = fallback(
        CivicVariant(vid=9, line=2, gene="", name="High", feature_type="Factor", feature_name="TMB"), genes
    )
    # CIViC's TMB High is the TMB-high that MOAlmanac and every query name (it was a node of its own).
    assert (factor.node_id, factor.name) == ("PMKG:variant/TMB-high", "TMB-high")
    other = fallback(
        CivicVariant(vid=9, line=2, gene="", name="Positive", feature_type="Factor", feature_name="Kataegis"), genes
    )
    assert (other.node_id, other.name) == ("PMKG:variant/Kataegis-Positive", "Kataegis Positive")


def test_rejected_evidence_is_left_out(tmp_path: Path) -> None:
    lines = (NEW / "ClinicalEvidenceSummaries.tsv").read_text().split("\n")
    header = lines[0].split("\t")
    fields = lines[1].split("\t")
    fields[header.index("evidence_status")] = "rejected"
    fields[header.index("is_flagged")] = "true"
    lines[1] = "\t".join(fields)
    target = tmp_path / "ClinicalEvidenceSummaries.tsv"
    target.write_text("\n".join(lines), encoding="utf-8")
    loader = civic({**NEW_FILES, "evidence": target})
    ids = {r.id for r in loader.parse() if isinstance(r, Node)}
    assert f"CIVIC.EID:{fields[header.index('evidence_id')]}" not in ids
    assert loader.rejected == 1
    assert loader.skipped_rows == 0


def test_a_dated_release_folder_is_found_by_pmkg_build_source(tmp_path: Path) -> None:
    # Regression: `pmkg build --source civic=DIR` looked only for nightly-*.tsv names.
    release = tmp_path / "release_01-Aug-2021"
    release.mkdir()
    for table in ("ClinicalEvidenceSummaries", "VariantSummaries", "AssertionSummaries"):
        data = (DATA / "2021" / f"{table}.tsv").read_bytes()
        (release / f"01-Aug-2021-{table}.tsv.gz").write_bytes(gzip.compress(data))
    loader = CivicLoader.from_path(release, version="01-Aug-2021")
    assert {name: path.name for name, path in loader.paths.items()} == {
        "evidence": "01-Aug-2021-ClinicalEvidenceSummaries.tsv.gz",
        "variants": "01-Aug-2021-VariantSummaries.tsv.gz",
        "assertions": "01-Aug-2021-AssertionSummaries.tsv.gz",
    }
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [loader])
    assert store.get_node("CIVIC.EID:3017") is not None

    (release / "01-Aug-2021-VariantSummaries.tsv.gz").unlink()
    with pytest.raises(SourceFileError, match=r"civic: no variants table here"):
        CivicLoader.from_path(release)
