"""CIViC's release layouts and its variant names, read into one model.

CIViC has published two evidence layouts (and three variant tables):

- **2021** (gene/variant era, releases up to 2022): ``ClinicalEvidenceSummaries`` rows name a
  ``gene`` and a ``variant_id``; ``VariantSummaries`` carries the coordinates;
  ``AssertionSummaries`` points at variants too.
- **current** (molecular-profile era, 2023+): evidence and assertions point at a
  ``molecular_profile_id``; ``MolecularProfileSummaries`` lists each profile's variants and its
  name (``ALK F1174L AND RANBP2::ALK Fusion``).  Its ``VariantSummaries`` names variants by
  gene in 2023-24 (``hgvs_descriptions``; fusions ``EML4::ALK`` of ALK) and by feature since
  2025 (``feature_type`` Gene, Fusion or Factor, fusion partner columns; ``TMB`` ``High``).

:func:`detect_layout` tells them apart by the evidence header, :func:`variant_columns` the
variant tables by theirs; :class:`CivicVariant` is one
variant row of either layout; :func:`alterations` reads a CIViC variant name (``V600E``,
``EXON 19 DELETION``, ``BCR-ABL T315I``, ``EML4-ALK E20;A20``, ``V600E and AMPLIFICATION``)
into the graph's variants and classes.  Only :func:`detect_layout`, :func:`variant_columns` and
:func:`read_civic_table` open files, to read them.
"""

from __future__ import annotations

import functools
import gzip
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SchemaError, SourceFileError
from kg.records import PropValue
from kg.schema import Label
from kg.variant_classes import ClassRule, Region, VariantFacts, parse_class_name
from kg.variants import (
    SO_TERMS,
    biomarker_id,
    dbsnp_id,
    fusion_id,
    genomic_id,
    parse_protein_change,
    variant_id,
)
from loaders.base import open_text
from loaders.genes import GeneResolver

LAYOUT_2021 = "2021"
LAYOUT_CURRENT = "current"

# Evidence columns by meaning: (2021 name, current name).
EVIDENCE_COLUMNS: dict[str, tuple[str, str]] = {
    "subject": ("variant_id", "molecular_profile_id"),
    "subject_name": ("variant", "molecular_profile"),
    "drugs": ("drugs", "therapies"),
    "interaction": ("drug_interaction_type", "therapy_interaction_type"),
    "significance": ("clinical_significance", "significance"),
    **{name: (name, name) for name in (
        "disease", "doid", "phenotypes", "evidence_type", "evidence_direction", "evidence_level",
        "evidence_statement", "citation_id", "source_type", "asco_abstract_id", "citation", "nct_ids", "rating",
        "evidence_status", "evidence_id", "variant_origin",
    )},
}  # fmt: skip
ASSERTION_COLUMNS: dict[str, tuple[str, str]] = {
    "subject": ("variant_id", "molecular_profile_id"),
    "subject_name": ("variant", "molecular_profile"),
    "drugs": ("drugs", "therapies"),
    "significance": ("clinical_significance", "significance"),
    **{name: (name, name) for name in (
        "disease", "doid", "phenotypes", "assertion_type", "assertion_direction", "acmg_codes", "amp_category",
        "nccn_guideline", "nccn_guideline_version", "regulatory_approval", "fda_companion_test",
        "assertion_summary", "assertion_id", "evidence_item_ids",
    )},
}  # fmt: skip
VARIANT_COLUMNS_2021 = (
    "variant_id", "gene", "entrez_id", "variant", "chromosome", "start", "stop", "reference_bases", "variant_bases",
    "representative_transcript", "reference_build", "variant_types", "hgvs_expressions", "clinvar_ids",
    "variant_aliases",
)  # fmt: skip
VARIANT_COLUMNS_CURRENT = (
    "variant_id", "feature_type", "feature_name", "variant", "variant_aliases", "variant_types", "gene", "entrez_id",
    "chromosome", "start", "stop", "reference_bases", "variant_bases", "representative_transcript",
    "reference_build", "hgvs_descriptions", "clinvar_ids", "5_prime_partner", "3_prime_partner",
)  # fmt: skip
VARIANT_COLUMNS_2024 = (
    "variant_id", "gene", "entrez_id", "variant", "chromosome", "start", "stop", "reference_bases", "variant_bases",
    "representative_transcript", "reference_build", "variant_types", "hgvs_descriptions", "clinvar_ids",
    "variant_aliases",
)  # fmt: skip
PROFILE_COLUMNS = ("name", "molecular_profile_id", "variant_ids", "aliases")
# (CIViC factor, its variant) in upper case → the biomarker name queries and other sources use.
# CIViC's blood or on-treatment TMB variants ("H-bTMB", "mTMB") are other measurements: own names.
FACTOR_BIOMARKERS: dict[tuple[str, str], str] = {
    ("MSI", "HIGH"): "MSI-H", ("MSI", "LOW"): "MSI-L", ("MSI", "STABLE"): "MSS",
    ("TMB", "HIGH"): "TMB-high", ("TMB", "LOW"): "TMB-low",
}  # fmt: skip
_EMPTY = frozenset({"", "N/A", "NONE FOUND", "NULL"})


def read_civic_table(
    path: Path, required: Sequence[str], on_bad: Callable[[SourceFileError], None] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Like :func:`loaders.base.read_table` for CIViC's tab-separated files, faster, and tolerant
    of one known export quirk.

    CIViC writes no quoting, so a line splits on tabs.  Its 2021 VariantSummaries separates the
    URLs in its last column (``assertion_civic_urls``) by tabs, so a variant with several
    assertions has extra fields; they are joined back.
    """
    line = 0
    try:
        with open_text(path, on_bad) as handle:
            first = handle.readline()
            header = first.rstrip("\r\n").split("\t")
            if not first or header == [""]:
                raise SourceFileError(str(path), None, "file is empty; expected a header line")
            absent = [c for c in required if c not in header]
            if absent:
                raise SourceFileError(str(path), 1, f"header lacks column(s) {absent}; found {header[:12]}")
            width, spills = len(header), header[-1].endswith("_civic_urls")
            line = 1
            for raw in handle:
                line += 1
                fields = raw.rstrip("\r\n").split("\t")
                if len(fields) != width:
                    if fields == [""]:
                        continue
                    if len(fields) > width and spills and all(f.startswith("http") for f in fields[width - 1 :]):
                        fields = [*fields[: width - 1], ",".join(fields[width - 1 :])]
                    else:
                        error = SourceFileError(
                            str(path), line, f"row has {len(fields)} fields; the header has {width}"
                        )
                        if on_bad is None:
                            raise error
                        on_bad(error)
                        continue
                yield line, dict(zip(header, fields, strict=True))
    except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
        raise SourceFileError(
            str(path), line + 1, f"file ends early or is corrupt ({exc}); is the download truncated?"
        ) from exc


def columns(table: Mapping[str, tuple[str, str]], layout: str) -> dict[str, str]:
    """Meaning → column name in ``layout``."""
    index = 0 if layout == LAYOUT_2021 else 1
    return {key: names[index] for key, names in table.items()}


def detect_layout(path: Path) -> str:
    """Which layout an evidence file is in, from its header; SourceFileError if neither."""
    with open_text(path) as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    if not header or header == [""]:
        raise SourceFileError(str(path), None, "file is empty; expected a CIViC ClinicalEvidenceSummaries header")
    if "molecular_profile_id" in header:
        return LAYOUT_CURRENT
    if "variant_id" in header and "gene" in header:
        return LAYOUT_2021
    raise SourceFileError(
        str(path), 1, "not a CIViC ClinicalEvidenceSummaries header: expected 'molecular_profile_id' (current "
        f"layout) or 'gene' and 'variant_id' (2021 layout); found {header[:8]}",
    )  # fmt: skip


def variant_columns(path: Path) -> tuple[str, ...]:
    """The columns a VariantSummaries file must have, by its header: the 2021 table
    (``hgvs_expressions``), the 2023-24 one (``hgvs_descriptions``, gene-named fusions
    ``EML4::ALK``) or the 2025+ one with features (``feature_type``: Gene, Fusion, Factor)."""
    with open_text(path) as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    if "feature_type" in header:
        return VARIANT_COLUMNS_CURRENT
    if "hgvs_descriptions" in header:
        return VARIANT_COLUMNS_2024
    return VARIANT_COLUMNS_2021


def split_list(value: str, sep: str = ",") -> list[str]:
    """CIViC's list cells, without empties and N/A."""
    if not value or value.strip() in _EMPTY:
        return []
    return [item.strip() for item in value.split(sep) if item.strip() and item.strip() not in _EMPTY]


@functools.lru_cache(maxsize=4096)
def split_drugs(value: str) -> tuple[str, ...]:
    """Drug names of a ``drugs``/``therapies`` cell.

    CIViC joins names with a bare comma, but some names hold commas themselves
    (``2,4-pyrimidinediamine``, ``FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074``): a
    piece that starts with a space, or a digit right after a digit, continues the name before.

    >>> split_drugs("FGFR Inhibitor AZD4547,Infigratinib,FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074")
    ('FGFR Inhibitor AZD4547', 'Infigratinib', 'FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074')
    """
    names: list[str] = []
    for piece in value.split(","):
        if names and piece and (piece[0].isspace() or (piece[0].isdigit() and names[-1][-1:].isdigit())):
            names[-1] = f"{names[-1]},{piece}"
        elif piece.strip():
            names.append(piece)
    return tuple(name.strip() for name in names if name.strip())


# ----------------------------------------------------------------------------- genes


class GeneNames:
    """CIViC gene names and Entrez ids → HGNC symbols and ids (cached)."""

    def __init__(self, resolver: GeneResolver) -> None:
        self._resolver = resolver
        self._symbols: dict[str, str | None] = {}

    def hgnc(self, text: str, entrez: str = "") -> str | None:
        if entrez:
            found = self._resolver.by_entrez(entrez)
            if found:
                return found
        return self._resolver.resolve(text) if text else None

    def symbol(self, text: str, entrez: str = "") -> str | None:
        """The approved symbol ``text`` (or ``entrez``) names, or None."""
        key = f"{text}|{entrez}"
        if key not in self._symbols:
            hgnc = self.hgnc(text, entrez)
            self._symbols[key] = self._resolver.symbol(hgnc) if hgnc else None
        return self._symbols[key]


# ----------------------------------------------------------------------------- variants


@dataclass
class CivicVariant:
    """One row of VariantSummaries, either layout."""

    vid: int
    line: int
    gene: str  # HGNC symbol (CIViC's own spelling, upper-cased, if HGNC lacks it); "" for none
    name: str  # CIViC's variant name: "V600E", "EXON 19 DELETION", "Fusion"
    feature_type: str = "Gene"
    feature_name: str = ""
    aliases: list[str] = field(default_factory=list)
    variant_types: list[str] = field(default_factory=list)
    hgvs: list[str] = field(default_factory=list)
    clinvar_ids: list[str] = field(default_factory=list)
    allele_registry_id: str = ""
    groups: list[str] = field(default_factory=list)
    summary: str = ""
    chromosome: str = ""
    start: int = 0
    stop: int = 0
    ref: str = ""
    alt: str = ""
    transcript: str = ""
    build: str = ""
    second: tuple[str, int, int, str] | None = None  # 2021 fusions: chromosome2, start2, stop2, transcript2
    five_prime: str = ""
    three_prime: str = ""
    five_prime_status: str = ""
    three_prime_status: str = ""
    five_prime_exon: int | None = None
    three_prime_exon: int | None = None
    profile_id: int | None = None

    @property
    def display(self) -> str:
        """How CIViC names the variant with its feature (``BRAF V600E``, ``RANBP2::ALK Fusion``)."""
        feature = self.feature_name or self.gene
        return f"{feature} {self.name}".strip()

    @property
    def region(self) -> Region | None:
        if self.chromosome and self.start and self.build:
            return Region(self.build, self.chromosome, self.start, self.stop or self.start)
        return None

    def props(self, *, coordinates: bool = True) -> dict[str, PropValue]:
        """Properties a user may want on the node this variant becomes (coordinates only for variants)."""
        out: dict[str, PropValue] = {"civic_names": [self.display]}
        if self.vid:
            out["civic_variant_ids"] = [self.vid]
        if self.variant_types:
            out["variant_types"] = list(self.variant_types)
            so_ids = [SO_TERMS[t] for t in self.variant_types if t in SO_TERMS]
            if so_ids:
                out["so_ids"] = so_ids
        if self.hgvs:
            out["hgvs"] = list(self.hgvs)
        if self.clinvar_ids:
            out["clinvar_ids"] = list(self.clinvar_ids)
        if self.allele_registry_id:
            out["allele_registry_id"] = self.allele_registry_id
        if self.groups:
            out["civic_variant_groups"] = list(self.groups)
        if self.summary:
            out["description"] = self.summary
        if self.transcript:
            out["representative_transcript"] = self.transcript
        if not coordinates:
            return out
        if self.region is not None:
            build = self.build.lower()
            out |= {f"{build}_chromosome": self.chromosome, f"{build}_start": self.start,
                    f"{build}_stop": self.stop or self.start}  # fmt: skip
            if self.ref:
                out[f"{build}_ref"] = self.ref
            if self.alt:
                out[f"{build}_alt"] = self.alt
        if self.second is not None:
            chrom, start, stop, transcript = self.second
            build = self.build.lower() or "grch37"
            out |= {f"{build}_chromosome2": chrom, f"{build}_start2": start, f"{build}_stop2": stop}
            if transcript:
                out["representative_transcript2"] = transcript
        return out


# ----------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Alteration:
    """A variant or class a CIViC variant name stands for (or one component of it)."""

    node_id: str
    label: Label
    name: str
    genes: tuple[str, ...] = ()
    facts: VariantFacts | None = None
    rule: ClassRule | None = None
    props: Mapping[str, PropValue] = field(default_factory=dict)


_CODING_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<coding>c\.[^)]*)\)\s*$")
_CODING_TAIL = re.compile(r"^(?P<name>\S+)\s+(?P<coding>c\.\S+)$")
_BREAKPOINT = re.compile(r"^[A-Za-z]?(\d+)\s*(?:::|[;-])\s*[A-Za-z]?(\d+)$")  # e6-e20, e6;e20, CIViC 2025's e6::e20
_RS = re.compile(r"^rs\d+$", re.IGNORECASE)
_CONCRETE_HINT = re.compile(r"^(?:c\.|IVS|\d+DEL[ACGT]+$|\S+\*\d+\w*$)", re.IGNORECASE)


def _protein(gene: str, text: str, extra: Mapping[str, PropValue] | None = None) -> Alteration | None:
    try:
        change = parse_protein_change(text)
    except SchemaError:
        return None
    if change.kind == "position":
        return None
    props: dict[str, PropValue] = {"gene": gene, "protein_change": change.text, **(extra or {})}
    return Alteration(
        variant_id(gene, change.text), Label.VARIANT, f"{gene} {change.text}", (gene,),
        facts=VariantFacts(gene, protein_change=change.text), props=props,
    )  # fmt: skip


def _class(rule: ClassRule) -> Alteration:
    return Alteration(rule.id, Label.VARIANT_CLASS, rule.name, (rule.gene,), rule=rule)


def _fusion(five: str, three: str, five_exon: int | None = None, three_exon: int | None = None) -> Alteration:
    name = f"{five}::{three}"
    if five_exon is not None or three_exon is not None:
        name += f" e{five_exon if five_exon is not None else '?'}-e{three_exon if three_exon is not None else '?'}"
    props: dict[str, PropValue] = {"five_prime_gene": five, "three_prime_gene": three}
    if five_exon is not None:
        props["five_prime_exon"] = five_exon
    if three_exon is not None:
        props["three_prime_exon"] = three_exon
    return Alteration(
        fusion_id(five, three, five_prime_exon=five_exon, three_prime_exon=three_exon), Label.VARIANT, name,
        tuple(dict.fromkeys((five, three))), facts=VariantFacts(three, fusion=(five, three)), props=props,
    )  # fmt: skip


def _split_fusion(token: str, gene: str, genes: GeneNames) -> tuple[str, str] | None:
    """``EML4-ALK`` → (EML4, ALK) when one side is ``gene`` (HGNC symbols where HGNC knows them)."""
    if "::" in token:
        left, _, right = token.partition("::")
        return (genes.symbol(left) or left.upper(), genes.symbol(right) or right.upper())
    best: tuple[int, tuple[str, str]] | None = None
    for match in re.finditer("-", token):
        left, right = token[: match.start()], token[match.end() :]
        if not left or not right:
            continue
        left_symbol, right_symbol = genes.symbol(left), genes.symbol(right)
        if gene not in (left_symbol, right_symbol):
            continue
        score = (left_symbol is not None) + (right_symbol is not None)
        if best is None or score > best[0]:
            best = (score, (left_symbol or left.upper(), right_symbol or right.upper()))
    return best[1] if best else None


def _changes_in(gene: str, text: str, extra: Mapping[str, PropValue]) -> list[Alteration] | None:
    """One or more protein changes or codons written in a row (``L248R F359I``, ``C1156Y-L1198F``)."""
    parts = [p for p in re.split(r"[\s]+|(?<=[A-Z*])-(?=[A-Z]\d)", text.strip()) if p]
    found: list[Alteration] = []
    for part in parts:
        alteration = _protein(gene, part, extra)
        if alteration is None:
            rule = parse_class_name(gene, part)
            if rule is None or rule.class_type not in ("codon", "allele_set"):
                return None
            alteration = _class(rule)
        found.append(alteration)
    return found or None


def _single(gene: str, text: str, types: Sequence[str], genes: GeneNames) -> list[Alteration] | None:
    text = text.strip()
    if _RS.match(text):
        return [Alteration(dbsnp_id(text), Label.VARIANT, f"{gene} {text.lower()}".strip(), (gene,) if gene else (),
                           props={"gene": gene} if gene else {})]  # fmt: skip
    token, _, rest = text.partition(" ")
    pair = _split_fusion(token, gene, genes) if ("-" in token or "::" in token) and gene else None
    if pair is not None:
        rest = rest.strip()
        if not rest or rest.upper() == "FUSION":
            return [_fusion(*pair)]
        if breakpoint_match := _BREAKPOINT.match(rest):
            return [_fusion(*pair, int(breakpoint_match.group(1)), int(breakpoint_match.group(2)))]
        return _changes_in(gene, rest, {"fusion_context": f"{pair[0]}::{pair[1]}"})
    if in_fusion := re.match(rf"^{re.escape(gene)}\s+FUSIONS?\s+(\S.*)$", text, re.IGNORECASE):
        return _changes_in(gene, in_fusion.group(1), {"fusion_context": f"{gene} fusion"})
    if gene and (protein := _protein(gene, text)) is not None:
        return [protein]
    if gene and (rule := parse_class_name(gene, text, types)) is not None:
        return [_class(rule)]
    return None


def alterations(gene: str, name: str, types: Sequence[str], genes: GeneNames) -> tuple[list[Alteration], str] | None:
    """What a CIViC variant name of ``gene`` stands for, and the coding change written beside it.

    A name joining several alterations (``V600E and AMPLIFICATION``, ``Ex19 del L858R``,
    ``BCR-ABL E255K V299L``) gives several: the evidence holds when all are present.
    None when the name cannot be read; the caller keeps the variant under its CIViC id.
    """
    text, coding = _strip_gene(gene, name.strip()), ""
    if suffix := (_CODING_SUFFIX.match(text) or _CODING_TAIL.match(text)):
        text, coding = suffix.group("name").strip(), suffix.group("coding")
    single = _single(gene, text, types, genes)
    if single is not None:
        return single, coding
    parts = [p for p in re.split(r"\s+and\s+", text, flags=re.IGNORECASE) if p.strip()]
    if len(parts) > 1:
        if re.fullmatch(r"(?i)EX(?:ON)?\s*\d+", parts[0].strip()):  # "EXON 10 and EXON 21 MUTATIONS"
            parts[0] = f"{parts[0]} {parts[-1].split()[-1]}"
        fusion_context, found = "", []
        for part in parts:
            single = _single(gene, part, (), genes)
            if single is None and fusion_context:  # "LMNA-NTRK1 G595R and G667C"
                single = _changes_in(gene, part, {"fusion_context": fusion_context})
            if single is None:
                return None
            context = next(
                (str(a.props.get("fusion_context", "")) for a in single if a.props.get("fusion_context")), ""
            )
            fusion_context = context or fusion_context
            found.extend(single)
        return found, coding
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):  # "Ex19 del L858R": a class, then a change
        head = _single(gene, " ".join(words[:cut]), (), genes)
        tail = _changes_in(gene, " ".join(words[cut:]), {}) if head else None
        if head and tail and all(a.label == Label.VARIANT for a in tail):
            return [*head, *tail], coding
    return None


def _strip_gene(gene: str, text: str) -> str:
    """CIViC sometimes repeats the gene in the variant name (``JAK2 F694L`` of JAK2)."""
    if gene and text.upper().startswith(gene.upper() + " "):
        rest = text[len(gene) + 1 :].strip()
        if _single_word_change(rest):
            return rest
    return text


def _single_word_change(text: str) -> bool:
    try:
        return parse_protein_change(text).kind != "position"
    except SchemaError:
        return False


def fallback(variant: CivicVariant, genes_names: GeneNames) -> Alteration:
    """The node of a variant whose name cannot be read: a Variant if it is one allele, else a class."""
    gene, name = variant.gene, variant.name.strip()
    genes = (gene,) if gene else ()
    concrete = bool(variant.ref or variant.alt) or bool(_CONCRETE_HINT.match(name)) or "(c." in name
    if variant.feature_type == "Factor" or not gene:
        common = FACTOR_BIOMARKERS.get((variant.feature_name.upper(), name.upper()))
        if common is not None:  # "MSI High" is the MSI-H every other source and every query names
            return Alteration(biomarker_id(common), Label.VARIANT, common, genes, props={"biomarker": common})
        return Alteration(biomarker_id(variant.display), Label.VARIANT, variant.display, genes)
    token, _, rest = name.partition(" ")
    pair = _split_fusion(token, gene, genes_names) if "-" in token or "::" in token else None
    if pair is not None:  # "EWSR1-FLI1 Type 1": one kind of a fusion, kept under its CIViC id
        facts = VariantFacts(pair[1], fusion=pair, consequences=tuple(variant.variant_types))
        props: dict[str, PropValue] = {"five_prime_gene": pair[0], "three_prime_gene": pair[1]}
        return Alteration(f"CIVIC.VID:{variant.vid}", Label.VARIANT, f"{pair[0]}::{pair[1]} {rest}".strip(),
                          tuple(dict.fromkeys(pair)), facts=facts, props=props)  # fmt: skip
    if concrete:
        if variant.ref and variant.alt and variant.region is not None:
            node_id = genomic_id(variant.build, variant.chromosome, variant.start, variant.ref, variant.alt)
        else:
            node_id = f"CIVIC.VID:{variant.vid}"
        facts = VariantFacts(gene, consequences=tuple(variant.variant_types), position=variant.region)
        return Alteration(node_id, Label.VARIANT, f"{gene} {name}", genes, facts=facts, props={"gene": gene})
    label = re.sub(r"\s+", " ", re.sub(r"[()]", " ", name)).strip()  # parentheses group profile expressions
    rule = ClassRule(gene, "other", label)
    return Alteration(rule.id, Label.VARIANT_CLASS, rule.name, genes, rule=rule)


def fusion_alterations(variant: CivicVariant, genes: GeneNames) -> tuple[list[Alteration], str] | None:
    """A current-layout variant of a Fusion feature (``EML4::ALK`` ``Fusion``, ``v::ALK`` ``Fusion``)."""
    known = [
        partner if status.lower() not in ("multiple", "unknown") else ""
        for partner, status in ((variant.five_prime, variant.five_prime_status),
                                (variant.three_prime, variant.three_prime_status))
    ]  # fmt: skip
    five, three = (genes.symbol(p) or p.upper() if p else "" for p in known)
    name = variant.name.strip()
    breakpoint_match = _BREAKPOINT.match(name)
    if five and three:
        if variant.five_prime_exon is not None or variant.three_prime_exon is not None:
            return [_fusion(five, three, variant.five_prime_exon, variant.three_prime_exon)], ""
        if breakpoint_match:
            return [_fusion(five, three, int(breakpoint_match.group(1)), int(breakpoint_match.group(2)))], ""
        if name.upper() == "FUSION":
            return [_fusion(five, three)], ""
    partner = three or five
    if not partner:
        return None
    if name.upper() in ("FUSION", "FUSIONS"):
        return [_class(ClassRule(partner, "fusion", "fusion"))], ""
    return alterations(partner, name, variant.variant_types, genes)


def _int(value: str, path: Path, line: int, field_name: str) -> int:
    value = value.strip()
    if not value:
        return 0
    if not value.isdigit():
        raise SourceFileError(str(path), line, f"expected a whole number, got {value!r}", field=field_name)
    return int(value)


def _optional_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def variant_from_row(row: Mapping[str, str], line: int, genes: GeneNames, path: Path) -> CivicVariant:
    """One VariantSummaries row of any layout; SourceFileError for a malformed one."""
    vid = _int(row["variant_id"], path, line, "variant_id")
    if not vid:
        raise SourceFileError(str(path), line, "expected a variant id", field="variant_id")
    feature_type = row.get("feature_type", "Gene").strip() or "Gene"
    feature_name = row.get("feature_name", "").strip()
    raw_gene = row["gene"].strip() or (feature_name if feature_type == "Gene" else "")
    gene = (genes.symbol(raw_gene, row["entrez_id"].strip()) or raw_gene.upper()) if raw_gene else ""
    hgvs_column = "hgvs_expressions" if "hgvs_expressions" in row else "hgvs_descriptions"
    variant = CivicVariant(
        vid=vid,
        line=line,
        gene=gene,
        name=row["variant"].strip(),
        feature_type=feature_type,
        feature_name=feature_name if feature_type != "Gene" else (feature_name or row["gene"].strip()),
        aliases=split_list(row["variant_aliases"]),
        variant_types=split_list(row["variant_types"]),
        hgvs=split_list(row[hgvs_column]),
        clinvar_ids=split_list(row["clinvar_ids"]),
        allele_registry_id=row.get("allele_registry_id", "").strip(),
        groups=split_list(row.get("variant_groups", "")),
        summary=row.get("summary", "").strip(),
        chromosome=row["chromosome"].strip(),
        start=_int(row["start"], path, line, "start"),
        stop=_int(row["stop"], path, line, "stop"),
        ref=row["reference_bases"].strip(),
        alt=row["variant_bases"].strip(),
        transcript=row["representative_transcript"].strip(),
        build=row["reference_build"].strip(),
        five_prime=row.get("5_prime_partner", "").strip(),
        three_prime=row.get("3_prime_partner", "").strip(),
        five_prime_status=row.get("5_prime_partner_status", "").strip(),
        three_prime_status=row.get("3_prime_partner_status", "").strip(),
        five_prime_exon=_optional_int(row.get("5_prime_end_exon")),
        three_prime_exon=_optional_int(row.get("3_prime_start_exon")),
        profile_id=_optional_int(row.get("single_variant_molecular_profile_id")),
    )
    if row.get("chromosome2", "").strip():
        variant.second = (
            row["chromosome2"].strip(),
            _int(row.get("start2", ""), path, line, "start2"),
            _int(row.get("stop2", ""), path, line, "stop2"),
            row.get("representative_transcript2", "").strip(),
        )
    return variant
