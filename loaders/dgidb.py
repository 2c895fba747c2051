"""DGIdb: drug–gene interaction claims as ``Drug -[:TARGETS]-> Gene``.

Reads DGIdb's interaction tables in each layout it has published: the current
``interactions.tsv`` (v5: ``gene_concept_id``/``drug_concept_id``, with or without the
leading ``#`` lines), the v4 layout (``drug_chembl_id``, ``PMIDs``), the 2013 dump
(``entrez_gene_symbol``, ``interaction_claim_source``), and two source claim files DGIdb
imports (the CIViC-derived ``civic_dgi.tsv`` and CancerCommons' ``…_INTERACTIONS.tsv``).

Drugs keep the best schema id a row gives (ChEMBL, DrugBank, NCIt, RxNorm, IUPHAR);
otherwise ``PMKG:drug/<lower-case name>``, so that the same name from any source is one
node.  Genes resolve through :class:`loaders.genes.GeneResolver` (Entrez id first, then the
symbol); a gene it cannot resolve is counted in ``unresolved_genes`` and logged, never guessed.
The claims of one drug–gene pair are merged into one edge (every claim source, interaction
type, claim name and PubMed id kept as lists; one provenance entry per source line).

DGIdb aggregates sources under their own terms (DrugBank claims are CC BY-NC 4.0), so the
full tables are never bundled; only the CIViC-derived claims (CC0) ship as starter data.
"""

from __future__ import annotations

import importlib.resources
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from kg.errors import SourceFileError
from kg.identifiers import drug_id_from_name
from kg.records import Edge, Node, Provenance, Record
from kg.schema import Label, RelType
from loaders.base import SourceSpec, read_table
from loaders.genes import GeneResolver, GeneResolvingLoader

logger = logging.getLogger(__name__)

CIVIC_DGI_VERSION = "2015-08-23"
STARTER_FILE = "civic_dgi.tsv.gz"
# DGIdb's concept-id prefixes → the schema's Drug prefixes (display form), best first.
DRUG_PREFIXES = {
    "chembl": "CHEMBL.COMPOUND",
    "drugbank": "DRUGBANK",
    "ncit": "NCIT",
    "rxcui": "RXNORM",
    "rxnorm": "RXNORM",
    "iuphar.ligand": "IUPHAR.LIGAND",
}
_RANK = {prefix: rank for rank, prefix in enumerate(dict.fromkeys(DRUG_PREFIXES.values()))}
_MISSING = {"", "n/a", "na", "null", "none", "-"}
_SPLIT = re.compile(r"[|,;]")
# v5 drug flags: (property, column) for both v5 header spellings.
_V5_FLAGS = (
    ("approved", "approved"),
    ("approved", "drug_is_approved"),
    ("immunotherapy", "immunotherapy"),
    ("immunotherapy", "drug_is_immunotherapy"),
    ("anti_neoplastic", "anti_neoplastic"),
    ("anti_neoplastic", "drug_is_antineoplastic"),
)


@dataclass
class Claim:
    """One source row: a drug, a gene and how the source says they interact."""

    line: int
    record_id: str
    gene_symbol: str
    drug_name: str
    claim_source: str
    entrez_id: str = ""
    hgnc_id: str = ""
    drug_curie: str = ""
    drug_synonyms: tuple[str, ...] = ()
    interaction_types: tuple[str, ...] = ()
    pmids: tuple[str, ...] = ()
    score: float | None = None
    drug_props: dict[str, Any] = field(default_factory=dict)


def _value(text: str | None) -> str:
    text = (text or "").strip()
    return "" if text.lower() in _MISSING else text


def _types(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (_value(p).lower() for p in _SPLIT.split(text or "")) if t))


def _bool(text: str | None) -> bool | None:
    value = _value(text).lower()
    return {"true": True, "t": True, "false": False, "f": False}.get(value)


def drug_curie(concept_id: str) -> str:
    """``chembl:CHEMBL413`` → ``CHEMBL.COMPOUND:CHEMBL413``; "" when the prefix is not a schema Drug prefix."""
    prefix, sep, local = _value(concept_id).partition(":")
    display = DRUG_PREFIXES.get(prefix.lower())
    if not sep or not local or display is None:
        return ""
    if display == "CHEMBL.COMPOUND" and local.upper().startswith("CHEMBL.COMPOUND:"):
        local = local.split(":", 1)[1]
    return f"{display}:{local.upper() if display in ('CHEMBL.COMPOUND', 'NCIT', 'DRUGBANK') else local}"


# ---------------------------------------------------------------------------- layouts


def _v5(line: int, row: Mapping[str, str]) -> Claim:
    claim_name = _value(row["drug_claim_name"])
    name = _value(row["drug_name"]) or claim_name
    props: dict[str, Any] = {}
    for key, column in _V5_FLAGS:
        flag = _bool(row.get(column))
        if flag is not None:
            props[key] = flag
    score = _value(row.get("interaction_score"))
    concept = _value(row["gene_concept_id"])
    return Claim(
        line=line,
        record_id=claim_name or name,
        gene_symbol=_value(row["gene_name"]) or _value(row["gene_claim_name"]),
        hgnc_id=concept.upper() if concept.lower().startswith("hgnc:") else "",
        drug_name=name,
        drug_curie=drug_curie(row["drug_concept_id"]),
        drug_synonyms=(claim_name,) if claim_name and claim_name != name else (),
        claim_source=_value(row["interaction_source_db_name"]),
        interaction_types=_types(row.get("interaction_type", row.get("interaction_types"))),
        score=float(score) if score else None,
        drug_props=props,
    )


def _v4(line: int, row: Mapping[str, str]) -> Claim:
    claim_name = _value(row["drug_claim_name"])
    name = _value(row["drug_name"]) or _value(row["drug_claim_primary_name"]) or claim_name
    chembl = _value(row["drug_chembl_id"])
    synonyms = (claim_name, _value(row["drug_claim_primary_name"]))
    return Claim(
        line=line,
        record_id=claim_name or name,
        gene_symbol=_value(row["gene_name"]) or _value(row["gene_claim_name"]),
        entrez_id=_value(row["entrez_id"]),
        drug_name=name,
        drug_curie=f"CHEMBL.COMPOUND:{chembl.upper()}" if chembl else "",
        drug_synonyms=tuple(s for s in dict.fromkeys(synonyms) if s and s != name),
        claim_source=_value(row["interaction_claim_source"]),
        interaction_types=_types(row["interaction_types"]),
        pmids=tuple(p for p in (_value(x) for x in _SPLIT.split(row.get("PMIDs", ""))) if p),
    )


def _dump_2013(line: int, row: Mapping[str, str]) -> Claim:
    source = _value(row["interaction_claim_source"])
    claim_id = _value(row["drug_name"])
    name = _value(row["drug_primary_name"]) or claim_id
    props: dict[str, Any] = {}
    curie = ""
    if source == "DrugBank" and re.fullmatch(r"DB\d{5}", claim_id):
        curie = f"DRUGBANK:{claim_id}"
    elif source == "PharmGKB" and claim_id.startswith("PA"):
        props["pharmgkb_id"] = claim_id
    elif source == "TTD" and re.fullmatch(r"D[A-Z]{2}\d+", claim_id):
        props["ttd_id"] = claim_id
    return Claim(
        line=line,
        record_id=claim_id or name,
        gene_symbol=_value(row["entrez_gene_symbol"]),
        drug_name=name,
        drug_curie=curie,
        drug_synonyms=(claim_id,) if claim_id and claim_id != name and not props and not curie else (),
        claim_source=source,
        interaction_types=_types(row["interaction_types"]),
        drug_props=props,
    )


def _civic(line: int, row: Mapping[str, str]) -> Claim:
    name = _value(row["drug_name"])
    return Claim(
        line=line,
        record_id=name,
        gene_symbol=_value(row["gene_symbol"]),
        entrez_id=_value(row["entrez_gene_id"]),
        drug_name=name,
        claim_source="CIViC",
        interaction_types=_types(row["interaction_type"]),
    )


def _cancer_commons(line: int, row: Mapping[str, str]) -> Claim:
    name = _value(row["primary_drug_name"]) or _value(row["pubchem_drug_name"])
    others = (
        _value(row["drug_trade_name"]),
        _value(row["drug_development_name"]),
        _value(row["pubchem_drug_name"]),
        *(_value(s) for s in re.split(r"[/,]", row["source_reported_drug_name"])),
    )
    props: dict[str, Any] = {}
    for key, column in (
        ("pubchem_cid", "pubchem_drug_id"),
        ("drug_class", "drug_class"),
        ("developer", "pharmaceutical_developer"),
    ):
        if _value(row.get(column)):
            props[key] = _value(row[column])
    return Claim(
        line=line,
        record_id=name,
        gene_symbol=_value(row["primary_gene_name"]),
        entrez_id=_value(row["entrez_gene_id"]),
        drug_name=name,
        drug_synonyms=tuple(s for s in dict.fromkeys(others) if s and s.lower() != name.lower()),
        claim_source=_value(row["data_source"]) or "CancerCommons",
        interaction_types=_types(row["interaction_type"]),
        drug_props=props,
    )


@dataclass(frozen=True)
class Layout:
    name: str
    required: tuple[str, ...]
    parse: Callable[[int, Mapping[str, str]], Claim]


LAYOUTS = (
    Layout(
        "v5",
        (
            "gene_claim_name",
            "gene_concept_id",
            "gene_name",
            "drug_claim_name",
            "drug_concept_id",
            "drug_name",
            "interaction_source_db_name",
        ),
        _v5,
    ),
    Layout(
        "v4",
        (
            "gene_name",
            "gene_claim_name",
            "entrez_id",
            "interaction_claim_source",
            "interaction_types",
            "drug_claim_name",
            "drug_claim_primary_name",
            "drug_name",
            "drug_chembl_id",
        ),
        _v4,
    ),
    Layout(
        "2013",
        (
            "entrez_gene_symbol",
            "gene_long_name",
            "interaction_claim_source",
            "interaction_types",
            "drug_name",
            "drug_primary_name",
        ),
        _dump_2013,
    ),
    Layout("civic", ("gene_symbol", "entrez_gene_id", "drug_name", "interaction_type"), _civic),
    Layout(
        "cancercommons",
        (
            "primary_gene_name",
            "entrez_gene_id",
            "pubchem_drug_id",
            "pubchem_drug_name",
            "source_reported_drug_name",
            "drug_trade_name",
            "drug_development_name",
            "primary_drug_name",
            "interaction_type",
            "data_source",
        ),
        _cancer_commons,
    ),
)


def detect_layout(path: Path) -> Layout:
    """The layout whose columns the file's header has; SourceFileError naming them all if none."""
    from loaders.base import open_text

    header: list[str] = []
    number = 0
    with open_text(path) as handle:
        for raw in handle:
            number += 1
            if raw.startswith("#") and not raw.startswith("#gene") and "\t" not in raw:
                continue
            header = raw.rstrip("\r\n").split("\t")
            break
        else:
            raise SourceFileError(str(path), None, "file is empty; expected a DGIdb interactions header")
    for layout in LAYOUTS:
        if all(column in header for column in layout.required):
            return layout
    expected = "; ".join(f"{layout.name}: {list(layout.required[:4])}…" for layout in LAYOUTS)
    raise SourceFileError(str(path), number, f"not a DGIdb interactions table; found {header[:8]}; expected {expected}")


# ---------------------------------------------------------------------------- loader


class DgidbLoader(GeneResolvingLoader):
    """Drug–gene interaction claims from a DGIdb interactions table (any published layout)."""

    spec = SourceSpec(
        name="dgidb",
        title="DGIdb — the Drug Gene Interaction Database",
        license="LicenseRef-DGIdb-mixed (per claim source; DrugBank claims CC-BY-NC-4.0)",
        license_url="https://www.dgidb.org/about",
        redistributable=False,
        homepage="https://www.dgidb.org/",
        files={"interactions": "https://dgidb.org/data/latest/interactions.tsv"},
        attribution="DGIdb (Cannon et al., Nucleic Acids Research 2024) and its claim sources.",
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        genes: GeneResolver | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows, genes=genes)
        self.unresolved_genes: Counter[str] = Counter()

    def claims(self) -> Iterator[Claim]:
        """The rows of the interactions file as claims (bad rows raise or are skipped)."""
        path = self.paths["interactions"]
        layout = detect_layout(path)
        for line, row in read_table(path, layout.required, comment="#", on_bad=self.bad):
            try:
                claim = layout.parse(line, row)
            except ValueError as exc:
                self.bad(SourceFileError(str(path), line, f"unreadable value ({exc})", field="interaction_score"))
                continue
            if not claim.drug_name or (not claim.gene_symbol and not claim.hgnc_id):
                self.bad(SourceFileError(str(path), line, "expected a gene and a drug name; one is empty"))
                continue
            yield claim

    def _gene_id(self, claim: Claim) -> str | None:
        if claim.hgnc_id and claim.hgnc_id in self.genes:
            return claim.hgnc_id
        by_entrez = self.genes.by_entrez(claim.entrez_id) if claim.entrez_id else None
        return by_entrez or self.genes.resolve(claim.gene_symbol)

    def parse(self) -> Iterator[Record]:
        self.unresolved_genes.clear()
        claims: list[tuple[Claim, str]] = []
        best_id: dict[str, str] = {}  # lower-case drug name → best drug id the file gives it
        for claim in self.claims():
            gene_id = self._gene_id(claim)
            if gene_id is None:
                self.unresolved_genes[claim.gene_symbol or claim.hgnc_id] += 1
                continue
            claims.append((claim, gene_id))
            key = claim.drug_name.lower()
            current = best_id.get(key)
            if claim.drug_curie and (current is None or _rank(claim.drug_curie) < _rank(current)):
                best_id[key] = claim.drug_curie
        if self.unresolved_genes:
            logger.warning(
                "%s: %d claims name %d genes that resolve to no single HGNC gene (e.g. %s)",
                self.spec.name,
                sum(self.unresolved_genes.values()),
                len(self.unresolved_genes),
                ", ".join(sorted(self.unresolved_genes)[:5]),
            )
        yield from self._records(claims, best_id)

    def _records(self, claims: list[tuple[Claim, str]], best_id: dict[str, str]) -> Iterator[Record]:
        genes_seen: set[str] = set()
        drugs_seen: set[tuple[str, tuple[str, ...], tuple[tuple[str, Any], ...]]] = set()
        edges: dict[tuple[str, str], dict[str, Any]] = {}
        for claim, gene_id in claims:
            drug_id = best_id.get(claim.drug_name.lower()) or drug_id_from_name(claim.drug_name)
            provenance = self.provenance(claim.record_id, claim.line)
            if gene_id not in genes_seen:
                genes_seen.add(gene_id)
                symbol = self.genes.symbol(gene_id)
                yield Node(gene_id, Label.GENE, symbol, props={"symbol": symbol}, provenance=provenance)
            synonyms = tuple(s for s in claim.drug_synonyms if s != claim.drug_name)
            if claim.drug_curie and claim.drug_curie != drug_id:
                synonyms += (claim.drug_curie,)
            drug_key = (drug_id, synonyms, tuple(sorted(claim.drug_props.items())))
            if drug_key not in drugs_seen:
                drugs_seen.add(drug_key)
                yield Node(drug_id, Label.DRUG, claim.drug_name, synonyms, dict(claim.drug_props), provenance)
            edge = edges.setdefault(
                (drug_id, gene_id),
                {"provenance": [], "types": {}, "sources": {}, "names": {}, "pmids": {}, "score": None},
            )
            edge["provenance"].append(provenance[0])
            edge["types"].update(dict.fromkeys(claim.interaction_types))
            edge["sources"][claim.claim_source] = None
            edge["names"][claim.record_id] = None
            edge["pmids"].update(dict.fromkeys(claim.pmids))
            if claim.score is not None:
                edge["score"] = max(claim.score, edge["score"] or claim.score)
        for (drug_id, gene_id), data in edges.items():
            yield _edge(drug_id, gene_id, data)


def _rank(curie: str) -> int:
    return _RANK.get(curie.partition(":")[0], len(_RANK))


def _edge(drug_id: str, gene_id: str, data: dict[str, Any]) -> Edge:
    props: dict[str, Any] = {
        "claim_sources": [s for s in data["sources"] if s],
        "drug_claim_names": list(data["names"]),
        "claims": len(data["provenance"]),
    }
    if data["types"]:
        props["interaction_types"] = list(data["types"])
    if data["pmids"]:
        props["pmids"] = list(data["pmids"])
    if data["score"] is not None:
        props["interaction_score"] = data["score"]
    provenance: tuple[Provenance, ...] = tuple(dict.fromkeys(data["provenance"]))
    return Edge(drug_id, RelType.TARGETS, gene_id, props, provenance)


class CivicDgiLoader(DgidbLoader):
    """DGIdb's CIViC-derived claims (CC0): the part of DGIdb pmkg may ship."""

    spec = SourceSpec(
        name="dgidb_civic",
        title="DGIdb CIViC-derived drug–gene claims",
        license="CC0-1.0",
        license_url="https://creativecommons.org/publicdomain/zero/1.0/",
        redistributable=True,
        homepage="https://www.dgidb.org/",
        files={
            "interactions": "https://raw.githubusercontent.com/dgidb/dgidb/e1ae10b0483512ca8d29b2363db99799c553602d/"
            "lib/genome/importers/civic_dump/civic_dgi.tsv"
        },
        attribution="CIViC (CC0) via DGIdb.",
    )

    @classmethod
    def starter(cls) -> Self:
        """The loader on the bundled CIViC-derived claims file (DGIdb, 2015-08-23)."""
        folder = importlib.resources.files("loaders") / "starter" / "dgidb"
        return cls({"interactions": Path(str(folder / STARTER_FILE))}, version=CIVIC_DGI_VERSION)
