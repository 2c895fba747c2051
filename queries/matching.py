"""Therapy matching: a patient's alterations and diagnosis → ranked therapies with evidence and warnings.

:func:`match_therapies` follows DESIGN.md's matching semantics over the store port only:

1. **Normalise** each input (:mod:`queries.normalize`); star-allele diplotypes go to
   :mod:`queries.pgx`.  Anything not understood is reported in ``inputs`` with a reason.
2. **Expand** each alteration to its variant, classes and gene, and the disease to its
   equivalents and ancestors.
3. **Collect** the predictive evidence about any of those nodes, and about every
   ``MolecularProfile`` that holds for the whole patient (AND/OR/NOT over everything the
   patient's alterations reach (:mod:`queries.profiles`).  A fusion whose partner the input
   leaves open ("ALK fusion") stands for the named fusions of its gene's fusion class, for
   evidence against a therapy and adverse response only, its match saying "partner not
   confirmed" (the decision and its reasons: :mod:`queries.profiles`).
4. **Qualify.** Evidence flagged ``requires_oncogenic``/``requires_pathogenic`` (MOAlmanac/CGI
   gene-level statements) keeps its class specificity only when the patient's variant is
   known to qualify: the graph holds evidence about the variant itself, ClinVar calls it
   (likely) pathogenic, or the rules class it as truncating/loss of function, a copy-number
   event or a fusion.  Otherwise it is listed at ``gene`` specificity with a warning.
5. **Fall back to the gene.** A fusion, copy-number event or class input that reaches no therapy
   evidence through its variant or classes gets the evidence about other alterations of its
   gene(s), at ``gene`` specificity, with a warning (MOAlmanac's "investigate actionability").
   A sequence variant in that position is a variant of unknown significance: listed in
   ``unknown_significance`` with the gene's therapies as context, untiered; so is a germline row
   no source calls pathogenic (:mod:`queries.significance`).
6. **Rank and warn** (:mod:`queries.ranking`): one entry per therapy and significance,
   de-duplicated across sources; resistance beside the therapy it concerns, demoting it.
7. **Explain** (:mod:`queries.explain`): each evidence item's path input → variant → class →
   evidence → disease → therapy, with source ids.

Nothing here logs or keeps a patient's inputs; :class:`MatchResult` is the only place they live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.collector import cyclic_gc_paused
from kg.errors import SchemaError
from kg.records import Node
from kg.schema import Label
from kg.stores.port import BuildManifest, Store
from kg.variant_classes import NONSILENT_TERMS
from kg.variants import parse_protein_change
from queries.evidence_readings import EvidenceReading, NotKept, read_evidence
from queries.expansion import is_pathogenic
from queries.explain import Explainer
from queries.graph_view import GraphView, view_for
from queries.normalize import (
    NORMALIZED,
    UNRECOGNIZED,
    DiseaseMatch,
    NodeMatch,
    NormalizedVariant,
    disease_suggestions,
    normalize,
    normalize_texts,
    resolve_disease,
)
from queries.notation import is_diplotype
from queries.patient import Alteration
from queries.pgx_cautions import is_pgx_call
from queries.profiles import profiles_that_hold, profiles_within_implied_fusions, unconfirmed_partner_matches
from queries.ranking import EvidenceHit, TherapyResult, rank
from queries.ranking_rules import FOR
from queries.significance import (
    UnknownSignificance,
    germline_qualifies,
    is_sequence_variant,
    unknown_significance_entry,
)

__all__ = [
    "EvidenceHit", "InputResult", "MatchResult", "Reached", "TherapyResult", "UnknownSignificance", "match_therapies",
    "reach_evidence",
]  # fmt: skip

_QUALIFYING_EFFECTS = frozenset({"truncating", "frameshift", "loss_of_function"})


@dataclass
class InputResult:
    """One input and the therapy entries it contributed evidence to (what ``annotate`` writes per variant)."""

    variant: NormalizedVariant
    therapies: list[TherapyResult]

    @property
    def best_sensitive_tier(self) -> int | None:
        tiers = [t.tier for t in self.therapies if t.significance == "sensitivity"]
        return min(tiers) if tiers else None

    @property
    def best_resistance_tier(self) -> int | None:
        tiers = [t.tier for t in self.therapies if t.significance in ("resistance", "reduced sensitivity")]
        return min(tiers) if tiers else None


@dataclass
class MatchResult:
    """The answer for one patient; :meth:`as_json` is ``pmkg match --format json``."""

    build: BuildManifest
    variants: list[NormalizedVariant]
    disease_input: str | None
    disease: DiseaseMatch | None
    therapies: list[TherapyResult]
    warnings: list[str]
    pgx_inputs: list[dict[str, Any]] = field(default_factory=list)
    pgx_cautions: list[dict[str, Any]] = field(default_factory=list)  # queries.pgx_cautions, in its order
    unknown_significance: list[UnknownSignificance] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        explainer = Explainer(self.therapies[0].view) if self.therapies else None
        disease: dict[str, Any] | None = None
        if self.disease is not None:
            disease = self.disease.as_json()
        elif self.disease_input is not None:
            disease = {"input": self.disease_input, "id": None, "name": None}
        return {
            "build": {
                "id": self.build.build_id,
                "sources": [{"name": s.name, "version": s.version, "license": s.license} for s in self.build.sources],
            },
            "inputs": {"variants": [v.as_json() for v in self.variants] + self.pgx_inputs, "disease": disease},
            "therapies": [t.as_json(explainer) for t in self.therapies],
            "pgx_cautions": list(self.pgx_cautions),
            "unknown_significance": [u.as_json() for u in self.unknown_significance],
            "warnings": list(self.warnings),
        }

    def per_input(self) -> list[InputResult]:
        """Each variant input (in the order given) with the therapy entries its evidence reached."""
        out = []
        for index, variant in enumerate(self.variants):
            entries = [t for t in self.therapies if index in t.input_indexes]
            out.append(InputResult(variant, entries))
        return out


def match_therapies(
    store: Store,
    variants: Sequence[str | Alteration | NormalizedVariant],
    disease: str | None = None,
    *,
    assembly: str | None = None,
    pgx_calls: Sequence[str] = (),
    view: GraphView | None = None,
) -> MatchResult:
    """Ranked therapies for a patient's alterations (text or :class:`Alteration`) in ``disease``.

    ``view`` pins the build a caller already reads (a cohort's every row answered from one build, without
    asking the store which build is current for each: a Neo4j round trip apiece); else the current build's.

    ``pgx_calls`` are PGx calls made elsewhere (an outside-call file's lines, as text); diplotypes and
    PGx calls among ``variants`` are recognised too.  A :class:`NormalizedVariant` (an input read before against
    the same build, as a cohort's whole-patient match reuses its rows') is taken as it is.
    ``assembly`` declares the assembly of genomic positions given as text; without it pmkg
    looks a position up on both and says which it found.  Raises only
    :class:`kg.errors.NoBuild` (no graph) and store errors; a bad input is reported in the result.
    """
    with cyclic_gc_paused():  # thousands of short-lived hits beside a warm view: kg.collector
        return _match(store, variants, disease, assembly, pgx_calls, view or view_for(store))


@dataclass
class Reached:
    """What a patient's alterations reach before ranking: their normalised forms, every evidence hit (in the
    order found), and the variants of unknown significance.  A cohort ranks these itself for each tumour type
    (:mod:`queries.annotate_ranking`), so nothing here is ranked or depends on a disease."""

    variants: list[NormalizedVariant]
    hits: list[EvidenceHit]
    unknown_significance: list[UnknownSignificance]


def reach_evidence(
    store: Store, variants: Sequence[Alteration | NormalizedVariant], *, view: GraphView | None = None
) -> Reached:
    """The evidence ``variants`` reach as one patient, unranked: steps 1–5 of :func:`match_therapies` without a
    disease (which evidence is reached does not depend on one; only its proximity, which a ranking computes)."""
    with cyclic_gc_paused():
        view = view or view_for(store)
        normalized = [v if isinstance(v, NormalizedVariant) else normalize(store, v, view=view) for v in variants]
        hits, unknown = _collect(view, normalized, None, [])
        return Reached(normalized, hits, unknown)


def _match(
    store: Store, variants: Sequence[str | Alteration | NormalizedVariant], disease: str | None, assembly: str | None,
    pgx_calls: Sequence[str], view: GraphView,
) -> MatchResult:  # fmt: skip
    warnings: list[str] = []
    normalized: list[NormalizedVariant] = []
    diplotypes: list[str] = []
    for item in variants:
        if isinstance(item, str) and (is_diplotype(item) or is_pgx_call(store, item)):
            diplotypes.append(item)
        elif isinstance(item, str):
            normalized.extend(normalize_texts(view.store, item, assembly=assembly, view=view))
        elif isinstance(item, NormalizedVariant):
            normalized.append(item)
        else:
            normalized.append(normalize(store, item, view=view))
    disease_match = _disease(view, disease, warnings)
    hits, unknown = _collect(view, normalized, disease_match, warnings)
    therapies = rank(view, hits, disease_match, warnings)
    pgx_inputs, pgx_cautions = _attach_pgx(store, [*diplotypes, *pgx_calls], therapies, warnings)
    for variant in normalized:
        if variant.status != NORMALIZED:
            warnings.append(f"{variant.input!r} was not matched: {variant.message}")
    return MatchResult(
        view.manifest,
        normalized,
        disease,
        disease_match,
        therapies,
        list(dict.fromkeys(warnings)),
        pgx_inputs,
        pgx_cautions,
        unknown,
    )


def _disease(view: GraphView, text: str | None, warnings: list[str]) -> DiseaseMatch | None:
    if text is None or not text.strip():
        return None
    found = resolve_disease(view.store, text, view=view)
    if found is None:
        close = disease_suggestions(view, text)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        warnings.append(f"disease {text!r} is not in this graph{hint}: therapies are ranked without disease proximity")
    else:
        if found.alternatives:
            warnings.append(found.message)
        warnings.extend(found.notes)
    return found


# ----------------------------------------------------------------------------- collect


def _collect(
    view: GraphView, variants: Sequence[NormalizedVariant], disease: DiseaseMatch | None, warnings: list[str]
) -> tuple[list[EvidenceHit], list[UnknownSignificance]]:
    """Every predictive evidence item with a therapy that the patient's alterations reach, and the VUS section."""
    reached: dict[str, list[tuple[int, NodeMatch]]] = {}
    present: set[str] = set()
    for index, variant in enumerate(variants):
        if not variant.ok:
            continue
        if variant.variant_id:
            present.add(variant.variant_id)
        for match in variant.matches:
            reached.setdefault(match.id, []).append((index, match))
            present.add(match.id)
    assumed = {i: m for i, m in unconfirmed_partner_matches(view, variants).items() if i not in present}
    profiles = profiles_that_hold(view, reached, present, assumed)
    within, taken_for = profiles_within_implied_fusions(view, variants, present)
    for profile_id, entries in within.items():
        earlier = profiles.get(profile_id, ())  # held already, maybe with a partner taken for evidence against only
        if not earlier or (all(m.trusted_for_therapy for _, m in entries)
                           and all(m.taken_on_trust and not m.trusted_for_therapy for _, m in earlier)):  # fmt: skip
            profiles[profile_id] = entries
    for index, fusions in taken_for.items():  # the answer says what it assumed, whatever the ranking shows
        variant = variants[index]
        warnings.append(f"{variant.input}: sources name {variant.variant_name} only within {' or '.join(fusions)}, "
                        "taken as present here: confirm the fusion")  # fmt: skip
    for node_id, entries in assumed.items():
        reached.setdefault(node_id, []).extend(entries)
    for profile_id, entries in profiles.items():
        reached[profile_id] = entries
    evidence = view.evidence_ids(reached)
    own_evidence = {i for v_id in present for i, m in reached.get(v_id, []) if m.specificity == "exact"
                    and v_id in evidence and m.label == Label.VARIANT}  # fmt: skip
    hits: list[EvidenceHit] = []
    readings = view.derived("matching reading")
    for target, items in evidence.items():
        for evidence_id in items:
            reading = readings.get(evidence_id, _UNREAD)
            if reading is _UNREAD:
                reading = _reading(view, evidence_id)
            if reading is None:
                continue
            for index, match in reached[target]:
                hit = _hit(view, reading, evidence_id, variants, index, match, disease, own_evidence, warnings)
                if hit is not None:
                    hits.append(hit)
    held: set[int] = set()  # germline inputs no source calls pathogenic: never matched
    for index, variant in enumerate(variants):
        if variant.ok and variant.germline:
            own = [h for h in hits if h.input_index == index]
            if not germline_qualifies(view, variant, own):
                held.add(index)
    hits = [h for h in hits if h.input_index not in held]
    fallback, context = _gene_fallback(view, variants, hits, disease, warnings, held)
    unknown: list[UnknownSignificance] = []
    for index, variant in enumerate(variants):
        if index in held or index in context:
            unknown.append(unknown_significance_entry(view, index, variant, context.get(index, ())))
    hits.extend(h for found in fallback.values() for h in found)
    for entry in unknown:
        symbols = ", ".join(entry.genes)
        warnings.append(f"{entry.input}: variant of unknown significance ({entry.reason}); listed apart, untiered"
                        + (f", with therapies for other alterations of {symbols} as context" if entry.gene_therapies
                           else ""))  # fmt: skip
    return hits, unknown


_UNREAD = object()


def _reading(view: GraphView, evidence_id: str) -> EvidenceReading | None:
    """The evidence item ``evidence_id`` as matching reads it (:mod:`queries.evidence_readings`): kept with the
    build's match tables, else read from its node; None when it is not predictive evidence about a therapy."""
    memo = view.derived("matching reading")
    found = memo.get(evidence_id, _UNREAD)
    if found is _UNREAD:
        try:
            found = view.kept_reading(evidence_id)
        except NotKept:
            found = _read(view, evidence_id)
        memo[evidence_id] = found
    return found


def _read(view: GraphView, evidence_id: str) -> EvidenceReading | None:
    def links() -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = view.evidence_links(evidence_id)
        return found.therapies, found.diseases

    return read_evidence(_evidence_node(view, evidence_id), links)


def _evidence_node(view: GraphView, evidence_id: str) -> Node:
    """The node of an evidence item the graph named (as evidence about a node it holds): never missing."""
    node = view.node(evidence_id)
    if node is None:
        raise LookupError(f"the graph names evidence {evidence_id} but holds no such node")
    return node


def _hit(
    view: GraphView,
    reading: EvidenceReading,
    evidence_id: str,
    variants: Sequence[NormalizedVariant],
    index: int,
    match: NodeMatch,
    disease: DiseaseMatch | None,
    own_evidence: set[int],
    warnings: list[str],
    *,
    fallback: bool = False,
) -> EvidenceHit | None:
    if reading.role == FOR and match.taken_on_trust and not match.trusted_for_therapy:
        return None  # a fusion partner taken on trust counts against a therapy, not for it (queries.profiles)
    variant = variants[index]
    specificity = "gene" if fallback else match.specificity
    if specificity == "gene_class" and reading.asks and not _qualifies(view, variant, index, own_evidence):
        specificity = "gene"
        warnings.append(
            f"{evidence_id} asks for a {reading.asks} {match.name.split()[0]} variant; {variant.variant_name} "
            f"is not known to be one in this graph: listed at gene level, review it"
        )
    if variant.biomarker_value is not None and reading.tmb is not None and variant.biomarker_value < reading.tmb:
        return None  # the patient's TMB is below the threshold this evidence names
    # The evidence's disease nearest to the patient's: proximity, id and distance (queries.diseases)
    diseases = reading.diseases
    proximity: str | None
    disease_id: str | None
    if not diseases:
        proximity, disease_id, distance = (None if disease is None else "other"), None, 0
    elif disease is None:
        proximity, disease_id, distance = None, diseases[0], 0
    else:
        proximity, disease_id, distance = disease.nearest(view, diseases)
    node = _evidence_node(view, evidence_id)
    # A curator's summary of a guideline or an approval (CIViC's AMP/ASCO/CAP tier I assertions, MOAlmanac's
    # FDA-approved or guideline assertions): what ranking puts first among therapies matched alike
    curated = reading.tier == 1 and node.props.get("record_type") == "assertion"
    return EvidenceHit(node, reading.source, index, match, specificity, disease_id, proximity, distance,
                       reading.therapies, reading.role, reading.tier, reading.rating, variant, evidence_id, index,
                       match.name, fallback, curated)  # fmt: skip


def _qualifies(view: GraphView, variant: NormalizedVariant, index: int, own_evidence: set[int]) -> bool:
    """Whether a variant counts as oncogenic/pathogenic for gene-level evidence that asks for it."""
    if index in own_evidence:
        return True
    facts = variant.facts
    if facts is not None and (facts.copy_number or facts.fusion):
        return True
    if variant.in_graph and variant.variant_id:
        node = view.node(variant.variant_id)
        if node is not None and is_pathogenic(node):
            return True
    for match in variant.matches:
        if match.label == Label.VARIANT_CLASS:
            node = view.node(match.id)
            if node is not None and node.props.get("effect") in _QUALIFYING_EFFECTS:
                return True  # truncating / loss of function: what a tumour suppressor's "oncogenic" means
    return False


def _alters_protein(variant: NormalizedVariant) -> bool:
    facts = variant.facts
    if facts is None or facts.copy_number or facts.fusion:
        return True
    if facts.protein_change:
        try:
            return parse_protein_change(facts.protein_change).kind not in ("synonymous", "position")
        except SchemaError:
            return False
    return not facts.consequences or bool(set(facts.consequences) & NONSILENT_TERMS)


def _gene_level_matches(view: GraphView, gene_id: str) -> tuple[tuple[str, NodeMatch], ...]:
    """The gene's other variants and classes (not its wild type) as gene-level matches: graph content, kept per
    build (a variant of unknown significance in TP53 asked for TP53's hundreds of members one by one each time)."""
    memo = view.derived("gene-level matches")
    found = memo.get(gene_id)
    if found is None:
        found = memo[gene_id] = tuple(
            (node.id, NodeMatch(node.id, node.name, node.label, "gene", (gene_id, node.id)))
            for node in view.members_of_gene(gene_id)
            if node.label in (Label.VARIANT, Label.VARIANT_CLASS) and node.props.get("class_type") != "wild_type"
        )
    return found


def _gene_fallback(
    view: GraphView,
    variants: Sequence[NormalizedVariant],
    hits: Sequence[EvidenceHit],
    disease: DiseaseMatch | None,
    warnings: list[str],
    held: set[int],
) -> tuple[dict[int, list[EvidenceHit]], dict[int, list[tuple[str, tuple[str, ...], int]]]]:
    """Gene-level matches, by input, for inputs that reached no therapy evidence of their own (or are ``held``).

    Two answers: the gene-level hits of fusions, copy-number events and classes (listed at ``gene`` specificity), and
    for sequence variants and ``held`` inputs (the unknown-significance section, which names the gene's therapies
    only) each evidence item's role, therapy ids and tier, without the hits nothing would read.
    """
    answered = {h.input_index for h in hits} - held
    wanted: dict[int, dict[str, NodeMatch]] = {}
    for index, variant in enumerate(variants):
        if not variant.ok or index in answered or not variant.genes:
            continue
        own = {m.id for m in variant.matches}
        others: dict[str, NodeMatch] = {}
        for gene in variant.genes:
            for node_id, match in _gene_level_matches(view, gene.id):
                if node_id not in own:
                    others[node_id] = match
        if others and _alters_protein(variant):  # asked last: most genes have no other alteration to offer
            wanted[index] = others
    if not wanted:
        return {}, {}
    evidence = view.evidence_ids({node_id for others in wanted.values() for node_id in others})
    out: dict[int, list[EvidenceHit]] = {}
    context: dict[int, list[tuple[str, tuple[str, ...], int]]] = {}
    for index, others in wanted.items():
        variant = variants[index]
        if index in held or is_sequence_variant(variant):
            value = variant.biomarker_value
            readings = [(r.role, r.therapies, r.tier) for target in others for item in evidence.get(target, ())
                        if (r := _reading(view, item)) is not None
                        and (value is None or r.tmb is None or value >= r.tmb)]  # what _hit keeps  # fmt: skip
            if readings:
                context[index] = readings
            continue
        found: list[EvidenceHit] = []
        for target, match in others.items():
            for evidence_id in evidence.get(target, ()):
                reading = _reading(view, evidence_id)
                if reading is None:
                    continue
                hit = _hit(view, reading, evidence_id, variants, index, match, disease, set(), warnings, fallback=True)
                if hit is not None:
                    found.append(hit)
        if found:
            out[index] = found
            symbols = ", ".join(g.name for g in variant.genes)
            warnings.append(
                f"{variant.input}: no evidence names this alteration or its classes; therapies for other "
                f"alterations of {symbols} are listed at gene level (review whether they apply)"
            )
    return out, context


# ----------------------------------------------------------------------------- PGx


def _attach_pgx(
    store: Store, diplotypes: Sequence[str], therapies: Sequence[TherapyResult], warnings: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Diplotype inputs → (their input rows, the PGx cautions); each therapy gets the CPIC rows of its drugs."""
    if not diplotypes:
        return [], []
    from queries.pgx_cautions import match_section

    section = match_section(store, diplotypes, {t.therapy.name: t.drugs for t in therapies})
    for therapy in therapies:
        therapy.pgx = [row.as_dict() for row in section.therapy_rows.get(therapy.therapy.name, [])]
    genes = {g.gene: g for g in section.genes}
    inputs = []
    for item in section.inputs:
        status = {"ok": NORMALIZED, "no_phenotype": NORMALIZED, "ambiguous": "ambiguous"}.get(
            str(item.status), UNRECOGNIZED
        )
        gene = genes.get(item.gene or "")
        if gene is not None and status == NORMALIZED and gene.phenotype:
            message = f"{' '.join(filter(None, (gene.gene, gene.diplotype)))}: {gene.phenotype}"
        else:
            message = item.reason or str(item.status)
            if item.suggestions:  # the alleles or phenotypes the lookup knows that are nearest to what was typed
                message = f"{message}; did you mean {', '.join(item.suggestions)}?"
        inputs.append({"input": item.input, "status": status, "variant": None, "message": message})
    warnings.extend(section.warnings)
    return inputs, [c.as_dict() for c in section.cautions]
