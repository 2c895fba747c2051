"""Cohort annotation as a user meets it: rows and sample summaries on real example files, in both stores,
and ``pmkg annotate`` run as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.stores.port import Store
from queries.annotate import CohortAnnotator, SampleSummary, VariantRow, annotate, matching_forms
from queries.inputs import open_patient_file, read_clinical
from queries.matching import MatchResult, TherapyResult, match_therapies
from queries.patient import Alteration
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "inputs"
ONCOKB = DATA / "oncokb"


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def oncokb_example(store: Store) -> tuple[list[VariantRow], list[SampleSummary]]:
    files = [
        open_patient_file(ONCOKB / "example_maf.txt"),
        open_patient_file(ONCOKB / "example_cna.txt", role="cna"),
        open_patient_file(ONCOKB / "example_fusions.txt", role="fusions"),
    ]
    return annotate(store, files, clinical=read_clinical(ONCOKB / "example_clinical.txt"))


def key_answers(rows: list[VariantRow], summaries: list[SampleSummary]) -> tuple[object, ...]:
    return (
        [(r.sample, r.input, r.origin.rsplit("/", 1)[-1], r.status, r.variant, r.disease, r.sensitive_tier,
          r.resistance_tier, r.therapies, r.resistance, r.evidence) for r in rows],
        [(s.sample, s.disease, s.sensitive_tier, s.resistance_tier, s.therapies, s.resistance, s.evidence)
         for s in summaries],
    )  # fmt: skip


def test_oncokb_example_rows_and_samples(store: Store) -> None:
    rows, summaries = oncokb_example(store)
    assert len(rows) == 17 + 6 + 7  # every MAF row, the six ±2 calls, every fusion row
    by_origin = {r.origin.rsplit("/", 1)[-1]: r for r in rows}
    kras = by_origin["example_maf.txt:10"]
    assert (kras.sample, kras.status, kras.variant, kras.disease) == (
        "TCGA-05-4417-01",
        "normalized",
        "KRAS G12C",
        "Lung Adenocarcinoma (ONCOTREE:LUAD)",
    )
    t790m = by_origin["example_maf.txt:18"]
    assert t790m.sensitive_tier == 1
    assert any(t.startswith("Osimertinib (tier 1") for t in t790m.therapies)
    assert by_origin["example_maf.txt:16"].variant == "TERT C228T"  # matched by its GRCh37 position
    # NF1 p.X1445_splice (Splice_Site, no protein change) used to be dropped as unrecognised (issue 7): its
    # consequence says it is a canonical splice change, so it is truncating and joins NF1's mutation class.
    nf1 = by_origin["example_maf.txt:14"]
    assert (nf1.status, nf1.variant) == ("normalized", "NF1 Splice_Site")
    assert "read as splice_donor_variant" in nf1.message
    assert "NF1 mutation" in nf1.message
    # CIViC 2026: selumetinib's NF1 evidence is the level-A approval in (germline NF1) plexiform neurofibroma, another
    # disease, and NCI-MATCH's "does not support" (level B, any cancer): listed as other-disease and demoted.
    assert "Selumetinib (tier 1, gene_class match, other disease, demoted)" in nf1.other_disease
    assert any(t.startswith("Selumetinib (tier 2") for t in nf1.resistance)
    # ERBB2 amplification in a lung adenocarcinoma: the bundled evidence is about breast and gastric cancer, so it
    # is listed as other-disease evidence and sets no "highest sensitive tier" for this LUAD sample.
    erbb2 = by_origin["example_cna.txt:3"]
    assert (erbb2.variant, erbb2.sensitive_tier, erbb2.therapies) == ("ERBB2 amplification", None, ())
    assert any(t.startswith("Trastuzumab") and "tier 1, exact match, other disease" in t for t in erbb2.other_disease)
    mll2 = by_origin["example_fusions.txt:2"]
    assert mll2.status == "ambiguous"
    assert "KMT2D" in mll2.message
    assert by_origin["example_fusions.txt:3"].variant == "ALK::EML4"
    assert [s.sample for s in summaries] == [
        "TCGA-A6-2672-01A-01W-0833-10", "TCGA-05-4417-01", "TCGA-02-0033-01", "TCGA-06-0155-01",
    ]  # fmt: skip
    luad = summaries[1]
    assert (luad.disease_input, luad.alterations, luad.recognized, luad.sensitive_tier) == ("LUAD", 14, 14, 1)
    assert luad.therapies[0].split(" (")[0] in {t.split(" (")[0] for r in rows if r.sample == luad.sample
                                                 for t in r.therapies}  # fmt: skip
    # EGFR T790M's resistance puts first-generation TKIs below every therapy without resistance, and says so
    assert "Erlotinib: resistance in this patient (" in luad.message
    erlotinib = luad.message.split("Erlotinib: resistance in this patient (", 1)[1].split("ranked below", 1)[0]
    assert "EGFR T790M" in erlotinib


def test_both_stores_give_the_same_annotation(store: Store) -> None:
    assert key_answers(*oncokb_example(store)) == key_answers(*oncokb_example(embedded_starter()))


def _direct(result: MatchResult) -> tuple[list[str], list[str], set[str]]:
    """Sensitivity labels in ranking order (in the disease, then other diseases), and resistance labels, of a
    match (gene-level left out)."""

    def label(t: TherapyResult) -> str:
        disease = f", {t.disease_match} disease" if t.disease_match else ""
        standing = f", {t.standing}" if t.standing in ("demoted", "resistant") else ""
        return f"{t.therapy.name} (tier {t.tier}, {t.variant_match} match{disease}{standing})"

    shown = [t for t in result.therapies if t.variant_match != "gene"]
    sensitive = [t for t in shown if t.significance == "sensitivity"]
    return ([label(t) for t in sensitive if t.disease_match != "other"],
            [label(t) for t in sensitive if t.disease_match == "other"],
            {label(t) for t in shown if t.significance in ("resistance", "reduced sensitivity")})  # fmt: skip


def test_rows_and_samples_rank_as_matching_does(store: Store) -> None:
    """Evidence is matched once per alteration and ranked per disease: the same answer as matching in that disease."""
    rows, summaries = oncokb_example(store)
    alterations = [
        a for path, role in ((ONCOKB / "example_maf.txt", "variants"), (ONCOKB / "example_cna.txt", "cna"),
                             (ONCOKB / "example_fusions.txt", "fusions"))
        for a in open_patient_file(path, role=role) if isinstance(a, Alteration)
    ]  # fmt: skip
    by_sample: dict[str, list[Alteration]] = {}
    for row, alteration in zip(rows, alterations, strict=True):
        if row.status != "normalized":
            continue
        forms = matching_forms(alteration)
        assert isinstance(forms, list)
        disease = row.disease.rsplit("(", 1)[1].rstrip(")") if row.disease else None
        sensitive, other, resistant = _direct(match_therapies(store, [forms[0]], disease))
        assert list(row.therapies) == sensitive, row.input
        assert list(row.other_disease) == other, row.input
        assert set(row.resistance) == resistant, row.input
        by_sample.setdefault(row.sample, []).append(forms[0])
    for summary in summaries:
        disease = summary.disease.rsplit("(", 1)[1].rstrip(")") if summary.disease else None
        sensitive, other, resistant = _direct(match_therapies(store, by_sample.get(summary.sample, []), disease))
        assert summary.therapies == sensitive, summary.sample
        assert summary.other_disease == other, summary.sample
        assert set(summary.resistance) == resistant, summary.sample


def test_skipped_and_unreadable_rows_say_why(store: Store, tmp_path: Path) -> None:
    lines = (DATA / "vcf2maf" / "tcga_laml.slice.maf").read_text().splitlines()
    lines[3] = lines[3].replace("\t152057522\t", "\t1520x7522\t", 1)
    bad = tmp_path / "laml.maf"
    bad.write_text("\n".join(lines) + "\n")
    rows, summaries = annotate(store, [open_patient_file(bad)], disease="acute myeloid leukemia")
    assert len(rows) == 204
    unreadable = [r for r in rows if r.status == "unreadable"]
    assert [(r.origin, r.message) for r in unreadable] == [
        (f"{bad}:4", "field 'Start_Position': '1520x7522' is not a genomic position (expected a whole number ≥ 1)")
    ]
    silent = [r for r in rows if r.status == "skipped"]
    assert silent
    assert all(r.message.endswith("changes no protein, not assessed") for r in silent)
    idh1 = next(r for r in rows if r.input == "IDH1 p.R132H")
    assert idh1.status == "normalized"
    assert idh1.disease == "acute myeloid leukemia (DOID:9119)"
    assert all(s.disease == "acute myeloid leukemia (DOID:9119)" for s in summaries)
    assert sum(s.alterations for s in summaries) == 204


def test_repeated_alterations_are_matched_once(store: Store) -> None:
    annotator = CohortAnnotator(store, disease="AML")
    rows = list(annotator.rows([open_patient_file(DATA / "vcf2maf" / "tcga_laml.slice.maf")]))
    assessed = sum(r.status != "skipped" for r in rows)
    assert annotator.memo_hits + annotator.memo_misses == assessed
    assert annotator.memo_hits >= 20  # FLT3 D835Y, IDH1 R132C, IDH2 R140Q, NRAS G12D … recur
    small = CohortAnnotator(store, disease="AML", memo_size=5)
    again = list(small.rows([open_patient_file(DATA / "vcf2maf" / "tcga_laml.slice.maf")]))
    assert len(small._bases) <= 5
    assert len(small._outcomes) <= 5
    assert [(r.status, r.variant, r.evidence) for r in again] == [(r.status, r.variant, r.evidence) for r in rows]


def test_rows_stream_before_the_file_is_read(store: Store) -> None:
    reader = open_patient_file(DATA / "vcf2maf" / "tcga_laml.slice.maf")
    rows = CohortAnnotator(store).rows([reader])
    first = next(rows)
    assert first.origin.endswith(":3")
    assert reader.report.rows < 10
    rows.close()


def test_copy_number_without_samples_belongs_to_the_single_patient(store: Store, tmp_path: Path) -> None:
    maf = DATA / "moalmanac" / "example_patient.capture.germline.maf"
    cna = DATA / "moalmanac" / "example_patient.capture.somatic.called.cna.txt"
    rows, summaries = annotate(store, [open_patient_file(maf), open_patient_file(cna, role="cna")], disease="SKCM")
    assert {r.sample for r in rows} == {"example_tumor_profile"}
    assert [s.sample for s in summaries] == ["example_tumor_profile"]
    assert summaries[0].alterations == 10 + 5
    assert "no disease" not in summaries[0].message
    assert summaries[0].disease == "Cutaneous Melanoma (ONCOTREE:SKCM)"


def test_without_a_disease_the_summary_says_so(store: Store) -> None:
    rows, summaries = annotate(store, [open_patient_file(ONCOKB / "example_atypical_alterations.txt")])
    assert {r.disease for r in rows} == {None}
    assert all("no disease given" in s.message for s in summaries)
    by_input = {(r.sample, r.input): r for r in rows}
    assert by_input[("TCGA-FAKE-02", "FLT3 ITD")].status == "normalized"
    assert by_input[("TCGA-A6-2672-01", "MSI-H")].status in ("normalized", "unrecognized")


def test_a_disease_list_resolves_to_its_most_specific_term(store: Store) -> None:
    path = DATA / "civicannotator" / "example_cna.tsv"
    annotator = CohortAnnotator(store, clinical=read_clinical(path))
    row = next(annotator.rows([open_patient_file(path, role="cna")]))
    assert row.disease == "lung adenocarcinoma (DOID:3910)"
    summary = next(annotator.summaries())
    assert "read as lung adenocarcinoma (DOID:3910), its most specific term" in summary.message


# -- the command, as a real process ----------------------------------------------------------------
def pmkg_annotate(*args: str) -> subprocess.CompletedProcess[str]:
    home = embedded_starter().folder.parent  # the session's starter graph: PMKG_HOME/graph
    return subprocess.run(
        [sys.executable, "-m", "queries.cli", "annotate", *args],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"},
    )  # fmt: skip


ONCOKB_ARGS = (
    str(ONCOKB / "example_maf.txt"), "--cna", str(ONCOKB / "example_cna.txt"),
    "--fusions", str(ONCOKB / "example_fusions.txt"), "--clinical", str(ONCOKB / "example_clinical.txt"),
)  # fmt: skip


def test_cli_tsv_output_parses(tmp_path: Path) -> None:
    out = tmp_path / "results.tsv"
    done = pmkg_annotate(*ONCOKB_ARGS, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    with out.open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with out.with_name("results.samples.tsv").open() as handle:
        samples = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == list(VariantRow.COLUMNS)
    assert len(rows) == 30
    # Missense changes no source names, outside hotspots (CUL1 Y466S, FGFR3 V271M …), are variants of unknown
    # significance in their own column since issue 7, not gene-class matches with a tier.
    assert {r["status"] for r in rows} == {"normalized", "unrecognized", "ambiguous", "unknown_significance"}
    cul1 = next(r for r in rows if r["origin"].endswith("example_maf.txt:2"))
    assert (cul1["status"], cul1["sensitive_tier"], cul1["therapies"]) == ("unknown_significance", "", "")
    assert cul1["unknown_significance"]
    kras = next(r for r in rows if r["origin"].endswith("example_maf.txt:10"))
    # Tier 1 since the starter's CIViC holds sotorasib's and adagrasib's level A KRAS G12C evidence (2021: tier 2).
    assert (kras["variant"], kras["sensitive_tier"]) == ("KRAS G12C", "1")
    assert [s["sample"] for s in samples] == [
        "TCGA-A6-2672-01A-01W-0833-10", "TCGA-05-4417-01", "TCGA-02-0033-01", "TCGA-06-0155-01",
    ]  # fmt: skip
    assert samples[1]["sensitive_tier"] == "1"
    assert samples[1]["disease"] == "Lung Adenocarcinoma (ONCOTREE:LUAD)"
    assert "example_maf.txt: MAF, 17 rows, 17 alterations, 0 unreadable; assembly GRCh37 (NCBI_Build column)" \
        in done.stderr  # fmt: skip
    assert "skipped 1 shallow gain (+1) not assessed, 1 shallow loss (-1) not assessed" in done.stderr
    assert "annotated 30 rows of 4 samples" in done.stderr


def test_cli_tsv_to_stdout_has_both_tables() -> None:
    done = pmkg_annotate(*ONCOKB_ARGS)
    assert done.returncode == 0, done.stderr
    variants, _, samples = done.stdout.partition("\n\n")
    assert len(list(csv.DictReader(io.StringIO(variants), delimiter="\t"))) == 30
    assert len(list(csv.DictReader(io.StringIO(samples), delimiter="\t"))) == 4


def test_cli_json_output_parses(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = pmkg_annotate(*ONCOKB_ARGS, "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    answer = json.loads(out.read_text())
    assert set(answer) == {"build", "variants", "results", "samples", "files"}
    assert answer["build"]["id"]
    assert {s["name"] for s in answer["build"]["sources"]} >= {"civic", "oncotree"}
    assert len(answer["variants"]) == 30
    assert len(answer["samples"]) == 4
    row = next(v for v in answer["variants"] if v["origin"].endswith("example_maf.txt:18"))
    t790m = answer["results"][row["result"]]  # each result once; rows refer to it by id
    assert t790m["variant"] == "EGFR T790M"
    assert t790m["sensitive_tier"] == 1
    assert isinstance(t790m["therapies"], list)
    assert [f["layout"] for f in answer["files"]] == ["MAF", "copy-number matrix (GISTIC)", "fusions"]


def test_cli_refuses_a_wrong_file_with_one_line(tmp_path: Path) -> None:
    done = pmkg_annotate(str(ONCOKB / "example_maf.txt"), "--cna", str(ONCOKB / "example_fusions.txt"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "is not a copy-number file" in done.stderr
    assert "Traceback" not in done.stderr
    both = pmkg_annotate(str(ONCOKB / "example_maf.txt"), "--disease", "LUAD", "--clinical",
                         str(ONCOKB / "example_clinical.txt"))  # fmt: skip
    assert both.returncode == 2
    assert "give --clinical or --disease, not both" in both.stderr


def test_a_profile_needs_both_alterations_of_the_sample(store: Store, tmp_path: Path) -> None:
    """CIViC's "BRAF V600E AND BRAF amplification" holds for the sample with both, not for the one with V600E only."""
    profile = "CIVIC.MPID:4173"  # BRAF V600E AND BRAF Amplification
    about = {n.id for n in store.evidence_for([profile]).get(profile, [])}
    assert about
    maf = tmp_path / "cohort.maf"
    maf.write_text(
        "Hugo_Symbol\tHGVSp_Short\tVariant_Classification\tTumor_Sample_Barcode\n"
        "BRAF\tp.V600E\tMissense_Mutation\tBOTH\n"
        "BRAF\tp.V600E\tMissense_Mutation\tV600E-ONLY\n"
    )
    cna = tmp_path / "cna.txt"
    cna.write_text("Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\nBOTH\tBRAF\t2\n")
    rows, summaries = annotate(store, [open_patient_file(maf), open_patient_file(cna, role="cna")], disease="COAD")
    assert not any(about & set(r.evidence) for r in rows)  # no single alteration reaches it
    both, single = summaries
    assert (both.sample, single.sample) == ("BOTH", "V600E-ONLY")
    assert about <= set(both.evidence)
    assert not about & set(single.evidence)
