"""Genes: HGNC symbols, aliases and ids, with MANE transcripts and GRCh38 coordinates.

Reads the HGNC gene table in any of its published layouts (the REST/download JSON
``{"response": {"docs": [...]}}``, ``hgnc_complete_set.txt`` with snake_case columns and
``|``-separated lists, or the custom-download TSV with "Approved symbol" columns and
``, ``-separated lists) and the MANE summary table, and yields one ``Gene`` node per MANE
gene (``HGNC:n``, named by its approved symbol, aliases and previous symbols as synonyms).

:class:`GeneResolver` turns what other sources write (symbols, aliases, previous symbols,
Entrez ids) into HGNC CURIEs; every loader resolves genes through it.  It must never guess:
an alias shared by several genes resolves to nothing (see :meth:`GeneResolver.candidates`).

>>> genes = GeneResolver.bundled()
>>> genes.resolve("her2"), genes.symbol("HGNC:3430"), genes.by_entrez("673")
('HGNC:3430', 'ERBB2', 'HGNC:1097')
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

from kg.errors import SourceFileError
from kg.records import Node, Record
from kg.schema import Label
from loaders.base import Loader, SourceSpec, open_text, read_table

HGNC_VERSION = "2024-07-23"
MANE_VERSION = "1.5"
STARTER_HGNC = "hgnc_compact.tsv.gz"
STARTER_MANE = "MANE.GRCh38.v1.5.summary.txt.gz"

# hgnc_complete_set.txt columns (the bundled compact table uses a subset of them).
COMPLETE_SET_REQUIRED = ("hgnc_id", "symbol", "name", "status", "alias_symbol", "prev_symbol", "entrez_id")
# HGNC custom-download columns (www.genenames.org/download/custom).
CUSTOM_REQUIRED = ("HGNC ID", "Approved symbol", "Approved name", "Status", "Alias symbols", "Previous symbols")
CUSTOM_COLUMNS = {
    "HGNC ID": "hgnc_id",
    "Approved symbol": "symbol",
    "Approved name": "name",
    "Status": "status",
    "Alias symbols": "alias_symbol",
    "Previous symbols": "prev_symbol",
    "NCBI Gene ID(supplied by NCBI)": "entrez_id",
    "NCBI Gene ID": "entrez_id",
    "Ensembl gene ID": "ensembl_gene_id",
    "Ensembl ID(supplied by Ensembl)": "ensembl_gene_id",
    "UniProt ID(supplied by UniProt)": "uniprot_ids",
    "Locus type": "locus_type",
    "Locus group": "locus_group",
    "Chromosome": "location",
}
MANE_REQUIRED = (
    "#NCBI_GeneID", "Ensembl_Gene", "HGNC_ID", "symbol", "name", "RefSeq_nuc", "RefSeq_prot",
    "Ensembl_nuc", "Ensembl_prot", "MANE_status", "GRCh38_chr", "chr_start", "chr_end", "chr_strand",
)  # fmt: skip
_HGNC_ID = re.compile(r"^HGNC:\d+$")
_REFSEQ_CHROM = re.compile(r"^NC_0000(\d\d)\.\d+$")


@dataclass(frozen=True, slots=True)
class GeneEntry:
    """One approved HGNC gene as the resolver and the loader need it."""

    hgnc_id: str
    symbol: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()
    entrez_id: str = ""
    ensembl_gene_id: str = ""
    locus_type: str = ""
    locus_group: str = ""
    location: str = ""
    uniprot_ids: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- file reading


def _peek(path: Path) -> str:
    try:
        with open_text(path) as handle:
            return handle.read(4096)
    except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
        raise SourceFileError(str(path), 1, f"cannot read the file ({exc}); is the download truncated?") from exc


# ---------------------------------------------------------------------------- HGNC table


def _split(value: str, sep: str) -> tuple[str, ...]:
    if not value:
        return ()
    value = value.strip().strip('"')
    return tuple(v.strip() for v in value.split(sep) if v.strip()) if value else ()


def _tsv_entry(row: Mapping[str, str], sep: str) -> GeneEntry:
    """Fast path of :func:`_entry` for table rows (44k rows load in a fraction of a second)."""
    get = row.get
    return GeneEntry(
        hgnc_id=get("hgnc_id", "").strip('"'),
        symbol=get("symbol", "").strip('"'),
        name=get("name", "").strip('"'),
        aliases=_split(get("alias_symbol", ""), sep),
        previous=_split(get("prev_symbol", ""), sep),
        entrez_id=get("entrez_id", "").strip('"'),
        ensembl_gene_id=get("ensembl_gene_id", "").strip('"'),
        locus_type=get("locus_type", "").strip('"'),
        locus_group=get("locus_group", "").strip('"'),
        location=get("location", "").strip('"'),
        uniprot_ids=_split(get("uniprot_ids", ""), sep),
    )


def _entry(row: Mapping[str, Any], sep: str) -> GeneEntry:
    def text(key: str) -> str:
        value = row.get(key, "")
        return str(value).strip().strip('"') if value is not None else ""

    def many(key: str) -> tuple[str, ...]:
        value = row.get(key)
        if isinstance(value, list):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return _split(str(value or ""), sep)

    return GeneEntry(
        hgnc_id=text("hgnc_id"),
        symbol=text("symbol"),
        name=text("name"),
        aliases=many("alias_symbol"),
        previous=many("prev_symbol"),
        entrez_id=text("entrez_id"),
        ensembl_gene_id=text("ensembl_gene_id"),
        locus_type=text("locus_type"),
        locus_group=text("locus_group"),
        location=text("location"),
        uniprot_ids=many("uniprot_ids"),
    )


def read_hgnc(
    path: Path, *, on_bad: Callable[[SourceFileError], None] | None = None
) -> Iterator[tuple[int | None, GeneEntry]]:
    """Yield ``(line or None, entry)`` for every *approved* gene of an HGNC table (any layout).

    Withdrawn entries are skipped: their symbols live on as previous symbols of the gene
    that replaced them.  A malformed row raises (or goes to ``on_bad``) SourceFileError.
    """
    head = _peek(path)
    if head.lstrip().startswith("{"):
        yield from _read_hgnc_json(path)
        return
    header = head.splitlines()[0].split("\t") if head else []
    required: tuple[str, ...]
    if "hgnc_id" in header:
        required, columns, sep = COMPLETE_SET_REQUIRED, None, "|"
    elif "HGNC ID" in header:
        required, columns, sep = CUSTOM_REQUIRED, CUSTOM_COLUMNS, ","
    else:
        raise SourceFileError(
            str(path), 1, f"not an HGNC gene table: expected a header with {list(COMPLETE_SET_REQUIRED)} "
            f"(hgnc_complete_set.txt) or {list(CUSTOM_REQUIRED)} (custom download); found {header[:8]}"
        )  # fmt: skip
    for line, raw in read_table(path, required, on_bad=on_bad):
        row = {columns.get(k, k): v for k, v in raw.items()} if columns else raw
        if row.get("status", "").strip('"') != "Approved":
            continue
        entry = _tsv_entry(row, sep)
        if not _HGNC_ID.match(entry.hgnc_id) or not entry.symbol:
            error = SourceFileError(
                str(path), line, f"expected an HGNC id like HGNC:1097 and a symbol; got {entry.hgnc_id!r}, "
                f"{entry.symbol!r}", field="hgnc_id",
            )  # fmt: skip
            if on_bad is None:
                raise error
            on_bad(error)
            continue
        yield line, entry


def _read_hgnc_json(path: Path) -> Iterator[tuple[int | None, GeneEntry]]:
    try:
        with open_text(path) as handle:
            data = json.load(handle)
        docs = data["response"]["docs"]
    except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
        raise SourceFileError(str(path), None, f"cannot read the file ({exc}); is the download truncated?") from exc
    except json.JSONDecodeError as exc:
        raise SourceFileError(str(path), exc.lineno, f"not valid JSON ({exc.msg}); is the file truncated?") from exc
    except (KeyError, TypeError) as exc:
        raise SourceFileError(str(path), None, 'expected HGNC JSON {"response": {"docs": [...]}}') from exc
    for doc in docs:
        if not isinstance(doc, dict) or doc.get("status") != "Approved":
            continue
        entry = _entry({**doc, "uniprot_ids": doc.get("uniprot_ids", [])}, "|")
        if not _HGNC_ID.match(entry.hgnc_id) or not entry.symbol:
            raise SourceFileError(str(path), None, f"HGNC doc without hgnc_id/symbol: {entry.hgnc_id!r}")
        yield None, entry


# ---------------------------------------------------------------------------- resolver


class GeneResolver:
    """Symbol, alias, previous symbol or Entrez id → HGNC CURIE, case-insensitively.

    Precedence: an approved symbol always wins; then a previous symbol of exactly one gene;
    then an alias of exactly one gene.  A text that several genes share at the deciding tier
    is ambiguous and resolves to ``None``; :meth:`candidates` lists the genes it could be.
    """

    def __init__(self, entries: Iterable[GeneEntry]) -> None:
        self._entries: dict[str, GeneEntry] = {}
        self._approved: dict[str, str] = {}
        self._previous: dict[str, list[str]] = {}
        self._alias: dict[str, list[str]] = {}
        self._entrez: dict[str, str] = {}
        self._ensembl: dict[str, str] = {}
        for entry in entries:
            self._entries[entry.hgnc_id] = entry
            self._approved[entry.symbol.upper()] = entry.hgnc_id
            for symbol in entry.previous:
                _add(self._previous, symbol.upper(), entry.hgnc_id)
            for symbol in entry.aliases:
                _add(self._alias, symbol.upper(), entry.hgnc_id)
            if entry.entrez_id:
                self._entrez[entry.entrez_id] = entry.hgnc_id
            if entry.ensembl_gene_id:
                self._ensembl[entry.ensembl_gene_id] = entry.hgnc_id

    @classmethod
    def from_file(cls, path: Path) -> Self:
        """A resolver over an HGNC table in any layout :func:`read_hgnc` reads."""
        return cls(entry for _, entry in read_hgnc(path))

    @classmethod
    @functools.cache
    def bundled(cls) -> Self:
        """The resolver over the HGNC table shipped with pmkg (loaded once per process)."""
        with importlib.resources.as_file(_starter_dir() / STARTER_HGNC) as path:
            return cls.from_file(path)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, hgnc_id: object) -> bool:
        return hgnc_id in self._entries

    def resolve(self, text: str) -> str | None:
        """The HGNC id of a symbol, previous symbol or alias (or an HGNC id); None if unknown or ambiguous."""
        key = text.strip().upper()
        if key in self._approved:
            return self._approved[key]
        if _HGNC_ID.match(key):
            return key if key in self._entries else None
        for index in (self._previous, self._alias):
            ids = index.get(key)
            if ids:
                return ids[0] if len(ids) == 1 else None
        return None

    def candidates(self, text: str) -> tuple[str, ...]:
        """Every gene ``text`` may name, best first (approved symbol, previous symbols, aliases)."""
        key = text.strip().upper()
        out: list[str] = []
        for ids in ([self._approved.get(key, "")], self._previous.get(key, []), self._alias.get(key, [])):
            out.extend(i for i in ids if i and i not in out)
        return tuple(out)

    def is_ambiguous(self, text: str) -> bool:
        return self.resolve(text) is None and len(self.candidates(text)) > 1

    def by_entrez(self, entrez_id: str | int) -> str | None:
        """HGNC id of an NCBI Gene id (``673``, ``"673"``, ``"GeneID:673"``, ``"NCBIGene:673"``)."""
        key = str(entrez_id).strip().rpartition(":")[2]
        return self._entrez.get(key)

    def by_ensembl(self, ensembl_gene_id: str) -> str | None:
        """HGNC id of an Ensembl gene id, with or without its version suffix."""
        return self._ensembl.get(ensembl_gene_id.strip().split(".")[0])

    def symbol(self, hgnc_id: str) -> str:
        """The approved symbol of ``hgnc_id``; KeyError if the id is not an approved gene."""
        entry = self._entries.get(hgnc_id)
        if entry is None:
            raise KeyError(f"{hgnc_id!r} is not an approved HGNC gene in this table")
        return entry.symbol

    def entry(self, hgnc_id: str) -> GeneEntry | None:
        return self._entries.get(hgnc_id)

    def entries(self) -> Iterator[GeneEntry]:
        return iter(self._entries.values())


def _add(index: dict[str, list[str]], key: str, value: str) -> None:
    ids = index.setdefault(key, [])
    if value not in ids:
        ids.append(value)


def _starter_dir() -> Any:
    return importlib.resources.files("loaders") / "starter" / "genes"


# ---------------------------------------------------------------------------- loader


class GenesLoader(Loader):
    """Gene nodes from the MANE summary, named and aliased from the HGNC table.

    One node per MANE gene with an HGNC id; ``include_non_mane=True`` also yields every other
    approved HGNC gene (pseudogenes, most non-coding RNAs) without coordinates.
    """

    spec = SourceSpec(
        name="genes",
        title="HGNC gene nomenclature with MANE Select transcripts",
        license="CC0-1.0",
        license_url="https://www.genenames.org/about/license/",
        redistributable=True,
        homepage="https://www.genenames.org/",
        files={
            "hgnc": "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt",
            "mane": "https://ftp.ncbi.nlm.nih.gov/refseq/MANE/MANE_human/release_1.5/MANE.GRCh38.v1.5.summary.txt.gz",
        },
        attribution="HGNC (CC0); MANE by NCBI and EMBL-EBI (public domain).",
    )

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        include_non_mane: bool = False,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows)
        self.include_non_mane = include_non_mane

    @classmethod
    def starter(cls) -> Self:
        """The loader on the bundled HGNC table and MANE v1.5 summary."""
        folder = Path(str(_starter_dir()))
        return cls(
            {"hgnc": folder / STARTER_HGNC, "mane": folder / STARTER_MANE},
            version=f"HGNC {HGNC_VERSION}; MANE v{MANE_VERSION}",
        )

    def parse(self) -> Iterator[Record]:
        hgnc_lines: dict[str, int | None] = {}
        entries: dict[str, GeneEntry] = {}
        for line, entry in read_hgnc(self.paths["hgnc"], on_bad=self.bad):
            entries[entry.hgnc_id] = entry
            hgnc_lines[entry.hgnc_id] = line
        seen: set[str] = set()
        for gene_rows in self._mane_genes():
            hgnc_id = gene_rows[0][1]["HGNC_ID"]
            node = self._mane_node(gene_rows, entries.get(hgnc_id), hgnc_lines.get(hgnc_id))
            if node is not None:
                seen.add(node.id)
                yield node
        if self.include_non_mane:
            for hgnc_id, other in entries.items():
                if hgnc_id not in seen:
                    yield self._node(other, {}, self.provenance(hgnc_id, hgnc_lines[hgnc_id]))

    def _mane_genes(self) -> Iterator[list[tuple[int, dict[str, str]]]]:
        """MANE rows grouped by gene (a gene's Select and Plus Clinical rows are adjacent)."""
        group: list[tuple[int, dict[str, str]]] = []
        for line, row in read_table(self.paths["mane"], MANE_REQUIRED, on_bad=self.bad):
            if not row["HGNC_ID"]:
                continue  # MANE genes without an HGNC id (LOC…) cannot be Gene nodes
            if not _HGNC_ID.match(row["HGNC_ID"]):
                self.bad(SourceFileError(
                    str(self.paths["mane"]), line, f"expected an HGNC id like HGNC:1097, got {row['HGNC_ID']!r}",
                    field="HGNC_ID",
                ))  # fmt: skip
                continue
            if group and group[0][1]["HGNC_ID"] != row["HGNC_ID"]:
                yield group
                group = []
            group.append((line, row))
        if group:
            yield group

    def _mane_node(
        self, rows: list[tuple[int, dict[str, str]]], entry: GeneEntry | None, hgnc_line: int | None
    ) -> Node | None:
        select = next(((ln, r) for ln, r in rows if r["MANE_status"] == "MANE Select"), rows[0])
        line, row = select
        path = str(self.paths["mane"])
        try:
            start, end = int(row["chr_start"]), int(row["chr_end"])
        except ValueError:
            self.bad(SourceFileError(path, line, f"expected integer coordinates, got {row['chr_start']!r}-"
                                     f"{row['chr_end']!r}", field="chr_start"))  # fmt: skip
            return None
        if row["chr_strand"] not in ("+", "-"):
            self.bad(SourceFileError(path, line, f"expected strand + or -, got {row['chr_strand']!r}",
                                     field="chr_strand"))  # fmt: skip
            return None
        props: dict[str, Any] = {
            "assembly": "GRCh38",
            "refseq_sequence": row["GRCh38_chr"],
            "start": start,
            "end": end,
            "strand": row["chr_strand"],
        }
        chrom = _chromosome(row["GRCh38_chr"])
        if chrom:
            props["chromosome"] = chrom
        if row["MANE_status"] == "MANE Select":
            props |= {
                "mane_select_refseq": row["RefSeq_nuc"],
                "mane_select_refseq_protein": row["RefSeq_prot"],
                "mane_select_ensembl": row["Ensembl_nuc"],
                "mane_select_ensembl_protein": row["Ensembl_prot"],
            }
        plus = [r for _, r in rows if r["MANE_status"] == "MANE Plus Clinical"]
        if plus:
            props["mane_plus_clinical_refseq"] = [r["RefSeq_nuc"] for r in plus]
            props["mane_plus_clinical_ensembl"] = [r["Ensembl_nuc"] for r in plus]
        if entry is None:  # a gene newer than the HGNC table: MANE names it
            entry = GeneEntry(row["HGNC_ID"], row["symbol"], row["name"])
        elif entry.symbol != row["symbol"]:  # renamed after one of the two releases
            entry = replace(entry, previous=(*entry.previous, row["symbol"]))
        props.setdefault("entrez_id", row["#NCBI_GeneID"].removeprefix("GeneID:"))
        props.setdefault("ensembl_gene_id", row["Ensembl_Gene"].split(".")[0])
        provenance = self.provenance(entry.hgnc_id, line)
        if hgnc_line is not None:
            provenance += self.provenance(entry.hgnc_id, hgnc_line)
        return self._node(entry, props, provenance)

    def _node(self, entry: GeneEntry, coords: dict[str, Any], provenance: Any) -> Node:
        props: dict[str, Any] = {"symbol": entry.symbol, **coords}
        for key, value in (
            ("full_name", entry.name),
            ("entrez_id", entry.entrez_id),
            ("ensembl_gene_id", entry.ensembl_gene_id),
            ("locus_type", entry.locus_type),
            ("locus_group", entry.locus_group),
            ("cytoband", entry.location),
        ):
            if value:
                props[key] = value
        if entry.aliases:
            props["alias_symbols"] = list(entry.aliases)
        if entry.previous:
            props["previous_symbols"] = list(entry.previous)
        if entry.uniprot_ids:
            props["uniprot_ids"] = list(entry.uniprot_ids)
        synonyms = tuple(dict.fromkeys(s for s in (*entry.aliases, *entry.previous) if s != entry.symbol))
        return Node(entry.hgnc_id, Label.GENE, entry.symbol, synonyms, props, provenance)


def _chromosome(accession: str) -> str:
    """``NC_000017.11`` → ``17``; X, Y and MT by name; "" for scaffolds (NT_/NW_)."""
    if accession.startswith("NC_012920"):
        return "MT"
    match = _REFSEQ_CHROM.match(accession)
    if not match:
        return ""
    number = int(match.group(1))
    return {23: "X", 24: "Y"}.get(number, str(number))


class GeneResolvingLoader(Loader):
    """A loader whose source names genes by symbol or Entrez id; ``genes`` resolves them to HGNC.

    ``genes`` is given (tests, or one resolver shared by several loaders) or, by default, the
    resolver over the bundled HGNC table, loaded on first use.
    """

    def __init__(
        self,
        paths: Mapping[str, Path],
        *,
        version: str,
        skip_bad_rows: bool = False,
        genes: GeneResolver | None = None,
    ) -> None:
        super().__init__(paths, version=version, skip_bad_rows=skip_bad_rows)
        self._genes = genes

    @property
    def genes(self) -> GeneResolver:
        if self._genes is None:
            self._genes = GeneResolver.bundled()
        return self._genes
