"""What a new release of an evidence source changes, item by item, between two builds.

:func:`diff_evidence` reads one source's items from two stores through the store port (two kept
builds of one store are opened with ``open_store(kind, build=ID)``) and lists:

* ``added`` and ``removed`` items (by the source's own record id: ``CIVIC.EID:1935``,
  ``PMKG:recommendation/PA166296758``).  "Removed" means the new build lacks it: the source withdrew
  it, or the loader skipped its row (``new_skipped_rows`` says how many rows the new build skipped);
* ``changed`` items, each field that changed with its value before and after.  For evidence
  (CIViC, MOAlmanac, CGI …) the fields are the source's level, the normalised tier, evidence type,
  significance, direction, and the variant, disease and therapy it is about (compared by graph id,
  shown by name); for PGx recommendations (CPIC through PharmCAT) the drug, the phenotype lookup,
  action, strength and classification.

Counts come by kind (added, removed, changed), by field changed, and by evidence type.  It only
reads; what a change does to patients' answers is the curation service's impact report.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.records import Node, PropValue
from kg.schema import Label, RelType
from kg.stores.port import Store


class EvidenceField(enum.StrEnum):
    LEVEL = "level"
    TIER = "tier"
    EVIDENCE_TYPE = "evidence type"
    SIGNIFICANCE = "significance"
    DIRECTION = "direction"
    VARIANT = "variant"
    DISEASE = "disease"
    THERAPY = "therapy"
    DRUG = "drug"
    PHENOTYPE = "phenotype"
    ACTION = "action"
    STRENGTH = "strength"
    CLASSIFICATION = "classification"


# Fields read from each item's own properties, by label.
_PROPERTY_FIELDS: dict[Label, tuple[tuple[EvidenceField, str], ...]] = {
    Label.EVIDENCE: (
        (EvidenceField.LEVEL, "level"),
        (EvidenceField.TIER, "tier"),
        (EvidenceField.EVIDENCE_TYPE, "evidence_type"),
        (EvidenceField.SIGNIFICANCE, "significance"),
        (EvidenceField.DIRECTION, "direction"),
    ),
    Label.RECOMMENDATION: (
        (EvidenceField.PHENOTYPE, "lookup_key"),
        (EvidenceField.ACTION, "action"),
        (EvidenceField.STRENGTH, "strength"),
        (EvidenceField.CLASSIFICATION, "classification"),
    ),
}
# Fields read from the item's relationships: the targets' ids, by label.
_EDGE_FIELDS: dict[Label, tuple[tuple[EvidenceField, RelType], ...]] = {
    Label.EVIDENCE: (
        (EvidenceField.VARIANT, RelType.ABOUT),
        (EvidenceField.DISEASE, RelType.IN_DISEASE),
        (EvidenceField.THERAPY, RelType.WITH_THERAPY),
    ),
    Label.RECOMMENDATION: ((EvidenceField.DRUG, RelType.FOR_DRUG),),
}


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One item of a source as a diff compares it: every field as comparable text."""

    id: str
    label: Label
    kind: str  # the evidence type ("predictive"), or "recommendation"
    fields: Mapping[EvidenceField, str]  # compared: graph ids for the variant, disease, therapy and drug
    shown: Mapping[EvidenceField, str]  # shown: the same with names, ``melanoma (DOID:1909)``

    def summary(self) -> str:
        """``CIVIC.EID:79 predictive: BRAF V600E (…), melanoma (DOID:1909), Vemurafenib (…), B``."""
        get = self.shown.get
        parts = [get(EvidenceField.VARIANT) or get(EvidenceField.DRUG), get(EvidenceField.DISEASE)]
        parts += [get(EvidenceField.THERAPY) or get(EvidenceField.PHENOTYPE)]
        level = get(EvidenceField.LEVEL) or get(EvidenceField.ACTION)
        text = ", ".join(p for p in parts if p)
        return f"{self.id} {self.kind}: {text}" + (f", {level}" if level else "")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: EvidenceField
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class EvidenceChange:
    item: EvidenceItem  # as in the new build
    changes: tuple[FieldChange, ...]

    def describe(self) -> str:
        what = "; ".join(f"{c.field} {c.before or '(none)'!r} → {c.after or '(none)'!r}" for c in self.changes)
        return f"{self.item.id} {self.item.kind}: {what}"


@dataclass(frozen=True)
class EvidenceDiff:
    """Every item of ``source`` added, removed or changed from the old build to the new one."""

    source: str
    old_build: str
    new_build: str
    old_version: str
    new_version: str
    added: tuple[EvidenceItem, ...]
    removed: tuple[EvidenceItem, ...]
    changed: tuple[EvidenceChange, ...]
    unchanged: int
    new_skipped_rows: int = 0  # rows of the source the new build's loader skipped (bad or unresolvable)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                "unchanged": self.unchanged}  # fmt: skip

    def counts_by_field(self) -> dict[str, int]:
        """Changed items by the field that changed (an item counts once per field)."""
        counted = Counter(c.field for change in self.changed for c in change.changes)
        return {str(f): counted[f] for f in EvidenceField if counted[f]}

    def counts_by_kind(self) -> dict[str, dict[str, int]]:
        """Added, removed and changed items by evidence type (or ``recommendation``)."""
        table: dict[str, Counter[str]] = {
            "added": Counter(i.kind for i in self.added),
            "removed": Counter(i.kind for i in self.removed),
            "changed": Counter(c.item.kind for c in self.changed),
        }
        return {what: dict(sorted(counter.items())) for what, counter in table.items()}

    def change(self, item_id: str) -> EvidenceChange | None:
        return next((c for c in self.changed if c.item.id == item_id), None)

    def as_json(self) -> dict[str, Any]:
        def item(i: EvidenceItem) -> dict[str, Any]:
            return {"id": i.id, "kind": i.kind, **{str(f): v for f, v in i.shown.items()}}

        return {
            "source": self.source,
            "old_build": self.old_build,
            "new_build": self.new_build,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "new_skipped_rows": self.new_skipped_rows,
            "counts": self.counts(),
            "changed_fields": self.counts_by_field(),
            "by_kind": self.counts_by_kind(),
            "added": [item(i) for i in self.added],
            "removed": [item(i) for i in self.removed],
            "changed": [
                {
                    "id": c.item.id,
                    "kind": c.item.kind,
                    "changes": [{"field": str(f.field), "before": f.before, "after": f.after} for f in c.changes],
                }
                for c in self.changed
            ],
        }


def diff_evidence(old_store: Store, new_store: Store, source: str) -> EvidenceDiff:
    """The items of evidence source ``source`` (``civic``, ``moalmanac``, ``pharmcat`` …) added, removed and
    changed from the build ``old_store`` answers from to the one ``new_store`` answers from.

    Raises :class:`~kg.errors.InputError` naming the sources of both builds when neither holds ``source``.
    """
    old_manifest, new_manifest = old_store.current_build(), new_store.current_build()
    if old_manifest is None or new_manifest is None:
        raise InputError("both builds must be complete to diff their evidence (run `pmkg build`)")
    versions = [{s.name: s.version for s in m.sources} for m in (old_manifest, new_manifest)]
    skipped = sum(s.skipped_rows for s in new_manifest.sources if s.name == source)
    if source not in versions[0] and source not in versions[1]:
        names = sorted(set(versions[0]) | set(versions[1]))
        raise InputError(f"source {source!r} is in neither build; their sources are: {', '.join(names)}")
    old, new = evidence_items(old_store, source), evidence_items(new_store, source)
    changed: list[EvidenceChange] = []
    unchanged = 0
    for item_id in sorted(old.keys() & new.keys()):
        before, after = old[item_id], new[item_id]
        changes = tuple(
            FieldChange(f, before.shown.get(f, ""), after.shown.get(f, ""))
            for f in EvidenceField
            if before.fields.get(f, "") != after.fields.get(f, "")
        )
        if changes:
            changed.append(EvidenceChange(after, changes))
        else:
            unchanged += 1
    return EvidenceDiff(
        source=source,
        old_build=old_manifest.build_id,
        new_build=new_manifest.build_id,
        old_version=versions[0].get(source, "(not in this build)"),
        new_version=versions[1].get(source, "(not in this build)"),
        added=tuple(new[i] for i in sorted(new.keys() - old.keys())),
        removed=tuple(old[i] for i in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
        unchanged=unchanged,
        new_skipped_rows=skipped,
    )


def evidence_items(store: Store, source: str) -> dict[str, EvidenceItem]:
    """Every evidence item and PGx recommendation ``source`` contributed to the store's build, by id."""
    nodes = [n for label in _PROPERTY_FIELDS for n in store.nodes_with_label(label) if _from(n, source)]
    if not nodes:
        return {}
    wanted = {n.id for n in nodes}
    targets: dict[tuple[str, RelType], list[str]] = {}
    rels = {rel for fields in _EDGE_FIELDS.values() for _, rel in fields}
    for rel in sorted(rels):
        for edge in store.edges(rel):
            if edge.start in wanted:
                targets.setdefault((edge.start, rel), []).append(edge.end)
    names = _Names(store)
    items: dict[str, EvidenceItem] = {}
    for node in nodes:
        fields: dict[EvidenceField, str] = {}
        shown: dict[EvidenceField, str] = {}
        for field, prop in _PROPERTY_FIELDS[node.label]:
            text = _text(node.props.get(prop))
            if text:
                fields[field] = shown[field] = text
        for field, rel in _EDGE_FIELDS[node.label]:
            ends = sorted(set(targets.get((node.id, rel), [])))
            if ends:
                fields[field] = "; ".join(ends)
                shown[field] = "; ".join(names(e) for e in ends)
        kind = str(node.props.get("evidence_type", "")) or str(node.label).lower()
        items[node.id] = EvidenceItem(node.id, node.label, kind, fields, shown)
    return items


def _from(node: Node, source: str) -> bool:
    return any(p.source == source for p in node.provenance)


def _text(value: PropValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


class _Names:
    """``BRAF V600E (PMKG:variant/BRAF:V600E)``: a target shown by name, compared by id, looked up once."""

    def __init__(self, store: Store) -> None:
        self._get: Callable[[str], Node | None] = store.get_node
        self._memo: dict[str, str] = {}

    def __call__(self, node_id: str) -> str:
        known = self._memo.get(node_id)
        if known is None:
            node = self._get(node_id)
            known = self._memo[node_id] = f"{node.name} ({node_id})" if node is not None else node_id
        return known
