"""Drug identity rules (kg.drug_identity) on records shaped as the loaders write them."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from kg.drug_identity import (
    BRAND_NAME,
    NCIT_SYNONYM,
    REGIMEN,
    SALT_FORM,
    SAME_NAME,
    SAME_NCIT,
    THESAURUS_PROP,
    UNMATCHED,
    active_moiety,
    name_key,
    regimen_drugs,
    resolve_drugs,
    resolve_therapies,
)
from kg.records import Edge, Node, PropValue, Provenance
from kg.schema import Label, RelType


def drug(node_id: str, name: str, source: str, *synonyms: str, **props: PropValue) -> Node:
    return Node(node_id, Label.DRUG, name, synonyms, props, (Provenance(source, "1", "CC0-1.0", name),))


def ncit(code: str, name: str, *synonyms: str, brands: tuple[str, ...] = ()) -> Node:
    props: dict[str, PropValue] = {THESAURUS_PROP: "NCIt", "ncit_id": code}
    if brands:
        props["brand_names"] = list(brands)
    return drug(f"NCIT:{code}", name, "ncit_drugs", *synonyms, *brands, **props)


def groups(records: list[Node]) -> dict[str, str]:
    return resolve_drugs(records).drug_ids


def test_name_key_folds_case_spacing_hyphens_and_marks() -> None:
    assert name_key("Ado-Trastuzumab  Emtansine") == name_key("ado trastuzumab emtansine")
    assert name_key("Zelboraf®") == "zelboraf"
    assert name_key("5‐FU") == name_key("5-fu")


def test_salt_solvate_and_hydrate_words_are_stripped_but_never_the_whole_name() -> None:
    assert active_moiety(name_key("Irinotecan Hydrochloride Trihydrate")) == "irinotecan"
    assert active_moiety(name_key("Leucovorin Calcium")) == "leucovorin"
    assert active_moiety(name_key("Trastuzumab Deruxtecan")) is None  # a conjugate, not a salt
    assert active_moiety("calcium") is None
    assert active_moiety("sodium phosphate") is None  # nothing of a drug left


@given(st.text(max_size=40))
def test_name_key_is_idempotent_and_active_moiety_only_shortens(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    moiety = active_moiety(key)
    assert moiety is None or (len(moiety) < len(key) and key.startswith(moiety))


def test_thesaurus_synonym_and_brand_name_reach_the_concept() -> None:
    thesaurus = ncit("C1647", "Trastuzumab", "rhuMAb HER2", brands=("Herceptin",))
    resolution = resolve_drugs(
        [thesaurus, drug("PMKG:drug/herceptin", "Herceptin", "a"), drug("PMKG:drug/rhumab_her2", "rhuMAb HER2", "b")]
    )
    assert set(resolution.drug_ids.values()) == {"NCIT:C1647"}
    (node,) = resolution.nodes
    assert node.props["identity_rules"] == [BRAND_NAME, NCIT_SYNONYM]
    assert node.props["named_by"] == ["a", "b"]


def test_a_synonym_two_concepts_share_decides_nothing() -> None:
    records = [
        ncit("C488", "Amifostine Trihydrate", "Ethiofos", "Amifostine"),
        ncit("C66724", "Amifostine Anhydrous", "Ethiofos Anhydrous", "Amifostine"),
        drug("PMKG:drug/amifostine", "Amifostine", "civic"),
    ]
    resolution = resolve_drugs(records)
    assert resolution.drug_ids["PMKG:drug/amifostine"] == "PMKG:drug/amifostine"
    assert resolution.nodes[0].props["identity_rules"] == [UNMATCHED]


def test_two_different_ncit_codes_are_never_joined_by_a_name() -> None:
    records = [
        drug("NCIT:C1", "Interferon Alfa", "civic", ncit_id="C1"),
        drug("NCIT:C2", "interferon alfa", "moalmanac", ncit_id="C2"),
    ]
    resolution = resolve_drugs(records)
    assert resolution.drug_ids == {"NCIT:C1": "NCIT:C1", "NCIT:C2": "NCIT:C2"}
    assert resolution.report["conflicts"] == 1


def test_an_ncit_code_given_as_a_property_joins_the_coded_node() -> None:
    records = [drug("CHEMBL.COMPOUND:CHEMBL1229517", "GSK2118436", "dgidb", ncit_id="C82386"),
               drug("NCIT:C82386", "Dabrafenib", "moalmanac")]  # fmt: skip
    resolution = resolve_drugs(records)
    assert set(resolution.drug_ids.values()) == {"NCIT:C82386"}
    assert SAME_NCIT in resolution.nodes[0].props["identity_rules"]


def test_salt_form_and_case_rules_are_recorded_per_source() -> None:
    records = [
        drug("PMKG:drug/imatinib_mesylate", "Imatinib Mesylate", "civic"),
        drug("PMKG:drug/imatinib", "Imatinib", "civic"),
        drug("PMKG:drug/imatinib", "imatinib", "pharmcat"),
    ]
    (node,) = resolve_drugs(records).nodes
    assert (node.id, node.name) == ("PMKG:drug/imatinib", "Imatinib")
    assert set(node.props["identity_rules"]) == {SALT_FORM, SAME_NAME, UNMATCHED}
    assert "civic 'Imatinib Mesylate' (PMKG:drug/imatinib_mesylate): salt form" in node.props["identity_log"]


def test_a_thesaurus_concept_no_source_names_is_left_out() -> None:
    resolution = resolve_drugs([ncit("C376", "Cisplatin"), drug("PMKG:drug/tae684", "TAE684", "civic")])
    assert [n.id for n in resolution.nodes] == ["PMKG:drug/tae684"]
    civic = {"drugs": 1, "merged": 0, "to_ncit": 0, UNMATCHED: 1}
    assert resolution.report == {
        "drug_records": 1, "drugs": 1, "merged": 0, "named_by_several_sources": 0, UNMATCHED: 1,
        "rules": {UNMATCHED: 1}, "conflicts": 0, "sources": {"civic": civic},
    }  # fmt: skip


@given(st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_record_order(rng: random.Random) -> None:
    records = [
        ncit("C77908", "Trametinib", "GSK1120212", brands=("Mekinist",)),
        drug("PMKG:drug/trametinib_dimethyl_sulfoxide", "Trametinib Dimethyl Sulfoxide", "civic"),
        drug("PMKG:drug/mekinist", "Mekinist", "dgidb"),
        drug("PMKG:drug/trametinib", "trametinib", "cpic"),
        drug("PMKG:drug/zelboraf", "Zelboraf", "dgidb", "Vemurafenib"),
        drug("PMKG:drug/vemurafenib", "Vemurafenib", "civic"),
        drug("NCIT:C64768", "Vemurafenib", "moalmanac"),
        drug("PMKG:drug/tae684", "TAE684", "civic"),
    ]
    expected = groups(records)
    shuffled = list(records)
    rng.shuffle(shuffled)
    assert groups(shuffled) == expected
    assert expected["PMKG:drug/zelboraf"] == "NCIT:C64768"
    assert expected["PMKG:drug/trametinib_dimethyl_sulfoxide"] == expected["PMKG:drug/mekinist"] == "NCIT:C77908"


def test_therapies_over_one_drug_set_merge_whatever_the_order_or_spelling() -> None:
    drugs = resolve_drugs(
        [
            drug("NCIT:C82386", "Dabrafenib", "civic"),
            drug("NCIT:C77908", "Trametinib", "civic"),
            drug("PMKG:drug/trametinib_dimethyl_sulfoxide", "Trametinib Dimethyl Sulfoxide", "civic"),
        ]
    )
    prov = (Provenance("civic", "1", "CC0-1.0", "x"),)
    one = Node("PMKG:therapy/dabrafenib+trametinib", Label.THERAPY, "Dabrafenib + Trametinib", (),
               {"interaction": "combination"}, prov)  # fmt: skip
    two = Node("PMKG:therapy/dabrafenib+trametinib_dimethyl_sulfoxide", Label.THERAPY, "x", (),
               {"interaction": "combination"}, prov)  # fmt: skip
    edges = [
        Edge(one.id, RelType.HAS_COMPONENT, "NCIT:C77908"),
        Edge(one.id, RelType.HAS_COMPONENT, "NCIT:C82386"),
        Edge(two.id, RelType.HAS_COMPONENT, "PMKG:drug/trametinib_dimethyl_sulfoxide"),
        Edge(two.id, RelType.HAS_COMPONENT, "NCIT:C82386"),
    ]
    ids, nodes, counts = resolve_therapies([one, two], edges, drugs)
    assert set(ids.values()) == {"PMKG:therapy/dabrafenib+trametinib"}
    (node,) = nodes
    assert node.name == "Dabrafenib + Trametinib"
    assert node.props["drugs"] == ["Dabrafenib", "Trametinib"]
    assert node.props["merged_ids"] == [two.id]
    assert counts == {"therapy_records": 2, "therapies": 1, "merged": 1}


def test_a_drug_record_without_provenance_is_kept() -> None:
    bare = Node("PMKG:drug/tae684", Label.DRUG, "TAE684")
    resolution = resolve_drugs([ncit("C376", "Cisplatin"), bare])
    assert [n.id for n in resolution.nodes] == ["PMKG:drug/tae684"]
    assert resolution.report["drugs"] == 1


def test_a_combination_of_one_substance_in_two_spellings_is_a_single_drug_therapy() -> None:
    drugs = resolve_drugs([drug("PMKG:drug/imatinib", "Imatinib", "civic"),
                           drug("PMKG:drug/imatinib_mesylate", "Imatinib Mesylate", "civic")])  # fmt: skip
    prov = (Provenance("civic", "1", "CC0-1.0", "x"),)
    single = Node("PMKG:therapy/imatinib", Label.THERAPY, "Imatinib", (), {"interaction": "single"}, prov)
    both = Node("PMKG:therapy/imatinib+imatinib_mesylate", Label.THERAPY, "Imatinib + Imatinib Mesylate", (),
                {"interaction": "combination"}, prov)  # fmt: skip
    edges = [
        Edge(single.id, RelType.HAS_COMPONENT, "PMKG:drug/imatinib"),
        Edge(both.id, RelType.HAS_COMPONENT, "PMKG:drug/imatinib"),
        Edge(both.id, RelType.HAS_COMPONENT, "PMKG:drug/imatinib_mesylate"),
    ]
    _, nodes, _ = resolve_therapies([single, both], edges, drugs)
    (node,) = nodes
    assert (node.id, node.props["interaction"], node.props["drug_count"]) == ("PMKG:therapy/imatinib", "single", 1)


def test_a_regimen_name_lists_its_drugs() -> None:
    assert regimen_drugs(name_key("Ipilimumab/Nivolumab Regimen")) == ("ipilimumab", "nivolumab")
    assert regimen_drugs(name_key("Larotrectinib Regimen")) == ("larotrectinib",)
    assert regimen_drugs(name_key("FOLFOX-4 Regimen")) == ("folfox 4",)
    assert regimen_drugs(name_key("Nivolumab")) == ()
    assert regimen_drugs(name_key("Regimen")) == ()
    assert regimen_drugs(name_key("Ipilimumab/ Regimen")) == ()


def test_a_regimen_of_one_drug_is_that_drug_and_of_several_is_their_combination() -> None:
    records = [
        drug("PMKG:drug/ipilimumab", "Ipilimumab", "civic"),
        drug("NCIT:C68814", "Nivolumab", "civic"),
        drug("PMKG:drug/ipilimumab/nivolumab_regimen", "Ipilimumab/Nivolumab Regimen", "civic"),
        drug("PMKG:drug/larotrectinib", "Larotrectinib", "civic"),
        drug("NCIT:C190000", "Larotrectinib Regimen", "civic"),  # a regimen concept's own code
        drug("PMKG:drug/folfox_regimen", "FOLFOX Regimen", "civic"),
        drug("PMKG:drug/xyz/nivolumab_regimen", "XYZ-1/Nivolumab Regimen", "civic"),
    ]
    resolution = resolve_drugs(records)
    ids = resolution.drug_ids
    assert ids["NCIT:C190000"] == ids["PMKG:drug/larotrectinib"]
    (larotrectinib,) = [n for n in resolution.nodes if n.id == ids["PMKG:drug/larotrectinib"]]
    assert larotrectinib.name == "Larotrectinib"
    assert REGIMEN in larotrectinib.props["identity_rules"]
    regimen = ids["PMKG:drug/ipilimumab/nivolumab_regimen"]
    assert resolution.regimens == {regimen: (ids["PMKG:drug/ipilimumab"], "NCIT:C68814")}
    # an acronym, and a regimen listing a drug the build does not hold, stay as named
    assert ids["PMKG:drug/folfox_regimen"] == "PMKG:drug/folfox_regimen"
    assert ids["PMKG:drug/xyz/nivolumab_regimen"] not in resolution.regimens

    prov = (Provenance("civic", "1", "CC0-1.0", "x"),)
    named = Node("PMKG:therapy/ipilimumab/nivolumab_regimen", Label.THERAPY, "Ipilimumab/Nivolumab Regimen", (),
                 {"interaction": "single"}, prov)  # fmt: skip
    combination = Node("PMKG:therapy/ipilimumab+nivolumab", Label.THERAPY, "Ipilimumab + Nivolumab", (),
                       {"interaction": "combination"}, prov)  # fmt: skip
    edges = [
        Edge(combination.id, RelType.HAS_COMPONENT, "PMKG:drug/ipilimumab"),
        Edge(combination.id, RelType.HAS_COMPONENT, "NCIT:C68814"),
        Edge(named.id, RelType.HAS_COMPONENT, "PMKG:drug/ipilimumab/nivolumab_regimen"),
    ]
    for order in ([combination, named], [named, combination]):
        therapy_ids, nodes, counts = resolve_therapies(order, edges, resolution)
        (node,) = nodes
        assert set(therapy_ids.values()) == {node.id} == {"PMKG:therapy/ipilimumab+nivolumab"}
        assert (node.name, node.props["interaction"], node.props["drug_count"]) == (
            "Ipilimumab + Nivolumab",
            "combination",
            2,
        )
        assert node.props["identity_rules"] == [REGIMEN]
        assert node.synonyms == ("Ipilimumab/Nivolumab Regimen",)
        assert counts["merged"] == 1
