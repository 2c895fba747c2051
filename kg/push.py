"""Copy one completed build from a store into another (``pmkg push``: the embedded build into Neo4j).

Researchers build embedded (fast, no server) and want Cypher on what they built: :func:`push_build` reads
every node label and relationship type of the source store's current (or pinned) build through the
store port (``nodes_with_label``, ``edges``), hands them in batches to the target's
:class:`~kg.stores.port.BuildTarget` and completes the build there under the same build id with the same
manifest (sources, versions, counts, drug identity report), then promotes it unless it is staged.

Nothing is re-read from source files and nothing is re-validated or re-merged beyond what the target's
writer does: the records are the build's, already checked when it was built.  A push is idempotent: a
build the target already keeps is not written again (:attr:`PushResult.already_there`).  A push that
fails leaves the target's current build answering, as a failed build does.

It must never import a store adapter: both stores arrive as :class:`~kg.stores.port.Store`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from kg.errors import NoBuild
from kg.schema import Label, RelType
from kg.stores.port import BuildManifest, Store

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5_000

# (what is being copied: a label or relationship type, how many more records were handed over); then
# (WRITING, 0) once everything is handed over and the target writes the build (Neo4j writes it then).
WRITING = "writing"
PushProgress = Callable[[str, int], None]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class PushResult:
    """What a push did: the build, whether the target had it already, whether it answers there now."""

    manifest: BuildManifest
    already_there: bool
    current: bool
    nodes: int = 0
    relationships: int = 0


def push_build(
    source: Store,
    target: Store,
    *,
    promote: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: PushProgress | None = None,
) -> PushResult:
    """Copy ``source``'s current build (the pinned one, for a store opened on ``build=``) into ``target``.

    The target keeps it under the same id and manifest; with ``promote`` it becomes the target's current
    build (a build the target already keeps is promoted if it is not current, and not written again).
    Raises :class:`~kg.errors.NoBuild` when the source holds no build.
    """
    manifest = build_to_push(source)
    build_id = manifest.build_id
    kept = {info.build_id: info for info in target.list_builds()}
    if build_id in kept:
        current = kept[build_id].current
        if promote and not current:
            target.promote(build_id)
            current = True
        logger.info("push: build %s is already kept by the target; nothing copied", build_id)
        return PushResult(manifest, already_there=True, current=current)

    writer = target.begin_build(build_id)
    nodes = relationships = 0
    try:
        for label in Label:
            for batch in _batches(source.nodes_with_label(label), batch_size):
                writer.write_nodes(label, batch)
                nodes += len(batch)
                if progress is not None:
                    progress(str(label), len(batch))
        for rel in RelType:
            for edges in _batches(source.edges(rel), batch_size):
                writer.write_edges(rel, edges)
                relationships += len(edges)
                if progress is not None:
                    progress(str(rel), len(edges))
        if progress is not None:
            progress(WRITING, 0)
        writer.complete(manifest)
    except BaseException:
        writer.abort()
        raise
    if promote:
        target.promote(build_id)
    logger.info("push: build %s copied (%d nodes, %d relationships)", build_id, nodes, relationships)
    return PushResult(manifest, already_there=False, current=promote, nodes=nodes, relationships=relationships)


def build_to_push(source: Store) -> BuildManifest:
    """The manifest of the build ``source`` would push; :class:`~kg.errors.NoBuild` when it holds none."""
    manifest = source.current_build()
    if manifest is None:
        raise NoBuild("there is no build to push: run `pmkg build` first")
    return manifest


def _batches(items: Iterable[T], size: int) -> Iterator[Sequence[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
