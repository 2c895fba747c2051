"""The curation service: diff a candidate release against the current build, apply it, approve, roll back.

A candidate release becomes a **staged build** in the same store: the current build's recipe (each
source's recorded input, :attr:`kg.stores.port.SourceInfo.origin`) with one source replaced, built by
:func:`kg.builds.run_build` with ``promote=False``.  Build ids derive from sources and code, so staging
the same candidate twice (``diff`` then ``apply``) rebuilds nothing.  Diff, graph effect and impact then
compare two real builds opened with ``open_build(ID)``.

:func:`apply_release` promotes the candidate (or, with ``stage`` or ``PMKG_CURATION_REQUIRE_APPROVAL``,
leaves it for :func:`approve` by a second curator), :func:`rollback` promotes an earlier build, and each
step appends an entry to the audit log (:mod:`kg.curation.audit`; :func:`audit_log` finds the store's).
At most one unpromoted candidate is kept: staging a new one discards the others that are newer than the
current build (a staged candidate awaiting approval gets a ``supersede`` entry), so candidates never
push the build a curator would roll back to out of ``PMKG_KEEP_BUILDS``.  Promotion is the store's
one-step flip, so a failed or killed apply or rollback leaves exactly one current build answering.

:func:`candidate_release` is the one place a candidate is set up (the CLI, the API's curation routes and
the benchmark call it): the current build's recipe with one source read from new files, and the shrink
limits it is held to.  Its callers pass :func:`loaders.registry.loaders_for_recipe` in — this module
never imports ``loaders``, click, rich or fastapi, and never logs a patient's data.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from kg.builds import RecordSource, ShrinkLimits, code_fingerprint, compute_build_id, run_build, shrink_problems
from kg.curation.audit import AuditEntry, AuditLog, FileAuditLog, verify
from kg.curation.effects import count_by_migration, graph_effect
from kg.curation.terms import TermDiff, diff_terms, is_term_source, term_snapshot
from kg.errors import ConfigError, ShrinkingBuild, UnknownBuild
from kg.evidence_diff import EvidenceDiff, EvidenceField, diff_evidence
from kg.settings import get_settings
from kg.stores.port import BuildManifest, Capability, SourceInfo, Store, newest_first, previous_build
from queries.curation_impact import PanelQuery, impact_of
from queries.models.common import SourceRelease
from queries.models.curation import (
    AffectedEvidenceItem,
    AuditEntryItem,
    AuditLogAnswer,
    CurationReport,
    CurationStep,
    GraphEffectSection,
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


class RecipeLoaders(Protocol):
    """Makes the loaders of a build's ``recipe`` with ``replace``'s sources (``{name: (path, version)}``) read
    from new files: :func:`loaders.registry.loaders_for_recipe`."""

    def __call__(
        self,
        recipe: Sequence[SourceInfo],
        replace: Mapping[str, tuple[Path | None, str | None]],
        *,
        cache_dir: Path,
        build_id: str,
    ) -> Sequence[RecordSource]: ...


@dataclasses.dataclass(frozen=True)
class CandidateRelease:
    """A release to diff or apply: the ``source`` it replaces, the loaders of the whole candidate build
    (``sources``: the current recipe with that source replaced) and the ``limits`` it is held to."""

    source: str
    sources: Sequence[RecordSource]
    limits: ShrinkLimits | None = None


def candidate_release(
    store: Store,
    source: str,
    path: Path,
    recipe_loaders: RecipeLoaders,
    *,
    version: str | None = None,
    allow_shrink: bool = False,
) -> CandidateRelease:
    """The candidate that reads ``source`` from ``path`` (a folder, or the one file it needs) and every other
    source from where the current build read it, held to PMKG_MAX_SHRINK / PMKG_MAX_SKIP_RATE unless
    ``allow_shrink``.  :class:`ConfigError` before the first build, or when the recipe cannot be made again."""
    manifest = current_manifest(store)
    loaders = recipe_loaders(
        manifest.sources, {source: (path, version)}, cache_dir=get_settings().cache_dir, build_id=manifest.build_id
    )
    return CandidateRelease(source, list(loaders), ShrinkLimits.from_settings(allow_shrink))


def candidate_build_id(sources: Sequence[RecordSource]) -> str:
    """The id the build of ``sources`` gets (so a kept one is found without rebuilding it)."""
    return compute_build_id([s.info for s in sources], code_fingerprint(sources))


def stage_candidate(
    store: Store,
    sources: Sequence[RecordSource],
    *,
    limits: ShrinkLimits | None = None,
    log: AuditLog | None = None,
    curator: str = "",
) -> tuple[BuildManifest, bool, list[str]]:
    """The staged build of ``sources``, whether it was built now (False: already kept, or current), and the
    unpromoted candidates discarded to make room for it (see the module docstring).

    Bad files are refused exactly as in ``pmkg build`` (the loaders raise), and a source that would lose
    content beyond ``limits`` stops with :class:`~kg.errors.ShrinkingBuild`.  The current build keeps
    answering.
    """
    build_id = candidate_build_id(sources)
    superseded = _discard_other_candidates(store, build_id, log, curator)
    for kept in store.list_builds():
        if kept.build_id == build_id:
            _check_shrink(store.current_build(), kept.manifest, limits)
            return kept.manifest, False, superseded
    manifest = run_build(store, sources, limits=limits, promote=False)
    logger.info("curation: candidate build %s staged", manifest.build_id)
    return manifest, True, superseded


def _check_shrink(current: BuildManifest | None, kept: BuildManifest, limits: ShrinkLimits | None) -> None:
    """Hold a candidate kept from an earlier diff to ``limits`` as a new build would be (it may have been
    staged with --allow-shrink)."""
    if limits is None or limits.allow:
        return
    rows = [s.records + s.skipped_rows for s in kept.sources]
    problems = shrink_problems(current, list(kept.sources), limits, rows)
    if problems:
        raise ShrinkingBuild(
            f"the candidate build {kept.build_id} would lose content, so the current build stays: "
            + "; ".join(problems)
            + ". Check the source files; if the loss is intended, give --allow-shrink"
        )


def _discard_other_candidates(store: Store, keep: str, log: AuditLog | None, curator: str) -> list[str]:
    """Discard the kept builds newer than the current one (unpromoted candidates, or builds rolled back from),
    other than ``keep``; a candidate awaiting approval gets a ``supersede`` entry in ``log``."""
    ordered = newest_first(store.list_builds())
    current = next((i for i, b in enumerate(ordered) if b.current), None)
    if current is None:
        return []
    pending = pending_approvals(log.entries()) if log is not None else {}
    discarded = []
    for info in ordered[:current]:
        if info.build_id == keep:
            continue
        store.discard(info.build_id)
        discarded.append(info.build_id)
        staged = pending.get(info.build_id)
        if staged is not None and log is not None:
            log.append(curator=curator, action="supersede", source=staged.source,
                       message=f"superseded by candidate {keep} before approval", before_build=staged.before_build,
                       after_build=info.build_id)  # fmt: skip
    return discarded


def diff_release(
    store: Store,
    open_build: OpenBuild,
    release: CandidateRelease,
    *,
    panel: Sequence[PanelQuery] | None = (),
    log: AuditLog | None = None,
    curator: str = "",
    oncotree: Mapping[str, Any] | None = None,
) -> CurationReport:
    """Stage the candidate ``release`` (:func:`candidate_release`) and report what it changes.

    Sections: ontology terms and the evidence they touch (term sources), the evidence source's items added,
    removed and changed (:func:`kg.evidence_diff.diff_evidence`), ``oncotree`` (the OncoTree release diff,
    which the caller reads from the two releases' files), and the impact on answers: the default panel plus
    ``panel`` (saved patients) on both builds (:func:`queries.curation_impact.impact_of`); ``panel=None``
    leaves it out.
    """
    current = current_manifest(store)
    source = _replaced_source(release)
    candidate, staged_now, _ = stage_candidate(store, release.sources, limits=release.limits, log=log, curator=curator)
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
        evidence = None if is_term_source(source) else diff_evidence(old_store, new_store, source)
        if evidence is not None and not (evidence.added or evidence.removed or evidence.changed or evidence.unchanged):
            evidence = None  # not an evidence source (genes, ClinVar …)
        answers = None
        if panel is not None:
            changed = _changed_variants(evidence) if evidence is not None else None
            answers = impact_of(old_store, new_store, panel, ontology_only=source in DISEASE_TERM_SOURCES,
                                changed_variants=changed)  # fmt: skip
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
        evidence=evidence.as_json() if evidence is not None else None,
        oncotree=dict(oncotree) if oncotree is not None else None,
        impact=answers,
    )


def _replaced_source(release: CandidateRelease) -> str:
    if release.source not in {s.info.name for s in release.sources}:
        raise ConfigError(f"the candidate sources do not include {release.source!r}")
    return release.source


def _changed_variants(evidence: EvidenceDiff) -> list[str]:
    """The variant names of every item added, removed or changed (before or after: a re-filed item counts twice)."""
    names: list[str] = []
    items = [*evidence.added, *evidence.removed, *(c.item for c in evidence.changed)]
    for item in items:
        names.extend(part.split(" (", 1)[0] for part in item.shown.get(EvidenceField.VARIANT, "").split("; ") if part)
    for change in evidence.changed:
        for field in change.changes:
            if field.field == EvidenceField.VARIANT:
                names.extend(p.split(" (", 1)[0] for p in f"{field.before}; {field.after}".split("; ") if p.strip())
    return names


def _release(manifest: BuildManifest, source: str) -> SourceRelease | None:
    info: SourceInfo | None = next((s for s in manifest.sources if s.name == source), None)
    if info is None:
        return None
    return SourceRelease.model_validate(info.as_dict())


def _missing(source: str, manifest: BuildManifest) -> SourceRelease:
    raise ConfigError(f"build {manifest.build_id} has no source {source!r}")


def _term_section(diff: TermDiff) -> TermDiffSection:
    return TermDiffSection(
        old_terms=diff.old_terms,
        new_terms=diff.new_terms,
        counts=diff.counts,
        changes=[TermChangeItem.model_validate(c.as_dict()) for c in diff.changes],
    )


# -- apply, approve, roll back, audit ---------------------------------------------------------------
def audit_log(store: Store, home: Path | None = None) -> AuditLog:
    """The audit log of ``store``: ``curation/`` beside an embedded store's graph folder, audit nodes in Neo4j,
    else ``curation/`` under ``home`` (PMKG_HOME)."""
    folder = getattr(store, "folder", None)
    if isinstance(folder, Path):
        return FileAuditLog(folder.parent / "curation")
    if Capability.SHARED in store.capabilities:
        from kg.stores.neo4j.audit import Neo4jAuditLog

        return Neo4jAuditLog(store)  # type: ignore[arg-type]
    return FileAuditLog((home or get_settings().home) / "curation")


def pending_approvals(entries: Sequence[AuditEntry]) -> dict[str, AuditEntry]:
    """Staged candidates awaiting approval, by build id: a ``stage`` entry not yet approved or superseded."""
    pending: dict[str, AuditEntry] = {}
    for entry in entries:
        if entry.action == "stage":
            pending[entry.after_build] = entry
        elif entry.action in ("approve", "supersede", "apply"):
            pending.pop(entry.after_build, None)
    return pending


def release_summary(
    old: Store, new: Store, source: str, before: BuildManifest, after: BuildManifest
) -> dict[str, object]:
    """What an audit entry keeps of a diff: record counts, term and graph-effect counts (not the rows)."""
    summary: dict[str, object] = {
        "records": {
            "before": next((s.records for s in before.sources if s.name == source), 0),
            "after": next((s.records for s in after.sources if s.name == source), 0),
        }
    }
    if is_term_source(source):
        terms = diff_terms(source, term_snapshot(old, source), term_snapshot(new, source))
        summary["terms"] = terms.counts
        summary["graph_effect"] = count_by_migration(graph_effect(old, terms))
    return summary


def _sources(manifest: BuildManifest) -> list[dict[str, object]]:
    return [{"name": s.name, "version": s.version, "checksum": s.checksum} for s in manifest.sources]


def _item(entry: AuditEntry) -> AuditEntryItem:
    return AuditEntryItem.model_validate(entry.as_dict())


def apply_release(
    store: Store,
    open_build: OpenBuild,
    release: CandidateRelease,
    *,
    curator: str,
    message: str,
    tracker: str = "",
    stage: bool = False,
    log: AuditLog | None = None,
) -> CurationStep:
    """Build (or reuse) the candidate ``release`` (:func:`candidate_release`) and promote it, or stage it for a
    second curator's approval.

    ``stage`` — or ``PMKG_CURATION_REQUIRE_APPROVAL`` — keeps the current build answering and writes a
    ``stage`` entry; otherwise the candidate is promoted and an ``apply`` entry written.
    """
    _require_message(message)
    log = log or audit_log(store)
    current = current_manifest(store)
    source = _replaced_source(release)
    candidate, built, superseded = stage_candidate(store, release.sources, limits=release.limits, log=log,
                                                   curator=curator)  # fmt: skip
    old_store, new_store = open_build(current.build_id), open_build(candidate.build_id)
    try:
        summary = release_summary(old_store, new_store, source, current, candidate)
    finally:
        old_store.close()
        new_store.close()
    staging = stage or get_settings().curation_require_approval
    if not staging:
        store.promote(candidate.build_id)
    entry = log.append(curator=curator, action="stage" if staging else "apply", message=message, tracker=tracker,
                       source=source, before_build=current.build_id, after_build=candidate.build_id,
                       sources=tuple(_sources(candidate)), summary=summary)  # fmt: skip
    return CurationStep(
        action=entry.action,
        current_build=current.build_id if staging else candidate.build_id,
        previous_build=current.build_id,
        staged_build=candidate.build_id if staging else None,
        rebuilt=built,
        superseded=superseded,
        entry=_item(entry),
    )


def approve(store: Store, build_id: str, *, curator: str, message: str, log: AuditLog | None = None) -> CurationStep:
    """Promote a candidate staged by ``apply --stage``, as a second curator when review is required."""
    _require_message(message)
    log = log or audit_log(store)
    pending = pending_approvals(log.entries())
    staged = pending.get(build_id)
    if staged is None:
        waiting = ", ".join(pending) or "none"
        raise ConfigError(f"build {build_id} is not a candidate awaiting approval (awaiting: {waiting}); stage one "
                          "with `pmkg curate apply --stage`")  # fmt: skip
    current = current_manifest(store)
    if staged.before_build != current.build_id:
        raise ConfigError(
            f"build {build_id} was staged against build {staged.before_build}, but {current.build_id} answers now: "
            "approving it would undo that change; diff and stage the release again"
        )
    if get_settings().curation_require_approval and staged.curator == curator:
        raise ConfigError(f"two-person review (PMKG_CURATION_REQUIRE_APPROVAL): {curator} staged build {build_id}, "
                          "so another curator must approve it")  # fmt: skip
    manifest = store.promote(build_id)
    entry = log.append(curator=curator, action="approve", message=message, tracker=staged.tracker,
                       source=staged.source, before_build=current.build_id, after_build=build_id,
                       sources=tuple(_sources(manifest)), summary=staged.summary)  # fmt: skip
    return CurationStep(action="approve", current_build=build_id, previous_build=current.build_id, staged_build=None,
                        rebuilt=False, superseded=[], entry=_item(entry))  # fmt: skip


def rollback_target(store: Store, entries: Sequence[AuditEntry]) -> str:
    """The build ``rollback`` returns to by default: the one the last audited change replaced, if it is
    still kept, else the build written before the current one."""
    current = current_manifest(store).build_id
    kept = store.list_builds()
    kept_ids = {b.build_id for b in kept}
    for entry in reversed(entries):
        if entry.action in ("apply", "approve", "rollback") and entry.after_build == current:
            if entry.before_build in kept_ids:
                return entry.before_build
            break
    before = previous_build(kept)
    if before is None:
        raise UnknownBuild(f"no build to roll back to: the kept builds are {', '.join(sorted(kept_ids)) or 'none'}")
    return before.build_id


def rollback(
    store: Store, build_id: str | None, *, curator: str, message: str, log: AuditLog | None = None
) -> CurationStep:
    """Make an earlier build current again (default: :func:`rollback_target`), without rebuilding it."""
    _require_message(message)
    log = log or audit_log(store)
    current = current_manifest(store)
    target = build_id or rollback_target(store, log.entries())
    manifest = store.rollback(target)
    entry = log.append(curator=curator, action="rollback", message=message, before_build=current.build_id,
                       after_build=manifest.build_id, sources=tuple(_sources(manifest)))  # fmt: skip
    return CurationStep(action="rollback", current_build=manifest.build_id, previous_build=current.build_id,
                        staged_build=None, rebuilt=False, superseded=[], entry=_item(entry))  # fmt: skip


def read_log(store: Store, *, check: bool = False, log: AuditLog | None = None) -> AuditLogAnswer:
    """Every audit entry; with ``check``, whether the chain is intact (:func:`kg.curation.audit.verify`)."""
    log = log or audit_log(store)
    entries = log.entries()
    problems = verify(entries, log.head()) if check else []
    return AuditLogAnswer(entries=[_item(e) for e in entries], verified=(not problems) if check else None,
                          problems=problems)  # fmt: skip


def _require_message(message: str) -> None:
    if not message.strip():
        raise ConfigError("say why with --message: the audit log records it")
