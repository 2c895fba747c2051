"""A build's disease names, kept beside the build so a new process does not read every disease node again.

Resolving a diagnosis reads earlier ids and codes (:mod:`queries.retired_diseases`) from
:class:`~queries.disease_index.DiseaseNames`, which is made from every ``Disease`` node of the build: about
13,000 nodes, 0.1-0.3 s of each process's first answer.  The first process that needs them writes what
``DiseaseNames`` is made of (each disease's id, name and synonyms; the earlier ids each term carries) as JSON;
later processes read that file instead of the nodes.

Where: ``<graph folder>/views/`` for the embedded store, ``PMKG_HOME/cache/views/`` for other stores.  The file
is named, and its header stamped, with the build (store kind, id, start and finish times) and the SHA-256 of
the code that reads the nodes (:mod:`queries.disease_index`); a file whose stamp is not the build's is never
read, so a promoted or rolled-back build reads its own file or the store, never another build's.  Written
atomically (temporary file, rename); files of builds the store no longer keeps are removed.  It holds graph
content only, never what a user typed; a file that cannot be read or written only means reading the nodes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from kg.schema import Label
from kg.stores.port import BuildManifest, Store
from queries import disease_index
from queries.disease_index import DiseaseNames

logger = logging.getLogger(__name__)
SUFFIX = ".disease-names.json"


@functools.cache
def _code() -> str:
    return hashlib.sha256(Path(str(disease_index.__file__)).read_bytes()).hexdigest()


def _stamp(store: Store, manifest: BuildManifest) -> list[str]:
    return [type(store).__qualname__, manifest.build_id, manifest.started_at, manifest.finished_at, _code()]


def kept_names_path(store: Store, manifest: BuildManifest) -> Path:
    """Where the disease names of ``store``'s build ``manifest`` are kept."""
    folder = getattr(store, "folder", None)
    if isinstance(folder, Path):
        views = folder / "views"
    else:
        from kg.settings import get_settings

        views = get_settings().cache_dir / "views"
    digest = hashlib.sha256("\0".join(_stamp(store, manifest)).encode()).hexdigest()[:16]
    return views / f"{manifest.build_id}-{digest}{SUFFIX}"


def disease_names(store: Store, manifest: BuildManifest) -> DiseaseNames:
    """The disease names of the build ``manifest``: from its kept file, else from the nodes (then kept)."""
    path = kept_names_path(store, manifest)
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("stamp") == _stamp(store, manifest):
            return DiseaseNames.from_state(data["state"])
        logger.warning("ignoring %s: written for another build or another version of pmkg", path)
    except FileNotFoundError:
        pass
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.warning("ignoring %s (%s): reading the disease nodes instead", path, exc)
    names = DiseaseNames(store.nodes_with_label(Label.DISEASE))
    _keep(store, path, {"stamp": _stamp(store, manifest), "state": names.state()})
    return names


def _keep(store: Store, path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".writing-", suffix=SUFFIX, delete=False) as handle:
            handle.write(orjson.dumps(data))
        os.replace(handle.name, path)
    except OSError as exc:
        logger.debug("disease names not kept at %s (%s)", path, exc)
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(handle.name).unlink(missing_ok=True)
        return
    with contextlib.suppress(Exception):  # a store that cannot list its builds keeps every file
        kept = {info.manifest.build_id for info in store.list_builds()}
        for other in path.parent.glob(f"*{SUFFIX}"):
            if not other.name.startswith(".") and other.name[: -len(SUFFIX)].rsplit("-", 1)[0] not in kept:
                other.unlink(missing_ok=True)
