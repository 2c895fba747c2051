"""Issue 9, ``pgx --vcf``: a bad line stopped the whole run (and a genotype such as ``7/9`` at a
biallelic site with it), and invalid UTF-8 was reported on line 1 whatever line it was on.
Every bad line is reported with its own number now, and the rest of the file is read."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.stores.port import Store
from queries.pgx_calling import gene_definitions, vcf_reports
from queries.pgx_graph import PgxGraph
from queries.pgx_vcf import normal_chromosome, read_vcf
from tests.queries import test_pgx
from tests.queries.test_pgx import pmkg_pgx

pgx_home, embedded = test_pgx.pgx_home, test_pgx.embedded
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "pgx" / "examples" / "pharmcat.example2.vcf"


def lines() -> list[bytes]:
    return EXAMPLE.read_bytes().splitlines(keepends=True)


def first_data_line() -> int:
    return next(i for i, line in enumerate(lines(), start=1) if not line.startswith(b"#"))


def with_line(tmp_path: Path, replacements: dict[int, bytes], name: str = "edited.vcf") -> Path:
    edited = lines()
    for number, text in replacements.items():
        edited[number - 1] = text
    path = tmp_path / name
    data = b"".join(edited)
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def unreadable(report: dict[str, object]) -> list[dict[str, object]]:
    return [i for i in report["inputs"] if i["status"] == "unreadable"]  # type: ignore[index, union-attr]


def test_a_genotype_7_9_at_a_biallelic_site_is_reported_on_its_line_not_skipped(embedded: Store,
                                                                                tmp_path: Path) -> None:  # fmt: skip
    number = first_data_line() + 3
    fields = lines()[number - 1].rstrip(b"\n").split(b"\t")
    assert b"," not in fields[4]  # one ALT allele: biallelic
    path = with_line(tmp_path, {number: b"\t".join([*fields[:-1], b"7/9"]) + b"\n"})
    (report,) = vcf_reports(embedded, path)
    (bad,) = unreadable(report.as_dict())
    assert bad["line"] == number
    assert "GT '7/9' names allele 9 but the line has 1 ALT allele(s)" in str(bad["reason"])
    assert report.genes  # the rest of the file is still called


def test_every_bad_line_is_reported_and_the_run_carries_on(embedded: Store, tmp_path: Path) -> None:
    start = first_data_line()
    path = with_line(tmp_path, {start + 1: b"chr1\tnot-a-position\n", start + 5: b"garbage\n",
                                start + 9: b"chr1\t12O\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n"})  # fmt: skip
    (report,) = vcf_reports(embedded, path)
    assert [i["line"] for i in unreadable(report.as_dict())] == [start + 1, start + 5, start + 9]
    assert {g.gene for g in report.genes} >= {"CYP2C19", "DPYD", "TPMT"}


def test_invalid_utf8_is_reported_on_its_own_line_plain_and_gzipped(embedded: Store, tmp_path: Path) -> None:
    number = first_data_line() + 4
    broken = lines()[number - 1].replace(b"PASS", b"PA\xc3(SS")
    for name in ("utf8.vcf", "utf8.vcf.gz"):
        (report,) = vcf_reports(embedded, with_line(tmp_path, {number: broken}, name))
        (bad,) = unreadable(report.as_dict())
        assert bad["line"] == number, name
        assert "not UTF-8" in str(bad["reason"])


def test_cli_lists_each_bad_line_in_json_and_exits_0(pgx_home: Path, tmp_path: Path) -> None:
    start = first_data_line()
    path = with_line(tmp_path, {start: b"\xff\xfe\n", start + 2: b"x\ty\n"})
    done = pmkg_pgx(pgx_home, "--vcf", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [i["line"] for i in unreadable(json.loads(done.stdout))] == [start, start + 2]


@functools.cache
def wanted_positions(store: Store) -> dict[tuple[str, int], str]:
    genes, _ = gene_definitions(PgxGraph(store))
    return {(normal_chromosome(locus.chromosome), locus.position): locus.ref for _, d in genes for locus in d.loci}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=200))
def test_any_bytes_on_a_data_line_never_stop_the_run(embedded: Store, tmp_path: Path, junk: bytes) -> None:
    number = first_data_line() + 2
    path = with_line(tmp_path, {number: junk.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n"})
    vcf = read_vcf(path, wanted_positions(embedded))
    assert {p.line for p in vcf.problems} <= {number}
    assert len(vcf.calls[vcf.samples[0]]) >= len(wanted_positions(embedded)) // 2  # the rest was read
