"""Defects fixed while builds became kept and rolled back (issue 10), one test each, named after what broke."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from kg.settings import get_settings

REPO = Path(__file__).resolve().parents[2]


def test_neo4j_password_showed_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMKG_NEO4J_PASSWORD", "correct-horse-battery")
    get_settings.cache_clear()
    try:
        settings = get_settings()
        assert settings.neo4j_password == "correct-horse-battery"  # still usable
        for shown in (repr(settings), str(settings), f"{settings}", f"{settings!r}"):
            assert "correct-horse-battery" not in shown
            assert "neo4j_password='********'" in shown
    finally:
        monkeypatch.delenv("PMKG_NEO4J_PASSWORD")
        get_settings.cache_clear()
    assert "neo4j_password=''" in repr(get_settings())  # no password: nothing to hide, and it says so


def test_importing_the_loaders_changed_csv_field_size_limit_for_the_whole_process() -> None:
    probe = (
        "import csv; before = csv.field_size_limit(); import loaders.base, loaders.registry; "
        "print(before == csv.field_size_limit())"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_a_long_field_still_reads_and_the_csv_limit_comes_back_afterwards(tmp_path: Path) -> None:
    from loaders.base import read_table

    long_text = "x" * 300_000  # over csv's 128 KiB default: CIViC descriptions can be this long
    path = tmp_path / "long.tsv"
    path.write_text(f"id\tdescription\nE1\t{long_text}\nE2\tshort\n")
    before = csv.field_size_limit()
    rows = read_table(path, ["id", "description"])
    first = next(rows)
    assert csv.field_size_limit() > before  # raised while the table is read
    assert [first[1]["description"], *(row["description"] for _, row in rows)] == [long_text, "short"]
    assert csv.field_size_limit() == before
