"""Answers of the curation service (:mod:`queries.services.curation`): a release's diff report, and the
outcome of apply, approve and rollback.  Field order is the order of the JSON ``pmkg curate … --format
json`` prints and the HTTP API returns.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from queries.models.base import Answer
from queries.models.common import SourceRelease


class TermChangeItem(Answer):
    """One typed change of one ontology term (kinds like OAK's kdiff)."""

    kind: str = Field(description="created, obsoleted, obsoleted_replaced, merged, deleted, unobsoleted, renamed, "
                      "synonym_added, synonym_removed, moved or xref_changed.")  # fmt: skip
    term_id: str = Field(description="The term's id.")
    name: str = Field(description="The term's name (the new one when renamed).")
    before: list[str] = Field(description="The old value: name, parents, or codes of the vocabulary.")
    after: list[str] = Field(description="The new value.")
    targets: list[str] = Field(description="Where a retired id points: replaced_by, the merging term, or consider.")
    vocabulary: str = Field(description="For xref_changed: the vocabulary (ncit, oncotree, mondo, umls …).")


class TermDiffSection(Answer):
    """The term changes of an ontology release."""

    old_terms: int = Field(description="Current (non-obsolete) terms in the current build's release.")
    new_terms: int = Field(description="Current terms in the candidate release.")
    counts: dict[str, int] = Field(description="Changes by kind.")
    changes: list[TermChangeItem] = Field(description="Every change, terms in id order.")


class AffectedEvidenceItem(Answer):
    """One evidence item naming a retired or moved term, and how it migrates."""

    evidence_id: str = Field(description="The evidence item's id (CIVIC:EID…).")
    source: str = Field(description="The evidence's source.")
    term_id: str = Field(description="The term the evidence names.")
    term_name: str = Field(description="Its name.")
    change: str = Field(description="What the release does to the term.")
    migration: str = Field(description="migrate (one replacement), review (a curator chooses), orphaned (no "
                           "replacement) or hierarchy (the term's parents change).")  # fmt: skip
    targets: list[str] = Field(description="The replacement, the candidates for review, or the new parents.")
    note: str = Field(description="Why, in words.")


class GraphEffectSection(Answer):
    counts: dict[str, int] = Field(description="Affected evidence items by migration.")
    items: list[AffectedEvidenceItem] = Field(description="Each affected evidence item, by term then evidence id.")


class AnswerChange(Answer):
    """One way a patient's answer differs between the current and the candidate build."""

    kind: str = Field(description="therapy_added, therapy_removed, tier_changed, variant_match_changed, "
                      "disease_match_changed, significance_changed or resistance_appeared.")  # fmt: skip
    variants: list[str] = Field(description="The patient's variants.")
    disease: str | None = Field(description="The patient's diagnosis.")
    therapy: str = Field(description="The therapy whose entry changes.")
    before: str | None = Field(description="The value in the current build (null: absent).")
    after: str | None = Field(description="The value in the candidate build (null: absent).")
    origin: str = Field(description="Where the query came from: 'graph' (default panel) or the panel file.")


class ImpactSection(Answer):
    queries: int = Field(description="Patient queries run on both builds.")
    skipped: int = Field(
        default=0,
        description="Graph-panel queries not run: no difference between the builds "
        "can reach them, so their answers cannot change.",
    )
    skipped_reason: str = Field(default="", description="Why those queries cannot change (empty: none skipped).")
    changed_queries: int = Field(description="Queries whose answer changes.")
    counts: dict[str, int] = Field(description="Answer changes by kind.")
    changes: list[AnswerChange] = Field(description="Each change, by query then therapy.")
    seconds: float = Field(description="Time the panel took on both builds.")


class CurationReport(Answer):
    """What a candidate release would change: terms, graph effect, patient answers."""

    source: str = Field(description="The source the candidate replaces.")
    current_build: str = Field(description="The build that answers now.")
    candidate_build: str = Field(description="The staged build made with the candidate release.")
    staged_now: bool = Field(description="False when the candidate was already kept (nothing was rebuilt).")
    current: SourceRelease | None = Field(description="The source's release in the current build (null: absent).")
    candidate: SourceRelease = Field(description="The candidate release, as the candidate build loaded it.")
    terms: TermDiffSection | None = Field(description="Ontology term changes (null for non-ontology sources).")
    graph_effect: GraphEffectSection | None = Field(description="Evidence naming retired or moved terms.")
    evidence: dict[str, Any] | None = Field(
        description="An evidence source's items added, removed and changed (kg.evidence_diff; null otherwise)."
    )
    oncotree: dict[str, Any] | None = Field(
        description="OncoTree codes added, retired, renamed, re-parented (kg.oncotree_diff; null otherwise)."
    )
    impact: ImpactSection | None = Field(description="Patient answers that change (null when not asked).")


class AuditEntryItem(Answer):
    """One audit log entry, as written (see :mod:`kg.curation.audit`)."""

    seq: int = Field(description="Its number in the log, from 1.")
    at: str = Field(description="When (ISO 8601, UTC).")
    curator: str = Field(description="Who: --curator, the API key's name, or $USER.")
    action: str = Field(description="stage, apply, approve, rollback, supersede or complete.")
    message: str = Field(description="Why, in the curator's words.")
    tracker: str = Field(description="The tracker link given (empty if none).")
    source: str = Field(description="The source whose release changed (empty for a rollback).")
    before_build: str = Field(description="The build that answered before.")
    after_build: str = Field(description="The build that answers after (staged: the candidate).")
    sources: list[dict[str, object]] = Field(description="The after build's sources: name, version, checksum.")
    summary: dict[str, object] = Field(description="The diff summary: term and graph-effect counts, records.")
    previous_hash: str = Field(description="SHA-256 of the entry before (64 zeros for the first).")
    hash: str = Field(description="SHA-256 of this entry's other fields (state and completes only when set).")
    state: str = Field(
        default="",
        description="'pending' on the first entry of a step that changes the current build (its complete entry "
        "follows the promote); on a complete entry: done, recovered (found done after an interruption), "
        "not applied or unknown.",
    )
    completes: int = Field(default=0, description="On a complete entry: the seq of the pending entry it completes.")
    outcome: str | None = Field(
        default=None,
        description="Not part of the entry (nor its hash): for a pending entry, what became of the step — done, "
        "recovered, not applied (interrupted before its promote) or unknown.",
    )


class CurationStep(Answer):
    """The outcome of apply, approve or rollback: the entry it wrote and which build answers now."""

    action: str = Field(description="stage, apply, approve or rollback.")
    current_build: str = Field(description="The build that answers now.")
    previous_build: str = Field(description="The build that answered before.")
    staged_build: str | None = Field(description="The candidate waiting for approval (stage only).")
    rebuilt: bool = Field(description="False when the candidate was already kept (a diff staged it).")
    superseded: list[str] = Field(description="Unpromoted candidates discarded to make room for this one.")
    entry: AuditEntryItem = Field(description="The audit entry written.")


class AuditLogAnswer(Answer):
    """The audit log and, with --verify, whether its chain is intact."""

    entries: list[AuditEntryItem] = Field(description="Every entry, oldest first.")
    verified: bool | None = Field(description="True: the chain and head are intact; null: not checked.")
    problems: list[str] = Field(description="What --verify found (the first broken entry).")
