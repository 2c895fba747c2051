"""Broader-disease evidence is ordered by how far up it is written (README "How therapies are ranked").

Before: every broader term counted the same, so for a lung adenocarcinoma evidence written against
"cancer" ranked with (and, by name, before) evidence about non-small cell lung carcinoma, and
clinical resistance written against "cancer" made a therapy ``resistant`` as if it were about the
patient's tumour type.
"""

from __future__ import annotations

from queries.diseases import BROAD_TERMS, resolve_disease
from queries.graph_view import view_for
from queries.ranking_rules import BROAD_DISTANCE
from tests.queries.matching_stores import embedded_starter
from tests.regressions.ranking_checks import ask, entry, position, sensitivity

NSCLC, LUNG_CARCINOMA, LUNG_CANCER, CANCER = "DOID:3908", "DOID:3905", "DOID:1324", "DOID:162"


def test_broader_terms_of_lung_adenocarcinoma_count_their_steps_up() -> None:
    store = embedded_starter()
    view = view_for(store)
    for text in ("LUAD", "lung adenocarcinoma"):
        luad = resolve_disease(store, text, view=view)
        assert luad is not None
        steps = [luad.distance(view, d) for d in (NSCLC, LUNG_CARCINOMA, LUNG_CANCER)]
        # NSCLC is the nearest broader term; further terms are never nearer (the OncoTree mapping
        # may give "lung cancer" a shorter route than DO's own three steps).
        assert steps[0] == 1, (text, steps)
        assert steps == sorted(steps), (text, steps)
        assert steps[-1] < BROAD_DISTANCE, (text, steps)
        assert luad.distance(view, "ONCOTREE:NSCLC") == 1  # OncoTree's hierarchy counts the same way
        for broad in BROAD_TERMS & luad.ancestors:
            assert luad.distance(view, broad) == BROAD_DISTANCE, broad
        assert luad.distance(view, "DOID:3910") == 0  # the disease itself
        assert luad.distance(view, "DOID:1909") == 0  # melanoma: another disease, not broader


def test_melanoma_evidence_in_cell_type_cancer_is_not_a_near_ancestor() -> None:
    # DO puts melanoma directly under "cell type cancer", a grouping as broad as "cancer" itself.
    store = embedded_starter()
    view = view_for(store)
    melanoma = resolve_disease(store, "melanoma", view=view)
    assert melanoma is not None
    assert melanoma.distance(view, "DOID:0050687") == BROAD_DISTANCE


def test_alk_fusion_in_luad_puts_nsclc_evidence_before_pan_cancer_evidence_of_the_same_tier() -> None:
    # Entrectinib's ALK evidence is written against "cancer"; lorlatinib's and pemetrexed's against NSCLC at the same
    # tier (2): the lung-cancer evidence is what a tumour board reads first.  (CIViC 2026 has brigatinib at level A in
    # NSCLC, EID 11121: it is tier 1 now, above both.)
    result = ask(["ALK fusion"], "LUAD")
    pan_cancer = entry(result, "Entrectinib")
    assert (pan_cancer.disease_match, pan_cancer.best.disease_id, pan_cancer.best.distance) == (
        "ancestor", CANCER, BROAD_DISTANCE)  # fmt: skip
    same_tier_nsclc = [t for t in sensitivity(result) if t.tier == pan_cancer.tier and t.best.disease_id == NSCLC]
    assert {"Lorlatinib", "Pemetrexed"} <= {t.therapy.name for t in same_tier_nsclc}
    assert position(result, "Brigatinib") < position(result, "Lorlatinib")
    for therapy in same_tier_nsclc:
        assert position(result, therapy.therapy.name) < position(result, "Entrectinib"), therapy.therapy.name


def test_a_tumour_agnostic_approval_stays_first_in_the_patients_disease() -> None:
    # Larotrectinib's NTRK approval is written against "cancer": still level 1 evidence for a lung adenocarcinoma,
    # ahead of preclinical lung evidence, though it is not "near".
    result = ask(["NTRK1 fusion"], "LUAD")
    first = sensitivity(result)[0]
    assert (first.therapy.name, first.tier, first.disease_match) == ("Larotrectinib", 1, "ancestor")
