"""Sequence Ontology loader: Consequence terms, their synonyms and is-a hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from loaders.sequence_ontology import SO_VERSION, SequenceOntologyLoader

SO = Path(__file__).parents[1] / "data" / "sequence_ontology" / "so.obo"


def loader(path: Path = SO, *, skip_bad_rows: bool = False) -> SequenceOntologyLoader:
    return SequenceOntologyLoader({"so": path}, version=SO_VERSION, skip_bad_rows=skip_bad_rows)


def test_missense_variant_is_a_consequence_under_sequence_variant() -> None:
    records = list(loader().parse())
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    missense = nodes["SO:0001583"]
    assert missense.label == Label.CONSEQUENCE
    assert missense.name == "missense_variant"
    assert {"missense", "VEP:missense_variant", "snpEff:NON_SYNONYMOUS_CODING"} <= set(missense.synonyms)
    related = missense.props["related_synonyms"]
    assert isinstance(related, list)
    assert "ANNOVAR:nonsynonymous SNV" in related
    assert missense.props["branch"] == ["sequence_variant"]
    assert nodes["SO:0000694"].props["branch"] == ["sequence_feature"]  # SNP: a feature, still typed by sources
    assert "SO:1000059" not in nodes  # obsolete
    edges = {(r.start, r.end) for r in records if isinstance(r, Edge) and r.type == RelType.SUBCLASS_OF}
    assert ("SO:0001583", "SO:0001992") in edges


def test_provenance_leads_back_to_the_id_line() -> None:
    lines = SO.read_text(encoding="utf-8").splitlines()
    for record in loader().parse():
        p = record.provenance[0]
        assert p.line is not None
        assert lines[p.line - 1] == f"id: {p.record_id}"


def test_build_reaches_sequence_variant_from_missense(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [loader()])
    assert manifest.counts["Consequence"] == 27
    assert {"SO:0001650", "SO:0001576", "SO:0001060"} <= store.ancestors(["SO:0001583"])
    assert [n.id for n in store.find("missense")] == ["SO:0001583"]
    assert [n.id for n in store.find("VEP:stop_gained", Label.CONSEQUENCE)] == ["SO:0001587"]


def test_dangling_is_a_is_a_bad_stanza(tmp_path: Path) -> None:
    path = tmp_path / "so.obo"
    text = SO.read_text(encoding="utf-8")
    path.write_text(text.replace("is_a: SO:0001992", "is_a: SO:9999999"), encoding="utf-8")
    with pytest.raises(SourceFileError, match="SO:9999999") as info:
        list(loader(path).parse())
    assert info.value.path == str(path)
    assert info.value.field == "is_a"
    skipping = loader(path, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [skipping])
    assert manifest.sources[0].skipped_rows == text.count("is_a: SO:0001992") == 2


def test_malformed_and_truncated_files(tmp_path: Path) -> None:
    text = SO.read_text(encoding="utf-8")
    broken = tmp_path / "broken.obo"
    broken.write_text(text.replace('synonym: "missense" EXACT', "synonym: missense EXACT"), encoding="utf-8")
    with pytest.raises(SourceFileError, match="quoted synonym") as info:
        list(loader(broken).parse())
    assert info.value.line is not None
    truncated = tmp_path / "truncated.obo"
    truncated.write_text(text[: len(text) // 3], encoding="utf-8")
    with pytest.raises(SourceFileError, match="truncated"):
        list(loader(truncated).parse())


def test_starter_holds_every_current_so_term() -> None:
    records = list(SequenceOntologyLoader.starter().parse())
    nodes = [r for r in records if isinstance(r, Node)]
    assert len(nodes) > 2_300
    assert all(r.provenance[0].version == SO_VERSION for r in records)
