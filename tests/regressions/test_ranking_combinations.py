"""A combination inherits the clinical resistance of its drugs (README "How therapies are ranked").

Before: resistance to vemurafenib left every vemurafenib combination ``clear`` (BRAF amplification
beside BRAF V600E in melanoma kept ``Cobimetinib + Vemurafenib`` first), and resistance was read
per therapy node, so ``Erlotinib + Pemetrexed`` never heard of erlotinib's T790M resistance.  The
rule: clinical resistance to a drug counts against every therapy containing that drug (by drug
identity), unless the therapy's own sensitivity evidence names the resistance alteration; resistance
to a combination never spreads to its drugs alone.  Expectations are written for any CIViC release.
"""

from __future__ import annotations

from pathlib import Path

from queries.annotate import annotate
from queries.inputs import open_patient_file
from queries.ranking import TherapyResult
from tests.queries.matching_stores import embedded_starter
from tests.regressions.ranking_checks import ask, entry, position, sensitivity


def containing(result_therapies: list[TherapyResult], drug: str) -> list[TherapyResult]:
    """Sensitivity entries whose drugs (graph Drug nodes, merged across sources) include ``drug``."""
    return [t for t in result_therapies if drug in {d.name for d in t.drugs}]


def names_alteration(therapy: TherapyResult, input_index: int) -> bool:
    """Whether the therapy's own sensitivity evidence names the patient's input ``input_index`` (exact or codon)."""
    return any(h.input_index == input_index and h.specificity in ("exact", "codon") for h in therapy.hits)


def test_braf_amplification_makes_every_vemurafenib_combination_resistant_in_melanoma() -> None:
    # BRAF amplification is a clinical mechanism of acquired resistance to BRAF inhibitors (CIViC, melanoma); a
    # combination with vemurafenib does not escape it by adding a MEK inhibitor.
    result = ask(["BRAF V600E", "BRAF amplification"], "melanoma")
    ranked = sensitivity(result)
    combinations = [t for t in containing(ranked, "Vemurafenib") if len(t.drugs) > 1]
    assert entry(result, "Vemurafenib").standing == "resistant"
    assert "Cobimetinib + Vemurafenib" in {t.therapy.name for t in combinations}
    for combination in combinations:
        name = combination.therapy.name
        assert not names_alteration(combination, 1), name  # none of them has activity despite the amplification
        assert combination.standing == "resistant", name
        assert "resistance to Vemurafenib, a drug of this therapy" in combination.standing_reason, name
        assert combination.as_json()["standing_reason"] == combination.standing_reason
        assert any(w.startswith(f"{name}: resistance in this patient") for w in result.warnings), name
        assert all(position(result, name) > position(result, t.therapy.name) for t in ranked if t.standing == "clear")
    first = ranked[0]
    assert first.standing == "clear"
    assert not {d.name for d in first.drugs} & {"Vemurafenib", "Dabrafenib"}


def test_resistance_to_a_combination_does_not_spread_to_its_drugs_alone() -> None:
    # CIViC's amplification resistance is about dabrafenib + trametinib; trametinib alone keeps its own standing.
    result = ask(["BRAF V600E", "BRAF amplification"], "melanoma")
    assert entry(result, "Dabrafenib + Trametinib").standing == "resistant"
    trametinib = entry(result, "Trametinib")
    assert trametinib.standing == "clear"
    assert "Dabrafenib" not in trametinib.standing_reason


def test_t315i_leaves_no_imatinib_containing_therapy_above_ponatinib() -> None:
    for disease in ("CML", "B-lymphoblastic leukemia/lymphoma", None):
        result = ask(["BCR::ABL1", "ABL1 T315I"], disease)
        ponatinib = position(result, "Ponatinib")
        for therapy in containing(sensitivity(result), "Imatinib"):
            if names_alteration(therapy, 1):
                continue  # evidence of activity despite T315I would be ranked on its own merits
            assert position(result, therapy.therapy.name) > ponatinib, (disease, therapy.therapy.name)
            assert therapy.standing in ("demoted", "resistant"), (disease, therapy.therapy.name)


def test_t790m_reaches_erlotinib_combinations_unless_they_name_t790m() -> None:
    # Erlotinib's T790M resistance is level A; an erlotinib combination whose own evidence names T790M (a response
    # despite it) keeps its standing, any other erlotinib combination inherits the resistance.
    for disease in ("LUAD", None):
        result = ask(["EGFR L858R", "EGFR T790M"], disease)
        assert entry(result, "Erlotinib").standing == "resistant"
        for therapy in containing(sensitivity(result), "Erlotinib"):
            name = therapy.therapy.name
            if len(therapy.drugs) == 1:
                continue
            if names_alteration(therapy, 1):
                assert "resistance to Erlotinib" not in therapy.standing_reason, name
            else:
                assert therapy.standing == "resistant", (disease, name)
                assert "resistance to Erlotinib, a drug of this therapy" in therapy.standing_reason, name
    despite = entry(ask(["EGFR L858R", "EGFR T790M"], "LUAD"), "Erlotinib + Pemetrexed")
    assert names_alteration(despite, 1)  # CIViC's case report names T790M itself
    assert despite.standing == "clear"


def test_annotate_applies_the_same_inheritance_to_a_sample(tmp_path: Path) -> None:
    maf = tmp_path / "cohort.maf"
    maf.write_text("Hugo_Symbol\tHGVSp_Short\tVariant_Classification\tTumor_Sample_Barcode\n"
                   "BRAF\tp.V600E\tMissense_Mutation\tS1\n")  # fmt: skip
    cna = tmp_path / "cna.txt"
    cna.write_text("Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\nS1\tBRAF\t2\n")
    store = embedded_starter()
    _, (summary,) = annotate(store, [open_patient_file(maf), open_patient_file(cna, role="cna")], disease="MEL")
    combination = [t for t in summary.therapies if t.startswith("Cobimetinib + Vemurafenib (")]
    assert combination
    assert combination[0].endswith(", resistant)")
    clear = [i for i, t in enumerate(summary.therapies) if not t.endswith(("demoted)", "resistant)"))]
    assert clear
    assert max(clear) < summary.therapies.index(combination[0])
