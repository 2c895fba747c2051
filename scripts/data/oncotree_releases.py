"""Rebuild the OncoTree release-diff fixtures (tests/data/oncotree/releases/) from the real releases.

    .venv/bin/python scripts/data/oncotree_releases.py --shared /work/shared/data

Inputs under ``--shared`` (see its SOURCES.md):
- ``ontologies/disease_normalization_subsets/oncotree_20211102.json`` (release oncotree_2021_11_02);
- ``ontologies/oncotree/latest_stable.json`` (cBioPortal/oncotree's web copy, pretty-printed);
- ``ontologies/oncotree/oncotree.2023-03-09.txt`` (MOAlmanac's table of release 2023-03-09: code,
  main_type, name, tissue; no parents, no history);
- ``ontologies/oncotree/data_clinical_sample.txt`` and ``data_clinical_sample_remapped.txt`` (the
  mapping tool's tutorial example, oncotree_2017_10_05 → oncotree_2018_06_01).

Outputs (OncoTree is CC BY 4.0; the node objects and rows are unchanged):
- ``oncotree_2021_11_02.json.gz`` and ``latest_stable.json.gz``: the whole releases, gzipped
  (compact JSON for latest_stable, whose pretty-printing is only whitespace);
- ``oncotree.2023-03-09.txt``: the table cut to the CNS/Brain rows (where 2023 → 2025 changed);
- the two tutorial files, copied byte for byte.
The release oncotree_2025_10_03 is the starter's (``loaders/starter/oncotree/``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "tests" / "data" / "oncotree" / "releases"
TABLE_TISSUES = {"CNS/Brain"}


def write_gzip(data: bytes, name: str, target: Path) -> None:
    with open(target, "wb") as raw, gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=0) as out:
        out.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds ontologies/)")
    args = parser.parse_args()
    ontologies = args.shared / "ontologies"
    TARGET.mkdir(parents=True, exist_ok=True)
    release_2021 = ontologies / "disease_normalization_subsets" / "oncotree_20211102.json"
    write_gzip(release_2021.read_bytes(), "oncotree_2021_11_02.json", TARGET / "oncotree_2021_11_02.json.gz")
    latest = json.loads((ontologies / "oncotree" / "latest_stable.json").read_text(encoding="utf-8"))
    compact = json.dumps(latest, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    write_gzip(compact, "latest_stable.json", TARGET / "latest_stable.json.gz")
    table = (ontologies / "oncotree" / "oncotree.2023-03-09.txt").read_text(encoding="utf-8").splitlines()
    header = table[0].split("\t")
    tissue = header.index("tissue")
    kept = [table[0], *(line for line in table[1:] if line.split("\t")[tissue] in TABLE_TISSUES)]
    (TARGET / "oncotree.2023-03-09.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for name in ("data_clinical_sample.txt", "data_clinical_sample_remapped.txt"):
        shutil.copyfile(ontologies / "oncotree" / name, TARGET / name)
    for path in sorted(TARGET.iterdir()):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
