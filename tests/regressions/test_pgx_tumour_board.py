"""PGx cautions as a tumour board reads them: the drugs of cancer care first, every input accounted for.

A CYP2D6 poor metaboliser with breast cancer saw tamoxifen tenth, below nine "avoid" rows for tricyclic
antidepressants and opioids (cautions were ordered by the therapy list, then by action).  Now drugs on the therapy
list come first, then drugs the build's oncology evidence names (tamoxifen, fluoropyrimidines, thiopurines …), then
the rest, in the JSON, the table, the TSV and the HTTP API alike.  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kg.stores.port import Store
from queries.matching import match_therapies
from tests.pmkg_cli import pmkg
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def cautions(store: Store, variants: list[str], disease: str) -> list[dict[str, Any]]:
    return list(match_therapies(store, variants, disease).as_json()["pgx_cautions"])


def test_a_cyp2d6_poor_metaboliser_with_breast_cancer_sees_tamoxifen_first(store: Store) -> None:
    rows = cautions(store, ["CYP2D6 PM"], "breast cancer")
    assert rows[0]["drug"].lower() == "tamoxifen"
    assert (rows[0]["action"], rows[0]["on_therapy_list"], rows[0]["cancer_care"]) == ("alternative", False, True)
    # Ordered by action alone, the "avoid" rows (codeine, tricyclics) would come before tamoxifen's "alternative".
    avoid = [r["drug"] for r in rows if r["action"] == "avoid"]
    assert {"codeine", "amitriptyline"} <= set(avoid)
    assert not any(r["cancer_care"] for r in rows[1:])


def test_cancer_drugs_come_before_other_drugs_with_a_more_serious_action(store: Store) -> None:
    # CYP2C9 poor metaboliser: meloxicam and celecoxib are in the starter's CIViC evidence (desmoid tumour, head and
    # neck cancer); piroxicam and tenoxicam are not, and share meloxicam's action.
    rows = cautions(store, ["CYP2C9 *3/*3"], "head and neck squamous cell carcinoma")
    drugs = [r["drug"].lower() for r in rows]
    assert drugs[:2] == ["meloxicam", "celecoxib"]  # alternative before reduce_dose within the cancer drugs
    assert [r["cancer_care"] for r in rows[:2]] == [True, True]
    assert drugs.index("celecoxib") < drugs.index("piroxicam")  # reduce_dose (cancer care) before alternative


def test_drugs_on_the_therapy_list_still_come_before_other_cancer_drugs(store: Store) -> None:
    rows = cautions(store, ["BRAF V600E", "DPYD *2A/*2A"], "colorectal cancer")
    first_off_list = next(i for i, r in enumerate(rows) if not r["on_therapy_list"])
    assert first_off_list > 0
    assert rows[first_off_list]["drug"].lower() == "fluorouracil"
    assert rows[first_off_list]["cancer_care"] is True


def test_table_and_json_give_the_same_order() -> None:
    home = embedded_starter().folder.parent
    args = ("match", "--variant", "CYP2D6 PM", "--disease", "breast cancer")
    as_json = pmkg(home, *args, "--format", "json")
    table = pmkg(home, *args, env={"COLUMNS": "250"})
    assert as_json.returncode == 0, as_json.stderr
    assert table.returncode == 0, table.stderr
    drugs = [c["drug"] for c in json.loads(as_json.stdout)["pgx_cautions"]]
    section = table.stdout.split("PGx cautions", 1)[1]
    lines = [line.split("│") for line in section.splitlines() if line.startswith("│")]
    assert [cells[1].strip() for cells in lines if cells[1].strip()] == drugs
    assert lines[0][2].strip() == "no (cancer care)"  # tamoxifen's row says why it is first


def test_tsv_lists_the_cautions_after_the_therapies_in_the_same_order() -> None:
    home = embedded_starter().folder.parent
    args = ("match", "--variant", "PIK3CA H1047R", "--variant", "CYP2D6 PM", "--disease", "breast cancer")
    as_json = json.loads(pmkg(home, *args, "--format", "json").stdout)
    done = pmkg(home, *args, "--format", "tsv")
    assert done.returncode == 0, done.stderr
    therapies, cautions_block = done.stdout.split("\n\n")
    assert len(therapies.splitlines()) == 1 + len(as_json["therapies"])
    header, *rows = [line.split("\t") for line in cautions_block.splitlines()]
    assert header[:5] == ["drug", "on_therapy_list", "therapies", "cancer_care", "source"]
    assert [r[0] for r in rows] == [c["drug"] for c in as_json["pgx_cautions"]]
    assert rows[0][:2] == ["Tamoxifen", "true"]  # on the therapy list (tamoxifen combinations match PIK3CA)
