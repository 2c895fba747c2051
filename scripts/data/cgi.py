"""Cut the CGI test fixture from the real biomarkers table.

    .venv/bin/python scripts/data/cgi.py --shared /work/shared/data

The CGI Cancer Biomarkers database is CC BY-NC 4.0: pmkg may not bundle it, so there is no
starter data and this script only writes a small test fixture.

Input: ``cgi/cgi_biomarkers_per_variant.tsv`` under ``--shared`` (CGI biomarkers, 2017-18
release, as kept in haoziyeung/somatic_pipeline).  Output: ``tests/data/cgi/`` — the header
and the rows at :data:`LINES` of that file, verbatim, plus a README.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "cgi"
FILE = "cgi_biomarkers_per_variant.tsv"
# Source line numbers kept, each for what it exercises.
LINES = {
    2: "ABL1 T315I resistant to [Nilotinib,Dasatinib], ELN guideline, per-variant columns",
    4: "first per-variant row of a 12-variant Bosutinib biomarker",
    5: "second per-variant row of the same biomarker (one Evidence)",
    157: "ALK:. oncogenic mutation (gene-level class, requires_oncogenic)",
    178: "APC:. with no drug, only a drug family (drug-class therapy)",
    248: "BRAF V600. codon class, No Responsive (does not support sensitivity)",
    327: "DPYD I560S,D949V Increased Toxicity (adverse response), CANCER",
    381: "EGFR inframe_deletion:729-761 = exon 19 deletion, FDA guidelines",
    553: "ESR1 E380Q,.537.,.538.,L536.,P535H: codons with and without a residue",
    640: "KIT:550-592 protein range = exon 11",
    1040: "ABL1__BCR fusion (BCR::ABL1), two tumour types CML;ALL",
    1047: "ALK__. fusion with any partner",
    1068: "AR:over expression, bracketed drug list",
    1071: "AR:F877L;AR:T878A co-occurring (MUT;MUT profile)",
    1131: "DPYD biallelic inactivation",
    1150: "ERBB2:amp copy number, no drug",
    1241: "MAP2K1 (P124S or I111S) AND BRAF oncogenic mutation",
    1259: "MET amplification AND BRAF V600E, combination therapy",
}
README = """# CGI test fixture

A small cut of the Cancer Genome Interpreter Cancer Biomarkers database
(`cgi_biomarkers_per_variant.tsv`, 2017-18 release as kept in haoziyeung/somatic_pipeline at
commit 8f89936b5344), **for testing only**: the header and {rows} real rows, verbatim.
Rows kept (line in the source file → here):

{lines}

Licence: CC BY-NC 4.0 (Cancer Genome Interpreter, IRB Barcelona; Tamborero et al., Genome Med
2018). Not part of the pmkg package and not redistributed with it; pmkg's CGI loader reads the
table users fetch themselves.

Rebuild with `.venv/bin/python scripts/data/cgi.py --shared /work/shared/data`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds cgi/)")
    args = parser.parse_args()
    with open(args.shared / "cgi" / FILE, encoding="utf-8", newline="") as handle:
        lines = handle.readlines()
    kept = [lines[0]] + [lines[n - 1] for n in sorted(LINES)]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / FILE).write_text("".join(kept), encoding="utf-8", newline="")
    listing = "\n".join(f"- {n} → {i + 2}: {LINES[n]}" for i, n in enumerate(sorted(LINES)))
    (FIXTURES / "README.md").write_text(README.format(rows=len(LINES), lines=listing), encoding="utf-8")
    print(f"wrote {FIXTURES / FILE} ({len(kept) - 1} rows)")


if __name__ == "__main__":
    main()
