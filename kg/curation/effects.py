"""Graph effect: the evidence a release's term changes touch, and how each item would migrate.

For every term a release retires (obsoleted, merged, deleted) or moves, :func:`graph_effect` lists the
evidence that names it, read from the current build: evidence ``IN_DISEASE`` of a disease term, and
evidence ``ABOUT`` a variant whose consequence (Sequence Ontology) is the term.  Each item gets one
:class:`Migration`:

* ``migrate`` — exactly one replacement (``replaced_by``, or the term the id merged into): the evidence
  follows it;
* ``review`` — ``consider`` targets or several replacements: listed for a curator, never chosen;
* ``orphaned`` — retired with no replacement named: the evidence loses its term until a curator decides;
* ``hierarchy`` — the term stays but its parents change: the evidence now reaches other diagnoses.

It must never pick a target among several: only a single ``replaced_by`` or ``alt_id`` is followed.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kg.curation.terms import ChangeKind, TermChange, TermDiff
from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Direction, Store

_AFFECTING = frozenset({ChangeKind.OBSOLETED, ChangeKind.OBSOLETED_REPLACED, ChangeKind.MERGED, ChangeKind.DELETED,
                        ChangeKind.MOVED})  # fmt: skip


class Migration(enum.StrEnum):
    MIGRATE = "migrate"
    REVIEW = "review"
    ORPHANED = "orphaned"
    HIERARCHY = "hierarchy"


@dataclass(frozen=True)
class AffectedEvidence:
    """One evidence item (or recommendation) that names a changed term, and what becomes of it."""

    evidence_id: str
    source: str
    term_id: str
    term_name: str
    change: ChangeKind
    migration: Migration
    targets: tuple[str, ...]
    note: str

    def as_dict(self) -> dict[str, object]:
        return {
            "evidence_id": self.evidence_id,
            "source": self.source,
            "term_id": self.term_id,
            "term_name": self.term_name,
            "change": str(self.change),
            "migration": str(self.migration),
            "targets": list(self.targets),
            "note": self.note,
        }


def migration_of(change: TermChange) -> tuple[Migration, tuple[str, ...], str]:
    """What becomes of evidence about the term ``change`` concerns: the migration, its targets and why.

    >>> migration_of(TermChange(ChangeKind.MERGED, "DOID:1", "x", targets=("DOID:2",)))
    (<Migration.MIGRATE: 'migrate'>, ('DOID:2',), 'DOID:1 was merged into DOID:2 (now its alt_id)')
    """
    targets = change.targets
    if change.kind == ChangeKind.MOVED:
        before = ", ".join(change.before) or "no parent"
        after = ", ".join(change.after) or "no parent"
        return Migration.HIERARCHY, change.after, f"{change.term_id} stays; its parents change from {before} to {after}"
    if change.kind == ChangeKind.MERGED:
        if len(targets) == 1:
            return Migration.MIGRATE, targets, f"{change.term_id} was merged into {targets[0]} (now its alt_id)"
        return Migration.REVIEW, targets, f"{change.term_id} is an alt_id of several terms: {', '.join(targets)}"
    if change.kind == ChangeKind.OBSOLETED_REPLACED:
        if len(targets) == 1:
            return Migration.MIGRATE, targets, f"{change.term_id} is obsolete, replaced_by {targets[0]}"
        return Migration.REVIEW, targets, f"{change.term_id} is obsolete with several replaced_by: {', '.join(targets)}"
    if targets:  # obsoleted with consider
        return Migration.REVIEW, targets, f"{change.term_id} is obsolete; consider {', '.join(targets)}"
    what = "is obsolete" if change.kind == ChangeKind.OBSOLETED else "is no longer in the release"
    return Migration.ORPHANED, (), f"{change.term_id} {what} and no replacement is named"


def graph_effect(store: Store, diff: TermDiff) -> list[AffectedEvidence]:
    """Evidence of the build ``store`` answers from that names a term ``diff`` retires or moves."""
    found: list[AffectedEvidence] = []
    for change in diff.changes:
        if change.kind not in _AFFECTING:
            continue
        items = _evidence_naming(store, change.term_id)
        if not items:
            continue
        migration, targets, note = migration_of(change)
        for item in items:
            source = item.provenance[0].source if item.provenance else ""
            found.append(AffectedEvidence(item.id, source, change.term_id, change.name, change.kind, migration,
                                          targets, note))  # fmt: skip
    return found


def count_by_migration(effects: Iterable[AffectedEvidence]) -> dict[str, int]:
    counted = Counter(str(e.migration) for e in effects)
    return {str(m): counted[str(m)] for m in Migration if counted[str(m)]}


def _evidence_naming(store: Store, term_id: str) -> list[Node]:
    node = store.get_node(term_id)
    if node is None:
        return []
    items: dict[str, Node] = {}
    if node.label == Label.DISEASE:
        for item in store.neighbours(term_id, RelType.IN_DISEASE, Direction.IN):
            items[item.id] = item
    elif node.label == Label.CONSEQUENCE:
        variants = store.neighbour_ids(term_id, RelType.HAS_CONSEQUENCE, Direction.IN)
        for evidence in store.evidence_for(variants).values():
            items.update((e.id, e) for e in evidence)
    return [items[k] for k in sorted(items) if items[k].label in (Label.EVIDENCE, Label.RECOMMENDATION)]
