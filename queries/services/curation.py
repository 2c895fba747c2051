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

A step that promotes (apply, approve, rollback) holds the log's step lock and writes a *pending* entry,
promotes, then writes its ``complete`` entry (:mod:`kg.curation.audit`), so a kill between the promote and
its record still leaves the promote audited.  Each step first settles a step killed before it
(:func:`settle_interrupted`: ``recovered`` if its promote happened, ``not applied`` if not), and
:func:`read_log` shows what became of every pending entry.

:func:`candidate_release` is the one place a candidate is set up (the CLI, the API's curation routes and
the benchmark call it): the current build's recipe with one source read from new files, and the shrink
limits it is held to.  Its callers pass :func:`loaders.registry.loaders_for_recipe` in — this module
never imports ``loaders``, click, rich or fastapi, and never logs a patient's data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from kg.builds import RecordSource, ShrinkLimits, code_fingerprint, compute_build_id, run_build, shrink_problems
from kg.curation.audit import (
    DONE,
    NOT_APPLIED,
    PENDING,
    RECOVERED,
    UNKNOWN,
    AuditEntry,
    AuditLog,
    FileAuditLog,
    interrupted,
    outcome_of_interrupted,
    outcomes,
    took_effect,
    verify,
)
from kg.curation.effects import count_by_migration, graph_effect
from kg.curation.terms import TermDiff, diff_terms, is_term_source, term_snapshot
from kg.errors import ConfigError, ShrinkingBuild, UnknownBuild
from kg.evidence_diff import diff_evidence
from kg.settings import get_settings
from kg.stores.port import (
    BuildManifest,
    Capability,
    SourceInfo,
    Store,
    newest_first,
    previous_build,
    unknown_build_message,
)
from queries.curation_impact import PanelQuery, impact_of
from queries.kept_names import keep_for_build
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
            answers = impact_of(old_store, new_store, panel, scoped=True)
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


def pending_approvals(entries: Sequence[AuditEntry], current_build: str | None = None) -> dict[str, AuditEntry]:
    """Staged candidates awaiting approval, by build id: a ``stage`` entry not yet approved or superseded (an
    approval interrupted before its promote does not count; ``current_build`` judges the last one)."""
    outcome = outcomes(entries, current_build)
    pending: dict[str, AuditEntry] = {}
    for entry in entries:
        if entry.action == "stage":
            pending[entry.after_build] = entry
        elif entry.action in ("approve", "supersede", "apply") and took_effect(entry, outcome):
            pending.pop(entry.after_build, None)
    return pending


def settle_interrupted(store: Store, log: AuditLog, curator: str) -> list[AuditEntry]:
    """Record what became of a step killed between its pending entry and its completion (call under the
    log's step lock): ``recovered`` if the build it promoted answers, ``not applied`` if the build before it
    still does, ``unknown`` otherwise.  Returns the ``complete`` entries written."""
    written = []
    manifest = store.current_build()
    dangling = interrupted(log.entries())
    for entry in dangling:
        # Only the last can be judged by the build that answers now: a later step ran after the others.
        found = outcome_of_interrupted(entry, manifest.build_id if manifest else None)
        found = found if entry is dangling[-1] else UNKNOWN
        state = RECOVERED if found == DONE else found
        why = {RECOVERED: f"its promote happened: build {entry.after_build} answered",
               NOT_APPLIED: f"it stopped before its promote: build {entry.before_build} kept answering"}  # fmt: skip
        written.append(
            log.append(
                curator=curator,
                action="complete",
                state=state,
                completes=entry.seq,
                source=entry.source,
                message=f"{entry.action} of entry {entry.seq} was interrupted; "
                + why.get(state, "another build was made current since, so whether it took effect is unknown"),
                before_build=entry.before_build,
                after_build=entry.after_build,
            )
        )
        logger.warning("curation: %s of audit entry %s was interrupted: recorded as %s", entry.action, entry.seq, state)
    return written


def _promoting_step(
    store: Store, log: AuditLog, promote: Callable[[], BuildManifest], **fields: Any
) -> tuple[AuditEntry, BuildManifest]:
    """Write the pending entry ``fields``, run ``promote``, write its completion (hold the step lock)."""
    pending = log.append(state=PENDING, **fields)
    try:
        manifest = promote()
    except Exception:
        # Failed rather than killed: record now what happened (judged by the current build), if the store says.
        with contextlib.suppress(Exception):
            settle_interrupted(store, log, fields["curator"])
        raise
    log.append(curator=fields["curator"], action="complete", state=DONE, completes=pending.seq,
               source=fields.get("source", ""), message=f"{fields['action']} of entry {pending.seq} done",
               before_build=fields["before_build"], after_build=fields["after_build"])  # fmt: skip
    return pending, manifest


def _still_current(store: Store, expected: str, what: str) -> BuildManifest:
    """The current manifest, which must still be ``expected`` (read under the step lock)."""
    current = current_manifest(store)
    if current.build_id != expected:
        raise ConfigError(f"build {current.build_id} was made current while {what} (against build {expected}); "
                          "diff the release again")  # fmt: skip
    return current


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


def _item(entry: AuditEntry, outcome: str | None = None) -> AuditEntryItem:
    return AuditEntryItem.model_validate({**entry.as_dict(), "state": entry.state, "completes": entry.completes,
                                          "outcome": outcome})  # fmt: skip


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
        keep_for_build(new_store)  # the candidate's first answer, once promoted, reads its kept disease names
    finally:
        old_store.close()
        new_store.close()
    staging = stage or get_settings().curation_require_approval
    fields: dict[str, Any] = dict(curator=curator, action="stage" if staging else "apply", message=message,
                                  tracker=tracker, source=source, before_build=current.build_id,
                                  after_build=candidate.build_id, sources=tuple(_sources(candidate)),
                                  summary=summary)  # fmt: skip
    with log.step_lock():
        settle_interrupted(store, log, curator)
        _still_current(store, current.build_id, f"candidate {candidate.build_id} was built")
        if staging:
            entry, outcome = log.append(**fields), None
        else:
            entry, _ = _promoting_step(store, log, lambda: store.promote(candidate.build_id), **fields)
            outcome = DONE
    return CurationStep(
        action=entry.action,
        current_build=current.build_id if staging else candidate.build_id,
        previous_build=current.build_id,
        staged_build=candidate.build_id if staging else None,
        rebuilt=built,
        superseded=superseded,
        entry=_item(entry, outcome),
    )


def approve(store: Store, build_id: str, *, curator: str, message: str, log: AuditLog | None = None) -> CurationStep:
    """Promote a candidate staged by ``apply --stage``, as a second curator when review is required."""
    _require_message(message)
    log = log or audit_log(store)
    with log.step_lock():
        settle_interrupted(store, log, curator)
        return _approve(store, build_id, curator=curator, message=message, log=log)


def _approve(store: Store, build_id: str, *, curator: str, message: str, log: AuditLog) -> CurationStep:
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
    kept = next((b.manifest for b in store.list_builds() if b.build_id == build_id), None)
    entry, _ = _promoting_step(store, log, lambda: store.promote(build_id), curator=curator, action="approve",
                               message=message, tracker=staged.tracker, source=staged.source,
                               before_build=current.build_id, after_build=build_id,
                               sources=tuple(_sources(kept)) if kept else (), summary=staged.summary)  # fmt: skip
    return CurationStep(action="approve", current_build=build_id, previous_build=current.build_id, staged_build=None,
                        rebuilt=False, superseded=[], entry=_item(entry, DONE))  # fmt: skip


def rollback_target(store: Store, entries: Sequence[AuditEntry]) -> str:
    """The build ``rollback`` returns to by default: the one the last audited change replaced, if it is
    still kept, else the build written before the current one."""
    current = current_manifest(store).build_id
    kept = store.list_builds()
    kept_ids = {b.build_id for b in kept}
    outcome = outcomes(entries, current)
    for entry in reversed(entries):
        if (
            entry.action in ("apply", "approve", "rollback")
            and entry.after_build == current
            and took_effect(entry, outcome)
        ):
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
    with log.step_lock():
        settle_interrupted(store, log, curator)
        current = current_manifest(store)
        target = build_id or rollback_target(store, log.entries())
        builds = store.list_builds()
        kept = next((b.manifest for b in builds if b.build_id == target), None)
        if kept is None:
            raise UnknownBuild(unknown_build_message(target, builds, "the store"))
        sources = tuple(_sources(kept))
        entry, manifest = _promoting_step(store, log, lambda: store.rollback(target), curator=curator,
                                          action="rollback", message=message, before_build=current.build_id,
                                          after_build=target, sources=sources)  # fmt: skip
    return CurationStep(action="rollback", current_build=manifest.build_id, previous_build=current.build_id,
                        staged_build=None, rebuilt=False, superseded=[], entry=_item(entry, DONE))  # fmt: skip


def read_log(store: Store, *, check: bool = False, log: AuditLog | None = None) -> AuditLogAnswer:
    """Every audit entry; with ``check``, whether the chain is intact (:func:`kg.curation.audit.verify`)."""
    log = log or audit_log(store)
    entries = log.entries()
    problems = verify(entries, log.head()) if check else []
    if interrupted(entries) and not problems:
        with log.step_lock():  # a step in progress holds it: wait for it rather than judge it interrupted
            settle_interrupted(store, log, "pmkg (recovery)")
            entries = log.entries()
            problems = verify(entries, log.head()) if check else []
    manifest = store.current_build()
    outcome = outcomes(entries, manifest.build_id if manifest else None)
    return AuditLogAnswer(entries=[_item(e, outcome.get(e.seq)) for e in entries],
                          verified=(not problems) if check else None, problems=problems)  # fmt: skip


def read_exported_log(path: Path, *, check: bool = False) -> AuditLogAnswer:
    """The audit log a ``pmkg export`` file carries (:mod:`kg.curation.export`); with ``check``, verified."""
    from kg.curation.export import read_exported

    entries, head = read_exported(path)
    problems = verify(entries, head) if check else []
    outcome = outcomes(entries, None)
    return AuditLogAnswer(entries=[_item(e, outcome.get(e.seq)) for e in entries],
                          verified=(not problems) if check else None, problems=problems)  # fmt: skip


def _require_message(message: str) -> None:
    if not message.strip():
        raise ConfigError("say why with --message: the audit log records it")
