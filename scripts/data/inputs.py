"""Cut the patient-file fixtures (``tests/data/inputs/``) from the real example files.

    .venv/bin/python scripts/data/inputs.py --shared /work/shared/data

Every fixture is a real file or a real file's rows, verbatim, except the two annotated VCFs,
which add an annotation field the originals lack (see below).  ``README.md`` in the fixture
folder is written by hand (it also holds the CivicAnnotator data notes) and is not touched.

Copied verbatim:
- ``oncokb/*`` — oncokb/oncokb-annotator ``data/example_*.txt`` (commit 1cbdfb2b971f; AGPL-3.0
  repository, example inputs only);
- ``civicannotator/*`` — ypradat/CivicAnnotator ``tests/data/example_*`` inputs and annotated
  outputs (commit 023d20d69051; Apache-2.0; annotations from CIViC 01-Jan-2022, CC0);
- ``moalmanac/*`` — vanallenlab/moalmanac ``example_data`` called copy number, STAR-Fusion
  output and germline MAF (commit 5dcc132a831d; GPL-2.0, research use only);
- ``vcf2maf/test.vcf``, ``test_b38.vcf``, ``TCGA-B5-A0JV-01.ucec.vcf`` — mskcc/vcf2maf
  (Apache-2.0; TCGA open-access calls);
- ``clinvar_GRCh38_slice.vcf.gz`` — dna-seq/just-dna-compiler (MIT; ClinVar public domain);
- ``oncotree/data_clinical_sample*.txt`` — cBioPortal/oncotree ``docs/resources/``: a cBioPortal
  clinical table with codes of older OncoTree releases, and the same table as OncoTree's own
  mapping tool remapped it (commit b362db70f647; CC BY 4.0).

Cut (header and chosen rows, verbatim):
- ``vcf2maf/tcga_laml.slice.maf`` — vcf2maf ``data/tcga_laml.maf``: the ``#version`` line, the
  header, every row of :data:`LAML_GENES`, and the first two rows of every Variant_Classification;
- ``cbioportal/data_cna_discrete.slice.txt`` — cBioPortal ``study_es_0`` long-format discrete CNA:
  the header and every row of the first two samples with a deep (±2) call;
- ``pharmcat/multisample.slice.vcf`` — PharmCAT ``docs/examples/multisample.vcf``: the header,
  every record where a sample carries an ALT allele, and the first ten records.

Derived (real values, re-serialised into an annotation field):
- ``vcf2maf/TCGA-B5-A0JV-01.ucec.csq.vcf`` — the UCEC VCF with a VEP ``CSQ`` field made from
  VEP's own per-record output that vcf2maf kept in ``TCGA-B5-A0JV-01.ucec.maf`` (the chosen
  transcript with its ``CANONICAL`` flag, plus the other transcripts of ``all_effects``);
- ``vcf2maf/test_b38.ann.vcf.gz`` — ``test_b38.vcf`` with a SnpEff-layout ``ANN`` field made
  from ``test_b38_output.maf``'s VEP columns, gzip-compressed.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "inputs"
LAML_GENES = frozenset({"FLT3", "IDH1", "IDH2", "KIT", "NRAS", "KRAS", "DNMT3A"})
CSQ_FIELDS = (
    "Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature_type", "Feature", "BIOTYPE", "EXON", "INTRON",
    "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids", "Codons",
    "Existing_variation", "ALLELE_NUM", "DISTANCE", "STRAND", "SYMBOL_SOURCE", "HGNC_ID", "CANONICAL",
)  # fmt: skip
ANN_FIELDS = (
    "Allele", "Annotation", "Annotation_Impact", "Gene_Name", "Gene_ID", "Feature_Type", "Feature_ID",
    "Transcript_BioType", "Rank", "HGVS.c", "HGVS.p", "cDNA.pos / cDNA.length", "CDS.pos / CDS.length",
    "AA.pos / AA.length", "Distance", "ERRORS / WARNINGS / INFO",
)  # fmt: skip


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def maf_rows(path: Path) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """Comment lines, header and rows (as dicts) of a MAF."""
    comments, header, rows = [], [], []
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif not header:
            header = line.split("\t")
        else:
            rows.append(dict(zip(header, line.split("\t"), strict=False)))
    return comments, header, rows


def cut_laml(shared: Path) -> None:
    source = shared / "patient_variants/vcf2maf/tcga_laml.maf"
    lines = source.read_text().splitlines()
    kept, seen = lines[:2], {}
    column = lines[1].split("\t").index("Variant_Classification")
    for line in lines[2:]:
        fields = line.split("\t")
        kind = fields[column]
        seen[kind] = seen.get(kind, 0) + 1
        if fields[0] in LAML_GENES or seen[kind] <= 2:
            kept.append(line)
    (FIXTURES / "vcf2maf/tcga_laml.slice.maf").write_text("\n".join(kept) + "\n")


def cut_cbioportal(shared: Path) -> None:
    lines = (shared / "patient_variants/cbioportal_study_es_0/data_cna_discrete.txt").read_text().splitlines()
    with_events = []  # the first two samples with a deep (±2) call, so the slice has events
    for line in lines[1:]:
        fields = line.split("\t")
        if fields[3].strip() in ("2", "-2") and fields[2] not in with_events:
            with_events.append(fields[2])
    kept = lines[:1] + [line for line in lines[1:] if line.split("\t")[2] in with_events[:2]]
    target = FIXTURES / "cbioportal/data_cna_discrete.slice.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(kept) + "\n")


def cut_pharmcat(shared: Path) -> None:
    lines = (shared / "pharmcat/examples/multisample.vcf").read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    records = [line for line in lines if not line.startswith("#")]
    kept = [
        line for i, line in enumerate(records)
        if i < 10 or any(gt.split(":")[0] not in ("0/0", "0|0", "./.", ".") for gt in line.split("\t")[9:])
    ]  # fmt: skip
    target = FIXTURES / "pharmcat/multisample.slice.vcf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(header + kept) + "\n")


def _effects(row: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """``(symbol, consequence, HGVSp, transcript)`` of each transcript in vcf2maf's ``all_effects``."""
    effects = []
    for item in row.get("all_effects", "").split(";"):
        parts = item.split(",")
        if len(parts) >= 4 and parts[3] and parts[3] != row["Feature"]:
            effects.append((parts[0], parts[1], parts[2], parts[3]))
    return effects


def csq_vcf(shared: Path) -> None:
    """The UCEC VCF with a CSQ field built from vcf2maf's record of VEP's output."""
    folder = shared / "patient_variants/vcf2maf"
    _, _, rows = maf_rows(folder / "TCGA-B5-A0JV-01.ucec.maf")
    by_start = {(r["Chromosome"], r["Start_Position"]): r for r in rows}
    out = []
    for line in (folder / "TCGA-B5-A0JV-01.ucec.vcf").read_text().splitlines():
        if line.startswith("##fileformat"):
            out.append(line)
            out.append(
                '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
                f'Format: {"|".join(CSQ_FIELDS)}">'
            )
            continue
        if line.startswith("#"):
            out.append(line)
            continue
        fields = line.split("\t")
        chrom, pos = fields[0], fields[1]
        # vcf2maf moves an indel's start one base right of the VCF's anchor base.
        row = by_start.get((chrom, pos)) or by_start.get((chrom, str(int(pos) + 1)))
        if row is not None:
            entries = []
            main = {name: row.get(name, "") for name in CSQ_FIELDS}
            main["STRAND"] = row.get("STRAND_VEP", main["STRAND"])
            if main["HGVSc"]:
                main["HGVSc"] = f"{row['Feature']}:{main['HGVSc']}"
            if main["HGVSp"] and row.get("ENSP"):
                main["HGVSp"] = f"{row['ENSP']}:{main['HGVSp']}"
            entries.append("|".join(main[name].replace(",", "&") for name in CSQ_FIELDS))
            for symbol, consequence, hgvsp, transcript in _effects(row):
                other = dict.fromkeys(CSQ_FIELDS, "")
                other.update(Allele=main["Allele"], Consequence=consequence, SYMBOL=symbol, Feature=transcript,
                             Feature_type="Transcript", HGVSp=hgvsp, ALLELE_NUM=main["ALLELE_NUM"])  # fmt: skip
                entries.append("|".join(other[name] for name in CSQ_FIELDS))
            fields[7] = "CSQ=" + ",".join(entries)
        out.append("\t".join(fields))
    (FIXTURES / "vcf2maf/TCGA-B5-A0JV-01.ucec.csq.vcf").write_text("\n".join(out) + "\n")


def ann_vcf(shared: Path) -> None:
    """test_b38.vcf with a SnpEff-layout ANN field built from test_b38_output.maf, gzip-compressed."""
    folder = shared / "patient_variants/vcf2maf"
    _, _, rows = maf_rows(folder / "test_b38_output.maf")
    by_site = {(r["Chromosome"], r["vcf_pos"]): r for r in rows}
    out = []
    for line in (folder / "test_b38.vcf").read_text().splitlines():
        if line.startswith("##fileformat"):
            out.append(line)
            out.append(
                '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '
                f"'{' | '.join(ANN_FIELDS)}' \">"
            )
            continue
        if line.startswith("#"):
            out.append(line)
            continue
        fields = line.split("\t")
        row = by_site.get((fields[0], fields[1]))
        if row is not None:
            values = dict.fromkeys(ANN_FIELDS, "")
            values.update({
                "Allele": fields[4], "Annotation": row["Consequence"], "Annotation_Impact": row.get("IMPACT", ""),
                "Gene_Name": row["SYMBOL"], "Gene_ID": row["Gene"], "Feature_Type": "transcript",
                "Feature_ID": row["Feature"], "Transcript_BioType": row.get("BIOTYPE", ""),
                "Rank": row.get("EXON", ""), "HGVS.c": row["HGVSc"], "HGVS.p": row["HGVSp"],
            })  # fmt: skip
            fields[7] = "ANN=" + "|".join(values[name].replace(",", "&") for name in ANN_FIELDS)
        out.append("\t".join(fields))
    with gzip.open(FIXTURES / "vcf2maf/test_b38.ann.vcf.gz", "wt") as handle:
        handle.write("\n".join(out) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    shared = parser.parse_args().shared
    if not shared.is_dir():
        print(f"{shared} is not a folder", file=sys.stderr)
        return 2
    for name in ("example_maf.txt", "example_maf_grch38.txt", "example_cna.txt", "example_individual_cna.txt",
                 "example_fusions.txt", "example_sv.txt", "example_clinical.txt",
                 "example_atypical_alterations.txt"):  # fmt: skip
        copy(shared / "oncokb_annotator_inputs" / name, FIXTURES / "oncokb" / name)
    for name in ("example_maf", "example_maf_egfr", "example_cna", "example_fus", "example_alt"):
        for suffix in (".tsv", "_annotated.tsv"):
            copy(
                shared / "civic/civicannotator_eval" / f"{name}{suffix}",
                FIXTURES / "civicannotator" / f"{name}{suffix}",
            )
    example = shared / "moalmanac/algorithm_example/example_data"
    for name in ("example_patient.capture.somatic.called.cna.txt", "example_patient.rna.star.fusions.txt",
                 "example_patient.capture.germline.maf"):  # fmt: skip
        copy(example / name, FIXTURES / "moalmanac" / name)
    for name in ("test.vcf", "test_b38.vcf", "TCGA-B5-A0JV-01.ucec.vcf"):
        copy(shared / "patient_variants/vcf2maf" / name, FIXTURES / "vcf2maf" / name)
    copy(shared / "clinvar/just_dna_compiler/clinvar_GRCh38_slice.vcf.gz", FIXTURES / "clinvar_GRCh38_slice.vcf.gz")
    for name in ("data_clinical_sample.txt", "data_clinical_sample_remapped.txt"):
        copy(shared / "ontologies/oncotree" / name, FIXTURES / "oncotree" / name)
    cut_laml(shared)
    cut_cbioportal(shared)
    cut_pharmcat(shared)
    csq_vcf(shared)
    ann_vcf(shared)
    print(f"wrote fixtures under {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
