"""Evidence-source diff: CIViC's real 01-Aug-2024 release against the starter's 2026 mix, two kept builds.

The fixtures (tests/data/civic/2024 and 2026, cut by scripts/data/civic.py) hold the same evidence
ids of both releases verbatim, so what differs between them differs between the releases.  Each
change named below was found by hand in those rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.builds import run_build
from kg.errors import InputError
from kg.evidence_diff import EvidenceDiff, EvidenceField, diff_evidence
from kg.stores import open_store
from kg.stores.embedded import EmbeddedStore
from loaders.civic import CivicLoader
from loaders.genes import GeneResolver

CIVIC = Path(__file__).parents[1] / "data" / "civic"


def civic(release: str) -> CivicLoader:
    return CivicLoader(CivicLoader.locate(CIVIC / release), version=f"fixture {release}", genes=GeneResolver.bundled())


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """One store keeping two builds: CIViC 2024 (current) and the 2026 mix (staged, as a curator would)."""
    home = tmp_path_factory.mktemp("evidence-diff")
    store = EmbeddedStore(home / "graph")
    old = run_build(store, [civic("2024")])
    new = run_build(store, [civic("2026")], promote=False)
    store.close()
    return home, old.build_id, new.build_id


@pytest.fixture(scope="module")
def diff(two_builds: tuple[Path, str, str]) -> EvidenceDiff:
    home, old_id, new_id = two_builds
    old, new = open_store("embedded", home=home, build=old_id), open_store("embedded", home=home, build=new_id)
    try:
        return diff_evidence(old, new, "civic")
    finally:
        old.close()
        new.close()


def test_counts_by_kind_and_by_field(diff: EvidenceDiff) -> None:
    assert diff.counts() == {"added": 16, "removed": 2, "changed": 2, "unchanged": 19}
    assert diff.counts_by_field() == {"variant": 2}
    assert diff.counts_by_kind()["added"] == {"predictive": 14, "prognostic": 2}
    assert (diff.old_version, diff.new_version) == ("fixture 2024", "fixture 2026")


def test_civic_recurated_c797s_evidence_onto_the_compound_profile(diff: EvidenceDiff) -> None:
    # EID 1396 was written against EGFR C797S alone in 2024; in 2026 against MP 5513, the triple compound.
    change = diff.change("CIVIC.EID:1396")
    assert change is not None
    assert [(c.field, c.before, c.after) for c in change.changes] == [(
        EvidenceField.VARIANT,
        "EGFR C797S (PMKG:variant/EGFR:C797S)",
        "EGFR T790M AND EGFR Exon 19 Deletion AND EGFR C797S (CIVIC.MPID:5513)",
    )]  # fmt: skip


def test_vorasidenib_level_a_evidence_in_low_grade_glioma_is_new_in_2026(diff: EvidenceDiff) -> None:
    added = {item.id: item for item in diff.added}
    vorasidenib = added["CIVIC.EID:11508"]
    assert vorasidenib.kind == "predictive"
    assert vorasidenib.fields[EvidenceField.LEVEL] == "A"
    assert vorasidenib.fields[EvidenceField.THERAPY] == "PMKG:therapy/vorasidenib"
    assert vorasidenib.shown[EvidenceField.DISEASE] == "Low Grade Glioma (DOID:0080829)"


def test_an_item_the_new_build_skipped_is_listed_as_removed_with_the_skip_count(diff: EvidenceDiff) -> None:
    # EID 5546 (VHL R167Q, predisposing) is in both releases, but its 2026 profile "VHL R167Q(c.500G>A) and
    # c.464-94T>A" names a variant CIViC's tables lack, so the 2026 build skips it (and assertion AID 4 with it).
    assert [item.id for item in diff.removed] == ["CIVIC.AID:4", "CIVIC.EID:5546"]
    assert diff.new_skipped_rows > 0


def test_json_report_has_counts_and_each_change(diff: EvidenceDiff) -> None:
    report = diff.as_json()
    assert report["counts"]["changed"] == 2
    first = report["changed"][0]
    assert first["id"] == "CIVIC.EID:1396"
    assert first["changes"][0]["field"] == "variant"


def test_a_source_in_neither_build_is_named_with_the_builds_sources(two_builds: tuple[Path, str, str]) -> None:
    home, old_id, new_id = two_builds
    old, new = open_store("embedded", home=home, build=old_id), open_store("embedded", home=home, build=new_id)
    try:
        with pytest.raises(InputError, match=r"source 'moalmanac' is in neither build; their sources are: civic"):
            diff_evidence(old, new, "moalmanac")
    finally:
        old.close()
        new.close()
