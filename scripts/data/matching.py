"""Cut the matching test fixtures: MOAlmanac's example patient and the assertions it needs.

    .venv/bin/python scripts/data/matching.py --shared /work/shared/data

Writes ``tests/data/matching/moalmanac_example/``:

- ``example_data/``: the example patient's inputs from vanallenlab/moalmanac
  (``example_patient.*``: somatic SNV and indel MAFs, germline MAF, called copy number,
  STAR-Fusion fusions, COSMIC signature contributions, the simplified input) and
  ``example.input-metadata.txt`` (tumour type, MSI status, whole-genome doubling);
- ``actionable.txt``: MOAlmanac 0.8.1's own ``example_output.actionable.txt`` for that patient;
- ``molecular-oncology-almanac.json``: only the assertions (verbatim, flat layout of
  vanallenlab/moalmanac-db) that state the therapies ``actionable.txt`` lists, :data:`ASSERTIONS`;
- ``drug_synonyms.tsv``: the two drug names the example output (an older release) spells
  differently from today's database, with the NCI Thesaurus concept that carries both names.

MOAlmanac is GPL-2.0 with a research-use-only disclaimer; these files are test fixtures only.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "matching" / "moalmanac_example"
# MOAlmanac assertion → the actionable.txt row it states (feature: therapy, level, OncoTree code).
ASSERTIONS = {
    150: "BRAF p.V600E: Trametinib, FDA-Approved, MEL",
    156: "BRAF p.V600E: Panitumumab resistance, Guideline, COADREAD",
    704: "CDK4 Amplification: Palbociclib, Guideline, WDLS",
    843: "CDKN2A Deletion: Palbociclib, Clinical evidence, ULMS",
    905: "TP53 Deletion: Talazoparib, Preclinical, OS",
    693: "BRAF Amplification: Vemurafenib resistance, Clinical evidence, MEL",
    890: "MSI-High: Dostarlimab-gxly (today Dostarlimab), FDA-Approved, UCEC",
    770: "MSI-High: 5-Fluorouracil (today Fluorouracil) resistance, Guideline, COADREAD",
    771: "MSI-High: 5-Fluorouracil (today Fluorouracil) resistance, Guideline, COADREAD",
    22: "COL1A1--CITED4 (via COL1A1::PDGFB): Imatinib, Guideline, DFSP",
    790: "SBS5: Cisplatin, Inferential, BLCA",
    777: "SBS10b: Durvalumab, Inferential",
    888: "BRCA2 p.S1982fs (germline): Abiraterone acetate + Niraparib, FDA-Approved, PRAD",
    889: "BRCA2 p.S1982fs (germline): Abiraterone acetate + Niraparib, FDA-Approved, PRAD",
    404: "MSH2 p.D887N: Pembrolizumab, Clinical evidence, COADREAD",
    653: "MSH2 p.D887N: Pembrolizumab, Clinical evidence, COADREAD",
    738: "FGFR2 Deletion (via FGFR2 amplification): Infigratinib, Preclinical, COADREAD",
}
INPUTS = (
    "example_patient.capture.somatic.snvs.maf",
    "example_patient.capture.somatic.indels.maf",
    "example_patient.capture.germline.maf",
    "example_patient.capture.somatic.called.cna.txt",
    "example_patient.rna.star.fusions.txt",
    "example_patient.capture.sbs_contributions.txt",
    "example_patient.simplified_input.txt",
)
# NCIt concept: (today's MOAlmanac name, the example output's name), both NCIt synonyms of the concept.
DRUG_SYNONYMS = (("NCIT:C126799", "Dostarlimab", "Dostarlimab-gxly"), ("NCIT:C505", "Fluorouracil", "5-Fluorouracil"))


def cut(shared: Path) -> None:
    source = shared / "moalmanac"
    example = source / "algorithm_example"
    (OUT / "example_data").mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        shutil.copyfile(example / "example_data" / name, OUT / "example_data" / name)
    shutil.copyfile(
        example / "example_output" / "example.input-metadata.txt", OUT / "example_data" / "example.input-metadata.txt"
    )
    shutil.copyfile(example / "example_output" / "example_output.actionable.txt", OUT / "actionable.txt")
    records = json.loads((source / "molecular-oncology-almanac.json").read_text(encoding="utf-8"))
    kept = [r for r in records if r["assertion_id"] in ASSERTIONS]
    missing = set(ASSERTIONS) - {r["assertion_id"] for r in kept}
    if missing:
        raise SystemExit(f"assertions {sorted(missing)} are not in this MOAlmanac release")
    text = json.dumps(sorted(kept, key=lambda r: r["assertion_id"]), indent=2, ensure_ascii=False) + "\n"
    (OUT / "molecular-oncology-almanac.json").write_text(text, encoding="utf-8")
    lines = ["ncit_id\tname\tsynonym"] + ["\t".join(row) for row in DRUG_SYNONYMS]
    (OUT / "drug_synonyms.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(kept)} assertions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds moalmanac/)")
    cut(parser.parse_args().shared)


if __name__ == "__main__":
    main()
