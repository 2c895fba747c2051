"""Cohort annotation benchmarks: the TCGA LAML MAF end to end, and a synthetic 1M-row MAF.

    .venv/bin/python -m bench.annotate [--rows 1000000] [--laml PATH] [--home PMKG_HOME]

Targets (issue 4): TCGA LAML (2,544 rows, 197 samples) parsed, normalised, matched and
written in < 5 s; a synthetic 1M-row MAF at >= 50,000 variants/s on the embedded store with
flat memory.  Each case runs in its own process so its peak RSS is its own; the synthetic
case also samples RSS as it goes (at 10 %, 50 % and 100 % of the rows) to show memory does not
grow with the rows.

The synthetic MAF is generated here, deterministically: 200 rows per sample, each sample one
of eight tumour types (a clinical table is written beside it); 95 % of rows are drawn from the
real LAML rows (passenger and driver mutations with their real classifications, a third of
them Silent/intronic/UTR), 5 % from the protein changes the graph's CIViC variants name
(hotspots: BRAF V600E, EGFR L858R, KRAS G12D …), with a skew so common changes recur as
in real cohorts.  The graph is the bundled starter graph, built into a temporary PMKG_HOME
unless ``--home`` names one that holds it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LAML = ROOT.parent / "shared" / "data" / "patient_variants" / "vcf2maf" / "tcga_laml.maf"
LAML_SLICE = ROOT / "tests" / "data" / "inputs" / "vcf2maf" / "tcga_laml.slice.maf"
TUMOUR_TYPES = ("LUAD", "COAD", "BRCA", "SKCM", "AML", "GBM", "PAAD", "PRAD")
COLUMNS = ("Hugo_Symbol", "NCBI_Build", "Chromosome", "Start_Position", "Reference_Allele", "Tumor_Seq_Allele2",
           "Variant_Classification", "Tumor_Sample_Barcode", "HGVSp_Short")  # fmt: skip


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # kilobytes on Linux


def ensure_graph(home: Path | None) -> tuple[Path, float]:
    """A PMKG_HOME holding the starter graph, and how long building it took (0 if it was there)."""
    from kg.builds import run_build
    from kg.stores.embedded import EmbeddedStore
    from loaders.registry import starter_loaders

    home = home or Path(tempfile.mkdtemp(prefix="pmkg-bench-annotate-"))
    store = EmbeddedStore(home / "graph")
    if store.current_build() is not None:
        return home, 0.0
    started = time.perf_counter()
    run_build(store, starter_loaders())
    store.close()
    return home, time.perf_counter() - started


def laml_rows(path: Path) -> list[tuple[str, ...]]:
    """(gene, NCBI build, chromosome, start, ref, alt, classification, protein change) of each LAML row."""
    out = []
    header: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header:
            header = fields
            continue
        row = dict(zip(header, fields, strict=False))
        out.append((row["Hugo_Symbol"], row["NCBI_Build"], row["Chromosome"], row["Start_Position"],
                    row["Reference_Allele"], row["Tumor_Seq_Allele2"], row["Variant_Classification"],
                    row.get("amino_acid_change", "")))  # fmt: skip
    return out


HOTSPOT_GENES = ("BRAF", "EGFR", "KRAS", "NRAS", "PIK3CA", "IDH1", "IDH2", "KIT", "ALK", "ERBB2", "MET", "TP53",
                 "FLT3", "JAK2", "ABL1", "PDGFRA", "FGFR3", "BRCA1", "BRCA2", "ESR1", "AKT1", "MAP2K1",
                 "RET")  # fmt: skip


def hotspot_rows(home: Path) -> list[tuple[str, ...]]:
    """The protein changes the graph's variants (CIViC) name in well-known genes, as MAF rows without coordinates."""
    from kg.schema import Label, RelType
    from kg.stores.embedded import EmbeddedStore
    from kg.stores.port import Direction

    store = EmbeddedStore(home / "graph")
    out = []
    for gene in HOTSPOT_GENES:
        for gene_node in store.find(gene, Label.GENE)[:1]:
            for variant in store.neighbours(gene_node.id, RelType.IN_GENE, Direction.IN):
                change = variant.props.get("protein_change")
                if variant.label == Label.VARIANT and isinstance(change, str) and change:
                    out.append((gene, "GRCh37", "", "", "", "", "Missense_Mutation", f"p.{change}"))
    store.close()
    return out


def write_synthetic(path: Path, clinical: Path, rows: int, laml: list[tuple[str, ...]],
                    hotspots: list[tuple[str, ...]], seed: int = 7) -> int:  # fmt: skip
    """Write the synthetic MAF and its clinical table; return the number of samples."""
    rng = random.Random(seed)
    per_sample = 200
    samples = max(1, rows // per_sample)
    # A skew (weights 1/rank^0.8) so a few changes recur often, as hotspots and common passengers do.
    laml_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(laml))]
    hot_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(hotspots))]
    written = 0
    with path.open("w") as out, clinical.open("w") as table:
        out.write("\t".join(COLUMNS) + "\n")
        table.write("SAMPLE_ID\tONCOTREE_CODE\n")
        for number in range(samples):
            sample = f"SYN-{number:06d}"
            table.write(f"{sample}\t{TUMOUR_TYPES[number % len(TUMOUR_TYPES)]}\n")
            count = per_sample if number < samples - 1 else rows - written
            picks = rng.choices(laml, laml_weights, k=count)
            for index in range(count):
                if hotspots and rng.random() < 0.05:
                    picks[index] = rng.choices(hotspots, hot_weights)[0]
            for gene, build, chrom, start, ref, alt, kind, protein in picks:
                out.write(f"{gene}\t{build}\t{chrom}\t{start}\t{ref}\t{alt}\t{kind}\t{sample}\t{protein}\n")
            written += count
    return samples


def run_case(maf: Path, home: Path, *, disease: str | None = None, clinical: Path | None = None) -> dict[str, Any]:
    """Annotate ``maf`` end to end (read, normalise, match, write TSV) in this process; times and memory."""
    os.environ["PMKG_HOME"] = str(home)
    from kg.stores import open_store
    from queries.annotate import CohortAnnotator
    from queries.inputs import open_patient_file, read_clinical
    from queries.services.annotate_output import TsvWriter, run_annotation

    started, cpu = time.perf_counter(), time.process_time()
    store = open_store("embedded", home=home)
    files = [open_patient_file(maf)]
    table = read_clinical(clinical) if clinical else None
    checkpoints: dict[str, float] = {}
    size = maf.stat().st_size

    def progress(done: int, total: int) -> None:
        for mark in (0.1, 0.5):
            if done >= mark * total and f"{mark:.0%}" not in checkpoints:
                checkpoints[f"{mark:.0%}"] = rss_mb()

    annotator = CohortAnnotator(store, clinical=table, disease=disease, progress=progress if size > 1e6 else None)
    out = Path(tempfile.mkdtemp(prefix="pmkg-bench-out-")) / "annotated.tsv"
    with out.open("w") as handle, out.with_name("annotated.samples.tsv").open("w") as samples_handle:
        statuses = run_annotation(annotator, files, TsvWriter(handle, samples_handle))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    checkpoints["100%"] = rss_mb()
    rows = sum(statuses.values())
    return {
        "rows": rows,
        "samples": len(annotator.samples),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows_per_s": rows / seconds,
        "rows_per_cpu_s": rows / cpu_seconds,
        "peak_rss_mb": peak_rss_mb(),
        "rss_mb": checkpoints,
        "statuses": dict(statuses),
        "distinct_matched": annotator.memo_misses,
        "output_mb": out.stat().st_size / 1e6,
    }


def in_child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.annotate", "--child", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=3600)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def whole_process(maf: Path, home: Path, disease: str) -> float:
    """Seconds for ``pmkg annotate`` as a fresh process (start-up included)."""
    out = Path(tempfile.mkdtemp(prefix="pmkg-bench-cli-")) / "laml.tsv"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "queries.cli", "annotate", str(maf), "--disease", disease, "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"},
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"pmkg annotate failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="pmkg cohort annotation benchmarks")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic MAF")
    parser.add_argument("--laml", type=Path, default=LAML, help="the TCGA LAML MAF (vcf2maf data/tcga_laml.maf)")
    parser.add_argument("--home", type=Path, default=None, help="a PMKG_HOME holding the starter graph")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, maf, home, *rest = args.child
        if kind == "laml":
            result = run_case(Path(maf), Path(home), disease=rest[0])
        else:
            result = run_case(Path(maf), Path(home), clinical=Path(rest[0]))
        print(json.dumps(result))
        return

    home, build_seconds = ensure_graph(args.home)
    laml = args.laml if args.laml.exists() else LAML_SLICE
    print(f"starter graph in {home}" + (f" (built in {build_seconds:.1f} s)" if build_seconds else ""), file=sys.stderr)
    name = "TCGA LAML MAF" + ("" if laml == args.laml else " (slice)")
    results = [(name, in_child("laml", str(laml), str(home), "acute myeloid leukemia"))]
    cli_seconds = whole_process(laml, home, "acute myeloid leukemia")
    folder = Path(tempfile.mkdtemp(prefix="pmkg-bench-synthetic-"))
    maf, clinical = folder / "synthetic.maf", folder / "clinical.txt"
    started = time.perf_counter()
    samples = write_synthetic(maf, clinical, args.rows, laml_rows(laml), hotspot_rows(home))
    print(f"synthetic MAF: {args.rows:,} rows, {samples:,} samples, {maf.stat().st_size / 1e6:.0f} MB, "
          f"written in {time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    results.append((f"synthetic MAF, {args.rows:,} rows", in_child("synthetic", str(maf), str(home), str(clinical))))

    print(f"{'case':32} {'rows':>10} {'samples':>8} {'distinct':>9} {'seconds':>8} {'cpu s':>7} {'rows/s':>9} "
          f"{'peak RSS MB':>11}  RSS MB at 10% / 50% / 100%")  # fmt: skip
    for name, r in results:
        marks = " / ".join(f"{r['rss_mb'][m]:.0f}" for m in ("10%", "50%", "100%") if m in r["rss_mb"])
        print(f"{name:32} {r['rows']:>10,} {r['samples']:>8,} {r['distinct_matched']:>9,} {r['seconds']:>8.2f} "
              f"{r['cpu_seconds']:>7.2f} {r['rows_per_s']:>9,.0f} {r['peak_rss_mb']:>11.0f}  {marks}")  # fmt: skip
    print(f"{'pmkg annotate (LAML, process)':32} {results[0][1]['rows']:>10,} {results[0][1]['samples']:>8,} "
          f"{'':>9} {cli_seconds:>8.2f}")  # fmt: skip
    print("\nstatuses: " + "; ".join(f"{name}: {json.dumps(r['statuses'])}" for name, r in results))


if __name__ == "__main__":
    main()
