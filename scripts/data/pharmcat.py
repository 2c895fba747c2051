"""Rebuild the PharmCAT starter bundle and test fixtures from the full real files.

    .venv/bin/python scripts/data/pharmcat.py --shared /work/shared/data

Inputs (``--shared``/pharmcat, copied byte for byte from PharmGKB/PharmCAT, see SOURCES.md):
- ``allele_definitions/*_translation.json`` and ``phenotypes/*.json`` (commit 5431bf1187e5,
  2025-11-19, data version 2025-11-05-00-25) and ``allele_definitions/LICENSE`` (MPL-2.0);
- ``guidelines_cpic_2023-12/CPIC_*.json`` (commit 5cb671756393, 2023-12-19, data 2023-12-05-00-25);
- ``examples/pharmcat.example2.report.json`` (PharmCAT's own report for CYP2C19 *2/*2).

Outputs:
- ``loaders/starter/pharmcat/pharmcat-data.tar.gz``: every allele definition and phenotype
  file, unmodified, plus LICENSE (no gene is cut: the whole set is ~300 KB compressed);
- ``loaders/starter/pharmcat/cpic-guidelines.tar.gz``: every CPIC guideline file plus LICENSE;
  both archives are reproducible (sorted members, fixed times);
- ``tests/data/pharmcat/``: cuts of the real files in their real layout — CYP2C19, TPMT, DPYD
  definitions and phenotype tables restricted to a few alleles (all variants kept so allele
  arrays stay aligned), MT-RNR1's phenotype table, a few CPIC guideline files with a subset of
  their recommendations, and the CPIC clopidogrel part of PharmCAT's example2 report.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "pharmcat"
FIXTURES = ROOT / "tests" / "data" / "pharmcat"

# Alleles each fixture gene keeps (names as PharmCAT writes them).
FIXTURE_ALLELES = {
    "CYP2C19": ("*38", "*1", "*2", "*3", "*17"),
    "TPMT": ("*1", "*2", "*3A", "*3B", "*3C"),
    "DPYD": ("Reference", "c.1905+1G>A (*2A)", "c.1679T>G (*13)", "c.2846A>T", "c.1129-5923C>G, c.1236G>A (HapB3)"),
}
# Guideline file -> lookup values kept per gene (None: keep every recommendation).
FIXTURE_GUIDELINES: dict[str, dict[str, set[str]] | None] = {
    "CPIC_clopidogrel_and_CYP2C19.json": None,
    "CPIC_fluorouracil_and_DPYD.json": None,
    "CPIC_abacavir_and_HLA_B.json": None,
    "CPIC_amitriptyline_and_CYP2C19_CYP2D6.json": {
        "CYP2C19": {"Poor Metabolizer", "Normal Metabolizer", "No Result"},
        "CYP2D6": {"1.0", "2.0", "No Result"},
    },
    "CPIC_mercaptopurine_and_NUDT15_TPMT.json": {
        "NUDT15": {"Normal Metabolizer", "No Result"},
        "TPMT": {"Normal Metabolizer", "Intermediate Metabolizer", "Poor Metabolizer", "No Result"},
    },
    "CPIC_codeine_and_CYP2D6.json": {"CYP2D6": {"0.0", "1.0", "2.0", "≥3.0", "n/a", "xN combinations"}},
}


def write_tar(target: Path, members: Iterable[tuple[str, bytes]]) -> None:
    """A gzip tar whose bytes depend only on ``members`` (sorted, fixed times and owners)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            archive.addfile(info, io.BytesIO(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(buffer.getvalue())
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")


def build_starter(pharmcat: Path) -> None:
    license_text = (pharmcat / "allele_definitions" / "LICENSE").read_bytes()
    data = [("LICENSE", license_text)]
    data += [
        (f"allele_definitions/{p.name}", p.read_bytes())
        for p in (pharmcat / "allele_definitions").glob("*_translation.json")
    ]
    data += [(f"phenotypes/{p.name}", p.read_bytes()) for p in (pharmcat / "phenotypes").glob("*.json")]
    write_tar(STARTER / "pharmcat-data.tar.gz", data)
    guidelines = pharmcat / "guidelines_cpic_2023-12"
    members = [("LICENSE", license_text)] + [
        (f"guidelines/{p.name}", p.read_bytes()) for p in guidelines.glob("CPIC_*.json")
    ]
    write_tar(STARTER / "cpic-guidelines.tar.gz", members)


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


def cut_translation(source: Path, keep: tuple[str, ...]) -> dict[str, Any]:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["namedAlleles"] = [a for a in data["namedAlleles"] if a["name"] in keep]
    missing = set(keep) - {a["name"] for a in data["namedAlleles"]}
    if missing:
        raise SystemExit(f"{source.name}: no alleles {sorted(missing)}")
    data["hiddenCoreAlleles"] = []
    data["suballelesMap"] = {}
    return data


def cut_phenotypes(source: Path, keep: tuple[str, ...]) -> dict[str, Any]:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["haplotypes"] = {k: v for k, v in data["haplotypes"].items() if k in keep}
    data["activityValues"] = {k: v for k, v in data["activityValues"].items() if k in keep}
    data["namedAlleles"] = [a for a in data["namedAlleles"] if a["name"] in keep]
    data["diplotypes"] = [d for d in data["diplotypes"] if set(d["diplotypekey"]) <= set(keep)]
    return data


def cut_guideline(source: Path, keep: dict[str, set[str]] | None) -> dict[str, Any]:
    data = json.loads(source.read_text(encoding="utf-8"))
    if keep is not None:
        data["recommendations"] = [
            r for r in data["recommendations"] if all(v in keep.get(g, {v}) for g, v in r["lookupKey"].items())
        ]
    return data


def cut_report(source: Path) -> dict[str, Any]:
    report = json.loads(source.read_text(encoding="utf-8"))
    gene = report["genes"]["CYP2C19"]
    return {
        "title": report["title"],
        "pharmcatVersion": report["pharmcatVersion"],
        "dataVersion": report["dataVersion"],
        "genes": {"CYP2C19": {k: gene[k] for k in ("geneSymbol", "chr", "sourceDiplotypes")}},
        "drugs": {
            "CPIC Guideline Annotation": {"clopidogrel": report["drugs"]["CPIC Guideline Annotation"]["clopidogrel"]}
        },
    }


def build_fixtures(pharmcat: Path) -> None:
    for gene, keep in FIXTURE_ALLELES.items():
        name = f"{gene}_translation.json"
        dump(FIXTURES / "allele_definitions" / name, cut_translation(pharmcat / "allele_definitions" / name, keep))
        dump(FIXTURES / "phenotypes" / f"{gene}.json", cut_phenotypes(pharmcat / "phenotypes" / f"{gene}.json", keep))
    mt = pharmcat / "phenotypes" / "MT_RNR1.json"
    (FIXTURES / "phenotypes" / mt.name).write_bytes(mt.read_bytes())
    for name, lookups in FIXTURE_GUIDELINES.items():
        dump(FIXTURES / "guidelines" / name, cut_guideline(pharmcat / "guidelines_cpic_2023-12" / name, lookups))
    dump(
        FIXTURES / "examples" / "pharmcat.example2.report.json",
        cut_report(pharmcat / "examples" / "pharmcat.example2.report.json"),
    )
    (FIXTURES / "LICENSE").write_bytes((pharmcat / "allele_definitions" / "LICENSE").read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holding pharmcat/)")
    args = parser.parse_args()
    pharmcat = args.shared / "pharmcat"
    if not (pharmcat / "allele_definitions").is_dir():
        raise SystemExit(f"{pharmcat}: no allele_definitions/ folder; pass the shared data folder")
    build_starter(pharmcat)
    build_fixtures(pharmcat)


if __name__ == "__main__":
    main()
