"""Rebuild pmkg's cancer-hotspot residue table from the real cancerhotspots.org v2 file.

    .venv/bin/python scripts/data/hotspots.py --shared /work/shared/data

Reads ``moalmanac/datasources/hotspots_v2.txt`` (cancerhotspots.org v2, Chang et al. 2018,
Cancer Discovery 8:174; as shipped in vanallenlab/moalmanac ``datasources/cancerhotspots``;
one row per hotspot residue and observed variant residue) and writes
``kg/data/cancer_hotspots.tsv``: one row per single-residue hotspot (gene, protein position,
reference residue, mutations observed there).  Splice-site "hotspots" (``X200_splice``) are left
out: a canonical splice change is classed by its consequence, not by recurrence.  The table is
facts (which residues are recurrently mutated), with attribution in ``loaders/starter/NOTICE.md``.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "kg" / "data" / "cancer_hotspots.tsv"
HEADER = "# cancerhotspots.org v2 (Chang et al. 2018) single-residue hotspots; rebuilt by scripts/data/hotspots.py\n"


def hotspot_rows(source: Path) -> list[tuple[str, int, str, int]]:
    text = source.read_text(encoding="utf-8")
    rows: dict[tuple[str, int], tuple[str, int]] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        position = row["Amino_Acid_Position"].strip()
        if not re.fullmatch(r"\d+", position):
            continue
        residue = row["Reference_Amino_Acid"].partition(":")[0]
        if not re.fullmatch(r"[A-Z]", residue):
            continue
        rows[(row["Hugo_Symbol"].strip(), int(position))] = (residue, int(row["Mutation_Count"]))
    return sorted((gene, pos, ref, count) for (gene, pos), (ref, count) in rows.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    rows = hotspot_rows(args.shared / "moalmanac" / "datasources" / "hotspots_v2.txt")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with open(TARGET, "w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write("gene\tposition\treference_residue\tmutation_count\n")
        out.writelines(f"{gene}\t{pos}\t{ref}\t{count}\n" for gene, pos, ref, count in rows)
    print(f"{TARGET}: {len(rows)} hotspot residues")


if __name__ == "__main__":
    main()
