"""What broke when the starter moved from CIViC's 2021 release to its 2024-2026 tables (real rows)."""

from __future__ import annotations

from pathlib import Path

from kg.records import Edge, Node
from kg.schema import RelType
from kg.variants import check_profile
from loaders.civic import CivicLoader
from loaders.genes import GeneResolver
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter

MIX = Path(__file__).parents[1] / "data" / "civic" / "2026"


def _about() -> tuple[dict[str, str], dict[str, Node], CivicLoader]:
    loader = CivicLoader(CivicLoader.locate(MIX), version="test", genes=GeneResolver.bundled())
    records = list(loader.parse())
    about = {r.start: r.end for r in records if isinstance(r, Edge) and r.type == RelType.ABOUT}
    return about, {r.id: r for r in records if isinstance(r, Node)}, loader


def test_parentheses_in_a_variant_name_do_not_break_its_profile() -> None:
    """'ALK Alternative Transcript (ATI)' made a class id with parentheses, which a profile expression
    reads as grouping; 'VHL E160fs (c.479_480delAG)' was split at its parentheses."""
    about, nodes, _ = _about()
    assert about["CIVIC.EID:1936"] == "PMKG:class/ALK:Alternative-Transcript-ATI"
    assert "ALK Alternative Transcript (ATI)" in nodes["PMKG:class/ALK:Alternative-Transcript-ATI"].synonyms
    assert about["CIVIC.EID:5191"] == "PMKG:variant/VHL:E160fs"
    for node in nodes.values():
        if "expression" in node.props:
            check_profile(str(node.props["expression"]))


def test_2025_fusion_names_meet_the_2024_gene_named_fusion() -> None:
    """2025 names the BCR::ABL1 fusion 'BCR::ABL1 Fusion'; 2024's variant table 'BCR::ABL1' of ABL1:
    the names did not match, and the profile table's row was rejected as unreadable."""
    about, _, _ = _about()
    assert about["CIVIC.EID:213"] == "PMKG:variant/BCR::ABL1"


def test_a_gene_name_before_a_fusion_is_not_read_as_one_fusion_partner() -> None:
    """'C19MC TTYH1::C19MC fusion' was read as the fusion 'C19MC TTYH1'::'C19MC', whose id held a space
    and failed the build; now it is reported as a profile the tables cannot resolve."""
    about, nodes, loader = _about()
    assert "CIVIC.EID:12390" not in about
    assert loader.unresolved_profiles[5438] == "C19MC TTYH1::C19MC fusion"
    assert not [node_id for node_id in nodes if " " in node_id]


def test_civic_tmb_high_is_the_node_a_tmb_value_reaches() -> None:
    """CIViC's 'TMB High' factor became PMKG:variant/TMB-High while `--variant "TMB 12 mut/Mb"` looks
    for PMKG:variant/TMB-high (MOAlmanac's node): the evidence was unreachable."""
    about, _, _ = _about()
    assert about["CIVIC.EID:12042"] == "PMKG:variant/TMB-high"
    assert about["CIVIC.EID:12561"] == "PMKG:variant/MSI-H"


def test_civic_solid_tumor_evidence_is_any_solid_tumour_not_another_disease() -> None:
    """CIViC 2026 writes the tumour-agnostic TRK approvals against "Solid Tumor" with no DOID: the evidence had no
    disease at all, so larotrectinib for an NTRK1 fusion in colorectal cancer fell to tier 3 as other-disease."""
    store = embedded_starter()
    for disease in ("colorectal cancer", "LUAD"):
        ranked = [
            t for t in match_therapies(store, ["NTRK1 fusion"], disease).therapies if t.significance == "sensitivity"
        ]
        first = ranked[0]
        assert (first.therapy.name, first.tier, first.disease_match) == ("Larotrectinib", 1, "ancestor"), disease
        assert first.best.disease_id == "NCIT:C132146"  # the one "any solid tumour" term MOAlmanac and CGI use too
    leukaemia = match_therapies(store, ["ETV6::NTRK3"], "acute myeloid leukemia").therapies
    larotrectinib = next(t for t in leukaemia if (t.therapy.name, t.significance) == ("Larotrectinib", "sensitivity"))
    assert larotrectinib.disease_match == "other"  # a solid-tumour approval says nothing about a leukaemia


def test_civic_advanced_solid_tumours_are_any_solid_tumour() -> None:
    """CIViC's "Solid Tumors, Advanced" (pembrolizumab for TMB-high, EID 12594) had no disease either."""
    result = match_therapies(embedded_starter(), ["TMB 12 mut/Mb"], "colorectal cancer")
    hits = {h.evidence.id: h for t in result.therapies for h in t.hits}
    assert (hits["CIVIC.EID:12594"].disease_id, hits["CIVIC.EID:12594"].proximity) == ("NCIT:C132146", "ancestor")


def test_a_disease_civic_names_without_a_doid_is_read_by_its_name() -> None:
    """CIViC 2026 names some diseases without a DOID ("Extramammary Paget Disease" for afatinib and ERBB2 D769Y,
    EID 11688): the evidence had no disease, so it was "other disease" even in that very disease."""
    result = match_therapies(embedded_starter(), ["ERBB2 D769Y"], "extramammary Paget disease")
    afatinib = next(t for t in result.therapies if (t.therapy.name, t.significance) == ("Afatinib", "sensitivity"))
    assert (afatinib.disease_match, afatinib.best.evidence.id) == ("exact", "CIVIC.EID:11688")
