"""The schema's rules, and that its prefixes are bioregistry's."""

from __future__ import annotations

import bioregistry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import SchemaError
from kg.identifiers import BIOREGISTRY_IRIS, LOCAL_PREFIXES, converter
from kg.schema import (
    LABELS,
    METAEDGES,
    RESERVED_PROPERTIES,
    Label,
    RelType,
    display_prefix,
    validate_edge_fields,
    validate_node_fields,
)


def test_every_schema_prefix_is_a_bioregistry_prefix_or_declared_local() -> None:
    for spec in LABELS.values():
        for prefix in spec.prefixes:
            if prefix in LOCAL_PREFIXES:
                assert bioregistry.normalize_prefix(prefix) is None, f"{prefix} is now in bioregistry: use it"
                continue
            assert bioregistry.normalize_prefix(prefix) is not None, prefix
            preferred = bioregistry.get_preferred_prefix(prefix)
            if preferred:
                assert preferred.upper() == display_prefix(prefix)


def test_the_pinned_iris_are_the_installed_bioregistrys_for_every_schema_prefix() -> None:
    """A bioregistry release that changes a prefix's IRI would rename every such node in the RDF view: seen here."""
    schema_prefixes = {p for spec in LABELS.values() for p in spec.prefixes} - set(LOCAL_PREFIXES)
    assert set(BIOREGISTRY_IRIS) == schema_prefixes
    for prefix, pinned in BIOREGISTRY_IRIS.items():
        resource = bioregistry.get_resource(prefix)
        assert resource is not None, prefix
        assert resource.get_uri_prefix() == pinned, f"bioregistry now gives {prefix} another IRI"


def test_curies_expand_to_bioregistry_iris() -> None:
    assert converter().expand("DOID:3910") == "http://purl.obolibrary.org/obo/DOID_3910"
    assert converter().expand("HGNC:1097").endswith("1097")
    assert converter().expand("PMKG:class/BRAF:V600") == "https://w3id.org/pmkg/id/class/BRAF:V600"


def test_every_label_has_a_spec_and_every_metaedge_uses_known_labels() -> None:
    assert set(LABELS) == set(Label)
    assert {rel for _, rel, _ in METAEDGES} == set(RelType)


@pytest.mark.parametrize(
    ("node_id", "label", "name", "props", "message"),
    [
        ("BRAF", Label.GENE, "BRAF", {"symbol": "BRAF"}, "is not a CURIE"),
        ("DOID:1", Label.GENE, "BRAF", {"symbol": "BRAF"}, "prefix DOID: is not allowed for Gene; expected HGNC:"),
        ("HGNC:1097", Label.GENE, "BRAF", {}, "required property 'symbol' is missing"),
        ("HGNC:1097", Label.GENE, "  ", {"symbol": "BRAF"}, "'name' is required"),
        ("CIVIC.EID:1", Label.EVIDENCE, "E1", {"evidence_type": "anecdotal"}, "expected one of"),
        ("HGNC:1097", Label.GENE, "BRAF", {"symbol": "BRAF", "x": {"a": 1}}, "property 'x' has type dict"),
        ("HGNC:1097", Label.GENE, "BRAF", {"symbol": "BRAF", "x": [1, "a"]}, "list of one scalar type"),
        ("HGNC:1097", Label.GENE, "BRAF", {"symbol": "BRAF", "build": "b1"}, "reserved"),
        ("HGNC:1097", Label.GENE, "BRAF", {"symbol": "BRAF", "x": float("nan")}, "NaN"),
    ],
)
def test_node_rules_name_the_record_and_the_rule(
    node_id: str, label: Label, name: str, props: dict[str, object], message: str
) -> None:
    with pytest.raises(SchemaError, match=message) as caught:
        validate_node_fields(node_id, label, name, props)
    assert node_id in str(caught.value)


def test_shared_prefix_is_allowed_for_each_of_its_labels() -> None:
    validate_node_fields("NCIT:C3058", Label.DISEASE, "glioblastoma", {})
    validate_node_fields("NCIT:C82386", Label.DRUG, "dabrafenib", {})


def test_edge_must_follow_the_metagraph() -> None:
    validate_edge_fields("CIVIC.EID:1", RelType.ABOUT, "PMKG:class/BRAF:V600", Label.EVIDENCE, Label.VARIANT_CLASS, {})
    with pytest.raises(SchemaError, match="may point at Disease"):
        validate_edge_fields("CIVIC.EID:1", RelType.IN_DISEASE, "HGNC:1", Label.EVIDENCE, Label.GENE, {})


@given(
    st.dictionaries(
        # Every name but the store's own (Hypothesis also tries the module's string constants: "pmkg_lookup").
        st.text(min_size=1).filter(lambda k: k not in RESERVED_PROPERTIES),
        st.one_of(st.integers(), st.text(), st.booleans(), st.lists(st.text())),
    )
)
def test_scalar_and_list_props_are_accepted(props: dict[str, object]) -> None:
    validate_node_fields("DOID:4", Label.DISEASE, "disease", props)
