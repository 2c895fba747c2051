"""MOAlmanac loader: both release layouts, on real assertions cut from moalmanac-db."""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Direction
from kg.variants import evaluate_profile
from loaders.json_files import read_json_array
from loaders.moalmanac import FLAT, REFERENCED, MoalmanacLoader

DATA = Path(__file__).parents[1] / "data" / "moalmanac"
FLAT_FILE = DATA / "molecular-oncology-almanac.json"
REFERENCED_DIR = DATA / "referenced"
# Flat assertion → referenced statement saying the same (FDA approvals in both layouts).
PAIRS = ((8, 32), (10, 90), (145, 95), (768, 373), (966, 147), (973, 558), (1014, 1540))


def flat(path: Path = FLAT_FILE, **kwargs: bool) -> MoalmanacLoader:
    return MoalmanacLoader({FLAT: path}, version="2025-12-26", **kwargs)


def referenced(folder: Path = REFERENCED_DIR, **kwargs: bool) -> MoalmanacLoader:
    return MoalmanacLoader({name: folder / file for name, file in REFERENCED.items()}, version="2026-05-07", **kwargs)


class Graph:
    """A loader's records, indexed the way the assertions below look at them."""

    def __init__(self, records: list[Record]) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, RelType], set[str]] = defaultdict(set)
        for record in records:
            if isinstance(record, Node):
                self.nodes.setdefault(record.id, record)
            elif isinstance(record, Edge):
                self.edges[(record.start, record.type)].add(record.end)

    def out(self, node_id: str, rel: RelType) -> set[str]:
        return self.edges.get((node_id, rel), set())


@pytest.fixture(scope="module")
def flat_graph() -> Graph:
    return Graph(list(flat().parse()))


@pytest.fixture(scope="module")
def referenced_graph() -> Graph:
    return Graph(list(referenced().parse()))


# ---------------------------------------------------------------- flat layout


def test_braf_v600e_resistance_to_panitumumab_in_colorectal(flat_graph: Graph) -> None:
    evidence = flat_graph.nodes["MOALMANAC:156"]
    assert evidence.label == Label.EVIDENCE
    props = evidence.props
    assert (props["evidence_type"], props["significance"], props["direction"]) == (
        "predictive",
        "resistance",
        "supports",
    )
    assert (props["level"], props["tier"], props["source_type"]) == ("Guideline", 1, "Guideline")
    assert "NCCN" in str(props["citation"])
    assert props["feature_protein_change"] == "p.V600E"  # MOAlmanac's own feature fields are kept
    assert flat_graph.out("MOALMANAC:156", RelType.ABOUT) == {"PMKG:variant/BRAF:V600E"}
    assert flat_graph.out("MOALMANAC:156", RelType.IN_DISEASE) == {"ONCOTREE:COADREAD"}
    assert flat_graph.out("MOALMANAC:156", RelType.WITH_THERAPY) == {"PMKG:therapy/panitumumab"}
    assert flat_graph.out("PMKG:therapy/panitumumab", RelType.HAS_COMPONENT) == {"NCIT:C1857"}
    variant = flat_graph.nodes["PMKG:variant/BRAF:V600E"]
    assert variant.name == "BRAF V600E"
    assert "BRAF p.V600E" in variant.synonyms
    assert "DBSNP:rs113488022" in variant.synonyms
    assert flat_graph.out("PMKG:variant/BRAF:V600E", RelType.IN_GENE) == {"HGNC:1097"}


def test_fda_approved_combination_with_ncit_drugs(flat_graph: Graph) -> None:
    props = flat_graph.nodes["MOALMANAC:145"].props
    assert (props["level"], props["tier"], props["approval_agency"]) == ("FDA-Approved", 1, "FDA")
    assert flat_graph.out("MOALMANAC:145", RelType.WITH_THERAPY) == {"PMKG:therapy/dabrafenib+trametinib"}
    therapy = flat_graph.nodes["PMKG:therapy/dabrafenib+trametinib"]
    assert therapy.name == "Dabrafenib + Trametinib"
    assert therapy.props["interaction"] == "combination"
    assert flat_graph.out(therapy.id, RelType.HAS_COMPONENT) == {"NCIT:C82386", "NCIT:C77908"}
    assert flat_graph.nodes["NCIT:C82386"].name == "Dabrafenib"


@pytest.mark.parametrize(
    ("assertion", "target", "label"),
    [
        (375, "PMKG:class/KRAS:G12", Label.VARIANT_CLASS),  # p.G12: a codon
        (556, "PMKG:class/STAG2:nonsense-mutation", Label.VARIANT_CLASS),
        (966, "PMKG:class/EGFR:exon-19-deletion", Label.VARIANT_CLASS),
        (10, "PMKG:class/ALK:fusion", Label.VARIANT_CLASS),  # one named partner
        (8, "PMKG:variant/BCR::ABL1", Label.VARIANT),
        (704, "PMKG:variant/CDK4:amplification", Label.VARIANT),
        (768, "PMKG:variant/MSI-H", Label.VARIANT),
        (777, "PMKG:variant/SBS10b", Label.VARIANT),
        (1014, "PMKG:variant/NPM1:W288fs", Label.VARIANT),  # p.W288Cfs*12
    ],
)
def test_each_feature_kind_points_at_its_node(flat_graph: Graph, assertion: int, target: str, label: Label) -> None:
    assert flat_graph.out(f"MOALMANAC:{assertion}", RelType.ABOUT) == {target}
    assert flat_graph.nodes[target].label == label


def test_class_nodes_carry_their_rule_and_variants_their_memberships(flat_graph: Graph) -> None:
    codon = flat_graph.nodes["PMKG:class/KRAS:G12"].props
    assert (codon["class_type"], codon["positions"], codon["reference_residues"]) == ("codon", [12], ["G"])
    exon = flat_graph.nodes["PMKG:class/EGFR:exon-19-deletion"].props
    assert (exon["class_type"], exon["protein_start"], exon["protein_end"]) == ("exon", 729, 761)
    assert flat_graph.out("PMKG:variant/CDK4:amplification", RelType.MEMBER_OF) == {"PMKG:class/CDK4:amplification"}


@pytest.mark.parametrize(
    ("assertion", "evidence_type", "significance", "direction", "tier"),
    [
        (770, "predictive", "sensitivity", "does not support", 1),  # MSI-H: no benefit from fluorouracil
        (157, "prognostic", "poor outcome", "supports", 1),
        (375, "predictive", "resistance", "supports", 2),  # Clinical trial: KRAS G12 vs proton SBRT
        (777, "predictive", "sensitivity", "supports", 5),  # Inferential
    ],
)
def test_significance_and_tier(
    flat_graph: Graph, assertion: int, evidence_type: str, significance: str, direction: str, tier: int
) -> None:
    props = flat_graph.nodes[f"MOALMANAC:{assertion}"].props
    assert (props["evidence_type"], props["significance"], props["direction"], props["tier"]) == (
        evidence_type, significance, direction, tier,
    )  # fmt: skip


def test_any_solid_tumor_is_the_ncit_term_and_deprecated_assertions_are_left_out(flat_graph: Graph) -> None:
    assert flat_graph.out("MOALMANAC:768", RelType.IN_DISEASE) == {"NCIT:C132146"}
    assert flat_graph.nodes["NCIT:C132146"].name == "Any solid tumor"
    assert "MOALMANAC:58" not in flat_graph.nodes
    source = flat()
    list(source.parse())
    assert source.deprecated == 1


def test_provenance_leads_back_to_the_assertion_line() -> None:
    lines = FLAT_FILE.read_text(encoding="utf-8").splitlines()
    for record in flat().parse():
        for p in record.provenance:
            assert (p.source, p.version, p.license) == ("moalmanac", "2025-12-26", "GPL-2.0-only")
            assert p.line is not None
            assert lines[p.line - 1].strip() == f'"assertion_id": {p.record_id},'


def test_version_comes_from_the_release_and_nothing_is_bundled() -> None:
    assert MoalmanacLoader.from_path(FLAT_FILE).version == "2025-12-23"  # latest last_updated in the cut
    assert MoalmanacLoader.from_path(REFERENCED_DIR).version == "2026-05-07"  # about.json
    assert MoalmanacLoader.from_path(DATA).layout == "flat"  # a checkout: the flat file wins
    assert not MoalmanacLoader.spec.redistributable
    assert not hasattr(MoalmanacLoader, "starter")
    assert MoalmanacLoader.spec.files[FLAT].startswith("https://raw.githubusercontent.com/vanallenlab/moalmanac-db/")


# ---------------------------------------------------------------- referenced layout


def test_both_layouts_give_the_same_graph_for_the_same_assertions(flat_graph: Graph, referenced_graph: Graph) -> None:
    for assertion, statement in PAIRS:
        a, b = f"MOALMANAC:{assertion}", f"MOALMANAC:{statement}"
        for rel in (RelType.ABOUT, RelType.IN_DISEASE, RelType.WITH_THERAPY):
            assert flat_graph.out(a, rel) == referenced_graph.out(b, rel), (assertion, statement, rel)
            for end in flat_graph.out(a, rel):
                assert flat_graph.nodes[end].label == referenced_graph.nodes[end].label
        for rel in (RelType.IN_GENE, RelType.HAS_COMPONENT):  # the targets' and therapies' own edges
            for end in flat_graph.out(a, RelType.ABOUT) | flat_graph.out(a, RelType.WITH_THERAPY):
                assert flat_graph.out(end, rel) == referenced_graph.out(end, rel), (end, rel)
        keys = ("evidence_type", "significance", "direction", "level", "tier")
        assert [flat_graph.nodes[a].props[k] for k in keys] == [referenced_graph.nodes[b].props[k] for k in keys]


def test_referenced_statement_keeps_approval_details(referenced_graph: Graph) -> None:
    props = referenced_graph.nodes["MOALMANAC:147"].props
    assert (props["approval_agency"], props["approval_agency_name"]) == ("FDA", "Food and Drug Administration")
    assert props["strength"] == "Approval"
    assert props["approval_date"]
    assert props["moalmanac_layout"] == "referenced"
    assert "MOALMANAC:698" not in referenced_graph.nodes  # withdrawn


def test_combined_biomarkers_become_a_profile_that_evaluates(referenced_graph: Graph) -> None:
    (profile_id,) = referenced_graph.out("MOALMANAC:0", RelType.ABOUT)  # ER positive, HER2-negative
    profile = referenced_graph.nodes[profile_id]
    assert profile.label == Label.MOLECULAR_PROFILE
    er, her2 = "PMKG:class/ESR1:positive", "PMKG:class/ERBB2:negative"
    assert referenced_graph.out(profile_id, RelType.HAS_COMPONENT) == {er, her2}
    assert evaluate_profile(str(profile.props["expression"]), {er, her2})
    assert not evaluate_profile(str(profile.props["expression"]), {er})
    (negated,) = referenced_graph.out("MOALMANAC:50", RelType.ABOUT)  # CD19 + AND NOT BCR::ABL1
    expression = str(referenced_graph.nodes[negated].props["expression"])
    assert evaluate_profile(expression, {"PMKG:class/CD19:positive"})
    assert not evaluate_profile(expression, {"PMKG:class/CD19:positive", "PMKG:variant/BCR::ABL1"})


def test_referenced_provenance_names_the_statement_line() -> None:
    lines = (REFERENCED_DIR / "statements.json").read_text(encoding="utf-8").splitlines()
    for record in referenced().parse():
        p = record.provenance[0]
        assert lines[p.line - 1].strip() == f'"id": {p.record_id},'  # type: ignore[operator]


# ---------------------------------------------------------------- builds and queries


def test_build_answers_find_ancestors_and_evidence(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [flat()])
    assert manifest.counts["Evidence"] == 14
    assert manifest.sources[0].skipped_rows == 0
    (braf,) = store.find("BRAF p.V600E", Label.VARIANT)
    evidence = store.evidence_for([braf.id])[braf.id]
    assert {e.id for e in evidence} >= {"MOALMANAC:145", "MOALMANAC:156", "MOALMANAC:157"}
    assert "PMKG:class/CDK4:amplification" in store.ancestors(["PMKG:variant/CDK4:amplification"])
    assert [n.id for n in store.find("Dabrafenib + Trametinib", Label.THERAPY)] == [
        "PMKG:therapy/dabrafenib+trametinib"
    ]


def test_example_patient_actionable_rows_reach_their_assertions(tmp_path: Path) -> None:
    """The example patient's rows stated by assertions in the fixture are reachable from its features."""
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [flat()])
    with open(DATA / "actionable.txt", encoding="utf-8", newline="") as handle:
        rows = {
            (r["feature"], r["alteration"] or r["alteration_type"]): r for r in csv.DictReader(handle, delimiter="\t")
        }
    assert rows[("BRAF", "p.V600E")]["resistance_therapy_name"] == "Panitumumab"

    def reached(node_id: str) -> set[str]:
        ids = {node_id} | store.ancestors([node_id])
        return {e.id for found in store.evidence_for(ids).values() for e in found}

    assert {"MOALMANAC:156", "MOALMANAC:157"} <= reached("PMKG:variant/BRAF:V600E")  # resistance, prognosis
    assert "MOALMANAC:704" in reached("PMKG:variant/CDK4:amplification")  # palbociclib
    assert "MOALMANAC:770" in reached("PMKG:variant/MSI-H")  # 5-fluorouracil
    assert "MOALMANAC:777" in reached("PMKG:variant/SBS10b")  # durvalumab
    # STAG2 p.F467I is not a nonsense variant: MOAlmanac matches it by gene ("Investigate Actionability").
    (gene,) = store.find("STAG2", Label.GENE)
    stag2 = {n.id for n in store.neighbours(gene.id, RelType.IN_GENE, direction=Direction.IN)}
    assert "MOALMANAC:556" in {e.id for found in store.evidence_for(stag2).values() for e in found}


# ---------------------------------------------------------------- bad input


def _flat_copy(tmp_path: Path, edit: Callable[[list[dict[str, object]]], None]) -> Path:
    records = json.loads(FLAT_FILE.read_text(encoding="utf-8"))
    edit(records)
    path = tmp_path / "molecular-oncology-almanac.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    return path


def test_truncated_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "molecular-oncology-almanac.json"
    text = FLAT_FILE.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFileError) as caught:
        list(flat(path).parse())
    assert caught.value.path == str(path)
    assert caught.value.line is not None
    assert "invalid JSON" in caught.value.problem


def test_not_the_flat_layout(tmp_path: Path) -> None:
    path = tmp_path / "molecular-oncology-almanac.json"
    path.write_text('{"statements": []}', encoding="utf-8")
    with pytest.raises(SourceFileError, match="expected a JSON array"):
        list(flat(path).parse())
    path.write_text('[{"id": 1, "name": "BRAF"}]', encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"is this molecular-oncology-almanac\.json"):
        list(flat(path).parse())


def test_malformed_assertion_fails_or_is_skipped(tmp_path: Path) -> None:
    def break_one(records: list[dict[str, object]]) -> None:
        records[2]["protein_change"] = "p.Foo"
        records[3]["feature_type"] = "Telepathy"

    path = _flat_copy(tmp_path, break_one)
    with pytest.raises(SourceFileError) as caught:
        list(flat(path).parse())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert caught.value.field == "protein_change"
    assert "p.Foo" in caught.value.problem
    assert lines[caught.value.line - 1].strip() == '"assertion_id": 145,'  # type: ignore[operator]
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [flat(path, skip_bad_rows=True)])
    assert manifest.sources[0].skipped_rows == 2
    assert manifest.counts["Evidence"] == 12


def test_referenced_statement_with_a_dangling_reference(tmp_path: Path) -> None:
    folder = tmp_path / "referenced"
    shutil.copytree(REFERENCED_DIR, folder)
    statements = json.loads((folder / "statements.json").read_text(encoding="utf-8"))
    statements[1]["proposition_id"] = 999999
    (folder / "statements.json").write_text(json.dumps(statements, indent=2), encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"proposition_id 999999 is not in propositions\.json") as caught:
        list(referenced(folder).parse())
    assert caught.value.path.endswith("statements.json")
    assert caught.value.line is not None
    source = referenced(folder, skip_bad_rows=True)
    assert sum(1 for r in source.parse() if isinstance(r, Node) and r.label == Label.EVIDENCE) == 8
    assert source.skipped_rows == 1


def test_missing_files_are_named() -> None:
    with pytest.raises(SourceFileError, match="missing"):
        MoalmanacLoader({"statements": REFERENCED_DIR / "statements.json"}, version="x")


# ---------------------------------------------------------------- the JSON reader


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({"id": st.integers(0, 10**6), "name": st.text(max_size=12),
                                       "extra": st.lists(st.integers(), max_size=3)}), max_size=8),
       st.sampled_from([None, 2, 4]))  # fmt: skip
def test_json_array_reader_returns_each_record_and_the_line_of_its_id(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, object]], indent: int | None
) -> None:
    path = tmp_path_factory.mktemp("json") / "records.json"
    path.write_text(json.dumps(records, indent=indent), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    read = list(read_json_array(path, "id"))
    assert [element for _, element in read] == records
    for line, element in read:
        assert f'"id": {element["id"]}' in lines[line - 1]  # type: ignore[index,operator]
