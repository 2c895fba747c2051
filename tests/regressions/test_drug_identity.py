"""One drug per substance across sources: what broke when CIViC, CPIC, MOAlmanac, CGI and DGIdb each
made their own Drug nodes and the matcher de-duplicated therapies by display name.

Every source here is a real file cut from its release (``scripts/data/drug_identity.py`` and the
fixture scripts of each loader); the thesaurus is the bundled NCIt drug subset.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.drug_identity import SALT_FORM, SAME_NAME, SAME_NCIT, UNMATCHED
from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import BuildManifest, Direction, Store
from loaders.base import Loader
from loaders.cgi import BIOMARKERS, CgiLoader
from loaders.civic import CivicLoader
from loaders.dgidb import DgidbLoader
from loaders.moalmanac import FLAT, REFERENCED, MoalmanacLoader
from loaders.ncit_drugs import NcitDrugLoader
from loaders.pharmcat import PharmCatLoader
from queries.matching import match_therapies

DATA = Path(__file__).parents[1] / "data"
CIVIC = DATA / "drugs" / "civic"


def civic() -> CivicLoader:
    paths = {
        "evidence": CIVIC / "ClinicalEvidenceSummaries.tsv",
        "variants": CIVIC / "VariantSummaries.tsv",
        "drugs": CIVIC / "DrugSummaries.tsv",
    }
    return CivicLoader(paths, version="01-Aug-2021")


def cpic() -> PharmCatLoader:
    paths = {"pharmcat_data": DATA / "pharmcat", "cpic_guidelines": DATA / "drugs" / "cpic"}
    return PharmCatLoader(paths, version="2025-11-05-00-25; CPIC guidelines 2023-12-05-00-25")


def moalmanac_flat(path: Path = DATA / "moalmanac" / "molecular-oncology-almanac.json") -> MoalmanacLoader:
    return MoalmanacLoader({FLAT: path}, version="2025-12-26")


def moalmanac_referenced() -> MoalmanacLoader:
    folder = DATA / "moalmanac" / "referenced"
    return MoalmanacLoader({name: folder / file for name, file in REFERENCED.items()}, version="2026-05-07")


def cgi() -> CgiLoader:
    return CgiLoader({BIOMARKERS: DATA / "drugs" / "cgi" / "cgi_biomarkers_per_variant.tsv"}, version="2018-01-17")


def dgidb() -> DgidbLoader:
    return DgidbLoader({"interactions": DATA / "dgidb" / "CancerCommons_INTERACTIONS.tsv"}, version="2025-08")


def build(path: Path, sources: list[Loader]) -> tuple[EmbeddedStore, BuildManifest]:
    store = EmbeddedStore(path)
    manifest = run_build(store, sources)
    return store, manifest


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, BuildManifest]]:
    """Thesaurus + CPIC + CIViC + MOAlmanac (flat) + CGI + DGIdb, as a build orders them."""
    sources: list[Loader] = [NcitDrugLoader.starter(), dgidb(), cpic(), civic(), moalmanac_flat(), cgi()]
    store, manifest = build(tmp_path_factory.mktemp("drugs") / "graph", sources)
    yield store, manifest
    store.close()


def drug(store: Store, name: str) -> Node:
    found = store.find(name, Label.DRUG)
    assert len(found) == 1, f"{name!r} names {[n.id for n in found]}"
    return found[0]


def test_dabrafenib_from_civic_and_moalmanac_is_one_node(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    dabrafenib = drug(store, "dabrafenib")
    assert dabrafenib.id == "NCIT:C82386"
    assert {"civic", "moalmanac", "cgi"} <= set(dabrafenib.props["named_by"])
    assert SAME_NCIT in dabrafenib.props["identity_rules"]
    assert store.get_node("PMKG:drug/dabrafenib") is None


def test_trametinib_dimethyl_sulfoxide_folds_into_trametinib(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    salt = drug(store, "Trametinib Dimethyl Sulfoxide")
    assert (salt.id, salt.name) == ("NCIT:C77908", "Trametinib")
    assert SALT_FORM in salt.props["identity_rules"]
    assert any("'Trametinib Dimethyl Sulfoxide'" in line and line.endswith(SALT_FORM)
               for line in salt.props["identity_log"])  # fmt: skip
    assert "Trametinib Dimethyl Sulfoxide" in salt.synonyms
    assert store.get_node("PMKG:drug/trametinib_dimethyl_sulfoxide") is None


def test_a_salt_form_in_a_combination_is_the_same_therapy(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    therapies = [n for n in store.find("Dabrafenib + Trametinib", Label.THERAPY)]
    assert [t.id for t in therapies] == ["PMKG:therapy/dabrafenib+trametinib"]
    assert not store.find("Dabrafenib + Trametinib Dimethyl Sulfoxide", Label.THERAPY)
    therapy = therapies[0]
    components = {d.id for d in store.neighbours(therapy.id, RelType.HAS_COMPONENT)}
    assert components == {"NCIT:C82386", "NCIT:C77908"}
    evidence = {e.id for e in store.neighbours(therapy.id, RelType.WITH_THERAPY, Direction.IN)}
    # CIViC's salt-form row (EID 5902), both CIViC orders (EIDs 3017 and 93), MOAlmanac and CGI.
    assert {"CIVIC.EID:5902", "CIVIC.EID:3017", "CIVIC.EID:93", "MOALMANAC:145"} <= evidence
    assert any(e.startswith("PMKG:cgi/") for e in evidence)


def test_capecitabine_and_fluorouracil_from_cpic_join_civic(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    for name in ("capecitabine", "fluorouracil"):
        node = drug(store, name)
        assert {"civic", "pharmcat"} <= set(node.props["named_by"]), name
        # CPIC's recommendation and CIViC's therapy point at that one node.
        recommendations = store.neighbours(node.id, RelType.FOR_DRUG, Direction.IN)
        therapies = store.neighbours(node.id, RelType.HAS_COMPONENT, Direction.IN)
        assert recommendations, name
        assert therapies, name
    fluorouracil = drug(store, "fluorouracil")
    assert fluorouracil.id == "NCIT:C505"  # MOAlmanac's code reaches CPIC's lower-case name
    assert SAME_NAME in fluorouracil.props["identity_rules"]


def test_a_drug_cpic_writes_in_lower_case_is_shown_as_another_source_capitalises_it(
    graph: tuple[EmbeddedStore, BuildManifest],
) -> None:
    # PGx cautions listed "Capecitabine" beside "fluorouracil": the merged drug kept CPIC's lower-case spelling.
    store, _ = graph
    assert [drug(store, name).name for name in ("capecitabine", "fluorouracil")] == ["Capecitabine", "Fluorouracil"]
    assert drug(store, "Fluorouracil").id == drug(store, "fluorouracil").id  # any case still finds it


def test_one_combination_named_in_different_orders_by_two_sources_is_one_therapy(
    graph: tuple[EmbeddedStore, BuildManifest],
) -> None:
    store, _ = graph
    therapy = store.get_node("PMKG:therapy/dabrafenib+trametinib")
    assert therapy is not None
    sources = {p.source for p in therapy.provenance}
    assert {"civic", "moalmanac", "cgi"} <= sources
    assert therapy.props["drugs"] == ["Dabrafenib", "Trametinib"]


def test_vemurafenib_in_any_case_and_code_is_one_node(tmp_path: Path) -> None:
    example = DATA / "matching" / "moalmanac_example" / "molecular-oncology-almanac.json"
    store, _ = build(tmp_path / "graph", [NcitDrugLoader.starter(), dgidb(), civic(), moalmanac_flat(example)])
    node = drug(store, "vemurafenib")
    assert node.id == "NCIT:C64768"
    assert {"civic", "dgidb", "moalmanac"} <= set(node.props["named_by"])
    assert drug(store, "VEMURAFENIB").id == drug(store, "Zelboraf").id == "NCIT:C64768"
    store.close()


def test_search_finds_a_drug_by_its_brand_name(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "graph", [NcitDrugLoader.starter(), civic(), moalmanac_referenced()])
    assert drug(store, "Tafinlar").id == "NCIT:C82386"  # MOAlmanac's FDA label names the product
    assert drug(store, "Herceptin").name == "Trastuzumab"  # NCIt's brand names
    store.close()


def test_a_salt_form_merges_within_one_source(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    imatinib = drug(store, "Imatinib Mesylate")
    assert (imatinib.id, imatinib.name) == ("PMKG:drug/imatinib", "Imatinib")
    assert SALT_FORM in imatinib.props["identity_rules"]


def test_a_drug_no_thesaurus_knows_stays_its_own_node_and_is_counted(
    graph: tuple[EmbeddedStore, BuildManifest],
) -> None:
    store, manifest = graph
    tae684 = drug(store, "TAE684")
    assert tae684.id == "PMKG:drug/tae684"
    assert tae684.props["identity_rules"] == [UNMATCHED]
    report = manifest.drug_identity
    assert report[UNMATCHED] >= 1
    assert report["sources"]["civic"][UNMATCHED] >= 1


def test_the_build_reports_drugs_per_source_and_merges(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, manifest = graph
    report = manifest.drug_identity
    drugs = store.counts_by_label()["Drug"]
    assert report["drugs"] == drugs
    assert report["merged"] == report["drug_records"] - drugs > 0
    assert set(report["sources"]) == {"civic", "cgi", "dgidb", "moalmanac", "pharmcat"}
    assert sum(row["drugs"] for row in report["sources"].values()) == report["drug_records"]
    assert report["rules"][SALT_FORM] >= 2
    assert report["rules"][SAME_NCIT] >= 2
    assert report["therapies"]["merged"] >= 1
    # What the store reports is what the build stored.
    stored = store.current_build()
    assert stored is not None
    assert stored.drug_identity == json.loads(json.dumps(report))


def test_matching_lists_one_entry_per_therapy_identity(graph: tuple[EmbeddedStore, BuildManifest]) -> None:
    store, _ = graph
    result = match_therapies(store, ["BRAF V600E"], "melanoma")
    names = [(t.therapy.name, t.significance) for t in result.therapies]
    assert names.count(("Dabrafenib + Trametinib", "sensitivity")) == 1
    assert not any("Dimethyl Sulfoxide" in name for name, _ in names)
    entry = next(t for t in result.therapies if t.therapy.name == "Dabrafenib + Trametinib")
    evidence = {e["id"] for e in entry.as_json()["evidence"]}
    assert {"CIVIC.EID:5902", "MOALMANAC:145"} <= evidence
    assert [d.name for d in entry.drugs] == ["Dabrafenib", "Trametinib"]
    shown = entry.as_json()
    assert (shown["therapy_id"], shown["drug_ids"]) == (
        "PMKG:therapy/dabrafenib+trametinib",
        ["NCIT:C82386", "NCIT:C77908"],
    )


def test_the_resolution_does_not_depend_on_source_order(tmp_path: Path) -> None:
    forward, _ = build(tmp_path / "a", [NcitDrugLoader.starter(), cpic(), civic(), moalmanac_flat(), cgi()])
    backward, _ = build(tmp_path / "b", [cgi(), moalmanac_flat(), civic(), cpic(), NcitDrugLoader.starter()])
    for name in ("dabrafenib", "Trametinib Dimethyl Sulfoxide", "capecitabine", "Imatinib Mesylate", "TAE684"):
        assert drug(forward, name).id == drug(backward, name).id, name
    assert {t.id for t in forward.find("Dabrafenib + Trametinib", Label.THERAPY)} == {
        t.id for t in backward.find("Dabrafenib + Trametinib", Label.THERAPY)
    }
    forward.close()
    backward.close()


# ---------------------------------------------------------------------------- the command line


def pmkg(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "queries.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"},
        check=False,
    )


@pytest.fixture(scope="module")
def starter_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pmkg-home")
    built = pmkg(home, "build", "--format", "json")
    assert built.returncode == 0, built.stderr
    return home


def test_status_says_how_many_drugs_each_source_named_and_how_many_merged(starter_home: Path) -> None:
    status = pmkg(starter_home, "status", "--format", "json")
    report = json.loads(status.stdout)["drug_identity"]
    assert {"civic", "pharmcat", "dgidb_civic"} <= set(report["sources"])
    assert report["merged"] == report["drug_records"] - report["drugs"] > 0
    assert report["sources"]["pharmcat"]["merged"] > 0  # CPIC's drugs meet CIViC's
    table = pmkg(starter_home, "status")
    assert "Drugs per source" in table.stdout
    assert f"{report['drug_records']:,} drug records → {report['drugs']:,} drugs" in " ".join(table.stdout.split())


def test_search_finds_one_drug_by_salt_form_case_or_brand(starter_home: Path) -> None:
    found = {}
    for text in ("Imatinib Mesylate", "imatinib", "CAPECITABINE", "Herceptin"):
        result = pmkg(starter_home, "search", text, "--label", "Drug", "--format", "json")
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
        assert len(rows) == 1, (text, rows)
        found[text] = rows[0]
    assert found["Imatinib Mesylate"]["id"] == found["imatinib"]["id"]
    assert found["Herceptin"]["name"] == "Trastuzumab"


def therapies(home: Path, *args: str) -> list[dict[str, object]]:
    result = pmkg(home, "match", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)["therapies"]
    return rows


def test_a_regimen_civic_names_as_one_drug_is_the_combination_of_its_drugs(starter_home: Path) -> None:
    """CIViC's 2026 evidence names "Ipilimumab/Nivolumab Regimen" and "Durvalumab/Tremelimumab Regimen" (NCIt
    regimen concepts) as single drugs: they were their own rows, apart from "Durvalumab + Tremelimumab"."""
    msi = therapies(starter_home, "--variant", "MSI-H", "--disease", "colorectal cancer")
    assert (msi[0]["therapy"], msi[0]["drugs"], msi[0]["tier"]) == (
        "Ipilimumab + Nivolumab",
        ["Ipilimumab", "Nivolumab"],
        1,
    )
    tmb = therapies(starter_home, "--variant", "TMB-H", "--disease", "NSCLC")
    assert not [t["therapy"] for t in tmb if "Regimen" in str(t["therapy"])]
    durvalumab = [t for t in tmb if t["therapy"] == "Durvalumab + Tremelimumab" and t["disease_match"] == "exact"]
    # the regimen's supporting evidence and the combination's contrary evidence now meet in one therapy
    assert {t["significance"] for t in durvalumab} == {"sensitivity", "resistance"}
    assert len({t["therapy_id"] for t in durvalumab}) == 1
    found = pmkg(starter_home, "search", "Ipilimumab/Nivolumab Regimen", "--label", "Therapy", "--format", "json")
    assert json.loads(found.stdout)[0]["name"] == "Ipilimumab + Nivolumab"


@pytest.mark.neo4j
def test_neo4j_holds_the_same_drugs_and_therapies(
    neo4j_store: Store, graph: tuple[EmbeddedStore, BuildManifest]
) -> None:
    embedded, manifest = graph
    sources: list[Loader] = [NcitDrugLoader.starter(), dgidb(), cpic(), civic(), moalmanac_flat(), cgi()]
    in_neo4j = run_build(neo4j_store, sources)
    assert in_neo4j.drug_identity == manifest.drug_identity
    for name in ("dabrafenib", "Trametinib Dimethyl Sulfoxide", "capecitabine", "Imatinib Mesylate", "TAE684"):
        ours, theirs = drug(embedded, name), drug(neo4j_store, name)
        assert (theirs.id, theirs.name, theirs.props["identity_rules"]) == (
            ours.id,
            ours.name,
            ours.props["identity_rules"],
        )
    therapy = "PMKG:therapy/dabrafenib+trametinib"
    assert {n.id for n in neo4j_store.neighbours(therapy, RelType.WITH_THERAPY, Direction.IN)} == {
        n.id for n in embedded.neighbours(therapy, RelType.WITH_THERAPY, Direction.IN)
    }
