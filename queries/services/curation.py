"""The curation service: diff a candidate release against the current build, apply it, approve, roll back.

A candidate release becomes a **staged build** in the same store: the current build's recipe (each
source's recorded input, :attr:`kg.stores.port.SourceInfo.origin`) with one source replaced, built by
:func:`kg.builds.run_build` with ``promote=False``.  Build ids derive from sources and code, so staging
the same candidate twice (``diff`` then ``apply``) rebuilds nothing.  Diff, graph effect and impact then
compare two real builds opened with ``open_build(ID)``.

The caller (the CLI, the API's curation routes) turns ``NAME=PATH`` into loaders — this module never
imports ``loaders``, click, rich or fastapi, and never logs a patient's data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from kg.builds import RecordSource, ShrinkLimits, code_fingerprint, compute_build_id, run_build
from kg.curation.effects import count_by_migration, graph_effect
from kg.curation.terms import TermDiff, diff_terms, is_term_source, term_snapshot
from kg.errors import ConfigError
from kg.stores.port import BuildManifest, SourceInfo, Store
from queries.curation_impact import PanelQuery, impact_of
from queries.models.curation import (
    AffectedEvidenceItem,
    CurationReport,
    GraphEffectSection,
    ReleaseRef,
    TermChangeItem,
    TermDiffSection,
)

logger = logging.getLogger(__name__)

OpenBuild = Callable[[str], Store]
# Sources that hold only disease terms: their releases change answers only through disease terms.
DISEASE_TERM_SOURCES = frozenset({"disease_ontology", "mondo", "ncit", "oncotree"})


def current_manifest(store: Store) -> BuildManifest:
    """The current build's manifest; :class:`ConfigError` before the first build."""
    manifest = store.current_build()
    if manifest is None:
        raise ConfigError("no graph built yet: run `pmkg build` before diffing a release against it")
    return manifest


def candidate_build_id(sources: Sequence[RecordSource]) -> str:
    """The id the build of ``sources`` gets (so a kept one is found without rebuilding it)."""
    return compute_build_id([s.info for s in sources], code_fingerprint(sources))


def stage_candidate(
    store: Store, sources: Sequence[RecordSource], *, limits: ShrinkLimits | None = None
) -> tuple[BuildManifest, bool]:
    """The staged build of ``sources`` and whether it was built now (False: already kept, or current).

    Bad files are refused exactly as in ``pmkg build`` (the loaders raise), and a source that would lose
    content beyond ``limits`` stops with :class:`~kg.errors.ShrinkingBuild`.  The current build keeps
    answering.
    """
    build_id = candidate_build_id(sources)
    for kept in store.list_builds():
        if kept.build_id == build_id:
            return kept.manifest, False
    manifest = run_build(store, sources, limits=limits, promote=False)
    logger.info("curation: candidate build %s staged", manifest.build_id)
    return manifest, True


def diff_release(
    store: Store,
    open_build: OpenBuild,
    sources: Sequence[RecordSource],
    source: str,
    *,
    limits: ShrinkLimits | None = None,
    panel: Sequence[PanelQuery] | None = (),
) -> CurationReport:
    """Stage the candidate (``sources``: the current recipe with ``source`` replaced) and report what it changes.

    The impact section re-runs the default panel plus ``panel`` (saved patients) on both builds
    (:func:`queries.curation_impact.impact_of`); ``panel=None`` leaves it out.
    """
    current = current_manifest(store)
    if source not in {s.info.name for s in sources}:
        raise ConfigError(f"the candidate sources do not include {source!r}")
    candidate, staged_now = stage_candidate(store, sources, limits=limits)
    old_store, new_store = open_build(current.build_id), open_build(candidate.build_id)
    try:
        terms: TermDiff | None = None
        effect: GraphEffectSection | None = None
        if is_term_source(source):
            terms = diff_terms(source, term_snapshot(old_store, source), term_snapshot(new_store, source))
            affected = graph_effect(old_store, terms)
            effect = GraphEffectSection(
                counts=count_by_migration(affected),
                items=[AffectedEvidenceItem.model_validate(a.as_dict()) for a in affected],
            )
        answers = None
        if panel is not None:
            answers = impact_of(old_store, new_store, panel, ontology_only=source in DISEASE_TERM_SOURCES)
    finally:
        old_store.close()
        new_store.close()
    return CurationReport(
        source=source,
        current_build=current.build_id,
        candidate_build=candidate.build_id,
        staged_now=staged_now,
        current=_release(current, source),
        candidate=_release(candidate, source) or _missing(source, candidate),
        terms=_term_section(terms) if terms is not None else None,
        graph_effect=effect,
        impact=answers,
    )


def _release(manifest: BuildManifest, source: str) -> ReleaseRef | None:
    info: SourceInfo | None = next((s for s in manifest.sources if s.name == source), None)
    if info is None:
        return None
    return ReleaseRef(source=info.name, version=info.version, checksum=info.checksum, origin=info.origin or "starter",
                      records=info.records)  # fmt: skip


def _missing(source: str, manifest: BuildManifest) -> ReleaseRef:
    raise ConfigError(f"build {manifest.build_id} has no source {source!r}")


def _term_section(diff: TermDiff) -> TermDiffSection:
    return TermDiffSection(
        old_terms=diff.old_terms,
        new_terms=diff.new_terms,
        counts=diff.counts,
        changes=[TermChangeItem.model_validate(c.as_dict()) for c in diff.changes],
    )
