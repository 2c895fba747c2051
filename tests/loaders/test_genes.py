"""Genes loader and GeneResolver, on fixtures cut from the real HGNC and MANE files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Node
from kg.schema import Label
from kg.stores.embedded import EmbeddedStore
from loaders.genes import GeneEntry, GeneResolver, GenesLoader, read_hgnc

DATA = Path(__file__).parents[1] / "data" / "genes"
VERSION = "HGNC 2024-07-23; MANE v1.5"


def loader(hgnc: str = "hgnc_complete_set.txt", mane: Path | None = None, **kwargs: bool) -> GenesLoader:
    return GenesLoader({"hgnc": DATA / hgnc, "mane": mane or DATA / "mane_summary.txt"}, version=VERSION, **kwargs)


def nodes_by_id(source: GenesLoader) -> dict[str, Node]:
    return {r.id: r for r in source.parse() if isinstance(r, Node)}


# ---------------------------------------------------------------- resolver


@pytest.fixture(scope="module")
def bundled() -> GeneResolver:
    return GeneResolver.bundled()


def test_her2_resolves_to_erbb2(bundled: GeneResolver) -> None:
    assert bundled.resolve("HER2") == "HGNC:3430"
    assert bundled.resolve("her2") == "HGNC:3430"
    assert bundled.symbol("HGNC:3430") == "ERBB2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BRAF", "HGNC:1097"),
        ("braf", "HGNC:1097"),
        (" EGFR ", "HGNC:3236"),
        ("ERBB1", "HGNC:3236"),  # alias
        ("KRAS2", "HGNC:6407"),  # previous symbol
        ("MLL", "HGNC:7132"),  # previous symbol of KMT2A
        ("SEPT9", "HGNC:7323"),  # renamed SEPTIN9
        ("C1orf112", "HGNC:25565"),
        ("HGNC:1097", "HGNC:1097"),
        ("hgnc:1097", "HGNC:1097"),
        ("HGNC:99999999", None),
        ("NOT-A-GENE", None),
    ],
)
def test_resolve(bundled: GeneResolver, text: str, expected: str | None) -> None:
    assert bundled.resolve(text) == expected


def test_approved_symbol_is_never_stolen_by_an_alias(bundled: GeneResolver) -> None:
    # MLN is motilin's approved symbol and also an alias of another gene.
    assert bundled.resolve("MLN") == "HGNC:7141"
    assert bundled.candidates("MLN")[0] == "HGNC:7141"
    assert len(bundled.candidates("MLN")) > 1
    # No alias or previous symbol ever resolves away from an approved symbol.
    for entry in list(bundled.entries())[:5000]:
        assert bundled.resolve(entry.symbol) == entry.hgnc_id


def test_ambiguous_alias_resolves_to_none_with_candidates() -> None:
    genes = GeneResolver([
        GeneEntry("HGNC:1", "AAA1", aliases=("SHARED",)),
        GeneEntry("HGNC:2", "BBB2", aliases=("SHARED", "ONLYB")),
        GeneEntry("HGNC:3", "CCC3", previous=("SHARED",)),
        GeneEntry("HGNC:4", "DDD4", aliases=("TWICE",)),
        GeneEntry("HGNC:5", "EEE5", aliases=("TWICE",)),
    ])  # fmt: skip
    assert genes.resolve("ONLYB") == "HGNC:2"
    assert genes.resolve("shared") == "HGNC:3"  # a previous symbol outranks aliases
    assert genes.resolve("TWICE") is None
    assert genes.is_ambiguous("TWICE")
    assert genes.candidates("twice") == ("HGNC:4", "HGNC:5")
    assert genes.candidates("SHARED") == ("HGNC:3", "HGNC:1", "HGNC:2")


def test_real_ambiguous_alias_is_not_guessed(bundled: GeneResolver) -> None:
    ambiguous = [k for k in ("P40", "CAP", "AIS", "ASP") if bundled.is_ambiguous(k)]
    assert ambiguous, "expected at least one well-known ambiguous alias"
    for text in ambiguous:
        assert bundled.resolve(text) is None
        assert len(bundled.candidates(text)) > 1


def test_by_entrez_and_ensembl(bundled: GeneResolver) -> None:
    assert bundled.by_entrez(673) == "HGNC:1097"
    assert bundled.by_entrez("2064") == "HGNC:3430"
    assert bundled.by_entrez("GeneID:7157") == "HGNC:11998"
    assert bundled.by_entrez("NCBIGene:7157") == "HGNC:11998"
    assert bundled.by_entrez("999999999") is None
    assert bundled.by_ensembl("ENSG00000157764.14") == "HGNC:1097"


def test_symbol_of_unknown_id_names_it(bundled: GeneResolver) -> None:
    with pytest.raises(KeyError, match="HGNC:0"):
        bundled.symbol("HGNC:0")


def test_bundled_is_cached_and_complete(bundled: GeneResolver) -> None:
    assert GeneResolver.bundled() is bundled
    assert len(bundled) > 43_000
    assert "HGNC:3430" in bundled


@pytest.mark.parametrize("layout", ["hgnc_complete_set.txt", "hgnc_custom.tsv", "hgnc_20260424.json"])
def test_every_hgnc_layout_gives_the_same_braf(layout: str) -> None:
    genes = GeneResolver.from_file(DATA / layout)
    assert genes.resolve("BRAF") == "HGNC:1097"
    assert genes.by_entrez("673") == "HGNC:1097"
    entry = genes.entry("HGNC:1097")
    assert entry is not None
    assert entry.ensembl_gene_id == "ENSG00000157764"


def test_custom_download_lists_split_on_commas() -> None:
    genes = GeneResolver.from_file(DATA / "hgnc_custom.tsv")
    entry = genes.entry("HGNC:3430")
    assert entry is not None
    assert "HER2" in entry.aliases
    assert "p185(erbB2)" in entry.aliases
    assert entry.previous == ("NGL",)


def test_withdrawn_entries_are_skipped() -> None:
    ids = {e.hgnc_id for _, e in read_hgnc(DATA / "hgnc_custom.tsv")}
    assert "HGNC:6" not in ids  # A1S9T, symbol withdrawn
    assert "HGNC:5" in ids


@given(st.text(min_size=1, max_size=12))
def test_resolve_never_raises_and_agrees_with_candidates(text: str) -> None:
    genes = GeneResolver.bundled()
    found = genes.resolve(text)
    if found is not None and not text.strip().upper().startswith("HGNC:"):
        assert found in genes.candidates(text)


# ---------------------------------------------------------------- loader


def test_erbb2_node_has_aliases_ids_and_mane() -> None:
    erbb2 = nodes_by_id(loader())["HGNC:3430"]
    assert erbb2.label == Label.GENE
    assert erbb2.name == "ERBB2"
    assert {"HER2", "NEU", "CD340", "NGL"} <= set(erbb2.synonyms)
    props = erbb2.props
    assert props["symbol"] == "ERBB2"
    assert props["entrez_id"] == "2064"
    assert props["ensembl_gene_id"] == "ENSG00000141736"
    assert props["mane_select_refseq"] == "NM_004448.4"
    assert str(props["mane_select_ensembl"]).startswith("ENST00000269571")
    assert props["chromosome"] == "17"
    assert props["assembly"] == "GRCh38"
    assert props["strand"] == "+"
    assert isinstance(props["start"], int)
    assert props["start"] < props["end"]  # type: ignore[operator]
    assert props["locus_type"] == "gene with protein product"


def test_mane_plus_clinical_transcripts_are_kept() -> None:
    septin9 = nodes_by_id(loader())["HGNC:7323"]
    assert septin9.props["mane_select_refseq"]
    assert septin9.props["mane_plus_clinical_refseq"]
    assert "SEPT9" in septin9.synonyms


def test_only_mane_genes_with_hgnc_ids_become_nodes() -> None:
    nodes = nodes_by_id(loader())
    assert not any("LOC" in n.name for n in nodes.values())
    mane_ids = {
        line.split("\t")[2] for line in (DATA / "mane_summary.txt").read_text().splitlines()[1:] if line.split("\t")[2]
    }
    assert set(nodes) == mane_ids
    scaffold = [n for n in nodes.values() if str(n.props["refseq_sequence"]).startswith("NT_")]
    assert scaffold
    assert all("chromosome" not in n.props for n in scaffold)


def test_include_non_mane_adds_hgnc_only_genes() -> None:
    nodes = nodes_by_id(loader(include_non_mane=True))
    a1bg_as1 = nodes["HGNC:37133"]  # a lncRNA, not in MANE
    assert a1bg_as1.name == "A1BG-AS1"
    assert "start" not in a1bg_as1.props


def test_provenance_leads_back_to_both_source_lines() -> None:
    erbb2 = nodes_by_id(loader())["HGNC:3430"]
    mane, hgnc = erbb2.provenance
    assert mane.source == "genes"
    assert mane.record_id == "HGNC:3430"
    mane_lines = (DATA / "mane_summary.txt").read_text().splitlines()
    hgnc_lines = (DATA / "hgnc_complete_set.txt").read_text().splitlines()
    assert mane.line is not None
    assert hgnc.line is not None
    assert mane_lines[mane.line - 1].split("\t")[2] == "HGNC:3430"
    assert hgnc_lines[hgnc.line - 1].split("\t")[0] == "HGNC:3430"


def test_build_alone_answers_find(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [loader()])
    assert manifest.counts["Gene"] == len(nodes_by_id(loader()))
    (found,) = store.find("HER2", Label.GENE)
    assert found.id == "HGNC:3430"
    assert store.get_node("HGNC:1097") is not None
    assert store.ancestors(["HGNC:1097"]) == set()
    assert store.evidence_for(["HGNC:1097"]) == {}
    store.close()


# ---------------------------------------------------------------- bad input


def test_wrong_header_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "genes.tsv"
    bad.write_text("gene\tsymbol\nHGNC:5\tA1BG\n")
    with pytest.raises(SourceFileError, match=r"genes\.tsv:1: not an HGNC gene table"):
        list(read_hgnc(bad))


def test_mane_wrong_header(tmp_path: Path) -> None:
    bad = tmp_path / "mane.txt"
    bad.write_text("#NCBI_GeneID\tsymbol\nGeneID:1\tA1BG\n")
    with pytest.raises(SourceFileError, match=r"mane\.txt:1: header lacks column"):
        list(loader(mane=bad).parse())


def _mane_with(tmp_path: Path, edit: str) -> Path:
    lines = (DATA / "mane_summary.txt").read_text().splitlines()
    if edit == "coordinate":
        fields = lines[3].split("\t")
        fields[11] = "start?"
        lines[3] = "\t".join(fields)
    elif edit == "short":
        lines[3] = "\t".join(lines[3].split("\t")[:5])
    path = tmp_path / "mane.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("edit", ["coordinate", "short"])
def test_malformed_mane_row_names_line(tmp_path: Path, edit: str) -> None:
    path = _mane_with(tmp_path, edit)
    with pytest.raises(SourceFileError, match=r"mane\.txt:4"):
        list(loader(mane=path).parse())


def test_skip_bad_rows_counts_them_in_the_build(tmp_path: Path) -> None:
    path = _mane_with(tmp_path, "coordinate")
    source = loader(mane=path, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [source])
    (info,) = [s for s in manifest.sources if s.name == "genes"]
    assert info.skipped_rows == 1
    assert source.skipped[0].line == 4


def test_truncated_gzip_table(tmp_path: Path) -> None:
    full = gzip.compress((DATA / "hgnc_complete_set.txt").read_bytes())
    path = tmp_path / "hgnc.txt.gz"
    path.write_bytes(full[: len(full) // 2])
    with pytest.raises(SourceFileError, match=r"hgnc\.txt\.gz:\d+: .*truncated"):
        list(read_hgnc(path))


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "hgnc.json"
    path.write_text((DATA / "hgnc_20260424.json").read_text()[:5000])
    with pytest.raises(SourceFileError, match=r"hgnc\.json.*truncated"):
        list(read_hgnc(path))


# ---------------------------------------------------------------- starter


def test_starter_bundle_is_real_and_complete() -> None:
    source = GenesLoader.starter()
    assert "MANE v1.5" in source.version
    assert source.spec.redistributable
    count = 0
    for record in source.parse():
        count += 1
        if isinstance(record, Node) and record.id == "HGNC:3430":
            assert "HER2" in record.synonyms
    assert count > 19_000
