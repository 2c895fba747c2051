"""A diagnosis written as a clinic writes it: marker status and stage are read, never folded away into another disease.

``HR+/HER2- breast cancer`` resolved to *triple-negative* breast cancer (DO's synonym "HR-/HER2- breast cancer":
disease keys folded "+" and "-" as punctuation), the opposite receptor status.  ``metastatic colorectal cancer``
and ``stage IV NSCLC`` were "not in this graph", so therapies were ranked without disease proximity.  Real starter
graph, embedded and Neo4j.
"""

from __future__ import annotations

import pytest

from kg.disease_names import name_key, token_key
from kg.stores.port import Store
from queries.diseases import resolve_disease
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, store_of_kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def test_a_status_sign_is_part_of_the_disease_key() -> None:
    assert token_key("HR+/HER2- breast cancer") != token_key("HR-/HER2- breast cancer")
    assert token_key("HR+/HER2- breast cancer") != token_key("HR-/HER2+ breast cancer")  # word order cannot swap them
    assert name_key("HER2-/HR- breast cancer") == name_key("HER2-negative/HR-negative breast cancer")


def test_hormone_receptor_positive_breast_cancer_is_not_triple_negative(store: Store) -> None:
    found = resolve_disease(store, "HR+/HER2- breast cancer")
    assert found is not None
    assert found.name == "breast cancer"
    assert any("'HR+/HER2-' left out" in note for note in found.notes)
    negative = resolve_disease(store, "HR-/HER2- breast cancer")
    assert negative is not None
    assert negative.name == "triple-negative breast cancer"


@pytest.mark.parametrize(
    ("written", "disease"),
    [
        ("metastatic colorectal cancer", "colorectal cancer"),
        ("stage IV NSCLC", "NSCLC"),
        ("relapsed/refractory AML", "AML"),
        ("EGFR-mutant lung adenocarcinoma", "lung adenocarcinoma"),
        ("CML chronic phase", "CML"),
        ("CML, blast crisis", "CML"),
        ("AML in first remission", "AML"),
        ("AML with CEBPA mutation", "AML"),
        ("AML with FLT3-ITD mutation", "AML"),
        ("lung adenocarcinoma with EGFR exon 19 deletion", "lung adenocarcinoma"),
        ("NSCLC harboring EGFR mutations", "NSCLC"),
        ("Philadelphia chromosome-positive acute lymphoblastic leukemia", "acute lymphoblastic leukemia"),
        ("basal-like breast cancer", "breast cancer"),
        ("high-grade serous ovarian carcinoma", "high-grade serous ovarian cancer"),
    ],
)
def test_stage_course_and_status_are_read_past(store: Store, written: str, disease: str) -> None:
    read, plain = resolve_disease(store, written), resolve_disease(store, disease)
    assert read is not None
    assert plain is not None
    assert read.id == plain.id
    assert any(f"read as {disease!r}" in note for note in read.notes)
    variants = ["BRAF V600E"]
    ranked = [(t.therapy.name, t.tier) for t in match_therapies(store, variants, written).therapies]
    assert ranked == [(t.therapy.name, t.tier) for t in match_therapies(store, variants, disease).therapies]


def test_metastatic_colorectal_cancer_ranks_as_colorectal_cancer(store: Store) -> None:
    result = match_therapies(store, ["BRAF V600E"], "metastatic colorectal cancer")
    assert result.disease is not None
    assert result.therapies[0].therapy.name == "Cetuximab + Encorafenib"
    assert any("'metastatic' left out" in w for w in result.warnings)


def test_an_alteration_clause_is_said_to_be_left_out_in_words(store: Store) -> None:
    found = resolve_disease(store, "AML with CEBPA mutation")
    assert found is not None
    assert any("no term here names AML with CEBPA mutation, so evidence in any kind of AML counts" in n
               for n in found.notes)  # fmt: skip


@pytest.mark.parametrize(
    ("abbreviation", "disease_id"),
    [
        ("CCA", "DOID:4947"),  # DO gives "CCA" to congenital contractural arachnodactyly
        ("iCCA", "DOID:4928"),
        ("PTC", "DOID:3969"),
        ("MTC", "DOID:3973"),
        ("T-ALL", "DOID:5603"),
    ],
)
def test_oncology_abbreviations_name_the_cancer(store: Store, abbreviation: str, disease_id: str) -> None:
    found = resolve_disease(store, abbreviation)
    assert found is not None
    assert found.id == disease_id
    assert match_therapies(store, ["FGFR2 fusion"], abbreviation).disease is not None


@pytest.mark.parametrize(
    ("written", "disease_id"),
    [
        ("luminal B breast cancer", "DOID:0080674"),  # DO: luminal breast carcinoma B
        ("AML with NPM1 mutation", "ONCOTREE:AMLNPM1"),  # WHO's and OncoTree's "AML with mutated NPM1"
        ("acute myeloid leukemia with NPM1 mutation", "DOID:0081089"),
        ("high-grade serous ovarian carcinoma", "ONCOTREE:HGSOC"),  # OncoTree: High-Grade Serous Ovarian Cancer
    ],
)
def test_a_diagnosis_reads_as_the_name_the_ontologies_give_it(store: Store, written: str, disease_id: str) -> None:
    found = resolve_disease(store, written)
    assert found is not None
    assert found.id == disease_id
    assert any("is not a disease name in this graph; read as" in n for n in found.notes)
