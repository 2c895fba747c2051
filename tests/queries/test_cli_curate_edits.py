"""``pmkg curate edit``: a curator's local edits, checked against the current build, kept in a versioned overlay."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pmkg_cli import pmkg


def test_add_list_remove_export_import(home_copy: Path, tmp_path: Path) -> None:
    env = {"PMKG_CURATOR": "alice"}
    mapped = pmkg(
        home_copy, "curate", "edit", "map", "ONCOTREE:TLL", "DOID:5603", "--reason", "T-LBL is T-ALL", env=env
    )
    assert mapped.returncode == 0, mapped.stderr
    assert mapped.stdout.startswith("edit 1: mapping ONCOTREE:TLL (T-Lymphoblastic Leukemia/Lymphoma) → DOID:5603; "
                                    "overlay revision 1")  # fmt: skip
    assert pmkg(home_copy, "curate", "edit", "synonym", "DOID:3910", "LADC", "--curator", "bob").returncode == 0
    listed = json.loads(pmkg(home_copy, "curate", "edit", "list", "--format", "json").stdout)
    assert listed["revision"] == 2
    assert [(e["id"], e["kind"], e["term"], e["value"], e["curator"]) for e in listed["edits"]] == [
        (1, "mapping", "ONCOTREE:TLL", "DOID:5603", "alice"),
        (2, "synonym", "DOID:3910", "LADC", "bob"),
    ]
    exported = tmp_path / "edits.yaml"
    assert pmkg(home_copy, "curate", "edit", "export", str(exported)).returncode == 0
    assert pmkg(home_copy, "curate", "edit", "remove", "1").returncode == 0
    left = json.loads(pmkg(home_copy, "curate", "edit", "list", "--format", "json").stdout)
    assert [e["id"] for e in left["edits"]] == [2]
    imported = pmkg(home_copy, "curate", "edit", "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    after = json.loads(pmkg(home_copy, "curate", "edit", "list", "--format", "json").stdout)
    assert (after["revision"], [e["id"] for e in after["edits"]]) == (4, [1, 2])


def test_an_edit_naming_no_term_of_the_build_is_refused(home_copy: Path) -> None:
    done = pmkg(home_copy, "curate", "edit", "map", "ONCOTREE:TLL", "DOID:99999", "--curator", "alice")
    assert done.returncode == 2
    assert done.stderr == "error: DOID: no node 'DOID:99999' in the current build (ids are case-sensitive: DOID:3910)\n"
    anonymous = pmkg(home_copy, "curate", "edit", "synonym", "DOID:3910", "LADC", env={"PMKG_CURATOR": ""})
    assert "--curator: say who makes this edit" in anonymous.stderr
