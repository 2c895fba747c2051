"""CIViC's 2023+ releases on real rows: the whole 01-Aug-2024 release layout, and the starter's mix
(2026-05-29 nightly evidence, 01-Feb-2025 profiles and features, 01-Aug-2024 variants).

The fixtures are cut verbatim by ``scripts/data/civic.py`` (``FIXTURE_EIDS_NEW``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.variants import evaluate_profile
from loaders.civic import STARTER_VERSION, CivicLoader
from loaders.genes import GeneResolver

DATA = Path(__file__).parents[1] / "data" / "civic"


class Parsed:
    def __init__(self, loader: CivicLoader) -> None:
        self.loader = loader
        records: list[Record] = list(loader.parse())
        self.nodes = {r.id: r for r in records if isinstance(r, Node)}
        self.edges = [r for r in records if isinstance(r, Edge)]

    def about(self, eid: int) -> str:
        """The id of the node evidence ``eid`` is about ("" if none)."""
        found = [e.end for e in self.edges if e.start == f"CIVIC.EID:{eid}" and e.type == RelType.ABOUT]
        return found[0] if found else ""

    def drugs(self, eid: int) -> list[str]:
        node = self.nodes[f"CIVIC.EID:{eid}"]
        return [str(d) for d in node.props.get("drugs", [])]  # type: ignore[union-attr]


def parse(folder: Path) -> Parsed:
    return Parsed(CivicLoader(CivicLoader.locate(folder), version="test", genes=GeneResolver.bundled()))


@pytest.fixture(scope="module")
def r2024() -> Parsed:
    return parse(DATA / "2024")


@pytest.fixture(scope="module")
def r2026() -> Parsed:
    return parse(DATA / "2026")


def test_the_2024_release_loads_with_its_gene_named_variants(r2024: Parsed) -> None:
    assert r2024.about(9431) == "PMKG:variant/KRAS:G12C"
    assert r2024.drugs(9431) == ["Sotorasib"]
    assert r2024.about(213) == "PMKG:variant/BCR::ABL1"  # 2024 names it "BCR::ABL1", a variant of ABL1
    assert r2024.about(7647) == "PMKG:class/ERBB2:amplification"


def test_2024_factor_evidence_without_its_variant_rows_is_counted_not_lost(r2024: Parsed) -> None:
    """01-Aug-2024's VariantSummaries lists gene variants only; its factor profiles cannot be resolved."""
    assert r2024.loader.unresolved_profiles == {5119: "Kataegis Positive", 5120: "CK High"}
    assert r2024.loader.skipped_rows == 2
    assert all("cannot be resolved" in s.problem for s in r2024.loader.skipped)
    assert "CIVIC.EID:12037" not in r2024.nodes


def test_msi_and_tmb_factors_are_the_biomarkers_queries_name(r2026: Parsed) -> None:
    assert r2026.about(12561) == "PMKG:variant/MSI-H"
    assert r2026.about(12042) == "PMKG:variant/TMB-high"
    assert r2026.about(12918) == "PMKG:variant/TMB-low"
    blood = r2026.nodes[r2026.about(12724)]  # blood TMB is another measurement: kept apart, named as CIViC does
    assert (blood.id, blood.name) == ("PMKG:variant/TMB-H-bTMB", "TMB H-bTMB")
    msi = r2026.nodes["PMKG:variant/MSI-H"]
    assert {"MSI High", "CIVIC.MPID:5118"} <= set(msi.synonyms)
    assert r2026.drugs(12561) == ["Ipilimumab/Nivolumab Regimen"]


def test_todays_drugs_reach_their_variants(r2026: Parsed) -> None:
    assert r2026.drugs(9431) == ["Sotorasib"]
    assert r2026.about(9431) == "PMKG:variant/KRAS:G12C"
    assert set(r2026.drugs(12063)) == {"Cetuximab", "Adagrasib"}
    assert r2026.drugs(11731) == ["Trastuzumab Deruxtecan"]
    vorasidenib = r2026.nodes[r2026.about(11508)]
    assert vorasidenib.label == Label.MOLECULAR_PROFILE
    expression = str(vorasidenib.props["expression"])
    assert evaluate_profile(expression, {"PMKG:variant/IDH1:R132H"})
    assert not evaluate_profile(expression, {"PMKG:variant/IDH1:R100Q"})


def test_a_compound_profile_holds_only_together(r2026: Parsed) -> None:
    profile = r2026.nodes[r2026.about(11599)]  # EGFR L858R AND EGFR T790M, osimertinib
    expression = str(profile.props["expression"])
    assert evaluate_profile(expression, {"PMKG:variant/EGFR:L858R", "PMKG:variant/EGFR:T790M"})
    assert not evaluate_profile(expression, {"PMKG:variant/EGFR:L858R"})


def profile_ids(folder: Path) -> dict[int, str]:
    """Evidence id → CIViC molecular profile id, as the release's evidence table gives them."""
    with (folder / "ClinicalEvidenceSummaries.tsv").open(encoding="utf-8") as handle:
        return {int(r["evidence_id"]): r["molecular_profile_id"] for r in csv.DictReader(handle, delimiter="\t")}


def test_the_same_evidence_is_about_the_same_node_in_both_releases(r2024: Parsed, r2026: Parsed) -> None:
    """Where CIViC kept an item's profile, both layouts give one node, though the names differ
    (2024's ABL1 "BCR::ABL1" is 2025's "BCR::ABL1 Fusion")."""
    before_ids, after_ids = profile_ids(DATA / "2024"), profile_ids(DATA / "2026")
    shared = {e for e, mpid in before_ids.items() if after_ids.get(e) == mpid and f"CIVIC.EID:{e}" in r2024.nodes}
    assert len(shared) >= 10
    assert 213 in shared
    for eid in sorted(shared):
        assert r2024.about(eid) == r2026.about(eid) != "", eid


def test_profiles_the_mix_cannot_resolve_are_reported_by_id_and_name(r2026: Parsed) -> None:
    assert r2026.loader.unresolved_profiles == {
        4078: "VHL R167Q(c.500G>A) and c.464-94T>A",
        5437: "C19MC Amplification",
        5438: "C19MC TTYH1::C19MC fusion",
    }
    assert r2026.loader.skipped_rows == 3
    assert r2026.loader.profiles_read_by_name > 0  # MSI High, TMB High… are in neither older table


def test_the_starter_is_the_newest_evidence() -> None:
    loader = CivicLoader.starter()
    assert loader.version == STARTER_VERSION
    assert {"evidence", "variants", "molecular_profiles", "features", "assertions", "drugs"} <= set(loader.paths)
    evidence = sum(1 for r in loader.parse() if isinstance(r, Node) and r.id.startswith("CIVIC.EID:"))
    # 4,854 accepted items in the 2026-05-29 nightly; 4 are about profiles no bundled table resolves.
    assert (evidence, loader.skipped_rows) == (4850, 4)
    assert set(loader.unresolved_profiles) == {4078, 5437, 5438, 5439}
