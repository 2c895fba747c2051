"""ClinVar loader on real ClinVar cuts (variant_summary 2021 and a GRCh38 VCF slice)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Direction
from kg.variants import variant_id
from loaders.clinvar import ClinvarLoader, provenance_line

DATA = Path(__file__).parents[1] / "data" / "clinvar"
SUMMARY = DATA / "variant_summary_2021-05.txt.gz"
SUMMARY_OLD = DATA / "variant_summary_2021-02.txt.gz"
VCF = DATA / "clinvar_GRCh38_slice.vcf.gz"


def parse(**paths: Path) -> list[Record]:
    return list(ClinvarLoader(paths, version="test").parse())


def variants(recs: list[Record]) -> dict[str, Node]:
    return {r.id: r for r in recs if isinstance(r, Node) and r.label == Label.VARIANT}


def test_protein_change_gives_the_shared_variant_id() -> None:
    found = variants(parse(variant_summary=SUMMARY))
    brca2 = found[variant_id("BRCA2", "p.Glu1734fs")]
    assert brca2.name == "BRCA2 E1734fs"
    assert {"rs483353082", "CLINVAR:438988", "NM_000059.3:c.5201_5205delinsGAAAAG", "p.Glu1734fs"} <= set(
        brca2.synonyms
    )
    props = brca2.props
    assert props["clinvar_variation_id"] == "438988"
    assert props["clinical_significance"] == "Pathogenic"
    assert props["review_status"] == "reviewed by expert panel"
    assert props["dbsnp_id"] == "rs483353082"
    # Both assemblies from the two adjacent rows, VCF-style alleles.
    assert (props["grch37_chrom"], props["grch37_pos"], props["grch37_ref"], props["grch37_alt"]) == (
        "13",
        32913693,
        "AAAAA",
        "GAAAAG",
    )
    assert (props["grch38_pos"], props["grch38_start"]) == (32339556, 32339556)


def test_no_protein_change_keys_by_variation_id() -> None:
    found = variants(parse(variant_summary=SUMMARY))
    hbb = found["CLINVAR:632843"]
    assert hbb.name == "NM_000518.5(HBB):c.*110_*111del"
    assert "NM_000518.5:c.*110_*111del" in hbb.synonyms
    assert "protein_change" not in hbb.props


def test_old_layout_without_variation_id_falls_back_to_position() -> None:
    found = variants(parse(variant_summary=SUMMARY_OLD))
    assert variant_id("GCH1", "P69L") in found
    assert "PMKG:variant/GRCh38:18-58723046-A-G" in found  # splice variant, no VariationID column
    eng = found[variant_id("ENG", "V504M")]  # two genes named; the HGVS name says ENG
    assert eng.props["clinical_significance"] == "Likely benign;Uncertain significance"


def test_in_gene_edges_and_minimal_genes() -> None:
    recs = parse(variant_summary=SUMMARY_OLD)
    edges = {(r.start, r.end) for r in recs if isinstance(r, Edge) and r.type == RelType.IN_GENE}
    assert (variant_id("ENG", "V504M"), "HGNC:3349") in edges
    assert not any("LOC" in end for _, end in edges)
    genes = {r.id: r for r in recs if isinstance(r, Node) and r.label == Label.GENE}
    assert genes["HGNC:3349"].name == "ENG"


def test_vcf_records() -> None:
    recs = parse(vcf=VCF)
    found = variants(recs)
    hbs = found["CLINVAR:15333"]  # HbS, rs334
    assert hbs.name == "NC_000011.10:g.5227002T>A"
    assert "rs334" in hbs.synonyms
    assert (hbs.props["grch38_chrom"], hbs.props["grch38_pos"]) == ("11", 5227002)
    assert hbs.props["clinical_significance"]
    conflicting = found["CLINVAR:1043045"]
    assert conflicting.props["review_status"] == "criteria provided, conflicting classifications"
    consequences = {(r.start, r.end) for r in recs if isinstance(r, Edge) and r.type == RelType.HAS_CONSEQUENCE}
    assert ("CLINVAR:1043045", "SO:0001583") in consequences
    so = {r.id: r for r in recs if isinstance(r, Node) and r.label == Label.CONSEQUENCE}
    assert so["SO:0001583"].name == "missense_variant"
    edges = {(r.start, r.end) for r in recs if isinstance(r, Edge) and r.type == RelType.IN_GENE}
    assert ("CLINVAR:15333", "HGNC:4827") in edges  # GENEINFO HBB:3043


def test_provenance_round_trip() -> None:
    for path, recs in ((SUMMARY, parse(variant_summary=SUMMARY)), (VCF, parse(vcf=VCF))):
        for record in recs:
            for prov in record.provenance:
                assert prov.record_id in provenance_line(prov, path)


def test_build_alone_and_find_by_rs_and_hgvs(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [ClinvarLoader.starter()])
    (brca2,) = store.find("rs483353082", Label.VARIANT)
    assert brca2.id == variant_id("BRCA2", "E1734fs")
    assert store.find("CLINVAR:438988", Label.VARIANT) == [brca2]
    (gene,) = store.neighbours(brca2.id, RelType.IN_GENE, Direction.OUT)
    assert gene.name == "BRCA2"
    assert store.evidence_for([brca2.id]) == {}
    assert store.ancestors([brca2.id]) == set()
    assert store.find("NC_000011.10:g.5227002T>A")[0].id == "CLINVAR:15333"
    store.close()


def test_needs_one_of_its_files(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="variant_summary and/or vcf"):
        ClinvarLoader({"other": tmp_path / "x"}, version="x")


# ---------------------------------------------------------------- bad input


def _summary_lines() -> list[str]:
    return gzip.decompress(SUMMARY.read_bytes()).decode().splitlines()


def test_wrong_header(tmp_path: Path) -> None:
    lines = _summary_lines()
    lines[0] = lines[0].replace("ClinicalSignificance", "Significance")
    path = tmp_path / "variant_summary.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceFileError, match=r"variant_summary\.txt:1: header lacks column\(s\) \['Clinical"):
        parse(variant_summary=path)


def _bad_summary(tmp_path: Path) -> Path:
    lines = _summary_lines()
    fields = lines[3].split("\t")
    fields[19] = "3274x"  # Start
    lines[3] = "\t".join(fields)
    lines.append("\t".join(lines[5].split("\t")[:10]))  # a short row, last (line 10)
    path = tmp_path / "variant_summary.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_malformed_rows_name_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"variant_summary\.txt:4 \(field 'Start'\): expected an integer"):
        parse(variant_summary=_bad_summary(tmp_path))


def test_skip_bad_rows_counts_them(tmp_path: Path) -> None:
    source = ClinvarLoader({"variant_summary": _bad_summary(tmp_path)}, version="x", skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [source])
    (info,) = [s for s in manifest.sources if s.name == "clinvar"]
    assert info.skipped_rows == 2
    assert sorted(e.line for e in source.skipped if e.line) == [4, 10]


def test_vcf_bad_record_and_missing_header(tmp_path: Path) -> None:
    lines = gzip.decompress(VCF.read_bytes()).decode().splitlines()
    header_at = next(i for i, ln in enumerate(lines) if ln.startswith("#CHROM"))
    bad = list(lines)
    bad[header_at + 2] = bad[header_at + 2].replace("\t924518\t", "\tpos\t")
    path = tmp_path / "clinvar.vcf"
    path.write_text("\n".join(bad) + "\n")
    with pytest.raises(SourceFileError, match=rf"clinvar\.vcf:{header_at + 3} \(field 'POS'\)"):
        parse(vcf=path)
    path.write_text("\n".join(ln for ln in lines if not ln.startswith("#CHROM")) + "\n")
    with pytest.raises(SourceFileError, match="expected the VCF header"):
        parse(vcf=path)


@pytest.mark.parametrize("which", ["variant_summary", "vcf"])
def test_truncated_gzip(tmp_path: Path, which: str) -> None:
    source = SUMMARY if which == "variant_summary" else VCF
    data = source.read_bytes()
    path = tmp_path / f"{which}.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFileError, match="truncated"):
        parse(**{which: path})


def test_starter_version_and_contents() -> None:
    source = ClinvarLoader.starter()
    assert source.spec.redistributable
    found = variants(list(source.parse()))
    assert len(found) == 14
