"""Rebuild the DGIdb starter bundle and test fixtures from the real files.

    .venv/bin/python scripts/data/dgidb.py --shared /work/shared/data

- ``loaders/starter/dgidb/civic_dgi.tsv.gz``: DGIdb's CIViC-derived claims (CC0), whole.
  The 2013 dump (DrugBank claims: CC BY-NC) and the CancerCommons claims (terms unstated)
  are never bundled.
- ``tests/data/dgidb/``: real rows cut from each layout (2013 dump, v4 sample, CIViC,
  CancerCommons) — a few KB each, for the tests only.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "dgidb"
FIXTURES = ROOT / "tests" / "data" / "dgidb"
# Genes whose rows the 2013 fixture keeps: one per claim source, plus targets the tests use.
DUMP_GENES = {"ABL1", "EGFR", "ERBB2", "BRAF", "KIT", "HTR2C", "F2", "CHEK1", "ESR1", "SLC5A2", "MC4R"}


def cut(source: Path, target: Path, keep: object, limit: int) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    body = [ln for ln in lines[1:] if keep(ln.split("\t"))][:limit]  # type: ignore[operator]
    target.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)} ({len(body)} rows, {target.stat().st_size:,} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    args = parser.parse_args()
    dgidb = args.shared / "drugs" / "dgidb"
    STARTER.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    civic = dgidb / "civic_dgi.tsv"
    with open(civic, "rb") as src, gzip.GzipFile(STARTER / "civic_dgi.tsv.gz", "wb", mtime=0) as dst:
        dst.write(src.read())
    print(f"wrote loaders/starter/dgidb/civic_dgi.tsv.gz ({(STARTER / 'civic_dgi.tsv.gz').stat().st_size:,} bytes)")

    per_source: dict[tuple[str, str], int] = {}

    def dump_row(fields: list[str]) -> bool:
        if fields[0] == "COX2":  # ambiguous alias (PTGS2 and MT-CO2): the tests expect it unresolved
            return True
        if fields[0] not in DUMP_GENES:
            return False
        key = (fields[0], fields[2])
        per_source[key] = per_source.get(key, 0) + 1
        return per_source[key] <= 4

    cut(dgidb / "interactions.tsv", FIXTURES / "interactions_2013.tsv", dump_row, 150)
    cut(civic, FIXTURES / "civic_dgi.tsv", lambda f: f[0] in {"ALK", "ABL1", "BRAF", "EGFR", "ERBB2"}, 60)
    cut(dgidb / "CancerCommons_INTERACTIONS.tsv", FIXTURES / "CancerCommons_INTERACTIONS.tsv", lambda f: True, 25)
    cut(dgidb / "cellbase_format_sample" / "dgidb.tsv", FIXTURES / "interactions_v4.tsv", lambda f: True, 5)


if __name__ == "__main__":
    main()
