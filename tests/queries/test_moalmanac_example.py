"""MOAlmanac's own example patient: every therapy its ``actionable.txt`` lists, pmkg returns at an equal or better tier.

The graph is the starter graph plus the MOAlmanac assertions that patient needs (a tiny cut:
tests/data/matching/moalmanac_example, see its README for origin, licence and each residual
difference).  The patient is read from MOAlmanac's example inputs with pmkg's own file readers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.builds import run_build
from kg.records import Node, Provenance, Record
from kg.schema import Label
from kg.stores.embedded import EmbeddedStore
from kg.stores.port import SourceInfo, Store
from loaders.moalmanac import MoalmanacLoader
from loaders.moalmanac_features import LEVEL_TIERS
from loaders.registry import starter_loaders
from queries.inputs import open_patient_file
from queries.matching import MatchResult, match_therapies
from queries.patient import Alteration
from queries.ranking import TherapyResult

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "matching" / "moalmanac_example"
INPUTS = EXAMPLE / "example_data"
MIN_SIGNATURE = 0.05  # the four COSMIC signatures MOAlmanac reports are those at 5% or more
# (feature, therapy) of each actionable.txt therapy → the MOAlmanac assertions that state it.
ASSERTIONS = {
    ("BRAF", "Trametinib"): {"MOALMANAC:150"},
    ("BRAF", "Panitumumab"): {"MOALMANAC:156"},
    ("CDK4", "Palbociclib"): {"MOALMANAC:704"},
    ("CDKN2A", "Palbociclib"): {"MOALMANAC:843"},
    ("TP53", "Talazoparib"): {"MOALMANAC:905"},
    ("BRAF", "Vemurafenib"): {"MOALMANAC:693"},
    ("MSI-High", "Dostarlimab-gxly"): {"MOALMANAC:890"},
    ("MSI-High", "5-Fluorouracil"): {"MOALMANAC:770", "MOALMANAC:771"},
    ("COL1A1", "Imatinib"): {"MOALMANAC:22"},
    ("SBS5", "Cisplatin"): {"MOALMANAC:790"},
    ("SBS10b", "Durvalumab"): {"MOALMANAC:777"},
    ("BRCA2", "Abiraterone acetate + Niraparib"): {"MOALMANAC:888", "MOALMANAC:889"},
    ("MSH2", "Pembrolizumab"): {"MOALMANAC:404", "MOALMANAC:653"},
    ("FGFR2", "Infigratinib"): {"MOALMANAC:738"},
}
GENE_ONLY = {("COL1A1", "Imatinib"), ("FGFR2", "Infigratinib")}  # MOAlmanac's "investigate actionability"
# MOAlmanac's "investigate actionability" for a sequence variant no source names (MSH2 D887N, a missense change
# outside any recurrent hotspot): pmkg lists it as a variant of unknown significance with the gene's therapies.
UNKNOWN_SIGNIFICANCE = {("MSH2", "Pembrolizumab"): "MSH2 p.D887N"}
# The germline rows MOAlmanac does not match: benign polymorphisms and a truncating BRAF (issue 7).  Only
# BRCA2 S1982fs, a null variant of a gene whose loss is actionable, drives therapy matching.
REJECTED_GERMLINE = {"ALK p.I1461V", "BCR p.N796S", "BRAF p.R509*", "BRCA2 p.N372H", "FGFR4 p.G388R",
                     "MSH6 p.G39E", "TP53 p.P72R"}  # fmt: skip


@dataclass
class DrugSynonyms:
    """NCIt synonyms of the two drugs the example output names as an older MOAlmanac release did."""

    path: Path = EXAMPLE / "drug_synonyms.tsv"

    @property
    def info(self) -> SourceInfo:
        return SourceInfo("ncit_drug_synonyms", "test", "CC-BY-4.0", checksum="test:drug_synonyms")

    @property
    def skipped_rows(self) -> int:
        return 0

    def records(self) -> Iterator[Record]:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[1:], 2):
            ncit, name, synonym = line.split("\t")
            provenance = (Provenance("ncit_drug_synonyms", "test", "CC-BY-4.0", ncit, number),)
            yield Node(ncit, Label.DRUG, name, (synonym,), provenance=provenance)


def build_example_graph(folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    moalmanac = MoalmanacLoader.from_path(EXAMPLE / "molecular-oncology-almanac.json")
    run_build(store, [*starter_loaders(), moalmanac, DrugSynonyms()])
    return store


def example_patient(folder: Path = INPUTS) -> list[Alteration | str]:
    """The example patient as MOAlmanac reads it: somatic and germline MAFs, copy number, fusions, signatures."""
    patient: list[Alteration | str] = []
    for name in ("example_patient.capture.somatic.snvs.maf", "example_patient.capture.somatic.indels.maf"):
        patient.extend(open_patient_file(folder / name, role="variants"))
    patient.extend(open_patient_file(folder / "example_patient.capture.germline.maf", role="variants", germline=True))
    patient.extend(open_patient_file(folder / "example_patient.capture.somatic.called.cna.txt", role="cna"))
    # Every STAR-Fusion row: pmkg's reader keeps MOAlmanac's threshold (5 spanning fragments) and reports the rest.
    patient.extend(open_patient_file(folder / "example_patient.rna.star.fusions.txt", role="fusions"))
    with open(folder / "example_patient.capture.sbs_contributions.txt", encoding="utf-8") as handle:
        patient.extend(
            r["signature"] for r in csv.DictReader(handle, delimiter="\t") if float(r["contribution"]) >= MIN_SIGNATURE
        )
    metadata = dict(line.split("\t", 1) for line in (folder / "example.input-metadata.txt").read_text().splitlines())
    patient.append(metadata["microsatellite_status"].strip())  # MSI-High
    if metadata.get("WGD", "").strip() == "True":
        patient.append("WGD")
    return patient


def actionable_therapies() -> list[tuple[str, str, str, str]]:
    """(feature, therapy, sensitive|resistance, predictive implication) of every therapy actionable.txt lists."""
    with open(EXAMPLE / "actionable.txt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    out = []
    for row in rows:
        for kind in ("sensitive", "resistance"):
            therapy = row[f"{kind}_therapy_name"]
            if therapy:
                out.append((row["feature"], therapy, kind, row[f"{kind}_predictive_implication"]))
    return out


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return build_example_graph(tmp_path_factory.mktemp("moalmanac-example") / "graph")


@pytest.fixture(scope="module")
def result(example_store: Store) -> MatchResult:
    return match_therapies(example_store, example_patient(), "MEL")


def drug_ids(store: Store, therapy: str) -> list[set[str]]:
    """The Drug nodes each drug of a MOAlmanac therapy name is (renamed drugs through their synonyms)."""
    return [{n.id for n in store.find(part.strip(), Label.DRUG)} for part in therapy.split(" + ")]


def find_entry(result: MatchResult, store: Store, therapy: str, kind: str) -> TherapyResult | None:
    wanted = drug_ids(store, therapy)
    assert all(wanted), f"{therapy}: a drug of it is not in the graph"
    significances = ("sensitivity",) if kind == "sensitive" else ("resistance", "reduced sensitivity")
    for entry in result.therapies:
        ids = [d.id for d in entry.drugs]
        if (
            entry.significance in significances
            and len(ids) == len(wanted)
            and all(any(i in options for i in ids) for options in wanted)
        ):
            return entry
    return None


def test_the_example_has_the_therapies_we_check() -> None:
    listed = {(feature, therapy) for feature, therapy, _, _ in actionable_therapies()}
    assert listed == set(ASSERTIONS)


@pytest.mark.parametrize(("feature", "therapy", "kind", "level"), actionable_therapies())
def test_every_actionable_therapy_is_returned_at_an_equal_or_better_tier(
    example_store: Store, result: MatchResult, feature: str, therapy: str, kind: str, level: str
) -> None:
    if (feature, therapy) in UNKNOWN_SIGNIFICANCE:
        listed = {u.input: u for u in result.unknown_significance}[UNKNOWN_SIGNIFICANCE[(feature, therapy)]]
        assert therapy in listed.gene_therapies
        assert find_entry(result, example_store, therapy, kind) is None or all(
            listed.input_index not in {h.input_index for h in e.hits} for e in result.therapies
        )
        return
    entry = find_entry(result, example_store, therapy, kind)
    assert entry is not None, f"{feature}: {therapy} ({kind}) is missing"
    assert entry.tier <= LEVEL_TIERS[level]
    reached = {h.evidence.id for h in entry.hits}
    assert ASSERTIONS[(feature, therapy)] & reached, f"{therapy}: MOAlmanac's own assertion is not among {reached}"
    specificities = {h.specificity for h in entry.hits if h.evidence.id in ASSERTIONS[(feature, therapy)]}
    if (feature, therapy) in GENE_ONLY:
        assert specificities == {"gene"}
        assert entry.standing == "gene_level"  # a hint, listed after every ranked therapy
    else:
        assert "gene" not in specificities


def test_the_patients_braf_amplification_resistance_ranks_braf_inhibitor_monotherapy_last(result: MatchResult) -> None:
    """MOAlmanac lists vemurafenib resistance from the co-occurring BRAF amplification (clinical evidence): pmkg
    ranks vemurafenib below every therapy without resistance and says why."""
    sensitive = [t for t in result.therapies if t.significance == "sensitivity"]
    vemurafenib = next(t for t in sensitive if t.therapy.name == "Vemurafenib")
    assert vemurafenib.standing == "resistant"
    assert "BRAF amplification" in vemurafenib.standing_reason
    clear = [i for i, t in enumerate(sensitive) if t.standing == "clear"]
    assert max(clear) < sensitive.index(vemurafenib)


def test_gene_level_matches_are_flagged(result: MatchResult) -> None:
    answer = result.as_json()
    assert any(w.startswith("COL1A1::CITED4") and "gene level" in w for w in answer["warnings"])
    assert any(w.startswith("FGFR2 deletion") and "gene level" in w for w in answer["warnings"])


def test_the_whole_patient_is_accounted_for(result: MatchResult) -> None:
    """Every input comes back with a status; silent and intronic changes reach nothing."""
    statuses = {v.status for v in result.variants}
    assert statuses <= {"normalized", "unrecognized", "ambiguous", "not_matched"}
    assert len(result.variants) == len(example_patient())
    melanoma = result.as_json()["inputs"]["disease"]
    assert melanoma == {"input": "MEL", "id": "ONCOTREE:MEL", "name": "Melanoma"}
    top = result.therapies[0]  # a BRAF inhibitor approved in melanoma
    assert (top.tier, top.variant_match, top.disease_match) == (1, "exact", "exact")
    assert {"Vemurafenib", "Dabrafenib", "Cobimetinib", "Trametinib"} & {d.name for d in top.drugs}


def test_the_rejected_rows_are_not_called_actionable(result: MatchResult) -> None:
    """Benign germline polymorphisms, the truncating germline BRAF and unsupported fusions reach no therapy."""
    actionable = {i for t in result.therapies for i in t.input_indexes}
    by_input = {v.input: (i, v) for i, v in enumerate(result.variants)}
    for text in REJECTED_GERMLINE:
        index, variant = by_input[text]
        assert variant.germline, text
        assert index not in actionable, text
    unknown = {u.input: u.reason for u in result.unknown_significance}
    assert set(unknown) >= REJECTED_GERMLINE  # each in an actionable gene: listed apart, untiered
    assert all(unknown[t].startswith("germline, and not known to be pathogenic") for t in REJECTED_GERMLINE)
    brca2, _ = by_input["BRCA2 p.S1982fs"]
    assert brca2 in actionable  # a germline null variant of BRCA2 drives matching (PVS1)
    eml4_alk = next(v for v in result.variants if v.input.startswith("EML4::ALK"))
    assert eml4_alk.status == "not_matched"
    assert "0 spanning fragments (at least 5 needed)" in eml4_alk.message
    with open(INPUTS / "example_patient.rna.star.fusions.txt", encoding="utf-8") as handle:
        weak = sum(int(row["SpanningFragCount"]) < 5 for row in csv.DictReader(handle, delimiter="\t"))
    fusions = [v for v in result.variants if "STAR-Fusion" in v.input]
    assert sum(v.status == "not_matched" for v in fusions) == weak == 150
