"""Regressions: a curator could not correct the graph locally, so OncoTree's T-Lymphoblastic Leukemia/Lymphoma
(TLL, which reaches DO only through its ancestor "lymphoma") never met CIViC's T-ALL evidence (DOID:5603).

The starter graph, then the starter plus a local curation overlay (loaders.local_curation), each edit named.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from loaders.local_curation import CurationEdit, CurationEdits, LocalCurationLoader, edits_path
from loaders.registry import starter_loaders
from queries.diseases import resolve_disease
from queries.graph_view import view_for
from queries.matching import match_therapies
from tests.queries.matching_stores import embedded_starter


def _proximity(store: Store, evidence_id: str) -> str:
    result = match_therapies(store, ["NT5C2 R367Q"], "TLL")
    hits = [h for t in result.therapies for h in t.entry.hits if h.evidence.id == evidence_id]
    assert hits, evidence_id
    return hits[0].proximity


@pytest.fixture(scope="module")
def curated() -> Store:
    home = Path(tempfile.mkdtemp(prefix="pmkg-local-curation-"))
    edits = CurationEdits()
    for edit in (
        CurationEdit(
            0,
            "mapping",
            "ONCOTREE:TLL",
            "Disease",
            "T-Lymphoblastic Leukemia/Lymphoma",
            "DOID:5603",
            "alice",
            "T-LBL/ALL is DO's T-cell acute lymphoblastic leukemia",
        ),
        CurationEdit(0, "synonym", "DOID:3910", "Disease", "lung adenocarcinoma", "LADC", "bob"),
        CurationEdit(0, "deprecate", "ONCOTREE:GNOS", "Disease", "Glioma, NOS", "DOID:3070", "alice", "use DO glioma"),
    ):
        edits = edits.add(edit)
    edits.write(edits_path(home))
    loader = LocalCurationLoader.from_home(home)
    assert loader is not None
    store = EmbeddedStore(home / "graph")
    run_build(store, [*starter_loaders(), loader])
    return store


def test_a_curated_mapping_makes_t_all_evidence_the_patients_disease(curated: Store) -> None:
    before = embedded_starter()
    assert _proximity(before, "CIVIC.EID:630") == "other"  # NT5C2 R367Q → 6-MP resistance, in T-ALL
    assert _proximity(curated, "CIVIC.EID:630") == "exact"


def test_the_curated_mapping_replaces_the_ancestor_mapping_and_its_note(curated: Store) -> None:
    found = resolve_disease(curated, "TLL", view=view_for(curated))
    assert found is not None
    assert found.same == frozenset({"ONCOTREE:TLL", "DOID:5603"})
    assert "DOID:0060058" not in found.same  # lymphoma: no longer "the same disease" through LYMPH
    assert found.notes == ()


def test_a_local_synonym_finds_the_term(curated: Store) -> None:
    found = resolve_disease(curated, "LADC", view=view_for(curated))
    assert found is not None
    assert found.id == "DOID:3910"


def test_a_locally_deprecated_term_reads_as_its_replacement_with_a_warning(curated: Store) -> None:
    found = resolve_disease(curated, "Glioma, NOS", view=view_for(curated))
    assert found is not None
    assert found.id == "DOID:3070"
    assert "ONCOTREE:GNOS" in found.same
    assert found.notes[0] == ("ONCOTREE:GNOS (Glioma, NOS) is deprecated by local curation (edit 3 by alice: use DO "
                              "glioma): read as DOID:3070 (high grade glioma)")  # fmt: skip


def test_the_build_names_the_overlay_revision_and_its_curators(curated: Store) -> None:
    manifest = curated.current_build()
    assert manifest is not None
    local = next(s for s in manifest.sources if s.name == "local_curation")
    assert local.version == "revision 3 by alice, bob"
    node = curated.get_node("ONCOTREE:TLL")
    assert node is not None
    assert any(p.record_id == "edit 1: local curation by alice" for p in node.provenance)
