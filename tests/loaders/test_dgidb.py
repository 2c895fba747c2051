"""DGIdb loader on rows cut from DGIdb's real interaction tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.identifiers import drug_id_from_name
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Direction
from loaders.dgidb import CivicDgiLoader, DgidbLoader, detect_layout, drug_curie

DATA = Path(__file__).parents[1] / "data" / "dgidb"


def load(name: str, *, skip_bad_rows: bool = False) -> DgidbLoader:
    return DgidbLoader({"interactions": DATA / name}, version="test", skip_bad_rows=skip_bad_rows)


def records(name: str) -> list[Record]:
    return list(load(name).parse())


def edges(recs: list[Record]) -> dict[tuple[str, str], Edge]:
    return {(r.start, r.end): r for r in recs if isinstance(r, Edge)}


def nodes(recs: list[Record]) -> dict[str, Node]:
    return {r.id: r for r in recs if isinstance(r, Node)}


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("interactions_2013.tsv", "2013"),
        ("interactions_v4.tsv", "v4"),
        ("civic_dgi.tsv", "civic"),
        ("CancerCommons_INTERACTIONS.tsv", "cancercommons"),
    ],
)
def test_layout_is_detected(name: str, layout: str) -> None:
    assert detect_layout(DATA / name).name == layout


def test_lapatinib_claims_from_five_sources_are_one_drugbank_edge() -> None:
    recs = records("interactions_2013.tsv")
    edge = edges(recs)[("DRUGBANK:DB01259", "HGNC:3430")]  # lapatinib → ERBB2
    assert edge.type == RelType.TARGETS
    assert set(edge.props["claim_sources"]) == {"TALC", "TEND", "DrugBank", "PharmGKB"}  # type: ignore[arg-type]
    assert "antagonist" in edge.props["interaction_types"]  # type: ignore[operator]
    assert "n/a" not in edge.props["interaction_types"]  # type: ignore[operator]
    lapatinib = nodes(recs)["DRUGBANK:DB01259"]
    assert lapatinib.label == Label.DRUG
    assert lapatinib.name == "LAPATINIB"
    # TTD names it TYKERB under its own id: kept apart (name-only id), with the TTD id as a property.
    tykerb = nodes(recs)[drug_id_from_name("TYKERB")]
    assert tykerb.props["ttd_id"] == "DCL000344"


def test_drug_ids_follow_the_claim_source() -> None:
    found = nodes(records("interactions_2013.tsv"))
    assert found["DRUGBANK:DB00619"].name == "IMATINIB"
    # PharmGKB's claim on olanzapine lands on DrugBank's id for the same name, with its PA id kept.
    assert str(found["DRUGBANK:DB00334"].props["pharmgkb_id"]).startswith("PA")
    assert "PMKG:drug/ponatinib" in found  # TALC names only


def test_genes_referenced_get_minimal_nodes() -> None:
    found = nodes(records("interactions_2013.tsv"))
    erbb2 = found["HGNC:3430"]
    assert erbb2.label == Label.GENE
    assert erbb2.name == "ERBB2"
    assert erbb2.props == {"symbol": "ERBB2"}


def test_ambiguous_gene_symbol_is_counted_not_guessed() -> None:
    source = load("interactions_2013.tsv")
    recs = list(source.parse())
    assert source.unresolved_genes["COX2"] == 2
    assert not any(isinstance(r, Edge) and "COX2" in str(r.props) for r in recs)


def test_civic_claims_use_entrez_and_merge_duplicates() -> None:
    recs = records("civic_dgi.tsv")
    crizotinib_alk = edges(recs)[("PMKG:drug/crizotinib", "HGNC:427")]
    assert crizotinib_alk.props["claim_sources"] == ["CIViC"]
    assert crizotinib_alk.props["claims"] == len(crizotinib_alk.provenance) > 1
    assert "interaction_types" not in crizotinib_alk.props  # every row says N/A
    assert nodes(recs)["PMKG:drug/crizotinib"].name == "Crizotinib"


def test_v4_row_takes_its_chembl_id() -> None:
    recs = records("interactions_v4.tsv")
    edge = edges(recs)[("CHEMBL.COMPOUND:CHEMBL296468", "HGNC:1778")]  # SNS-032 → CDK7
    assert edge.props["interaction_types"] == ["inhibitor"]
    drug = nodes(recs)["CHEMBL.COMPOUND:CHEMBL296468"]
    assert drug.name == "BMS-387032"
    assert "SNS-032" in drug.synonyms


def test_cancer_commons_keeps_names_and_pubchem() -> None:
    found = nodes(records("CancerCommons_INTERACTIONS.tsv"))
    dabrafenib = found["PMKG:drug/dabrafenib"]
    assert dabrafenib.props["pubchem_cid"] == "44462760"
    assert "GSK 2118436" in dabrafenib.synonyms


# A v5 table (dgidb.org/data/latest/interactions.tsv).  No real v5 file is in the shared data,
# so these rows follow DGIdb's published v5 header with values of the same shape.
V5 = (
    "gene_claim_name\tgene_concept_id\tgene_name\tinteraction_source_db_name\tinteraction_source_db_version\t"
    "interaction_type\tinteraction_score\tdrug_claim_name\tdrug_concept_id\tdrug_name\tapproved\timmunotherapy\t"
    "anti_neoplastic\n"
    "ERBB2\thgnc:3430\tERBB2\tChEMBL\t34\tinhibitor\t2.5\tLAPATINIB\tchembl:CHEMBL554\tLAPATINIB\tTRUE\tFALSE\tTRUE\n"
    "HER2\thgnc:3430\tERBB2\tCIViC\t2024\tNULL\t1.1\tTykerb\tchembl:CHEMBL554\tLAPATINIB\tTRUE\tFALSE\tTRUE\n"
    "BRAF\thgnc:1097\tBRAF\tNCIt\t24\tinhibitor\tNULL\tDabrafenib\tncit:C82386\tDABRAFENIB\tTRUE\tFALSE\tTRUE\n"
)


def test_v5_concept_ids(tmp_path: Path) -> None:
    path = tmp_path / "interactions.tsv"
    path.write_text("# DGIdb interactions\n" + V5)
    recs = list(DgidbLoader({"interactions": path}, version="5").parse())
    edge = edges(recs)[("CHEMBL.COMPOUND:CHEMBL554", "HGNC:3430")]
    assert edge.props["interaction_score"] == 2.5
    assert edge.props["claim_sources"] == ["ChEMBL", "CIViC"]
    lapatinib = nodes(recs)["CHEMBL.COMPOUND:CHEMBL554"]
    assert lapatinib.props["approved"] is True
    assert ("NCIT:C82386", "HGNC:1097") in edges(recs)


@given(st.sampled_from(["chembl", "CHEMBL", "drugbank", "ncit", "rxcui", "iuphar.ligand", "pubchem", "x"]), st.text())
def test_drug_curie_is_a_schema_drug_id_or_empty(prefix: str, local: str) -> None:
    curie = drug_curie(f"{prefix}:{local}")
    assert curie == "" or curie.split(":", 1)[0] in {"CHEMBL.COMPOUND", "DRUGBANK", "NCIT", "RXNORM", "IUPHAR.LIGAND"}


def test_provenance_round_trip() -> None:
    lines = (DATA / "interactions_2013.tsv").read_text().splitlines()
    for record in records("interactions_2013.tsv"):
        for prov in record.provenance:
            assert prov.line is not None
            assert prov.record_id in lines[prov.line - 1].split("\t")


def test_build_alone_answers_queries(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [load("interactions_2013.tsv")])
    assert manifest.counts["Drug"] > 10
    (imatinib,) = store.find("imatinib", Label.DRUG)
    targets = store.neighbours(imatinib.id, RelType.TARGETS, Direction.OUT)
    assert "ABL1" in {t.name for t in targets}
    assert store.evidence_for([imatinib.id]) == {}
    assert store.ancestors([imatinib.id]) == set()
    store.close()


# ---------------------------------------------------------------- bad input


def test_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "interactions.tsv"
    path.write_text("gene\tdrug\nBRAF\tvemurafenib\n")
    with pytest.raises(SourceFileError, match=r"interactions\.tsv:1: not a DGIdb interactions table"):
        list(DgidbLoader({"interactions": path}, version="x").parse())


def _with_bad_row(tmp_path: Path) -> Path:
    lines = (DATA / "civic_dgi.tsv").read_text().splitlines()
    lines.insert(3, "ALK\t238\tCrizotinib")  # a field short
    lines.insert(5, "\t\tImatinib\tN/A")  # no gene
    path = tmp_path / "civic_dgi.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_malformed_row_names_line(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"civic_dgi\.tsv:4: row has 3 fields"):
        list(DgidbLoader({"interactions": _with_bad_row(tmp_path)}, version="x").parse())


def test_skip_bad_rows_counts_them(tmp_path: Path) -> None:
    source = CivicDgiLoader({"interactions": _with_bad_row(tmp_path)}, version="x", skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [source])
    (info,) = [s for s in manifest.sources if s.name == "dgidb_civic"]
    assert info.skipped_rows == 2
    assert [e.line for e in source.skipped] == [4, 6]


def test_truncated_gzip(tmp_path: Path) -> None:
    import gzip

    data = gzip.compress((DATA / "interactions_2013.tsv").read_bytes())
    path = tmp_path / "interactions.tsv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFileError, match="truncated"):
        list(DgidbLoader({"interactions": path}, version="x").parse())


# ---------------------------------------------------------------- starter


def test_starter_is_the_cc0_civic_subset(tmp_path: Path) -> None:
    source = CivicDgiLoader.starter()
    assert source.spec.redistributable
    assert source.spec.license == "CC0-1.0"
    assert not DgidbLoader.spec.redistributable
    assert not hasattr(DgidbLoader, "starter")
    assert sum(isinstance(r, Edge) for r in source.parse()) > 100
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [source])
    assert manifest.counts["Drug"] > 50
    targets = store.neighbours("PMKG:drug/crizotinib", RelType.TARGETS, Direction.OUT)
    assert "ALK" in {t.name for t in targets}
    store.close()
