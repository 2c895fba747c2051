"""CGI Cancer Biomarkers database: drug-response biomarkers from the Cancer Genome Interpreter.

Reads ``cgi_biomarkers_per_variant.tsv`` (or the later ``cgi_biomarkers_latest.tsv``, whose
tumour-name column is ``Primary Tumor type full name``): one row per biomarker, repeated
once per listed protein change with that change's gDNA/cDNA/transcript.  Each biomarker
becomes one ``Evidence`` node ``PMKG:cgi/<hash of the biomarker's columns>`` (CGI has no
record ids; the per-variant repeats of a biomarker therefore share one node):

* ``ABOUT`` the Variant/VariantClass of each alternative the ``Alteration`` lists
  (``ABL1:T315I,F317L`` → two Variants; ``BRAF:V600.`` → codon class ``BRAF V600``;
  ``ALK:.`` → gene-level class with ``requires_oncogenic``; ``KIT:550-592`` → ``KIT exon 11
  mutation``; classes carry their :mod:`kg.variant_classes` rule),
  or a ``MolecularProfile`` when several alterations must co-occur (``MET:amp;BRAF:V600E``);
* ``IN_DISEASE`` the OncoTree (or DOID/NCIt) term of each CGI tumour acronym
  (:data:`TUMOUR_TYPES`; ``CANCER`` is DOID:162 cancer);
* ``WITH_THERAPY`` one Therapy per alternative drug (``[Nilotinib,Dasatinib]``), a combination
  (``Dabrafenib;Trametinib``) or a drug-class therapy when CGI names no drug (``[]``).

Association → significance: Responsive → sensitivity, Resistant → resistance, No Responsive →
sensitivity with direction "does not support", Increased Toxicity → adverse response.  Evidence
level → tier: guidelines 1, trials 2, case report 3, pre-clinical 4.

CGI content is CC BY-NC 4.0: pmkg never bundles it; this module only reads the table users
fetched, and never touches the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Self

from kg.errors import SchemaError, SourceFileError
from kg.identifiers import pmkg_id
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import Label, RelType
from kg.variant_classes import EXON_TABLE, ClassRule, VariantFacts, exon_rule, parse_class_name
from kg.variants import copy_number_id, fusion_id, normalize_protein_change, parse_protein_change, variant_id
from loaders.base import SourceSpec, read_table
from loaders.evidence_records import (
    ADVERSE_RESPONSE,
    DOES_NOT_SUPPORT,
    RESISTANCE,
    SENSITIVITY,
    SUPPORTS,
    DrugRef,
    Memberships,
    ProfilePart,
    Target,
    class_target,
    clean_text,
    drug_class_therapy_id,
    profile_records,
    safe_label,
    therapy_records,
    variant_target,
)
from loaders.genes import GeneResolver, GeneResolvingLoader
from loaders.moalmanac_features import FeatureError, resolve_gene

logger = logging.getLogger(__name__)

BIOMARKERS = "biomarkers"
REQUIRED = (
    "Alteration",
    "Alteration type",
    "Association",
    "Biomarker",
    "Drug",
    "Drug family",
    "Drug full name",
    "Evidence level",
    "Gene",
    "Primary Tumor acronym",
    "Source",
)
# Columns that describe one protein change of a biomarker (the per-variant expansion).
PER_VARIANT = ("gDNA", "cDNA", "individual_mutation", "info", "region", "strand", "transcript")

# CGI evidence level → normalised tier (DESIGN.md "Rank").
# fmt: off
LEVEL_TIERS = {
    "fda guidelines": 1, "nccn guidelines": 1, "nccn/cap guidelines": 1, "european leukemianet guidelines": 1,
    "cpic guidelines": 1, "late trials": 2, "early trials": 2, "clinical trials": 2, "case report": 3,
    "pre-clinical": 4,
}
# fmt: on
# CGI tumour acronyms → (CURIE, name).  OncoTree codes where OncoTree has the type (the legacy
# ALL/MM/LEUK codes MOAlmanac also uses, so both sources meet), DOID/NCIt for the broad groups.
# CGI's MPN is malignant peripheral nerve sheath tumour, not OncoTree's myeloproliferative MPN.
# fmt: off
TUMOUR_TYPES: dict[str, tuple[str, str]] = {
    "AA": ("ONCOTREE:ACA", "Adrenocortical Adenoma"), "ACML": ("ONCOTREE:ACML", "Atypical Chronic Myeloid Leukemia"),
    "ADCC": ("ONCOTREE:ACYC", "Adenoid Cystic Carcinoma"), "AG": ("ONCOTREE:AODG", "Anaplastic Oligodendroglioma"),
    "ALL": ("ONCOTREE:ALL", "Acute Lymphoid Leukemia"), "AML": ("ONCOTREE:AML", "Acute Myeloid Leukemia"),
    "APML": ("ONCOTREE:APLPMLRARA", "APL with PML-RARA"), "AS": ("ONCOTREE:ANGS", "Angiosarcoma"),
    "BCC": ("ONCOTREE:BCC", "Basal Cell Carcinoma"), "BCL": ("ONCOTREE:MBN", "Mature B-Cell Neoplasms"),
    "BLCA": ("ONCOTREE:BLCA", "Bladder Urothelial Carcinoma"),
    "BRCA": ("ONCOTREE:BRCA", "Invasive Breast Carcinoma"), "BT": ("ONCOTREE:BILIARY_TRACT", "Biliary Tract"),
    "CANCER": ("DOID:162", "cancer"), "CER": ("ONCOTREE:CERVIX", "Cervix"),
    "CESC": ("ONCOTREE:CESC", "Cervical Squamous Cell Carcinoma"), "CH": ("ONCOTREE:CHOL", "Cholangiocarcinoma"),
    "CLL": ("ONCOTREE:CLLSLL", "Chronic Lymphocytic Leukemia/Small Lymphocytic Lymphoma"),
    "CM": ("ONCOTREE:SKCM", "Cutaneous Melanoma"), "CML": ("ONCOTREE:CML", "Chronic Myelogenous Leukemia"),
    "COREAD": ("ONCOTREE:COADREAD", "Colorectal Adenocarcinoma"),
    "DFS": ("ONCOTREE:DFSP", "Dermatofibrosarcoma Protuberans"),
    "ECL": ("ONCOTREE:CELNOS", "Chronic Eosinophilic Leukemia, NOS"),
    "ED": ("ONCOTREE:UCEC", "Endometrial Carcinoma"), "FGCT": ("ONCOTREE:OGCT", "Ovarian Germ Cell Tumor"),
    "FH": ("ONCOTREE:MFH", "Malignant Fibrous Histiocytoma"), "G": ("ONCOTREE:DIFG", "Diffuse Glioma"),
    "GB": ("ONCOTREE:GB", "Glioblastoma"), "GBM": ("ONCOTREE:GBM", "Glioblastoma Multiforme"),
    "GCA": ("NCIT:C3696", "Subependymal Giant Cell Astrocytoma"),
    "GEJA": ("ONCOTREE:GEJ", "Adenocarcinoma of the Gastroesophageal Junction"),
    "GIST": ("ONCOTREE:GIST", "Gastrointestinal Stromal Tumor"), "HC": ("ONCOTREE:HCC", "Hepatocellular Carcinoma"),
    "HCL": ("ONCOTREE:HCL", "Hairy Cell Leukemia"), "HEMATO": ("DOID:2531", "hematologic cancer"),
    "HES": ("DOID:999", "hypereosinophilic syndrome"), "HISEC": ("ONCOTREE:ECD", "Erdheim-Chester Disease"),
    "HISLC": ("ONCOTREE:LCH", "Langerhans Cell Histiocytosis"), "HNC": ("ONCOTREE:HEAD_NECK", "Head and Neck"),
    "HNSC": ("ONCOTREE:HNSC", "Head and Neck Squamous Cell Carcinoma"),
    "IM": ("ONCOTREE:IMT", "Inflammatory Myofibroblastic Tumor"), "L": ("ONCOTREE:LUNG", "Lung"),
    "LAM": ("ONCOTREE:LAM", "Pulmonary Lymphangiomyomatosis"), "LIP": ("ONCOTREE:LIPO", "Liposarcoma"),
    "LK": ("ONCOTREE:LEUK", "Leukemia"), "LUAD": ("ONCOTREE:LUAD", "Lung Adenocarcinoma"),
    "LUSC": ("ONCOTREE:LUSC", "Lung Squamous Cell Carcinoma"), "LY": ("DOID:0060058", "lymphoma"),
    "MA": ("ONCOTREE:ASTR", "Astrocytoma"), "MB": ("ONCOTREE:MBL", "Medulloblastoma"),
    "MCL": ("ONCOTREE:MCL", "Mantle Cell Lymphoma"),
    "MDPS": ("ONCOTREE:MDS/MPN", "Myelodysplastic/Myeloproliferative Neoplasms"),
    "MDS": ("ONCOTREE:MDS", "Myelodysplastic Syndromes"), "MEN": ("ONCOTREE:MNG", "Meningioma"),
    "MESO": ("DOID:1790", "malignant mesothelioma"), "MGCT": ("DOID:5557", "testicular germ cell cancer"),
    "MKB": ("ONCOTREE:AMKL", "Acute Megakaryoblastic Leukemia"), "MM": ("ONCOTREE:MM", "Multiple Myeloma"),
    "MPN": ("ONCOTREE:MPNST", "Malignant Peripheral Nerve Sheath Tumor"), "MRT": ("ONCOTREE:MRT", "Rhabdoid Cancer"),
    "MY": ("ONCOTREE:PMF", "Primary Myelofibrosis"), "MYMA": ("ONCOTREE:MM", "Multiple Myeloma"),
    "NB": ("ONCOTREE:NBL", "Neuroblastoma"), "NEU": ("DOID:169", "neuroendocrine tumor"),
    "NF": ("ONCOTREE:NFIB", "Neurofibroma"), "NMC": ("DOID:0060463", "NUT midline carcinoma"),
    "NSCLC": ("ONCOTREE:NSCLC", "Non-Small Cell Lung Cancer"), "OS": ("ONCOTREE:OS", "Osteosarcoma"),
    "OV": ("ONCOTREE:OVARY", "Ovary/Fallopian Tube"), "PA": ("ONCOTREE:PANCREAS", "Pancreas"),
    "PAAD": ("ONCOTREE:PAAD", "Pancreatic Adenocarcinoma"), "PG": ("ONCOTREE:DIFG", "Diffuse Glioma"),
    "PLEN": ("ONCOTREE:NFIB", "Neurofibroma"), "PRAD": ("ONCOTREE:PRAD", "Prostate Adenocarcinoma"),
    "R": ("ONCOTREE:RCC", "Renal Cell Carcinoma"), "RA": ("ONCOTREE:RAML", "Renal Angiomyolipoma"),
    "RB": ("ONCOTREE:RBL", "Retinoblastoma"), "RHBDS": ("ONCOTREE:RMS", "Rhabdomyosarcoma"),
    "S": ("DOID:1115", "sarcoma"), "SCHW": ("ONCOTREE:SCHW", "Schwannoma"),
    "SG": ("ONCOTREE:SACA", "Salivary Carcinoma"), "SM": ("ONCOTREE:SM", "Systemic Mastocytosis"),
    "SOLID": ("NCIT:C132146", "Any solid tumor"), "ST": ("ONCOTREE:STAD", "Stomach Adenocarcinoma"),
    "TH": ("ONCOTREE:THYROID", "Thyroid"), "THCA": ("ONCOTREE:THYROID", "Thyroid"),
    "THYM": ("ONCOTREE:TET", "Thymic Epithelial Tumor"), "UTC": ("ONCOTREE:BLADDER", "Bladder/Urinary Tract"),
    "WM": ("ONCOTREE:WM", "Waldenstrom Macroglobulinemia"),
}
# fmt: on
PAN_CANCER = frozenset({"CANCER", "SOLID"})
# CGI writes a fusion's targetable gene first; the known 5'::3' order of those it lists.
FUSION_ORIENTATION = {
    ("ABL1", "BCR"): ("BCR", "ABL1"),
    ("PDGFB", "COL1A1"): ("COL1A1", "PDGFB"),
    ("PDGFRA", "FIP1L1"): ("FIP1L1", "PDGFRA"),
    ("RET", "TPCN1"): ("TPCN1", "RET"),
}
_EXPRESSION = {"over": "overexpression", "under": "underexpression", "norm": "expression"}
# CGI consequence over a protein range → the range class's edit (others get no members by rule).
_RANGE_EDITS = {"inframe_deletion": "deletion", "inframe_insertion": "insertion", "frameshift_variant": "frameshift",
                "inframe_variant": "mutation"}  # fmt: skip
# CGI consequence over the whole gene → gene-level class (label, effect).
_GENE_EFFECTS = {"frameshift_variant": ("frameshift mutation", "frameshift"),
                 "stop_gained": ("nonsense mutation", "nonsense"),
                 "missense_variant": ("missense mutation", "missense"),
                 "splice_donor_variant": ("splice site mutation", "splice_site"),
                 "splice_acceptor_variant": ("splice site mutation", "splice_site")}  # fmt: skip
_COPY_NUMBER = {"amp": "amplification", "del": "deletion", "gain": "gain", "loss": "loss"}
_REGION = re.compile(r"^(\d+)-(\d+)$")


@dataclass(frozen=True)
class Alternative:
    """One concrete reading of a CGI alteration item and the Evidence props it implies."""

    target: Target
    requires_oncogenic: bool = False


class CgiLoader(GeneResolvingLoader):
    """Loader of the CGI Cancer Biomarkers table."""

    spec = SourceSpec(
        name="cgi",
        title="Cancer Genome Interpreter — Cancer Biomarkers database",
        license="CC-BY-NC-4.0",
        license_url="https://creativecommons.org/licenses/by-nc/4.0/",
        redistributable=False,
        homepage="https://www.cancergenomeinterpreter.org/biomarkers",
        files={BIOMARKERS: "https://www.cancergenomeinterpreter.org/data/biomarkers/cgi_biomarkers_latest.tsv"},
        attribution=(
            "Cancer Biomarkers database of the Cancer Genome Interpreter (IRB Barcelona), CC BY-NC 4.0. "
            "Tamborero D. et al., Genome Med 2018, doi:10.1186/s13073-018-0531-8."
        ),
    )

    def __init__(
        self, paths: Mapping[str, Path], *, version: str, skip_bad_rows: bool = False, genes: GeneResolver | None = None
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        self._memberships = Memberships()
        self.unmapped_tumour_types: set[str] = set()

    @classmethod
    def from_path(cls, path: Path, *, version: str | None = None, skip_bad_rows: bool = False) -> Self:
        """A loader over the biomarkers TSV, or a folder holding one (``pmkg fetch``'s cache)."""
        path = Path(path)
        if path.is_dir():
            found = sorted(path.glob("cgi_biomarkers*.tsv*"))
            if not found:
                raise SourceFileError(str(path), None, "no cgi_biomarkers*.tsv file in this folder")
            path = found[-1]
        return cls({BIOMARKERS: path}, version=version or _release_version(path), skip_bad_rows=skip_bad_rows)

    def parse(self) -> Iterator[Record]:
        path = self.paths[BIOMARKERS]
        key_columns: list[str] | None = None
        seen: set[str] = set()  # biomarkers already written (their per-variant repeats add little)
        self._memberships = Memberships()
        for line, row in read_table(path, REQUIRED, on_bad=self.bad):
            if key_columns is None:
                key_columns = [c for c in row if c not in PER_VARIANT]
            digest = hashlib.sha1("\t".join(row[c] for c in key_columns).encode()).hexdigest()[:12]
            evidence_id = pmkg_id("cgi", digest)
            # CGI has no record ids: the provenance names the row by its alteration, drug and tumour.
            provenance = self.provenance(record_id(row), line)
            try:
                yield from self._row_records(evidence_id, provenance, row, repeat=evidence_id in seen)
            except FeatureError as exc:
                self.bad(SourceFileError(str(path), line, exc.problem, field=exc.field))
                continue
            seen.add(evidence_id)
        yield from self._memberships.edges()
        if self.unmapped_tumour_types:
            logger.warning(
                "cgi: no disease term for tumour types %s (kept as Evidence properties)",
                sorted(self.unmapped_tumour_types),
            )

    # ------------------------------------------------------------------ one row

    def _row_records(
        self, evidence_id: str, provenance: tuple[Provenance, ...], row: dict[str, str], *, repeat: bool
    ) -> Iterator[Record]:
        association = clean_text(row["Association"])
        significance, direction = _significance(association)
        level = clean_text(row["Evidence level"])
        props = _evidence_props(row, significance, direction, level, _tier(level))
        if repeat:  # another protein change of a biomarker already written: its details and the line
            yield from self._individual_variant(row, provenance)
            yield Node(evidence_id, Label.EVIDENCE, _evidence_name(row), props=props, provenance=provenance)
            return
        components = self._components(row)
        records: list[Record] = []
        if len(components) == 1:  # one alteration, or a list of alternatives: ABOUT each
            about = [a.target.id for a in components[0]]
            for alternative in components[0]:
                records.extend(alternative.target.records(provenance))
        else:  # alterations that must co-occur, each possibly a list of alternatives
            parts = [ProfilePart(tuple(a.target for a in alternatives)) for alternatives in components]
            profile_id, profile = profile_records(parts, provenance)
            about = [profile_id]
            records.extend(profile)
        for alternatives in components:
            for alternative in alternatives:
                records.extend(self._memberships.add(alternative.target, provenance))
        records.extend(self._individual_variant(row, provenance))
        diseases, unmapped = _diseases(row)
        self.unmapped_tumour_types.update(unmapped)
        therapies: list[str] = []
        for option in _therapies(row):
            if option.drugs:
                therapy_id, therapy = therapy_records(option.drugs, provenance)
            else:
                therapy_id = drug_class_therapy_id(option.classes)
                class_props: dict[str, PropValue] = {"drug_classes": list(option.classes), "therapy_kind": "drug class"}
                therapy = [Node(therapy_id, Label.THERAPY, option.name, props=class_props, provenance=provenance)]
            records.extend(therapy)
            therapies.append(therapy_id)
        for curie, name, synonym in diseases:
            records.append(
                Node(
                    curie, Label.DISEASE, name, (synonym,) if synonym and synonym != name else (), provenance=provenance
                )
            )
        if any(a.requires_oncogenic for alternatives in components for a in alternatives):
            props["requires_oncogenic"] = True
        records.append(Node(evidence_id, Label.EVIDENCE, _evidence_name(row), props=props, provenance=provenance))
        yield from records
        for target in dict.fromkeys(about):
            yield Edge(evidence_id, RelType.ABOUT, target, provenance=provenance)
        for curie in dict.fromkeys(d[0] for d in diseases):
            yield Edge(evidence_id, RelType.IN_DISEASE, curie, provenance=provenance)
        for therapy_id in dict.fromkeys(therapies):
            yield Edge(evidence_id, RelType.WITH_THERAPY, therapy_id, provenance=provenance)

    def _components(self, row: dict[str, str]) -> list[list[Alternative]]:
        """The co-occurring parts of the biomarker (AND), each a list of alternatives (OR)."""
        types = [t.strip() for t in row["Alteration type"].split(";")]
        parts: list[tuple[str, str]] = []  # (gene, rest)
        for piece in (p.strip() for p in row["Alteration"].split(";")):
            if not piece:
                continue
            gene, sep, rest = piece.partition(":")
            if "__" in piece and not sep:  # a fusion: ABL1__BCR, ALK__.
                parts.append((piece, ""))
            elif sep:  # GENE:changes (a protein change never holds a colon)
                parts.append((gene, rest))
            elif parts:  # "JAK1:S646F;R683." — more changes of the same gene
                gene_before, rest_before = parts[-1]
                parts[-1] = (gene_before, f"{rest_before},{piece}")
            else:
                raise FeatureError("Alteration", f"alteration {row['Alteration']!r} does not start with a gene")
        if len(parts) != len(types):
            raise FeatureError(
                "Alteration type",
                f"{len(parts)} alteration(s) in {row['Alteration']!r} but "
                f"{len(types)} type(s) {row['Alteration type']!r}",
            )
        return [self._alternatives(kind, gene, rest) for (gene, rest), kind in zip(parts, types, strict=True)]

    def _alternatives(self, kind: str, gene: str, rest: str) -> list[Alternative]:
        if kind == "FUS":
            return [self._fusion(gene)]
        hgnc, symbol = resolve_gene(gene, self.genes)
        genes = [(hgnc, symbol)]
        if kind == "CNA":
            event = _COPY_NUMBER.get(rest)
            if event is None:
                raise FeatureError("Alteration", f"copy-number alteration {gene}:{rest}; expected amp, del, gain, loss")
            props: dict[str, PropValue] = {"gene": symbol, "copy_number": event}
            facts = VariantFacts(symbol, copy_number=event)
            target = variant_target(copy_number_id(symbol, event), f"{symbol} {event}", genes, props=props, facts=facts)
            return [Alternative(target)]
        if kind == "EXPR":
            state = _EXPRESSION.get(rest)
            if state is None:
                raise FeatureError("Alteration", f"expression alteration {gene}:{rest}; expected over, under or norm")
            rule = parse_class_name(symbol, state) or ClassRule(symbol, "expression", state, direction="any")
            return [Alternative(class_target(rule, genes))]
        if kind == "BIA":
            rule = ClassRule(symbol, "gene_class", "biallelic inactivation", effect="biallelic")
            return [Alternative(class_target(rule, genes))]
        if kind == "MUT":
            return [self._mutation(symbol, genes, item) for item in _mutation_items(rest)]
        raise FeatureError("Alteration type", f"alteration type {kind!r}; expected MUT, CNA, FUS, EXPR or BIA")

    def _mutation(self, symbol: str, genes: list[tuple[str, str]], item: str) -> Alternative:
        if item == ".":  # "oncogenic mutation": the gene-level class, asking for an oncogenic variant
            return Alternative(class_target(ClassRule(symbol, "gene_class", "mutation", effect="any"), genes), True)
        if item.startswith("::"):
            consequence, _, where = item[2:].partition(":")
            return Alternative(class_target(_consequence_rule(symbol, consequence, where.strip(".")), genes))
        region = _REGION.match(item)
        if region:
            return Alternative(class_target(_region_rule(symbol, int(region[1]), int(region[2]), "mutation"), genes))
        if re.fullmatch(r"\.\d+\.", item):  # ".537.": a codon whose residue CGI does not give
            position = int(item.strip("."))
            return Alternative(class_target(ClassRule(symbol, "codon", f"codon {position}", positions=(position,)),
                                            genes))  # fmt: skip
        try:
            change = parse_protein_change(item.removesuffix("."))
        except SchemaError as exc:
            raise FeatureError("Alteration", f"{symbol}:{item}: {exc}") from None
        if change.kind == "position":  # "V600.": any change at the codon
            rule = parse_class_name(symbol, change.text) or ClassRule(symbol, "codon", change.text,
                                                                       positions=(change.start,))  # fmt: skip
            return Alternative(class_target(rule, genes))
        return Alternative(_protein_variant(symbol, genes, change.text))

    def _fusion(self, text: str) -> Alternative:
        first, _, second = text.partition("__")
        partners = [p for p in (first, second) if p and p != "."]
        if not partners:
            raise FeatureError("Alteration", f"fusion {text!r} names no gene")
        resolved = [resolve_gene(p, self.genes) for p in partners]
        if len(resolved) == 1:
            return Alternative(class_target(ClassRule(resolved[0][1], "fusion", "fusion"), resolved))
        symbols = (resolved[0][1], resolved[1][1])
        five, three = FUSION_ORIENTATION.get(symbols, symbols)
        ordered = sorted(resolved, key=lambda g: g[1] != five)
        # Whether CGI's order was checked against the known 5'::3' order (else it is CGI's as written).
        props: dict[str, PropValue] = {"five_prime_gene": five, "three_prime_gene": three,
                                       "cgi_orientation_corrected": symbols in FUSION_ORIENTATION}  # fmt: skip
        synonyms = [f"{five}-{three}", f"{five}-{three} fusion", f"{first}-{second} fusion"]
        target = variant_target(fusion_id(five, three), f"{five}::{three}", ordered, synonyms=synonyms, props=props,
                                facts=VariantFacts(five, fusion=(five, three)))  # fmt: skip
        return Alternative(target)

    def _individual_variant(self, row: dict[str, str], provenance: tuple[Provenance, ...]) -> Iterator[Record]:
        """The per-variant columns (gDNA, cDNA, transcript) as properties of that protein variant."""
        individual = row.get("individual_mutation", "").strip()
        if not individual:
            return
        gene, _, change = individual.partition(":")
        try:
            _hgnc, symbol = resolve_gene(gene, self.genes)
            normalized = normalize_protein_change(change)
            vid = variant_id(symbol, normalized)
        except (FeatureError, SchemaError):
            return  # the Alteration column already produced (or rejected) this variant
        props: dict[str, PropValue] = {"gene": symbol, "protein_change": normalized}
        synonyms = [f"{symbol} p.{normalized}"]
        for column, prop in (("gDNA", "grch37_hgvsg"), ("cDNA", "cdna_change"), ("transcript", "transcript")):
            value = row.get(column, "").strip()
            if value:
                props[prop] = value
        if row.get("cDNA", "").strip():
            synonyms.append(f"{symbol} {row['cDNA'].strip()}")
        consequence = re.search(r"CSQN=([^;]+)", row.get("info", ""))
        if consequence:
            props["consequence"] = consequence.group(1)
        yield Node(vid, Label.VARIANT, f"{symbol} {normalized}", tuple(synonyms), props, provenance)


def _mutation_items(rest: str) -> list[str]:
    """``T315I,F317L`` → items; ``:consequence::inframe_insertion:762-823,::x:.`` → ``::inframe_insertion:762-823`` …"""
    if rest.startswith(":"):
        body = rest.lstrip(":")
        body = body.removeprefix("consequence::")
        return ["::" + item.lstrip(":").removeprefix("consequence::") for item in body.split(",") if item.strip(":")]
    return [item.strip() for item in rest.split(",") if item.strip()]


def _protein_variant(symbol: str, genes: list[tuple[str, str]], change: str) -> Target:
    props: dict[str, PropValue] = {"gene": symbol, "protein_change": change}
    return variant_target(variant_id(symbol, change), f"{symbol} {change}", genes, synonyms=[f"{symbol} p.{change}"],
                          props=props, facts=VariantFacts(symbol, protein_change=change))  # fmt: skip


def _region_rule(symbol: str, start: int, end: int, edit: str) -> ClassRule:
    """A protein-range class; the exon class when the range is an exon the rules know (KIT 550-592 = exon 11)."""
    for (gene, exon), (first, last, _) in EXON_TABLE.items():
        if gene == symbol and (first, last) == (start, end):
            return exon_rule(symbol, exon, edit)
    label = f"{start}-{end} {edit}" if edit else f"{start}-{end}"
    return ClassRule(symbol, "protein_region", label, protein_start=start, protein_end=end, edit=edit)


def _consequence_rule(symbol: str, consequence: str, where: str) -> ClassRule:
    """``::inframe_deletion:729-761`` → EGFR exon 19 deletion; ``::frameshift_variant:.`` → frameshift mutation."""
    if consequence == "wildtype":
        return ClassRule(symbol, "wild_type", "wild type")
    if consequence == "promoters_core":
        return ClassRule(symbol, "other", "promoter mutation")
    words = consequence.replace("_", " ").strip()
    region = _REGION.match(where)
    if region:
        edit = _RANGE_EDITS.get(consequence, "")
        rule = _region_rule(symbol, int(region[1]), int(region[2]), edit)
        return rule if edit else replace(rule, label=f"{words} {where}")
    if not where:
        label, effect = _GENE_EFFECTS.get(consequence, (words, ""))
        return ClassRule(symbol, "gene_class" if effect else "other", label, effect=effect)
    return ClassRule(symbol, "other", safe_label(f"{words} {where}"))


def record_id(row: Mapping[str, str]) -> str:
    """How provenance names a CGI row (CGI has no ids): ``alteration|drug|tumour acronyms``."""
    return "|".join(clean_text(row[c]) for c in ("Alteration", "Drug", "Primary Tumor acronym"))


def _evidence_name(row: Mapping[str, str]) -> str:
    therapy = clean_text(row["Drug full name"]) or "therapy"
    tumour = _tumour_names(row) or clean_text(row["Primary Tumor acronym"])
    return f"CGI: {clean_text(row['Biomarker'])} · {therapy} · {tumour} ({clean_text(row['Association'])})"


def _split(text: str) -> list[str]:
    return [clean_text(t) for t in text.split(";") if clean_text(t)]


def _tumour_names(row: Mapping[str, str]) -> str:
    return clean_text(row.get("Primary Tumor type full name") or row.get("Primary Tumor type") or "")


def _diseases(row: dict[str, str]) -> tuple[list[tuple[str, str, str]], list[str]]:
    acronyms = _split(row["Primary Tumor acronym"])
    names = _split(_tumour_names(row))
    if len(names) != len(acronyms):
        names = [""] * len(acronyms)
    out: list[tuple[str, str, str]] = []
    unmapped: list[str] = []
    for acronym, source_name in zip(acronyms, names, strict=True):
        found = TUMOUR_TYPES.get(acronym.upper())
        if found is None:
            unmapped.append(acronym)
            continue
        out.append((found[0], found[1], source_name))
    return out, unmapped


def _significance(association: str) -> tuple[str, str]:
    lowered = association.lower()
    if lowered == "responsive":
        return SENSITIVITY, SUPPORTS
    if lowered in ("resistant", "resistance"):
        return RESISTANCE, SUPPORTS
    if lowered in ("no responsive", "no response"):
        return SENSITIVITY, DOES_NOT_SUPPORT
    if lowered.startswith("increased toxicity"):
        return ADVERSE_RESPONSE, SUPPORTS
    raise FeatureError(
        "Association",
        f"association {association!r}; expected Responsive, Resistant, No Responsive or Increased Toxicity",
    )


def _tier(level: str) -> int:
    tiers = [LEVEL_TIERS.get(part.strip().lower()) for part in level.split(",")]
    known = [t for t in tiers if t is not None]
    if not known or len(known) != len(tiers):
        raise FeatureError("Evidence level", f"evidence level {level!r}; expected one of {sorted(LEVEL_TIERS)}")
    return min(known)


@dataclass(frozen=True)
class TherapyOption:
    """One therapy a CGI row is about: some drugs (a combination) or, when CGI names none, drug classes."""

    drugs: tuple[DrugRef, ...] = ()
    classes: tuple[str, ...] = ()
    name: str = ""


def _therapies(row: dict[str, str]) -> list[TherapyOption]:
    """``[A,B]`` lists alternatives (one therapy each), ``A;B`` a combination, ``[]`` drug classes only."""
    drug = clean_text(row["Drug"])
    family = clean_text(row["Drug family"]).removeprefix("[").removesuffix("]")
    full_name = clean_text(row["Drug full name"])
    if drug in ("", "[]"):
        classes = tuple(c.strip() for c in family.split(";") if c.strip())
        return [TherapyOption(classes=classes, name=full_name or " + ".join(classes))] if classes else []
    if drug.startswith("["):
        names = [clean_text(n) for n in drug.strip("[]").split(",") if clean_text(n)]
        return [TherapyOption(drugs=(DrugRef(n),), name=n) for n in names]
    return [TherapyOption(drugs=tuple(DrugRef(clean_text(n)) for n in drug.split(";") if clean_text(n)))]


def _evidence_props(
    row: dict[str, str], significance: str, direction: str, level: str, tier: int
) -> dict[str, PropValue]:
    source = clean_text(row["Source"])
    pieces = [p.strip() for p in source.split(";") if p.strip()]
    association = clean_text(row["Association"])
    props: dict[str, PropValue] = {
        "evidence_type": "predictive",
        "significance": significance,
        "direction": direction,
        "level": level,
        "tier": tier,
        "association": association,
        "biomarker": clean_text(row["Biomarker"]),
        "alteration": clean_text(row["Alteration"]),
        "alteration_type": clean_text(row["Alteration type"]),
        "therapy_name": clean_text(row["Drug full name"]),
        "drug_family": [c.strip() for c in clean_text(row["Drug family"]).strip("[]").split(";") if c.strip()],
        "citation": source,
        "pmids": [p.removeprefix("PMID:").strip() for p in pieces if p.startswith("PMID:")],
        "citation_id": pieces[0] if pieces else "",
        "nct_ids": [p for p in pieces if re.fullmatch(r"NCT\d+", p)],
        "record_type": "biomarker",
        "tumor_types": _split(row["Primary Tumor acronym"]),
        "tumor_type_names": _split(_tumour_names(row)),
    }
    if any(acronym in PAN_CANCER for acronym in _split(row["Primary Tumor acronym"])):
        props["pan_cancer"] = True
    toxicity = re.fullmatch(r"increased toxicity \((.+)\)", association, re.IGNORECASE)
    if toxicity:
        props["toxicity"] = toxicity.group(1)
    for column, prop in (
        ("Drug status", "drug_status"),
        ("Targeting", "targeting"),
        ("Assay type", "assay_type"),
        ("Curator", "curator"),
        ("Metastatic Tumor Type", "metastatic_tumor_type"),
        ("Curation date", "curation_date"),
    ):
        value = clean_text(row.get(column, ""))
        if value:
            props[prop] = value
    return {k: v for k, v in props.items() if v not in ("", [])}


def _release_version(path: Path) -> str:
    """The release date in the file name (``cgi_biomarkers_20180117``) or of the fetch, else ``unknown``."""
    match = re.search(r"(20\d{2})(\d{2})(\d{2})", path.name)
    if match:
        return "-".join(match.groups())
    fetched = path.parent / "FETCHED.json"
    if fetched.exists():
        try:
            return str(json.loads(fetched.read_text()).get("retrieved", "unknown"))
        except json.JSONDecodeError:
            return "unknown"
    return "unknown"
