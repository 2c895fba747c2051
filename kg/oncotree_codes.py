"""OncoTree codes across releases: where a code of one release went in a later one.

OncoTree records its own history on each tumour type of a release (cBioPortal/oncotree "OncoTree
History Modeling"):

* ``history`` — earlier codes of this very type (the same URI, a new code: ``PTCLNOS`` → ``PTCL``);
* ``precursors`` — retired codes whose cases all belong to this type now (``CLL`` and ``SLL`` →
  ``CLLSLL``); a code may be the precursor of several types;
* ``revocations`` — retired codes whose cases must be reviewed, this type among the choices
  (``ALL`` → ``BLL`` or ``TLL``).

:func:`forward_candidates` and :func:`remap_code` follow the rules of OncoTree's own mapping tool
(``oncotree_to_oncotree.py``, forward direction): the type whose ``history`` holds the code wins
outright; otherwise every type naming it a precursor; otherwise every type naming it a revocation;
otherwise the same code if the later release still has it.  The outcome is then:

* ``unambiguous`` — one choice, and the later release added no type below it;
* ``more granular`` — one choice, but the later release added types below it that the code did not
  have ("more granular choices introduced": the case may belong to a new subtype);
* ``ambiguous`` — several choices (a curator picks one; pmkg never does);
* ``none`` — no choice; the nearest codes of its neighbourhood (parent, children, then further up)
  that do map are listed, with their closest common parent;
* ``not in source`` — the code is not a code of the earlier release at all.

This module is pure: it reads no file (:mod:`loaders.oncotree_release` does) and never decides
between choices.

>>> later = {"BLL": TypeFields("BLL", revocations=("ALL",)), "TLL": TypeFields("TLL", revocations=("ALL",)),
...          "MTNN": TypeFields("MTNN", history=("TNKL",))}
>>> forward_candidates("ALL", later)
(('BLL', 'TLL'), <Via.REVOCATIONS: 'revocations'>)
>>> forward_candidates("TNKL", later)
(('MTNN',), <Via.HISTORY: 'history'>)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Codes the mapping tool passes through untouched: "NA" is how cBioPortal files say "no diagnosis".
PASSTHROUGH_CODES = frozenset({"NA"})


class Via(enum.StrEnum):
    """Which of OncoTree's fields took a code to its choices."""

    HISTORY = "history"
    PRECURSORS = "precursors"
    REVOCATIONS = "revocations"
    SAME_CODE = "same code"


class RemapOutcome(enum.StrEnum):
    """How a code of one release maps onto a later one, as OncoTree's mapping tool reports it."""

    UNAMBIGUOUS = "unambiguous"
    MORE_GRANULAR = "more granular"
    AMBIGUOUS = "ambiguous"
    NONE = "none"
    NOT_IN_SOURCE = "not in source"


@dataclass(frozen=True, slots=True)
class TypeFields:
    """What remapping needs of one tumour type: its code, parent and OncoTree's history fields."""

    code: str
    parent: str | None = None
    history: tuple[str, ...] = ()
    precursors: tuple[str, ...] = ()
    revocations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Remapping:
    """Where one code of an earlier release goes in a later one."""

    code: str
    outcome: RemapOutcome
    choices: tuple[str, ...] = ()
    via: Via | None = None
    new_children: tuple[str, ...] = ()  # types the later release added below the choices
    neighbours: tuple[str, ...] = ()  # for ``none``: nearby codes that do map
    closest_common_parent: str | None = None

    def tool_text(self) -> str:
        """The ``ONCOTREE_CODE_OPTIONS`` text OncoTree's mapping tool writes for this code.

        >>> Remapping("ALL", RemapOutcome.AMBIGUOUS, ("BLL", "TLL"), Via.REVOCATIONS, ("BLLNOS",)).tool_text()
        'ALL -> {BLL,TLL}, more granular choices introduced'
        """
        if self.outcome is RemapOutcome.NOT_IN_SOURCE:
            if not self.code:
                return 'ONCOTREE_CODE column blank : use a valid OncoTree code or "NA"'
            return f"{self.code} -> ???, OncoTree code not in source OncoTree version"
        if self.outcome is RemapOutcome.UNAMBIGUOUS:
            return self.choices[0]
        if self.outcome is RemapOutcome.NONE:
            text = f"{self.code} -> Neighborhood: {','.join(self.neighbours)}"
        else:
            text = f"{self.code} -> {{{','.join(self.choices)}}}"
        return text + (", more granular choices introduced" if self.new_children else "")


def forward_candidates(code: str, later: Mapping[str, TypeFields]) -> tuple[tuple[str, ...], Via | None]:
    """The codes of ``later`` a code of an earlier release maps to, and the field that says so."""
    for via, field in ((Via.HISTORY, "history"), (Via.PRECURSORS, "precursors"), (Via.REVOCATIONS, "revocations")):
        found = tuple(sorted(c for c, t in later.items() if code in getattr(t, field)))
        if found:
            return found, via
    if code in later:
        return (code,), Via.SAME_CODE
    return (), None


def remap_code(code: str, earlier: Mapping[str, TypeFields], later: Mapping[str, TypeFields]) -> Remapping:
    """Where ``code`` of release ``earlier`` goes in release ``later`` (see the module docstring).

    Both releases are given whole (code → :class:`TypeFields`), because "more granular" compares
    the types below the code in the earlier release with those below its choices in the later one.
    """
    code = code.strip()
    if code in PASSTHROUGH_CODES:
        return Remapping(code, RemapOutcome.UNAMBIGUOUS, (code,), Via.SAME_CODE)
    if code not in earlier:
        return Remapping(code, RemapOutcome.NOT_IN_SOURCE)
    choices, via = forward_candidates(code, later)
    if not choices:
        neighbours = _neighbours({code}, earlier, later, include_children=True, seen=set())
        return Remapping(
            code,
            RemapOutcome.NONE,
            neighbours=neighbours,
            closest_common_parent=closest_common_parent(neighbours, later),
        )
    before = _below([code], earlier)
    new_children = tuple(sorted(_below(choices, later) - before))
    if len(choices) > 1:
        parent = closest_common_parent(choices, later) if new_children else None
        return Remapping(code, RemapOutcome.AMBIGUOUS, choices, via, new_children, closest_common_parent=parent)
    if new_children:
        return Remapping(code, RemapOutcome.MORE_GRANULAR, choices, via, new_children, closest_common_parent=choices[0])
    return Remapping(code, RemapOutcome.UNAMBIGUOUS, choices, via)


def closest_common_parent(codes: Iterable[str], release: Mapping[str, TypeFields]) -> str | None:
    """The deepest code that is ``codes`` itself or an ancestor of every one of them in ``release``."""
    chains = [_lineage(code, release) for code in codes if code in release]
    if not chains:
        return None
    common: str | None = None
    for level in zip(*chains, strict=False):
        if len(set(level)) != 1:
            break
        common = level[0]
    return common


def _lineage(code: str, release: Mapping[str, TypeFields]) -> list[str]:
    """Root first, ``code`` last."""
    chain = [code]
    parent = release[code].parent
    while parent is not None and parent in release and parent not in chain:
        chain.append(parent)
        parent = release[parent].parent
    return chain[::-1]


def _below(codes: Iterable[str], release: Mapping[str, TypeFields]) -> set[str]:
    children: dict[str, list[str]] = {}
    for tumor in release.values():
        if tumor.parent is not None:
            children.setdefault(tumor.parent, []).append(tumor.code)
    found: set[str] = set()
    todo = [c for code in codes for c in children.get(code, ())]
    while todo:
        code = todo.pop()
        if code not in found:
            found.add(code)
            todo.extend(children.get(code, ()))
    return found


def _neighbours(
    codes: set[str],
    earlier: Mapping[str, TypeFields],
    later: Mapping[str, TypeFields],
    *,
    include_children: bool,
    seen: set[str],
) -> tuple[str, ...]:
    """Codes of ``later`` that the relatives of ``codes`` map to: parent and children first, then further up."""
    relatives: set[str] = set()
    mapped: set[str] = set()
    for code in codes:
        tumor = earlier[code]
        if tumor.parent is not None and tumor.parent in earlier:
            relatives.add(tumor.parent)
        if include_children:
            relatives.update(c.code for c in earlier.values() if c.parent == code)
        mapped.update(forward_candidates(code, later)[0])
    if mapped:
        return tuple(sorted(mapped))
    relatives -= seen
    if not relatives:
        return ()
    return _neighbours(relatives, earlier, later, include_children=False, seen=seen | codes)
