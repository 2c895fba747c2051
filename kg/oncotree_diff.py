"""What a new OncoTree release changes against an older one: the curator's OncoTree diff.

:func:`diff_releases` compares two releases (read from files by
:func:`loaders.oncotree_release.diff_oncotree_releases`: tree JSON, flat JSON or TSV) and lists, code
by code:

* ``added`` — a code of the new release that the old one lacks and that is no earlier code of it;
* ``retired`` — a code of the old release the new one lacks, with where its cases go
  (:class:`~kg.oncotree_codes.Remapping`: unambiguous, more granular, ambiguous or none, exactly as
  OncoTree's own mapping tool would say, from the new release's ``history`` / ``precursors`` /
  ``revocations``);
* ``code changed`` — a retired code the new release keeps as an earlier code (``history``) of one
  type: the same type under a new code;
* ``renamed`` — a code kept whose name changed;
* ``re-parented`` — a code kept whose parent changed (``ASTR`` from ``DIFG`` to ``ADIFG``);
* ``main type changed`` — a code kept whose main type changed;
* ``cross-references changed`` — a code kept whose NCIt or UMLS codes changed (what pmkg maps
  OncoTree onto the Disease Ontology by, so a change here can move a code's DO terms).

What a layout cannot say is listed in :attr:`OncoTreeDiff.not_compared` (a TSV without parents
cannot show re-parenting; a release without history fields can only keep codes by their own name)
rather than reported as "no change".  This module reads files and compares them; it never changes
a build.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kg.oncotree_codes import RemapOutcome, Remapping, Via, remap_code
from kg.oncotree_release import OncoTreeRelease, ReleaseType


class OncoTreeChangeKind(enum.StrEnum):
    ADDED = "added"
    RETIRED = "retired"
    CODE_CHANGED = "code changed"
    RENAMED = "renamed"
    REPARENTED = "re-parented"
    MAIN_TYPE_CHANGED = "main type changed"
    XREFS_CHANGED = "cross-references changed"


@dataclass(frozen=True, slots=True)
class OncoTreeChange:
    """One change to one code: ``before`` / ``after`` are the names, parents, main types or codes compared."""

    kind: OncoTreeChangeKind
    code: str
    name: str
    before: str | None = None
    after: str | None = None
    remapping: Remapping | None = None  # for retired and changed codes

    def describe(self) -> str:
        """One line for a curator.

        >>> OncoTreeChange(OncoTreeChangeKind.RENAMED, "GB", "Glioblastoma, IDH-Wildtype", "Glioblastoma",
        ...                "Glioblastoma, IDH-Wildtype").describe()
        "GB renamed: 'Glioblastoma' → 'Glioblastoma, IDH-Wildtype'"
        """
        if self.kind is OncoTreeChangeKind.ADDED:
            return f"{self.code} added: {self.name!r} under {self.after or '(no parent)'}"
        if self.remapping is not None:
            remap = self.remapping
            target = ", ".join(remap.choices) or (
                f"no code (neighbourhood: {', '.join(remap.neighbours) or 'none'})" if remap.neighbours else "no code"
            )
            via = f" by {remap.via}" if remap.via else ""
            return f"{self.code} {self.kind} ({self.name!r}): {remap.outcome} → {target}{via}"
        return f"{self.code} {self.kind}: {self.before!r} → {self.after!r}"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": str(self.kind), "code": self.code, "name": self.name}
        if self.before is not None or self.after is not None:
            data["before"], data["after"] = self.before, self.after
        if self.remapping is not None:
            remap = self.remapping
            data["mapping"] = {
                "outcome": str(remap.outcome),
                "choices": list(remap.choices),
                "via": str(remap.via) if remap.via else None,
                "new_children": list(remap.new_children),
                "neighbours": list(remap.neighbours),
                "closest_common_parent": remap.closest_common_parent,
                "tool_text": remap.tool_text(),
            }
        return data


@dataclass(frozen=True)
class OncoTreeDiff:
    """Every change from one OncoTree release to another, code by code, sorted by kind then code."""

    old_version: str
    new_version: str
    changes: tuple[OncoTreeChange, ...]
    not_compared: tuple[str, ...] = ()

    def of_kind(self, kind: OncoTreeChangeKind) -> list[OncoTreeChange]:
        return [c for c in self.changes if c.kind is kind]

    def change(self, code: str, kind: OncoTreeChangeKind) -> OncoTreeChange | None:
        return next((c for c in self.changes if c.code == code and c.kind is kind), None)

    def counts(self) -> dict[str, int]:
        """Changes by kind (every kind present, zero included)."""
        counted = Counter(c.kind for c in self.changes)
        return {str(kind): counted[kind] for kind in OncoTreeChangeKind}

    def outcomes(self) -> dict[str, int]:
        """Retired and changed codes by mapping outcome (every outcome present, zero included)."""
        counted = Counter(c.remapping.outcome for c in self.changes if c.remapping is not None)
        return {str(o): counted[o] for o in RemapOutcome if o is not RemapOutcome.NOT_IN_SOURCE}

    def as_json(self) -> dict[str, Any]:
        return {
            "source": "oncotree",
            "old_version": self.old_version,
            "new_version": self.new_version,
            "counts": self.counts(),
            "mapping_outcomes": self.outcomes(),
            "not_compared": list(self.not_compared),
            "changes": [c.as_json() for c in self.changes],
        }


def diff_releases(old: OncoTreeRelease, new: OncoTreeRelease) -> OncoTreeDiff:
    """The changes from release ``old`` to release ``new`` (both read whole)."""
    changes: list[OncoTreeChange] = []
    earlier, later = old.fields, new.fields
    kept_as_history = {past for t in new.types.values() for past in t.history if past not in new.types}
    for code in sorted(set(old.types) - set(new.types)):
        remapping = remap_code(code, earlier, later)
        kind = OncoTreeChangeKind.CODE_CHANGED if remapping.via is Via.HISTORY else OncoTreeChangeKind.RETIRED
        new_code = remapping.choices[0] if kind is OncoTreeChangeKind.CODE_CHANGED else None
        changes.append(OncoTreeChange(kind, code, old.types[code].name, code, new_code, remapping))
    for code in sorted(set(new.types) - set(old.types)):
        tumor = new.types[code]
        if any(past in old.types and past in kept_as_history for past in tumor.history):
            continue  # the same type under a new code: listed as "code changed"
        changes.append(OncoTreeChange(OncoTreeChangeKind.ADDED, code, tumor.name, None, tumor.parent))
    compare_parents = old.has_tree and new.has_tree
    for code in sorted(set(old.types) & set(new.types)):
        before, after = old.types[code], new.types[code]
        if before.name != after.name:
            changes.append(OncoTreeChange(OncoTreeChangeKind.RENAMED, code, after.name, before.name, after.name))
        if compare_parents and before.parent != after.parent:
            changes.append(OncoTreeChange(OncoTreeChangeKind.REPARENTED, code, after.name, before.parent, after.parent))
        if before.main_type and after.main_type and before.main_type != after.main_type:
            changes.append(
                OncoTreeChange(
                    OncoTreeChangeKind.MAIN_TYPE_CHANGED, code, after.name, before.main_type, after.main_type
                )
            )
        if old.has_history and new.has_history and _xrefs(before) != _xrefs(after):
            changes.append(
                OncoTreeChange(OncoTreeChangeKind.XREFS_CHANGED, code, after.name, _xrefs(before), _xrefs(after))
            )
    order = list(OncoTreeChangeKind)
    changes.sort(key=lambda c: (order.index(c.kind), c.code))
    return OncoTreeDiff(old.version, new.version, tuple(changes), _not_compared(old, new))


def _xrefs(tumor: ReleaseType) -> str:
    """``NCIt C3512; UMLS C0152013``: a type's cross-references as one comparable text."""
    parts = [
        f"NCIt {' '.join(sorted(tumor.ncit))}" if tumor.ncit else "",
        f"UMLS {' '.join(sorted(tumor.umls))}" if tumor.umls else "",
    ]
    return "; ".join(p for p in parts if p) or "none"


def _not_compared(old: OncoTreeRelease, new: OncoTreeRelease) -> tuple[str, ...]:
    notes: list[str] = []
    for release in (old, new):
        if not release.has_tree:
            notes.append(f"{release.version} ({release.path.name}) has no parents: re-parented codes are not compared")
    if not new.has_history:
        notes.append(
            f"{new.version} ({new.path.name}) has no history/precursors/revocations: a retired code maps only to "
            "itself, so every retired code reads as 'none'"
        )
    if not old.has_tree:
        notes.append(
            f"{old.version} has no tree: 'more granular' counts every type now below a retired code's choice as new"
        )
    if not (old.has_history and new.has_history):
        notes.append("cross-references are not compared (one release is a table without them)")
    return tuple(notes)
