"""ClinVar: germline variant classifications as ``Variant`` nodes with ``IN_GENE`` edges.

Reads ``variant_summary.txt(.gz)`` (one row per variation and assembly; the GRCh37 and GRCh38
rows of a variation are adjacent) and/or the GRCh38 VCF (``clinvar.vcf.gz``: CLNSIG,
CLNREVSTAT, GENEINFO, CLNHGVS, MC).  A variation with a protein change is keyed by
:func:`kg.variants.variant_id` (``PMKG:variant/BRAF:V600E``) so that it merges with the same
alteration from other sources; any other is ``CLINVAR:<VariationID>``.  The VariationID
(``CLINVAR:…``), rs id, ClinVar name and HGVS expressions are synonyms; positions per
assembly, clinical significance and review status are properties.  VCF molecular
consequences become ``HAS_CONSEQUENCE`` edges to Sequence Ontology terms.

When several ClinVar variations share one protein change (different nucleotide changes
giving ``V600E``) they are one node: synonyms are unioned, and scalar properties are those of
the variation read last.  Reading both files keeps a VariationID → node id map of the
protein-keyed variations (for the full release, some hundred MB); read one file for less.

It never invents a gene: genes resolve through :class:`loaders.genes.GeneResolver` (HGNC id,
then Entrez id, then symbol), and a gene that does not resolve gets no edge.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from kg.errors import SchemaError, SourceFileError
from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from kg.variants import coordinate_key, genomic_id, normalize_protein_change, variant_id
from loaders.base import SourceSpec, open_text, read_table
from loaders.genes import GeneResolver, GeneResolvingLoader

STARTER_VERSION = "variant_summary 2021-05 (cellbase test cut); VCF 2026-06-27 (slice)"
STARTER_FILES = {"variant_summary": "variant_summary.txt.gz", "vcf": "clinvar_GRCh38_slice.vcf.gz"}
SUMMARY_REQUIRED = (
    "#AlleleID",
    "Type",
    "Name",
    "GeneID",
    "GeneSymbol",
    "HGNC_ID",
    "ClinicalSignificance",
    "LastEvaluated",
    "RS# (dbSNP)",
    "RCVaccession",
    "PhenotypeList",
    "OriginSimple",
    "Assembly",
    "Chromosome",
    "Start",
    "Stop",
    "ReferenceAllele",
    "AlternateAllele",
    "ReviewStatus",
)
VCF_COLUMNS = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")
# NM_004333.6(BRAF):c.1799T>A (p.Val600Glu)
_HGVS_NAME = re.compile(
    r"^(?P<tx>[A-Z]{2}_\d+(?:\.\d+)?)(?:\((?P<gene>[^)]+)\))?:(?P<c>[cn]\.\S+)(?: \((?P<p>p\.[^)]+)\))?"
)
_MISSING = {"", "-", "na", "not provided"}


@dataclass
class Variation:
    """What one ClinVar variation says, gathered from its rows before it becomes a node."""

    record_id: str
    line: int
    name: str
    gene_symbols: tuple[str, ...]
    props: dict[str, Any]
    synonyms: list[str]
    hgnc_ids: tuple[str, ...] = ()
    entrez_ids: tuple[str, ...] = ()
    consequences: tuple[tuple[str, str], ...] = ()


def _value(text: str | None) -> str:
    text = (text or "").strip()
    return "" if text.lower() in _MISSING else text


def _int(text: str, path: Path, line: int, field: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SourceFileError(str(path), line, f"expected an integer, got {text!r}", field=field) from None


class ClinvarLoader(GeneResolvingLoader):
    """ClinVar variations from ``variant_summary`` and/or the GRCh38 VCF."""

    spec = SourceSpec(
        name="clinvar",
        title="ClinVar",
        license="LicenseRef-NCBI-public-domain",
        license_url="https://www.ncbi.nlm.nih.gov/home/about/policies/",
        redistributable=True,
        homepage="https://www.ncbi.nlm.nih.gov/clinvar/",
        files={
            "variant_summary": "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/tab_delimited/variant_summary.txt.gz",
            "vcf": "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar.vcf.gz",
        },
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        genes: GeneResolver | None = None,
    ) -> None:
        if not any(name in paths for name in self.spec.files):
            raise SourceFileError(
                str(next(iter(paths.values()), "clinvar")), None, "clinvar needs variant_summary and/or vcf"
            )
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        self._protein_ids: dict[str, str] = {}

    @classmethod
    def required_files(cls) -> Sequence[str]:
        return ()  # either file will do; __init__ checks that one is given

    @classmethod
    def starter(cls) -> Self:
        """The loader on the bundled ClinVar cuts (public domain)."""
        folder = importlib.resources.files("loaders") / "starter" / "clinvar"
        return cls({k: Path(str(folder / v)) for k, v in STARTER_FILES.items()}, version=STARTER_VERSION)

    def parse(self) -> Iterator[Record]:
        seen_genes: set[str] = set()
        seen_terms: set[str] = set()
        variations: list[Iterator[Variation]] = []
        if "variant_summary" in self.paths:
            variations.append(self.summary_variations())
        if "vcf" in self.paths:
            variations.append(self.vcf_variations())
        for stream in variations:
            for variation in stream:
                yield from self._records(variation, seen_genes, seen_terms)

    # ------------------------------------------------------------------ variant_summary

    def summary_variations(self) -> Iterator[Variation]:
        """One Variation per VariationID (or AlleleID in files without it), merging its assemblies."""
        path = self.paths["variant_summary"]
        group: list[tuple[int, dict[str, str]]] = []
        for line, row in read_table(path, SUMMARY_REQUIRED, on_bad=self.bad):
            key = row.get("VariationID") or row["#AlleleID"]
            if group and (group[0][1].get("VariationID") or group[0][1]["#AlleleID"]) != key:
                variation = self._summary_variation(path, group)
                if variation is not None:
                    yield variation
                group = []
            group.append((line, row))
        if group:
            variation = self._summary_variation(path, group)
            if variation is not None:
                yield variation

    def _summary_variation(self, path: Path, rows: list[tuple[int, dict[str, str]]]) -> Variation | None:
        line, first = rows[0]
        variation_id = _value(first.get("VariationID"))
        record_id = variation_id or first["#AlleleID"]
        props: dict[str, Any] = {"clinvar_allele_id": first["#AlleleID"], "variant_type": first["Type"]}
        if variation_id:
            props["clinvar_variation_id"] = variation_id
        for key, column in (
            ("clinical_significance", "ClinicalSignificance"),
            ("review_status", "ReviewStatus"),
            ("last_evaluated", "LastEvaluated"),
            ("origin", "OriginSimple"),
            ("cytoband", "Cytogenetic"),
            ("guidelines", "Guidelines"),
        ):
            if _value(first.get(column)):
                props[key] = first[column].strip()
        for key, column, sep in (("rcv_accessions", "RCVaccession", "|"), ("phenotypes", "PhenotypeList", "|")):
            values = [v for v in (_value(x) for x in first[column].split(sep)) if v]
            if values:
                props[key] = list(dict.fromkeys(values))
        synonyms = [first["Name"]]
        rs = _value(first["RS# (dbSNP)"])
        if rs and rs != "-1":
            props["dbsnp_id"] = f"rs{rs}"
            synonyms.append(f"rs{rs}")
        try:
            for row_line, row in rows:
                self._summary_position(path, row_line, row, props)
        except SourceFileError as error:
            self.bad(error)
            return None
        hgnc_ids = tuple(h for h in (_value(first["HGNC_ID"]),) if h)
        entrez = tuple(e for e in (_value(first["GeneID"]),) if e and e != "-1")
        symbols = tuple(s for s in (_value(s) for s in first["GeneSymbol"].split(";")) if s)
        return Variation(record_id, line, first["Name"], symbols, props, synonyms, hgnc_ids, entrez)

    @staticmethod
    def _summary_position(path: Path, line: int, row: Mapping[str, str], props: dict[str, Any]) -> None:
        assembly = row["Assembly"].strip()
        if assembly not in ("GRCh37", "GRCh38") or not _value(row["Chromosome"]):
            return
        prefix = assembly.lower()
        props[f"{prefix}_chrom"] = row["Chromosome"].strip()
        props[f"{prefix}_start"] = _int(row["Start"], path, line, "Start")
        props[f"{prefix}_stop"] = _int(row["Stop"], path, line, "Stop")
        if _value(row.get("PositionVCF")) and row.get("PositionVCF") != "-1":
            props[f"{prefix}_pos"] = _int(row["PositionVCF"], path, line, "PositionVCF")
            props[f"{prefix}_ref"] = row["ReferenceAlleleVCF"].strip()
            props[f"{prefix}_alt"] = row["AlternateAlleleVCF"].strip()
        elif _value(row["ReferenceAllele"]):
            props[f"{prefix}_pos"] = props[f"{prefix}_start"]
            props[f"{prefix}_ref"] = row["ReferenceAllele"].strip()
            props[f"{prefix}_alt"] = row["AlternateAllele"].strip()

    # ------------------------------------------------------------------ VCF

    def vcf_variations(self) -> Iterator[Variation]:
        """One Variation per VCF record (VariationID in ID; positions on the VCF's assembly)."""
        path = self.paths["vcf"]
        assembly = "GRCh38"
        header_seen = False
        line = 0
        try:
            with open_text(path) as handle:
                for raw in handle:
                    line += 1
                    if raw.startswith("##"):
                        if raw.startswith("##reference="):
                            assembly = "GRCh37" if "37" in raw or "hg19" in raw else "GRCh38"
                        continue
                    fields = raw.rstrip("\r\n").split("\t")
                    if not header_seen:
                        if tuple(fields[:8]) != VCF_COLUMNS:
                            raise SourceFileError(str(path), line, f"expected the VCF header {list(VCF_COLUMNS)}")
                        header_seen = True
                        continue
                    if fields == [""]:
                        continue
                    try:
                        yield self._vcf_variation(path, line, fields, assembly)
                    except SourceFileError as error:
                        self.bad(error)
        except (EOFError, OSError, UnicodeDecodeError) as exc:
            raise SourceFileError(str(path), line + 1, f"file ends early or is corrupt ({exc}); truncated?") from exc
        if not header_seen:
            raise SourceFileError(str(path), line or None, "no #CHROM header line; is this a VCF?")

    def _vcf_variation(self, path: Path, line: int, fields: list[str], assembly: str) -> Variation:
        if len(fields) < 8:
            raise SourceFileError(str(path), line, f"VCF record has {len(fields)} fields; expected at least 8")
        chrom, pos, variation_id, ref, alt, _, _, info_text = fields[:8]
        if not variation_id.isdigit():
            raise SourceFileError(str(path), line, f"expected a ClinVar VariationID, got {variation_id!r}", field="ID")
        info: dict[str, str] = {}
        for item in info_text.split(";"):
            key, _, value = item.partition("=")
            info[key] = value
        prefix = assembly.lower()
        props: dict[str, Any] = {
            "clinvar_variation_id": variation_id,
            f"{prefix}_chrom": chrom.removeprefix("chr"),
            f"{prefix}_pos": _int(pos, path, line, "POS"),
            f"{prefix}_ref": ref,
            f"{prefix}_alt": alt,
        }
        for key, tag in (
            ("clinvar_allele_id", "ALLELEID"),
            ("clinical_significance", "CLNSIG"),
            ("review_status", "CLNREVSTAT"),
            ("variant_type", "CLNVC"),
            ("hgvs_g", "CLNHGVS"),
            ("oncogenicity", "ONC"),
            ("somatic_clinical_impact", "SCI"),
        ):
            if info.get(tag):
                props[key] = info[tag].replace("_", " ").replace("|", "; ")
        if info.get("CLNDN"):
            props["phenotypes"] = [d.replace("_", " ") for d in info["CLNDN"].split("|") if d]
        synonyms = [info["CLNHGVS"]] if info.get("CLNHGVS") else []
        if info.get("RS"):
            props["dbsnp_id"] = f"rs{info['RS'].split('|')[0]}"
            synonyms += [f"rs{rs}" for rs in info["RS"].split("|")]
        genes = [g.partition(":") for g in info.get("GENEINFO", "").split("|") if g]
        consequences = []
        for item in info.get("MC", "").split(","):
            term, _, label = item.partition("|")
            if term.startswith("SO:") and label:
                consequences.append((term, label))
        name = info.get("CLNHGVS") or f"{chrom}-{pos}-{ref}-{alt}"
        return Variation(
            variation_id,
            line,
            name,
            tuple(g[0] for g in genes),
            props,
            synonyms,
            entrez_ids=tuple(g[2] for g in genes if g[2]),
            consequences=tuple(consequences),
        )

    # ------------------------------------------------------------------ records

    def _gene_ids(self, variation: Variation) -> list[str]:
        found: list[str] = [h for h in variation.hgnc_ids if h in self.genes]
        for entrez in variation.entrez_ids:
            hgnc = self.genes.by_entrez(entrez)
            if hgnc and hgnc not in found:
                found.append(hgnc)
        if not found:
            for symbol in variation.gene_symbols:
                hgnc = self.genes.resolve(symbol)
                if hgnc and hgnc not in found:
                    found.append(hgnc)
        return found

    def _node_id(self, variation: Variation, gene_ids: list[str]) -> str:
        clinvar_id = variation.props.get("clinvar_variation_id")
        if clinvar_id in self._protein_ids:
            return self._protein_ids[str(clinvar_id)]
        match = _HGVS_NAME.match(variation.name)
        if match and match.group("p"):
            gene = self.genes.resolve(match.group("gene") or "") or (gene_ids[0] if len(gene_ids) == 1 else None)
            try:
                change = normalize_protein_change(match.group("p"))
            except SchemaError:
                change = ""
            if gene and change:
                symbol = self.genes.symbol(gene)
                variation.props |= {"gene": symbol, "protein_change": change}
                node_id = variant_id(symbol, change)
                if clinvar_id and "vcf" in self.paths:
                    self._protein_ids[str(clinvar_id)] = node_id
                return node_id
        if clinvar_id:
            return f"CLINVAR:{clinvar_id}"
        for assembly in ("grch38", "grch37"):
            if f"{assembly}_pos" in variation.props:
                p = variation.props
                return genomic_id(
                    assembly.replace("grch", "GRCh"),
                    str(p[f"{assembly}_chrom"]),
                    int(p[f"{assembly}_pos"]),
                    str(p[f"{assembly}_ref"]),
                    str(p[f"{assembly}_alt"]),
                )
        raise SourceFileError(
            str(self.paths.get("variant_summary")), variation.line, "no VariationID, protein change or position"
        )

    def _records(self, variation: Variation, seen_genes: set[str], seen_terms: set[str]) -> Iterator[Record]:
        gene_ids = self._gene_ids(variation)
        try:
            node_id = self._node_id(variation, gene_ids)
        except SourceFileError as error:
            self.bad(error)
            return
        provenance = self.provenance(variation.record_id, variation.line)
        match = _HGVS_NAME.match(variation.name)
        if match:
            variation.synonyms.append(f"{match.group('tx')}:{match.group('c')}")
            variation.props.setdefault("hgvs_c", f"{match.group('tx')}:{match.group('c')}")
            if match.group("p"):
                variation.synonyms.append(match.group("p"))
        if "clinvar_variation_id" in variation.props:
            variation.synonyms.append(f"CLINVAR:{variation.props['clinvar_variation_id']}")
        name = variation.name
        if "protein_change" in variation.props:
            name = f"{variation.props['gene']} {variation.props['protein_change']}"
        for gene_id in gene_ids:
            if gene_id not in seen_genes:
                seen_genes.add(gene_id)
                symbol = self.genes.symbol(gene_id)
                yield Node(gene_id, Label.GENE, symbol, props={"symbol": symbol}, provenance=provenance)
        p = variation.props
        for assembly in ("grch38", "grch37"):
            if f"{assembly}_pos" in p and p.get(f"{assembly}_ref") and p.get(f"{assembly}_alt"):
                variation.synonyms.append(
                    coordinate_key(assembly.replace("grch", "GRCh"), str(p[f"{assembly}_chrom"]),
                                   int(p[f"{assembly}_pos"]), str(p[f"{assembly}_ref"]), str(p[f"{assembly}_alt"]))
                )  # fmt: skip
        synonyms = tuple(s for s in dict.fromkeys(variation.synonyms) if s and s != name)
        yield Node(node_id, Label.VARIANT, name, synonyms, variation.props, provenance)
        for gene_id in gene_ids:
            yield Edge(node_id, RelType.IN_GENE, gene_id, provenance=provenance)
        for term, label in variation.consequences:
            if term not in seen_terms:
                seen_terms.add(term)
                yield Node(term, Label.CONSEQUENCE, label, provenance=provenance)
            yield Edge(node_id, RelType.HAS_CONSEQUENCE, term, provenance=provenance)


def provenance_line(provenance: Provenance, path: Path) -> str:
    """The source line a provenance entry names (for checking a record against its source)."""
    with open_text(path) as handle:
        for number, text in enumerate(handle, start=1):
            if number == provenance.line:
                return text
    raise SourceFileError(str(path), provenance.line, "the file has fewer lines than the provenance names")
