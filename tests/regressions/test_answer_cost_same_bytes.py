"""A match answer made with less CPU (issue 11: ``POST /v1/match`` p99 under load) is the same answer, byte for byte.

What was restructured, each held to the long way round it replaced:

- the tail of an explanation line (evidence → disease → therapies) and each evidence row (source, id, level,
  disease, citation) are kept per build, a row shared by every answer that shows it: every line is the path and
  tail worded afresh for that hit, and every row is read afresh from the graph;
- a therapy's lists of drug names and ids are kept per build: they are its drugs', read afresh;
- a therapy's ``levels`` are read from one hit per evidence item: they are the levels of all its hits;
- an evidence hit carries its evidence id, alteration and target name as fields: they are its evidence's,
  input's and target's;
- a profile expression is read once per process: a malformed one is refused every time it is asked about;
- above all, an answer on a warm view (after other patients, with the same evidence in other diseases) is the
  answer on a cold one, byte for byte.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from kg.errors import SchemaError
from kg.variants import evaluate_profile
from queries.explain import Explainer
from queries.graph_view import forget_views
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter

PATIENTS: list[tuple[list[str], str | None]] = [
    (["BRAF V600E", "EGFR L858R", "KRAS G12C"], "lung adenocarcinoma"),  # bench.api's patient
    (["BRAF V600E", "EGFR L858R", "KRAS G12C"], None),
    (["BRAF V600E"], "melanoma"),
    (["BRAF V600E"], "colorectal cancer"),  # the same evidence, another disease: other proximities and tails
    (["EGFR L858R", "EGFR T790M"], "lung adenocarcinoma"),
    (["ALK fusion", "ALK G1202R"], "NSCLC"),  # partner taken on trust: its own explanation notes
    (["BCR::ABL1", "ABL1 T315I"], "chronic myeloid leukemia"),
    (["BRAF V600E", "BRAF V600K", "NRAS Q61K", "MAP2K1 K57N", "PTEN loss", "CDKN2A deletion"], "melanoma"),
    (["KRAS G12C", "STK11 Q37*", "TP53 R273H", "ERBB2 amplification"], "breast cancer"),
    (["BRAF amplification", "BRAF V600E"], "melanoma"),  # a drug's resistance inherited by combinations
    (["CYP2D6 *1/*4", "BRAF V600E", "not a variant"], "not a disease at all"),
]


def _answer_bytes(variants: list[str], disease: str | None) -> bytes:
    return orjson.dumps(match_therapies(embedded_starter(), variants, disease).as_json())


def test_an_answer_on_a_warm_view_is_the_answer_on_a_cold_one_byte_for_byte() -> None:
    cold = []
    for variants, disease in PATIENTS:
        forget_views()  # nothing kept from any other patient
        cold.append(_answer_bytes(variants, disease))
    for variants, disease in reversed(PATIENTS):  # warm the view with every other patient first
        _answer_bytes(variants, disease)
    warm = [_answer_bytes(variants, disease) for variants, disease in PATIENTS]
    assert all(b'"therapies":[{' in answer for answer in cold[:3]), "the check needs patients with therapies"
    for (variants, disease), before, after in zip(PATIENTS, cold, warm, strict=True):
        assert after == before, (variants, disease)


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_kept_explanations_evidence_and_drugs_are_the_ones_worded_afresh(
    variants: list[str], disease: str | None
) -> None:
    _answer_bytes(variants, disease)  # the per-build memos hold this patient's lines already
    result = match_therapies(embedded_starter(), variants, disease)
    answer = result.as_json()
    for therapy, shown in zip(result.therapies, answer["therapies"], strict=True):
        fresh = Explainer(therapy.view)
        unique = therapy.unique_hits()
        lines = [
            f"{fresh.path(h.variant, h.target, fallback=h.fallback)} → "
            f"{fresh.tail(h.evidence, h.source, h.disease_id, h.proximity, h.therapy_ids)}"
            for h in unique
        ]
        assert shown["explanation"] == list(dict.fromkeys(lines)), therapy.therapy.name
        assert shown["evidence"] == [_item_afresh(therapy.view, h) for h in unique], therapy.therapy.name
        assert (shown["drugs"], shown["drug_ids"]) == ([d.name for d in therapy.drugs], [d.id for d in therapy.drugs])
        assert shown["levels"] == _levels_of_every_hit(therapy.hits), therapy.therapy.name
        for hit in therapy.hits:
            assert (hit.evidence_id, hit.alteration, hit.target_name) == (
                hit.evidence.id,
                hit.input_index,
                hit.target.name,
            )


def _item_afresh(view: Any, hit: Any) -> dict[str, Any]:
    props = hit.evidence.props
    disease = None
    if hit.disease_id:
        node = view.node(hit.disease_id)
        disease = {"id": hit.disease_id, "name": node.name if node is not None else hit.disease_id}
    citation = next((str(props[k]) for k in ("citation_id", "citation", "url") if props.get(k)), None)
    return {"source": hit.source, "id": hit.evidence.id, "level": props.get("level"), "disease": disease,
            "citation": citation}  # fmt: skip


def _levels_of_every_hit(hits: Any) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for hit in hits:
        level = hit.evidence.props.get("level")
        if level is not None:
            out.setdefault(hit.source, set()).add(str(level))
    return {source: sorted(levels) for source, levels in sorted(out.items())}


@pytest.mark.parametrize("bad", ["A AND", "( A OR B", "A B", "AND A", "A )", ""])
def test_a_malformed_profile_is_refused_every_time_it_is_asked_about(bad: str) -> None:
    for present in (set(), {"A"}, {"A", "B"}):
        with pytest.raises(SchemaError, match="profile"):
            evaluate_profile(bad, present)


def test_a_profile_read_once_still_answers_for_each_patients_ids() -> None:
    expression = "PMKG:variant/EGFR:L858R AND NOT ( PMKG:variant/EGFR:T790M OR PMKG:variant/EGFR:C797S )"
    assert evaluate_profile(expression, {"PMKG:variant/EGFR:L858R"}) is True
    assert evaluate_profile(expression, {"PMKG:variant/EGFR:L858R", "PMKG:variant/EGFR:C797S"}) is False
    assert evaluate_profile(expression, set()) is False
