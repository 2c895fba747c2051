"""The warm path made cheaper (issues 7, 8, 11) gives the same answers as the work it replaced.

Each shortcut of the hot path is held here to the long way round it replaced:

- a variant id is made from a protein change parsed once (``protein_variant_id``): the normal form
  parses to itself, so it is the id parsing the text again gave (``variant_id``);
- an answer's explanations word each path, evidence item, disease and therapy set once
  (:class:`queries.explain.Explainer`): every line is the line worded for that hit alone, even when
  hits share their path, disease or therapies;
- a cohort's whole-patient match reuses each row's normalised alteration: matching those is matching
  the alterations afresh;
- the commonest protein-change spelling (``p.V600E``, ``R248X``) is read by a short path: it gives what the general
  path gives for the same text (which a leading space sends it through), refusals included;
- a single consequence word (a MAF row's ``Missense_Mutation``) is read without splitting a list: it gives what
  the list path gives; and its term joined with the one the protein change implies is the de-duplicated pair;
- the gene itself as a match is kept per build: an input reaches the same gene match it reached before.

The variants of unknown significance, whose gene therapies are now read from the evidence without making a hit
per item, are held to the golden answers (``tests/data/golden``) and ``test_overcalling``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import SchemaError
from kg.variants import ProteinChange, parse_protein_change, protein_variant_id, variant_id
from queries.consequences import CONSEQUENCES, consequence_terms
from queries.matching import match_therapies
from queries.normalize import _with_implied, normalize_text
from tests.queries.matching_stores import embedded_starter

SPELLINGS = ["V600E", "p.Val600Glu", "p.(V600E)", "R248X", "R248*", "S1436S", "p.Ser1436=", "E746_A750del",
             "V769_770insASV", "L747_P753delinsS", "W288fs", "p.Trp288fs*12", "V600", "A767_V769dup", "M1?",
             "D770_N771insNPG", "Q61*", "p.Gly12_Gly13insAla", "K601?"]  # fmt: skip
PATIENTS = [
    (["EGFR L858R", "EGFR T790M"], "lung adenocarcinoma"),
    (["EML4::ALK", "ALK G1202R"], "lung adenocarcinoma"),
    (["ALK fusion", "ALK G1202R"], "NSCLC"),
    (["BCR::ABL1", "ABL1 T315I"], "chronic myeloid leukemia"),
    (["BRAF V600E", "BRAF V600K", "NRAS Q61K", "MAP2K1 K57N", "PTEN loss", "CDKN2A deletion"], "melanoma"),
    (["KRAS G12C", "STK11 Q37*", "TP53 R273H", "ERBB2 amplification"], None),
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_parsed_protein_change_gives_the_id_parsing_its_text_again_gives(spelling: str) -> None:
    change = parse_protein_change(spelling)
    assert parse_protein_change(change.text).text == change.text
    assert protein_variant_id("braf", change) == variant_id("braf", spelling) == variant_id("BRAF", change.text)


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_explanations_worded_once_per_answer_are_each_hits_own(variants: list[str], disease: str | None) -> None:
    result = match_therapies(embedded_starter(), variants, disease)
    answer = result.as_json()
    assert answer["therapies"], "the patient must reach therapies for the check to mean anything"
    for therapy, shown in zip(result.therapies, answer["therapies"], strict=True):
        alone = list(dict.fromkeys(h.explanation(therapy.view) for h in therapy.unique_hits()))
        assert shown["explanation"] == alone, therapy.therapy.name


@pytest.mark.parametrize(("variants", "disease"), PATIENTS)
def test_matching_normalised_alterations_is_matching_the_alterations(variants: list[str],
                                                                      disease: str | None) -> None:  # fmt: skip
    store = embedded_starter()
    read = [normalize_text(store, text) for text in variants]
    fresh = match_therapies(store, variants, disease).as_json()
    reused = match_therapies(store, read, disease).as_json()
    assert fresh["therapies"]
    assert reused == fresh


def _read(text: str) -> ProteinChange | str:
    try:
        return parse_protein_change(text)
    except SchemaError:
        return "refused"


ONE_RESIDUE = ["V600E", "p.V600E", "R248X", "R248*", "X600X", "*214X", "*214L", "S1436S", "M1?", "p.Q61=", "V0600E",
               "V\u0666\u0660\u0660E", "B600E", "V600J", "p.V600", "V600", "600E"]  # fmt: skip


@pytest.mark.parametrize("text", ONE_RESIDUE)
def test_the_short_protein_change_path_reads_what_the_general_path_reads(text: str) -> None:
    assert _read(text) == _read(f" {text}")


def test_a_position_in_other_scripts_digits_is_still_refused() -> None:
    with pytest.raises(SchemaError, match="is not a protein change"):
        parse_protein_change("V\u0666\u0660\u0660E")


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"(p\.)?[A-Z*][0-9\u0660-\u0669]{1,4}[A-Za-z*=?]", fullmatch=True))
def test_any_one_residue_spelling_reads_as_the_general_path_reads_it(text: str) -> None:
    assert _read(text) == _read(f" {text}")


WORDS = [*CONSEQUENCES, "Missense_Mutation", "Splice_Site", " In_Frame_Del ", "novel_word", " "]


@pytest.mark.parametrize("word", WORDS)
def test_one_consequence_word_reads_as_a_list_of_one(word: str) -> None:
    assert consequence_terms(word) == consequence_terms(f"{word}&")


TERMS = st.sampled_from(["", "missense_variant", "stop_gained", "frameshift_variant", "synonymous_variant"])


@settings(max_examples=200, deadline=None)
@given(st.lists(TERMS, max_size=3).map(tuple), TERMS)
def test_a_rows_terms_with_the_implied_one_are_each_once_in_order(terms: tuple[str, ...], implied: str) -> None:
    assert _with_implied(terms, implied) == tuple(c for c in dict.fromkeys((*terms, implied)) if c)


def test_the_gene_match_an_input_reaches_is_the_one_it_reached_before() -> None:
    store = embedded_starter()
    first = normalize_text(store, "TP53 R175H")
    again = normalize_text(store, "TP53 R175H")
    gene = [m for m in first.matches if m.specificity == "gene"]
    assert [(m.id, m.name, m.path) for m in gene] == [("HGNC:11998", "TP53", ("HGNC:11998",))]
    assert again.matches == first.matches
