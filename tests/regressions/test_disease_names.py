"""Regressions: disease text clinicians type reached no disease, or the wrong one, on the starter graph.

``glioma``, ``astrocytoma``, ``CRC``, ``mCRPC`` found nothing; ``MDS`` found Miller-Dieker
syndrome (a DO synonym); ``BRCA`` made every breast cancer evidence item "other disease";
``search`` matched whole names only.  The list in ``tests/data/diseases/clinician_disease_names.tsv``
(OncoTree codes and names, DO names and synonyms, abbreviations) holds what each must reach.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.stores.port import Store
from queries.diseases import resolve_disease
from queries.graph_view import view_for
from queries.inputs import read_clinical
from queries.matching import match_therapies
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

NAMES = Path(__file__).resolve().parents[1] / "data" / "diseases" / "clinician_disease_names.tsv"


def _rows() -> list[dict[str, str]]:
    with NAMES.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


ROWS = _rows()


@pytest.fixture(scope="module")
def starter() -> Store:
    return embedded_starter()


def test_the_list_covers_at_least_150_strings_of_every_kind() -> None:
    assert len(ROWS) >= 150
    kinds = {row["kind"] for row in ROWS}
    assert {"OncoTree code", "OncoTree name", "DO name or synonym", "abbreviation", "identifier"} <= kinds


@pytest.mark.parametrize("row", ROWS, ids=[row["text"] for row in ROWS])
def test_disease_text_reaches_its_disease_ontology_term(starter: Store, row: dict[str, str]) -> None:
    found = resolve_disease(starter, row["text"])
    assert found is not None, f"{row['text']!r} resolved to nothing"
    if row["relation"] == "same":
        assert row["doid"] in found.same, (row["text"], found.id, sorted(found.same))
    else:
        assert row["doid"] in found.ancestors, (row["text"], found.id)
        assert row["doid"] not in found.same


def test_mds_is_myelodysplastic_syndrome_not_miller_dieker(starter: Store) -> None:
    found = resolve_disease(starter, "MDS")
    assert found is not None
    assert found.id == "DOID:0050908"
    assert "DOID:0060469" not in found.same


def test_ambiguous_broad_names_resolve_to_the_broad_term(starter: Store) -> None:
    # "lymphoma" and "sarcoma" name DO's broad terms; every subtype is then the same disease.
    for text, doid in (("lymphoma", "DOID:0060058"), ("sarcoma", "DOID:1115")):
        found = resolve_disease(starter, text)
        assert found is not None
        assert found.id == doid
        assert len(found.narrower) >= 20


def test_match_brca_with_erbb2_amplification_counts_breast_evidence_as_the_patients_disease(starter: Store) -> None:
    answer = match_therapies(starter, ["ERBB2 amplification"], "BRCA").as_json()
    assert answer["inputs"]["disease"]["id"] == "ONCOTREE:BRCA"
    breast = [t for t in answer["therapies"] if any(e["disease"]["id"] == "DOID:1612" for e in t["evidence"])]
    assert breast, "no therapy with breast cancer evidence"
    assert {t["disease_match"] for t in breast} <= {"exact", "ancestor"}


@pytest.mark.parametrize("code", ["BRCA", "IDC"])
def test_her2_positive_breast_cancer_evidence_is_the_patients_breast_cancer(starter: Store, code: str) -> None:
    # DO files "HER2 positive breast cancer" beside breast carcinoma, under breast cancer; a biomarker-defined
    # subtype counts as its parent, so trastuzumab's level A evidence is not "other disease" for a breast carcinoma.
    therapies = match_therapies(starter, ["ERBB2 amplification"], code).as_json()["therapies"]
    (trastuzumab,) = [t for t in therapies if t["therapy"] == "Trastuzumab" and t["tier"] == 1]
    assert trastuzumab["disease_match"] == "ancestor"
    assert "DOID:0060079" in {e["disease"]["id"] for e in trastuzumab["evidence"]}
    # Every tier-1 answer is breast evidence, none "other disease".
    assert {t["disease_match"] for t in therapies if t["tier"] == 1} == {"ancestor"}


def test_an_oncotree_type_mapped_through_its_ancestor_says_so(starter: Store) -> None:
    answer = match_therapies(starter, ["IDH1 R132H"], "DIFG")
    assert any("OncoTree DIFG" in w and "ancestor BRAIN" in w for w in answer.warnings)


def test_an_unmapped_oncotree_code_says_so(starter: Store) -> None:
    found = resolve_disease(starter, "CUP")
    assert found is not None
    assert found.id == "ONCOTREE:CUP"
    assert any("maps to no Disease Ontology term" in note for note in found.notes)


@pytest.mark.parametrize(
    ("text", "first"),
    [("adenocarc lung", "DOID:3910"), ("breast carc", "DOID:3459"), ("CRC", "DOID:9256"), ("glioblast", "DOID:3068")],
)
def test_search_matches_partial_names_best_first(starter: Store, text: str, first: str) -> None:
    view = view_for(starter)
    exact = resolve_disease(starter, text, view=view)
    hits = [exact.id] if exact is not None else view.disease_names().search(text)
    assert hits[0] == first


@pytest.fixture(params=STORE_KINDS)
def any_store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def test_both_stores_resolve_abbreviations_spellings_and_partial_names_alike(any_store: Store) -> None:
    store = any_store
    view = view_for(store)
    answers = {text: getattr(resolve_disease(store, text, view=view), "id", None)
               for text in ("CRC", "Wilms' tumour", "BALL", "HGSOC", "MDS")}  # fmt: skip
    assert answers == {"CRC": "DOID:9256", "Wilms' tumour": "ONCOTREE:WT", "BALL": "ONCOTREE:BLL",
                       "HGSOC": "ONCOTREE:HGSOC", "MDS": "DOID:0050908"}  # fmt: skip
    assert view.disease_names().search("adenocarc lung")[0] == "DOID:3910"


def test_match_and_resolver_read_the_same_text_as_the_same_disease(starter: Store) -> None:
    for text in ("CRC", "BRCA", "glioma", "Wilms' tumour", "adenocarcinoma of the lung", "LEUKAEMIA"):
        found = resolve_disease(starter, text)
        answer = match_therapies(starter, ["BRAF V600E"], text)
        assert found is not None
        assert answer.disease is not None
        assert answer.disease.id == found.id


CBIOPORTAL = Path(__file__).resolve().parents[1] / "data" / "inputs" / "oncotree"


def test_cbioportal_codes_of_older_oncotree_releases_resolve_as_oncotrees_own_remapping(starter: Store) -> None:
    # cBioPortal clinical files keep the codes of the release they were made with (PTCLNOS, SLL, CTCL …);
    # OncoTree's mapping tool remapped this very table: wherever it chose a code, pmkg reaches that disease.
    old = read_clinical(CBIOPORTAL / "data_clinical_sample.txt")
    remapped = read_clinical(CBIOPORTAL / "data_clinical_sample_remapped.txt")
    checked = 0
    for sample in (f"S{i}" for i in range(1, 19)):
        target, code = remapped.disease_for(sample), old.disease_for(sample)
        if not target or target == "NA" or not code:
            continue
        expected = resolve_disease(starter, target)
        found = resolve_disease(starter, code)
        assert expected is not None
        assert found is not None, (sample, code)
        related = expected.same | expected.narrower | expected.ancestors
        assert found.same & related, (sample, code, found.id, target)
        checked += 1
    assert checked == 6
    for code, now in (("PTCLNOS", "ONCOTREE:PTCL"), ("SLL", "ONCOTREE:CLLSLL"), ("CTCL", "ONCOTREE:MYCF")):
        found = resolve_disease(starter, code)
        assert found is not None
        assert found.id == now


def test_esophageal_cancer_is_not_the_same_disease_as_stomach_adenocarcinoma(starter: Store) -> None:
    # OncoTree files both organs under one tissue, Esophagus/Stomach; that tissue holds each, it is neither.
    view = view_for(starter)
    esophagus = resolve_disease(starter, "esophageal cancer", view=view)
    tissue = resolve_disease(starter, "STOMACH", view=view)
    assert esophagus is not None
    assert tissue is not None
    assert esophagus.id == "DOID:5041"
    assert "ONCOTREE:STOMACH" in esophagus.ancestors
    assert esophagus.proximity(view, "DOID:3717") == "other"  # gastric adenocarcinoma
    assert esophagus.proximity(view, "ONCOTREE:STAD") == "other"
    assert tissue.proximity(view, "DOID:3717") == "exact"
    assert tissue.proximity(view, "DOID:4914") == "exact"  # esophagus adenocarcinoma


@pytest.mark.parametrize("text", ["((", "ñ€✓", "-", "the of", "x" * 3000])
def test_punctuation_stray_letters_and_filler_words_name_no_disease(starter: Store, text: str) -> None:
    # "((" once found "Atypical Nevus" (OncoTree AN: "an" is a filler word, so its word key was empty).
    view = view_for(starter)
    assert resolve_disease(starter, text, view=view) is None
    assert view.disease_names().search(text) == []
