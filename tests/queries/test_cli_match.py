"""``pmkg match`` as a user runs it: a real process over the starter graph built by ``pmkg build``."""

from __future__ import annotations

import json
from pathlib import Path

from kg.stores import open_store
from queries.models import MatchQuery
from queries.services.match import match
from tests.pmkg_cli import pmkg

MELANOMA = ("match", "--variant", "BRAF V600E", "--disease", "melanoma")


def test_json_is_the_match_services_answer(starter_home: tuple[Path, dict[str, object]]) -> None:
    home = starter_home[0]
    done = pmkg(home, *MELANOMA, "--variant", "DPYD *2A/*2A", "--format", "json")
    assert done.returncode == 0, done.stderr
    store = open_store("embedded", home=home)
    try:
        answer = match(store, MatchQuery(variants=["BRAF V600E", "DPYD *2A/*2A"], disease="melanoma"))
    finally:
        store.close()
    assert json.loads(done.stdout) == answer.model_dump(mode="json")
    therapies = [t["therapy"] for t in json.loads(done.stdout)["therapies"]]
    assert therapies[0] in {"Dabrafenib", "Vemurafenib", "Dabrafenib + Trametinib", "Vemurafenib + Cobimetinib",
                            "Encorafenib + Binimetinib"}  # fmt: skip
    assert any(c["drug"].lower() == "fluorouracil" for c in json.loads(done.stdout)["pgx_cautions"])


def test_table_names_the_therapies_the_build_and_every_source(starter_home: tuple[Path, dict[str, object]]) -> None:
    done = pmkg(starter_home[0], *MELANOMA)
    assert done.returncode == 0, done.stderr
    assert "Therapies (build" in done.stdout
    build = next(line for line in done.stdout.splitlines() if line.startswith("build "))
    assert "civic" in build
    assert "pharmcat" in build
    assert "Vemurafenib" in done.stdout


def test_tsv_has_one_ranked_row_per_therapy_entry(starter_home: tuple[Path, dict[str, object]]) -> None:
    done = pmkg(starter_home[0], *MELANOMA, "--format", "tsv")
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split("\t") == ["rank", "therapy", "drugs", "significance", "tier", "levels", "variant_match",
                                  "disease_match", "standing", "evidence", "pgx"]  # fmt: skip
    assert rows
    assert [r.split("\t")[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert all(len(r.split("\t")) == 11 for r in rows)


def test_a_misspelt_diagnosis_is_matched_as_the_disease_it_can_only_be_and_said(
    starter_home: tuple[Path, dict[str, object]],
) -> None:
    done = pmkg(starter_home[0], "match", "--variant", "BRAF V600E", "--disease", "melanomma", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["inputs"]["disease"]["id"] == "DOID:1909"
    assert any("read as 'melanoma'" in w for w in answer["warnings"])


def test_bad_outside_call_lines_come_back_as_unrecognized_inputs(
    starter_home: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    calls = tmp_path / "outside.tsv"
    calls.write_text("CYP2D6\t*1/*4\nCYP2D6 *1/*4 x\ttoo\tmany\tfields\there\n", encoding="utf-8")
    done = pmkg(starter_home[0], *MELANOMA, "--outside-calls", str(calls), "--format", "json")
    assert done.returncode == 0, done.stderr
    bad = [v for v in json.loads(done.stdout)["inputs"]["variants"] if v["input"] == f"{calls}:2"]
    assert len(bad) == 1
    assert bad[0]["status"] == "unrecognized"
    assert "expected at most 4 tab-separated fields" in bad[0]["message"]


def test_no_variant_is_a_usage_error_with_json_when_asked(starter_home: tuple[Path, dict[str, object]]) -> None:
    done = pmkg(starter_home[0], "match", "--disease", "melanoma", "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["message"].startswith("Missing option '--variant'")
    assert done.stderr.startswith("error: Missing option '--variant'")
