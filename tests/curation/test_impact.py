"""Impact on patient answers of the Disease Ontology 2026-07-31 release over 2025-12-23: it files estrogen
receptor-positive breast cancer under the new hormone receptor-positive breast cancer and triple-negative
breast cancer under HER2-negative breast cancer, which changes how CIViC evidence reaches patients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.curation.conftest import DO_2026_07, curate_json
from tests.pmkg_cli import pmkg


@pytest.fixture(scope="module")
def report(home_do_2025_12: Path) -> dict[str, Any]:
    return curate_json(home_do_2025_12, "diff", "--source", f"disease_ontology={DO_2026_07}")


def _change(report: dict[str, Any], kind: str, variant: str, disease: str, therapy: str) -> dict[str, Any]:
    wanted = (kind, [variant], disease, therapy)
    found = [c for c in report["impact"]["changes"] if (c["kind"], c["variants"], c["disease"], c["therapy"]) == wanted]
    assert len(found) == 1, f"no single {kind} for {variant} / {disease} / {therapy}"
    return found[0]


def test_olaparib_for_brca1_in_her2_negative_breast_cancer_becomes_an_exact_disease_match(
    report: dict[str, Any],
) -> None:
    # Triple-negative breast cancer (CIViC's Olaparib evidence) is now a subtype of HER2-negative breast cancer.
    moved = {c["term_id"]: c for c in report["terms"]["changes"] if c["kind"] == "moved"}
    assert moved["DOID:0060081"]["after"] == ["DOID:0060080", "DOID:0070785"]
    olaparib = _change(report, "disease_match_changed", "BRCA1 mutation", "DOID:0060080", "Olaparib")
    assert (olaparib["before"], olaparib["after"], olaparib["origin"]) == ("ancestor", "exact", "graph")


def test_tamoxifen_evidence_in_er_positive_disease_no_longer_reaches_her2_positive_patients(
    report: dict[str, Any],
) -> None:
    assert {c["term_id"]: c["after"] for c in report["terms"]["changes"] if c["kind"] == "moved"}["DOID:0060075"] == [
        "DOID:0070784"
    ]
    tamoxifen = _change(report, "disease_match_changed", "PIK3CA E545K", "DOID:0060079", "Tamoxifen")
    assert (tamoxifen["before"], tamoxifen["after"]) == ("ancestor", "other")


def test_a_diagnosis_the_release_creates_now_resolves(report: dict[str, Any]) -> None:
    created = _change(report, "diagnosis_changed", "PIK3CA mutation", "DOID:0070784", "")
    assert (created["before"], created["after"]) == (None, "DOID:0070784")
    listed: dict[str, int] = {}
    for change in report["impact"]["changes"]:
        listed[change["kind"]] = listed.get(change["kind"], 0) + 1
    assert report["impact"]["counts"] == listed
    assert report["impact"]["changed_queries"] <= report["impact"]["queries"]


def test_saved_patients_from_a_panel_file_are_re_run_and_named(home_do_2025_12: Path, tmp_path: Path) -> None:
    panel = tmp_path / "tumour-board.tsv"
    panel.write_text("variants\tdisease\nBRCA1 mutation\tDOID:0060080\nKRAS G12C\tlung adenocarcinoma\n")
    report = curate_json(home_do_2025_12, "diff", "--source", f"disease_ontology={DO_2026_07}", "--panel", str(panel))
    saved = [c for c in report["impact"]["changes"] if c["origin"] == "tumour-board.tsv"]
    assert [(c["kind"], c["therapy"], c["before"], c["after"]) for c in saved if c["therapy"] == "Olaparib"] == [
        ("disease_match_changed", "Olaparib", "ancestor", "exact")
    ]
    as_json = tmp_path / "patients.json"
    as_json.write_text(json.dumps({"patients": [{"variants": ["BRCA1 mutation"], "disease": "DOID:0060080"}]}))
    again = curate_json(home_do_2025_12, "diff", "--source", f"disease_ontology={DO_2026_07}", "--panel", str(as_json))
    assert any(c["origin"] == "patients.json" and c["therapy"] == "Olaparib" for c in again["impact"]["changes"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("gene\tdisease\nBRAF\tmelanoma\n", "line 1: the header needs a 'variants' column"),
        ("variants\tdisease\n\tmelanoma\n", "line 2: no variants"),
        ('[{"disease": "melanoma"}]', 'patient 1 needs "variants"'),
        ("[{", "not valid JSON"),
    ],
)
def test_a_bad_panel_is_refused_before_anything_is_built(
    home_do_2025_12: Path, tmp_path: Path, content: str, message: str
) -> None:
    panel = tmp_path / "panel.txt"
    panel.write_text(content)
    done = pmkg(home_do_2025_12, "curate", "diff", "--source", f"disease_ontology={DO_2026_07}", "--panel", str(panel))
    assert done.returncode == 2
    assert message in done.stderr
    assert str(panel) in done.stderr
    assert "Traceback" not in done.stderr


def test_a_panel_diagnosis_missing_from_a_build_is_answered_as_a_full_match_would(home_do_2025_12: Path) -> None:
    # The impact report skips the spelling suggestions of an id the build lacks (DOID:0070785 is created in
    # 2026-07-31); the therapies must be exactly those of a full match.
    from kg.stores.embedded import EmbeddedStore
    from queries.curation_impact import PanelQuery, _answer, summary_of
    from queries.services.match import match_alterations

    store = EmbeddedStore(home_do_2025_12 / "graph")
    try:
        full = match_alterations(store, ["BRCA1 mutation"], "DOID:0070785")
        quick = _answer(store, PanelQuery(("BRCA1 mutation",), "DOID:0070785"))
    finally:
        store.close()
    assert full.inputs.disease is not None
    assert (full.inputs.disease.id, quick.disease_id) == (None, None)
    assert quick == summary_of(full)  # every therapy id, name, tier, significance and match
    assert quick.entries


def test_the_impact_report_compares_exactly_what_a_typed_match_answer_says(home_do_2025_12: Path) -> None:
    # The panel reads its answers straight from the match result (no JSON, no explanations); on real panel
    # queries that reading must equal the typed answer a user gets.
    from kg.stores.embedded import EmbeddedStore
    from queries.curation_impact import _answer, default_panel, summary_of
    from queries.services.match import match_alterations

    store = EmbeddedStore(home_do_2025_12 / "graph")
    try:
        panel = default_panel([store])[::40]
        assert len(panel) > 30
        for query in panel:
            typed = summary_of(match_alterations(store, list(query.variants), query.disease))
            assert _answer(store, query) == typed, query
        assert any(_answer(store, q).entries for q in panel)
    finally:
        store.close()
