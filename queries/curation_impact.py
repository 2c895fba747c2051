"""Impact on answers: re-run a panel of patient queries on two builds and list every answer that changes.

The **default panel** comes from the graph itself: every (variant, disease) pair that carries evidence in
either build, and the same variant with each ancestor of that disease (a patient diagnosed more broadly).
A curator's saved patients (:func:`read_panel`: JSON or TSV of variants + disease) join it.  Each query
runs through the matching service (:func:`queries.services.match.match_alterations`) on both builds, and
:func:`compare_answers` names each difference: a therapy added or removed, its tier, significance, variant
or disease match changed, resistance appearing, or the diagnosis resolving differently.

When only disease terms differ (the evidence is the same in both builds), a graph-panel query is
re-run only if its diagnosis, or a disease of evidence in the same gene, is a term whose presence or
ancestors changed: the others cannot change.  When only an evidence source differs, only queries about
variants in the genes of items it added, removed or changed run (a variant or gene record that changed
with no evidence item changing is not re-run).  Saved patients always run.  Never logs a patient's data.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.schema import Label, RelType
from kg.stores.port import Store
from queries.models.curation import AnswerChange, ImpactSection
from queries.models.enums import Significance
from queries.models.match import DiseaseInput, MatchAnswer, TherapyEntry
from queries.services.match import match_alterations

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
    stores: Sequence[Store], focus: set[str] | None = None, genes: set[str] | None = None
) -> list[PanelQuery]:
    """Every (variant, disease) pair that carries evidence in any of ``stores``, and the variant with each
    ancestor of the disease.

    With ``focus`` (disease ids whose presence or ancestors differ between the builds, the evidence being
    the same), only the queries those terms can change: the diagnosis is a focus term, or evidence about
    the variant's genes names one (how a diagnosis relates to an evidence disease depends on the ancestors
    of both).  For every other query both builds give the same answer.

    With ``genes`` (genes of evidence items a release added, removed or changed, nothing else differing),
    only the queries about variants of those genes.
    """
    pairs: set[tuple[str, str]] = set()
    gene_diseases: dict[str, set[str]] = {}
    for store in stores:
        for variant, disease in _evidence_pairs(store):
            pairs.add((variant, disease))
            for gene in _gene_keys(variant):
                gene_diseases.setdefault(gene, set()).add(disease)
    touched = {g for g, diseases in gene_diseases.items() if focus is not None and not focus.isdisjoint(diseases)}
    if genes is not None:
        touched |= genes
    ancestors: dict[str, set[str]] = {}
    queries: dict[tuple[str, str], None] = {}
    for variant, disease in sorted(pairs):
        if disease not in ancestors:
            ancestors[disease] = _ancestors(stores, disease)
        every = (focus is None and genes is None) or not touched.isdisjoint(_gene_keys(variant))
        for diagnosis in (disease, *sorted(ancestors[disease])):
            if every or (focus is not None and diagnosis in focus):
                queries[(variant, diagnosis)] = None
    return [PanelQuery((variant,), disease) for variant, disease in queries]


def _ancestors(stores: Sequence[Store], disease: str) -> set[str]:
    found: set[str] = set()
    for store in stores:
        found |= store.ancestors([disease], (RelType.SUBCLASS_OF,))
    return found


def _gene_keys(variant_name: str) -> set[str]:
    """The genes a variant's name starts with (both partners of a fusion): ``BCR::ABL1 T315I`` → BCR, ABL1."""
    return {part for part in re.split(r"::|-", variant_name.split(" ", 1)[0]) if part}


def _evidence_pairs(store: Store) -> Iterable[tuple[str, str]]:
    """(variant name, disease id) of every evidence item about a variant (or profile, class) in a disease."""
    diseases: dict[str, list[str]] = {}
    for edge in store.edges(RelType.IN_DISEASE):
        diseases.setdefault(edge.start, []).append(edge.end)
    names: dict[str, str | None] = {}
    for edge in store.edges(RelType.ABOUT):
        if edge.start not in diseases:
            continue
        if edge.end not in names:
            node = store.get_node(edge.end)
            usable = node is not None and node.label in (Label.VARIANT, Label.MOLECULAR_PROFILE, Label.VARIANT_CLASS)
            names[edge.end] = node.name if usable and node is not None else None
        name = names[edge.end]
        if name:
            for disease in diseases[edge.start]:
                yield name, disease


def changed_disease_terms(old: Store, new: Store) -> set[str]:
    """Disease ids whose presence or ancestors differ between the two builds (a new name changes no answer)."""
    before = {n.id for n in old.nodes_with_label(Label.DISEASE)}
    after = {n.id for n in new.nodes_with_label(Label.DISEASE)}
    changed = before ^ after
    parents_old, parents_new = _parents(old), _parents(new)
    moved = {d for d in parents_old.keys() | parents_new.keys() if parents_old.get(d) != parents_new.get(d)}
    # A term whose parents changed changes the ancestors of every descendant too.
    return (
        changed
        | moved
        | old.descendants(moved, (RelType.SUBCLASS_OF,))
        | new.descendants(moved, (RelType.SUBCLASS_OF,))
    )


def _parents(store: Store) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for edge in store.edges(RelType.SUBCLASS_OF):
        found.setdefault(edge.start, set()).add(edge.end)
    return {k: frozenset(v) for k, v in found.items()}


def impact_of(
    old: Store,
    new: Store,
    saved: Sequence[PanelQuery] = (),
    *,
    ontology_only: bool = False,
    changed_variants: Iterable[str] | None = None,
) -> ImpactSection:
    """Run the default panel and ``saved`` on both builds; every answer that differs.

    ``ontology_only``: the builds differ only in disease terms, so graph queries that no changed disease
    term reaches are skipped; ``changed_variants``: the builds differ only in these evidence items'
    variants (names), so only queries in their genes run (see the module docstring).
    """
    started = time.perf_counter()
    focus = changed_disease_terms(old, new) if ontology_only else None
    genes = None if changed_variants is None else {g for v in changed_variants for g in _gene_keys(v)}
    panel = [*default_panel((old, new), focus, genes), *saved]
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
        changed_queries=changed_queries,
        counts=dict(sorted(counted.items())),
        changes=changes,
        seconds=round(time.perf_counter() - started, 2),
    )


def _answer(store: Store, query: PanelQuery) -> MatchAnswer:
    """The match answer to ``query``.  A graph-panel diagnosis (a term id) that names nothing in this build is
    matched as no diagnosis and reported unresolved: the same therapies, without the costly spelling
    suggestions a person would get (measured: 0.2 s a query)."""
    disease = query.disease
    if query.origin == GRAPH and disease and store.get_node(disease) is None and not store.find(disease, Label.DISEASE):
        answer = match_alterations(store, list(query.variants), None)
        answer.inputs.disease = DiseaseInput(input=disease, id=None, name=None)
        return answer
    return match_alterations(store, list(query.variants), disease)


def _entries(answer: MatchAnswer) -> dict[str, TherapyEntry]:
    return {e.therapy_id: e for e in answer.therapies}


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _added_or_removed(
    change: Callable[[str, str, object, object], AnswerChange], old: TherapyEntry | None, new: TherapyEntry | None
) -> list[AnswerChange]:
    if new is not None:
        added = [change("therapy_added", new.therapy, None, f"tier {int(new.tier)} {new.significance.value}")]
        if new.significance == Significance.RESISTANCE:
            added.append(change("resistance_appeared", new.therapy, None, new.significance))
        return added
    if old is not None:
        return [change("therapy_removed", old.therapy, f"tier {int(old.tier)} {old.significance.value}", None)]
    return []


def compare_answers(query: PanelQuery, before: MatchAnswer, after: MatchAnswer) -> list[AnswerChange]:
    """The differences a clinician would notice between two answers to the same query."""

    def change(kind: str, therapy: str, old: object, new: object) -> AnswerChange:
        return AnswerChange(kind=kind, variants=list(query.variants), disease=query.disease, therapy=therapy,
                            before=_text(old), after=_text(new), origin=query.origin)  # fmt: skip

    found: list[AnswerChange] = []
    old_dx, new_dx = before.inputs.disease, after.inputs.disease
    if (old_dx.id if old_dx else None) != (new_dx.id if new_dx else None):
        found.append(change("diagnosis_changed", "", old_dx.id if old_dx else None, new_dx.id if new_dx else None))
    old_entries, new_entries = _entries(before), _entries(after)
    for therapy_id in sorted(old_entries.keys() | new_entries.keys()):
        old, new = old_entries.get(therapy_id), new_entries.get(therapy_id)
        if old is None or new is None:
            found.extend(_added_or_removed(change, old, new))
            continue
        name = new.therapy
        if old.tier != new.tier:
            found.append(change("tier_changed", name, int(old.tier), int(new.tier)))
        if old.significance != new.significance:
            kind = "resistance_appeared" if new.significance == Significance.RESISTANCE else "significance_changed"
            found.append(change(kind, name, old.significance, new.significance))
        if old.variant_match != new.variant_match:
            found.append(change("variant_match_changed", name, old.variant_match, new.variant_match))
        if old.disease_match != new.disease_match:
            found.append(change("disease_match_changed", name, old.disease_match, new.disease_match))
    return found
