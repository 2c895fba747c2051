"""Therapy matching on the real starter graph (CIViC 01-Aug-2021): what a tumour board would read, in both stores."""

from __future__ import annotations

from typing import Any

import pytest

from kg.stores.port import Store
from queries.matching import MatchResult, match_therapies
from queries.ranking import TherapyResult
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, neo4j_starter, store_of_kind


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def entries(result: MatchResult, therapy: str) -> list[TherapyResult]:
    return [t for t in result.therapies if t.therapy.name == therapy]


def sensitivity(result: MatchResult, therapy: str) -> TherapyResult:
    (entry,) = [t for t in entries(result, therapy) if t.significance == "sensitivity"]
    return entry


def position(result: MatchResult, therapy: str, significance: str = "sensitivity") -> int:
    return next(
        i for i, t in enumerate(result.therapies) if t.therapy.name == therapy and t.significance == significance
    )


def assert_ranked(result: MatchResult) -> None:
    """Sensitivity entries come in rank-key order; each therapy's resistance entry right after its sensitivity one."""
    keys = [t.rank_key() for t in result.therapies if t.significance == "sensitivity"]
    assert keys == sorted(keys)
    for index, entry in enumerate(result.therapies):
        if entry.significance != "sensitivity" and any(
            t.therapy.id == entry.therapy.id and t.significance == "sensitivity" for t in result.therapies
        ):
            assert result.therapies[index - 1].therapy.id == entry.therapy.id


# ------------------------------------------------------------------ ranking on real CIViC data


def test_braf_v600e_in_melanoma(store: Store) -> None:
    result = match_therapies(store, ["BRAF V600E"], "melanoma")
    assert_ranked(result)
    # BRAF + MEK combinations open the answer (today's standard); vemurafenib alone, tier 1 too, follows
    # them because it also carries resistance evidence (colorectal cancer), outweighed in melanoma but shown:
    # at the same level a therapy with no contrary evidence comes first.
    top = [t for t in result.therapies if t.significance == "sensitivity"][:2]
    assert {t.therapy.name for t in top} == {"Cobimetinib + Vemurafenib", "Dabrafenib + Trametinib"}
    assert position(result, "Vemurafenib") > position(result, "Dabrafenib + Trametinib")
    assert sensitivity(result, "Vemurafenib").tier == 1
    for entry in (*top, sensitivity(result, "Vemurafenib")):
        assert (entry.significance, entry.tier, entry.variant_match, entry.disease_match) == (
            "sensitivity",
            1,
            "exact",
            "exact",
        )
    dt = sensitivity(result, "Dabrafenib + Trametinib")
    assert {d.name for d in dt.drugs} == {"Dabrafenib", "Trametinib"}
    assert "CIVIC.AID:7" in {h.evidence.id for h in dt.hits}  # the AMP tier I assertion in melanoma
    # Codon-level evidence (BRAF V600) ranks below exact evidence of the same tier and disease.
    assert sensitivity(result, "Binimetinib + Encorafenib").variant_match == "codon"
    assert position(result, "Binimetinib + Encorafenib") > position(result, "Dabrafenib + Trametinib")
    # Vemurafenib resistance (colorectal cancer) is shown beside it, without demoting it in melanoma.
    assert position(result, "Vemurafenib", "resistance") == position(result, "Vemurafenib") + 1
    assert not sensitivity(result, "Vemurafenib").demoted
    assert any(w.startswith("Vemurafenib: resistance evidence shown beside it") and "outweighed" in w
               for w in result.warnings)  # fmt: skip


def test_egfr_t790m_and_l858r_in_lung_adenocarcinoma(store: Store) -> None:
    result = match_therapies(store, ["EGFR T790M", "EGFR L858R"], "LUAD")
    assert_ranked(result)
    first = result.therapies[0]
    assert (first.therapy.name, first.tier, first.variant_match) == ("Osimertinib", 1, "exact")
    for name in ("Erlotinib", "Gefitinib"):
        entry = sensitivity(result, name)
        assert entry.standing == "resistant"  # T790M: clinical resistance in this patient's disease
        assert position(result, name, "resistance") == position(result, name) + 1
        assert position(result, name) > position(result, "Osimertinib")
        assert any(w.startswith(f"{name}: resistance in this patient") and "EGFR T790M" in w for w in result.warnings)
    resistance = next(t for t in entries(result, "Erlotinib") if t.significance == "resistance")
    assert "CIVIC.EID:238" in {h.evidence.id for h in resistance.hits}  # level A: T790M resistance to erlotinib


def test_kras_g12c_reaches_codon_exon_and_gene_classes(store: Store) -> None:
    result = match_therapies(store, ["KRAS G12C"], "non-small cell lung carcinoma")
    assert_ranked(result)
    targets = {h.target.id for t in result.therapies for h in t.hits}
    assert {"PMKG:variant/KRAS:G12C", "PMKG:class/KRAS:mutation"} <= targets
    assert {t.variant_match for t in result.therapies} >= {"exact", "gene_class"}
    # One alteration carries both: G12C-specific sensitivity (CIVIC.EID:1142, B) and KRAS-mutation resistance
    # (CIVIC.EID:2998, A, SELECT-1).  DESIGN.md step 4: the more specific match decides, so the therapy is not
    # demoted, but the resistance is shown beside it, a warning names it, and every tier-2 NSCLC therapy
    # without contrary evidence ranks above it.
    docetaxel = sensitivity(result, "Docetaxel + Selumetinib")
    assert docetaxel.standing == "clear"
    assert docetaxel.tier == 2
    assert position(result, "Docetaxel + Selumetinib", "resistance") == position(result, "Docetaxel + Selumetinib") + 1
    assert any(w.startswith("Docetaxel + Selumetinib: resistance evidence shown beside it") and "CIVIC.EID:2998" in w
               for w in result.warnings)  # fmt: skip
    uncontested = [t for t in result.therapies if t.significance == "sensitivity" and t.tier == 2
                   and t.standing == "clear" and t.disease_match != "other"
                   and not t.entry.standing.outweighed]  # fmt: skip
    assert uncontested
    assert all(position(result, t.therapy.name) < position(result, "Docetaxel + Selumetinib") for t in uncontested)


def test_erbb2_amplification(store: Store) -> None:
    result = match_therapies(store, ["HER2 amplification"], "breast cancer")
    trastuzumab = sensitivity(result, "Trastuzumab")
    assert (trastuzumab.tier, trastuzumab.variant_match) == (1, "exact")
    assert trastuzumab.disease_match == "exact"  # HER2-positive breast cancer is a subtype of breast cancer
    assert result.therapies[0].tier == 1


def test_eml4_alk_reaches_alk_fusion_evidence(store: Store) -> None:
    result = match_therapies(store, ["EML4-ALK"], "LUAD")
    crizotinib = sensitivity(result, "Crizotinib")
    assert (crizotinib.tier, crizotinib.variant_match, crizotinib.disease_match) == (1, "gene_class", "ancestor")
    assert {h.specificity for h in crizotinib.hits} == {"exact", "gene_class"}  # EML4::ALK and ALK fusion
    assert [t.therapy.name for t in result.therapies[:2]] == ["Crizotinib", "Alectinib"]


def test_no_disease_means_no_proximity(store: Store) -> None:
    result = match_therapies(store, ["BRAF V600E"])
    assert result.as_json()["inputs"]["disease"] is None
    assert {t.disease_match for t in result.therapies} == {None}
    assert result.therapies[0].tier == 1


# ------------------------------------------------------------------ molecular profiles, against the whole patient


def test_profile_holds_only_for_the_whole_combination(store: Store) -> None:
    def evidence(variants: list[str]) -> set[str]:
        result = match_therapies(store, variants)
        return {h.evidence.id for t in result.therapies for h in t.hits}

    assert "CIVIC.EID:73" not in evidence(["BRAF V600E"])  # BRAF V600E AND BRAF V600M
    assert "CIVIC.EID:73" in evidence(["BRAF V600E", "BRAF V600M"])
    assert "CIVIC.EID:11599" not in evidence(["EGFR L858R"])  # EGFR L858R AND EGFR T790M: osimertinib
    assert "CIVIC.EID:11599" in evidence(["EGFR L858R", "EGFR T790M"])
    assert "CIVIC.EID:1397" not in evidence(["EGFR T790M"])  # EGFR T790M AND EGFR Exon 19 Deletion
    assert "CIVIC.EID:1397" in evidence(["EGFR T790M", "EGFR L747_T751del"])  # a deletion in the class by rule
    either = {"CIVIC.EID:2156", "CIVIC.EID:3791", "CIVIC.EID:4759"}  # EGFR L858R OR EGFR Exon 19 Deletion
    assert either <= evidence(["EGFR L858R"])
    assert either <= evidence(["EGFR L747_T751del"])


def test_profile_explanation_names_the_profile(store: Store) -> None:
    result = match_therapies(store, ["BRAF V600E", "BRAF V600M"])
    lines = [line for t in result.therapies for line in t.as_json()["explanation"] if "CIVIC.EID:73 " in line]
    assert lines
    assert all("holds for this patient" in line for line in lines)
    assert all(
        0 in t.input_indexes and 1 in t.input_indexes
        for t in result.therapies
        if any(h.evidence.id == "CIVIC.EID:73" for h in t.hits)
    )


# ------------------------------------------------------------------ the answer's shape and its inputs

THERAPY_KEYS = ["therapy", "therapy_id", "drugs", "drug_ids", "significance", "tier", "levels", "variant_match",
                "disease_match", "standing", "standing_reason", "active_against_resistance", "evidence", "explanation",
                "pgx"]  # fmt: skip


def test_json_shape(store: Store) -> None:
    answer = match_therapies(store, ["BRAF V600E", "FOO1 V600E", "BRAF V600Z"], "melanoma").as_json()
    assert list(answer) == ["build", "inputs", "therapies", "pgx_cautions", "unknown_significance", "warnings"]
    assert list(answer["build"]) == ["id", "sources"]
    assert {s["name"] for s in answer["build"]["sources"]} >= {"civic", "disease_ontology", "oncotree", "genes"}
    assert all(list(s) == ["name", "version", "license"] for s in answer["build"]["sources"])
    assert list(answer["inputs"]) == ["variants", "disease"]
    assert answer["inputs"]["disease"] == {"input": "melanoma", "id": "DOID:1909", "name": "melanoma"}
    rows = answer["inputs"]["variants"]
    assert [list(r) for r in rows] == [["input", "status", "variant", "message"]] * 3
    assert [r["status"] for r in rows] == ["normalized", "unrecognized", "unrecognized"]
    assert rows[0]["variant"] == {"id": "PMKG:variant/BRAF:V600E", "name": "BRAF V600E"}
    assert rows[1]["variant"] is None
    assert rows[1]["message"].startswith("unknown gene FOO1")
    assert "Z is not an amino acid" in rows[2]["message"]
    therapy = answer["therapies"][0]
    assert list(therapy) == THERAPY_KEYS
    assert all(list(e) == ["source", "id", "level", "disease", "citation"] for e in therapy["evidence"])
    assert therapy["levels"]["civic"]
    assert therapy["explanation"][0].startswith("BRAF V600E → BRAF V600E [PMKG:variant/BRAF:V600E]")
    assert therapy["pgx"] == []
    assert any("'FOO1 V600E' was not matched" in w for w in answer["warnings"])


def test_unknown_disease_is_reported_and_matching_goes_on(store: Store) -> None:
    # No disease name is one edit from "zorblax" (a misspelling that can be only one disease is read as it:
    # tests/regressions/test_one_policy_per_question.py).
    answer = match_therapies(store, ["BRAF V600E"], "zorblax carcinoma").as_json()
    assert answer["inputs"]["disease"] == {"input": "zorblax carcinoma", "id": None, "name": None}
    assert any("disease 'zorblax carcinoma' is not in this graph" in w for w in answer["warnings"])
    assert answer["therapies"]


def test_per_input_results(store: Store) -> None:
    result = match_therapies(store, ["EGFR T790M", "EGFR L858R", "FOO1 V600E"], "LUAD")
    t790m, l858r, unknown = result.per_input()
    assert "Osimertinib" in {t.therapy.name for t in t790m.therapies}
    assert (t790m.best_sensitive_tier, t790m.best_resistance_tier) == (1, 1)
    assert "Erlotinib" in {t.therapy.name for t in l858r.therapies if t.significance == "sensitivity"}
    assert unknown.therapies == []
    assert unknown.variant.status == "unrecognized"


def test_deduplicated_evidence(store: Store) -> None:
    """One therapy entry per significance; each evidence item listed once, though reached from two inputs."""
    result = match_therapies(store, ["BRAF V600E", "BRAF V600K"], "melanoma")
    keys = [(t.therapy.id, t.significance) for t in result.therapies]
    assert len(keys) == len(set(keys))
    for entry in result.therapies:
        ids = [e["id"] for e in entry.as_json()["evidence"]]
        assert len(ids) == len(set(ids))


# ------------------------------------------------------------------ both stores, one answer


PATIENTS: list[tuple[list[str], str | None]] = [
    (["BRAF V600E"], "melanoma"),
    (["EGFR T790M", "EGFR L858R"], "LUAD"),
    (["KRAS G12C", "FOO1 V600E"], "NSCLC"),
    (["ERBB2 amplification", "EML4::ALK", "EGFR L747_T751del"], None),
]


def canonical(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: answer[key] for key in ("inputs", "therapies", "warnings")} | {"build": answer["build"]["id"]}


@pytest.mark.neo4j
@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_both_stores_give_the_same_answer(neo4j_uri: str, variants: list[str], disease: str | None) -> None:
    embedded = match_therapies(embedded_starter(), variants, disease).as_json()
    neo4j = match_therapies(neo4j_starter(neo4j_uri), variants, disease).as_json()
    assert canonical(neo4j) == canonical(embedded)
