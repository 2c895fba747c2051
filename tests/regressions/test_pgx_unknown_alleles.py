"""Issue 9: alleles the allele definitions do not know were accepted (``HLA-B *99:99/*99:99`` gave
"negative" for every CPIC allele and a standard-dose answer).  They are ``unrecognized`` now."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.stores.port import Store
from queries.pgx import lookup_diplotypes
from queries.pgx_outside import HLA_ALLELE_GROUPS
from tests.queries import test_pgx
from tests.queries.test_pgx import pmkg_pgx

pgx_home, embedded = test_pgx.pgx_home, test_pgx.embedded


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("HLA-B *99:99/*99:99", "HLA-B has no allele group *99"),
        ("HLA-B *57:01/*99:01", "HLA-B has no allele group *99"),
        ("HLA-A *99:01/*02:01", "HLA-A has no allele group *99"),
        ("HLA-A *57:01/*02:01", "HLA-A has no allele group *57"),  # *57 is an HLA-B group, not an HLA-A one
        ("HLA-B *5701/*08:01", "is not an HLA allele"),
        ("CYP2C19 *99/*1", "CYP2C19 has no allele '*99'"),
        ("CYP2D6 *999/*1", "CYP2D6 has no allele '*999'"),
        ("DPYD *2A/*99Z", "DPYD has no allele '*99Z'"),
        ("MT-RNR1 9999A>G", "neither a MT-RNR1 diplotype"),
    ],
)
def test_hla_b_99_99_and_other_undefined_alleles_are_unrecognized_not_negative(
    embedded: Store, text: str, reason: str
) -> None:
    report = lookup_diplotypes(embedded, [text], ["abacavir", "clopidogrel"]).as_dict()
    (item,) = [i for i in report["inputs"] if i["input"] == text]
    assert item["status"] == "unrecognized"
    assert reason in item["reason"]
    assert report["genes"] == []
    assert report["recommendations"] == []


def test_hla_typing_within_known_groups_still_gives_cpic_negative_and_says_what_was_not_checked(
    embedded: Store,
) -> None:
    report = lookup_diplotypes(embedded, ["HLA-B *08:01/*44:02"], ["abacavir"]).as_dict()
    (row,) = report["recommendations"]
    assert row["lookup"] == {"HLA-B": "*57:01 negative"}
    assert "protein fields were not checked" in report["inputs"][0]["notes"][0]


def test_cli_json_reports_hla_b_99_99_as_unrecognized(pgx_home: Path) -> None:
    import json

    done = pmkg_pgx(pgx_home, "--diplotype", "HLA-B *99:99/*99:99", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["inputs"][0]["status"] == "unrecognized"
    assert answer["recommendations"] == []


@settings(max_examples=200, deadline=None)
@given(gene=st.sampled_from(sorted(HLA_ALLELE_GROUPS)), first=st.integers(0, 999), second=st.integers(1, 9999))
def test_any_hla_allele_group_is_checked_against_imgt_hla(embedded: Store, gene: str, first: int,
                                                          second: int) -> None:  # fmt: skip
    group = f"{first:02d}"
    text = f"{gene} *{group}:{second:02d}/*{sorted(HLA_ALLELE_GROUPS[gene])[0]}:01"
    item = lookup_diplotypes(embedded, [text]).as_dict()["inputs"][0]
    assert item["status"] == ("ok" if group in HLA_ALLELE_GROUPS[gene] else "unrecognized"), item
