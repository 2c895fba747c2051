"""What every ranked answer must satisfy, whatever the case: the order of README "How therapies are ranked".

Shared by the ``test_ranking_*`` regression files; each assertion names what a tumour board would notice.
"""

from __future__ import annotations

from queries.matching import MatchResult, match_therapies
from queries.ranking import TherapyResult
from tests.queries.matching_stores import embedded_starter

BANDS = ("clear", "demoted", "resistant", "gene_level")


def ask(variants: list[str], disease: str | None) -> MatchResult:
    """The answer on the real starter graph (embedded; the stores agree, tests/queries/test_matching.py)."""
    result = match_therapies(embedded_starter(), variants, disease)
    assert_well_ordered(result)
    return result


def sensitivity(result: MatchResult) -> list[TherapyResult]:
    return [t for t in result.therapies if t.significance == "sensitivity"]


def entry(result: MatchResult, therapy: str) -> TherapyResult:
    (found,) = [t for t in sensitivity(result) if t.therapy.name == therapy]
    return found


def position(result: MatchResult, therapy: str) -> int:
    return sensitivity(result).index(entry(result, therapy))


def drugs(entry: TherapyResult) -> set[str]:
    return {d.name for d in entry.drugs} | {entry.therapy.name}


def is_clinical_in_disease(entry: TherapyResult) -> bool:
    return entry.tier <= 3 and entry.disease_match != "other"


def assert_well_ordered(result: MatchResult) -> None:
    """Bands never invert; among clear therapies, clinical evidence in the patient's disease precedes other tumour
    types' evidence; each resistance entry sits right after its therapy; each demotion says why."""
    ranked = sensitivity(result)
    bands = [BANDS.index(t.standing) for t in ranked]
    assert bands == sorted(bands), [(t.therapy.name, t.standing) for t in ranked]
    clear = [t for t in ranked if t.standing == "clear"]
    seen_other = False
    for t in clear:
        if t.tier <= 3 and t.disease_match == "other":
            seen_other = True
        elif seen_other and is_clinical_in_disease(t):
            raise AssertionError(f"{t.therapy.name}: clinical evidence in the patient's disease ranked after "
                                 "other tumour types' evidence")  # fmt: skip
    for index, t in enumerate(result.therapies):
        if t.significance != "sensitivity" and any(s.therapy.id == t.therapy.id for s in ranked):
            assert result.therapies[index - 1].therapy.id == t.therapy.id, f"{t.therapy.name}: resistance not beside"
    for t in ranked:
        if t.standing in ("demoted", "resistant"):
            assert t.standing_reason, t.therapy.name
            assert any(w.startswith(f"{t.therapy.name}: ") and "ranked below every therapy" in w
                       for w in result.warnings), t.therapy.name  # fmt: skip
            assert t.as_json()["standing_reason"] == t.standing_reason
