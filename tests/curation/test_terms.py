"""Term diff and graph-effect rules on the cases real releases rarely show together: obsolete terms with
``replaced_by`` (one or several), ``consider`` only, ids no release mentions again, and an id that is an
alt_id of two terms.  The migration must never pick among several targets."""

from __future__ import annotations

from kg.curation.effects import Migration, migration_of
from kg.curation.terms import ChangeKind, TermState, diff_terms


def _term(term_id: str, name: str, **fields: object) -> TermState:
    return TermState(term_id, name, **fields)  # type: ignore[arg-type]


OLD = {
    "DOID:1": _term("DOID:1", "adenoma", parents=frozenset({"DOID:4"})),
    "DOID:2": _term("DOID:2", "old carcinoma", parents=frozenset({"DOID:4"})),
    "DOID:3": _term("DOID:3", "unclear tumour", parents=frozenset({"DOID:4"})),
    "DOID:5": _term("DOID:5", "split disease", parents=frozenset({"DOID:4"})),
    "DOID:6": _term("DOID:6", "twice merged", parents=frozenset({"DOID:4"})),
    "DOID:7": _term("DOID:7", "vanished", parents=frozenset({"DOID:4"})),
}
NEW = {
    "DOID:1": _term("DOID:1", "adenoma", parents=frozenset({"DOID:4"})),
    "DOID:2": _term("DOID:2", "old carcinoma", obsolete=True, replaced_by=("DOID:1",)),
    "DOID:3": _term("DOID:3", "unclear tumour", obsolete=True, consider=("DOID:1", "DOID:8")),
    "DOID:5": _term("DOID:5", "split disease", obsolete=True, replaced_by=("DOID:8", "DOID:9")),
    "DOID:8": _term("DOID:8", "one", parents=frozenset({"DOID:4"}), alt_ids=frozenset({"DOID:6"})),
    "DOID:9": _term("DOID:9", "two", parents=frozenset({"DOID:4"}), alt_ids=frozenset({"DOID:6"})),
}


def _by_id() -> dict[str, object]:
    return {c.term_id: c for c in diff_terms("disease_ontology", OLD, NEW).changes}


def test_obsolete_with_one_replacement_migrates_to_it() -> None:
    change = _by_id()["DOID:2"]
    assert change.kind == ChangeKind.OBSOLETED_REPLACED  # type: ignore[attr-defined]
    assert migration_of(change)[:2] == (Migration.MIGRATE, ("DOID:1",))  # type: ignore[arg-type]


def test_consider_only_is_left_to_a_curator_with_its_candidates() -> None:
    change = _by_id()["DOID:3"]
    assert change.kind == ChangeKind.OBSOLETED  # type: ignore[attr-defined]
    assert migration_of(change)[:2] == (Migration.REVIEW, ("DOID:1", "DOID:8"))  # type: ignore[arg-type]


def test_several_replacements_or_two_merging_terms_are_never_chosen_between() -> None:
    split, merged_twice = _by_id()["DOID:5"], _by_id()["DOID:6"]
    assert migration_of(split)[0] == Migration.REVIEW  # type: ignore[arg-type]
    assert merged_twice.kind == ChangeKind.MERGED  # type: ignore[attr-defined]
    assert migration_of(merged_twice)[:2] == (Migration.REVIEW, ("DOID:8", "DOID:9"))  # type: ignore[arg-type]


def test_an_id_gone_without_a_record_is_deleted_and_its_evidence_orphaned() -> None:
    change = _by_id()["DOID:7"]
    assert change.kind == ChangeKind.DELETED  # type: ignore[attr-defined]
    migration, targets, note = migration_of(change)  # type: ignore[arg-type]
    assert (migration, targets) == (Migration.ORPHANED, ())
    assert "no replacement" in note


def test_counts_and_term_totals_leave_obsolete_terms_out() -> None:
    diff = diff_terms("disease_ontology", OLD, NEW)
    assert (diff.old_terms, diff.new_terms) == (6, 3)
    assert diff.counts == {"created": 2, "obsoleted": 1, "obsoleted_replaced": 2, "merged": 1, "deleted": 1}


def test_obsolete_terms_kept_as_replaces_and_consider_for_on_current_terms() -> None:
    # The Disease Ontology loader keeps an obsolete term on the terms it points to (loaders.obo.retired_term_props).
    from kg.curation.terms import term_snapshot  # noqa: F401  (reads the same properties from a build)

    old = {"DOID:625": _term("DOID:625", "gone"), "DOID:5709": _term("DOID:5709", "mixed-type liposarcoma"),
           "DOID:99": _term("DOID:99", "alt and replaced")}  # fmt: skip
    new = {
        "DOID:5363": _term("DOID:5363", "myxoid liposarcoma", replaces=frozenset({"DOID:5709"})),
        "DOID:2583": _term("DOID:2583", "a", consider_for=frozenset({"DOID:625"})),
        "DOID:624": _term("DOID:624", "b", consider_for=frozenset({"DOID:625"})),
        "DOID:98": _term("DOID:98", "c", alt_ids=frozenset({"DOID:99"}), replaces=frozenset({"DOID:99"})),
    }
    changes = {c.term_id: c for c in diff_terms("disease_ontology", old, new).changes}
    assert (changes["DOID:5709"].kind, changes["DOID:5709"].targets) == (ChangeKind.OBSOLETED_REPLACED, ("DOID:5363",))
    assert changes["DOID:625"].kind == ChangeKind.OBSOLETED
    assert migration_of(changes["DOID:625"])[:2] == (Migration.REVIEW, ("DOID:2583", "DOID:624"))
    # An id that is an alt_id of its replacement is a merge, as DO records merges.
    assert (changes["DOID:99"].kind, changes["DOID:99"].targets) == (ChangeKind.MERGED, ("DOID:98",))
