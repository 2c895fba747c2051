"""A genomic in-frame indel no source names is placed inside a class whose coordinates a source gives.

A raw VCF line for the commonest EGFR exon 19 deletion (E746_A750del, ``7-55242464-AGGAATTAAGAGAAGC-A``
on GRCh37) carries no gene and no protein change, and no stored variant sits at its position: it was
"not in this graph" and reached no therapy.  CIViC gives EGFR exon 19 deletion with its GRCh37 extent, so
the class rule places it (queries/region_placement.py).  Real starter graph, embedded and Neo4j.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.stores.port import Store
from queries.annotate import annotate
from queries.inputs import open_patient_file
from queries.matching import match_therapies
from queries.normalize import normalize_text
from tests.queries.matching_stores import STORE_KINDS, embedded_starter, store_of_kind

EXON_19_GRCH37 = "7-55242464-AGGAATTAAGAGAAGC-A"  # EGFR c.2235_2249del, VCF-style with its anchor base


@pytest.fixture(scope="module", params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    return store_of_kind(request)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (EXON_19_GRCH37, "(GRCh37, inferred)"),
        ("7-55174771-AGGAATTAAGAGAAGC-A", "(GRCh38, inferred; lifted to GRCh37 7:55242464)"),
        ("GRCh38:7-55174771-AGGAATTAAGAGAAGC-A", "(GRCh38, declared; lifted to GRCh37 7:55242464)"),
    ],
)
def test_an_exon_19_deletion_as_a_vcf_line_reaches_the_exon_class(store: Store, text: str, where: str) -> None:
    result = match_therapies(store, [text], "lung adenocarcinoma")
    variant = result.variants[0]
    assert variant.ok, variant.message
    assert where in variant.message
    assert "EGFR exon 19 deletion" in {m.name for m in variant.matches}
    assert {"Osimertinib", "Erlotinib", "Gefitinib"} <= {t.therapy.name for t in result.therapies if t.tier == 1}


def test_an_exon_20_insertion_and_a_kit_exon_11_deletion_are_placed(store: Store) -> None:
    insertion = normalize_text(store, "7-55249011-C-CGGT")  # 3 bases inserted inside CIViC's exon 20 extent
    assert "EGFR exon 20 insertion" in {m.name for m in insertion.matches}
    gist = match_therapies(store, ["4-55593600-AAAGGAA-A"], "gastrointestinal stromal tumor")
    assert "KIT exon 11 mutation" in {m.name for m in gist.variants[0].matches}
    assert "Imatinib" in {t.therapy.name for t in gist.therapies}


@pytest.mark.parametrize(
    "text",
    [
        "7-55242464-AG-A",  # one base: a frameshift or not, which only the reference sequence says
        "7-55242470-A-G",  # a substitution: missense or silent, the same
        "7-55242464-AGG-TCA",  # same length: no in-frame length change to place
        "7-55200000-AGGA-A",  # an in-frame deletion in an intron of EGFR: inside no extent a source gives
    ],
)
def test_what_the_extent_cannot_decide_stays_not_in_this_graph(store: Store, text: str) -> None:
    variant = normalize_text(store, text)
    assert not variant.ok
    assert "no variant at this position" in variant.message
    assert variant.matches == ()


def test_a_raw_vcf_line_is_annotated_with_the_exon_class(tmp_path: Path) -> None:
    vcf = tmp_path / "raw.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n##reference=GRCh37\n"
        "##contig=<ID=7,length=159138663>\n"
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
        "7\t55242464\t.\tAGGAATTAAGAGAAGC\tA\t.\tPASS\t.\tGT\t0/1\n"
    )
    rows, _ = annotate(embedded_starter(), [open_patient_file(vcf)], disease="LUAD")
    (row,) = rows
    assert row.status == "normalized", row.message
    assert row.sensitive_tier == 1
    assert any(t.startswith("Osimertinib") for t in row.therapies)
