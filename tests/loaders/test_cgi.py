"""CGI biomarkers loader, on real rows cut from cgi_biomarkers_per_variant.tsv."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.variants import evaluate_profile, variant_id
from loaders.cgi import BIOMARKERS, TUMOUR_TYPES, CgiLoader

DATA = Path(__file__).parents[1] / "data" / "cgi"
FILE = DATA / "cgi_biomarkers_per_variant.tsv"
VERSION = "2018-01-17"  # the file has no release date; this is the snapshot's date


def loader(path: Path = FILE, **kwargs: bool) -> CgiLoader:
    return CgiLoader({BIOMARKERS: path}, version=VERSION, **kwargs)


class Graph:
    def __init__(self, records: list[Record]) -> None:
        self.nodes: dict[str, Node] = {}
        self.lines: dict[str, list[int]] = defaultdict(list)
        self.edges: dict[tuple[str, RelType], set[str]] = defaultdict(set)
        for record in records:
            if isinstance(record, Node):  # repeats merge their properties, as the stores do
                known = self.nodes.get(record.id)
                merged = {**known.props, **record.props} if known else dict(record.props)
                self.nodes[record.id] = Node(record.id, record.label, known.name if known else record.name,
                                             record.synonyms, merged, record.provenance)  # fmt: skip
                self.lines[record.id].extend(p.line for p in record.provenance if p.line)
            elif isinstance(record, Edge):
                self.edges[(record.start, record.type)].add(record.end)

    def out(self, node_id: str, rel: RelType) -> set[str]:
        return self.edges.get((node_id, rel), set())

    def evidence_on_line(self, line: int) -> str:
        (found,) = [i for i, n in self.nodes.items() if n.label == Label.EVIDENCE and line in self.lines[i]]
        return found


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(list(loader().parse()))


def test_abl1_t315i_resistance_to_second_generation_inhibitors(graph: Graph) -> None:
    evidence = graph.evidence_on_line(2)
    assert evidence.startswith("PMKG:cgi/")
    props = graph.nodes[evidence].props
    assert (props["significance"], props["direction"], props["association"]) == ("resistance", "supports", "Resistant")
    assert (props["level"], props["tier"], props["pmids"]) == ("European LeukemiaNet guidelines", 1, ["21562040"])
    assert graph.out(evidence, RelType.ABOUT) == {"PMKG:variant/ABL1:T315I"}
    assert graph.out(evidence, RelType.IN_DISEASE) == {"ONCOTREE:CML"}
    # "[Nilotinib,Dasatinib]": the resistance holds for each drug of the family, one therapy each.
    assert graph.out(evidence, RelType.WITH_THERAPY) == {"PMKG:therapy/nilotinib", "PMKG:therapy/dasatinib"}
    variant = graph.nodes["PMKG:variant/ABL1:T315I"]
    assert variant.props["cdna_change"] == "c.944C>T"
    assert variant.props["transcript"] == "ENST00000318560"
    assert variant.props["grch37_hgvsg"] == "chr9:g.133748283C>T"


def test_per_variant_rows_of_one_biomarker_are_one_evidence(graph: Graph) -> None:
    evidence = graph.evidence_on_line(3)
    assert graph.evidence_on_line(4) == evidence
    about = graph.out(evidence, RelType.ABOUT)
    assert len(about) == 11  # T315A, F317L … F359I (CGI lists F317I twice)
    assert variant_id("ABL1", "F317L") in about
    assert graph.nodes[variant_id("ABL1", "F317L")].props["cdna_change"] == "c.949T>C"  # from its own row


@pytest.mark.parametrize(
    ("line", "target"),
    [
        (5, "PMKG:class/ALK:mutation"),  # ALK:. (oncogenic mutation)
        (7, "PMKG:class/BRAF:V600"),  # BRAF:V600.
        (9, "PMKG:class/EGFR:exon-19-deletion"),  # ::inframe_deletion:729-761
        (11, "PMKG:class/KIT:exon-11-mutation"),  # KIT:550-592
        (12, "PMKG:variant/BCR::ABL1"),  # ABL1__BCR, put in its 5'::3' order
        (13, "PMKG:class/ALK:fusion"),  # ALK__.
        (14, "PMKG:class/AR:overexpression"),
        (16, "PMKG:class/DPYD:biallelic-inactivation"),
        (17, "PMKG:variant/ERBB2:amplification"),
    ],
)
def test_alterations_point_at_their_nodes(graph: Graph, line: int, target: str) -> None:
    assert graph.out(graph.evidence_on_line(line), RelType.ABOUT) == {target}


def test_classes_carry_rules_and_oncogenic_is_asked_for(graph: Graph) -> None:
    assert graph.nodes[graph.evidence_on_line(5)].props["requires_oncogenic"] is True
    exon19 = graph.nodes["PMKG:class/EGFR:exon-19-deletion"].props
    assert (exon19["class_type"], exon19["protein_start"], exon19["protein_end"], exon19["edit"]) == (
        "exon", 729, 761, "deletion",
    )  # fmt: skip
    about = graph.out(graph.evidence_on_line(10), RelType.ABOUT)  # ESR1 E380Q,.537.,.538.,L536.,P535H
    assert about == {"PMKG:variant/ESR1:E380Q", "PMKG:class/ESR1:codon-537", "PMKG:class/ESR1:codon-538",
                     "PMKG:class/ESR1:L536", "PMKG:variant/ESR1:P535H"}  # fmt: skip
    assert graph.nodes["PMKG:class/ESR1:codon-537"].props["positions"] == [537]
    bcr_abl1 = graph.nodes["PMKG:variant/BCR::ABL1"].props
    assert (bcr_abl1["five_prime_gene"], bcr_abl1["three_prime_gene"]) == ("BCR", "ABL1")
    assert graph.out("PMKG:variant/BRAF:V600E", RelType.MEMBER_OF) == {
        "PMKG:class/BRAF:V600",
        "PMKG:class/BRAF:mutation",
    }


@pytest.mark.parametrize(
    ("line", "significance", "direction", "tier"),
    [
        (7, "sensitivity", "does not support", 2),  # No Responsive, Early trials
        (8, "adverse response", "supports", 1),  # Increased Toxicity, FDA guidelines
        (6, "sensitivity", "supports", 4),  # Pre-clinical
        (10, "sensitivity", "supports", 3),  # Case report
    ],
)
def test_association_and_level(graph: Graph, line: int, significance: str, direction: str, tier: int) -> None:
    props = graph.nodes[graph.evidence_on_line(line)].props
    assert (props["significance"], props["direction"], props["tier"]) == (significance, direction, tier)


def test_therapies_drug_classes_and_combinations(graph: Graph) -> None:
    apc = graph.evidence_on_line(6)  # Drug "[]", family [Tankyrase inhibitor]
    (therapy,) = graph.out(apc, RelType.WITH_THERAPY)
    assert therapy == "PMKG:therapy/class:tankyrase_inhibitor"
    assert graph.nodes[therapy].props["drug_classes"] == ["Tankyrase inhibitor"]
    assert not graph.out(therapy, RelType.HAS_COMPONENT)
    combination = graph.out(graph.evidence_on_line(19), RelType.WITH_THERAPY)
    assert combination == {"PMKG:therapy/crizotinib+vemurafenib"}
    parts = graph.out("PMKG:therapy/crizotinib+vemurafenib", RelType.HAS_COMPONENT)
    assert parts == {"PMKG:drug/crizotinib", "PMKG:drug/vemurafenib"}


def test_co_occurring_alterations_are_a_profile(graph: Graph) -> None:
    (profile,) = graph.out(graph.evidence_on_line(19), RelType.ABOUT)  # MET amplification + BRAF V600E
    expression = str(graph.nodes[profile].props["expression"])
    assert evaluate_profile(expression, {"PMKG:variant/MET:amplification", "PMKG:variant/BRAF:V600E"})
    assert not evaluate_profile(expression, {"PMKG:variant/BRAF:V600E"})
    (either,) = graph.out(graph.evidence_on_line(18), RelType.ABOUT)  # MAP2K1 (P124S,I111S) + BRAF mutation
    expression = str(graph.nodes[either].props["expression"])
    assert evaluate_profile(expression, {"PMKG:variant/MAP2K1:I111S", "PMKG:class/BRAF:mutation"})
    assert not evaluate_profile(expression, {"PMKG:variant/MAP2K1:I111S"})


def test_tumour_types_map_to_disease_terms(graph: Graph) -> None:
    assert graph.out(graph.evidence_on_line(12), RelType.IN_DISEASE) == {"ONCOTREE:CML", "ONCOTREE:ALL"}
    pan = graph.evidence_on_line(8)
    assert graph.out(pan, RelType.IN_DISEASE) == {"DOID:162"}
    assert graph.nodes[pan].props["pan_cancer"] is True
    assert graph.nodes["ONCOTREE:COADREAD"].synonyms == ("Colorectal adenocarcinoma",)
    assert TUMOUR_TYPES["MPN"][0] == "ONCOTREE:MPNST"  # CGI's MPN is a nerve sheath tumour
    assert TUMOUR_TYPES["CM"][0] == "ONCOTREE:SKCM"


def test_provenance_leads_back_to_the_row() -> None:
    lines = FILE.read_text(encoding="utf-8").splitlines()
    for record in loader().parse():
        for p in record.provenance:
            assert (p.source, p.version, p.license) == ("cgi", VERSION, "CC-BY-NC-4.0")
            row = lines[p.line - 1].split("\t")  # type: ignore[operator]
            alteration, drug, tumour = p.record_id.split("|")
            assert (row[0], row[6].strip("\xa0 "), row[13]) == (alteration, drug, tumour)


def test_build_answers_find_ancestors_and_evidence(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [loader()])
    assert manifest.counts["Evidence"] == 17
    assert manifest.sources[0].skipped_rows == 0
    (fusion,) = store.find("BCR-ABL1", Label.VARIANT)
    assert fusion.id == "PMKG:variant/BCR::ABL1"
    assert store.ancestors(["PMKG:variant/BRAF:V600E"]) >= {"PMKG:class/BRAF:V600", "PMKG:class/BRAF:mutation"}
    found = store.evidence_for(["PMKG:class/BRAF:V600"])["PMKG:class/BRAF:V600"]
    assert [e.props["association"] for e in found] == ["No Responsive"]
    assert not CgiLoader.spec.redistributable
    assert not hasattr(CgiLoader, "starter")


# ---------------------------------------------------------------- bad input


def _edited(tmp_path: Path, edit_line: int, text: str) -> Path:
    lines = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[edit_line - 1] = text
    path = tmp_path / "cgi_biomarkers_per_variant.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_wrong_header(tmp_path: Path) -> None:
    header = FILE.read_text(encoding="utf-8").splitlines()[0].replace("Alteration type", "Kind")
    path = _edited(tmp_path, 1, header + "\n")
    with pytest.raises(SourceFileError, match=r"header lacks column\(s\) \['Alteration type'\]") as caught:
        list(loader(path).parse())
    assert caught.value.line == 1


def test_truncated_file(tmp_path: Path) -> None:
    text = FILE.read_text(encoding="utf-8")
    path = tmp_path / "cgi_biomarkers_per_variant.tsv"
    path.write_text(text[: text.index("\n", len(text) // 2) + 40], encoding="utf-8")
    with pytest.raises(SourceFileError, match="fields; the header has 24") as caught:
        list(loader(path).parse())
    assert caught.value.path == str(path)
    assert caught.value.line == path.read_text(encoding="utf-8").count("\n") + 1


def test_malformed_rows_fail_or_are_skipped(tmp_path: Path) -> None:
    lines = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = _edited(tmp_path, 17, lines[16].replace("ERBB2:amp", "ERBB2:huge"))
    with pytest.raises(SourceFileError, match="expected amp, del, gain, loss") as caught:
        list(loader(path).parse())
    assert (caught.value.line, caught.value.field) == (17, "Alteration")
    bad_level = lines[5].replace("Pre-clinical", "Hearsay")
    path = _edited(tmp_path, 6, bad_level)
    with pytest.raises(SourceFileError, match="evidence level 'Hearsay'"):
        list(loader(path).parse())
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [loader(path, skip_bad_rows=True)])
    assert manifest.sources[0].skipped_rows == 1
    assert manifest.counts["Evidence"] == 16


# ---------------------------------------------------------------- the alteration parser

_RESIDUES = "ACDEFGHIKLMNPQRSTVWY"
_substitution = st.tuples(st.sampled_from(_RESIDUES), st.integers(1, 3000), st.sampled_from(_RESIDUES)).map(
    lambda t: f"{t[0]}{t[1]}{t[2]}"
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_substitution, min_size=1, max_size=6, unique=True))
def test_listed_protein_changes_are_alternatives(changes: list[str]) -> None:
    source = loader()
    row = {"Alteration": "KRAS:" + ",".join(changes), "Alteration type": "MUT"}
    (alternatives,) = source._components(row)
    assert [a.target.id for a in alternatives] == [variant_id("KRAS", c) for c in changes]
