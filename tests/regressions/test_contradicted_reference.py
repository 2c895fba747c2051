"""An input whose reference base contradicts what the build knows at that position was "not in this graph".

``BRAF c.1799G>A``: CIViC records BRAF V600E as ``NM_004333.4:c.1799T>A``, so the build knows c.1799 of
NM_004333 is T; the input was answered "is not in this graph (looked up on NM_004333, …)", which sends a user
looking for a missing variant instead of at a typo.  It now says "BRAF c.1799: the reference base is T (not G)"
and names the record it knows that from (:mod:`queries.reference_bases`).  A position no record knows keeps
"not in this graph": the build never claims a base it does not have (embedded and Neo4j stores alike).
Genomic inputs (and VCF rows, with their file and line) already named the reference the stored coordinates give.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.stores.port import Store
from queries.normalize import UNRECOGNIZED, normalize_text
from tests.pmkg_cli import pmkg
from tests.queries.matching_stores import STORE_KINDS, store_of_kind

CIVIC_V600E = "known from CIViC variant 12 (BRAF V600E: NM_004333.4:c.1799T>A)"


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BRAF c.1799G>A", f"BRAF c.1799: the reference base is T (not G); {CIVIC_V600E}"),
        ("BRAF c.1799A>T", f"BRAF c.1799: the reference base is T (not A); {CIVIC_V600E}"),
        ("NM_004333.4:c.1799C>A", f"NM_004333.4 c.1799: the reference base is T (not C); {CIVIC_V600E}"),
        ("NM_004333.6:c.1799G>A", f"NM_004333.6 c.1799: the reference base is T (not G); {CIVIC_V600E}"),
    ],
)
def test_a_coding_reference_the_build_contradicts_is_named_with_its_record(
    store: Store, text: str, message: str
) -> None:
    result = normalize_text(store, text)
    assert (result.status, result.message) == (UNRECOGNIZED, message)


@pytest.mark.parametrize(
    "text",
    [
        "BRAF c.4G>A",  # no record at c.4: nothing known to contradict (and no residue known at codon 2)
        "NM_004333.4:c.4G>A",  # a transcript alone, a position no record and no residue of its codon speaks of
        "NM_001374258.1:c.1799G>A",  # another transcript of BRAF: CIViC's NM_004333 record says nothing of it
    ],
)
def test_a_position_no_record_knows_keeps_not_in_this_graph(store: Store, text: str) -> None:
    result = normalize_text(store, text)
    assert result.status == UNRECOGNIZED
    assert "is not in this graph" in result.message
    assert "reference base" not in result.message


def test_the_right_reference_still_matches(store: Store) -> None:
    assert normalize_text(store, "BRAF c.1799T>A").variant_name == "BRAF V600E"


def test_the_cli_says_the_reference_base(starter_home: tuple[Path, dict[str, object]]) -> None:
    run = pmkg(starter_home[0], "match", "--variant", "BRAF c.1799G>A", "--variant", "KRAS G12C", "--format", "json")
    assert run.returncode == 0, run.stderr
    inputs = json.loads(run.stdout)["inputs"]["variants"]
    assert [(v["input"], v["status"]) for v in inputs] == [
        ("BRAF c.1799G>A", "unrecognized"),
        ("KRAS G12C", "normalized"),
    ]
    assert inputs[0]["message"] == f"BRAF c.1799: the reference base is T (not G); {CIVIC_V600E}"


def test_a_vcf_row_with_a_contradicting_reference_is_reported_with_file_and_line(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    vcf = tmp_path / "tumour.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "7\t140453136\t.\tA\tT\t.\tPASS\t.\n7\t140453136\t.\tC\tT\t.\tPASS\t.\n"
    )
    run = pmkg(starter_home[0], "annotate", str(vcf), "--assembly", "GRCh37", "--format", "json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    rows = {row["origin"]: answer["results"][row["result"]] for row in answer["variants"]}
    assert rows[f"{vcf}:3"]["variant"] is not None
    bad = rows[f"{vcf}:4"]
    assert bad["status"] == "unrecognized"
    assert "the input's reference is C, this graph's is A (BRAF V600E (A>T))" in bad["message"]
