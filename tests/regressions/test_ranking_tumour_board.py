"""Weekly molecular-tumour-board questions: the top answer an oncologist expects, with the reason (issue 7).

Each question is asked on the real starter graph.  Expectations are clinical ("an EGFR TKI first",
"osimertinib above erlotinib"), not positions tied to one CIViC release, so they hold as the bundled
release moves on.  Every answer must also satisfy the general order
(:func:`tests.regressions.ranking_checks.assert_well_ordered`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.regressions.ranking_checks import ask, drugs, entry, position, sensitivity

EGFR_TKIS = {"Erlotinib", "Gefitinib", "Afatinib", "Osimertinib", "Dacomitinib"}
ALK_TKIS = {"Crizotinib", "Alectinib", "Ceritinib", "Brigatinib", "Lorlatinib"}
PARP_INHIBITORS = {"Olaparib", "Rucaparib", "Niraparib", "Talazoparib"}
TRK_INHIBITORS = {"Larotrectinib", "Entrectinib"}


@dataclass(frozen=True)
class Question:
    variants: tuple[str, ...]
    disease: str
    first: frozenset[str]  # the first therapy contains one of these drugs
    reason: str
    max_tier: int = 2  # the first answer's tier is at most this
    above: tuple[tuple[str, str], ...] = ()  # (therapy, therapy it must rank above)
    not_clear: tuple[str, ...] = ()  # therapies resistance must demote
    in_disease_first: bool = True  # the first answer's evidence is about the patient's disease or a broader one

    def __str__(self) -> str:
        return f"{' + '.join(self.variants)} in {self.disease}"


QUESTIONS = [
    Question(("BRAF V600E",), "melanoma", frozenset({"Dabrafenib", "Vemurafenib", "Encorafenib"}),
             "BRAF (+ MEK) inhibitors are approved for BRAF V600E melanoma", max_tier=1,
             above=(("Dabrafenib + Trametinib", "Vemurafenib"),)),
    Question(("BRAF V600E",), "colorectal cancer", frozenset({"Cetuximab", "Panitumumab"}),
             "BRAF V600E CRC needs EGFR blockade with the BRAF inhibitor (BEACON); monotherapy fails",
             not_clear=("Vemurafenib",)),
    Question(("BRAF V600E",), "non-small cell lung carcinoma", frozenset({"Dabrafenib"}),
             "dabrafenib + trametinib is approved for BRAF V600E NSCLC", max_tier=1),
    Question(("EGFR exon 19 deletion",), "LUAD", frozenset(EGFR_TKIS),
             "EGFR TKIs are first line for sensitising EGFR mutations", max_tier=1),
    Question(("EGFR L858R",), "LUAD", frozenset(EGFR_TKIS), "L858R is a sensitising EGFR mutation", max_tier=1),
    Question(("EGFR T790M",), "LUAD", frozenset({"Osimertinib"}),
             "T790M: osimertinib; first-generation TKIs are what T790M resists", max_tier=1,
             above=(("Osimertinib", "Erlotinib"), ("Osimertinib", "Gefitinib"))),
    # Margetuximab: an anti-HER2 antibody approved in HER2-positive breast cancer, level A in CIViC 2026 (EID 11249);
    # it ties trastuzumab (tier 1, exact, in-disease) and has no contrary evidence, so it may open.
    Question(("ERBB2 amplification",), "breast cancer", frozenset({"Trastuzumab", "Neratinib", "Margetuximab"}),
             "anti-HER2 therapy is standard for HER2-amplified breast cancer", max_tier=1,
             above=(("Trastuzumab", "Lapatinib"), ("Trastuzumab", "Trastuzumab Emtansine"))),
    Question(("PIK3CA H1047R",), "breast cancer", frozenset({"Alpelisib"}),
             "alpelisib + fulvestrant is approved for PIK3CA-mutant HR+ breast cancer", max_tier=1),
    Question(("IDH1 R132H",), "acute myeloid leukemia", frozenset({"Ivosidenib"}),
             "ivosidenib is approved for IDH1-mutant AML", max_tier=1),
    Question(("BRCA1 Q1756fs",), "ovarian cancer", frozenset(PARP_INHIBITORS),
             "PARP inhibitors for BRCA1-mutant ovarian cancer", max_tier=1),
    Question(("ETV6::NTRK3",), "thyroid cancer", frozenset(TRK_INHIBITORS),
             "TRK inhibitors are tumour-agnostic for NTRK fusions"),
    Question(("NTRK1 fusion",), "colorectal cancer", frozenset(TRK_INHIBITORS),
             "TRK inhibitors are tumour-agnostic for NTRK fusions"),
    Question(("FLT3 ITD",), "acute myeloid leukemia", frozenset({"Gilteritinib", "Midostaurin", "Quizartinib",
                                                                  "Sorafenib"}),
             "FLT3 inhibitors for FLT3-ITD AML", max_tier=1),
    Question(("MET exon 14 skipping",), "LUAD", frozenset({"Crizotinib", "Capmatinib", "Tepotinib"}),
             "MET inhibitors for MET exon 14 skipping NSCLC"),
    Question(("EML4::ALK",), "LUAD", frozenset(ALK_TKIS), "ALK inhibitors for ALK-rearranged NSCLC", max_tier=1),
    Question(("CD74::ROS1",), "LUAD", frozenset({"Crizotinib", "Entrectinib"}),
             "crizotinib / entrectinib for ROS1-rearranged NSCLC", max_tier=1),
    Question(("KIT W557_K558del",), "gastrointestinal stromal tumor", frozenset({"Imatinib"}),
             "imatinib for KIT exon 11-mutant GIST"),
    Question(("NRAS Q61K",), "melanoma", frozenset({"Binimetinib", "Trametinib"}),
             "MEK inhibition is the only targeted option in NRAS-mutant melanoma"),
    Question(("EML4::ALK", "ALK G1202R"), "LUAD", frozenset({"Lorlatinib"}),
             "G1202R defeats crizotinib and second-generation ALK inhibitors; lorlatinib overcomes it",
             not_clear=("Alectinib", "Ceritinib", "Crizotinib", "Brigatinib")),
    Question(("BCR::ABL1", "ABL1 T315I"), "CML", frozenset({"Ponatinib"}),
             "T315I defeats imatinib, dasatinib, nilotinib; ponatinib overcomes it",
             not_clear=("Imatinib", "Dasatinib", "Nilotinib")),
    Question(("EGFR L858R", "EGFR T790M"), "LUAD", frozenset({"Osimertinib"}),
             "T790M beside L858R: acquired resistance to first-generation TKIs", max_tier=1,
             not_clear=("Erlotinib", "Gefitinib", "Afatinib")),
    # CIViC 2026 files vorasidenib's approval (INDIGO: IDH1/2-mutant grade 2 astrocytoma and oligodendroglioma)
    # under "Glioma" (OncoTree's Glioma, NOS) and low grade glioma: a glioma of any named type must reach it, not
    # open with bevacizumab's tier-2 codon evidence in high grade glioma.
    Question(("IDH1 R132H",), "glioma", frozenset({"Vorasidenib"}),
             "vorasidenib is approved for IDH-mutant glioma", max_tier=1),
    Question(("IDH1 R132H",), "oligodendroglioma", frozenset({"Vorasidenib"}),
             "vorasidenib is approved for IDH-mutant oligodendroglioma", max_tier=1),
    Question(("IDH1 R132H",), "astrocytoma", frozenset({"Vorasidenib"}),
             "vorasidenib is approved for IDH-mutant astrocytoma", max_tier=1),
    Question(("IDH1 R132H",), "LGG", frozenset({"Vorasidenib"}),
             "LGG is low grade glioma, vorasidenib's own indication", max_tier=1),
    Question(("KIT D816V",), "systemic mastocytosis", frozenset({"Midostaurin", "Avapritinib"}),
             "D816V resists imatinib; midostaurin/avapritinib are approved in systemic mastocytosis",
             not_clear=("Imatinib",)),
]  # fmt: skip


@pytest.mark.parametrize("question", QUESTIONS, ids=str)
def test_tumour_board_question(question: Question) -> None:
    result = ask(list(question.variants), question.disease)
    ranked = sensitivity(result)
    assert ranked, f"{question}: no therapy ({question.reason})"
    first = ranked[0]
    assert drugs(first) & question.first, f"{question}: opened with {first.therapy.name} ({question.reason})"
    assert first.tier <= question.max_tier, f"{question}: {first.therapy.name} at tier {first.tier}"
    assert first.standing == "clear"
    if question.in_disease_first:
        assert first.disease_match != "other", f"{question}: opened with another tumour type's evidence"
    for better, worse in question.above:
        assert position(result, better) < position(result, worse), f"{question}: {worse} above {better}"
    for name in question.not_clear:
        assert entry(result, name).standing in ("demoted", "resistant"), f"{question}: {name} not demoted"


def test_at_least_fifteen_questions_with_distinct_cases() -> None:
    assert len({(q.variants, q.disease) for q in QUESTIONS}) >= 15
