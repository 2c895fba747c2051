"""A build's disease names and kinds, kept beside the build so a new process does not read every disease node again.

Resolving a diagnosis reads earlier ids and codes (:mod:`queries.retired_diseases`) from
:class:`~queries.disease_index.DiseaseNames`, which is made from every ``Disease`` node of the build: about
13,000 nodes, 0.1-0.3 s of each process's first answer.  The first process that needs them writes what
``DiseaseNames`` is made of as two JSON files: the earlier ids each term carries (``….disease-retired.json``,
~50 KB, read by every first answer) and each disease's id, name and synonyms (``….disease-names.json``, ~1 MB,
read only when a name must be looked up: reading and checking it was ~30 ms of every first answer).  Later
processes read those files instead of the nodes.

``pmkg build`` (and a curator's candidate build) writes them as soon as the build is complete
(:func:`keep_for_build`), so even the first answer after a build or a promote reads them.  It also keeps what
:mod:`queries.disease_kinds` reads of the build (``….disease-kinds.json``, ~0.4 MB: the cell-type terms, what each
disease's names say it is a kind of, which diseases have evidence), worked out for every disease at once; a
process reads it the first time a diagnosis and an evidence disease must be compared across site and histology.
A build without it (made by an older pmkg) is read from its nodes as before: nothing but a build keeps it.

For a store outside the process (Neo4j) it keeps which gene each gene lookup key of the build names
(``….gene-keys.json``, ~3 MB: ids, symbols, names, aliases and previous symbols, lower-cased, as
:func:`kg.merge.lookup_keys` makes them), so a gene the graph does not know (a cohort's novel genes, a misspelt
symbol's neighbours) is told apart without asking the store, and without reading all ~19,000 genes over the network
(~1.4 s of the first such answer of each process).

It also keeps the build's match tables (``….match-tables.marshal``, :mod:`queries.kept_tables`): what a graph view
reads to match a patient, for the whole build, in sections a process maps and reads in place
(:mod:`queries.hashed_sections`), so a first answer reads no node from the store.

Where: ``<graph folder>/views/`` for the embedded store, ``PMKG_HOME/cache/views/`` for other stores.  Each file
is named, and its header stamped, with the build (store kind, id, start and finish times), the layout of the
files and the SHA-256 of the code that reads the nodes (:mod:`queries.disease_index`; for the kinds,
:mod:`queries.disease_kinds` and :mod:`kg.disease_names`); a file whose stamp is
not the build's is never read, so a promoted or rolled-back build reads its own files or the store, never
another build's.  Written atomically (temporary file, rename), the names before the earlier ids; files of
builds the store no longer keeps are removed.  They hold graph content only, never what a user typed; a file
that is missing or cannot be read or written only means reading the nodes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import mmap
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from kg.merge import lookup_keys
from kg.records import Node
from kg.schema import Label
from kg.stores.port import BuildManifest, Capability, Store
from queries.disease_index import DiseaseNames
from queries.hashed_sections import LAYOUT as SECTIONS_LAYOUT
from queries.hashed_sections import pack_sections

if TYPE_CHECKING:
    from queries.kept_tables import KeptTables

logger = logging.getLogger(__name__)
T = TypeVar("T")
SUFFIX = ".disease-names.json"
RETIRED_SUFFIX = ".disease-retired.json"
KINDS_SUFFIX = ".disease-kinds.json"
GENE_KEYS_SUFFIX = ".gene-keys.json"
TABLES_SUFFIX = ".match-tables.marshal"
_LAYOUT = "2"  # names and earlier ids in two files; files of another layout are never read
_CHECKSUMMED_LAYOUT = "checksummed-1"  # stamp, SHA-256 of the data, data
# A JSON header line (stamp, length, where each section is), then the sections (queries.hashed_sections).
_TABLES_LAYOUT = f"match-tables-3/{SECTIONS_LAYOUT}"
_KEYS = {SUFFIX: "named", RETIRED_SUFFIX: "retired", KINDS_SUFFIX: "kinds", GENE_KEYS_SUFFIX: "keys",
         TABLES_SUFFIX: "tables"}  # fmt: skip
_CHECKSUMMED = frozenset({KINDS_SUFFIX, GENE_KEYS_SUFFIX})  # files whose data carries its SHA-256
# The code that makes what each file holds: another version of it never reads a file the old one kept.
_CODE = {SUFFIX: ("queries.disease_index",), RETIRED_SUFFIX: ("queries.disease_index",),
         KINDS_SUFFIX: ("queries.disease_kinds", "kg.disease_names"), GENE_KEYS_SUFFIX: ("kg.merge",),
         TABLES_SUFFIX: ("queries.kept_tables", "queries.hashed_sections", "queries.graph_view", "kg.merge",
                         "kg.records", "queries.evidence_readings", "queries.ranking_rules")}  # fmt: skip


@functools.cache
def _code(modules: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for module in modules:
        spec = importlib.util.find_spec(module)  # found, not imported: disease_kinds imports this module
        digest.update(Path(str(spec.origin if spec is not None else module)).read_bytes())
    return digest.hexdigest()


def _stamp(store: Store, manifest: BuildManifest, suffix: str = SUFFIX) -> list[str]:
    layout = _TABLES_LAYOUT if suffix == TABLES_SUFFIX else _CHECKSUMMED_LAYOUT if suffix in _CHECKSUMMED else _LAYOUT
    return [type(store).__qualname__, manifest.build_id, manifest.started_at, manifest.finished_at,
            _code(_CODE[suffix]), layout]  # fmt: skip


def kept_names_path(store: Store, manifest: BuildManifest, suffix: str = SUFFIX) -> Path:
    """Where the disease names of ``store``'s build ``manifest`` are kept (``RETIRED_SUFFIX``: its earlier ids;
    ``KINDS_SUFFIX``: its disease kinds; ``GENE_KEYS_SUFFIX``: its gene lookup keys)."""
    folder = getattr(store, "folder", None)
    if isinstance(folder, Path):
        views = folder / "views"
    else:
        from kg.settings import get_settings

        views = get_settings().cache_dir / "views"
    digest = hashlib.sha256("\0".join(_stamp(store, manifest, suffix)).encode()).hexdigest()[:16]
    return views / f"{manifest.build_id}-{digest}{suffix}"


def disease_names(
    store: Store, manifest: BuildManifest, store_now: Callable[[], Store],
    disease_nodes: Callable[[], list[Node]] | None = None,
) -> DiseaseNames:  # fmt: skip
    """The disease names of the build ``manifest``: from its kept files, else from the nodes (then kept).

    ``store_now`` gives the store object that reads the build when the names are first needed (not ``store``,
    which a server may have closed and dropped by then: nothing here keeps a store object alive).
    ``disease_nodes`` reads the build's disease nodes, when they must be read (default: from ``store``).
    """
    retired = _read_kept(store, manifest, RETIRED_SUFFIX)
    if isinstance(retired, dict):
        try:
            return DiseaseNames.from_parts(retired, lambda: _kept_or_read_names(store_now(), manifest, disease_nodes))
        except (TypeError, ValueError, AttributeError) as exc:
            logger.warning("ignoring %s (%s): reading the disease nodes instead", kept_names_path(store, manifest,
                           RETIRED_SUFFIX), exc)  # fmt: skip
    names = DiseaseNames(disease_nodes() if disease_nodes else store.nodes_with_label(Label.DISEASE))
    state = names.state()
    _keep(store, kept_names_path(store, manifest), {"stamp": _stamp(store, manifest), "named": state["named"]})
    retired_path = kept_names_path(store, manifest, RETIRED_SUFFIX)
    _keep(store, retired_path, {"stamp": _stamp(store, manifest), "retired": state["retired"]})
    return names


def kept_kinds(store: Store, manifest: BuildManifest, parse: Callable[[Any], T]) -> T | None:
    """``parse`` of the disease kinds kept for the build ``manifest`` (:mod:`queries.disease_kinds`), or None when
    there are none to trust (missing, of another build, layout or code, damaged, or refused by ``parse`` with a
    ValueError): the caller reads the nodes then."""
    state = _read_kept(store, manifest, KINDS_SUFFIX)
    if state is None:
        return None
    try:
        return parse(state)
    except (ValueError, TypeError) as exc:
        logger.warning("ignoring %s (%s): reading the disease nodes instead", kept_names_path(store, manifest,
                       KINDS_SUFFIX), exc)  # fmt: skip
        return None


def kept_gene_keys(store: Store, manifest: BuildManifest) -> dict[str, tuple[str, ...]] | None:
    """Each lookup key of the genes of the build ``manifest`` → the ids of the genes it names (sorted), as kept
    beside the build, or None (none to trust)."""
    kept = _read_kept(store, manifest, GENE_KEYS_SUFFIX)
    try:
        ids, keys = kept["genes"], kept["keys"]
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids) and isinstance(keys, dict)):
            raise TypeError("not genes and keys")
        return {key: tuple(ids[i] for i in named) for key, named in keys.items()}
    except (TypeError, KeyError, IndexError) as exc:
        if kept is not None:
            logger.warning("ignoring %s (%s): reading every gene instead", kept_names_path(store, manifest,
                           GENE_KEYS_SUFFIX), exc)  # fmt: skip
    return None


def keep_gene_keys(store: Store, manifest: BuildManifest, keys: Mapping[str, Iterable[str]]) -> None:
    """Keep ``keys`` (each lookup key of the build's genes → the ids of the genes it names) beside the build."""
    ids = sorted({i for named in keys.values() for i in named})
    position = {gene_id: i for i, gene_id in enumerate(ids)}
    state = {"genes": ids, "keys": {key: sorted(position[i] for i in keys[key]) for key in sorted(keys)}}
    data = {"stamp": _stamp(store, manifest, GENE_KEYS_SUFFIX), "sha256": _digest(state), "keys": state}
    _keep(store, kept_names_path(store, manifest, GENE_KEYS_SUFFIX), data)


def keep_for_build(store: Store) -> None:
    """Keep the disease files and match tables of the build ``store`` reads (open it on a staged build to keep that
    one's) now, so the first answer from it reads no node it has read before.  Files already kept for it are only
    read."""
    manifest = store.current_build()
    if manifest is None:
        return
    from queries.disease_kinds import KeptKinds, kinds_state
    from queries.graph_view import GraphView

    diseases = functools.cache(lambda: store.nodes_with_label(Label.DISEASE))  # read once for every file
    disease_names(store, manifest, lambda: store, diseases).read_names()
    if kept_kinds(store, manifest, KeptKinds.from_state) is None:
        state = kinds_state(GraphView(store, manifest), diseases())
        data = {"stamp": _stamp(store, manifest, KINDS_SUFFIX), "sha256": _digest(state), "kinds": state}
        _keep(store, kept_names_path(store, manifest, KINDS_SUFFIX), data)

    if kept_tables(store, manifest) is None:
        from queries.kept_tables import tables_state

        view = GraphView(store, manifest)
        keep_tables(store, manifest, tables_state(store, diseases(), view.disease_named))

    if Capability.IN_PROCESS not in store.capabilities and kept_gene_keys(store, manifest) is None:
        named: dict[str, list[str]] = {}
        for gene in store.nodes_with_label(Label.GENE):
            for key in lookup_keys(gene.id, gene.name, gene.synonyms):
                named.setdefault(key, []).append(gene.id)
        keep_gene_keys(store, manifest, named)


def kept_tables(store: Store, manifest: BuildManifest) -> KeptTables | None:
    """The match tables kept for the build ``manifest`` (:mod:`queries.kept_tables`), or None when there are none to
    trust (missing, of another build, layout or code, or half-written): the view asks the store then.  The file is
    mapped, not read: each section is checked when first opened and each entry when first read."""
    from queries.kept_tables import KeptTables

    path = kept_names_path(store, manifest, TABLES_SUFFIX)
    try:
        with path.open("rb") as handle:
            header = orjson.loads(handle.readline(1 << 16))
            if header.get("stamp") != _stamp(store, manifest, TABLES_SUFFIX):
                logger.warning("ignoring %s: written for another build or another version of pmkg", path)
                return None
            start, length = handle.tell(), header["length"]
            if os.fstat(handle.fileno()).st_size != start + length:
                raise ValueError("it is not as long as it was written")
            with memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)) as whole:
                body = whole[start:]
        return KeptTables(body, header["sections"])
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as exc:
        logger.warning("ignoring %s (%s): asking the store instead", path, exc)
        return None


def keep_tables(store: Store, manifest: BuildManifest, tables: Mapping[str, Mapping[str, Any]]) -> None:
    """Keep the match tables (:func:`queries.kept_tables.tables_state`) beside the build ``manifest``: a header line
    (stamp, where each section is), then the sections (:mod:`queries.hashed_sections`)."""
    layout, body = pack_sections(tables)
    header = {"stamp": _stamp(store, manifest, TABLES_SUFFIX), "length": len(body), "sections": layout}
    _keep(store, kept_names_path(store, manifest, TABLES_SUFFIX), orjson.dumps(header) + b"\n" + body)


def _digest(state: Any) -> str:
    """The SHA-256 of ``state`` as orjson writes it: a kinds or gene-keys file whose contents changed after it was
    written (a copy cut and mended, an edit) may still parse, and must not be read."""
    return hashlib.sha256(orjson.dumps(state)).hexdigest()


def _read_kept(store: Store, manifest: BuildManifest, suffix: str) -> Any:
    """The part a kept file of this build holds (its one key besides the stamp), or None."""
    path = kept_names_path(store, manifest, suffix)
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("stamp") == _stamp(store, manifest, suffix):
            if suffix in _CHECKSUMMED and data.get("sha256") != _digest(data[_KEYS[suffix]]):
                raise ValueError("its contents are not those it was written with")
            return data[_KEYS[suffix]]
        logger.warning("ignoring %s: written for another build or another version of pmkg", path)
    except FileNotFoundError:
        pass
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.warning("ignoring %s (%s): reading the graph's nodes instead", path, exc)
    return None


def _kept_or_read_names(
    store: Store, manifest: BuildManifest, disease_nodes: Callable[[], list[Node]] | None = None
) -> list[Any]:
    """Every disease's ``[id, name, synonyms]``: from the kept file, else from the nodes (then kept)."""
    named = _read_kept(store, manifest, SUFFIX)
    if isinstance(named, list) and all(
        isinstance(row, list) and len(row) == 3 and isinstance(row[2], list) for row in named
    ):
        return named
    if named is not None:
        logger.warning("ignoring %s: not a list of diseases", kept_names_path(store, manifest))
    nodes = disease_nodes() if disease_nodes else store.nodes_with_label(Label.DISEASE)
    named = DiseaseNames(nodes).state()["named"]
    _keep(store, kept_names_path(store, manifest), {"stamp": _stamp(store, manifest), "named": named})
    return list(named)


def _keep(store: Store, path: Path, data: dict[str, Any] | bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".writing-", suffix=".json", delete=False) as handle:
            handle.write(data if isinstance(data, bytes) else orjson.dumps(data))
        os.replace(handle.name, path)
        if path.name.endswith(TABLES_SUFFIX):  # ~45 MB each: the same build's tables of another pmkg go at once
            build = path.name[: -len(TABLES_SUFFIX)].rsplit("-", 1)[0]
            for older in path.parent.glob(f"{build}-*{TABLES_SUFFIX}"):
                if older != path:
                    older.unlink(missing_ok=True)
    except OSError as exc:
        logger.debug("not kept at %s (%s)", path, exc)
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(handle.name).unlink(missing_ok=True)
        return
    with contextlib.suppress(Exception):  # a store that cannot list its builds keeps every file
        kept = {info.manifest.build_id for info in store.list_builds()}
        for suffix in _KEYS:
            for other in path.parent.glob(f"*{suffix}"):
                if not other.name.startswith(".") and other.name[: -len(suffix)].rsplit("-", 1)[0] not in kept:
                    other.unlink(missing_ok=True)
