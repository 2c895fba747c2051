"""Every source loader pmkg knows, in build order, and the starter set bundled with the package.

Order matters only for names: the store keeps the first name a node is given, so the
sources that own a kind of node (HGNC for genes, the Disease Ontology for diseases) come
before the sources that merely mention them.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kg.errors import ConfigError
from loaders.base import Loader

# name -> "module:Class", in build order.
_LOADERS: dict[str, str] = {
    "genes": "loaders.genes:GenesLoader",
    "disease_ontology": "loaders.disease_ontology:DiseaseOntologyLoader",
    "oncotree": "loaders.oncotree:OncoTreeLoader",
    "sequence_ontology": "loaders.sequence_ontology:SequenceOntologyLoader",
    "mondo": "loaders.mondo:MondoLoader",
    "ncit": "loaders.ncit:NcitLoader",
    "ncit_drugs": "loaders.ncit_drugs:NcitDrugLoader",
    "clinvar": "loaders.clinvar:ClinvarLoader",
    "dgidb": "loaders.dgidb:DgidbLoader",
    "dgidb_civic": "loaders.dgidb:CivicDgiLoader",
    "pharmcat": "loaders.pharmcat:PharmCatLoader",
    "civic": "loaders.civic:CivicLoader",
    "moalmanac": "loaders.moalmanac:MoalmanacLoader",
    "cgi": "loaders.cgi:CgiLoader",
}


def source_names() -> list[str]:
    return list(_LOADERS)


def loader_class(name: str) -> type[Loader]:
    target = _LOADERS.get(name)
    if target is None:
        raise ConfigError(f"unknown source {name!r}; known sources: {', '.join(_LOADERS)}")
    module_name, class_name = target.split(":")
    cls: type[Loader] = getattr(importlib.import_module(module_name), class_name)
    return cls


def starter_loaders() -> list[Loader]:
    """Loaders over the bundled, redistributable starter files, in build order."""
    loaders: list[Loader] = []
    for name in _LOADERS:
        cls = loader_class(name)
        if cls.spec.redistributable and hasattr(cls, "starter"):
            loaders.append(cls.starter())
    return loaders


def loaders_from_paths(specs: list[tuple[str, Path, str | None]], *, skip_bad_rows: bool) -> list[Loader]:
    """Loaders for ``(name, path, version)`` triples given on the command line, in build order."""
    order = {name: i for i, name in enumerate(_LOADERS)}
    chosen = sorted(specs, key=lambda s: order.get(s[0], len(order)))
    return [
        loader_class(name).from_path(path, version=version, skip_bad_rows=skip_bad_rows)
        for name, path, version in chosen
    ]
