"""Every source loader pmkg knows, in build order, the starter set bundled with the package, and
which loaders one build runs (``--source`` only these, ``--add`` the starter plus these).

Order matters only for names: the store keeps the first name a node is given, so the
sources that own a kind of node (HGNC for genes, the Disease Ontology for diseases) come
before the sources that merely mention them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from kg.errors import ConfigError
from kg.stores.port import SourceInfo
from loaders.base import STARTER_ORIGIN, Loader

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
    "local_curation": "loaders.local_curation:LocalCurationLoader",  # last: its edits win (pmkg curate edit)
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


def starter_folder(name: str) -> Path | None:
    """The bundled folder of source ``name`` (``loaders/starter/civic``), if it has one."""
    cls = loader_class(name)
    if not (cls.spec.redistributable and hasattr(cls, "starter")):
        return None
    folders = {Path(p).resolve().parent for p in cls.starter().paths.values()}
    return folders.pop() if len(folders) == 1 else None


def _loader(name: str, path: Path | None, version: str | None, cache_dir: Path, skip_bad_rows: bool) -> Loader:
    """The loader of ``name`` over ``path``; no path means the files ``pmkg fetch NAME`` got, else the
    bundled ones.  The bundled folder itself (``loaders/starter/civic``) loads as the starter does."""
    cls = loader_class(name)
    if path is None:
        fetched = cache_dir / name
        if fetched.is_dir():
            path = fetched
        elif starter_folder(name) is None:
            raise ConfigError(
                f"source {name!r}: no files given and none fetched into {fetched}; run `pmkg fetch {name}` "
                f"or give them as {name}=PATH"
            )
    bundled = starter_folder(name)
    if path is None or (bundled is not None and path.resolve() == bundled and version is None):
        loader = cls.starter()  # type: ignore[attr-defined]
        loader.skip_bad_rows = skip_bad_rows
        return loader
    return cls.from_path(path, version=version, skip_bad_rows=skip_bad_rows)


def loaders_for_build(
    sources: list[tuple[str, Path | None, str | None]],
    *,
    with_starter: bool,
    cache_dir: Path,
    skip_bad_rows: bool = False,
) -> list[Loader]:
    """The loaders of one build, in build order: ``sources`` as ``(name, path or None, version)``,
    after the starter's when ``with_starter`` (a named source replaces the starter's own)."""
    names = [name for name, _, _ in sources]
    for name in names:
        loader_class(name)  # an unknown name fails here, before anything is read
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigError(f"source(s) {', '.join(twice)} given more than once; give each source once")
    loaders = {name: _loader(name, path, version, cache_dir, skip_bad_rows) for name, path, version in sources}
    if with_starter:
        for loader in starter_loaders():
            if loader.spec.name not in loaders:
                loader.skip_bad_rows = skip_bad_rows
                loaders[loader.spec.name] = loader
    order = {name: i for i, name in enumerate(_LOADERS)}
    return [loaders[name] for name in sorted(loaders, key=lambda n: order.get(n, len(order)))]


def loaders_for_recipe(
    recipe: Sequence[SourceInfo],
    replace: Mapping[str, tuple[Path | None, str | None]],
    *,
    cache_dir: Path,
    build_id: str,
) -> list[Loader]:
    """The loaders that make again the build whose manifest lists ``recipe``, with ``replace``'s sources
    (``{name: (path, version)}``) read from new files instead (a source it adds joins the build).

    Each kept source is read from where the build read it (:attr:`SourceInfo.origin`; a build made before
    pmkg recorded it reads the bundled starter files).  A source whose files changed since, or that has no
    bundled release to fall back to, raises :class:`ConfigError` naming it: the build cannot be made again
    as it was, so a comparison with it would mislead.
    """
    for name in replace:
        loader_class(name)
    loaders: dict[str, Loader] = {}
    for info in recipe:
        if info.name in replace:
            continue
        loader = recorded_loader(info, build_id)
        if info.checksum and loader.checksum != info.checksum:
            raise ConfigError(
                f"source {info.name!r} of build {build_id} was read from {loader.origin}, whose files have changed "
                f"since (checksum {info.checksum[:19]}…, now {loader.checksum[:19]}…); give the release build "
                f"{build_id} used, or build again with `pmkg build` first"
            )
        loaders[info.name] = loader
    for name, (path, version) in replace.items():
        loaders[name] = _loader(name, path, version, cache_dir, skip_bad_rows=False)
    order = {name: i for i, name in enumerate(_LOADERS)}
    return [loaders[name] for name in sorted(loaders, key=lambda n: order.get(n, len(order)))]


def recorded_loader(info: SourceInfo, build_id: str) -> Loader:
    """The loader over the files ``info`` records (the starter's when it records none)."""
    cls = loader_class(info.name)
    if info.origin in ("", STARTER_ORIGIN):
        if not (cls.spec.redistributable and hasattr(cls, "starter")):
            raise ConfigError(
                f"build {build_id} does not record where its source {info.name!r} ({info.version}) was read from "
                "and pmkg bundles no release of it; build again with `pmkg build` so the build records its inputs"
            )
        loader: Loader = cls.starter()
        return loader
    origin = Path(info.origin)
    if not origin.exists():
        raise ConfigError(
            f"source {info.name!r} of build {build_id} was read from {origin}, which no longer exists; "
            "restore it, or build again with `pmkg build`"
        )
    return cls.from_path(origin, version=info.version)
