"""PharmCAT/CPIC loader on fixtures cut from PharmCAT's real files (scripts/data/pharmcat.py)."""

from __future__ import annotations

import json
import shutil
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.builds import run_build
from kg.errors import SourceFileError
from kg.records import Edge, Node, Record
from kg.schema import PGX_ACTIONS, Label, RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Direction
from loaders.cpic import classify_action, html_to_text
from loaders.pharmcat import PharmCatLoader
from loaders.pharmcat_alleles import SourceJson

DATA = Path(__file__).parents[1] / "data" / "pharmcat"
VERSION = "2025-11-05-00-25; CPIC guidelines 2023-12-05-00-25"
PM = "PMKG:phenotype/CYP2C19/Poor_Metabolizer"


def loader(folder: Path = DATA, *, skip_bad_rows: bool = False) -> PharmCatLoader:
    paths = {"pharmcat_data": folder, "cpic_guidelines": folder}
    return PharmCatLoader(paths, version=VERSION, skip_bad_rows=skip_bad_rows)


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return list(loader().parse())


@pytest.fixture(scope="module")
def nodes(records: list[Record]) -> dict[str, Node]:
    return {r.id: r for r in records if isinstance(r, Node)}


@pytest.fixture(scope="module")
def edges(records: list[Record]) -> list[Edge]:
    return [r for r in records if isinstance(r, Edge)]


def text(node: Node, key: str) -> str:
    value = node.props[key]
    assert isinstance(value, str), f"{node.id}: {key} is {value!r}"
    return value


def texts(node: Node, key: str) -> list[str]:
    value = node.props.get(key, [])
    assert isinstance(value, list), f"{node.id}: {key} is {value!r}"
    return [str(v) for v in value]


def recommendations_about(phenotype: str, edges: list[Edge], nodes: dict[str, Node], drug: str) -> list[Node]:
    found = [nodes[e.start] for e in edges if e.type == RelType.ABOUT and e.end == phenotype]
    return sorted((n for n in found if n.props["drug"] == drug), key=lambda n: n.id)


def phenotype_of(gene: str, diplotype: str, nodes: dict[str, Node]) -> Node:
    """What the PGx query will do: the gene's phenotype whose diplotypes hold ``diplotype``."""
    (found,) = [
        n for n in nodes.values()
        if n.label == Label.PHENOTYPE and n.props["gene"] == gene and diplotype in texts(n, "diplotypes")
    ]  # fmt: skip
    return found


# --------------------------------------------------------------------- what a user sees


def test_cyp2c19_star2_star2_is_a_poor_metabolizer(nodes: dict[str, Node]) -> None:
    phenotype = phenotype_of("CYP2C19", "*2/*2", nodes)
    assert phenotype.id == PM
    assert phenotype.name == "CYP2C19 Poor Metabolizer"
    assert phenotype.props["lookup_keys"] == ["Poor Metabolizer"]
    assert "activity_scores" not in phenotype.props  # CPIC gives CYP2C19 no activity score


def test_clopidogrel_for_a_cyp2c19_poor_metabolizer_is_avoid(nodes: dict[str, Node], edges: list[Edge]) -> None:
    recs = recommendations_about(PM, edges, nodes, "clopidogrel")
    assert {(r.props["population"], r.props["action"], r.props["strength"]) for r in recs} == {
        ("CVI ACS PCI", "avoid", "strong"),
        ("CVI non-ACS non-PCI", "avoid", "moderate"),
        ("NVI", "avoid", "moderate"),
    }
    rec = nodes["PMKG:recommendation/PA166297572"]
    assert rec.name == "clopidogrel: CYP2C19 Poor Metabolizer (CVI ACS PCI)"
    assert text(rec, "text").startswith("Avoid clopidogrel if possible. Use prasugrel or ticagrelor")
    assert rec.props["guideline_url"] == "https://www.pharmgkb.org/guidelineAnnotation/PA166104948"
    assert "35034351" in texts(rec, "citations")  # the 2022 update
    assert any(e.key == (rec.id, RelType.FOR_DRUG, "PMKG:drug/clopidogrel") for e in edges)
    assert nodes["PMKG:drug/clopidogrel"].props["pharmgkb_id"] == "PA449053"


def test_matches_what_pharmcat_reported_for_example2(nodes: dict[str, Node], edges: list[Edge]) -> None:
    report = json.loads((DATA / "examples" / "pharmcat.example2.report.json").read_text())
    (call,) = report["genes"]["CYP2C19"]["sourceDiplotypes"]
    phenotype = phenotype_of("CYP2C19", call["label"], nodes)
    assert phenotype.props["phenotype"] in call["phenotypes"]
    ours = {
        (r.props["population"], r.props["classification"], text(r, "text").split(".")[0])
        for r in recommendations_about(phenotype.id, edges, nodes, "clopidogrel")
    }
    annotations = report["drugs"]["CPIC Guideline Annotation"]["clopidogrel"]["guidelines"][0]["annotations"]
    reported = {(a["population"], a["classification"], a["drugRecommendation"].split(".")[0]) for a in annotations}
    assert reported == ours


def test_dpyd_activity_score_decides_fluorouracil(nodes: dict[str, Node], edges: list[Edge]) -> None:
    phenotype = phenotype_of("DPYD", "Reference/c.1905+1G>A (*2A)", nodes)
    assert phenotype.id == "PMKG:phenotype/DPYD/Intermediate_Metabolizer"
    diplotypes = texts(phenotype, "diplotypes")
    assert texts(phenotype, "diplotype_activity_scores")[diplotypes.index("Reference/c.1905+1G>A (*2A)")] == "1.0"
    assert phenotype.props["activity_scores"] == ["1.0", "1.5"]
    assert (phenotype.props["activity_score_min"], phenotype.props["activity_score_max"]) == (1.0, 1.5)
    by_score = {
        texts(r, "lookup_values")[0]: r for r in recommendations_about(phenotype.id, edges, nodes, "fluorouracil")
    }
    assert set(by_score) == {"1.0", "1.5"}
    assert by_score["1.0"].props["action"] == "reduce_dose"
    assert text(by_score["1.0"], "text").startswith("Reduce starting dose by 50%")
    poor = recommendations_about("PMKG:phenotype/DPYD/Poor_Metabolizer", edges, nodes, "fluorouracil")
    assert {r.props["action"] for r in poor} == {"avoid"}
    star2a = nodes["PMKG:allele/DPYD_c.1905+1G>A_(*2A)"]
    assert (star2a.props["function"], star2a.props["activity_value"]) == ("No function", 0.0)


def test_tpmt_poor_metabolizer_reduces_mercaptopurine(nodes: dict[str, Node], edges: list[Edge]) -> None:
    phenotype = phenotype_of("TPMT", "*3A/*3A", nodes)
    assert phenotype.id == "PMKG:phenotype/TPMT/Poor_Metabolizer"
    recs = recommendations_about(phenotype.id, edges, nodes, "mercaptopurine")
    assert {r.props["lookup_key"] for r in recs} == {
        "NUDT15=Normal Metabolizer; TPMT=Poor Metabolizer",
        "NUDT15=No Result; TPMT=Poor Metabolizer",
    }
    assert {r.props["action"] for r in recs} == {"reduce_dose"}
    assert nodes["PMKG:allele/TPMT*3A"].props["function"] == "No function"


def test_multi_gene_recommendation_is_about_each_phenotype(nodes: dict[str, Node], edges: list[Edge]) -> None:
    rec = nodes["PMKG:recommendation/PA166297032"]  # amitriptyline, CYP2C19 PM + CYP2D6 activity score 1.0
    assert rec.props["lookup_key"] == "CYP2C19=Poor Metabolizer; CYP2D6=1.0"
    assert rec.props["lookup_genes"] == ["CYP2C19", "CYP2D6"]
    assert rec.props["phenotypes"] == ["Poor Metabolizer", "activity score 1.0"]
    about = {(e.end, e.props["lookup_value"]) for e in edges if e.type == RelType.ABOUT and e.start == rec.id}
    assert about == {(PM, "Poor Metabolizer"), ("PMKG:phenotype/CYP2D6/activity_score_1.0", "1.0")}
    # CYP2D6 not tested: only the CYP2C19 phenotype is named, the key keeps "No Result".
    untested = nodes["PMKG:recommendation/PA166297053"]
    assert untested.props["lookup_key"] == "CYP2C19=Poor Metabolizer; CYP2D6=No Result"
    assert [e.end for e in edges if e.type == RelType.ABOUT and e.start == untested.id] == [PM]


def test_allele_defining_positions_equal_the_definition_file(nodes: dict[str, Node]) -> None:
    definition = json.loads((DATA / "allele_definitions" / "CYP2C19_translation.json").read_text())
    variants = definition["variants"]
    for named in definition["namedAlleles"]:
        allele = nodes[f"PMKG:allele/CYP2C19{named['name']}"]
        defining = [(v, base) for v, base in zip(variants, named["alleles"], strict=True) if base is not None]
        assert allele.props["chromosome"] == "chr10"
        assert allele.props["positions_grch38"] == [v["position"] for v, _ in defining]
        assert allele.props["rsids"] == [v["rsid"] or "" for v, _ in defining]
        assert allele.props["ref_alleles"] == [v["ref"] for v, _ in defining]
        assert allele.props["alt_alleles"] == [base for _, base in defining]
    star2 = nodes["PMKG:allele/CYP2C19*2"]
    assert star2.props["positions_grch38"] == [94775367, 94775507, 94781859, 94842866]
    assert texts(star2, "rsids")[2] == "rs4244285"  # the splice defect c.681G>A
    assert star2.props["alt_alleles"] == ["G", "R", "A", "G"]  # R: either base (IUPAC), as PharmCAT defines it
    assert star2.props["function"] == "No function"
    assert "CYP2C19 *2" in star2.synonyms
    assert nodes["PMKG:allele/CYP2C19*38"].props["reference"] is True


def test_single_allele_phenotypes_get_member_of(edges: list[Edge], nodes: dict[str, Node]) -> None:
    member = ("PMKG:allele/MT-RNR1_m.1555A>G", RelType.MEMBER_OF,
              "PMKG:phenotype/MT-RNR1/increased_risk_of_aminoglycoside-induced_hearing_loss")  # fmt: skip
    assert member in {e.key for e in edges}
    assert nodes[member[0]].props["function"] == "Increased risk of aminoglycoside-induced hearing loss"
    # Diplotype genes never: *2 is in poor and in intermediate metabolizers.
    assert not [e for e in edges if e.type == RelType.MEMBER_OF and e.start.startswith("PMKG:allele/CYP2C19")]


def test_every_gene_resolves_through_hgnc(nodes: dict[str, Node], edges: list[Edge]) -> None:
    genes = {n.name: n.id for n in nodes.values() if n.label == Label.GENE}
    assert genes["CYP2C19"] == "HGNC:2621"
    assert genes["MT-RNR1"] == "HGNC:7470"
    assert genes["HLA-B"] == "HGNC:4932"
    assert (PM, RelType.IN_GENE, "HGNC:2621") in {e.key for e in edges}


@pytest.mark.parametrize(
    ("text", "classification", "action"),
    [
        ("Avoid clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.",
         "Strong", "avoid"),
        ("Avoid standard dose clopidogrel (75 mg) if possible. Use prasugrel or ticagrelor at standard dose.",
         "Strong", "alternative"),
        ("If patient is carbamazepine-naïve, do not use carbamazepine.", "Strong", "avoid"),
        ("Abacavir is not recommended", "Strong", "avoid"),
        ("Select alternative drug not predominantly metabolized by CYP2D6 (i.e., granisetron).", "Moderate",
         "alternative"),
        ("Consider alternative drug not metabolized by CYP2C19; If amitriptyline is warranted, utilize therapeutic "
         "drug monitoring to guide dose adjustment.", "Optional", "alternative"),
        ("Initiate 50% of starting dose (e.g., 5 mg) and titrate to the maximum recommended dose of 10 mg or consider "
         "a clinically appropriate alternative antidepressant not predominantly metabolized by CYP2D6.", "Moderate",
         "reduce_dose"),
        ("Based on TPMT status, for malignancy, start with drastically reduced doses.", "Strong", "reduce_dose"),
        ("Prescribe ≤20mg as a starting dose and adjust doses of rosuvastatin.", "Moderate", "reduce_dose"),
        ("Increase starting daily dose by 100%. Daily dose may be given in divided doses. Monitor for efficacy.",
         "Optional", "increase_dose"),
        ("Initiate standard starting daily dose. Consider increasing dose by 50-100% for the treatment of H. pylori "
         "infection and erosive esophagitis.", "Moderate", "increase_dose"),
        ("Initiate standard starting daily dose. For chronic therapy (>12 weeks) and efficacy achieved, consider 50% "
         "reduction in daily dose and monitor for continued efficacy.", "Optional", "reduce_dose"),
        ("Initiate therapy with recommended starting dose. If patient does not adequately respond to recommended "
         "maintenance dosing, consider titrating to a higher maintenance dose.", "Optional", "standard_dose"),
        ("Avoid moderate and strong CYP2D6 inhibitors. Initiate therapy with recommended standard of care dosing "
         "(tamoxifen 20 mg/day).", "Strong", "standard_dose"),
        ("If considering clopidogrel, use at standard dose (75 mg/day)", "Strong", "standard_dose"),
        ("Use at standard doses with caution and with close monitoring for anemia", "Optional", "monitor"),
        ("To ascertain G6PD status, enzyme activity must be measured.", "Moderate", "monitor"),
        ("No recommendation", "Strong", "no_recommendation"),
        ("Insufficient evidence demonstrating clinical impact based on CYP2D6 genotype. Initiate therapy with "
         "recommended starting dose.", "No recommendation", "no_recommendation"),
        ("xN is not a valid input for CYP2D6 copy number alleles.", None, "no_recommendation"),
        ("Sing a song.", "Strong", None),
    ],
)  # fmt: skip
def test_cpic_text_maps_to_an_action(text: str, classification: str | None, action: str | None) -> None:
    assert classify_action(text, classification) == action


@given(st.text(max_size=200), st.sampled_from(["Strong", "Moderate", "Optional", "No recommendation", None]))
def test_classify_action_answers_in_the_vocabulary_or_none(text: str, classification: str | None) -> None:
    assert classify_action(text, classification) in PGX_ACTIONS | {None}


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=8, unique=True))
@settings(max_examples=50)
def test_line_index_finds_every_json_value(names: list[str]) -> None:
    text = json.dumps({"namedAlleles": [{"name": n, "id": f"PA{i}"} for i, n in enumerate(names)]}, indent=2)
    doc = SourceJson("x.json", "x.json", text, json.loads(text))
    lines = text.splitlines()
    for i, name in enumerate(names):
        line = doc.line_of("name", name)
        assert line is not None
        assert json.dumps(name) in lines[line - 1]
        assert doc.line_of("id", f"PA{i}") == line + 1


def test_html_to_text_drops_tags_and_decodes_entities() -> None:
    assert html_to_text("<p>Use &quot;likely&quot;\n<b>phenotypes</b></p>") == 'Use "likely" phenotypes'


# --------------------------------------------------------------------------- provenance


def test_provenance_leads_back_to_the_source_line(nodes: dict[str, Node]) -> None:
    for node_id in (
        "PMKG:allele/CYP2C19*2",
        "PMKG:allele/TPMT*3A",
        PM,
        "PMKG:phenotype/DPYD/Intermediate_Metabolizer",
        "PMKG:recommendation/PA166297572",
        "PMKG:phenotype/HLA-B/*57:01_positive",
    ):
        (prov,) = nodes[node_id].provenance
        file_name, local_id = prov.record_id.split("#")
        (path,) = DATA.rglob(file_name)
        assert prov.line is not None
        assert json.dumps(local_id) in path.read_text().splitlines()[prov.line - 1], node_id
    assert nodes["PMKG:allele/CYP2C19*2"].provenance[0].version == "2025-11-05-00-25"
    assert nodes["PMKG:recommendation/PA166297572"].provenance[0].version == "2023-12-05-00-25"


# ------------------------------------------------------------------------------ builds


def test_build_into_the_embedded_store(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    manifest = run_build(store, [loader()])
    assert manifest.sources[0].version == VERSION
    counts = store.counts_by_label()
    assert (counts["Allele"], counts["Phenotype"], counts["Recommendation"]) == (40, 24, 52)
    (phenotype,) = store.find("CYP2C19 Poor Metabolizer", Label.PHENOTYPE)
    assert [n.id for n in store.find("cyp2c19 *2")] == ["PMKG:allele/CYP2C19*2"]
    recs = store.neighbours(phenotype.id, RelType.ABOUT, Direction.IN)
    assert {r.props["action"] for r in recs if r.props["drug"] == "clopidogrel"} == {"avoid"}
    mt = "PMKG:allele/MT-RNR1_m.1555A>G"
    assert store.ancestors([mt]) == {"PMKG:phenotype/MT-RNR1/increased_risk_of_aminoglycoside-induced_hearing_loss"}
    assert store.evidence_for([phenotype.id]) == {}  # recommendations are not Evidence; reach them by ABOUT


def test_from_path_reads_the_data_version_from_the_files() -> None:
    assert PharmCatLoader.from_path(DATA).version == VERSION


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_an_archive_reads_like_its_folder(tmp_path: Path, nodes: dict[str, Node], kind: str) -> None:
    archive = tmp_path / f"PharmCAT-3.1.1.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as out:
            for path in DATA.rglob("*.json"):
                out.write(path, f"PharmCAT-3.1.1/src/main/{path.relative_to(DATA)}")
    else:
        with tarfile.open(archive, "w:gz") as out:
            out.add(DATA, "PharmCAT-3.1.1/src/main")
            out.add(DATA / "allele_definitions", "PharmCAT-3.1.1/src/test/alleles")  # test resources: ignored
    source = PharmCatLoader.from_path(archive)
    assert {r.id for r in source.parse() if isinstance(r, Node)} == set(nodes)


def test_a_fetch_folder_takes_definitions_and_guidelines_each_from_its_archive(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``pmkg fetch`` leaves two PharmCAT source archives; each holds both kinds of file, of its own date."""
    older = tmp_path / "older"
    shutil.copytree(DATA, older)

    def older_function(data: dict) -> None:
        (star2,) = [a for a in data["namedAlleles"] if a["name"] == "*2"]
        star2["functionValue"] = "Normal function"

    edit_json(older / "phenotypes" / "CYP2C19.json", older_function)
    urls = PharmCatLoader.spec.files
    with tarfile.open(tmp_path / urls["pharmcat_data"].rsplit("/", 1)[-1], "w:gz") as out:
        out.add(DATA, "PharmCAT-3.1.1/src/main/resources")
    with tarfile.open(tmp_path / urls["cpic_guidelines"].rsplit("/", 1)[-1], "w:gz") as out:
        out.add(older, "PharmCAT-5cb671756393/src/main/resources")
    source = PharmCatLoader.from_path(tmp_path)
    assert source.version == VERSION
    star2 = next(r for r in source.parse() if isinstance(r, Node) and r.id == "PMKG:allele/CYP2C19*2")
    assert star2.props["function"] == "No function"  # from the definitions archive, not the guidelines one
    assert not [r for r in caplog.records if "appears twice" in r.getMessage()]


@pytest.fixture(scope="module")
def starter_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("starter"))
    run_build(store, [PharmCatLoader.starter()])
    return store


def test_starter_holds_every_pharmcat_gene_and_cpic_recommendation(starter_store: EmbeddedStore) -> None:
    counts = starter_store.counts_by_label()
    assert (counts["Allele"], counts["Phenotype"], counts["Recommendation"], counts["Gene"]) == (1349, 102, 2026, 23)
    (build,) = starter_store.current_build().sources  # type: ignore[union-attr]
    assert (build.version, build.skipped_rows) == (VERSION, 0)  # every CPIC text maps to an action
    star2 = starter_store.get_node("PMKG:allele/CYP2D6*4")
    assert star2 is not None
    assert star2.props["chromosome"] == "chr22"
    assert star2.props["positions_grch38"]


def test_starter_answers_clopidogrel_for_cyp2c19_star2_star2(starter_store: EmbeddedStore) -> None:
    phenotypes = starter_store.neighbours("HGNC:2621", RelType.IN_GENE, Direction.IN)
    (poor,) = [p for p in phenotypes if p.label == Label.PHENOTYPE and "*2/*2" in texts(p, "diplotypes")]
    assert poor.name == "CYP2C19 Poor Metabolizer"
    recs = [
        r for r in starter_store.neighbours(poor.id, RelType.ABOUT, Direction.IN) if r.props["drug"] == "clopidogrel"
    ]
    assert len(recs) == 3
    assert {r.props["action"] for r in recs} == {"avoid"}


# --------------------------------------------------------------------------- bad input


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pharmcat"
    shutil.copytree(DATA, folder)
    return folder


def edit_json(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def test_truncated_file_names_file_and_line(copy: Path) -> None:
    path = copy / "allele_definitions" / "CYP2C19_translation.json"
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(SourceFileError, match=r"CYP2C19_translation\.json:\d+: not valid JSON") as error:
        list(loader(copy).parse())
    assert error.value.line is not None
    assert error.value.line > 100


def test_a_file_that_is_not_an_allele_definition_says_what_is_missing(copy: Path) -> None:
    edit_json(copy / "allele_definitions" / "TPMT_translation.json", lambda d: d.pop("namedAlleles"))
    with pytest.raises(SourceFileError, match=r"TPMT_translation\.json:1 .*missing key 'namedAlleles'") as error:
        list(loader(copy).parse())
    assert error.value.field == "namedAlleles"


def test_malformed_allele_is_a_bad_row_that_can_be_skipped(copy: Path, tmp_path: Path) -> None:
    edit_json(copy / "allele_definitions" / "CYP2C19_translation.json",
              lambda d: d["namedAlleles"][2]["alleles"].pop())  # fmt: skip
    with pytest.raises(
        SourceFileError, match=r"CYP2C19_translation\.json:\d+ \(field 'alleles'\): CYP2C19 \*2"
    ) as error:
        list(loader(copy).parse())
    assert error.value.line is not None
    lines = (copy / "allele_definitions" / "CYP2C19_translation.json").read_text().splitlines()
    assert "PA165980635" in lines[error.value.line - 1]  # the line of CYP2C19*2's id
    skipping = loader(copy, skip_bad_rows=True)
    manifest = run_build(EmbeddedStore(tmp_path / "graph"), [skipping])
    assert manifest.sources[0].skipped_rows == 1
    assert skipping.skipped[0].field == "alleles"


def test_recommendation_without_lookup_key_or_with_unknown_text_is_a_bad_row(copy: Path) -> None:
    def spoil(data: dict) -> None:
        data["recommendations"][0].pop("lookupKey")
        data["recommendations"][1]["text"]["html"] = "<p>Sing a song.</p>"

    edit_json(copy / "guidelines" / "CPIC_fluorouracil_and_DPYD.json", spoil)
    with pytest.raises(SourceFileError, match=r"CPIC_fluorouracil_and_DPYD\.json:\d+ .*missing 'lookupKey'"):
        list(loader(copy).parse())
    skipping = loader(copy, skip_bad_rows=True)
    records = list(skipping.parse())
    assert [e.problem.split(":")[1].strip()[:30] for e in skipping.skipped] == [
        "missing 'lookupKey' (gene → ph", "no action rule matches its tex",
    ]  # fmt: skip
    assert sum(1 for r in records if isinstance(r, Node) and r.label == Label.RECOMMENDATION) == 52 - 2


def test_missing_guideline_files_are_reported(copy: Path) -> None:
    shutil.rmtree(copy / "guidelines")
    with pytest.raises(SourceFileError, match=r"no PharmCAT CPIC guideline files \(CPIC_\*\.json\) found"):
        list(loader(copy).parse())


def test_truncated_archive_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "pharmcat-data.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        out.add(DATA, "data")
    archive.write_bytes(archive.read_bytes()[:2000])
    with pytest.raises(SourceFileError, match="truncated or corrupt"):
        list(loader(archive).parse())
