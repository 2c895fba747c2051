"""Hypothesis strategies for what users and their files throw at pmkg.

Each strategy mixes well-formed inputs (so the interesting code paths are reached, not only the
first parser's rejection) with the hostile ones a careful tester tries: rich markup, bytes that
are not UTF-8 (as the shell passes them), control characters, huge numbers, lone separators,
very long text, and files that are truncated, binary, UTF-16 or mislabelled.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
INPUTS = REPO / "tests" / "data" / "inputs"

GENES = ["BRAF", "EGFR", "KRAS", "ERBB2", "HER2", "ALK", "EML4", "PIK3CA", "TP53", "CDKN2A", "MET", "FLT3",
         "NTRK1", "BRCA2", "IDH1", "braf", "NOTAGENE", "A", ""]  # fmt: skip
PGX_GENES = ["CYP2C19", "CYP2D6", "CYP2C9", "DPYD", "TPMT", "NUDT15", "SLCO1B1", "UGT1A1", "HLA-B", "HLA-A",
             "CYP3A5", "VKORC1", "cyp2c19", "NOTAPGX"]  # fmt: skip
AMINO = "ACDEFGHIKLMNPQRSTVWY*X"
MARKUP = ["[/]", "[/bold]", "[bold]", "[red]x[/red]", "[link=http://x]y[/link]", "[", "]", "\\[", "[[/]]"]
DISEASES = ["melanoma", "LUAD", "lung adenocarcinoma", "DOID:3908", "DOID:0", "NCIT:C3512", "MEL", "cancer",
            "Lung Adenocarcinoma", "NSCLC", "colorectal cancer", "DOID:", "ONCOTREE:LUAD", "C3512"]  # fmt: skip


def shell_bytes() -> st.SearchStrategy[str]:
    """An argument the shell passes as raw bytes that are not UTF-8 (decoded as Python does: surrogateescape)."""
    return st.binary(min_size=1, max_size=12).map(os.fsdecode)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(MARKUP),
        shell_bytes(),
        st.text(max_size=40),
        st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8),  # control characters
        st.sampled_from(["", " ", "\t", "\n", "-", "--", "*", "/", "::", "%s", "{}", "\\", "'", '"', "NaN"]),
        st.integers().map(str),
        st.just("A" * 5000),
    )


def _protein(draw: st.DrawFn) -> str:
    position = draw(st.one_of(st.integers(0, 1000), st.integers(min_value=10**6, max_value=10**30)))
    return f"{draw(st.sampled_from(['', 'p.']))}{draw(st.sampled_from(AMINO))}{position}{draw(st.sampled_from(AMINO))}"


EXON_EVENTS = ["deletion", "insertion", "skipping", "mutation"]
GENE_EVENTS = ["amplification", "deletion", "loss", "gain", "fusion", "ITD", "mutation"]
BIOMARKERS = ["MSI-H", "TMB 12 mut/Mb", "TMB -1 mut/Mb", "rs113488022", "rs", "rs99999999999999"]


@st.composite
def variant_text(draw: st.DrawFn) -> str:
    gene, other = draw(st.sampled_from(GENES)), draw(st.sampled_from(GENES))
    number = draw(st.one_of(st.integers(-5, 1000), st.integers(min_value=10**6, max_value=10**30)))
    aa, aa2 = draw(st.sampled_from(AMINO)), draw(st.sampled_from(AMINO))
    form = draw(st.integers(0, 9))
    if form == 0:
        return f"{gene} {_protein(draw)}"
    if form == 1:
        return f"{gene}{draw(st.sampled_from(['::', '-', '--', ' ']))}{other}"
    if form == 2:
        return f"{gene} exon {number} {draw(st.sampled_from(EXON_EVENTS))}"
    if form == 3:
        chrom = draw(st.sampled_from(["7", "chr7", "X", "25", "chrUn", "0"]))
        alt = draw(st.sampled_from(["A", "T", "GG", "<DEL>", ""]))
        return f"{chrom}-{number}-{draw(st.sampled_from('ACGTN'))}-{alt}"
    if form == 4:
        return f"NM_004333.{draw(st.integers(0, 999))}:c.{number}T>{draw(st.sampled_from('ACGTX'))}"
    if form == 5:
        return f"{gene} {draw(st.sampled_from(GENE_EVENTS))}"
    if form == 6:
        return draw(st.sampled_from(BIOMARKERS))
    if form == 7:
        return f"{gene} {draw(hostile_text())}"
    if form == 8:
        return f"{gene} {aa}{draw(st.integers(1, 999))}_{aa2}{number}del"
    return draw(hostile_text())


@st.composite
def diplotype_text(draw: st.DrawFn) -> str:
    gene = draw(st.sampled_from(PGX_GENES))
    form = draw(st.integers(0, 5))
    allele = st.one_of(
        st.integers(0, 120).map(lambda n: f"*{n}"), st.sampled_from(["*2A", "*57:01", "*99:99", "*", "*1xN", "*-1"])
    )
    if form <= 2:
        separator = draw(st.sampled_from(["/", "|", "/ ", "//", ""]))
        return f"{gene}{draw(st.sampled_from([' ', '']))}{draw(allele)}{separator}{draw(allele)}"
    if form == 3:
        return f"{gene} activity score {draw(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()))}"
    if form == 4:
        return f"{gene} {draw(hostile_text())}"
    return draw(hostile_text())


def disease_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(DISEASES), hostile_text(), st.sampled_from(DISEASES).map(lambda d: f"  {d.upper()} ")
    )


# -- file bytes ------------------------------------------------------------------------------------
SEEDS = [
    INPUTS / "oncokb" / "example_maf.txt",
    INPUTS / "oncokb" / "example_cna.txt",
    INPUTS / "oncokb" / "example_fusions.txt",
    INPUTS / "vcf2maf" / "test_b38.vcf",
    INPUTS / "vcf2maf" / "test.vcf",
]


@st.composite
def patient_file_bytes(draw: st.DrawFn) -> bytes:
    """A real patient file, whole or damaged: lines dropped, cut, duplicated or garbled; re-encoded; gzipped and cut."""
    seed = draw(st.sampled_from(SEEDS)).read_bytes()
    lines = seed.split(b"\n")
    damage = draw(st.integers(0, 9))
    if damage == 1:
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = lines[index][: draw(st.integers(0, max(0, len(lines[index]) - 1)))]
    elif damage == 2:
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = draw(st.binary(max_size=60))
    elif damage == 3:
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = lines[index].replace(b"\t", draw(st.sampled_from([b"\t\t", b" ", b",", b""])))
    elif damage == 4:
        lines = lines[: draw(st.integers(0, len(lines)))]
    elif damage == 5:
        return draw(st.binary(max_size=400))
    data = b"\n".join(lines)
    if damage == 6:
        data = data.decode("utf-8", "replace").encode(
            draw(st.sampled_from(["utf-16", "utf-16-le", "latin-1", "utf-8-sig"])), "replace"
        )
    if damage == 7 or (draw(st.booleans()) and damage == 0):
        data = gzip.compress(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
    if damage == 8:
        data = data.replace(b"\n", b"\r\n")
    return data
