"""Re-cut the PGx query fixtures (tests/data/pgx/) from PharmCAT's real test and example files.

    .venv/bin/python scripts/data/pgx.py --shared /work/shared/data

Inputs (``--shared``/pharmcat, copied byte for byte from PharmGKB/PharmCAT at commit 5431bf1187e5,
MPL-2.0, see SOURCES.md):
- ``test_haplotype_vcfs/<GENE>/*.vcf``: PharmCAT's single-gene test VCFs, the expected diplotype
  in each file name;
- ``examples/pharmcat.example{,2}.*``: PharmCAT's example runs (the VCF, PharmCAT's own calls-only
  report TSV and its report JSON) and ``multisample.vcf`` (both examples as two samples).

Outputs (tests/data/pgx/):
- ``test_haplotype_vcfs/<GENE>/<file>.vcf``: the files in TEST_VCFS, unmodified;
- ``examples/pharmcat.example2.vcf``, ``examples/pharmcat.example{,2}.report.tsv``: unmodified;
- ``examples/multisample.vcf.gz``: ``multisample.vcf`` gzipped (reproducibly: no name, mtime 0);
- ``examples/pharmcat.example2.report.cpic.json``: from PharmCAT's report JSON, only each CPIC
  guideline annotation's drug, population, classification, lookup key, phenotypes and
  recommendation text (the whole report is 1.4 MB);
- ``LICENSE``: PharmCAT's licence (MPL-2.0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "pgx"

# Test VCFs kept, by PharmCAT's folder name (its own spelling and case).
TEST_VCFS = {
    "cyp2c19": (
        "s1s1.vcf", "s1s2.vcf", "s2s2.vcf", "s2s3.vcf", "s1s28.vcf", "s1s4b.vcf", "s4bs17.vcf", "s1s17.vcf",
        "sUnks17.vcf", "s1s1rs12248560missing.vcf", "s1s17s1s4bmissing.vcf", "s1s17s1s4bmissingmore.vcf",
        "s4bs17rs28399504missing.vcf",
    ),
    "cyp2c9": ("s2s3.vcf", "s1s61.vcf"),
    "cyp3a5": ("s1s7.vcf", "s3s3rs55965422het.vcf", "s3s9.vcf"),
    "TPMT": ("het3a.vcf", "s3as3b.vcf", "s3bs3c.vcf", "s16s22.vcf", "unexpected.allele.vcf"),
    "SLCO1B1": ("s1s15.vcf", "s5s15.vcf", "s5s45.vcf"),
    "UGT1A1": (
        "s28s37.vcf", "s1s60s80phased.vcf", "s28s80phased.vcf", "s28s80unphased.vcf", "s28s80s6s60unphased.vcf",
        "s6s60s80s28missingunphased.vcf", "HG00436.vcf",
    ),
    "DPYD": ("c2846het.vcf", "c1679c1156.vcf", "c1129-5923c2846.vcf"),
    "VKORC1": ("-1639G-1639A.vcf", "-1639A-1639A.vcf"),
    "NUDT15": ("s2ref.vcf",),
    "IFNL3": ("rs12979860CT.vcf",),
    "CYP2B6": ("s1s34.vcf",),
}  # fmt: skip
EXAMPLES = (
    "pharmcat.example.vcf", "pharmcat.example2.vcf", "pharmcat.example.report.tsv", "pharmcat.example2.report.tsv",
    "pharmcat.example.outsideCall.tsv",
)  # fmt: skip


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


def gzip_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(source.read_bytes())
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


def cut_cpic_report(source: Path) -> dict[str, Any]:
    report = json.loads(source.read_text(encoding="utf-8"))
    annotations = []
    for drug, entry in sorted(report["drugs"]["CPIC Guideline Annotation"].items()):
        for guideline in entry.get("guidelines") or []:
            for annotation in guideline.get("annotations") or []:
                annotations.append(
                    {
                        "drug": drug,
                        "guideline": guideline.get("name"),
                        "population": annotation.get("population"),
                        "classification": annotation.get("classification"),
                        "lookupKey": annotation.get("lookupKey"),
                        "phenotypes": annotation.get("phenotypes"),
                        "drugRecommendation": annotation.get("drugRecommendation"),
                    }
                )
    return {
        "title": report["title"],
        "pharmcatVersion": report["pharmcatVersion"],
        "dataVersion": report["dataVersion"],
        "cut": "drugs['CPIC Guideline Annotation'][*].guidelines[*].annotations[*], selected keys only",
        "annotations": annotations,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holding pharmcat/)")
    args = parser.parse_args()
    pharmcat = args.shared / "pharmcat"
    if not (pharmcat / "test_haplotype_vcfs").is_dir():
        raise SystemExit(f"{pharmcat}: no test_haplotype_vcfs/ folder; pass the shared data folder")
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    for folder, names in TEST_VCFS.items():
        for name in names:
            copy(pharmcat / "test_haplotype_vcfs" / folder / name, FIXTURES / "test_haplotype_vcfs" / folder / name)
    examples = pharmcat / "examples"
    for name in EXAMPLES:
        copy(examples / name, FIXTURES / "examples" / name)
    gzip_file(examples / "multisample.vcf", FIXTURES / "examples" / "multisample.vcf.gz")
    target = FIXTURES / "examples" / "pharmcat.example2.report.cpic.json"
    target.write_text(json.dumps(cut_cpic_report(examples / "pharmcat.example2.report.json"), indent=1,
                                 ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")
    copy(pharmcat / "allele_definitions" / "LICENSE", FIXTURES / "LICENSE")


if __name__ == "__main__":
    main()
