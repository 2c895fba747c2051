"""PGx cautions as a tumour board reads them: the drugs of cancer care first, every input accounted for.

A CYP2D6 poor metaboliser with breast cancer saw tamoxifen tenth, below nine "avoid" rows for tricyclic
antidepressants and opioids (cautions were ordered by the therapy list, then by action).  Now drugs on the therapy
list come first, then drugs the build's oncology evidence names (tamoxifen, fluoropyrimidines, thiopurines …), then
the rest, in the JSON, the table, the TSV and the HTTP API alike.

Probing ~110 calls written as reports write them found, besides: two calls of one gene that disagree (``DPYD *1/*2A``
and ``DPYD poor metabolizer``) kept whichever came first, so "avoid" could be lost; a diplotype and its phenotype
given apart (``CYP2D6 *4/*4``, ``CYP2D6 poor metabolizer``) lost the phenotype when the diplotype came first, and
with it tamoxifen's caution; a star left out (``CYP2C19 2/17``), a CPIC phenotype the reader lacked words for
(``TPMT possible intermediate metabolizer``, ``G6PD normal``, ``HLA-B *57:01 positive``) or an allele the data does
not define (``G6PD Mediterranean/Mediterranean``, ``DPYD c.1236G>A/c.1236G>A``) was read as a tumour variant
("no variant or class called …").  Real starter graph, embedded and Neo4j; CPIC's texts from its bundled files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kg.schema import Label
from kg.stores.port import Store
from queries.matching import match_therapies
from tests.pmkg_cli import pmkg
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind
from tests.queries.test_pgx_cautions import cpic_text, plain


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


# ------------------------------------------------------------------ every call is read, or says why


def inputs_of(answer: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {i["input"]: (i["status"], i["message"]) for i in answer["inputs"]["variants"]}


def test_two_calls_of_one_gene_that_disagree_show_cpic_advice_for_both(store: Store) -> None:
    answer = match_therapies(store, ["DPYD *1/*2A", "DPYD poor metabolizer"], "colorectal cancer").as_json()
    for status, message in inputs_of(answer).values():
        assert status == "ambiguous"
        assert message.startswith("the DPYD calls given disagree: 'DPYD *1/*2A' (Intermediate Metabolizer); "
                                  "'DPYD poor metabolizer' (Poor Metabolizer)")  # fmt: skip
    fluorouracil = [c for c in answer["pgx_cautions"] if c["drug"] == "Fluorouracil" and c["source"] == "CPIC"]
    assert {c["action"] for c in fluorouracil} == {"avoid", "reduce_dose"}
    (reduced,) = [c for c in fluorouracil if c["action"] == "reduce_dose"]
    assert plain(reduced["text"]) == cpic_text("CPIC_fluorouracil_and_DPYD.json", {"DPYD": "1.0"})
    assert fluorouracil[0]["action"] == "avoid"  # the more serious first
    assert "DPYD: the call is ambiguous; recommendations are shown for each possible call" in answer["warnings"]


@pytest.mark.parametrize("order", [1, -1])
def test_a_diplotype_and_its_phenotype_given_apart_are_one_call(store: Store, order: int) -> None:
    answer = match_therapies(store, ["CYP2D6 *4/*4", "CYP2D6 poor metabolizer"][::order], "breast cancer").as_json()
    assert set(inputs_of(answer).values()) == {("normalized", "CYP2D6 *4/*4: Poor Metabolizer")}
    first = answer["pgx_cautions"][0]
    assert (first["drug"], first["action"], first["genotype"]) == ("Tamoxifen", "alternative", "Poor Metabolizer")


@pytest.mark.parametrize(
    ("typed", "starred", "disease"),
    [("DPYD 1/2A", "DPYD *1/*2A", "colorectal cancer"), ("ugt1a1 28/28", "UGT1A1 *28/*28", "colorectal cancer"),
     ("CYP2C19 2/17", "CYP2C19 *2/*17", "breast cancer"), ("NUDT15 1/3", "NUDT15 *1/*3", "ALL")],
)  # fmt: skip
def test_a_diplotype_written_without_stars_is_the_starred_one(store: Store, typed: str, starred: str,
                                                              disease: str) -> None:  # fmt: skip
    without, star = (match_therapies(store, [v], disease).as_json() for v in (typed, starred))
    assert inputs_of(without)[typed] == inputs_of(star)[starred]
    assert without["pgx_cautions"] == star["pgx_cautions"] != []


def cpic_phenotype_calls() -> list[str]:
    """Each phenotype CPIC names in the starter, written after its gene as a laboratory reports it.

    CYP2D6's lookup names ("CYP2D6 activity score 1.0") are activity scores, given as such elsewhere; VKORC1's
    ("-1639 AA") are its rs9923231 genotype, given as the bases."""
    graph = embedded_starter()
    calls = set()
    for node in graph.nodes_with_label(Label.PHENOTYPE):
        gene, phenotype = str(node.props["gene"]), str(node.props.get("phenotype") or node.name)
        if "activity score" not in phenotype and not phenotype.startswith("-1639"):
            calls.add(f"{gene} {phenotype.lower()}")
    return sorted(calls)


def test_every_phenotype_cpic_names_is_read_as_an_outside_call(store: Store) -> None:
    calls = cpic_phenotype_calls()
    assert {"TPMT possible intermediate metabolizer", "G6PD normal", "HLA-B *57:01 positive"} <= set(calls)
    for call in calls:  # one patient each: two phenotypes of one gene would disagree
        status, message = inputs_of(match_therapies(store, [call], None).as_json())[call]
        assert status == "normalized", (call, message)
        assert message.lower().endswith(call.split(" ", 1)[1]), (call, message)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("G6PD Mediterranean/Mediterranean", "G6PD has no allele 'Mediterranean'; did you mean Mediterranean, Dallas, "
                                             "Panama, Sassari, Cagliari, Birmingham?"),
        ("DPYD c.1236G>A/c.1236G>A", "DPYD has no allele 'c.1236G>A'; did you mean c.1129-5923C>G, c.1236G>A (HapB3)"),
        ("DPYD *99/*1", "DPYD has no allele '*99'"),
        ("TP53 poor metabolizer", "TP53 has no pharmacogenomic data in the graph"),
    ],
)  # fmt: skip
def test_a_call_that_cannot_be_read_says_why_in_pgx_terms(store: Store, typed: str, message: str) -> None:
    answer = match_therapies(store, [typed], "acute myeloid leukemia").as_json()
    status, said = inputs_of(answer)[typed]
    assert status == "unrecognized"
    assert said.startswith(message)
    assert answer["pgx_cautions"] == []


def test_g6pd_deficient_with_aml_is_told_to_avoid_rasburicase_in_cpic_words(store: Store) -> None:
    answer = match_therapies(store, ["G6PD deficiency"], "acute myeloid leukemia").as_json()
    assert inputs_of(answer)["G6PD deficiency"] == ("normalized", "G6PD: Deficient")
    (rasburicase,) = [c for c in answer["pgx_cautions"] if c["drug"] == "rasburicase"]
    assert (rasburicase["action"], rasburicase["strength"]) == ("avoid", "strong")
    guideline = "CPIC_dapsone_methylene_blue_pegloticase_rasburicase_tafenoquine_toluidine_blue_and_G6PD.json"
    assert plain(rasburicase["text"]) == cpic_text(guideline, {"G6PD": "Deficient"}, drug="rasburicase")
