"""Local curation edits: a curator's own synonyms, disease mappings and deprecations, applied at build time.

The edits live in one versioned overlay file, ``PMKG_HOME/curation/local_edits.yaml`` (:func:`edits_path`):
a ``revision`` number that every change raises, and a list of edits, each with who made it, when and why:

* ``synonym`` — ``term`` (any node id) is also called ``value``;
* ``mapping`` — disease ``term`` (an OncoTree type, a MONDO or NCIt term) is the same disease as the
  Disease Ontology term ``value``.  It *replaces* the term's other mappings (``curated_maps_to`` on the
  term: the query layer follows it instead of the source's ``MAPS_TO`` edges, so a type OncoTree mapped
  only through an ancestor becomes the DO disease it is);
* ``deprecate`` — ``term`` is locally deprecated, replaced by ``value``: queries read it as ``value``
  with a warning, and evidence filed under it counts as ``value``'s.

:class:`LocalCurationLoader` turns the file into records of source ``local_curation`` (its version
``revision N by NAME, …``, its provenance "local curation by NAME"), built after every other source
so its properties win (:mod:`kg.merge`).  It must never invent a term: each edit names the node's label
and name as the build had them when the edit was made.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Self

import yaml

from kg.errors import InputError, SourceFileError
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import (
    CURATED_BY,
    CURATED_MAPS_TO,
    LOCALLY_DEPRECATED_BY,
    LOCALLY_REPLACES,
    DiseaseMapping,
    Label,
    RelType,
)
from kg.stores.port import Store
from loaders.base import Loader, SourceSpec

FORMAT = "pmkg-local-curation/1"
KINDS = ("synonym", "mapping", "deprecate")


def edits_path(home: Path) -> Path:
    """Where the overlay file of PMKG_HOME ``home`` lives."""
    return home / "curation" / "local_edits.yaml"


@dataclass(frozen=True, slots=True)
class CurationEdit:
    """One local edit: ``kind`` of ``term`` (a node of ``label`` called ``name``) with ``value``."""

    id: int
    kind: str
    term: str
    label: str
    name: str
    value: str
    curator: str
    reason: str = ""
    added: str = ""  # ISO 8601 UTC


@dataclass(frozen=True)
class CurationEdits:
    """The whole overlay: its revision and its edits, in the order they were made."""

    revision: int = 0
    edits: tuple[CurationEdit, ...] = ()

    @classmethod
    def read(cls, path: Path) -> Self:
        """The overlay at ``path`` (an empty one if there is no file); SourceFileError naming what is wrong."""
        if not path.is_file():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SourceFileError(str(path), None, f"not a readable YAML overlay ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SourceFileError(str(path), None, f"expected a pmkg local curation overlay (format: {FORMAT})")
        revision, raw = data.get("revision"), data.get("edits") or []
        if not isinstance(revision, int) or not isinstance(raw, list):
            raise SourceFileError(str(path), None, "expected 'revision' (a number) and 'edits' (a list)")
        edits = tuple(_edit(path, position, item) for position, item in enumerate(raw, start=1))
        return cls(revision, edits)

    def write(self, path: Path) -> None:
        """Write the overlay atomically (a reader sees the old file or the new one, never half)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "# pmkg local curation edits: change them with `pmkg curate edit …`, not by hand\n"
        text += yaml.safe_dump(
            {"format": FORMAT, "revision": self.revision, "edits": [asdict(e) for e in self.edits]},
            sort_keys=False,
            allow_unicode=True,
        )
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".local_edits.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)

    def add(self, edit: CurationEdit) -> Self:
        if edit.kind not in KINDS:
            raise InputError(f"unknown edit kind {edit.kind!r}; expected one of {', '.join(KINDS)}")
        duplicate = next((e for e in self.edits if (e.kind, e.term, e.value) == (edit.kind, edit.term, edit.value)),
                         None)  # fmt: skip
        if duplicate is not None:
            raise InputError(f"edit {duplicate.id} already says this ({duplicate.kind} {duplicate.term} → "
                             f"{duplicate.value}, by {duplicate.curator})")  # fmt: skip
        if edit.kind in ("mapping", "deprecate") and edit.value == edit.term:
            raise InputError(f"a {edit.kind} of {edit.term} must name another term")
        next_id = max((e.id for e in self.edits), default=0) + 1
        stamped = replace(edit, id=next_id, added=edit.added or _now())
        return type(self)(self.revision + 1, (*self.edits, stamped))

    def remove(self, edit_id: int) -> Self:
        if not any(e.id == edit_id for e in self.edits):
            known = ", ".join(str(e.id) for e in self.edits) or "none"
            raise InputError(f"no local edit {edit_id}; the edits are: {known} (see `pmkg curate edit list`)")
        return type(self)(self.revision + 1, tuple(e for e in self.edits if e.id != edit_id))

    def replaced_by(self, other: CurationEdits) -> Self:
        """These edits replaced by an imported overlay's, as one new revision."""
        return type(self)(max(self.revision, other.revision) + 1, other.edits)

    @property
    def curators(self) -> list[str]:
        return sorted({e.curator for e in self.edits})

    @property
    def version(self) -> str:
        """``revision 4 by alice, bob``: the source version a build names."""
        return f"revision {self.revision} by {', '.join(self.curators) or 'nobody'}"


def checked_edit(store: Store, kind: str, term: str, value: str, curator: str, reason: str = "") -> CurationEdit:
    """A new edit, checked against the build ``store`` answers from: the term must exist; a mapping's target
    must be a Disease Ontology term and the term a disease; a deprecation's replacement a node of the same label.

    Raises :class:`~kg.errors.InputError` saying which id is wrong and why.
    """
    if kind not in KINDS:
        raise InputError(f"unknown edit kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not curator.strip():
        raise InputError("say who makes this edit (--curator, PMKG_CURATOR, or the API key's name)")
    if not value.strip():
        raise InputError(f"the {kind}'s value is empty")
    node = _existing(store, term, "term")
    if kind == "mapping":
        target = _existing(store, value, "DOID")
        if node.label != Label.DISEASE or target.label != Label.DISEASE or not target.id.startswith("DOID:"):
            raise InputError(f"a mapping needs a disease and a Disease Ontology term; got {node.id} ({node.label}) "
                             f"and {target.id} ({target.label})")  # fmt: skip
        value = target.id
    elif kind == "deprecate":
        target = _existing(store, value, "replacement")
        if target.label != node.label:
            raise InputError(f"the replacement {target.id} is a {target.label}, {node.id} a {node.label}")
        value = target.id
    return CurationEdit(0, kind, node.id, str(node.label), node.name, value.strip(), curator.strip(), reason.strip())


def _existing(store: Store, node_id: str, what: str) -> Node:
    node = store.get_node(node_id.strip())
    if node is None:
        raise InputError(f"{what}: no node {node_id!r} in the current build (ids are case-sensitive: DOID:3910)")
    return node


class LocalCurationLoader(Loader):
    """The overlay file's edits as records (built last, so its properties win)."""

    spec = SourceSpec(
        name="local_curation",
        title="Local curation edits",
        license="LicenseRef-local",
        license_url="",
        redistributable=False,
        homepage="",
        files={"edits": ""},
        attribution="Edits made by this installation's curators (pmkg curate edit).",
    )

    @classmethod
    def from_home(cls, home: Path) -> Self | None:
        """The loader over PMKG_HOME's overlay, or None when there is no edit."""
        path = edits_path(home)
        edits = CurationEdits.read(path)
        if not edits.edits:
            return None
        return cls({"edits": path}, version=edits.version)

    def parse(self) -> Iterator[Record]:
        edits = CurationEdits.read(self.paths["edits"])
        curated_maps: dict[str, list[str]] = {}
        replaces: dict[str, list[str]] = {}
        first: dict[str, CurationEdit] = {}
        for edit in edits.edits:
            provenance = _provenance(self, edit)
            label = Label(edit.label)
            if edit.kind == "synonym":
                yield Node(edit.term, label, edit.name, (edit.value,), provenance=provenance)
            elif edit.kind == "mapping":
                curated_maps.setdefault(edit.term, []).append(edit.value)
                first.setdefault(edit.term, edit)
                props: dict[str, PropValue] = {"method": str(DiseaseMapping.LOCAL_CURATION), "via": [edit.curator]}
                yield Edge(edit.term, RelType.MAPS_TO, edit.value, props, provenance)
            else:
                replaces.setdefault(edit.value, []).append(edit.term)
                deprecated: dict[str, PropValue] = {LOCALLY_DEPRECATED_BY: edit.value, CURATED_BY: _who(edit)}
                yield Node(edit.term, label, edit.name, props=deprecated, provenance=provenance)
        for term, targets in curated_maps.items():
            edit = first[term]
            mapped: dict[str, PropValue] = {CURATED_MAPS_TO: list(targets), CURATED_BY: _who(edit),
                                            "do_mapping": str(DiseaseMapping.LOCAL_CURATION)}  # fmt: skip
            yield Node(term, Label(edit.label), edit.name, props=mapped, provenance=_provenance(self, edit))
        for target, terms in replaces.items():
            edit = next(e for e in edits.edits if e.kind == "deprecate" and e.value == target)
            yield Node(target, Label(edit.label), target, props={LOCALLY_REPLACES: terms},
                       provenance=_provenance(self, edit))  # fmt: skip


def _provenance(loader: LocalCurationLoader, edit: CurationEdit) -> tuple[Provenance, ...]:
    return (Provenance(loader.spec.name, loader.version, loader.spec.license,
                       f"edit {edit.id}: local curation by {edit.curator}"),)  # fmt: skip


def _who(edit: CurationEdit) -> str:
    return f"edit {edit.id} by {edit.curator}" + (f": {edit.reason}" if edit.reason else "")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def _edit(path: Path, position: int, item: Any) -> CurationEdit:
    where = f"edit {position}"
    if not isinstance(item, Mapping):
        raise SourceFileError(str(path), None, f"{where}: expected a mapping of id, kind, term, value, curator")
    fields = {k: item.get(k) for k in CurationEdit.__dataclass_fields__}
    missing = [k for k in ("id", "kind", "term", "label", "name", "value", "curator") if fields[k] in (None, "")]
    if missing:
        raise SourceFileError(str(path), None, f"{where}: missing {', '.join(missing)}")
    if fields["kind"] not in KINDS:
        raise SourceFileError(str(path), None, f"{where}: kind {fields['kind']!r} is not one of {', '.join(KINDS)}")
    if fields["label"] not in {str(label) for label in Label}:
        raise SourceFileError(str(path), None, f"{where}: label {fields['label']!r} is not a node label")
    if not isinstance(fields["id"], int):
        raise SourceFileError(str(path), None, f"{where}: id must be a number")
    return CurationEdit(**{k: (v if k == "id" else str(v or "")) for k, v in fields.items()})  # type: ignore[arg-type]
