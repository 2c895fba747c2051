"""OncoTree: MSK's tumour-type tree, each type mapped onto the Disease Ontology.

Reads one OncoTree release as JSON, either the nested tree (``trees/oncotree_*.json`` in the
cBioPortal/oncotree repository, the API's ``/api/tumorTypes/tree``) or the API's flat list
(``/api/tumorTypes``), and yields:

* one ``Disease`` node per tumour type, ``ONCOTREE:LUAD`` named "Lung Adenocarcinoma", with
  the code (and codes it had in earlier releases, ``history``) as synonyms so ``LUAD`` finds
  it, and ``main_type``, ``tissue``, ``level``, ``color``, ``ncit``, ``umls``,
  ``previous_codes``, ``precursors``, ``revocations`` as properties;
* ``SUBCLASS_OF`` from each type to its parent type (``LUAD`` → ``NSCLC`` → ``LUNG`` → ``TISSUE``);
* ``MAPS_TO`` from a type to its Disease Ontology terms, found by
  :func:`loaders.oncotree_mapping.map_tumor_types` (shared NCIt code, shared UMLS CUI, the
  same name, the tissue's cancer, the name without its qualifiers, else the nearest mapped
  ancestor's terms).  The edge's ``method`` says which (:class:`~kg.schema.DiseaseMapping`)
  and ``via`` what it matched on; the type's node repeats the method as ``do_mapping`` (and
  ``mapped_through``, the ancestor, for ``oncotree_ancestor``), because the query layer reads
  nodes.  Targets come from a :class:`~loaders.disease_ontology.DiseaseOntologyIndex` (by
  default the DO bundled with pmkg), so every target is a real DO term and a minimal node for
  it (id and DO label) is yielded too: an OncoTree-only build is complete.

OncoTree is CC BY 4.0: attribution travels in ``spec.attribution``.  It must never map by
name similarity beyond the rules of :mod:`loaders.oncotree_mapping`.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from kg.errors import SourceFileError
from kg.records import Edge, Node, PropValue, Record
from kg.schema import Label, RelType
from loaders.base import SourceSpec, open_text
from loaders.disease_ontology import MapsToDiseaseOntology
from loaders.oncotree_mapping import DoMapping, TypeCodes, map_tumor_types

ONCOTREE_VERSION = "oncotree_2025_10_03"
STARTER_FILE = "oncotree_2025_10_03.json.gz"
ATTRIBUTION = (
    "OncoTree (release oncotree_2025_10_03), Memorial Sloan Kettering Cancer Center, "
    "https://github.com/cBioPortal/oncotree, licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Unmodified; bundled gzip-compressed."
)
_CODE = re.compile(r"^\S+$")  # codes are letters and digits, a few with "/" or "-" (MDS/MPN, HCL-V)


@dataclass(frozen=True, slots=True)
class TumorType:
    """One OncoTree node as the loader needs it."""

    code: str
    name: str
    parent: str | None
    raw: Mapping[str, Any]
    where: str  # "TISSUE > LUNG > NSCLC > LUAD", for error messages


class OncoTreeLoader(MapsToDiseaseOntology):
    """OncoTree tumour types, their tree, and their mapping onto the Disease Ontology."""

    spec = SourceSpec(
        name="oncotree",
        title="OncoTree",
        license="CC-BY-4.0",
        license_url="https://creativecommons.org/licenses/by/4.0/",
        redistributable=True,
        homepage="https://oncotree.info",
        files={"tree": "https://raw.githubusercontent.com/cBioPortal/oncotree/master/trees/oncotree_2025_10_03.json"},
        attribution=ATTRIBUTION,
    )

    @classmethod
    def starter(cls, *, skip_bad_rows: bool = False) -> Self:
        """The loader over the OncoTree release bundled with pmkg."""
        folder = importlib.resources.files("loaders") / "starter" / "oncotree"
        return cls({"tree": Path(str(folder / STARTER_FILE))}, version=ONCOTREE_VERSION, skip_bad_rows=skip_bad_rows)

    def parse(self) -> Iterator[Record]:
        types = list(self.tumor_types())
        codes = {t.code for t in types}
        mappings = map_tumor_types([_type_codes(t, codes) for t in types], self.do_index)
        mapped: set[str] = set()
        for tumor in types:
            mapping = mappings.get(tumor.code)
            yield self._node(tumor, codes, mapping)
            provenance = self.provenance(tumor.code)
            if tumor.parent is not None:
                if tumor.parent not in codes:
                    self.bad(self._error(tumor, f"parent {tumor.parent!r} is not a code of this release", "parent"))
                else:
                    yield Edge(f"ONCOTREE:{tumor.code}", RelType.SUBCLASS_OF, f"ONCOTREE:{tumor.parent}",
                               provenance=provenance)  # fmt: skip
            if mapping is None:
                continue
            for doid in mapping.targets:
                if doid not in mapped:
                    mapped.add(doid)
                    yield Node(doid, Label.DISEASE, self.do_index.name(doid) or doid, provenance=provenance)
                props: dict[str, PropValue] = {"method": str(mapping.method), "via": list(mapping.via)}
                yield Edge(f"ONCOTREE:{tumor.code}", RelType.MAPS_TO, doid, props, provenance)

    def _node(self, tumor: TumorType, codes: set[str], mapping: DoMapping | None) -> Node:
        raw = tumor.raw
        props: dict[str, PropValue] = {}
        for key, prop in (("mainType", "main_type"), ("tissue", "tissue"), ("color", "color")):
            value = raw.get(key)
            if isinstance(value, str) and value:
                props[prop] = value
        level = raw.get("level")
        if isinstance(level, int) and not isinstance(level, bool):
            props["level"] = level
        for key, prop in (("NCI", "ncit"), ("UMLS", "umls")):
            values = code_list(external_references(raw).get(key))
            if values:
                props[prop] = values
        for key, prop in (("history", "previous_codes"), ("precursors", "precursors"), ("revocations", "revocations")):
            values = code_list(raw.get(key))
            if values:
                props[prop] = values
        if mapping is not None:
            props["do_mapping"] = str(mapping.method)
            if mapping.through is not None:
                props["mapped_through"] = f"ONCOTREE:{mapping.through}"
        # Earlier codes of this type find it too, unless the code now names another type.
        previous = [c for c in code_list(raw.get("history")) if c not in codes]
        synonyms = tuple(dict.fromkeys([tumor.code, *previous]))
        return Node(f"ONCOTREE:{tumor.code}", Label.DISEASE, tumor.name, synonyms, props, self.provenance(tumor.code))

    # -- reading the JSON ---------------------------------------------------------------
    def tumor_types(self) -> Iterator[TumorType]:
        """Every tumour type of the release, parents before children (the tree's order)."""
        path = self.paths["tree"]
        try:
            with open_text(path) as handle:
                data = json.load(handle)
        except json.JSONDecodeError as exc:
            raise SourceFileError(
                str(path), exc.lineno, f"not valid JSON ({exc.msg} at column {exc.colno}); is the file truncated?"
            ) from None
        except (EOFError, OSError, UnicodeDecodeError) as exc:
            raise SourceFileError(str(path), None, f"cannot read the file ({exc}); is it truncated?") from None
        if isinstance(data, list):
            yield from self._flat(data)
        elif isinstance(data, dict) and data:
            for key, root in data.items():
                yield from self._walk(root, None, key)
        else:
            raise SourceFileError(
                str(path), 1, 'expected an OncoTree tree ({"TISSUE": {...}}) or a list of tumour types'
            )

    def _walk(self, raw: Any, parent: str | None, where: str) -> Iterator[TumorType]:
        tumor = self._tumor(raw, parent, where)
        if tumor is None:
            return
        yield tumor
        children = raw.get("children") or {}
        if not isinstance(children, dict):
            self.bad(self._error(tumor, "'children' must be an object of code → tumour type", "children"))
            return
        for key, child in children.items():
            yield from self._walk(child, tumor.code, f"{tumor.where} > {key}")

    def _flat(self, items: list[Any]) -> Iterator[TumorType]:
        for position, raw in enumerate(items, start=1):
            parent = raw.get("parent") if isinstance(raw, dict) else None
            tumor = self._tumor(raw, parent if isinstance(parent, str) and parent else None, f"item {position}")
            if tumor is not None:
                yield tumor

    def _tumor(self, raw: Any, parent: str | None, where: str) -> TumorType | None:
        path = str(self.paths["tree"])
        if not isinstance(raw, dict):
            self.bad(SourceFileError(path, None, f"{where}: expected a tumour type object, got {type(raw).__name__}"))
            return None
        code, name = raw.get("code"), raw.get("name")
        if not isinstance(code, str) or not _CODE.match(code):
            self.bad(
                SourceFileError(path, None, f"{where}: expected a code such as 'LUAD', got {code!r}", field="code")
            )
            return None
        if not isinstance(name, str) or not name.strip():
            self.bad(SourceFileError(path, None, f"{where}: tumour type {code} has no name", field="name"))
            return None
        return TumorType(code, name.strip(), parent, raw, where)

    def _error(self, tumor: TumorType, problem: str, field: str) -> SourceFileError:
        return SourceFileError(str(self.paths["tree"]), None, f"{tumor.where}: {problem}", field=field)


def _type_codes(tumor: TumorType, codes: set[str]) -> TypeCodes:
    references = external_references(tumor.raw)
    parent = tumor.parent if tumor.parent in codes else None
    return TypeCodes(tumor.code, tumor.name, parent, tuple(code_list(references.get("NCI"))),
                     tuple(code_list(references.get("UMLS"))))  # fmt: skip


def external_references(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    references = raw.get("externalReferences")
    return references if isinstance(references, dict) else {}


def code_list(value: Any) -> list[str]:
    """A list of non-empty code strings from a JSON value (a list of strings, or one string)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v.strip() for v in value if isinstance(v, str) and v.strip()))
