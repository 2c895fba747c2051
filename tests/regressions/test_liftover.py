"""Genomic positions on the other assembly than the source's were "not found" (issue 7).

The starter's CIViC release gives GRCh37 positions only and ClinVar's VCF GRCh38 ones, so a
GRCh38 BRAF V600E (``7-140753336-A-T``) found nothing.  Positions are now lifted through the
UCSC chain files, and the answer says which assembly was given, how that was decided, and
where the position was lifted.  All on the real starter graph and the real chain files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.liftover import Lifted, Unmappable, liftover, reverse_complement
from kg.stores.port import Store
from queries.annotate import annotate
from queries.inputs import open_patient_file
from queries.matching import match_therapies
from queries.normalize import AMBIGUOUS, NORMALIZED, UNRECOGNIZED, normalize_text
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

REPO = Path(__file__).resolve().parents[2]
ONCOKB_GRCH38 = REPO / "tests" / "data" / "inputs" / "oncokb" / "example_maf_grch38.txt"


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


def therapies(store: Store, *variants: str, assembly: str | None = None) -> list[str]:
    result = match_therapies(store, list(variants), "melanoma", assembly=assembly)
    return [t.therapy for t in result.therapies]


def test_grch38_braf_v600e_of_a_civic_only_variant_is_found_through_its_grch37_coordinate(store: Store) -> None:
    declared = normalize_text(store, "7-140753336-A-T", assembly="GRCh38")
    assert (declared.status, declared.variant_name) == (NORMALIZED, "BRAF V600E")
    assert "(GRCh38, declared; lifted to GRCh37 7:140453136)" in declared.message
    assert declared.as_json()["assembly"] == {
        "given": "GRCh38",
        "how": "declared",
        "lifted_to": "GRCh37",
        "lifted_position": "7:140453136",
    }
    inferred = normalize_text(store, "7-140753336-A-T")
    assert (inferred.status, inferred.variant_name) == (NORMALIZED, "BRAF V600E")
    assert "(GRCh38, inferred; lifted to GRCh37 7:140453136)" in inferred.message
    # The therapies are those of the protein change itself, in the same order.
    assert therapies(store, "7-140753336-A-T", assembly="GRCh38") == therapies(store, "BRAF V600E")


def test_grch37_position_of_a_clinvar_grch38_variant_is_lifted_the_other_way(store: Store) -> None:
    result = normalize_text(store, "11-5248232-T-A")  # HBB; ClinVar's VCF holds 11-5227002-T-A on GRCh38
    assert (result.status, result.variant_id) == (NORMALIZED, "CLINVAR:15333")
    assert "(GRCh37, inferred; lifted to GRCh38 11:5227002)" in result.message


def test_a_position_found_as_given_is_not_lifted(store: Store) -> None:
    result = normalize_text(store, "7-140453136-A-T", assembly="GRCh37")
    assert result.variant_name == "BRAF V600E"
    assert result.as_json()["assembly"]["lifted_to"] is None
    assert "lifted" not in result.message


def test_reference_allele_mismatch_after_lifting_is_reported_not_matched(store: Store) -> None:
    wrong_ref = normalize_text(store, "7-140753336-C-T", assembly="GRCh38")
    assert wrong_ref.status == UNRECOGNIZED
    assert wrong_ref.message.startswith(
        "reference allele mismatch after lifting GRCh38 7:140753336 to GRCh37 7:140453136: "
        "the input's reference is C, this graph's is A (BRAF V600E (A>T))"
    )
    reversed_change = normalize_text(store, "7-140753336-T-A", assembly="GRCh38")
    assert reversed_change.status == UNRECOGNIZED
    assert "the reverse of the input's change" in reversed_change.message
    other_alt = normalize_text(store, "7-140753336-A-C", assembly="GRCh38")
    assert other_alt.status == UNRECOGNIZED
    assert (
        "after lifting GRCh38 7:140753336 to GRCh37 7:140453136 this graph knows BRAF V600E (A>T), not A>C"
        in other_alt.message
    )


def test_reference_allele_mismatch_on_the_given_assembly_is_reported(store: Store) -> None:
    result = normalize_text(store, "7-140453136-C-T", assembly="GRCh37")
    assert result.status == UNRECOGNIZED
    assert result.message.startswith(
        "reference allele mismatch at GRCh37 7:140453136: the input's reference is C, this graph's is A "
        "(BRAF V600E (A>T))"
    )


def test_unmappable_position_says_why(store: Store) -> None:
    result = normalize_text(store, "7-100953023-A-G", assembly="GRCh38")  # between aligned blocks
    assert result.status == UNRECOGNIZED
    assert "GRCh38 7:100953023 cannot be lifted to GRCh37: is in no aligned block of GRCh37" in result.message
    off_chain = normalize_text(store, "7-999999999-A-G", assembly="GRCh37")
    assert off_chain.status == UNRECOGNIZED
    assert "cannot be lifted to GRCh38" in off_chain.message


def test_indel_in_a_region_inverted_between_assemblies_is_not_re_anchored(store: Store) -> None:
    # GRCh38 X:46962939 lies on a chain block that is reversed on GRCh37 (X:46819170, - strand).
    result = normalize_text(store, "X-46962939-A-AT", assembly="GRCh38")
    assert result.status == UNRECOGNIZED
    assert "lies in a region inverted on GRCh37" in result.message
    assert "cannot be re-anchored without the reference sequence" in result.message


def test_a_position_without_alleles_is_not_lifted_and_says_so(store: Store) -> None:
    result = normalize_text(store, "chr7:g.140753336_140753338del")
    assert result.status == UNRECOGNIZED
    assert "give its alleles" in result.message


def test_alleles_are_complemented_on_an_inverted_block() -> None:
    to37, to38 = liftover("GRCh38", "GRCh37"), liftover("GRCh37", "GRCh38")
    assert to37.lift("X", 46962939) == Lifted("X", 46819170, "-")
    assert to38.lift("chrX", 46819170) == Lifted("X", 46962939, "-")
    # A three-base span on the - strand lands on the three bases ending at the first one's image.
    assert to37.lift("X", 46962939, 3) == Lifted("X", 46819168, "-")
    assert reverse_complement("GAT") == "ATC"


@pytest.mark.parametrize(
    ("source", "chromosome", "position", "expected"),
    [
        ("GRCh38", "7", 140753336, ("7", 140453136)),  # BRAF V600
        ("GRCh38", "12", 25245351, ("12", 25398285)),  # KRAS G12
        ("GRCh37", "17", 7577538, ("17", 7674220)),  # TP53 R248
        ("GRCh37", "chr3", 178936082, ("3", 179218294)),  # PIK3CA E542
    ],
)
def test_known_hotspots_lift_to_their_published_coordinates(
    source: str, chromosome: str, position: int, expected: tuple[str, int]
) -> None:
    lifted = liftover(source, "GRCh37" if source == "GRCh38" else "GRCh38").lift(chromosome, position)
    assert isinstance(lifted, Lifted)
    assert (lifted.chromosome, lifted.position) == expected


def test_mitochondrial_positions_are_the_same_on_both_assemblies() -> None:
    # GRCh37 and GRCh38 share the rCRS; the chains' chrM block maps UCSC hg19's older chrM instead.
    assert liftover("GRCh37", "GRCh38").lift("chrM", 3243) == Lifted("MT", 3243, "+")
    assert liftover("GRCh38", "GRCh37").lift("MT", 16569) == Lifted("MT", 16569, "+")
    assert isinstance(liftover("GRCh38", "GRCh37").lift("MT", 16570), Unmappable)


def test_a_span_across_an_alignment_gap_is_unmappable() -> None:
    lifted = liftover("GRCh38", "GRCh37").lift("7", 100953000, 40)
    assert isinstance(lifted, Unmappable)
    assert "crosses a gap or break" in lifted.reason


def test_position_only_maf_rows_on_grch38_reach_grch37_sources(store: Store, tmp_path: Path) -> None:
    """oncokb-annotator's GRCh38 MAF with its protein columns removed: the positions alone must match."""
    rows = list(csv.DictReader(io.StringIO(ONCOKB_GRCH38.read_text()), delimiter="\t"))
    kept = [r for r in rows if r["Start_Position"]]
    columns = [c for c in rows[0] if c not in ("HGVSp_Short", "HGVSp", "HGVSg")]
    maf = tmp_path / "positions_only.maf"
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter="\t", extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    maf.write_text(out.getvalue())
    annotated, _ = annotate(store, [open_patient_file(maf)], disease="lung adenocarcinoma")
    answers = {r.input: (r.status, r.variant) for r in annotated}
    assert answers == {
        "PIK3CA 3-179218294-G-A": (NORMALIZED, "PIK3CA E542K"),
        "EGFR 7-55155850-C-T": (UNRECOGNIZED, None),  # EGFR H304Y: no source names it
        "PTEN 10-87933165-T-C": (UNRECOGNIZED, None),
        "KRAS 12-25245351-C-A": (NORMALIZED, "KRAS G12C"),
        "TP53 17-7674220-C-T": (NORMALIZED, "TP53 R248Q"),
        # A Splice_Site row says what it does without a protein change: a canonical splice change (issue 7).
        "NF1 17-31259031-G-A": (NORMALIZED, "NF1 Splice_Site"),
    }
    kras = next(r for r in annotated if r.variant == "KRAS G12C")
    assert "(GRCh38, declared; lifted to GRCh37 12:25398285)" in kras.message
    assert kras.sensitive_tier is not None  # the KRAS G12C evidence, reached from a GRCh38 position


def test_grch38_vcf_rows_reach_grch37_sources(store: Store, tmp_path: Path) -> None:
    vcf = tmp_path / "tumour.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "chr7\t140753336\t.\tA\tT\t.\tPASS\t.\n"
        "chr7\t140753336\t.\tC\tT\t.\tPASS\t.\n"
    )
    first, second = annotate(store, [open_patient_file(vcf)], disease="melanoma")[0]
    assert (first.status, first.variant) == (NORMALIZED, "BRAF V600E")
    assert "lifted to GRCh37 7:140453136" in first.message
    assert first.sensitive_tier == 1
    assert second.status == UNRECOGNIZED
    assert "reference allele mismatch after lifting" in second.message


def pmkg(*args: str) -> subprocess.CompletedProcess[str]:
    """``pmkg`` as a real process, on the starter graph the other tests use (read only)."""
    home = embedded_starter().folder.parent
    return subprocess.run(
        [sys.executable, "-m", "queries.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PMKG_HOME": str(home), "PMKG_STORE": "embedded"},
        check=False,
    )


def test_cli_match_lifts_a_declared_grch38_position() -> None:
    done = pmkg("match", "--variant", "7-140753336-A-T", "--assembly", "GRCh38", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    (variant,) = answer["inputs"]["variants"]
    assert (variant["status"], variant["variant"]["name"]) == (NORMALIZED, "BRAF V600E")
    assert variant["assembly"] == {"given": "GRCh38", "how": "declared", "lifted_to": "GRCh37",
                                   "lifted_position": "7:140453136"}  # fmt: skip
    assert answer["therapies"][0]["therapy"] == "Dabrafenib + Trametinib"


def test_cli_annotate_lifts_grch38_vcf_rows(tmp_path: Path) -> None:
    vcf = tmp_path / "tumour.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "chr12\t25245351\t.\tC\tA\t.\tPASS\t.\n"
    )
    done = pmkg("annotate", str(vcf), "--disease", "lung adenocarcinoma", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "KRAS G12C" in done.stdout
    assert "lifted to GRCh37 12:25398285" in done.stdout


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chromosome=st.sampled_from([*(str(n) for n in range(1, 23)), "X", "Y", "MT", "chr7", "chrM"]),
    position=st.one_of(st.integers(1, 250_000_000), st.sampled_from([140753336, 140453136, 25245351, 25398285])),
    ref=st.text("ACGT", min_size=1, max_size=3),
    alt=st.text("ACGT", min_size=1, max_size=3),
    assembly=st.sampled_from([None, "GRCh37", "GRCh38"]),
)
def test_any_position_gets_an_answer_that_says_its_assembly(
    chromosome: str, position: int, ref: str, alt: str, assembly: str | None
) -> None:
    result = normalize_text(embedded_starter(), f"{chromosome}-{position}-{ref}-{alt}", assembly=assembly)
    assert result.status in (NORMALIZED, UNRECOGNIZED, AMBIGUOUS)
    assert result.message
    if result.status == NORMALIZED:
        use = result.assembly_use
        assert use is not None
        assert use.given == (assembly or use.given)
        assert (use.lifted_to is None) == (use.lifted_position is None)
        assert use.lifted_to in (None, "GRCh37" if use.given == "GRCh38" else "GRCh38")
        assert f"({use.describe()})" in result.message
