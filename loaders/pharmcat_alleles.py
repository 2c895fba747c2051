"""PharmCAT star alleles and phenotypes: ``*_translation.json`` and ``phenotype/<GENE>.json``.

Turns PharmCAT's allele definitions into ``Allele`` nodes that carry everything a caller
needs to match a VCF against them (GRCh38 positions, rs ids, reference and allele bases as
parallel lists, exactly as the definition file has them), and the gene phenotype tables into
``Phenotype`` nodes that carry the diplotype → phenotype (→ activity score) map.

Representation (why it looks like this):

* A ``Phenotype`` node is one CPIC phenotype of one gene (``PMKG:phenotype/CYP2C19/Poor_Metabolizer``).
  It lists the diplotypes that have it (``diplotypes``, as PharmCAT spells them, one
  orientation each: compare as unordered pairs) and, for activity-score genes (CYP2C9, DPYD),
  the activity score of each (``diplotype_activity_scores``, parallel) plus the scores the
  phenotype spans.  ``lookup_keys`` are the CPIC lookup values that select it: the phenotype
  itself, or the activity scores.  So ``CYP2C19 *2/*2`` is answered by the gene's phenotypes
  (``Phenotype -[:IN_GENE]-> Gene``) without a diplotype node the schema does not have.
* ``Allele -[:MEMBER_OF]-> Phenotype`` is *not* used for diplotypes: *2 is in poor and in
  intermediate metabolizers depending on its partner, so membership is not a fact about the
  allele.  It is used only where one allele alone decides the phenotype (a one-allele
  "diplotype", i.e. the mitochondrial MT-RNR1 haplotypes).
* A gene whose phenotype table is absent (CYP2D6, G6PD, RYR1 in the shared snapshot, the HLA
  genes always) gets phenotype nodes from the CPIC lookup values themselves
  (``HLA-B *57:01 positive``, ``CYP2D6 activity score 1.0``): the graph never infers a
  phenotype the data does not state.

This module never reads files or the network; it receives parsed JSON documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import SourceFileError
from kg.identifiers import pmkg_id
from kg.records import Edge, Node, PropValue, Provenance, Record
from kg.schema import Label, RelType

# CPIC lookup values that name no phenotype (no test result, an unusable CYP2D6 xN input,
# an activity score that could not be computed).
NON_PHENOTYPE_VALUES = frozenset({"No Result", "n/a", "xN combinations"})
_ACTIVITY_SCORE = re.compile(r"^(?P<op>[≥>]?)(?P<value>\d+(?:\.\d+)?)$")
TRANSLATION_KEYS = ("gene", "chromosome", "variants", "namedAlleles")
PHENOTYPE_KEYS = ("gene", "haplotypes", "diplotypes")


@dataclass
class SourceJson:
    """One parsed JSON file of the release, with a line index for provenance."""

    where: str  # path for messages (``archive!member`` inside archives)
    name: str  # the file's own name, e.g. ``CYP2C19_translation.json``
    text: str
    data: Any
    _index: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        value = self.data.get("version") if isinstance(self.data, dict) else None
        return str(value) if value not in (None, "") else ""

    def line_of(self, key: str, value: str) -> int | None:
        """First line holding ``"key": "value"`` (PharmCAT writes one key per line)."""
        table = self._index.get(key)
        if table is None:
            table = {}
            pattern = re.compile(rf'"{re.escape(key)}": "((?:[^"\\]|\\.)*)"')
            for number, line in enumerate(self.text.splitlines(), start=1):
                match = pattern.search(line)
                if match:
                    table.setdefault(json.loads(f'"{match.group(1)}"'), number)
            self._index[key] = table
        return table.get(value)

    def error(self, line: int | None, problem: str, field: str | None = None) -> SourceFileError:
        return SourceFileError(self.where, line, problem, field=field)

    def require(self, keys: tuple[str, ...], what: str) -> dict[str, Any]:
        """The top-level object, or SourceFileError naming the first missing key."""
        if not isinstance(self.data, dict):
            raise self.error(1, f"not {what}: expected a JSON object at the top level")
        for key in keys:
            if key not in self.data:
                raise self.error(1, f"not {what}: missing key {key!r} (expected {', '.join(keys)})", key)
        return self.data


class Emitter:
    """Shared by the PharmCAT record builders: provenance, genes and phenotype nodes, once each."""

    def __init__(
        self,
        source: str,
        license: str,
        version: str,
        resolve_gene: Callable[[str], str | None],
        gene_symbol: Callable[[str], str],
        bad: Callable[[SourceFileError], None],
    ) -> None:
        self._source, self._license, self._version = source, license, version
        self._resolve_gene, self._gene_symbol = resolve_gene, gene_symbol
        self.bad = bad
        self._genes: dict[str, str | None] = {}
        self.unresolved_genes: set[str] = set()
        self.tables: dict[str, PhenotypeTable] = {}
        self._phenotypes: set[str] = set()
        self.drugs: set[str] = set()

    def provenance(self, doc: SourceJson, local_id: str, line: int | None) -> tuple[Provenance, ...]:
        record_id = f"{doc.name}#{local_id}"
        return (Provenance(self._source, doc.version or self._version, self._license, record_id, line),)

    def gene(self, symbol: str, prov: tuple[Provenance, ...]) -> tuple[str | None, list[Record]]:
        """HGNC id of ``symbol`` and, the first time, the minimal Gene node to yield."""
        if symbol in self._genes:
            return self._genes[symbol], []
        hgnc = self._resolve_gene(symbol)
        self._genes[symbol] = hgnc
        if hgnc is None:
            self.unresolved_genes.add(symbol)
            return None, []
        approved = self._gene_symbol(hgnc)
        return hgnc, [Node(hgnc, Label.GENE, approved, props={"symbol": approved}, provenance=prov)]

    def in_gene(self, node_id: str, gene: str, prov: tuple[Provenance, ...]) -> list[Record]:
        hgnc, records = self.gene(gene, prov)
        if hgnc is not None:
            records.append(Edge(node_id, RelType.IN_GENE, hgnc, provenance=prov))
        return records

    def phenotype(self, gene: str, value: str, prov: tuple[Provenance, ...]) -> tuple[str | None, list[Record]]:
        """Phenotype id a CPIC lookup value of ``gene`` selects (None if it names none) and new records."""
        table = self.tables.get(gene)
        if table is not None and value in table.lookup_to_phenotype:
            return phenotype_id(gene, table.lookup_to_phenotype[value]), []
        if value in NON_PHENOTYPE_VALUES:
            return None, []
        score = _ACTIVITY_SCORE.match(value)
        node_id = phenotype_id(gene, f"activity score {value}" if score else value)
        if node_id in self._phenotypes:
            return node_id, []
        self._phenotypes.add(node_id)
        props: dict[str, PropValue] = {"gene": gene, "lookup_keys": [value]}
        if score:
            props |= {"activity_scores": [value], **_score_range([value])}
            name = f"{gene} activity score {value}"
        else:
            props["phenotype"] = value
            name = f"{gene} {value}"
        node = Node(node_id, Label.PHENOTYPE, name, props=props, provenance=prov)
        return node_id, [node, *self.in_gene(node_id, gene, prov)]

    def mark_phenotype(self, node_id: str) -> None:
        self._phenotypes.add(node_id)


def phenotype_id(gene: str, phenotype: str) -> str:
    """``PMKG:phenotype/CYP2C19/Poor_Metabolizer``."""
    return pmkg_id("phenotype", f"{gene}/{phenotype}")


def allele_name(gene: str, allele: str) -> str:
    """``CYP2C19*2`` for star alleles, ``DPYD c.1905+1G>A`` for the others."""
    return f"{gene}{allele}" if allele.startswith("*") else f"{gene} {allele}"


def allele_id(gene: str, allele: str) -> str:
    """``PMKG:allele/CYP2C19*2``, ``PMKG:allele/DPYD_c.1905+1G>A``."""
    return pmkg_id("allele", allele_name(gene, allele))


def _score_value(text: str) -> float | None:
    match = _ACTIVITY_SCORE.match(text)
    return float(match.group("value")) if match else None


def _score_range(scores: list[str]) -> dict[str, PropValue]:
    """Numeric bounds of activity-score lookup values; ``≥4.0`` has no upper bound."""
    values = [(v, _ACTIVITY_SCORE.match(v)) for v in scores]
    numbers = [float(m.group("value")) for _, m in values if m]
    if not numbers:
        return {}
    out: dict[str, PropValue] = {"activity_score_min": min(numbers)}
    if not any(m and m.group("op") for _, m in values):
        out["activity_score_max"] = max(numbers)
    return out


# --------------------------------------------------------------------------- phenotypes


@dataclass
class PhenotypeEntry:
    phenotype: str
    line: int | None
    diplotypes: list[str] = field(default_factory=list)
    scores: list[str] = field(default_factory=list)
    lookup_keys: list[str] = field(default_factory=list)
    single_alleles: list[str] = field(default_factory=list)


@dataclass
class PhenotypeTable:
    """One gene's phenotype JSON: allele functions, activity values and diplotype phenotypes."""

    gene: str
    doc: SourceJson
    alleles: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    activity_values: dict[str, str] = field(default_factory=dict)
    lookup_to_phenotype: dict[str, str] = field(default_factory=dict)
    phenotypes: dict[str, PhenotypeEntry] = field(default_factory=dict)
    scored: bool = False  # phenotypes are looked up by activity score


def read_phenotype_table(doc: SourceJson, bad: Callable[[SourceFileError], None]) -> PhenotypeTable:
    data = doc.require(PHENOTYPE_KEYS, "a PharmCAT phenotype file")
    if not isinstance(data["haplotypes"], dict) or not isinstance(data["diplotypes"], list):
        raise doc.error(1, "'haplotypes' must be an object and 'diplotypes' a list")
    table = PhenotypeTable(str(data["gene"]), doc)
    # ``haplotypes`` maps each allele to its lookup key (the function, or the activity value of
    # activity-score genes); ``namedAlleles`` has both the function and the activity value.
    table.alleles = [str(k) for k in data["haplotypes"]]
    for named in data.get("namedAlleles") or []:
        if not isinstance(named, dict) or not named.get("name"):
            continue
        name = str(named["name"])
        if name not in table.alleles:
            table.alleles.append(name)
        if named.get("functionValue"):
            table.functions[name] = str(named["functionValue"])
        if named.get("activityValue") not in (None, ""):
            table.activity_values[name] = str(named["activityValue"])
    for name, value in (data.get("activityValues") or {}).items():
        table.activity_values.setdefault(str(name), str(value))
    for row in data["diplotypes"]:
        diplotype = row.get("diplotype") if isinstance(row, dict) else None
        phenotype = row.get("phenotype") if isinstance(row, dict) else None
        if not isinstance(diplotype, str) or not diplotype or not isinstance(phenotype, str) or not phenotype:
            line = doc.line_of("diplotype", diplotype) if isinstance(diplotype, str) else None
            bad(doc.error(line, f"diplotype entry needs 'diplotype' and 'phenotype' text, got {row!r}", "diplotypes"))
            continue
        lookup = row.get("lookupkey") or phenotype
        score = row.get("activityScore")
        entry = table.phenotypes.get(phenotype)
        if entry is None:
            entry = table.phenotypes[phenotype] = PhenotypeEntry(phenotype, doc.line_of("phenotype", phenotype))
        entry.diplotypes.append(diplotype)
        if score is not None:
            table.scored = True
            entry.scores.append(str(score))
        if lookup not in entry.lookup_keys:
            entry.lookup_keys.append(str(lookup))
        table.lookup_to_phenotype.setdefault(str(lookup), phenotype)
        copies = row.get("diplotypekey")
        if isinstance(copies, dict) and sum(int(n) for n in copies.values()) == 1:
            entry.single_alleles.extend(str(a) for a in copies)
    if table.scored:
        for entry in table.phenotypes.values():
            if len(entry.scores) != len(entry.diplotypes):
                raise doc.error(None, f"{table.gene} {entry.phenotype}: some diplotypes lack 'activityScore'")
    return table


def phenotype_records(table: PhenotypeTable, emitter: Emitter) -> Iterator[Record]:
    """One Phenotype node per phenotype of the gene, with its diplotypes, and IN_GENE."""
    for entry in table.phenotypes.values():
        node_id = phenotype_id(table.gene, entry.phenotype)
        prov = emitter.provenance(table.doc, entry.phenotype, entry.line)
        props: dict[str, PropValue] = {
            "gene": table.gene,
            "phenotype": entry.phenotype,
            "diplotypes": entry.diplotypes,
            "lookup_keys": entry.lookup_keys,
        }
        if table.scored:
            scores = sorted(
                {s for s in entry.scores if _score_value(s) is not None}, key=lambda s: _score_value(s) or 0
            )
            props |= {"diplotype_activity_scores": entry.scores, "activity_scores": scores, **_score_range(scores)}
        emitter.mark_phenotype(node_id)
        yield Node(node_id, Label.PHENOTYPE, f"{table.gene} {entry.phenotype}", props=props, provenance=prov)
        yield from emitter.in_gene(node_id, table.gene, prov)


# ----------------------------------------------------------------------------- alleles


def _function_props(table: PhenotypeTable | None, allele: str) -> dict[str, PropValue]:
    if table is None:
        return {}
    props: dict[str, PropValue] = {}
    if allele in table.functions:
        props["function"] = table.functions[allele]
    value = _score_value(table.activity_values.get(allele, ""))
    if value is not None:
        props["activity_value"] = value
    return props


def _variants(doc: SourceJson, data: dict[str, Any]) -> list[dict[str, Any]]:
    variants = data["variants"]
    if not isinstance(variants, list) or not variants:
        raise doc.error(1, "'variants' must be a non-empty list of defining positions", "variants")
    for index, variant in enumerate(variants):
        if not isinstance(variant, dict) or not isinstance(variant.get("position"), int) or not variant.get("ref"):
            raise doc.error(
                None,
                f"variant #{index + 1} needs an integer 'position' and a 'ref' allele, got {variant!r}",
                "variants",
            )
    return variants


def allele_records(doc: SourceJson, table: PhenotypeTable | None, emitter: Emitter, seen: set[str]) -> Iterator[Record]:
    """Allele nodes of one ``*_translation.json`` with their defining positions, and IN_GENE.

    Adds each allele's name to ``seen`` (for :func:`table_only_alleles`).
    """
    data = doc.require(TRANSLATION_KEYS, "a PharmCAT allele definition file")
    gene, chromosome = str(data["gene"]), str(data["chromosome"])
    variants = _variants(doc, data)
    named = data["namedAlleles"]
    if not isinstance(named, list):
        raise doc.error(1, "'namedAlleles' must be a list", "namedAlleles")
    hidden = data.get("hiddenCoreAlleles") or []
    for allele, is_hidden in [(a, False) for a in named] + [(a, True) for a in hidden]:
        record = _allele(doc, allele, variants, gene, chromosome, data.get("genomeBuild"), table, emitter, is_hidden)
        if record is not None:
            seen.add(str(record.props["allele"]))
            yield record
            yield from emitter.in_gene(record.id, gene, record.provenance)


def table_only_alleles(table: PhenotypeTable, emitter: Emitter, seen: set[str]) -> Iterator[Record]:
    """Alleles a phenotype table names but no definition file defines (MT-RNR1): function only."""
    for name in table.alleles:
        if name in seen:
            continue
        node_id = allele_id(table.gene, name)
        prov = emitter.provenance(table.doc, name, table.doc.line_of("name", name))
        props: dict[str, PropValue] = {"gene": table.gene, "allele": name, **_function_props(table, name)}
        yield Node(node_id, Label.ALLELE, allele_name(table.gene, name), props=props, provenance=prov)
        yield from emitter.in_gene(node_id, table.gene, prov)


def _allele(
    doc: SourceJson,
    allele: Any,
    variants: list[dict[str, Any]],
    gene: str,
    chromosome: str,
    build: Any,
    table: PhenotypeTable | None,
    emitter: Emitter,
    hidden: bool,
) -> Node | None:
    name = allele.get("name") if isinstance(allele, dict) else None
    pharmgkb = allele.get("id") if isinstance(allele, dict) else None
    line = doc.line_of("id", pharmgkb) if isinstance(pharmgkb, str) else None
    bases = allele.get("alleles") if isinstance(allele, dict) else None
    if not isinstance(name, str) or not name:
        emitter.bad(doc.error(line, f"named allele without a 'name': {str(allele)[:80]}", "name"))
        return None
    if not isinstance(bases, list) or len(bases) != len(variants):
        emitter.bad(doc.error(
            line, f"{gene} {name}: 'alleles' must list one base (or null) per variant; "
            f"expected {len(variants)}, got {len(bases) if isinstance(bases, list) else bases!r}", "alleles",
        ))  # fmt: skip
        return None
    cpic = allele.get("cpicAlleles") or [None] * len(variants)
    defining = [(v, str(b), c) for v, b, c in zip(variants, bases, cpic, strict=False) if b is not None]
    props: dict[str, PropValue] = {
        "gene": gene,
        "allele": name,
        "reference": bool(allele.get("reference")),
        "structural_variant": bool(allele.get("structuralVariant")),
        "chromosome": chromosome,
        "positions_grch38": [int(v["position"]) for v, _, _ in defining],
        "rsids": [str(v.get("rsid") or "") for v, _, _ in defining],
        "ref_alleles": [str(v["ref"]) for v, _, _ in defining],
        "alt_alleles": [b for _, b, _ in defining],
        "hgvs_g": [str(v.get("chromosomeHgvsName") or "") for v, _, _ in defining],
        "cpic_alleles": [str(c) if c is not None else "" for _, _, c in defining],
        **_function_props(table, name),
    }
    if build:
        props["genome_build"] = str(build)
    if isinstance(pharmgkb, str) and pharmgkb:
        props["pharmgkb_id"] = pharmgkb
    if hidden:
        props["hidden"] = True
    synonyms = (f"{gene} {name}",) if name.startswith("*") else ()
    prov = emitter.provenance(doc, pharmgkb or name, line)
    return Node(allele_id(gene, name), Label.ALLELE, allele_name(gene, name), synonyms, props, prov)


def single_allele_memberships(table: PhenotypeTable, emitter: Emitter) -> Iterator[Record]:
    """``Allele -[:MEMBER_OF]-> Phenotype`` where one allele alone decides the phenotype."""
    for entry in table.phenotypes.values():
        for name in dict.fromkeys(entry.single_alleles):
            prov = emitter.provenance(table.doc, entry.phenotype, table.doc.line_of("diplotype", name))
            yield Edge(allele_id(table.gene, name), RelType.MEMBER_OF, phenotype_id(table.gene, entry.phenotype),
                       provenance=prov)  # fmt: skip
