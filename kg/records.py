"""Typed records that flow from loaders into stores and back out to queries.

A record is a :class:`Node` or an :class:`Edge`; each carries its :class:`Provenance`
(source, source version, licence, the source's own record id and, for tabular files, the
line).  Records are plain frozen dataclasses: they never touch a store or the disk.

>>> p = Provenance("disease_ontology", "2026-07-31", "CC0-1.0", "DOID:3910", line=12)
>>> Node("DOID:3910", Label.DISEASE, "lung adenocarcinoma", provenance=(p,)).label
<Label.DISEASE: 'Disease'>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.schema import Label, RelType

Scalar = str | int | float | bool
PropValue = Scalar | list[str] | list[int] | list[float]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: enough to find the source line again."""

    source: str
    version: str
    license: str
    record_id: str
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "version": self.version,
            "license": self.license,
            "record_id": self.record_id,
        }
        if self.line is not None:
            out["line"] = self.line
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        return cls(
            source=data["source"],
            version=data["version"],
            license=data["license"],
            record_id=data["record_id"],
            line=data.get("line"),
        )


@dataclass(frozen=True, slots=True)
class Node:
    """One graph node: a CURIE ``id``, its ``label``, a ``name``, ``synonyms`` and properties."""

    id: str
    label: Label
    name: str
    synonyms: tuple[str, ...] = ()
    props: Mapping[str, PropValue] = field(default_factory=dict)
    provenance: tuple[Provenance, ...] = ()

    def describe(self) -> str:
        """Short text naming the record and where it came from, for error messages."""
        return f"{self.label} {self.id!r}{_where(self.provenance)}"


@dataclass(frozen=True, slots=True)
class Edge:
    """One relationship ``start -[type]-> end`` between node ids."""

    start: str
    type: RelType
    end: str
    props: Mapping[str, PropValue] = field(default_factory=dict)
    provenance: tuple[Provenance, ...] = ()

    @property
    def key(self) -> tuple[str, RelType, str]:
        return (self.start, self.type, self.end)

    def describe(self) -> str:
        return f"({self.start})-[:{self.type}]->({self.end}){_where(self.provenance)}"


Record = Node | Edge


def _where(provenance: tuple[Provenance, ...]) -> str:
    if not provenance:
        return ""
    p = provenance[0]
    line = f", line {p.line}" if p.line is not None else ""
    return f" (from {p.source} {p.version}, record {p.record_id}{line})"
