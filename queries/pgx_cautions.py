"""PGx cautions for a patient answer: every non-standard CPIC action and germline adverse-response evidence.

``pmkg match`` with diplotypes shows, besides the therapies, a section of its own (JSON
``pgx_cautions``): every CPIC recommendation for the patient's genotype whose action is not
standard dosing (``avoid``, ``alternative``, ``reduce_dose``, ``increase_dose``, ``monitor``),
whether or not its drug matched, and every CIViC germline evidence item of adverse response about
an allele the patient carries.  A DPYD poor metaboliser with colorectal cancer sees "avoid
fluorouracil / capecitabine" whatever else matched.  Each row says whether its drug is on the
therapy list, and which therapies carry it (drugs compared through :mod:`queries.drug_identity`).

A tumour board reads the top of the list, so the rows come in three groups: drugs on the therapy
list, then drugs used in cancer care, then the rest (a CYP2D6 poor metaboliser with breast cancer
sees tamoxifen before the tricyclic antidepressants).  "Used in cancer care" is a fact of the
build, not a list kept here (:func:`used_in_cancer_care`): some evidence item names a therapy that
contains the drug.  Every evidence source pmkg loads (CIViC, MOAlmanac, CGI) is a clinical-oncology
knowledge base, so its evidence is about tumours (a few under DO terms outside "cancer": desmoid
tumour, low-grade glioma, "any solid tumor"), and CPIC's recommendations are not evidence.

Star alleles reach CIViC's germline variants through what defines them (:func:`allele_keys`):
the star name (``DPYD*2A``; each part of a combined allele such as ``*80+*28``), the c. HGVS of
DPYD-style names (``c.1905+1G>A``) and the dbSNP ids of the positions where the allele differs
from the reference.  A CIViC variant named for one zygosity (``DPYD*2A HOMOZYGOSITY``) is shown
only to a patient with that many copies.

Never decides dosing itself and never logs the genotype.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Direction, Store
from queries.drug_identity import drug_keys
from queries.pgx import (
    GeneResult,
    InputReport,
    RecommendationRow,
    assemble_report,
    given_results,
    missing_gene_warnings,
    parse_diplotype_text,
)
from queries.pgx_graph import GeneData, PgxGraph, prop_text, prop_texts, split_diplotype
from queries.pgx_outside import pgx_call_gene

# CPIC actions that are not standard dosing, most serious first (the order rows are shown in).
CAUTION_ACTIONS = ("avoid", "alternative", "reduce_dose", "increase_dose", "monitor")
ADVERSE_RESPONSE = "adverse response"
_ZYGOSITY = re.compile(r"\s*\b(homozygosity|homozygous|heterozygosity|heterozygous)\b\s*", re.IGNORECASE)
_STAR = re.compile(r"^(?P<gene>[A-Za-z0-9-]+)\s*\*(?P<name>[0-9A-Za-z]+)$")
_STAR_PART = re.compile(r"\*(?P<name>[0-9A-Za-z]+)")
_CODING = re.compile(r"(?i)\bc\.(?P<change>[0-9*+\-_]+(?:[ACGT]+>[ACGT]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+))")
_RSID = re.compile(r"(?i)^rs\d+$")


@dataclass(frozen=True)
class PgxCaution:
    """One row of the cautions section: a CPIC recommendation or a CIViC germline evidence item."""

    drug: str
    source: str  # "CPIC" or "CIViC"
    action: str  # a CPIC action, or "adverse response"
    gene: str
    genotype: str  # the patient's genotype as it selects the row
    text: str
    strength: str | None = None  # CPIC strength, or CIViC's evidence level
    population: str | None = None
    record_id: str = ""
    url: str | None = None
    missing_genes: tuple[str, ...] = ()
    therapies: tuple[str, ...] = ()  # the matched therapies that contain the drug
    cancer_care: bool = False  # the build's oncology evidence names a therapy containing the drug
    variant: str | None = None  # CIViC: the variant the evidence is about
    disease: str | None = None  # CIViC: the evidence's disease
    citation: str | None = None

    @property
    def on_therapy_list(self) -> bool:
        return bool(self.therapies)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "drug": self.drug,
            "on_therapy_list": self.on_therapy_list,
            "therapies": list(self.therapies),
            "cancer_care": self.cancer_care,
            "source": self.source,
            "action": self.action,
            "gene": self.gene,
            "genotype": self.genotype,
            "strength": self.strength,
            "population": self.population,
            "text": self.text,
            "id": self.record_id,
            "url": self.url,
            "missing_genes": list(self.missing_genes),
        }
        if self.source != "CPIC":
            out |= {"variant": self.variant, "disease": self.disease, "citation": self.citation}
        return out


@dataclass
class PgxSection:
    """What ``pmkg match`` adds for the diplotypes given: the inputs as understood, the cautions, the
    recommendations per therapy (``therapy_rows``: therapy name → rows) and the warnings that matter."""

    inputs: list[InputReport]
    genes: list[GeneResult]
    cautions: list[PgxCaution]
    therapy_rows: dict[str, list[RecommendationRow]]
    warnings: list[str]


def match_section(store: Store, diplotypes: Sequence[str], therapy_drugs: Mapping[str, Sequence[Node]]) -> PgxSection:
    """The PGx part of a patient answer; ``therapy_drugs`` maps each matched therapy's name to its drugs.

    Warnings about drugs that are neither on the therapy list nor cautioned are left out (noise);
    a gene given without a phenotype is named for each drug on the list whose CPIC advice needs it.
    """
    graph = PgxGraph(store)
    inputs, results = given_results(graph, diplotypes)
    report = assemble_report(graph, results, inputs)
    rows = report.recommendations
    therapy_rows = {
        name: [r for r in rows if any(r.drug_keys & drug_keys(d) for d in drugs)]
        for name, drugs in therapy_drugs.items()
    }
    cautions = pgx_cautions(graph, results, rows, therapy_drugs)
    cautioned = {c.drug.casefold() for c in cautions}
    relevant = [r for r in rows if r.drug.casefold() in cautioned or any(r in on for on in therapy_rows.values())]
    warnings = [*report.general_warnings, *missing_gene_warnings(relevant)]
    warnings += _unknown_phenotype_warnings(graph, results, report.inputs, therapy_drugs)
    return PgxSection(report.inputs, list(results), cautions, therapy_rows, list(dict.fromkeys(warnings)))


def _unknown_phenotype_warnings(graph: PgxGraph, results: Sequence[GeneResult], inputs: Sequence[InputReport],
                                therapy_drugs: Mapping[str, Sequence[Node]]) -> list[str]:  # fmt: skip
    """For a gene given without a phenotype: the drugs on the list whose CPIC advice therefore cannot be chosen."""
    unknown = {r.gene: r for r in results if not r.lookup_values}
    notes = []
    for gene, result in unknown.items():
        reason = next((i.reason for i in inputs if i.gene == gene and i.reason), None)
        drugs: dict[str, None] = {}
        for drug in (d for ds in therapy_drugs.values() for d in ds):
            recs = graph.store.neighbours(drug.id, RelType.FOR_DRUG, Direction.IN)
            if any(gene in prop_texts(rec, "lookup_genes") for rec in recs):
                drugs[drug.name] = None
        if drugs:
            given = f"{gene} {result.diplotype or ''}".strip()
            notes.append(f"{', '.join(drugs)} (on the therapy list): CPIC's recommendation depends on {gene}, but "
                         f"{given} has no phenotype here{f' ({reason})' if reason else ''}")  # fmt: skip
    return notes


_ONE_STAR = re.compile(r"^\*\d+[A-Za-z]?$")  # one star allele, *2A: no stop-loss change (*394Qext*?) looks so


def is_pgx_call(store: Store, text: str) -> bool:
    """Whether ``pmkg match`` passes ``text`` to the PGx lookup rather than reading it as a tumour variant.

    A call in PGx words (a phenotype or an activity score: ``CYP2D6 activity score 1.0``, ``TPMT possible
    intermediate metabolizer``, ``NAT2 slow acetylator``) is, whatever its gene: the lookup then says a gene has no
    PGx data rather than the tumour reader saying it has no variant "poor metabolizer".  For a gene with PGx
    alleles, so is any diplotype (two alleles and one '/': ``DPYD c.1905+1G>A/Reference``, ``G6PD A-/A-``,
    ``DPYD 1/2A``), known alleles or not, so an allele the data does not define is reported as such, with the ones
    it does; and one star allele (``DPYD *2A``: the lookup asks for both).  Star diplotypes are recognised by
    :func:`queries.notation.is_diplotype` before this is asked."""
    if pgx_call_gene(text) is not None:
        return True
    parsed = parse_diplotype_text(text)  # "DPYD c.1905+1G>A/Reference", "VKORC1 rs9923231 C/T"
    if parsed is None:
        return False
    rest = parsed.rest.strip()
    one_allele = _ONE_STAR.match(rest) is not None
    diplotype = rest.count("/") == 1 and all(split_diplotype(rest))
    if not (diplotype or one_allele):
        return False
    found = PgxGraph(store).gene_by_symbol(parsed.gene)
    if found is None or not found.alleles:
        return False
    return diplotype or found.resolve_allele(rest) is not None


def is_caution(row: RecommendationRow) -> bool:
    return row.action in CAUTION_ACTIONS


def pgx_cautions(graph: PgxGraph, results: Sequence[GeneResult], rows: Sequence[RecommendationRow],
                 therapy_drugs: Mapping[str, Iterable[Node]]) -> list[PgxCaution]:  # fmt: skip
    """The cautions for a genotype: ``rows`` (its CPIC recommendations) that are not standard dosing,
    and CIViC germline adverse-response evidence; ``therapy_drugs`` maps each matched therapy's
    name to its drugs, to mark the drugs on the list.  Drugs on the list come first, then drugs used
    in cancer care (:func:`used_in_cancer_care`), then the rest; within each, by action
    (:data:`CAUTION_ACTIONS` order, CIViC's adverse response last), then by drug."""
    on_list = [(name, drug_keys(d)) for name, drugs in therapy_drugs.items() for d in drugs]
    cancer_care: dict[str, bool] = {}

    def therapies(keys: frozenset[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name, other in on_list if keys & other))

    def in_cancer_care(drug_id: str) -> bool:
        if drug_id not in cancer_care:
            cancer_care[drug_id] = used_in_cancer_care(graph.store, drug_id)
        return cancer_care[drug_id]

    cautions = [_cpic(row, therapies(row.drug_keys), in_cancer_care(row.drug_id)) for row in rows if is_caution(row)]
    for hit in germline_evidence(graph, results):
        for drug in hit.drugs:
            cautions.append(_civic(hit, drug, therapies(drug_keys(drug)), in_cancer_care(drug.id)))
    order = {action: i for i, action in enumerate((*CAUTION_ACTIONS, ADVERSE_RESPONSE))}
    # The board decides about the drugs on the list, then weighs the cancer drugs; then the most serious action.
    cautions.sort(key=lambda c: (not c.on_therapy_list, not c.cancer_care, order.get(c.action, len(order)),
                                 c.drug.lower(), c.population or "", c.record_id))  # fmt: skip
    return list(dict.fromkeys(cautions))


def used_in_cancer_care(store: Store, drug_id: str) -> bool:
    """Whether an evidence item of the build names a therapy that contains the drug (the one place this is decided).

    Evidence comes only from oncology knowledge bases (CIViC, MOAlmanac, CGI), so any item will do; CPIC's
    recommendations are ``Recommendation`` nodes, not evidence, and do not count."""
    therapies = store.neighbour_ids(drug_id, RelType.HAS_COMPONENT, Direction.IN)
    return any(store.neighbour_ids(therapy, RelType.WITH_THERAPY, Direction.IN) for therapy in therapies)


def _cpic(row: RecommendationRow, therapies: tuple[str, ...], cancer_care: bool) -> PgxCaution:
    single = len(row.genes) == 1
    genotype = row.phenotypes[0] if single else "; ".join(f"{g}: {p}" for g, p in zip(row.genes, row.phenotypes,
                                                                                        strict=True))  # fmt: skip
    return PgxCaution(
        drug=row.drug, source=row.source or "CPIC", action=row.action, gene=" + ".join(row.genes), genotype=genotype,
        text=row.text, strength=row.strength, population=row.population, record_id=row.recommendation_id,
        url=row.guideline_url, missing_genes=row.missing_genes, therapies=therapies, cancer_care=cancer_care,
    )  # fmt: skip


def _civic(hit: GermlineHit, drug: Node, therapies: tuple[str, ...], cancer_care: bool) -> PgxCaution:
    evidence = hit.evidence
    return PgxCaution(
        drug=drug.name, source="CIViC", action=ADVERSE_RESPONSE, gene=hit.gene, genotype=hit.genotype,
        text=prop_text(evidence, "statement") or prop_text(evidence, "description") or "",
        strength=prop_text(evidence, "level"), record_id=evidence.id, url=prop_text(evidence, "url"),
        therapies=therapies, cancer_care=cancer_care, variant=hit.variant.name, disease=hit.disease,
        citation=_citation(evidence),
    )  # fmt: skip


def _citation(evidence: Node) -> str | None:
    parts = [prop_text(evidence, "citation"), prop_text(evidence, "citation_id")]
    found = [p for p in parts if p]
    return ", ".join(found) if found else None


# ------------------------------------------------------------------ germline evidence


@dataclass(frozen=True)
class GermlineHit:
    """A CIViC evidence item of adverse response about a variant one of the patient's alleles carries."""

    gene: str
    genotype: str
    variant: Node
    evidence: Node
    drugs: tuple[Node, ...]
    disease: str | None


def allele_keys(gene: GeneData, name: str) -> frozenset[str]:
    """What an allele is called in other sources: ``dpyd*2a``, ``c.1905+1g>a``, ``rs3918290``.

    >>> from kg.records import Node
    >>> from kg.schema import Label
    >>> node = Node("A", Label.ALLELE, "UGT1A1*80+*28", props={"rsids": ["rs887829", "rs3064744"],
    ...     "ref_alleles": ["C", "CAT"], "alt_alleles": ["T", "CATAT"]})
    >>> sorted(allele_keys(GeneData(Node("G", Label.GENE, "UGT1A1"), "UGT1A1", {"*80+*28": node}, []), "*80+*28"))
    ['rs3064744', 'rs887829', 'ugt1a1*28', 'ugt1a1*80']
    """
    node = gene.alleles.get(name)
    if node is None or node.props.get("reference"):
        return frozenset()
    keys = {f"{gene.symbol}*{m.group('name')}".lower() for m in _STAR_PART.finditer(name)}
    keys |= {f"c.{m.group('change')}".lower() for m in _CODING.finditer(name)}
    refs, alts = prop_texts(node, "ref_alleles"), prop_texts(node, "alt_alleles")
    for i, rsid in enumerate(prop_texts(node, "rsids")):
        ref, alt = (refs[i] if i < len(refs) else ""), (alts[i] if i < len(alts) else "")
        if rsid and alt and alt.upper() != ref.upper() and re.fullmatch(r"[ACGT]+", alt.upper()):
            keys.add(rsid.lower())
    return frozenset(keys)


def variant_keys(gene: str, variant: Node) -> tuple[frozenset[str], int | None]:
    """What a (CIViC) variant node is called, and the number of copies it names (2 for HOMOZYGOSITY)."""
    copies: int | None = None
    keys: set[str] = set()
    for text in (variant.name, *variant.synonyms):
        zygosity = _ZYGOSITY.search(text)
        if zygosity:
            copies = 2 if zygosity.group(1).lower().startswith("homo") else 1
        bare = _ZYGOSITY.sub(" ", text).strip()
        bare = re.sub(rf"^{re.escape(gene)}\s+(?=\S)", "", bare, flags=re.IGNORECASE) if " " in bare else bare
        star = _STAR.match(bare)
        if star and star.group("gene").lower() == gene.lower():
            keys.add(f"{gene}*{star.group('name')}".lower())
        elif _RSID.match(bare):
            keys.add(bare.lower())
        else:
            keys |= {f"c.{m.group('change')}".lower() for m in _CODING.finditer(bare)}
    return frozenset(keys), copies


def germline_evidence(graph: PgxGraph, results: Sequence[GeneResult]) -> list[GermlineHit]:
    """Adverse-response evidence about CIViC variants that the patient's alleles carry (zygosity respected)."""
    hits: dict[str, GermlineHit] = {}
    for result in results:
        if not result.alleles:
            continue
        gene = graph.gene_by_symbol(result.gene)
        if gene is None or not gene.variants:
            continue
        carried = [allele_keys(gene, a) for a in result.alleles]
        for variant in gene.variants:
            keys, copies = variant_keys(gene.symbol, variant)
            count = sum(1 for allele in carried if allele & keys)
            if count == 0 or (copies is not None and count != copies):
                continue
            for evidence in _adverse_evidence(graph.store, variant):
                genotype = f"{result.gene} {result.diplotype}"
                hits.setdefault(evidence.id, _hit(graph.store, result.gene, genotype, variant, evidence))
    return [h for h in hits.values() if h.drugs]


def _adverse_evidence(store: Store, variant: Node) -> list[Node]:
    """Adverse-response evidence about the variant, or about a molecular profile of it alone."""
    about = [variant.id]
    for profile in store.neighbours(variant.id, RelType.HAS_COMPONENT, Direction.IN):
        if profile.label == Label.MOLECULAR_PROFILE and len(store.neighbours(profile.id, RelType.HAS_COMPONENT)) == 1:
            about.append(profile.id)
    found = store.evidence_for(about)
    evidence = {e.id: e for items in found.values() for e in items}
    return [e for _, e in sorted(evidence.items()) if str(e.props.get("significance", "")).lower() == ADVERSE_RESPONSE]


def _hit(store: Store, gene: str, genotype: str, variant: Node, evidence: Node) -> GermlineHit:
    drugs: dict[str, Node] = {}
    for therapy in store.neighbours(evidence.id, RelType.WITH_THERAPY):
        components = [n for n in store.neighbours(therapy.id, RelType.HAS_COMPONENT) if n.label == Label.DRUG]
        for drug in components or ([therapy] if therapy.label == Label.DRUG else []):
            drugs.setdefault(drug.id, drug)
    diseases = store.neighbours(evidence.id, RelType.IN_DISEASE)
    disease = diseases[0].name if diseases else prop_text(evidence, "disease_name")
    return GermlineHit(gene, genotype, variant, evidence, tuple(drugs.values()), disease)
