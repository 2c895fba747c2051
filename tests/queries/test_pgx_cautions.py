"""PGx cautions in patient answers (queries.pgx_cautions through ``match``) on the real starter graph.

Expected CPIC actions and texts are read from CPIC's own guideline files as bundled in the starter
(loaders/starter/pharmcat/cpic-guidelines.tar.gz); CIViC's germline evidence is the starter's
CIViC release.  The key answers are checked on both stores.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from queries.pgx import lookup_diplotypes
from queries.pgx_cautions import CAUTION_ACTIONS
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

REPO = Path(__file__).resolve().parents[2]
GUIDELINES = REPO / "loaders" / "starter" / "pharmcat" / "cpic-guidelines.tar.gz"
OUTSIDE_CALLS = REPO / "tests" / "data" / "pgx" / "examples" / "pharmcat.example.outsideCall.tsv"


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.fixture(scope="module")
def embedded() -> Store:
    return embedded_starter()


def cpic_text(guideline: str, key: dict[str, str], population: str = "general", drug: str | None = None) -> str:
    """CPIC's recommendation text for a lookup key (and drug, in a guideline of several), from the bundled file."""
    with tarfile.open(GUIDELINES) as archive:
        member = archive.extractfile(f"guidelines/{guideline}")
        assert member is not None
        data = json.load(member)
    (rec,) = [
        r for r in data["recommendations"]
        if r["lookupKey"] == key and r.get("population") == population
        and (drug is None or drug in {c["name"] for c in r.get("relatedChemicals") or []})
    ]  # fmt: skip
    return plain(rec["text"]["html"] if isinstance(rec["text"], dict) else rec["text"])


def plain(text: str) -> str:
    lead = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    return lead.split(" Other Considerations", 1)[0]


def cautions(answer: dict[str, Any], **match: Any) -> list[dict[str, Any]]:
    return [c for c in answer["pgx_cautions"] if all(c.get(k) == v for k, v in match.items())]


# ----------------------------------------------------------------------- DPYD


def test_dpyd_poor_metaboliser_with_colorectal_cancer_sees_avoid_fluoropyrimidines_whatever_matched(
    store: Store,
) -> None:
    answer = match_therapies(store, ["KRAS G12D", "DPYD *2A/*2A"], "colorectal cancer").as_json()
    assert answer["therapies"], "KRAS G12D reaches therapies in the starter"
    drugs = {d.lower() for t in answer["therapies"] for d in t["drugs"]}
    assert not drugs & {"fluorouracil", "capecitabine"}  # neither matched …
    for drug, guideline in (("fluorouracil", "CPIC_fluorouracil_and_DPYD.json"),
                            ("capecitabine", "CPIC_capecitabine_and_DPYD.json")):  # fmt: skip
        (row,) = [c for c in cautions(answer, source="CPIC") if c["drug"].lower() == drug]
        assert (row["action"], row["strength"], row["gene"]) == ("avoid", "strong", "DPYD")  # … and both are cautioned
        assert plain(row["text"]) == cpic_text(guideline, {"DPYD": "0.0"})
        assert row["on_therapy_list"] is False
        assert row["therapies"] == []
    assert [c["action"] for c in answer["pgx_cautions"][:2]] == ["avoid", "avoid"]


def test_dpyd_germline_evidence_in_civic_is_reached_from_the_star_alleles(store: Store) -> None:
    answer = match_therapies(store, ["KRAS G12D", "DPYD c.1905+1G>A/c.1905+1G>A"], "colorectal cancer").as_json()
    civic = cautions(answer, source="CIViC")
    assert {c["drug"].lower() for c in civic} >= {"capecitabine", "fluorouracil"}
    for row in civic:
        assert row["action"] == "adverse response"
        assert row["id"] == "CIVIC.EID:1800"  # CIViC: DPYD*2A HOMOZYGOSITY, adverse response to 5-FU/capecitabine
        assert "DPYD*2A" in row["variant"]
        assert row["strength"] == "A"
    # CIViC's item is about homozygous carriers: one copy does not reach it, CPIC's 50 % dose reduction does.
    one_copy = match_therapies(store, ["KRAS G12D", "DPYD *1/*2A"], "colorectal cancer").as_json()
    assert cautions(one_copy, source="CIViC") == []
    assert {c["action"] for c in cautions(one_copy, source="CPIC", gene="DPYD")} == {"reduce_dose"}


def test_a_cautioned_drug_on_the_therapy_list_is_marked_and_first(embedded: Store) -> None:
    answer = match_therapies(embedded, ["BRAF V600E", "DPYD *2A/*2A"], "colorectal cancer").as_json()
    therapies = {t["therapy"] for t in answer["therapies"] if "Capecitabine" in t["drugs"]}
    assert therapies
    first = answer["pgx_cautions"][0]
    assert first["drug"].lower() == "capecitabine"
    assert first["on_therapy_list"] is True
    (cpic,) = cautions(answer, source="CPIC", drug=first["drug"])
    assert set(cpic["therapies"]) == therapies
    with_capecitabine = [t for t in answer["therapies"] if t["therapy"] in therapies]
    assert all(any(p["action"] == "avoid" for p in t["pgx"]) for t in with_capecitabine)
    off_list = [c for c in answer["pgx_cautions"] if not c["on_therapy_list"]]
    assert answer["pgx_cautions"].index(off_list[0]) > answer["pgx_cautions"].index(cpic)


# --------------------------------------------------------------------- CYP2C19


def test_cyp2c19_poor_metaboliser_is_told_to_avoid_clopidogrel_in_every_cpic_population(store: Store) -> None:
    answer = match_therapies(store, ["BRAF V600E", "CYP2C19 *2/*2"], "melanoma").as_json()
    clopidogrel = cautions(answer, drug="clopidogrel")
    assert len(clopidogrel) == 3  # one per CPIC population
    assert {c["action"] for c in clopidogrel} == {"avoid"}
    (acs,) = [c for c in clopidogrel if c["population"] == "CVI ACS PCI"]
    assert plain(acs["text"]) == cpic_text("CPIC_clopidogrel_and_CYP2C19.json", {"CYP2C19": "Poor Metabolizer"},
                                           "CVI ACS PCI")  # fmt: skip


def test_cyp2c19_ultrarapid_metaboliser_gets_every_non_standard_cpic_action_and_nothing_else(store: Store) -> None:
    answer = match_therapies(store, ["BRAF V600E", "CYP2C19 *17/*17"], "melanoma").as_json()
    everything = lookup_diplotypes(store, ["CYP2C19 *17/*17"]).as_dict()["recommendations"]
    expected = {(r["drug"], r["population"]) for r in everything if r["action"] in CAUTION_ACTIONS}
    assert {(c["drug"], c["population"]) for c in answer["pgx_cautions"]} == expected
    assert {c["action"] for c in answer["pgx_cautions"]} <= set(CAUTION_ACTIONS)
    left_out = {r["drug"] for r in everything if r["action"] in ("standard_dose", "no_recommendation")}
    assert "clopidogrel" in left_out  # standard dosing for ultrarapid metabolisers: not a caution
    assert "clopidogrel" not in {c["drug"] for c in answer["pgx_cautions"]}
    (omeprazole,) = cautions(answer, drug="omeprazole")
    assert omeprazole["action"] == "increase_dose"
    assert plain(omeprazole["text"]) == cpic_text(
        "CPIC_lansoprazole_omeprazole_pantoprazole_and_CYP2C19.json",
        {"CYP2C19": "Ultrarapid Metabolizer"},
        drug="omeprazole",
    )


def test_warnings_about_drugs_neither_on_the_list_nor_cautioned_are_dropped(embedded: Store) -> None:
    texts = ["CYP2C19 *17/*17", "CYP2D6 activity score 2.0"]
    full = lookup_diplotypes(embedded, texts).as_dict()
    answer = match_therapies(embedded, ["BRAF V600E", *texts], "melanoma").as_json()
    shown = {c["drug"] for c in answer["pgx_cautions"]} | {p["drug"] for t in answer["therapies"] for p in t["pgx"]}
    per_drug = [w for w in full["warnings"] if w.split(":", 1)[0] in {r["drug"] for r in full["recommendations"]}]
    noisy = [w for w in per_drug if w.split(":", 1)[0] not in shown]
    assert noisy, "the genotype must have warnings about drugs that are not shown, or this test proves nothing"
    for warning in noisy:
        assert warning not in answer["warnings"]
    for warning in answer["warnings"]:
        drug = warning.split(":", 1)[0]
        assert drug in shown or drug not in {r["drug"] for r in full["recommendations"]}


# ------------------------------------------------------------------ TPMT/NUDT15


def test_tpmt_and_nudt15_together_select_cpic_thiopurine_advice(store: Store) -> None:
    answer = match_therapies(store, ["BRAF V600E", "TPMT *3A/*3A", "NUDT15 *1/*3"], "melanoma").as_json()
    rows = {c["drug"].lower(): c for c in cautions(answer, gene="NUDT15 + TPMT")}
    assert {"azathioprine", "mercaptopurine", "thioguanine"} <= set(rows)
    assert rows["mercaptopurine"]["genotype"] == "NUDT15: Intermediate Metabolizer; TPMT: Poor Metabolizer"
    assert plain(rows["mercaptopurine"]["text"]) == cpic_text(
        "CPIC_mercaptopurine_and_NUDT15_TPMT.json", {"NUDT15": "Intermediate Metabolizer", "TPMT": "Poor Metabolizer"}
    )
    assert rows["mercaptopurine"]["missing_genes"] == []
    assert rows["azathioprine"]["action"] in ("reduce_dose", "alternative", "avoid")


def test_tpmt_alone_shows_cpic_advice_for_nudt15_no_result_and_names_the_missing_gene(embedded: Store) -> None:
    answer = match_therapies(embedded, ["BRAF V600E", "TPMT *1/*3A"], "melanoma").as_json()
    # CPIC's "mercaptopurine" is CIViC's "Mercaptopurine": one drug, shown as CIViC spells it.
    (row,) = [c for c in cautions(answer, gene="NUDT15 + TPMT") if c["drug"] == "Mercaptopurine"]
    assert row["missing_genes"] == ["NUDT15"]
    assert row["action"] == "reduce_dose"
    assert any(w.startswith("Mercaptopurine: ") and "NUDT15" in w for w in answer["warnings"])


# ---------------------------------------------------------------------- UGT1A1


def test_ugt1a1_star28_homozygote_gets_cpic_atazanavir_and_civic_germline_evidence(store: Store) -> None:
    answer = match_therapies(store, ["BRAF V600E", "UGT1A1 *28/*28"], "melanoma").as_json()
    (atazanavir,) = cautions(answer, drug="atazanavir")
    assert (atazanavir["action"], atazanavir["genotype"]) == ("alternative", "Poor Metabolizer")
    civic = cautions(answer, source="CIViC")
    assert civic
    assert {c["variant"] for c in civic} == {"UGT1A1 UGT1A1*28"}
    assert "Belinostat" in {c["drug"] for c in civic}
    assert all(c["action"] == "adverse response" for c in civic)
    # *80+*28 carries *28 too (PharmCAT's combined allele): the same evidence is reached.
    combined = match_therapies(store, ["BRAF V600E", "UGT1A1 *1/*80+*28"], "melanoma").as_json()
    assert {c["id"] for c in cautions(combined, source="CIViC")} == {c["id"] for c in civic}


# ------------------------------------------------------------ outside calls, CYP2D6


def test_an_outside_cyp2d6_phenotype_reaches_cpic_tamoxifen_advice_in_breast_cancer(store: Store) -> None:
    answer = match_therapies(store, ["PIK3CA H1047R"], "breast cancer",
                             pgx_calls=["CYP2D6 *1/*4 Poor Metabolizer"]).as_json()  # fmt: skip
    (tamoxifen,) = [c for c in answer["pgx_cautions"] if c["drug"].lower() == "tamoxifen"]
    assert tamoxifen["action"] == "alternative"
    assert plain(tamoxifen["text"]) == cpic_text("CPIC_tamoxifen_and_CYP2D6.json", {"CYP2D6": "0.0"})
    assert tamoxifen["on_therapy_list"] is True  # tamoxifen combinations match PIK3CA in breast cancer
    assert answer["pgx_cautions"][0] == tamoxifen


def test_a_cyp2d6_diplotype_without_phenotype_says_what_is_missing_for_tamoxifen(embedded: Store) -> None:
    answer = match_therapies(embedded, ["PIK3CA H1047R", "CYP2D6 *1/*3"], "breast cancer").as_json()
    assert not [c for c in answer["pgx_cautions"] if c["drug"].lower() == "tamoxifen"]
    (note,) = [w for w in answer["warnings"] if "(on the therapy list)" in w]
    assert "Tamoxifen" in note
    assert "CYP2D6 *1/*3 has no phenotype" in note
    (given,) = [i for i in answer["inputs"]["variants"] if i["input"] == "CYP2D6 *1/*3"]
    assert "give the phenotype or activity score" in given["message"]


def test_pharmcats_example_outside_calls_with_its_reported_cyp2d6_phenotype(embedded: Store, tmp_path: Path) -> None:
    # PharmCAT's example 1 report calls the outside CYP2D6 *1/*3 an Intermediate Metabolizer, activity score 1.0.
    lines = OUTSIDE_CALLS.read_text(encoding="utf-8").splitlines()
    lines = [line + "\tIntermediate Metabolizer\t1.0" if line.startswith("CYP2D6\t") else line for line in lines]
    calls = tmp_path / "outside.tsv"
    calls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "queries.cli", "match", "--variant", "PIK3CA H1047R", "--disease", "breast cancer",
         "--outside-calls", str(calls), "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home()), "PMKG_STORE": "embedded"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    (tamoxifen,) = [c for c in answer["pgx_cautions"] if c["drug"].lower() == "tamoxifen"]
    assert plain(tamoxifen["text"]) == cpic_text("CPIC_tamoxifen_and_CYP2D6.json", {"CYP2D6": "1.0"})
    statuses = {i["input"]: i["status"] for i in answer["inputs"]["variants"]}
    assert statuses == {"PIK3CA H1047R": "normalized", "CYP2D6 *1/*3 Intermediate Metabolizer activity score 1.0":
                        "normalized", "HLA-B *15:02/*57:01": "normalized", "MT-RNR1 1555A>G": "normalized"}  # fmt: skip
    aminoglycosides = [c for c in answer["pgx_cautions"] if c["gene"] == "MT-RNR1"]
    assert aminoglycosides
    assert {c["action"] for c in aminoglycosides} == {"avoid"}
    assert {"abacavir", "carbamazepine"} <= {c["drug"].lower() for c in answer["pgx_cautions"] if "HLA-B" in c["gene"]}


def test_match_table_has_its_own_pgx_cautions_section(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "queries.cli", "match", "--variant", "BRAF V600E", "--variant", "DPYD *2A/*2A",
         "--disease", "colorectal cancer"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(starter_home()), "PMKG_STORE": "embedded", "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    section = done.stdout.split("PGx cautions", 1)[1]
    assert "Capecitabine" in section
    assert "fluorouracil" in section
    assert "avoid (strong)" in section
    assert "yes: " in section  # capecitabine is on the therapy list


def starter_home() -> Path:
    """A PMKG_HOME whose graph is the session's embedded starter graph (for the command as a user runs it)."""
    return embedded_starter().folder.parent  # the graph is PMKG_HOME/graph
