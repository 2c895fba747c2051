"""Which Disease Ontology terms each OncoTree tumour type maps to, and by which method.

OncoTree types carry NCI Thesaurus and UMLS codes, but DO cross-references only some of them
(``BRCA``'s C9245 "Invasive Breast Carcinoma" is in no DO term), so codes alone leave half the
tree — the whole breast branch among it — off the disease tree.  :func:`map_tumor_types`
tries, for each type, in this order (the first that finds a DO term wins;
:class:`~kg.schema.DiseaseMapping` names each):

1. ``ncit_xref`` — a DO term cross-references one of the type's NCIt codes;
2. ``umls_xref`` — a DO term cross-references one of its UMLS CUIs;
3. ``name`` — one DO term is called the type's name, as a label or an exact synonym, ignoring
   case, punctuation, word order, "of the" and a trailing "NOS" (``Breast Invasive Lobular
   Carcinoma`` and DO's ``invasive lobular carcinoma`` do *not* meet here: "breast" is a word);
   OncoTree's "Cancer" is also tried as "Carcinoma" (``Serous Ovarian Cancer``);
4. ``tissue_name`` — a tissue (a child of the root: ``Breast``) is the DO "<tissue> cancer"
   (``breast cancer``); ``tissue_parts`` — a tissue of several organs (``Esophagus/Stomach``)
   holds each organ's DO cancer (``esophageal cancer``, ``stomach cancer``), each narrower;
5. ``broader_name`` — the name without the words that only narrow it (``High-Grade``,
   ``Invasive``, ``Other``: :data:`~kg.disease_names.QUALIFIER_WORDS`) is one DO term, which is
   broader than the type (``High-Grade Serous Ovarian Cancer`` → ``ovarian serous carcinoma``);
6. ``oncotree_ancestor`` — the DO terms of the nearest ancestor mapped by 1–5, which are broader
   (``Pediatric-Type Diffuse Low-Grade Glioma`` → its parent ``Diffuse Glioma``'s).

A name must name exactly one DO term: a name shared by two terms maps by neither.  The types
left unmapped have no mapped ancestor either (the root ``TISSUE`` and ``OTHER`` branch).
This module never fuzzes names beyond these rules and never invents DO terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.disease_names import name_key, strip_nos, without_qualifiers
from kg.schema import DiseaseMapping
from loaders.disease_ontology import DiseaseOntologyIndex

_OTHER = re.compile(r"(?i)[,;]?\s*\bother\b\s*$")
_CANCER = re.compile(r"(?i)\bcancer\b")
# A one-word name this short is an abbreviation ("MDS"), which DO may use for another disease.
_SHORTEST_NAME = 6
# Words of one stem share their first letters (esophagus, esophageal; ovary, ovarian).
_STEM = 4
# How DO names the cancers of a tissue where it does not say "<tissue> cancer".
_TISSUE_CANCERS = {
    "ovary": "ovarian cancer",
    "pancreas": "pancreatic cancer",
    "vagina": "vaginal cancer",
    "penis": "penile cancer",
    "uterus": "uterine cancer",
    "pleura": "pleural cancer",
    "bowel": "intestinal cancer",
    "eye": "ocular cancer",
    "soft tissue": "soft tissue sarcoma",
    "myeloid": "myeloid neoplasm",
    "cns": "central nervous system cancer",
    "peripheral nervous system": "peripheral nervous system neoplasm",
    "urinary tract": "urinary system cancer",
}


@dataclass(frozen=True, slots=True)
class TypeCodes:
    """What mapping needs of one OncoTree type."""

    code: str
    name: str
    parent: str | None
    ncit: tuple[str, ...] = ()
    umls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DoMapping:
    """The DO terms one OncoTree type maps to, how, and on what (shared codes, the name matched, the ancestor)."""

    targets: tuple[str, ...]
    method: DiseaseMapping
    via: tuple[str, ...]
    through: str | None = None  # the ancestor code, for ``oncotree_ancestor``
    parts: tuple[str, ...] = ()  # for ``tissue_name``: the part of the tissue's name each target is the cancer of


def map_tumor_types(types: Sequence[TypeCodes], index: DiseaseOntologyIndex) -> dict[str, DoMapping]:
    """Each type's DO mapping by code; types that nothing maps are left out."""
    by_code = {t.code: t for t in types}
    roots = {t.code for t in types if t.parent is None}
    own: dict[str, DoMapping] = {}
    tissues = [t for t in types if t.parent in roots]
    for tumor in tissues:
        found = _own_mapping(tumor, index, is_tissue=True)
        if found is not None:
            own[tumor.code] = found
    for tumor in types:
        if tumor.parent in roots:
            continue
        tissue = _tissue_of(tumor, by_code, roots)
        found = _own_mapping(tumor, index, is_tissue=False, tissue=tissue, tissue_terms=_targets(own, tissue))
        if found is not None:
            own[tumor.code] = found
    mapped = dict(own)
    for tumor in types:
        if tumor.code in mapped:
            continue
        ancestor = _nearest_mapped_ancestor(tumor, by_code, own)
        if ancestor is not None:
            targets = _named_parts(tumor.name, own[ancestor])
            via = (f"ONCOTREE:{ancestor}",)
            mapped[tumor.code] = DoMapping(targets, DiseaseMapping.ONCOTREE_ANCESTOR, via, ancestor)
    return mapped


def _tissue_of(tumor: TypeCodes, by_code: Mapping[str, TypeCodes], roots: set[str]) -> TypeCodes | None:
    """The tissue (child of the root) a type is filed under."""
    seen: set[str] = set()
    current: TypeCodes | None = tumor
    while current is not None and current.code not in seen:
        if current.parent in roots:
            return current
        seen.add(current.code)
        current = by_code.get(current.parent) if current.parent is not None else None
    return None


def _targets(own: Mapping[str, DoMapping], tissue: TypeCodes | None) -> frozenset[str]:
    found = own.get(tissue.code) if tissue is not None else None
    return frozenset(found.targets) if found is not None else frozenset()


def _own_mapping(
    tumor: TypeCodes,
    index: DiseaseOntologyIndex,
    *,
    is_tissue: bool,
    tissue: TypeCodes | None = None,
    tissue_terms: frozenset[str] = frozenset(),
) -> DoMapping | None:
    for prefix, display, codes, method in (
        ("NCI", "NCIT", tumor.ncit, DiseaseMapping.NCIT_XREF),
        ("UMLS", "UMLS", tumor.umls, DiseaseMapping.UMLS_XREF),
    ):
        targets: dict[str, list[str]] = {}
        for code in codes:
            for doid in index.by_xref(prefix, code):
                targets.setdefault(doid, []).append(f"{display}:{code}")
        if targets:
            return DoMapping(tuple(targets), method, tuple(dict.fromkeys(v for vs in targets.values() for v in vs)))
    found = _by_names(index, _name_forms(tumor.name))
    if found is not None:
        return DoMapping((found[0],), DiseaseMapping.NAME, (found[1],))
    if tissue is not None and tissue_terms:
        # "Breast Invasive Ductal Carcinoma" is DO's "invasive ductal carcinoma", a breast cancer.
        words = {w for part in tissue.name.split("/") for w in name_key(part).split()}
        forms = [" ".join(w for w in name_key(f).split() if w not in words) for f in _name_forms(tumor.name)]
        found = _by_names(index, [f for f in forms if f], under=tissue_terms)
        if found is not None:
            return DoMapping((found[0],), DiseaseMapping.NAME, (found[1],))
    if is_tissue:
        tissues: dict[str, tuple[str, str]] = {}
        for part in tumor.name.split("/"):
            hit = _by_names(index, _tissue_forms(part.strip()))
            if hit is not None:
                tissues.setdefault(hit[0], (hit[1], part.strip()))
        if tissues:
            via, parts = zip(*tissues.values(), strict=True)
            method = DiseaseMapping.TISSUE_NAME if len(tissues) == 1 else DiseaseMapping.TISSUE_PARTS
            return DoMapping(tuple(tissues), method, tuple(via), parts=tuple(parts))
    broader = [without_qualifiers(form) for form in _name_forms(_OTHER.sub("", tumor.name))]
    found = _by_names(index, [b for b in broader if b])
    if found is not None:
        return DoMapping((found[0],), DiseaseMapping.BROADER_NAME, (found[1],))
    return None


def _name_forms(name: str) -> list[str]:
    """The name as written, without "NOS", and with "Cancer" read as "Carcinoma"."""
    forms = [name, strip_nos(name)]
    forms += [_CANCER.sub("carcinoma", f) for f in forms]
    return list(dict.fromkeys(f for f in forms if f))


def _tissue_forms(tissue: str) -> list[str]:
    """How DO names the cancers of a tissue: "<tissue> cancer", "malignant neoplasm of <tissue>", or its own way."""
    forms = [f"{tissue} cancer", f"malignant neoplasm of {tissue}"]
    own = _TISSUE_CANCERS.get(tissue.lower())
    return [own, *forms] if own else forms


def _by_names(
    index: DiseaseOntologyIndex, forms: Iterable[str], *, under: frozenset[str] | None = None
) -> tuple[str, str] | None:
    """The one DO term the first matching form names (in order, then in any word order), with that form.

    With ``under``, only terms below one of those DO terms count.
    """
    forms = list(forms)
    forms = [f for f in forms if len(f) >= _SHORTEST_NAME or " " in f.strip()]
    for any_order in (False, True):
        for form in forms:
            ids = index.by_name(form, any_order=any_order)
            if under is not None:
                ids = tuple(i for i in ids if index.ancestors(i) & under)
            if len(ids) == 1:
                return ids[0], form
    return None


def _named_parts(name: str, tissue: DoMapping) -> tuple[str, ...]:
    """Of a tissue's DO terms, those whose part of the tissue the name mentions (``... of the Esophagus`` under
    ``Esophagus/Stomach``: esophageal cancer only); all of them when it mentions none or the mapping is no tissue's."""
    if len(tissue.parts) != len(tissue.targets):
        return tissue.targets
    stems = {w[:_STEM] for w in name_key(name).split()}
    named = tuple(t for t, part in zip(tissue.targets, tissue.parts, strict=True)
                  if {w[:_STEM] for w in name_key(part).split()} <= stems)  # fmt: skip
    return named or tissue.targets


def _nearest_mapped_ancestor(
    tumor: TypeCodes, by_code: Mapping[str, TypeCodes], own: Mapping[str, DoMapping]
) -> str | None:
    seen = {tumor.code}
    parent = tumor.parent
    while parent is not None and parent not in seen:
        if parent in own:
            return parent
        seen.add(parent)
        above = by_code.get(parent)
        parent = above.parent if above is not None else None
    return None
