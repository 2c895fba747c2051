"""One OncoTree release as a whole: every tumour type with its parent and OncoTree's own history fields.

Read from a release file by :func:`loaders.oncotree_release.read_oncotree_release`; compared by
:mod:`kg.oncotree_diff`.  Pure data; never reads a file or writes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.oncotree_codes import TypeFields


@dataclass(frozen=True, slots=True)
class ReleaseType:
    """One tumour type of a release: its code, name, parent and OncoTree's own history fields."""

    code: str
    name: str
    parent: str | None = None
    main_type: str = ""
    tissue: str = ""
    history: tuple[str, ...] = ()  # earlier codes of this very type (same URI)
    precursors: tuple[str, ...] = ()  # retired codes this type took over
    revocations: tuple[str, ...] = ()  # retired codes whose cases must be re-reviewed, this type among the choices
    ncit: tuple[str, ...] = ()
    umls: tuple[str, ...] = ()


@dataclass(frozen=True)
class OncoTreeRelease:
    """A whole OncoTree release: its version and every tumour type by code."""

    version: str
    path: Path
    types: Mapping[str, ReleaseType]
    has_tree: bool  # parents are known
    has_history: bool  # history / precursors / revocations fields are present

    @functools.cached_property
    def fields(self) -> dict[str, TypeFields]:
        """What remapping needs of each type (:mod:`kg.oncotree_codes`)."""
        return {
            code: TypeFields(code, t.parent, t.history, t.precursors, t.revocations) for code, t in self.types.items()
        }
