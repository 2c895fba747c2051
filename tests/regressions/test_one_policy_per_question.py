"""One policy per question: the same text names the same disease (or gene, or drug) in every command.

Before: ``pmkg search`` put exact name matches first in store order and ``match --disease`` picked its term by
its own preference, so the first disease ``search`` showed could differ from the one ``match`` ranked in; a
misspelt diagnosis (``melanomma``) matched nothing anywhere and suggested nothing; ``MET`` could be two genes
to one command and one to another; a bad VCF gave different errors through ``annotate`` and ``pgx``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SourceFileError
from kg.schema import Label
from kg.stores.port import Store
from queries.models import AnnotateQuery, EntityQuery, MatchQuery, PgxQuery, PgxSamplesAnswer, SearchQuery
from queries.services.annotate import CohortFiles, annotate
from queries.services.entity import entity
from queries.services.match import match
from queries.services.pgx import pgx
from queries.services.search import ancestors, search
from tests.queries.matching_stores import embedded_starter

# text → the disease every command must read it as
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "pgx" / "examples"
DISEASE_TEXTS = {
    "NSCLC": "DOID:3908",
    "non small cell lung cancer": "DOID:3908",
    "lung": "ONCOTREE:LUNG",
    "LUAD": "ONCOTREE:LUAD",
    "DOID:3910": "DOID:3910",
    "doid:3910": "DOID:3910",
    "Lung Adenocarcinoma": "DOID:3910",
    "melanomma": "DOID:1909",  # misspelt: read as melanoma, and every command says so
    "lung adenocarcinomma": "DOID:3910",
    "brest cancer": "DOID:1612",  # "brest" is one edit from breast, crest and rest: only breast cancer is a disease
}


@pytest.fixture(scope="module")
def store() -> Store:
    return embedded_starter()


def one_row_maf(folder: Path) -> Path:
    path = folder / "one.maf"
    path.write_text("Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "disease_id"), DISEASE_TEXTS.items())
def test_the_same_disease_text_names_the_same_disease_in_match_search_ancestors_and_annotate(
    store: Store, tmp_path: Path, text: str, disease_id: str
) -> None:
    matched = match(store, MatchQuery(variants=["BRAF V600E"], disease=text)).inputs.disease
    assert matched is not None
    assert matched.id == disease_id
    first = next(h for h in search(store, SearchQuery(text=text)).hits if h.label == Label.DISEASE)
    assert first.id == disease_id
    assert ancestors(store, text).disease.id == disease_id
    cohort = annotate(store, AnnotateQuery(disease=text), CohortFiles(one_row_maf(tmp_path)))
    assert cohort.samples[0].disease is not None
    assert cohort.samples[0].disease.endswith(f"({disease_id})")
    assert entity(store, EntityQuery(text=text, label=Label.DISEASE)).id == disease_id


def test_a_misspelt_diagnosis_is_read_as_the_one_disease_it_can_be_and_every_command_says_so(
    store: Store, tmp_path: Path
) -> None:
    said = "'melanomma' is not a disease name in this graph; read as 'melanoma'"
    assert any(said in w for w in match(store, MatchQuery(variants=["BRAF V600E"], disease="melanomma")).warnings)
    assert any(said in n for n in ancestors(store, "melanomma").notes)
    cohort = annotate(store, AnnotateQuery(disease="melanomma"), CohortFiles(one_row_maf(tmp_path)))
    assert said in cohort.samples[0].message or any(said in r.message for r in cohort.results.values())


def test_a_misspelling_that_could_be_two_diseases_is_not_guessed(store: Store) -> None:
    answer = match(store, MatchQuery(variants=["BRAF V600E"], disease="lung adenocarcinomma of crest"))
    assert answer.inputs.disease is not None
    assert answer.inputs.disease.id is None


def test_a_gene_symbol_that_is_another_genes_alias_is_its_own_gene_everywhere(store: Store) -> None:
    assert entity(store, EntityQuery(text="MET", label=Label.GENE)).id == "HGNC:7029"
    variant = match(store, MatchQuery(variants=["MET amplification"])).inputs.variants[0]
    assert variant.status == "normalized"
    assert variant.variant is not None
    assert "MET" in variant.variant.name


# -- one VCF reader ---------------------------------------------------------------------------
VCF_HEADER = "##fileformat=VCFv4.2\n" + "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
                                                   "FORMAT", "S1"]) + "\n"  # fmt: skip
NOT_VCFS = {
    "data before the header": b"##fileformat=VCFv4.2\n7\t140753336\t.\tA\tT\t.\tPASS\t.\n",
    "a header without INFO": b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\n7\t1\t.\tA\tT\t.\tPASS\n",
    "UTF-16": "##fileformat=VCFv4.2\n".encode("utf-16"),
    "a truncated gzip stream": (EXAMPLES / "multisample.vcf.gz").read_bytes()[:300],
}


@pytest.mark.parametrize("content", NOT_VCFS.values(), ids=NOT_VCFS.keys())
def test_a_file_that_is_no_vcf_gets_the_same_error_from_annotate_and_pgx(
    store: Store, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "patient.vcf"
    path.write_bytes(content)
    with pytest.raises(SourceFileError) as annotated:
        annotate(store, AnnotateQuery(assembly="GRCh38"), CohortFiles(path))
    with pytest.raises(SourceFileError) as called:
        pgx(store, PgxQuery(), vcf=path)
    assert str(annotated.value) == str(called.value)
    assert (annotated.value.path, annotated.value.line) == (called.value.path, called.value.line)


def test_bad_vcf_lines_are_reported_alike_by_annotate_and_pgx(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "patient.vcf"
    lines = VCF_HEADER + "10\tabc\t.\tG\tA\t.\tPASS\t.\tGT\t0/1\n" + "10\t94781859\t.\tG\tA\t.\tPASS\t.\tGT\n"
    path.write_bytes(lines.encode() + b"10\t94781860\t.\tG\tA\t.\tPASS\t.\tGT\t0/\xff\n")
    cohort = annotate(store, AnnotateQuery(assembly="GRCh38"), CohortFiles(path))
    by_annotate = {(row.origin, cohort.results[row.result].message) for row in cohort.variants
                   if cohort.results[row.result].status == "unreadable"}  # fmt: skip
    answer = pgx(store, PgxQuery(), vcf=path)
    assert not isinstance(answer, PgxSamplesAnswer)
    # annotate's row message names the field in its text; pgx gives it as its own key
    by_pgx = {(i.input, (f"field {i.field!r}: " if i.field else "") + (i.reason or ""))
              for i in answer.inputs if i.status == "unreadable"}  # fmt: skip
    assert by_annotate == by_pgx
    assert {origin for origin, _ in by_pgx} == {f"{path}:3", f"{path}:4", f"{path}:5"}
