"""Rebuild the NCIt drug thesaurus of the starter and the cross-source drug-identity fixtures.

    .venv/bin/python scripts/data/drug_identity.py --shared /work/shared/data

Inputs, under ``--shared``:
- ``drugs/therapy_normalization_subsets/ncit/ncit_23.09d.owl``: the NCI Thesaurus 23.09d subset that
  cancervariants/therapy-normalization (MIT) cut for its tests; NCIt content is CC BY 4.0;
- ``civic/release_01-Aug-2021/01-Aug-2021-{ClinicalEvidence,Variant}Summaries.tsv``,
  ``civic/nightly_2021-02/nightly-DrugSummaries.tsv`` and ``civic/metakb_json_examples/`` (CIViC, CC0).

Outputs:
- ``loaders/starter/ncit_drugs/ncit_drugs_23.09d.owl.gz``: the NCIt subset, unchanged, gzipped;
- ``tests/data/drugs/civic/``: the header and, verbatim, the first accepted 2021 evidence row for each
  drug spelling in :data:`DRUG_CELLS` (salt forms, both orders of one combination, drugs CPIC and
  MOAlmanac also name, a code name no thesaurus knows), the variant rows they point at, and the
  DrugSummaries rows of their drugs with the NCIt codes CIViC's JSON gives;
- ``tests/data/drugs/cpic/``: :data:`CPIC_FILES` from ``pharmcat/guidelines_cpic_2023-12/``, unchanged;
- ``tests/data/drugs/cgi/``: the header and :data:`CGI_LINES` of ``cgi/cgi_biomarkers_per_variant.tsv``, verbatim.

The other sides of the cross-source tests are existing fixtures: ``tests/data/pharmcat`` (PharmCAT
definitions), ``tests/data/moalmanac`` and ``tests/data/matching/moalmanac_example`` (MOAlmanac),
``tests/data/cgi`` (CGI) and ``tests/data/dgidb`` (DGIdb).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "loaders" / "starter" / "ncit_drugs"
FIXTURES = ROOT / "tests" / "data" / "drugs" / "civic"
CPIC_FIXTURES = ROOT / "tests" / "data" / "drugs" / "cpic"
CGI_FIXTURES = ROOT / "tests" / "data" / "drugs" / "cgi"
# CGI biomarkers (CC BY-NC 4.0: a test fixture only, never bundled): line 230 of the shared file,
# BRAF V600E responsive to Dabrafenib;Trametinib, the combination CIViC and MOAlmanac also name.
CGI_LINES = (230,)
# CPIC guideline files kept whole (PharmCAT 5cb671756393; CPIC content CC0): the lower-case drug names.
CPIC_FILES = ("CPIC_capecitabine_and_DPYD.json", "CPIC_fluorouracil_and_DPYD.json")
NCIT_SUBSET = Path("drugs/therapy_normalization_subsets/ncit/ncit_23.09d.owl")
RELEASE = "civic/release_01-Aug-2021/01-Aug-2021-{}Summaries.tsv"
# (drugs cell, interaction cell) of the evidence rows kept, and why.
DRUG_CELLS = {
    ("Trametinib Dimethyl Sulfoxide,Dabrafenib", "Combination"): "salt form inside a combination",
    ("Dabrafenib,Trametinib", "Combination"): "the combination, one order",
    ("Trametinib,Dabrafenib", "Combination"): "the same combination, the other order",
    ("Dabrafenib", ""): "CIViC drug with an NCIt code (C82386); MOAlmanac's too",
    ("Trametinib", ""): "CIViC drug with an NCIt code (C77908)",
    ("Imatinib", ""): "the free base",
    ("Imatinib Mesylate", ""): "its salt form, in the same source",
    ("Fluorouracil", ""): "CPIC names it in lower case",
    ("Trastuzumab,Capecitabine", "Combination"): "capecitabine (CPIC) inside a combination; trastuzumab in NCIt",
    ("Vemurafenib", ""): "MOAlmanac gives NCIt C64768",
    ("TAE684", ""): "a code name no thesaurus or other source knows",
}


def read_rows(path: Path) -> tuple[str, list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[0], [line for line in lines[1:] if line]


def ncit_codes(civic: Path) -> dict[str, str]:
    """CIViC drug id → NCIt code, from every drug object in CIViC's JSON examples."""
    found: dict[str, str] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("ncit_id") and value.get("id") is not None and value.get("name"):
                found[str(value["id"])] = str(value["ncit_id"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((civic / "metakb_json_examples").rglob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def write_starter(shared: Path) -> None:
    STARTER.mkdir(parents=True, exist_ok=True)
    with (
        open(shared / NCIT_SUBSET, "rb") as raw,
        gzip.GzipFile(STARTER / "ncit_drugs_23.09d.owl.gz", "wb", compresslevel=9, mtime=0) as packed,
    ):
        shutil.copyfileobj(raw, packed)


def write_fixtures(shared: Path) -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    header, lines = read_rows(shared / RELEASE.format("ClinicalEvidence"))
    names = header.split("\t")
    column = {name: i for i, name in enumerate(names)}
    kept: dict[tuple[str, str], str] = {}
    for line in lines:
        fields = line.split("\t")
        cell = (fields[column["drugs"]], fields[column["drug_interaction_type"]])
        if cell in DRUG_CELLS and cell not in kept and fields[column["evidence_status"]] == "accepted":
            kept[cell] = line
    missing = [cell for cell in DRUG_CELLS if cell not in kept]
    if missing:
        raise SystemExit(f"no accepted evidence row for {missing}")
    rows = [kept[cell] for cell in DRUG_CELLS]
    (FIXTURES / "ClinicalEvidenceSummaries.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    variant_ids = {row.split("\t")[column["variant_id"]] for row in rows}
    v_header, v_lines = read_rows(shared / RELEASE.format("Variant"))
    variants = [line for line in v_lines if line.split("\t", 1)[0] in variant_ids]
    (FIXTURES / "VariantSummaries.tsv").write_text("\n".join([v_header, *variants]) + "\n", encoding="utf-8")
    drug_names = {name for row in rows for name in row.split("\t")[column["drugs"]].split(",")}
    _, d_lines = read_rows(shared / "civic/nightly_2021-02/nightly-DrugSummaries.tsv")
    codes = ncit_codes(shared / "civic")
    drugs = ["drug_name\tdrug_id\tncit_id"]
    for line in d_lines:
        name, drug_id = line.split("\t")[:2]
        if name in drug_names:
            drugs.append(f"{name}\t{drug_id}\t{codes.get(drug_id, '')}")
    (FIXTURES / "DrugSummaries.tsv").write_text("\n".join(drugs) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    args = parser.parse_args()
    write_starter(args.shared)
    write_fixtures(args.shared)
    CPIC_FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in CPIC_FILES:
        shutil.copyfile(args.shared / "pharmcat" / "guidelines_cpic_2023-12" / name, CPIC_FIXTURES / name)
    CGI_FIXTURES.mkdir(parents=True, exist_ok=True)
    cgi = (args.shared / "cgi" / "cgi_biomarkers_per_variant.tsv").read_text(encoding="utf-8").split("\n")
    kept = [cgi[0], *(cgi[n - 1] for n in CGI_LINES)]
    (CGI_FIXTURES / "cgi_biomarkers_per_variant.tsv").write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
