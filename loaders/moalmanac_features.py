"""MOAlmanac's molecular features and assertions, as one model for both of its file layouts.

The flat ``molecular-oncology-almanac.json`` and the normalised ``referenced/`` tables
describe a feature with the same field names (``protein_change``, ``direction``,
``rearrangement_type`` …); each layout reader builds :class:`Feature` and
:class:`Assertion` objects and :func:`feature_target` turns a feature into the
Variant/VariantClass node it is about, with ids from :mod:`kg.variants` and class rules
from :mod:`kg.variant_classes`:

=========================================  =================================================
MOAlmanac feature                           node
=========================================  =================================================
BRAF p.V600E (somatic or germline)         Variant ``PMKG:variant/BRAF:V600E``
KRAS p.G12 (no alternate residue)          VariantClass ``PMKG:class/KRAS:G12`` (codon)
EGFR exon 19 Deletion                      VariantClass ``PMKG:class/EGFR:exon-19-deletion``
MET exon 14 Splice Site                    VariantClass ``PMKG:class/MET:exon-14-skipping``
STAG2 Nonsense / Frameshift                VariantClass ``PMKG:class/STAG2:nonsense-mutation`` …
MSH2 (gene only; "oncogenic variants")     VariantClass ``PMKG:class/MSH2:mutation``
ERBB2 Amplification                        Variant ``PMKG:variant/ERBB2:amplification``
BCR::ABL1 fusion                           Variant ``PMKG:variant/BCR::ABL1``
ALK fusion or rearrangement (one gene)     VariantClass ``PMKG:class/ALK:fusion``
MSI-High, TMB high, SBS10b, WGD, 5q del    Variant ``PMKG:variant/MSI-H`` … (gene-less biomarkers)
ATM knockdown (shRNA/CRISPR)               VariantClass ``PMKG:class/ATM:loss-of-function``
Wild type KRAS                             VariantClass ``PMKG:class/KRAS:wild-type``
HER2-positive (protein expression)         VariantClass ``PMKG:class/ERBB2:positive`` (expression)
=========================================  =================================================

Whether the source asks for an *oncogenic* (somatic) or *pathogenic* (germline) variant is
kept on the Evidence (``requires_oncogenic``/``requires_pathogenic``), with the origin
(``variant_origin``), so a gene-level class stays reachable from a patient's variant and the
matcher can say what the evidence asks for.  Nothing here reads files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.errors import SchemaError
from kg.records import PropValue
from kg.variant_classes import ClassRule, VariantFacts, exon_rule, parse_class_name
from kg.variants import biomarker_id, copy_number_id, dbsnp_id, fusion_id, parse_protein_change, variant_id
from loaders.evidence_records import DrugRef, Target, class_target, clean_text, safe_label, variant_target
from loaders.genes import GeneResolver

# MOAlmanac's predictive_implication → normalised tier (DESIGN.md "Rank").  FDA approval and
# guidelines are tier 1; "Clinical trial" and "Clinical evidence" (a clinical study that was
# not a trial — CIViC B, not a C case report) are both tier 2; preclinical 4; inferential 5.
LEVEL_TIERS: dict[str, int] = {
    "FDA-Approved": 1,
    "Guideline": 1,
    "Clinical trial": 2,
    "Clinical evidence": 2,
    "Preclinical": 4,
    "Inferential": 5,
}

# variant_annotation alone → gene-level class (label, effect).  The rules decide "frameshift";
# nonsense, missense and splice-site classes carry effects the rules do not test yet.
GENE_CLASSES: dict[str, tuple[str, str]] = {
    "missense": ("missense mutation", "missense"),
    "nonsense": ("nonsense mutation", "nonsense"),
    "frameshift": ("frameshift mutation", "frameshift"),
    "splice site": ("splice site mutation", "splice_site"),
    "activating mutation": ("activating mutation", "gain_of_function"),
    "deletion": ("inframe deletion", "deletion"),
    "insertion": ("inframe insertion", "insertion"),
}
# variant_annotation with an exon → the exon class's edit.
EXON_EDITS = {"deletion": "deletion", "insertion": "insertion", "frameshift": "frameshift", "splice site": "skipping"}
# Protein-expression markers as MOAlmanac writes them → HGNC symbols.
_MARKER_GENES = {
    "estrogen receptor (er)": "ESR1",
    "progesterone receptor (pr)": "PGR",
    "human epidermal growth factor receptor 2 (her2)": "ERBB2",
    "pd-l1": "CD274",
    "cd30": "TNFRSF8",
    "cd117": "KIT",
    "cd20": "MS4A1",
    "cldn18.2": "CLDN18",
    "c-met": "MET",
}
_EXPRESSION_UNITS = {
    "status": "",
    "tumor proportion score (tps)": "TPS",
    "combined positive score (cps)": "CPS",
    "tumor-infiltrating immune cells (tiic)": "TIIC",
    "tumor area positivity (tap)": "TAP",
    "percentage of tumor cells": "tumor cells",
}
_EXPRESSION_DIRECTIONS = {"positive": "over", "negative": "under", "low": "under", "ultralow": "under"}
_MSI = {"msi-high": "MSI-H", "msi-h": "MSI-H", "msi-low": "MSI-L", "msi-l": "MSI-L", "mss": "MSS",
        "microsatellite instability-high (msi-h)": "MSI-H", "microsatellite instability-low (msi-l)": "MSI-L",
        "microsatellite stable (mss)": "MSS", "microsatellite stable": "MSS"}  # fmt: skip
_MSI_NAMES = {"MSI-H": "MSI-High", "MSI-L": "MSI-Low", "MSS": "Microsatellite stable"}


class FeatureError(ValueError):
    """A feature that cannot be mapped to a node; ``field`` names the culprit."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Feature:
    """One molecular feature as MOAlmanac describes it (either layout)."""

    feature_type: str
    genes: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    present: bool = True
    name: str = ""  # MOAlmanac's own name (referenced layout), e.g. "BRAF p.V600E"
    gene_codes: tuple[str, ...] = ()  # HGNC CURIEs the referenced layout gives, as a fallback

    def text(self, key: str) -> str:
        value = self.fields.get(key)
        if value is None or isinstance(value, bool):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_text(str(value))


@dataclass(frozen=True)
class DiseaseRef:
    """A disease an assertion is about: CURIE, name, and the source's own wording."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    props: Mapping[str, PropValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Assertion:
    """One MOAlmanac assertion (flat layout) or statement (referenced layout), normalised."""

    record_id: str
    line: int | None
    features: tuple[Feature, ...]
    disease: DiseaseRef | None
    drugs: tuple[DrugRef, ...]
    therapy_name: str
    evidence_type: str
    significance: str
    direction: str
    level: str
    tier: int
    props: Mapping[str, PropValue] = field(default_factory=dict)


@dataclass(frozen=True)
class MappedFeature:
    """A feature's node and what the Evidence should record about the feature."""

    target: Target
    evidence_props: dict[str, PropValue]


Handler = Callable[[Feature, GeneResolver], tuple[Target, dict[str, PropValue]]]


def resolve_gene(symbol: str, resolver: GeneResolver, fallback: str = "") -> tuple[str, str]:
    """HGNC id and approved symbol of ``symbol``; FeatureError if HGNC does not know it."""
    hgnc_id = resolver.resolve(symbol) if symbol else None
    if hgnc_id is None and fallback and fallback.upper() in resolver:
        hgnc_id = fallback.upper()
    if hgnc_id is None:
        ambiguous = resolver.candidates(symbol) if symbol else ()
        why = f"it may be any of {list(ambiguous)}" if len(ambiguous) > 1 else "HGNC has no such symbol"
        raise FeatureError("gene", f"gene {symbol!r} cannot be resolved to an HGNC id ({why})")
    return hgnc_id, resolver.symbol(hgnc_id)


def feature_target(feature: Feature, resolver: GeneResolver) -> MappedFeature:
    """The Variant or VariantClass node ``feature`` is about; FeatureError if it has none."""
    kind = feature.feature_type.strip().lower()
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise FeatureError(
            "feature_type", f"unknown feature type {feature.feature_type!r}; expected one of {sorted(_HANDLERS)}"
        )
    target, props = handler(feature, resolver)
    props = {"feature_type": feature.feature_type, "feature": feature.name or target.name, **props}
    return MappedFeature(target, props)


def _genes(feature: Feature, resolver: GeneResolver, *, at_least: int = 1) -> list[tuple[str, str]]:
    if len(feature.genes) < at_least:
        raise FeatureError("gene", f"{feature.feature_type} feature names no gene")
    codes = list(feature.gene_codes) + [""] * len(feature.genes)
    return [resolve_gene(symbol, resolver, code) for symbol, code in zip(feature.genes, codes, strict=False)]


def _gene_class(
    rule: ClassRule, genes: Sequence[tuple[str, str]], props: Mapping[str, PropValue] | None = None
) -> Target:
    return class_target(rule, genes, props=props)


def _variant(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    genes = _genes(feature, resolver)[:1]
    symbol = genes[0][1]
    origin = "germline" if feature.feature_type.lower().startswith("germline") else "somatic"
    props: dict[str, PropValue] = {"variant_origin": origin}
    if feature.fields.get("requires_oncogenic") is True:
        props["requires_oncogenic"] = True
    if feature.fields.get("requires_pathogenic") is True or feature.fields.get("pathogenic") in (1, "1", True):
        props["requires_pathogenic"] = True
    raw_change = feature.text("protein_change")
    if raw_change:
        try:
            change = parse_protein_change(raw_change)
        except SchemaError as exc:
            raise FeatureError("protein_change", str(exc)) from None
        if change.kind == "position":  # p.G12: any change at the codon
            rule = parse_class_name(symbol, change.text) or ClassRule(symbol, "codon", change.text,
                                                                       positions=(change.start,))  # fmt: skip
            return _gene_class(rule, genes), props
        return _protein_variant(feature, genes, change.text), props
    annotation = feature.text("variant_annotation").lower()
    exon = feature.text("exon")
    if exon.isdigit():
        rule = exon_rule(symbol, int(exon), EXON_EDITS.get(annotation, "mutation"))
    elif annotation in GENE_CLASSES:
        label, effect = GENE_CLASSES[annotation]
        rule = ClassRule(symbol, "gene_class", label, effect=effect)
    elif annotation:  # e.g. "Internal Tandem Duplication (ITD)": a class the rules cannot test
        rule = ClassRule(symbol, "other", safe_label(annotation.replace("(", "").replace(")", "")))
    elif feature.name.lower().endswith("activating variants"):  # "ERBB2 TKD activating variants"
        words = feature.name.split()
        label = " ".join([*(words[1:-1] if words[0].upper() == symbol else words[:-1]), "mutation"])
        parsed = parse_class_name(symbol, label)
        rule = parsed or ClassRule(symbol, "domain", label)
    else:
        rule = ClassRule(symbol, "gene_class", "mutation", effect="any")
    return _gene_class(rule, genes), props


def _protein_variant(feature: Feature, genes: Sequence[tuple[str, str]], change: str) -> Target:
    symbol = genes[0][1]
    synonyms = [f"{symbol} p.{change}", f"{symbol} {feature.text('protein_change').removeprefix('p.')}"]
    variant_props: dict[str, PropValue] = {"gene": symbol, "protein_change": change}
    cdna, rsid = feature.text("cdna_change"), feature.text("rsid")
    if cdna:
        synonyms.append(f"{symbol} {cdna}")
        variant_props["cdna_change"] = cdna
    if rsid:
        try:
            synonyms.extend((rsid, dbsnp_id(rsid)))
        except SchemaError:
            synonyms.append(rsid)
        variant_props["rsid"] = rsid
    facts = VariantFacts(symbol, protein_change=change)
    return variant_target(variant_id(symbol, change), f"{symbol} {change}", genes, synonyms=synonyms,
                          props=variant_props, facts=facts)  # fmt: skip


def _copy_number(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    genes = _genes(feature, resolver)[:1]
    symbol = genes[0][1]
    direction = feature.text("direction")
    try:
        vid = copy_number_id(symbol, direction)
    except SchemaError as exc:
        raise FeatureError("direction", str(exc)) from None
    event = vid.rsplit(":", 1)[1]
    props: dict[str, PropValue] = {"gene": symbol, "copy_number": event}
    facts = VariantFacts(symbol, copy_number=event)
    return variant_target(vid, f"{symbol} {event}", genes, props=props, facts=facts), {}


def _arm_copy_number(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    chromosome, arm, direction = feature.text("chromosome"), feature.text("arm"), feature.text("direction").lower()
    if not (chromosome and arm and direction):
        raise FeatureError("arm", "an arm-level copy-number feature needs chromosome, arm and direction")
    name = f"{chromosome}{arm} {direction}"
    props: dict[str, PropValue] = {"biomarker_type": "arm-level copy number", "chromosome": chromosome, "arm": arm}
    synonyms = [f"del({chromosome}{arm})"] if direction == "deletion" else []
    return variant_target(biomarker_id(name), name, [], synonyms=synonyms, props=props), {}


def _rearrangement(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    if not feature.genes:
        name = feature.text("locus") or feature.name
        if not name:
            raise FeatureError("gene1", "a rearrangement needs a gene or a locus")
        return variant_target(biomarker_id(name), name, [], props={"biomarker_type": "rearrangement"}), {}
    genes = _genes(feature, resolver)
    if len(genes) >= 2:
        s5, s3 = genes[0][1], genes[1][1]
        props: dict[str, PropValue] = {"five_prime_gene": s5, "three_prime_gene": s3}
        synonyms = [f"{s5}-{s3}", f"{s5}-{s3} fusion", f"{s5}::{s3} fusion"]
        facts = VariantFacts(s5, fusion=(s5, s3))
        return variant_target(fusion_id(s5, s3), f"{s5}::{s3}", genes[:2], synonyms=synonyms, props=props,
                              facts=facts), {}  # fmt: skip
    # One named gene: MOAlmanac's fusions, translocations and untyped rearrangements of it are
    # all detected as fusions of that gene, the class a patient's fusion is filed under.
    symbol = genes[0][1]
    return _gene_class(ClassRule(symbol, "fusion", "fusion"), genes), {}


def _named_biomarker(canonical: str, display: str, biomarker_type: str, synonyms: Sequence[str] = ()) -> Target:
    return variant_target(biomarker_id(canonical), display, [], synonyms=[canonical, *synonyms],
                          props={"biomarker_type": biomarker_type})  # fmt: skip


def _msi(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    status = feature.text("status")
    canonical = _MSI.get(status.lower())
    if canonical is None:
        raise FeatureError("status", f"microsatellite status {status!r}; expected MSI-High, MSI-Low or MSS")
    synonyms = [status] if status != canonical else []
    return _named_biomarker(canonical, _MSI_NAMES[canonical], "microsatellite status", synonyms), {}


def _status_biomarker(table: Mapping[str, tuple[str, str]], kind: str) -> Handler:
    def handler(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
        status = feature.text("status")
        found = table.get(status.lower())
        if found is None:
            raise FeatureError("status", f"{kind} status {status!r}; expected one of {sorted(table)}")
        canonical, display = found
        return _named_biomarker(canonical, display, kind), {}

    return handler


def _tmb(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    level = feature.text("classification").lower()
    if level not in ("high", "low"):
        raise FeatureError("classification", f"mutational burden {level!r}; expected High or Low")
    props: dict[str, PropValue] = {}
    for key in ("minimum_mutations", "mutations_per_mb", "minimum_mutations_per_megabase"):
        value = feature.fields.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            props[f"tmb_{key}"] = value
    target = _named_biomarker(f"TMB-{level}", f"TMB-{level}", "tumor mutational burden",
                              [f"tumor mutational burden {level}"])  # fmt: skip
    return target, props


def _signature(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    signature = feature.text("cosmic_signature")
    if not signature:
        raise FeatureError("cosmic_signature", "a mutational signature feature needs cosmic_signature")
    return _named_biomarker(signature, signature, "mutational signature", [f"COSMIC {signature}"]), {}


def _aneuploidy(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    event = feature.text("event")
    if event.lower() != "whole genome doubling":
        raise FeatureError("event", f"aneuploidy event {event!r}; expected Whole genome doubling")
    return _named_biomarker("whole-genome-doubling", "Whole genome doubling", "aneuploidy", ["WGD"]), {}


def _knockdown(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    # A gene knocked down in a model stands for the gene's loss of function.
    genes = _genes(feature, resolver)[:1]
    rule = ClassRule(genes[0][1], "gene_class", "loss of function", effect="loss_of_function")
    return _gene_class(rule, genes), {}


def _wild_type(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    genes = _genes(feature, resolver)[:1]
    return _gene_class(ClassRule(genes[0][1], "wild_type", "wild type"), genes), {}


def _expression(feature: Feature, resolver: GeneResolver) -> tuple[Target, dict[str, PropValue]]:
    marker = feature.text("marker")
    unit = _EXPRESSION_UNITS.get(feature.text("unit").lower(), feature.text("unit"))
    equality, value = feature.text("equality") or "=", feature.fields.get("value")
    if not marker or value is None:
        raise FeatureError("marker", "a protein-expression feature needs marker and value")
    if equality == "=":
        state = str(value).lower()
    else:
        number = _number(value)
        if number is None:
            raise FeatureError("value", f"expression threshold {value!r} is not a number")
        amount = f"{number * 100:g}%" if unit != "CPS" else f"{number:g}"
        state = f"{unit} {equality} {amount}".strip()
    name = feature.name or f"{marker} {state}"
    props: dict[str, PropValue] = {"biomarker_type": "protein expression", "marker": marker, "state": state}
    hgnc = resolver.resolve(_MARKER_GENES.get(marker.lower(), marker))
    if hgnc is None:
        return variant_target(biomarker_id(safe_label(f"{marker} {state}")), name, [], props=props), {}
    symbol = resolver.symbol(hgnc)
    rule = ClassRule(symbol, "expression", safe_label(state), direction=_EXPRESSION_DIRECTIONS.get(state, "any"))
    return class_target(rule, [(hgnc, symbol)], synonyms=[name, f"{symbol} {state}"], props=props), {}


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


_HANDLERS = {
    "somatic variant": _variant,
    "germline variant": _variant,
    "copy number": _copy_number,
    "copy number (arm level)": _arm_copy_number,
    "rearrangement": _rearrangement,
    "microsatellite stability": _msi,
    "mismatch repair": _status_biomarker(
        {"deficient": ("dMMR", "Mismatch repair deficient"), "proficient": ("pMMR", "Mismatch repair proficient")},
        "mismatch repair",
    ),
    "homologous recombination": _status_biomarker(
        {"deficient": ("HRD", "Homologous recombination deficiency")}, "homologous recombination"
    ),
    "mutational burden": _tmb,
    "tumor mutational burden": _tmb,
    "mutational signature": _signature,
    "aneuploidy": _aneuploidy,
    "knockdown": _knockdown,
    "wild type": _wild_type,
    "protein expression": _expression,
}
