"""Impact on answers: re-run a panel of patient queries on two builds and list every answer that changes.

The **default panel** comes from the graph itself: every (variant, disease) pair that carries evidence in
either build, and the same variant with each ancestor of that disease (a patient diagnosed more broadly).
A curator's saved patients (:func:`read_panel`: JSON or TSV of variants + disease) join it.  Each query
runs through the matching service (:func:`queries.services.match.match_alterations`) on both builds, and
:func:`compare_answers` names each difference: a therapy added or removed, its tier, significance, variant
or disease match changed, resistance appearing, or the diagnosis resolving differently.

For a release of one source, a graph-panel query is re-run only if the differences between the builds
can reach it (:mod:`queries.impact_scope`: a changed evidence item, alteration, therapy or drug in its
genes; its diagnosis or an evidence disease of its genes a term whose presence, ancestors or mappings
changed); the report counts the others as skipped and says why.  Saved patients always run.  Never logs a
patient's data.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.schema import Label, RelType
from kg.stores.port import Store
from queries.impact_scope import GeneIndex, Touched, changed_disease_terms, evidence_pairs, gene_index, touched_genes
from queries.matching import MatchResult, match_therapies
from queries.models.curation import AnswerChange, ImpactSection
from queries.models.enums import Significance
from queries.models.match import MatchAnswer

GRAPH = "graph"


@dataclass(frozen=True)
class PanelQuery:
    """One patient: variants (as a user types them) and a diagnosis; ``origin``: the graph or the panel file."""

    variants: tuple[str, ...]
    disease: str | None
    origin: str = GRAPH


def read_panel(path: Path) -> list[PanelQuery]:
    """Saved patients from ``path``: JSON (a list of ``{"variants": [...], "disease": ...}``, or
    ``{"patients": [...]}``) or TSV with columns ``variants`` (separated by ``,`` or ``;``) and ``disease``.

    A file that cannot be read raises :class:`InputError` naming the file and the line or item.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"panel {path}: cannot read it ({exc})") from None
    origin = path.name
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return _json_panel(path, text, origin)
    return _tsv_panel(path, text, origin)


def _json_panel(path: Path, text: str, origin: str) -> list[PanelQuery]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"panel {path}: not valid JSON ({exc})") from None
    items = data.get("patients") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(f'panel {path}: expected a list of patients or {{"patients": [...]}}')
    panel = []
    for index, item in enumerate(items, 1):
        variants = item.get("variants") if isinstance(item, dict) else None
        disease = item.get("disease") if isinstance(item, dict) else None
        if isinstance(variants, str):
            variants = [variants]
        if (
            not isinstance(variants, list)
            or not variants
            or not all(isinstance(v, str) and v.strip() for v in variants)
        ):
            raise InputError(
                f'panel {path}: patient {index} needs "variants": a list of variants such as ["BRAF V600E"]'
            )
        if disease is not None and not isinstance(disease, str):
            raise InputError(f'panel {path}: patient {index}: "disease" must be text such as "melanoma"')
        panel.append(PanelQuery(tuple(v.strip() for v in variants), (disease or "").strip() or None, origin))
    return panel


def _tsv_panel(path: Path, text: str, origin: str) -> list[PanelQuery]:
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    rows = [r for r in rows if r and not r[0].startswith("#")]
    if not rows:
        raise InputError(f"panel {path}: empty; expected a header with columns variants and disease")
    header = [c.strip().lower() for c in rows[0]]
    if "variants" not in header:
        raise InputError(f"panel {path}: line 1: the header needs a 'variants' column (and 'disease'); got {rows[0]}")
    at_v, at_d = header.index("variants"), header.index("disease") if "disease" in header else None
    panel = []
    for line, row in enumerate(rows[1:], 2):
        cells = row + [""] * (len(header) - len(row))
        variants = tuple(v.strip() for v in cells[at_v].replace(";", ",").split(",") if v.strip())
        if not variants:
            raise InputError(f"panel {path}: line {line}: no variants")
        disease = cells[at_d].strip() if at_d is not None else ""
        panel.append(PanelQuery(variants, disease or None, origin))
    return panel


def default_panel(
    stores: Sequence[Store],
    focus: set[str] | None = None,
    touched: Touched | None = None,
    indexes: Sequence[GeneIndex] | None = None,
) -> list[PanelQuery]:
    """Every (variant, disease) pair that carries evidence in any of ``stores``, and the variant with each
    ancestor of the disease.

    With ``focus`` (disease ids whose presence, ancestors or mappings differ between the builds) or
    ``touched`` (what an evidence release changed), only the queries those changes can reach (see
    :mod:`queries.impact_scope`): the diagnosis is a focus term, evidence in the variant's genes names one,
    or the variant is in a touched gene (or is a touched gene-less alteration).  For every other query both
    builds give the same answer.  Both None: every query.
    """
    indexes = list(indexes) if indexes is not None else [gene_index(s) for s in stores]
    pairs: dict[tuple[str, str], set[str]] = {}  # (variant name, disease) -> gene ids
    gene_diseases: dict[str, set[str]] = {}
    for store, index in zip(stores, indexes, strict=True):
        for node_id, name, disease in evidence_pairs(store, index):
            node_genes = index.of(node_id)
            pairs.setdefault((name, disease), set()).update(node_genes)
            for gene in node_genes:
                gene_diseases.setdefault(gene, set()).add(disease)
    every = focus is None and touched is None
    reached = set(touched.genes) if touched is not None else set()
    if focus:
        reached |= {g for g, diseases in gene_diseases.items() if not focus.isdisjoint(diseases)}
    # An alteration that names no gene: its own evidence diseases stand in for its genes'.
    focused_names = {name for (name, disease), genes in pairs.items() if not genes and focus and disease in focus}
    ancestors: dict[str, set[str]] = {}
    queries: dict[tuple[str, str], None] = {}
    for (variant, disease), genes in sorted(pairs.items()):
        if disease not in ancestors:
            ancestors[disease] = _ancestors(stores, disease)
        runs = (
            every
            or not reached.isdisjoint(genes)
            or (touched is not None and variant in touched.names)
            or variant in focused_names
        )
        for diagnosis in (disease, *sorted(ancestors[disease])):
            if runs or (focus is not None and diagnosis in focus):
                queries[(variant, diagnosis)] = None
    return [PanelQuery((variant,), disease) for variant, disease in queries]


def _ancestors(stores: Sequence[Store], disease: str) -> set[str]:
    found: set[str] = set()
    for store in stores:
        found |= store.ancestors([disease], (RelType.SUBCLASS_OF,))
    return found


def impact_of(
    old: Store,
    new: Store,
    saved: Sequence[PanelQuery] = (),
    *,
    scoped: bool = False,
) -> ImpactSection:
    """Run the default panel and ``saved`` on both builds; every answer that differs.

    ``scoped``: run only the graph queries the differences between the builds can reach
    (:mod:`queries.impact_scope`); the others are counted in ``skipped`` with the reason.  Saved patients
    always run.
    """
    started = time.perf_counter()
    indexes = (gene_index(old), gene_index(new))
    skipped, reason = 0, ""
    if scoped:
        focus = changed_disease_terms(old, new)
        touched = touched_genes(old, new, indexes)
        panel = default_panel((old, new), focus, touched, indexes)
        skipped = len(default_panel((old, new), indexes=indexes)) - len(panel)
        reason = (f"{skipped:,} graph queries cannot change: none of their genes has an evidence item, variant, "
                  f"class, profile or therapy that differs ({touched.nodes:,} records differ, in "
                  f"{len(touched.genes):,} genes), and neither their diagnosis nor an evidence disease of their "
                  f"genes is among the {len(focus):,} disease terms whose presence, parents or mappings "
                  "differ")  # fmt: skip
    else:
        panel = default_panel((old, new), indexes=indexes)
    panel = [*panel, *saved]
    changes: list[AnswerChange] = []
    changed_queries = 0
    for query in panel:
        before, after = _answer(old, query), _answer(new, query)
        found = compare_answers(query, before, after)
        changed_queries += bool(found)
        changes.extend(found)
    counted = Counter(c.kind for c in changes)
    return ImpactSection(
        queries=len(panel),
        skipped=skipped,
        skipped_reason=reason,
        changed_queries=changed_queries,
        counts=dict(sorted(counted.items())),
        changes=changes,
        seconds=round(time.perf_counter() - started, 2),
    )


def _answer(store: Store, query: PanelQuery) -> AnswerSummary:
    """What :func:`compare_answers` compares of the match answer to ``query``, read straight from the match
    result (its JSON and explanations are built only for a person: measured, a quarter of the panel's time).

    A graph-panel diagnosis (a term id) that names nothing in this build is matched as no diagnosis and
    reported unresolved: the same therapies, without the costly spelling suggestions a person would get
    (measured: 0.2 s a query)."""
    disease = query.disease
    if query.origin == GRAPH and disease and store.get_node(disease) is None and not store.find(disease, Label.DISEASE):
        return _summary(match_therapies(store, list(query.variants), None), unresolved=True)
    return _summary(match_therapies(store, list(query.variants), disease), unresolved=False)


@dataclass(frozen=True)
class _Entry:
    therapy: str
    tier: int
    significance: str
    variant_match: str | None
    disease_match: str | None


@dataclass(frozen=True)
class AnswerSummary:
    """The parts of an answer the impact report compares: the diagnosis resolved, and per therapy id its
    name, tier, significance and matches (one entry per therapy id, as the answer lists them last)."""

    disease_id: str | None
    entries: dict[str, _Entry]


def _summary(result: MatchResult, *, unresolved: bool) -> AnswerSummary:
    entries = {t.therapy.id: _Entry(t.therapy.name, int(t.tier), str(t.significance), _text(t.variant_match),
                                    _text(t.disease_match)) for t in result.therapies}  # fmt: skip
    return AnswerSummary(None if unresolved or result.disease is None else result.disease.id, entries)


def summary_of(answer: MatchAnswer) -> AnswerSummary:
    """The compared parts of a typed answer (as :func:`_summary` reads them from a match result)."""
    entries = {e.therapy_id: _Entry(e.therapy, int(e.tier), e.significance.value, _text(e.variant_match),
                                    _text(e.disease_match)) for e in answer.therapies}  # fmt: skip
    return AnswerSummary(answer.inputs.disease.id if answer.inputs.disease else None, entries)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _added_or_removed(
    change: Callable[[str, str, object, object], AnswerChange], old: _Entry | None, new: _Entry | None
) -> list[AnswerChange]:
    if new is not None:
        added = [change("therapy_added", new.therapy, None, f"tier {new.tier} {new.significance}")]
        if new.significance == Significance.RESISTANCE.value:
            added.append(change("resistance_appeared", new.therapy, None, new.significance))
        return added
    if old is not None:
        return [change("therapy_removed", old.therapy, f"tier {old.tier} {old.significance}", None)]
    return []


def compare_answers(
    query: PanelQuery, before: MatchAnswer | AnswerSummary, after: MatchAnswer | AnswerSummary
) -> list[AnswerChange]:
    """The differences a clinician would notice between two answers to the same query."""
    old_answer = before if isinstance(before, AnswerSummary) else summary_of(before)
    new_answer = after if isinstance(after, AnswerSummary) else summary_of(after)

    def change(kind: str, therapy: str, old: object, new: object) -> AnswerChange:
        return AnswerChange(kind=kind, variants=list(query.variants), disease=query.disease, therapy=therapy,
                            before=_text(old), after=_text(new), origin=query.origin)  # fmt: skip

    found: list[AnswerChange] = []
    if old_answer.disease_id != new_answer.disease_id:
        found.append(change("diagnosis_changed", "", old_answer.disease_id, new_answer.disease_id))
    old_entries, new_entries = old_answer.entries, new_answer.entries
    for therapy_id in sorted(old_entries.keys() | new_entries.keys()):
        old, new = old_entries.get(therapy_id), new_entries.get(therapy_id)
        if old is None or new is None:
            found.extend(_added_or_removed(change, old, new))
            continue
        name = new.therapy
        if old.tier != new.tier:
            found.append(change("tier_changed", name, old.tier, new.tier))
        if old.significance != new.significance:
            resistant = new.significance == Significance.RESISTANCE.value
            kind = "resistance_appeared" if resistant else "significance_changed"
            found.append(change(kind, name, old.significance, new.significance))
        if old.variant_match != new.variant_match:
            found.append(change("variant_match_changed", name, old.variant_match, new.variant_match))
        if old.disease_match != new.disease_match:
            found.append(change("disease_match_changed", name, old.disease_match, new.disease_match))
    return found
