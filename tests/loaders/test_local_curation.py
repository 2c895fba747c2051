"""The local curation overlay file: revisions, checks, and a file that is not an overlay."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError, SourceFileError
from loaders.local_curation import CurationEdit, CurationEdits, LocalCurationLoader


def _edit(kind: str = "synonym", value: str = "LADC", curator: str = "bob") -> CurationEdit:
    return CurationEdit(0, kind, "DOID:3910", "Disease", "lung adenocarcinoma", value, curator)


def test_every_change_raises_the_revision_and_the_file_round_trips(tmp_path: Path) -> None:
    edits = CurationEdits().add(_edit()).add(_edit("mapping", "DOID:3908", "alice"))
    assert edits.revision == 2
    assert [e.id for e in edits.edits] == [1, 2]
    removed = edits.remove(1)
    assert removed.revision == 3
    path = tmp_path / "edits.yaml"
    removed.write(path)
    again = CurationEdits.read(path)
    assert again == removed
    assert again.version == "revision 3 by alice"


def test_the_same_edit_twice_is_refused_naming_the_first() -> None:
    with pytest.raises(InputError, match=r"edit 1 already says this \(synonym DOID:3910 → LADC, by bob\)"):
        CurationEdits().add(_edit()).add(_edit(curator="carol"))


def test_removing_an_unknown_edit_lists_the_edits() -> None:
    with pytest.raises(InputError, match=r"no local edit 9; the edits are: 1"):
        CurationEdits().add(_edit()).remove(9)


def test_a_file_that_is_not_an_overlay_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "local_edits.yaml"
    path.write_text("just: [a, list\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"local_edits\.yaml: not a readable YAML overlay"):
        CurationEdits.read(path)
    path.write_text("format: pmkg-local-curation/1\nrevision: 1\nedits:\n  - {id: 1, kind: rename}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="edit 1: missing term, label, name, value, curator"):
        CurationEdits.read(path)


def test_no_overlay_means_no_local_source(tmp_path: Path) -> None:
    assert LocalCurationLoader.from_home(tmp_path) is None
