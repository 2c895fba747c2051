"""Rebuild the ClinVar starter bundle and test fixtures from real ClinVar files.

    .venv/bin/python scripts/data/clinvar.py --shared /work/shared/data [--variant-summary FULL.txt.gz]

ClinVar is public domain.  The shared data holds two cellbase test cuts of
``variant_summary.txt.gz`` (2021) and a 10-record slice of the GRCh38 VCF (2026-06-27):

- ``loaders/starter/clinvar/``: the 2021-05 ``variant_summary`` cut (with VariationIDs) and
  the VCF slice, as they are.  With ``--variant-summary`` pointing at a full release, the
  starter summary is cut from it instead: expert-reviewed or multi-submitter
  pathogenic/likely pathogenic variations in :data:`STARTER_GENES` (both assemblies' rows).
- ``tests/data/clinvar/``: all three shared files, as they are (a few KB).
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "clinvar"
FIXTURES = ROOT / "tests" / "data" / "clinvar"
STARTER_GENES = {
    "BRCA1", "BRCA2", "PALB2", "ATM", "CHEK2", "TP53", "PTEN", "MLH1", "MSH2", "MSH6", "PMS2", "APC",
    "MUTYH", "CDH1", "STK11", "RET", "VHL", "RB1", "NF1", "DPYD", "TPMT", "NUDT15", "CYP2C19", "G6PD",
}  # fmt: skip
GOOD_REVIEW = {"reviewed by expert panel", "practice guideline", "criteria provided, multiple submitters, no conflicts"}


def cut_full_summary(source: Path, target: Path, per_gene: int = 40) -> None:
    kept: dict[str, int] = {}
    with gzip.open(source, "rt", encoding="utf-8") as src, gzip.open(target, "wt", encoding="utf-8") as dst:
        header = src.readline()
        columns = header.rstrip("\n").split("\t")
        gene, sig, review = (
            columns.index("GeneSymbol"),
            columns.index("ClinicalSignificance"),
            columns.index("ReviewStatus"),
        )
        dst.write(header)
        for line in src:
            fields = line.rstrip("\n").split("\t")
            symbol = fields[gene]
            if symbol not in STARTER_GENES or fields[review] not in GOOD_REVIEW:
                continue
            if "athogenic" not in fields[sig] or "onflicting" in fields[sig]:
                continue
            kept[symbol] = kept.get(symbol, 0) + 1
            if kept[symbol] <= per_gene * 2:  # two rows (GRCh37, GRCh38) per variation
                dst.write(line)
    print(f"wrote {target.relative_to(ROOT)} ({sum(min(v, per_gene * 2) for v in kept.values())} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--variant-summary", type=Path, help="a full variant_summary.txt.gz to cut the starter from")
    args = parser.parse_args()
    clinvar = args.shared / "clinvar"
    STARTER.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    summary_2021_05 = clinvar / "cellbase_9dc7c67" / "variant_summary.txt.gz"
    summary_2021_02 = clinvar / "cellbase_20eae2e" / "variant_summary.txt.gz"
    vcf = clinvar / "just_dna_compiler" / "clinvar_GRCh38_slice.vcf.gz"
    if args.variant_summary:
        cut_full_summary(args.variant_summary, STARTER / "variant_summary.txt.gz")
    else:
        shutil.copyfile(summary_2021_05, STARTER / "variant_summary.txt.gz")
    shutil.copyfile(vcf, STARTER / "clinvar_GRCh38_slice.vcf.gz")
    for source, name in (
        (summary_2021_05, "variant_summary_2021-05.txt.gz"),
        (summary_2021_02, "variant_summary_2021-02.txt.gz"),
        (vcf, "clinvar_GRCh38_slice.vcf.gz"),
    ):
        shutil.copyfile(source, FIXTURES / name)
    for path in sorted([*STARTER.iterdir(), *FIXTURES.iterdir()]):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
