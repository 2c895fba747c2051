"""Issue 9, builds that lose content: a source that lost most of its records, or skipped too many rows,
stops the build with the numbers (unless --allow-shrink), in both stores; Disease Ontology cycles are reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.builds import ShrinkLimits, run_build
from kg.errors import ShrinkingBuild, SourceFileError
from kg.schema import RelType
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import Store
from loaders.civic import CivicLoader
from loaders.disease_ontology import DO_VERSION, DiseaseOntologyIndex, DiseaseOntologyLoader
from loaders.genes import GeneResolver
from loaders.oncotree import ONCOTREE_VERSION, OncoTreeLoader
from tests.pmkg_cli import REPO, pmkg

DATA = REPO / "tests" / "data"
CIVIC_2021 = DATA / "civic" / "2021"
CIVIC_CURRENT = DATA / "civic" / "current"
DO = DATA / "disease_ontology"
DO_FILES = {"terms": "HumanDO.tsv", "xrefs": "allXREFinDO.tsv", "ncit_subset": "NCIthesaurus.obo",
            "cancer_slim": "DO_cancer_slim.obo"}  # fmt: skip
LIMITS = ShrinkLimits()  # the defaults: -50% records, 5% skipped rows


def _civic(evidence: Path) -> CivicLoader:
    files = {"evidence": evidence, "variants": CIVIC_2021 / "VariantSummaries.tsv",
             "assertions": CIVIC_2021 / "AssertionSummaries.tsv"}  # fmt: skip
    return CivicLoader(files, version="test", genes=GeneResolver.bundled())


def _header_only(source: Path, target: Path) -> Path:
    target.write_text(source.read_text().split("\n", 1)[0] + "\n")
    return target


def test_header_only_civic_evidence_file_does_not_replace_the_graph(store: Store, tmp_path: Path) -> None:
    full = run_build(store, [_civic(CIVIC_2021 / "ClinicalEvidenceSummaries.tsv")], limits=LIMITS)
    evidence_before = store.counts_by_label()["Evidence"]
    assert evidence_before > 50
    header_only = _header_only(CIVIC_2021 / "ClinicalEvidenceSummaries.tsv", tmp_path / "evidence.tsv")
    with pytest.raises(ShrinkingBuild) as error:
        run_build(store, [_civic(header_only)], limits=LIMITS)
    before = full.sources[0].records
    assert f"the current build has {before:,}" in str(error.value)
    assert "--allow-shrink" in str(error.value)
    current = store.current_build()
    assert current is not None
    assert current.build_id == full.build_id
    assert store.counts_by_label()["Evidence"] == evidence_before
    shrunk = run_build(store, [_civic(header_only)], limits=ShrinkLimits(allow=True))
    assert store.current_build() == shrunk
    assert store.counts_by_label()["Evidence"] < evidence_before / 10  # the assertions' own evidence only


def _do() -> DiseaseOntologyLoader:
    return DiseaseOntologyLoader({k: DO / v for k, v in DO_FILES.items()}, version=DO_VERSION)


def _oncotree(path: Path, *, skip_bad_rows: bool = False) -> OncoTreeLoader:
    index = DiseaseOntologyIndex.from_files(DO / "HumanDO.tsv", DO / "allXREFinDO.tsv")
    return OncoTreeLoader({"tree": path}, version=ONCOTREE_VERSION, skip_bad_rows=skip_bad_rows, do_index=index)


def test_wholly_wrong_oncotree_file_with_skip_bad_rows_does_not_drop_oncotree(store: Store, tmp_path: Path) -> None:
    good = run_build(store, [_do(), _oncotree(DATA / "oncotree" / "oncotree_2025_10_03.json")], limits=LIMITS)
    wrong = tmp_path / "oncotree.json"
    wrong.write_text(json.dumps([{"name": "not a tumour type"}]))
    with pytest.raises(ShrinkingBuild, match=r"oncotree: no records \(the current build has [\d,]+\)"):
        run_build(store, [_do(), _oncotree(wrong, skip_bad_rows=True)], limits=LIMITS)
    assert store.current_build() == good
    assert store.get_node("ONCOTREE:LUAD") is not None


def test_skip_rate_beyond_the_threshold_stops_the_build(tmp_path: Path) -> None:
    lines = (CIVIC_2021 / "ClinicalEvidenceSummaries.tsv").read_text().split("\n")
    cut = [lines[0]] + [line[:100] if i % 3 == 0 else line for i, line in enumerate(lines[1:], 1) if line]
    broken = tmp_path / "evidence.tsv"
    broken.write_text("\n".join(cut) + "\n")
    loader = _civic(broken)
    loader.skip_bad_rows = True
    store = EmbeddedStore(tmp_path / "graph")
    with pytest.raises(ShrinkingBuild, match=r"civic: \d+ of [\d,]+ rows skipped as bad \([\d.]+%; at most 5%"):
        run_build(store, [loader], limits=LIMITS)
    assert store.current_build() is None


def test_cli_build_that_would_lose_most_evidence_stops_with_the_numbers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = pmkg(home, "build", "--source", f"civic={CIVIC_CURRENT}", "--format", "json")
    assert first.returncode == 0, first.stderr
    civic = tmp_path / "civic"
    shutil.copytree(CIVIC_CURRENT, civic)
    _header_only(CIVIC_CURRENT / "ClinicalEvidenceSummaries.tsv", civic / "ClinicalEvidenceSummaries.tsv")
    refused = pmkg(home, "build", "--source", f"civic={civic}", "--format", "json")
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    records = json.loads(first.stdout)["sources"][0]["records"]
    assert f"the current build has {records:,}" in refused.stderr
    assert json.loads(refused.stdout)["error"]["type"] == "ShrinkingBuild"
    status = json.loads(pmkg(home, "status", "--format", "json").stdout)
    assert status["build_id"] == json.loads(first.stdout)["build_id"]
    assert status["counts"] == json.loads(first.stdout)["counts"]
    allowed = pmkg(home, "build", "--source", f"civic={civic}", "--allow-shrink", "--format", "json")
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["counts"]["Evidence"] < json.loads(first.stdout)["counts"]["Evidence"] / 10


def test_shrink_threshold_setting_is_checked(tmp_path: Path) -> None:
    done = pmkg(tmp_path, "build", "--source", f"civic={CIVIC_CURRENT}", env={"PMKG_MAX_SHRINK": "lots"})
    assert done.returncode == 2
    assert "PMKG_MAX_SHRINK is 'lots'; expected a share between 0 and 1" in done.stderr


# -- Disease Ontology subclass cycles --------------------------------------------------------------
def _do_with_cycle(tmp_path: Path) -> tuple[DiseaseOntologyLoader, Path]:
    folder = tmp_path / "do"
    shutil.copytree(DO, folder)
    terms = folder / "HumanDO.tsv"
    # lung carcinoma (via lung non-small cell carcinoma's chain) made a kind of lung adenocarcinoma.
    text = terms.read_text()
    text = text.rstrip("\n") + '\n"DOID:3905"\t"lung carcinoma"\t"lung adenocarcinoma"\n'
    terms.write_text(text)
    return DiseaseOntologyLoader({k: folder / v for k, v in DO_FILES.items()}, version="cycle"), terms


def test_disease_ontology_subclass_cycle_is_reported(tmp_path: Path) -> None:
    loader, terms = _do_with_cycle(tmp_path)
    if "DOID:3905" not in (DO / "HumanDO.tsv").read_text():
        pytest.fail("the DO fixture no longer holds lung carcinoma (DOID:3905); pick another pair")
    with pytest.raises(SourceFileError) as error:
        list(loader.parse())
    assert error.value.path == str(terms)
    assert error.value.field == "subClassOf"
    assert "subclass cycle" in error.value.problem
    assert "DOID:3910" in error.value.problem
    assert "DOID:3905" in error.value.problem


def test_disease_ontology_cycle_is_broken_and_counted_with_skip_bad_rows(tmp_path: Path) -> None:
    loader, _ = _do_with_cycle(tmp_path)
    loader.skip_bad_rows = True
    store = EmbeddedStore(tmp_path / "graph")
    run_build(store, [loader])
    assert len(loader.skipped) == 1
    assert "DOID:3905" not in store.ancestors(["DOID:3905"], [RelType.SUBCLASS_OF])
    assert "DOID:3910" not in store.ancestors(["DOID:3910"], [RelType.SUBCLASS_OF])
